"""A URL configuration with the proposals somewhere else (tests/test_folding.py)."""

from django.urls import include, path

urlpatterns = [path("elders/voorstellen/", include("governance.urls"))]
