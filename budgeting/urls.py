from django.urls import path, re_path

from . import views

app_name = "budgeting"

urlpatterns = [
    path("", views.RoundListView.as_view(), name="list"),
    path("nieuw/", views.RoundFormView.as_view(), name="create"),
    path("<int:pk>/", views.RoundDetailView.as_view(), name="round"),
    path("<int:pk>/plan/", views.PlanSubmitView.as_view(), name="submit_plan"),
    path("<int:pk>/stemmen/", views.BallotView.as_view(), name="ballot"),
    path("<int:pk>/stap/<slug:step>/", views.StepView.as_view(), name="step"),
    re_path(
        r"^(?P<pk>[0-9]+)/stembiljetten\.(?P<kind>pb|csv)$",
        views.DownloadView.as_view(),
        name="download",
    ),
    path("<int:pk>/buurthuis/<slug:slug>/", views.PaperTableView.as_view(), name="paper_table"),
    path(
        "<int:pk>/buurthuis/<slug:slug>/bewoner/<int:voter>/",
        views.PaperBallotView.as_view(),
        name="paper_ballot",
    ),
    path(
        "<int:pk>/buurthuis/<slug:slug>/stembiljetten.pdf",
        views.PaperBallotPrintView.as_view(),
        name="paper_print",
    ),
    path("plannen/<int:pk>/beoordelen/", views.PlanReviewView.as_view(), name="review_plan"),
]
