from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.NoticeListView.as_view(), name="list"),
    path("<int:pk>/", views.NoticeOpenView.as_view(), name="open"),
    path("instellingen/", views.PreferenceView.as_view(), name="preferences"),
    path("afmelden/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("brieven/", views.LetterBatchListView.as_view(), name="letters"),
    path("brieven/<int:pk>.pdf", views.LetterBatchPdfView.as_view(), name="letters_pdf"),
]
