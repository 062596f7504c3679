from django.urls import path

from accounts.ratelimit import rate_limited
from governance import views
from governance.bodies import views as body_views
from governance.officing import location_views
from governance.officing import print_views as officing_print_views
from governance.officing import views as officing_views

app_name = "governance"

urlpatterns = [
    # Casting a vote first: the busiest request of a poll is matched at the first try, not
    # after forty patterns (no other pattern matches "<pk>/stemmen/").
    path(
        "<int:pk>/stemmen/",
        rate_limited("vote", per="user")(views.BallotView.as_view()),
        name="vote",
    ),
    path("", views.ProposalListView.as_view(), name="list"),
    path("nieuw/", views.ProposalFormView.as_view(), name="create"),
    path("stemmen/", views.OpenVotesView.as_view(), name="open_votes"),
    path("organen/", views.BodyListView.as_view(), name="bodies"),
    path("organen/nieuw/", body_views.BodyFormView.as_view(), name="body_create"),
    path("organen/<int:pk>/", body_views.BodyDetailView.as_view(), name="body"),
    path("organen/<int:pk>/bewerken/", body_views.BodyFormView.as_view(), name="body_edit"),
    path("organen/<int:pk>/zetel/", body_views.SeatAddView.as_view(), name="seat_add"),
    path("organen/zetels/<int:pk>/beeindigen/", body_views.SeatEndView.as_view(), name="seat_end"),
    path("organen/regels/", body_views.RuleListView.as_view(), name="rules"),
    path("organen/regels/nieuw/", body_views.RuleFormView.as_view(), name="rule_create"),
    path("organen/regels/<int:pk>/bewerken/", body_views.RuleFormView.as_view(), name="rule_edit"),
    path("locaties/", officing_views.LocationListView.as_view(), name="locations"),
    path("locaties/<slug:slug>/", officing_views.LocationDetailView.as_view(), name="location"),
    path(
        "locaties/<slug:slug>/bewerken/",
        location_views.LocationEditView.as_view(),
        name="location_edit",
    ),
    path(
        "locaties/<slug:slug>/sluiten/",
        location_views.LocationCloseView.as_view(),
        name="location_close",
    ),
    path(
        "locaties/<slug:slug>/heropenen/",
        location_views.LocationReopenView.as_view(),
        name="location_reopen",
    ),
    path(
        "locaties/<slug:slug>/diensten/<int:pk>/intrekken/",
        location_views.ShiftCancelView.as_view(),
        name="shift_cancel",
    ),
    path(
        "locaties/<slug:slug>/diensten/<int:pk>/wijzigen/",
        location_views.ShiftChangeView.as_view(),
        name="shift_change",
    ),
    path("<int:pk>/locaties/", officing_views.OfferView.as_view(), name="offer"),
    path(
        "<int:pk>/stembureau/<slug:slug>/",
        officing_views.StationView.as_view(),
        name="station",
    ),
    path(
        "<int:pk>/stembureau/<slug:slug>/telling/",
        officing_views.CountView.as_view(),
        name="paper_count",
    ),
    path(
        "<int:pk>/locaties/<slug:slug>/geen-stemmen/",
        officing_views.NoVotesView.as_view(),
        name="no_votes",
    ),
    path(
        "<int:pk>/stembureau/<slug:slug>/verifieren/",
        officing_views.VerifyAtTableView.as_view(),
        name="verify_at_table",
    ),
    path(
        "<int:pk>/stembureau/<slug:slug>/met-hulp/<int:voter>/",
        officing_views.AssistedBallotView.as_view(),
        name="assisted",
    ),
    path("<int:pk>/stemkaarten/", officing_print_views.PollCardsView.as_view(), name="poll_cards"),
    path(
        "<int:pk>/stemkaarten/<int:run>/",
        officing_print_views.PollCardsDownloadView.as_view(),
        name="poll_cards_download",
    ),
    path(
        "<int:pk>/stembureau/<slug:slug>/stembiljetten.pdf",
        officing_print_views.StationPrintView.as_view(kind="ballots"),
        name="ballot_papers",
    ),
    path(
        "<int:pk>/stembureau/<slug:slug>/bekendmaking.pdf",
        officing_print_views.StationPrintView.as_view(kind="notice"),
        name="notice",
    ),
    path(
        "<int:pk>/stembureau/<slug:slug>/proces-verbaal.pdf",
        officing_print_views.StationPrintView.as_view(kind="results"),
        name="results_sheet",
    ),
    path("<int:pk>/", views.ProposalDetailView.as_view(), name="detail"),
    path("<int:pk>/bewerken/", views.ProposalFormView.as_view(), name="edit"),
    path("<int:pk>/bespreken/", views.StartDiscussionView.as_view(), name="start_discussion"),
    path("<int:pk>/stemming-openen/", views.OpenVotingView.as_view(), name="open_voting"),
    path("<int:pk>/intrekken/", views.WithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/uitvoeren/", views.ExecuteView.as_view(), name="execute"),
    path("besluiten/<int:pk>/", views.decision_view, name="decision"),
    path("bijlagen/<int:pk>/", views.AttachmentView.as_view(), name="attachment"),
    path("<int:pk>/reageren/", views.CommentView.as_view(), name="comment"),
    path("<int:pk>/advies/", views.AdviceView.as_view(), name="advise"),
    path("<int:pk>/sluiten/", views.CloseVotingView.as_view(), name="close_voting"),
    path("<int:pk>/mijn-sleutel/", views.PickUpShareView.as_view(), name="pick_up_share"),
    path("<int:pk>/ontsluiten/", views.EnterShareView.as_view(), name="enter_share"),
    path("<int:pk>/stembiljetten/", views.BulletinView.as_view(), name="bulletin"),
    path("<int:pk>/stembiljetten.csv", views.BulletinView.as_view(fmt="csv"), name="bulletin_csv"),
    path(
        "<int:pk>/stembiljetten.json",
        views.BulletinView.as_view(fmt="json"),
        name="bulletin_json",
    ),
]
