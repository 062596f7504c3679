"""/api/v1/: the open, read-only API, and its OpenAPI document."""

from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter(trailing_slash=False)
router.include_root_view = False
router.register("initiatieven", views.InitiativeViewSet, basename="initiative")
router.register("intakeprofielen", views.IntakeProfileViewSet, basename="intake-profile")
router.register("fondsen", views.FundViewSet, basename="fund")
router.register("contracten", views.ContractViewSet, basename="contract")
router.register("toekenningen", views.AllocationViewSet, basename="allocation")
router.register("besluiten", views.DecisionViewSet, basename="decision")
router.register("jaarverslagen", views.ReportViewSet, basename="report")
router.register("stembiljetten", views.BulletinViewSet, basename="bulletin")

# The entry point (README: "the open API"): every list endpoint and the OpenAPI document.
root = views.ApiRootView.as_view(
    endpoints=tuple((prefix, f"{basename}-list") for prefix, _viewset, basename in router.registry)
)

urlpatterns = [
    path("", root, name="root"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("", include(router.urls)),
]
