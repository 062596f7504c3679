"""Sealed polls end to end through HTTP: closing that always happens, trustees' keys, the tally,
the receipt in the public bulletin, the recount; plus each claim of docs/voting-threat-model.md
that the fast suite can check (the PostgreSQL ones are in tests/integration)."""

import json
import re
from collections import Counter
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from governance import sealing, services, tally
from governance.bulletin import recount
from governance.models import (
    Ballot,
    Choice,
    Decision,
    Participation,
    PollKey,
    Proposal,
    SealedBallot,
    TrusteeShare,
)
from tests.accounts.factories import UserFactory
from tests.clock import at_closing
from tests.roles import ACCOUNT_ROLES, login_as

from .factories import board, count_poll, picked_up_shares, poll, voting

pytestmark = pytest.mark.django_db

ROLES = [*ACCOUNT_ROLES, "trustee"]


@pytest.fixture
def trustees():
    _body, voters = board(community=3, institution=0)
    return voters["community"]


@pytest.fixture
def sealed(area, community_member, youth_member, trustees):
    return poll(areas=[area])


def _after_closing(proposal):
    return at_closing(proposal.closes_at + timedelta(seconds=1))


# --- 1. Closing that always happens -----------------------------------------------------------


def test_showing_a_due_poll_closes_it_once(client, sealed, community_member):
    services.cast_vote(proposal=sealed, choice=Choice.FOR, actor=community_member)
    with _after_closing(sealed):
        assert client.get(sealed.get_absolute_url()).status_code == 200
        assert client.get("/voorstellen/").status_code == 200
        assert client.get(sealed.get_absolute_url()).status_code == 200
    sealed.refresh_from_db()
    assert sealed.status == Proposal.Status.COUNTING
    assert sealed.history.filter(status=Proposal.Status.COUNTING).count() == 1
    assert not Decision.objects.exists()


def test_showing_a_due_board_vote_decides_it_once(client, community_member):
    body, voters = board(members=[community_member])
    proposal = voting(body=body)
    services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=community_member)
    with at_closing(proposal.closes_at):
        client.get("/voorstellen/")
        client.get(proposal.get_absolute_url())
    assert Decision.objects.filter(proposal=proposal).count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_closing_by_hand_only_a_civil_servant_and_only_when_due(client, user_for_role, role):
    body, _voters = board()
    proposal = voting(body=body)
    user = user_for_role(role) if role != "trustee" else UserFactory()
    url = f"/voorstellen/{proposal.pk}/sluiten/"
    # before the end of the window: refused for everyone, nothing changes
    response = login_as(client, user).post(url)
    assert response.status_code in (302, 403)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.VOTING
    with at_closing(proposal.closes_at):
        # a page would close it too; here the button is pressed straight away (logged in again:
        # an hour without activity ends a resident's session)
        response = login_as(client, user).post(url)
    proposal.refresh_from_db()
    if role == "civil_servant":
        assert response.status_code == 302
        assert proposal.status in Proposal.DECIDED
        assert proposal.history.first().history_user == user
    else:
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert role == "anonymous" and "/accounts/inloggen/" in response.url
        assert proposal.status == Proposal.Status.VOTING
        assert not Decision.objects.exists()


def test_the_service_refuses_closing_by_others(sealed, community_member):
    with _after_closing(sealed), pytest.raises(ValidationError):
        services.close_voting(proposal=sealed, actor=community_member)
    sealed.refresh_from_db()
    assert sealed.status == Proposal.Status.VOTING


# --- 2. Trustees and their keys -------------------------------------------------------------------


def test_trustees_are_the_community_side_of_the_board(sealed, trustees):
    key = PollKey.objects.get(proposal=sealed)
    assert set(TrusteeShare.objects.values_list("trustee", flat=True)) == {t.pk for t in trustees}
    assert (key.threshold, key.trustee_count) == (2, 3)


def test_a_poll_without_trustees_cannot_open(area, community_member):
    from .factories import DecisionRuleFactory, in_discussion

    proposal = in_discussion(method="poll", areas=[area], decision_rule=DecisionRuleFactory())
    with pytest.raises(ValidationError) as raised:
        services.open_voting(
            proposal=proposal, closes_at=timezone.now() + timedelta(hours=1), actor=None
        )
    assert raised.value.code == "no_trustees"
    assert not PollKey.objects.exists()


