"""Paper counts at Community Homes (issue 12): four eyes, the sealing rule, corrections, and
paper votes in the tally, its turnout and quorum; the result waits for every location."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from freezegun import freeze_time

from governance import officing, selectors, services
from governance.bulletin import recount
from governance.models import (
    CheckIn,
    LocationWithoutVotes,
    OfficerShift,
    PaperCount,
    PaperCountSeal,
    Proposal,
)
from tests.accounts.factories import UserFactory, verified_in_person

from .factories import DecisionRuleFactory, board, picked_up_shares, poll

pytestmark = pytest.mark.django_db


@pytest.fixture
def voters(area, civil_servant):
    from accounts import services as account_services

    people = [UserFactory(first_name=f"Kiezer{i}") for i in range(6)]
    for person in people:
        account_services.verify_member(user=person, area=area, actor=civil_servant)
    return people


@pytest.fixture
def sealed(area, voters):
    board(community=3, institution=0)
    # quorum: at least 4 of the 6 on the roll take part
    rule = DecisionRuleFactory(quorum="count", quorum_value=4, community_guarantee=False)
    return poll(areas=[area], rule=rule)


def _officer(location, task, *, hours=(-1, 3)):
    now = timezone.now()
    return officing.add_shift(
        officer=verified_in_person(),  # issue 15: an officer is verified in person
        location=location,
        starts_at=now + timedelta(hours=hours[0]),
        ends_at=now + timedelta(hours=hours[1]),
        task=task,
        appointed_by="Besluit 1",
        actor=None,
    ).officer


@pytest.fixture
def home(sealed, civil_servant):
    location = officing.create_location(
        name="Buurthuis Bijlmer", address="Bijlmerplein 1", actor=civil_servant
    )
    officing.offer_poll_at(proposal=sealed, location=location, actor=civil_servant)
    return location


@pytest.fixture
def team(home):
    """A check-in officer and two counting officers, all in a shift that outlasts the poll."""
    return (
        _officer(home, OfficerShift.Task.CHECK_IN),
        _officer(home, OfficerShift.Task.COUNTING),
        _officer(home, OfficerShift.Task.COUNTING),
    )


def _paper(sealed, home, officer, voter):
    return officing.check_in(
        proposal=sealed,
        location=home,
        voter=voter,
        channel=CheckIn.Channel.PAPER,
        identity_check=CheckIn.IdentityCheck.ID_DOCUMENT,
        actor=officer,
    )


def _count(sealed, home, officer, **numbers):
    fields = {"envelopes": 0, "voor": 0, "tegen": 0, "onthouding": 0, "blank": 0, "invalid": 0}
    fields.update(numbers)
    return officing.enter_paper_count(proposal=sealed, location=home, actor=officer, **fields)


def _closed(sealed):
    return freeze_time(sealed.closes_at + timedelta(minutes=1))


def _keys_in(sealed):
    services.close_voting(actor=None, proposal=sealed, at=sealed.closes_at)
    shares = picked_up_shares(sealed)
    for trustee, share in shares[: sealed.poll_key.threshold]:
        services.enter_share(proposal=sealed, share=share, actor=trustee)


def test_paper_votes_count_in_turnout_quorum_and_the_explanation(
    sealed, home, team, voters, django_capture_on_commit_callbacks
):
    checker, counter, colleague = team
    for voter in voters[:3]:
        _paper(sealed, home, checker, voter)
    services.cast_vote(proposal=sealed, choice="voor", actor=voters[3])
    picked = picked_up_shares(sealed)
    with _closed(sealed):
        services.close_voting(actor=None, proposal=sealed)
        for trustee, share in picked[: sealed.poll_key.threshold]:
            services.enter_share(proposal=sealed, share=share, actor=trustee)
        # the keys are in, but the result waits for the location
        with pytest.raises(ValidationError) as waiting:
            services.tally_poll(proposal=sealed)
        assert waiting.value.code == "locations"
        count = _count(sealed, home, counter, envelopes=3, voor=2, tegen=1)
        with django_capture_on_commit_callbacks(execute=True):
            officing.confirm_paper_count(count=count, actor=colleague)
    sealed.refresh_from_db()
    assert sealed.status in Proposal.DECIDED
    decision = sealed.decision
    # 3 paper + 1 online: quorum 4 met, 3 of 4 for
    assert (decision.tally["voor"], decision.tally["tegen"]) == (3, 1)
    assert decision.result.turnout == 4 and decision.adopted
    assert decision.tally["paper"] == 3
    with translation.override("en"):
        assert "3 votes came by paper at a Community Home." in decision.explanation
    # the bulletin lists the paper count, and recounts to the decision
    data = selectors.bulletin(sealed)
    assert data["paper"] == [
        {
            "location": "Buurthuis Bijlmer",
            "check_ins": 3,
            "envelopes": 3,
            "voor": 2,
            "tegen": 1,
            "onthouding": 0,
            "blank": 0,
            "invalid": 0,
        }
    ]
    result = recount(data)
    assert result.matches_decision and result.codes_match_participations


def test_without_the_paper_votes_the_quorum_would_fail(sealed, home, team, voters, civil_servant):
    """Paper counts in the quorum: the same poll with the location recorded as without votes
    (so no paper) has a turnout of 1 and is rejected."""
    services.cast_vote(proposal=sealed, choice="voor", actor=voters[3])
    with _closed(sealed):
        _keys_in(sealed)
        officing.record_location_without_votes(
            proposal=sealed,
            location=home,
            reason="Buurthuis dicht door storing",
            actor=civil_servant,
        )
        decision = services.tally_poll(proposal=sealed)
    assert decision.result.turnout == 1 and not decision.adopted
    with translation.override("en"):
        assert decision.tally["paper"] == 0 and "paper" not in decision.explanation


def test_a_count_is_confirmed_by_a_second_officer_only(sealed, home, team, voters):
    checker, counter, colleague = team
    _paper(sealed, home, checker, voters[0])
    with _closed(sealed):
        count = _count(sealed, home, counter, envelopes=1, voor=1)
        with pytest.raises(ValidationError) as error:
            officing.confirm_paper_count(count=count, actor=counter)
        assert error.value.code == "four_eyes"
        with pytest.raises(ValidationError):
            officing.confirm_paper_count(count=count, actor=checker)  # not a counting shift
        assert not PaperCountSeal.objects.exists()
        officing.confirm_paper_count(count=count, actor=colleague)
        with pytest.raises(ValidationError):
            officing.confirm_paper_count(count=count, actor=colleague)
    assert PaperCountSeal.objects.count() == 1


def test_a_mismatching_count_cannot_be_sealed_without_an_explanation(sealed, home, team, voters):
    checker, counter, colleague = team
    for voter in voters[:2]:
        _paper(sealed, home, checker, voter)
    with _closed(sealed):
        count = _count(sealed, home, counter, envelopes=2, voor=1)  # one ballot missing
        with pytest.raises(ValidationError) as error:
            officing.confirm_paper_count(count=count, actor=colleague)
        assert error.value.code == "mismatch"
        assert "2" in error.value.messages[0]
        assert not PaperCountSeal.objects.exists()
        # a correction: a new entry with a reason and an explanation; the first stays
        with pytest.raises(ValidationError):
            _count(sealed, home, colleague, envelopes=2, voor=1)  # not without naming it
        fixed = officing.enter_paper_count(
            proposal=sealed,
            location=home,
            actor=colleague,
            envelopes=2,
            voor=1,
            tegen=0,
            onthouding=0,
            blank=0,
            invalid=0,
            explanation="Een envelop bleek leeg te zijn.",
            replaces=count,
            reason="Envelop leeg",
        )
        with pytest.raises(ValidationError):
            officing.confirm_paper_count(count=count, actor=colleague)  # corrected since
        officing.confirm_paper_count(count=fixed, actor=counter)
    assert PaperCount.objects.count() == 2
    assert PaperCountSeal.objects.get().count == fixed


def test_a_correction_needs_a_reason_and_counts_only_after_voting(sealed, home, team, voters):
    _checker, counter, _colleague = team
    with pytest.raises(ValidationError) as error:
        _count(sealed, home, counter)
    assert error.value.code == "status"
    with _closed(sealed):
        first = _count(sealed, home, counter)
        with pytest.raises(ValidationError) as error:
            officing.enter_paper_count(
                proposal=sealed,
                location=home,
                actor=counter,
                envelopes=0,
                voor=0,
                tegen=0,
                onthouding=0,
                blank=0,
                invalid=0,
                replaces=first,
                reason=" ",
            )
        assert "reason" in error.value.message_dict
        with pytest.raises(ValidationError):
            _count(sealed, home, counter, voor=-1)
    assert PaperCount.objects.count() == 1


def test_a_location_with_votes_cannot_be_recorded_as_without(
    sealed, home, team, voters, civil_servant
):
    checker, _counter, _colleague = team
    _paper(sealed, home, checker, voters[0])
    with _closed(sealed):
        with pytest.raises(ValidationError):
            officing.record_location_without_votes(
                proposal=sealed, location=home, reason="Dicht", actor=civil_servant
            )
        with pytest.raises(ValidationError):
            officing.record_location_without_votes(
                proposal=sealed, location=home, reason="Dicht", actor=voters[1]
            )
    assert not LocationWithoutVotes.objects.exists()


# --- The pages: counting, no votes, the public results ----------------------------------------

COUNT_ROLES = [
    "anonymous",
    "community_member",
    "youth_council",
    "advisory_member",
    "civil_servant",
    "administrator",
    "check_in_officer",
    "counting_officer",
]


@pytest.mark.parametrize("role", COUNT_ROLES)
def test_permission_matrix_of_the_counting_pages(client, sealed, home, team, user_for_role, role):
    checker, counter, _colleague = team
    user = {"check_in_officer": checker, "counting_officer": counter}.get(role) or (
        user_for_role(role)
    )
    count_url = f"/voorstellen/{sealed.pk}/stembureau/{home.slug}/telling/"
    none_url = f"/voorstellen/{sealed.pk}/locaties/{home.slug}/geen-stemmen/"
    numbers = {
        "action": "enter",
        "envelopes": 0,
        "voor": 0,
        "tegen": 0,
        "onthouding": 0,
        "blank": 0,
        "invalid": 0,
    }
    with _closed(sealed):
        if user is not None:
            client.force_login(user)
        count_page = client.get(count_url)
        client.post(count_url, numbers)
        none_page = client.get(none_url)
        client.post(none_url, {"reason": "Dicht"})
    assert (count_page.status_code == 200) == (role == "counting_officer")
    assert PaperCount.objects.count() == (1 if role == "counting_officer" else 0)
    assert (none_page.status_code == 200) == (role == "civil_servant")
    assert LocationWithoutVotes.objects.count() == (1 if role == "civil_servant" else 0)


def test_the_counting_page_enters_confirms_and_the_poll_page_shows_per_channel(
    client, sealed, home, team, voters, django_capture_on_commit_callbacks
):
    checker, counter, colleague = team
    _paper(sealed, home, checker, voters[0])
    _paper(sealed, home, checker, voters[1])
    services.cast_vote(proposal=sealed, choice="tegen", actor=voters[2])
    url = f"/voorstellen/{sealed.pk}/stembureau/{home.slug}/telling/"
    picked = picked_up_shares(sealed)
    with _closed(sealed):
        client.force_login(counter)
        bad = client.post(url, {"action": "enter", "envelopes": "twee"})
        assert bad.status_code == 400 and not PaperCount.objects.exists()
        fields = {"envelopes": 2, "voor": 1, "tegen": 0, "onthouding": 0, "blank": 1}
        assert client.post(url, {"action": "enter", **fields, "invalid": 0}).status_code == 302
        # the one who entered it cannot confirm
        assert client.post(url, {"action": "confirm"}).status_code == 400
        client.force_login(colleague)
        services.close_voting(actor=None, proposal=sealed)
        for trustee, share in picked[: sealed.poll_key.threshold]:
            services.enter_share(proposal=sealed, share=share, actor=trustee)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url, {"action": "confirm"}).status_code == 302
        client.logout()
        page = client.get(f"/voorstellen/{sealed.pk}/")
    sealed.refresh_from_db()
    assert sealed.is_decided
    html = page.content.decode()
    assert 'data-testid="channels"' in html and "Buurthuis Bijlmer" in html
    assert voters[0].first_name not in html  # never who voted
    assert sealed.decision.tally["paper"] == 1 and sealed.decision.tally["paper_blank"] == 1
