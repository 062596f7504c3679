from django.urls import path

from . import views

app_name = "sroi"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("fondsen/<slug:slug>/", views.FundView.as_view(), name="fund"),
    path("fondsen/<slug:slug>/beheer/", views.FundStaffView.as_view(), name="fund_staff"),
    path("fondsen/<slug:slug>/bijdrage/", views.ContributionView.as_view(), name="contribution"),
    path(
        "fondsen/<slug:slug>/overige-inkomsten/",
        views.OtherIncomeView.as_view(),
        name="other_income",
    ),
    path("toekenningen/<int:pk>/", views.AllocationView.as_view(), name="allocation"),
    path("toekenningen/<int:pk>/uitbetalen/", views.DisburseView.as_view(), name="disburse"),
    path("toekenningen/<int:pk>/terugbetaling/", views.ReturnView.as_view(), name="return"),
    path(
        "toekenningen/<int:pk>/sluiten/",
        views.CloseAllocationView.as_view(),
        name="close_allocation",
    ),
    path(
        "transacties/<int:pk>/terugdraaien/",
        views.ReverseTransactionView.as_view(),
        name="reverse",
    ),
    path("jaren-afgesloten/", views.CloseYearView.as_view(), name="closed_years"),
    path("contracten/", views.ContractListView.as_view(), name="contracts"),
    path("contracten/achterstand/", views.BehindView.as_view(), name="behind"),
    path("contracten/nieuw/", views.ContractFormView.as_view(), name="contract_create"),
    path("contracten/<int:pk>/", views.ContractView.as_view(), name="contract"),
    path("contracten/<int:pk>/bewerken/", views.ContractFormView.as_view(), name="contract_edit"),
    path("contracten/<int:pk>/beheer/", views.ContractStaffView.as_view(), name="contract_staff"),
    path(
        "contracten/<int:pk>/realisaties/nieuw/",
        views.ClaimRealisationView.as_view(),
        name="claim",
    ),
    path("realisaties/<int:pk>/", views.RealisationView.as_view(), name="realisation"),
    path(
        "realisaties/<int:pk>/verifieren/",
        views.VerifyRealisationView.as_view(),
        name="verify",
    ),
    path("realisaties/<int:pk>/afwijzen/", views.RejectRealisationView.as_view(), name="reject"),
    path("realisaties/<int:pk>/bewijs/", views.EvidenceView.as_view(), name="evidence"),
    path("opdrachtnemers/", views.ContractorListView.as_view(), name="contractors"),
    path("opdrachtnemers/nieuw/", views.ContractorFormView.as_view(), name="contractor_create"),
    path(
        "opdrachtnemers/<int:pk>/bewerken/",
        views.ContractorFormView.as_view(),
        name="contractor_edit",
    ),
]
