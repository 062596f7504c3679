"""Paper counts at Community Homes (issue 12): four eyes, the sealing rule, corrections, and
paper votes in the tally, its turnout and quorum; the result waits for every location."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from governance import officing, selectors, services
from governance.bulletin import recount
from governance.models import (
    CheckIn,
    Choice,
    LocationWithoutVotes,
    OfficerShift,
    PaperCount,
    PaperCountSeal,
    Proposal,
)
from tests.accounts.factories import UserFactory, verified_in_person
from tests.clock import at_closing
from tests.roles import ACCOUNT_ROLES

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


def _box(home):
    """The ballot box (batch) of the only check-in shift at `home`."""
    return OfficerShift.objects.get(location=home, task=OfficerShift.Task.CHECK_IN)


def _count(sealed, home, officer, shift=None, **numbers):
    fields = {"envelopes": 0, "voor": 0, "tegen": 0, "onthouding": 0, "blank": 0, "invalid": 0}
    fields.update(numbers)
    return officing.enter_paper_count(
        proposal=sealed, location=home, shift=shift or _box(home), actor=officer, **fields
    )


def _closed(sealed):
    return at_closing(sealed.closes_at + timedelta(minutes=1))


def _keys_in(sealed):
    with at_closing(sealed.closes_at, tick=True):
        services.close_voting(actor=None, proposal=sealed)
    shares = picked_up_shares(sealed)
    for trustee, share in shares[: sealed.poll_key.threshold]:
        services.enter_share(proposal=sealed, share=share, actor=trustee)


def test_paper_votes_count_in_turnout_quorum_and_the_explanation(
    sealed, home, team, voters, django_capture_on_commit_callbacks
):
    checker, counter, colleague = team
    for voter in voters[:3]:
        _paper(sealed, home, checker, voter)
    services.cast_vote(proposal=sealed, choice=Choice.FOR, actor=voters[3])
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
        assert decision.explanation.endswith(
            "At least 4 people had to vote. 3 votes came by paper at a Community Home."
        )
        assert ".." not in decision.explanation
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
    services.cast_vote(proposal=sealed, choice=Choice.FOR, actor=voters[3])
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
            shift=_box(home),
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


@pytest.mark.parametrize("numbers", [{"envelopes": 2, "voor": 2}, {"envelopes": 1, "voor": 2}])
def test_an_explanation_never_adds_votes_beyond_the_check_ins(sealed, home, team, voters, numbers):
    """An explanation covers a ballot taken home; one more than the people who came was
    counted with it (insider review: two officers added a vote, and the recount said equal)."""
    checker, counter, colleague = team
    _paper(sealed, home, checker, voters[0])
    with _closed(sealed):
        count = _count(sealed, home, counter, explanation="Extra envelop gevonden.", **numbers)
        with pytest.raises(ValidationError) as error:
            officing.confirm_paper_count(count=count, actor=colleague)
    assert error.value.code == "more_than_check_ins"
    assert "(1)" in error.value.messages[0]
    assert not PaperCountSeal.objects.exists()


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
                shift=_box(home),
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


# --- Batches: one ballot box per check-in shift; the location's total is their sum -------------


@pytest.fixture
def two_boxes(home, team):
    """A second check-in officer at `home`: two check-in shifts, so two ballot boxes."""
    checker, counter, colleague = team
    second = _officer(home, OfficerShift.Task.CHECK_IN)
    boxes = {s.officer_id: s for s in OfficerShift.objects.filter(task="checkin", location=home)}
    return checker, second, counter, colleague, boxes[checker.pk], boxes[second.pk]


def test_each_check_in_shift_is_counted_apart_and_the_location_adds_them_up(
    sealed, home, two_boxes, voters, django_capture_on_commit_callbacks
):
    checker, second, counter, colleague, box_a, box_b = two_boxes
    for voter in voters[:3]:
        _paper(sealed, home, checker, voter)
    _paper(sealed, home, second, voters[3])
    with _closed(sealed):
        _keys_in(sealed)
        # box A: three check-ins; a count of four envelopes does not match that shift
        wrong = _count(sealed, home, counter, box_a, envelopes=4, voor=4)
        with pytest.raises(ValidationError) as error:
            officing.confirm_paper_count(count=wrong, actor=colleague)
        assert error.value.code == "more_than_check_ins"
        assert "inchecks voor papier (3): enveloppen 4" in error.value.messages[0]
        fixed = officing.enter_paper_count(
            proposal=sealed,
            location=home,
            shift=box_a,
            actor=colleague,
            envelopes=3,
            voor=2,
            tegen=1,
            onthouding=0,
            blank=0,
            invalid=0,
            replaces=wrong,
            reason="Verkeerd geteld",
        )
        officing.confirm_paper_count(count=fixed, actor=counter)
        # box A is sealed, box B is not counted yet: the location and the result wait
        assert officing.locations_waiting(sealed) == [home]
        sealed.refresh_from_db()
        assert not sealed.is_decided
        # box B: its own count, its own four eyes; A's count cannot stand in for it
        with pytest.raises(ValidationError) as error:
            officing.enter_paper_count(
                proposal=sealed,
                location=home,
                shift=box_b,
                actor=counter,
                envelopes=1,
                voor=0,
                tegen=0,
                onthouding=1,
                blank=0,
                invalid=0,
                replaces=fixed,
                reason="Andere doos",
            )
        assert error.value.code == "stale"
        other = _count(sealed, home, counter, box_b, envelopes=1, onthouding=1)
        with pytest.raises(ValidationError) as error:
            officing.confirm_paper_count(count=other, actor=counter)
        assert error.value.code == "four_eyes"
        with django_capture_on_commit_callbacks(execute=True):
            officing.confirm_paper_count(count=other, actor=colleague)
    assert officing.locations_waiting(sealed) == []
    sealed.refresh_from_db()
    assert sealed.is_decided
    # the location's total is the sum of its two boxes, everywhere it is shown
    (total,) = officing.location_totals(sealed)
    assert (total.batches, total.check_ins, total.envelopes) == (2, 4, 4)
    assert (total.voor, total.tegen, total.onthouding) == (2, 1, 1)
    assert sealed.decision.tally["paper"] == 4
    assert (sealed.decision.tally["voor"], sealed.decision.tally["tegen"]) == (2, 1)
    (row,) = selectors.bulletin(sealed)["paper"]  # one row per location: its boxes summed
    assert (row["check_ins"], row["envelopes"], row["voor"], row["onthouding"]) == (4, 4, 2, 1)
    assert sealed.decision.tally["paper_locations"] == 1
    assert recount(selectors.bulletin(sealed)).matches_decision
    assert PaperCount.objects.count() == 3 and PaperCountSeal.objects.count() == 2


def test_a_count_names_a_check_in_shift_of_this_location_during_the_poll(
    sealed, home, team, voters, civil_servant
):
    checker, counter, _colleague = team
    _paper(sealed, home, checker, voters[0])
    elsewhere = officing.create_location(name="Buurthuis Noord", address="Noord 1", actor=None)
    stranger = _officer(elsewhere, OfficerShift.Task.CHECK_IN)
    foreign_box = OfficerShift.objects.get(officer=stranger)
    counting_shift = OfficerShift.objects.get(officer=counter)
    later = _officer(home, OfficerShift.Task.CHECK_IN, hours=(500, 501))  # after the poll
    with _closed(sealed):
        for shift in (foreign_box, counting_shift, OfficerShift.objects.get(officer=later), None):
            with pytest.raises(ValidationError) as error:
                _count(sealed, home, counter, shift or "1", envelopes=1, voor=1)
            assert "shift" in error.value.message_dict
    assert not PaperCount.objects.exists()


def test_an_empty_box_need_not_be_counted_but_an_entered_count_must_be_confirmed(
    sealed, home, two_boxes, voters
):
    checker, _second, counter, colleague, box_a, box_b = two_boxes
    _paper(sealed, home, checker, voters[0])
    with _closed(sealed):
        count = _count(sealed, home, counter, box_a, envelopes=1, voor=1)
        officing.confirm_paper_count(count=count, actor=colleague)
        assert officing.locations_waiting(sealed) == []  # box B had no check-ins
        stray = _count(sealed, home, counter, box_b, envelopes=1, invalid=1)
        assert officing.locations_waiting(sealed) == [home]  # now B waits for four eyes
        with pytest.raises(ValidationError) as error:
            officing.confirm_paper_count(count=stray, actor=colleague)
        assert error.value.code == "more_than_check_ins"  # 0 check-ins, 1 envelope
        # the numbers as a list, not "0 inchecks, 1 enveloppen"
        assert error.value.messages[0].startswith(
            "Er zijn meer enveloppen of stembiljetten dan inchecks voor papier (0): enveloppen 1, "
            "stembiljetten 1. Tel opnieuw."
        )


# --- The pages: counting, no votes, the public results ----------------------------------------

COUNT_ROLES = [*ACCOUNT_ROLES, "check_in_officer", "counting_officer"]


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
        client.post(count_url, {**numbers, "shift": _box(home).pk})
        none_page = client.get(none_url)
        client.post(none_url, {"reason": "Dicht"})
    assert (count_page.status_code == 200) == (role == "counting_officer")
    assert PaperCount.objects.count() == (1 if role == "counting_officer" else 0)
    assert (none_page.status_code == 200) == (role == "civil_servant")
    assert LocationWithoutVotes.objects.count() == (1 if role == "civil_servant" else 0)


def test_the_counting_page_lists_the_boxes_and_refuses_a_box_of_elsewhere(
    client, sealed, home, two_boxes, voters
):
    checker, second, counter, _colleague, box_a, box_b = two_boxes
    _paper(sealed, home, checker, voters[0])
    elsewhere = officing.create_location(name="Buurthuis Noord", address="Noord 1", actor=None)
    foreign = OfficerShift.objects.get(officer=_officer(elsewhere, OfficerShift.Task.CHECK_IN))
    url = f"/voorstellen/{sealed.pk}/stembureau/{home.slug}/telling/"
    numbers = {"envelopes": 1, "voor": 1, "tegen": 0, "onthouding": 0, "blank": 0, "invalid": 0}
    with _closed(sealed):
        client.force_login(counter)
        page = client.get(url)
        assert page.content.decode().count('data-testid="batch"') == 2
        for shift in (foreign.pk, "", "doos"):
            bad = client.post(url, {"action": "enter", "shift": shift, **numbers})
            assert bad.status_code == 400
        for count in ("", "x", "999999"):
            assert client.post(url, {"action": "confirm", "count": count}).status_code == 400
        assert not PaperCount.objects.exists() and not PaperCountSeal.objects.exists()
        assert (
            client.post(url, {"action": "enter", "shift": box_a.pk, **numbers}).status_code == 302
        )
        sheet = client.get(
            f"/voorstellen/{sealed.pk}/stembureau/{home.slug}/proces-verbaal.pdf?dienst={box_b.pk}"
        )
        assert sheet.status_code == 404  # box B has no count to sign
    assert PaperCount.objects.get().shift == box_a


def test_the_counting_page_enters_confirms_and_the_poll_page_shows_per_channel(
    client, sealed, home, team, voters, django_capture_on_commit_callbacks
):
    checker, counter, colleague = team
    _paper(sealed, home, checker, voters[0])
    _paper(sealed, home, checker, voters[1])
    services.cast_vote(proposal=sealed, choice=Choice.AGAINST, actor=voters[2])
    url = f"/voorstellen/{sealed.pk}/stembureau/{home.slug}/telling/"
    picked = picked_up_shares(sealed)
    with _closed(sealed):
        client.force_login(counter)
        bad = client.post(url, {"action": "enter", "envelopes": "twee"})
        assert bad.status_code == 400 and not PaperCount.objects.exists()
        fields = {"envelopes": 2, "voor": 1, "tegen": 0, "onthouding": 0, "blank": 1}
        box = _box(home).pk
        entered = client.post(url, {"action": "enter", "shift": box, **fields, "invalid": 0})
        assert entered.status_code == 302
        standing = PaperCount.objects.get()
        # the one who entered it cannot confirm
        assert client.post(url, {"action": "confirm", "count": standing.pk}).status_code == 400
        client.force_login(colleague)
        services.close_voting(actor=None, proposal=sealed)
        for trustee, share in picked[: sealed.poll_key.threshold]:
            services.enter_share(proposal=sealed, share=share, actor=trustee)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url, {"action": "confirm", "count": standing.pk}).status_code == 302
        client.logout()
        page = client.get(f"/voorstellen/{sealed.pk}/")
    sealed.refresh_from_db()
    assert sealed.is_decided
    html = page.content.decode()
    assert 'data-testid="channels"' in html and "Buurthuis Bijlmer" in html
    assert voters[0].first_name not in html  # never who voted
    assert sealed.decision.tally["paper"] == 1 and sealed.decision.tally["paper_blank"] == 1


def test_the_poll_page_invites_to_vote_at_a_location_only_while_voting_can_still_happen(
    client, sealed, home, voters
):
    # while the poll is open, the page says where else one can vote, and to bring an ID
    page = client.get(f"/voorstellen/{sealed.pk}/").content.decode()
    assert 'data-testid="vote-here"' in page and "Neem een identiteitsbewijs mee." in page
    assert 'data-testid="voted-here"' not in page
    # once voting closed, it says that people could vote there, not that they can
    with at_closing(sealed.closes_at, tick=True):
        services.close_voting(actor=None, proposal=sealed)
    page = client.get(f"/voorstellen/{sealed.pk}/").content.decode()
    assert "Neem een identiteitsbewijs mee." not in page and "Buurthuis Bijlmer" in page
    assert "Het stemmen is voorbij. Bewoners konden ook stemmen op deze locaties" in page
