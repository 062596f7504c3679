from django.urls import path

from . import views

app_name = "initiatives"

urlpatterns = [
    path("", views.RegisterView.as_view(), name="register"),
    path("export.csv", views.ExportView.as_view(), name="export_csv"),
    path(
        "export-volledig.csv",
        views.ExportView.as_view(all_fields=True),
        name="export_all_csv",
    ),
    path(
        "export-volledig.xlsx",
        views.ExportView.as_view(all_fields=True, file_format="xlsx"),
        name="export_all_xlsx",
    ),
    path("nieuw/", views.InitiativeFormView.as_view(), name="create"),
    path("importeren/", views.ImportView.as_view(), name="import"),
    path("importeren/sjabloon.csv", views.ImportTemplateView.as_view(), name="import_template_csv"),
    path(
        "importeren/sjabloon.xlsx",
        views.ImportTemplateView.as_view(file_format="xlsx"),
        name="import_template_xlsx",
    ),
    path("importeren/<int:pk>/", views.ImportPreviewView.as_view(), name="import_preview"),
    path("gebieden/", views.AreaListView.as_view(), name="areas"),
    path("gebieden/<int:pk>/", views.AreaListView.as_view(), name="area_edit"),
    path("<slug:slug>/", views.InitiativeDetailView.as_view(), name="detail"),
    path("<slug:slug>/bewerken/", views.InitiativeFormView.as_view(), name="edit"),
    path("<slug:slug>/beheer/", views.StaffDetailView.as_view(), name="staff"),
    path("<slug:slug>/beeindigen/", views.CloseInitiativeView.as_view(), name="close"),
]