def test_a_trustee_sees_the_key_once_through_the_page(client, sealed, trustees):
    client.force_login(trustees[0])
    url = f"/voorstellen/{sealed.pk}/mijn-sleutel/"
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    share = response.context["share"]
    assert sealing.parse_share(share)
    row = TrusteeShare.objects.get(trustee=trustees[0])
    assert row.pickup_box is None and row.picked_up_at is not None
    assert row.fingerprint == sealing.fingerprint(sealing.parse_share(share))
    # a second time: refused with a message
    again = client.post(url, follow=True)
    assert "share" not in again.context or again.context.get("share") is None
    assert share not in again.content.decode()


def test_the_unlock_page_waits_for_enough_keys_then_counts(
    client, sealed, trustees, community_member, youth_member, django_capture_on_commit_callbacks
):
    code = services.cast_vote(proposal=sealed, choice=Choice.AGAINST, actor=community_member)
    services.cast_vote(proposal=sealed, choice=Choice.FOR, actor=youth_member)
    shares = picked_up_shares(sealed)
    url = f"/voorstellen/{sealed.pk}/ontsluiten/"
    client.force_login(trustees[0])
    # still open: nothing to unlock; the trustee is told when their key is needed
    early = client.get(url, follow=True)
    assert early.redirect_chain == [(f"/voorstellen/{sealed.pk}/", 302)]
    assert "Het stemmen is nog niet gesloten. Uw sleutel is daarna nodig." in early.content.decode()
    with _after_closing(sealed):
        client.force_login(trustees[0])  # the vote's hour ended a resident's idle session
        page = client.get(url)
        assert page.status_code == 200
        assert "0 van de 2 sleutels" in page.content.decode()
        # a typing error and a key of another poll: clear messages, nothing stored
        wrong = shares[0][1][:-1] + ("A" if shares[0][1][-1] != "A" else "B")
        assert client.post(url, {"share": wrong}).status_code == 400
        other = sealing.format_share(sealing.make_poll_keys(3).shares[0])
        assert client.post(url, {"share": other}).status_code == 400
        assert not TrusteeShare.objects.filter(submitted_box__isnull=False).exists()
        assert client.post(url, {"share": shares[0][1].lower()}).status_code == 302
        assert "1 van de 2 sleutels" in client.get(url).content.decode()
        assert client.post(url, {"share": shares[0][1]}).status_code == 400  # twice
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url, {"share": shares[2][1]}).status_code == 302
    sealed.refresh_from_db()
    assert sealed.status == Proposal.Status.ADOPTED or sealed.status == Proposal.Status.REJECTED
    decision = sealed.decision
    assert (decision.tally["voor"], decision.tally["tegen"]) == (1, 1)
    # the sealed ballots and the key are gone; the held shares are erased
    assert not SealedBallot.objects.exists()
    key = PollKey.objects.get(proposal=sealed)
    assert key.wrapped_private_key is None and key.destroyed_at is not None
    assert not TrusteeShare.objects.filter(submitted_box__isnull=False).exists()
    assert not TrusteeShare.objects.filter(pickup_box__isnull=False).exists()
    # the audit trail of the shares never held them
    history_fields = {f.name for f in TrusteeShare.history.model._meta.fields}
    assert not history_fields & {"pickup_box", "submitted_box"}
    # the receipt is in the bulletin
    bulletin = client.get(f"/voorstellen/{sealed.pk}/stembiljetten/")
    assert bulletin.status_code == 200
    assert code in bulletin.content.decode()
    # a trustee who follows the old "your key is needed" message is told it is not needed now
    client.force_login(trustees[1])
    late = client.get(url, follow=True)
    assert late.redirect_chain == [(f"/voorstellen/{sealed.pk}/", 302)]
    assert "De stemmen zijn al geteld. Uw sleutel is nu niet meer nodig." in late.content.decode()
    assert client.post(url, {"share": shares[1][1]}).status_code == 302
    assert TrusteeShare.objects.filter(submitted_at__isnull=False).count() == 2


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_the_trustee_pages(client, sealed, trustees, user_for_role, role):
    user = trustees[0] if role == "trustee" else user_for_role(role)
    pick_up = f"/voorstellen/{sealed.pk}/mijn-sleutel/"
    unlock = f"/voorstellen/{sealed.pk}/ontsluiten/"
    login_as(client, user)
    response = client.post(pick_up)
    if role == "trustee":
        assert response.status_code == 200
    else:
        assert response.status_code in (302, 403)
        assert not TrusteeShare.objects.filter(pickup_box__isnull=True).exists()
    with _after_closing(sealed):
        services.close_voting(actor=None, proposal=sealed)
        login_as(client, user)  # the vote's hour ended a resident's idle session
        response = client.post(unlock, {"share": "AAAA"})
        if role == "trustee":
            assert response.status_code == 400  # allowed in, but not a key
        else:
            assert response.status_code in (302, 403)
        assert not TrusteeShare.objects.filter(submitted_box__isnull=False).exists()


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_the_bulletin(client, sealed, trustees, user_for_role, role):
    user = trustees[0] if role == "trustee" else user_for_role(role)
    login_as(client, user)
    # before the count there is no list: the page says when it comes, to everyone (finding 14)
    page = client.get(f"/voorstellen/{sealed.pk}/stembiljetten/")
    assert page.status_code == 200 and 'data-testid="bulletin-pending"' in page.content.decode()
    for suffix in ("stembiljetten.csv", "stembiljetten.json"):
        url = f"/voorstellen/{sealed.pk}/{suffix}"
        assert client.get(url).status_code in (302, 403)  # not before the count
    count_poll(sealed)
    for suffix in ("stembiljetten/", "stembiljetten.csv", "stembiljetten.json"):
        assert client.get(f"/voorstellen/{sealed.pk}/{suffix}").status_code == 200


