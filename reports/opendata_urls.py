from django.urls import path

from . import opendata_views as views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:name>.csv", views.download_csv, name="csv"),
    path("<slug:name>.json", views.download_json, name="json"),
    path("<slug:name>.txt", views.description, name="description"),
]
