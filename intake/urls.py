from django.urls import path

from accounts.ratelimit import rate_limited

from . import views

app_name = "intake"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("initiatief/<slug:slug>/nieuw/", views.StartIntakeView.as_view(), name="start"),
    path("<int:pk>/", views.IntakeDetailView.as_view(), name="detail"),
    path("<int:pk>/invullen/", views.FillIntakeView.as_view(), name="fill"),
    path("<int:pk>/link/", views.CreateLinkView.as_view(), name="create_link"),
    path("<int:pk>/bevestigen/", views.ConfirmIntakeView.as_view(), name="confirm"),
    path("<int:pk>/publiceren/", views.PublishProfileView.as_view(), name="publish"),
    path(
        "<int:pk>/depubliceren/",
        views.PublishProfileView.as_view(published=False),
        name="unpublish",
    ),
    path("profiel/<int:pk>/", views.PublicProfileView.as_view(), name="profile"),
    path(
        "link/<str:token>/",
        rate_limited("intake_link")(views.InitiatorLinkView.as_view()),
        name="link",
    ),
]