# --- 3 and 4. Receipts, bulletin and recount ---------------------------------------------------


def test_the_bulletin_lists_every_code_and_recounts_to_the_decision(
    client, sealed, community_member, youth_member, tmp_path
):
    codes = {
        services.cast_vote(proposal=sealed, choice=Choice.FOR, actor=community_member),
        services.cast_vote(proposal=sealed, choice=Choice.ABSTAIN, actor=youth_member),
    }
    decision = count_poll(sealed)
    data = client.get(f"/voorstellen/{sealed.pk}/stembiljetten.json").json()
    assert [b["code"] for b in data["ballots"]] == sorted(codes)
    assert data["participations"] == 2 == len(data["ballots"])
    assert data["roll_size"] == 2
    assert data["roll_sha256"] == sealing.roll_digest([community_member.pk, youth_member.pk])
    result = recount(data)
    assert result.matches_decision and result.codes_match_participations
    assert result.result.as_dict() == decision.tally
    csv_text = client.get(f"/voorstellen/{sealed.pk}/stembiljetten.csv").content.decode()
    assert csv_text.splitlines()[0] == "code,choice" and len(csv_text.splitlines()) == 3
    page = client.get(f"/voorstellen/{sealed.pk}/stembiljetten/").content.decode()
    assert 'data-testid="recount-matches"' in page
    turnout = re.search(r'<li data-testid="recount-turnout">(.*?)</li>', page, flags=re.S)
    assert " ".join(turnout.group(1).split()) == (
        "2 volgcodes. 2 mensen deden mee. Deze zijn gelijk."
    )
    assert "2 mensen stonden op de kiezerslijst." in page
    # the management command, from the database and from the downloaded file
    path = tmp_path / "bulletin.json"
    path.write_text(json.dumps(data))
    call_command("recount", str(sealed.pk))
    call_command("recount", "--file", str(path))
    data["ballots"][0]["choice"] = Choice.AGAINST.value
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError):
        call_command("recount", "--file", str(path))


def test_a_sensitive_poll_publishes_codes_without_choices(client, sealed, community_member):
    Proposal.objects.filter(pk=sealed.pk).update(bulletin_hides_choices=True)
    sealed.refresh_from_db()
    code = services.cast_vote(proposal=sealed, choice=Choice.FOR, actor=community_member)
    count_poll(sealed)
    data = client.get(f"/voorstellen/{sealed.pk}/stembiljetten.json").json()
    assert data["ballots"] == [{"code": code, "choice": None}]
    assert recount(data).result is None


def test_a_resident_sees_their_own_participation(client, sealed, community_member, youth_member):
    services.cast_vote(proposal=sealed, choice=Choice.FOR, actor=community_member)
    count_poll(sealed)
    client.force_login(community_member)
    assert (
        'data-testid="own-participation"' in client.get(sealed.get_absolute_url()).content.decode()
    )
    client.force_login(youth_member)
    assert (
        'data-testid="own-participation"'
        not in client.get(sealed.get_absolute_url()).content.decode()
    )


# --- Threat model claims -------------------------------------------------------------------------


