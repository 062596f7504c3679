from django.urls import path

from . import oidc, views

app_name = "accounts"

urlpatterns = [
    path("profiel/", views.ProfileView.as_view(), name="profile"),
    path("registreren/", views.RegisterWithCodeView.as_view(), name="register"),
    path("welkom/", views.WelcomeView.as_view(), name="welcome"),
    path("sessie/verlengen/", views.KeepAliveView.as_view(), name="keep_alive"),
    path("verifieren/", views.RedeemCodeView.as_view(), name="redeem"),
    path("leden/", views.MemberListView.as_view(), name="members"),
    path("leden/<int:pk>/verifieren/", views.VerifyMemberView.as_view(), name="verify"),
    path(
        "verificaties/<int:pk>/intrekken/",
        views.RevokeVerificationView.as_view(),
        name="revoke",
    ),
    path("codes/", views.VerificationCodesView.as_view(), name="codes"),
    path("tweede-stap/", views.SecondFactorView.as_view(), name="second_factor"),
    path(
        "tweede-stap/instellen/",
        views.SecondFactorSetupView.as_view(),
        name="second_factor_setup",
    ),
    path(
        "tweede-stap/instellen/link-sturen/",
        views.EnrolmentLinkRequestView.as_view(),
        name="second_factor_enrolment_request",
    ),
    path(
        "tweede-stap/instellen/<str:uidb64>/<str:token>/",
        views.EnrolmentLinkView.as_view(),
        name="second_factor_enrolment",
    ),
    path("medewerkers/inloggen/", oidc.StaffStartView.as_view(), name="oidc_staff_start"),
    path("medewerkers/terug/", oidc.StaffCallbackView.as_view(), name="oidc_staff_callback"),
    path("digid/inloggen/", oidc.DigiDStartView.as_view(), name="oidc_digid_start"),
    path("digid/terug/", oidc.DigiDCallbackView.as_view(), name="oidc_digid_callback"),
    path("digid/wijk/", views.DigiDAreaView.as_view(), name="digid_area"),
    path("codes/reeksen/", views.CodeBatchListView.as_view(), name="batches"),
    path("codes/reeksen/<int:pk>/", views.CodeBatchView.as_view(), name="batch"),
    path(
        "codes/reeksen/<int:pk>/goedkeuren/",
        views.ApproveCodeBatchView.as_view(),
        name="batch_approve",
    ),
    path(
        "codes/reeksen/<int:pk>/afdrukken/",
        views.PrintCodeBatchView.as_view(),
        name="batch_print",
    ),
]
