from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profiel/", views.ProfileView.as_view(), name="profile"),
    path("registreren/", views.RegisterWithCodeView.as_view(), name="register"),
    path("verifieren/", views.RedeemCodeView.as_view(), name="redeem"),
    path("leden/", views.MemberListView.as_view(), name="members"),
    path("leden/<int:pk>/verifieren/", views.VerifyMemberView.as_view(), name="verify"),
    path(
        "verificaties/<int:pk>/intrekken/",
        views.RevokeVerificationView.as_view(),
        name="revoke",
    ),
    path("codes/", views.VerificationCodesView.as_view(), name="codes"),
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