def test_fewer_keys_than_the_threshold_do_not_open_the_poll(sealed, community_member):
    services.cast_vote(proposal=sealed, choice=Choice.FOR, actor=community_member)
    shares = picked_up_shares(sealed)
    key = PollKey.objects.get(proposal=sealed)
    one = [sealing.parse_share(shares[0][1])]
    with pytest.raises(sealing.SealingError):
        sealing.unwrap_private_key(
            shares=one,
            wrapped_private_key=bytes(key.wrapped_private_key),
            public_key=bytes(key.public_key),
        )
    with _after_closing(sealed):
        services.close_voting(actor=None, proposal=sealed)
        services.enter_share(proposal=sealed, share=shares[0][1], actor=shares[0][0])
        with pytest.raises(ValidationError):
            services.tally_poll(proposal=sealed)
    assert SealedBallot.objects.count() == 1 and not Ballot.objects.exists()


def test_the_server_stores_no_share_in_plain(sealed):
    for row in TrusteeShare.objects.all():
        assert len(bytes(row.pickup_box)) > 20  # boxed: nonce and tag around the share
    shares = [sealing.parse_share(text) for _t, text in picked_up_shares(sealed)]
    stored = b"".join(
        bytes(v or b"") for v in PollKey.objects.values_list("wrapped_private_key", flat=True)
    )
    for share in shares:
        assert share[1:17] not in stored


def test_withdrawing_a_poll_destroys_its_key(sealed, community_member, civil_servant):
    services.cast_vote(proposal=sealed, choice=Choice.FOR, actor=community_member)
    services.withdraw_proposal(proposal=sealed, reason="Vergissing", actor=civil_servant)
    key = PollKey.objects.get(proposal=sealed)
    assert key.wrapped_private_key is None and key.destroyed_at is not None
    assert not TrusteeShare.objects.filter(pickup_box__isnull=False).exists()
    assert SealedBallot.objects.count() == 1 and not Ballot.objects.exists()


def test_opening_a_poll_by_the_page_tells_about_the_trustees(
    client, area, community_member, civil_servant, trustees
):
    from .factories import DecisionRuleFactory, in_discussion

    proposal = in_discussion(method="poll", areas=[area], decision_rule=DecisionRuleFactory())
    client.force_login(civil_servant)
    response = client.post(
        f"/voorstellen/{proposal.pk}/stemming-openen/",
        {"closes_at": "2999-01-01T12:00"},
        follow=True,
    )
    assert response.status_code == 200
    assert PollKey.objects.filter(proposal=proposal).exists()
    assert TrusteeShare.objects.filter(proposal=proposal).count() == len(trustees)


# --- Properties ------------------------------------------------------------------------------------

votes = st.lists(
    st.tuples(st.integers(0, 5), st.sampled_from(tally.CHOICES)), min_size=0, max_size=25
)


@settings(max_examples=40, deadline=None)
@given(votes)
def test_revoting_keeps_one_counted_ballot_per_person_the_last(cast):
    keys = sealing.make_poll_keys(3)
    sealed_ballots, last = [], {}
    for counter, (voter, choice) in enumerate(cast):
        tag = f"voter-{voter}"
        sealed_ballots.append(
            sealing.seal_ballot(
                public_key=keys.public_key,
                choice=choice,
                tracking_code=sealing.new_tracking_code(),
                tag=tag,
                counter=counter,
            )
        )
        last[tag] = choice
    private = sealing.unwrap_private_key(
        shares=keys.shares[:2],
        wrapped_private_key=keys.wrapped_private_key,
        public_key=keys.public_key,
    )
    opened = [sealing.open_ballot(private, c) for c in sealed_ballots]
    counted = sealing.last_ballot_per_voter(opened, set(last))
    assert len(counted) == len(last)
    assert Counter(b.choice for b in counted) == Counter(last.values())
    assert len({len(c) for c in sealed_ballots}) <= 1


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(tally.CHOICES), max_size=40),
    st.integers(0, 20),
    st.sampled_from(tally.QUORUM_KINDS),
    st.integers(50, 99),
)
def test_recounting_the_bulletin_gives_the_decisions_tally(choices, extra, quorum, percent):
    rule = tally.Rule(majority_percent=percent, quorum=quorum, quorum_value=3)
    electorate = len(choices) + extra
    decided = tally.tally_counts(
        community=tally.Counts.of(choices),
        institution=tally.Counts(),
        electorate=electorate,
        rule=rule,
    )
    data = {
        "ballots": [{"code": f"C{i:05d}", "choice": c} for i, c in enumerate(choices)],
        "participations": len(choices),
        "roll_size": electorate,
        "rule": rule.__dict__,
        "decision": decided.as_dict(),
    }
    result = recount(data)
    assert result.matches_decision and result.codes_match_participations
    assert Participation.objects.count() == 0  # pure: nothing stored
