from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.ArchiveView.as_view(), name="archive"),
    path("aanvragen/", views.RequestReportView.as_view(), name="request"),
    path("status/<int:pk>/", views.StatusView.as_view(), name="status"),
    path("resultaten/", views.OutcomeView.as_view(), name="outcomes"),
    path("<int:year>/", views.YearView.as_view(), name="year"),
    path("<int:year>.pdf", views.PdfView.as_view(), name="pdf"),
    path(
        "<int:year>/bijlage/<slug:name>.<slug:fmt>",
        views.AnnexView.as_view(),
        name="annex",
    ),
    path(
        "<int:year>/<str:language>/v<int:version>/bijlage/<slug:name>.<slug:fmt>",
        views.VersionAnnexView.as_view(),
        name="version_annex",
    ),
    path(
        "<int:year>/<str:language>/v<int:version>.pdf",
        views.VersionPdfView.as_view(),
        name="version_pdf",
    ),
]
