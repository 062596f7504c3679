from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("", views.ProposalListView.as_view(), name="list"),
    path("nieuw/", views.ProposalFormView.as_view(), name="create"),
    path("stemmen/", views.OpenVotesView.as_view(), name="open_votes"),
    path("organen/", views.BodyListView.as_view(), name="bodies"),
    path("<int:pk>/", views.ProposalDetailView.as_view(), name="detail"),
    path("<int:pk>/bewerken/", views.ProposalFormView.as_view(), name="edit"),
    path("<int:pk>/bespreken/", views.StartDiscussionView.as_view(), name="start_discussion"),
    path("<int:pk>/stemming-openen/", views.OpenVotingView.as_view(), name="open_voting"),
    path("<int:pk>/intrekken/", views.WithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/uitvoeren/", views.ExecuteView.as_view(), name="execute"),
    path("besluiten/<int:pk>/", views.decision_view, name="decision"),
    path("bijlagen/<int:pk>/", views.AttachmentView.as_view(), name="attachment"),
    path("<int:pk>/stemmen/", views.BallotView.as_view(), name="vote"),
    path("<int:pk>/reageren/", views.CommentView.as_view(), name="comment"),
    path("<int:pk>/advies/", views.AdviceView.as_view(), name="advise"),
]
