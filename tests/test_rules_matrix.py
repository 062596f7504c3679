"""Every rule of our apps, asked for every role in every state and time window that matters
(issue 19), beside the view matrices of each app.

A row is `rule`, the state of its object (or the time the rule is asked at), and the roles
allowed there. The expected roles come from the issue and the docs (civil servants prepare and
count, never vote; an administrator only reads; residents act for themselves with the
verification the requirements table asks) and from the view matrices, not from the rules: a
changed rule fails here. Where a rule depends on time, the row asks it on both sides of the
edge (the last second of a window and its closing time). Officers and trustees are made here:
an officer is verified in person and holds a shift at the Community Home of the row, a trustee
holds a community seat on a board, so a share of every poll's key.

A rule with no row fails `test_every_rule_has_a_row`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module

import pytest
import rules
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from freezegun import freeze_time

from budgeting import services as budgeting
from budgeting.models import Round
from budgeting.rules import RoundStation
from governance import officing
from governance import services as governance
from governance.models import Location, OfficerShift, Proposal
from intake import services as intake_services
from tests.accounts.factories import UserFactory, verified_in_person
from tests.budgeting.factories import resident_of, round_in
from tests.governance.factories import (
    DecisionRuleFactory,
    adopted,
    board,
    count_poll,
    draft,
    in_discussion,
    poll,
    voting,
)
from tests.intake.factories import IntakeFactory, confirmed_intake
from tests.roles import ROLES

pytestmark = pytest.mark.django_db

OUR_APPS = (
    "accounts",
    "notifications",
    "initiatives",
    "intake",
    "sroi",
    "governance",
    "budgeting",
    "reports",
    "config",
)

ANONYMOUS, MEMBER, YOUTH, ADVISORY = (
    "anonymous",
    "community_member",
    "youth_council",
    "advisory_member",
)
OFFICER, TRUSTEE, CIVIL_SERVANT, ADMINISTRATOR = (
    "officer",
    "trustee",
    "civil_servant",
    "administrator",
)

EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {ANONYMOUS}
STAFF = frozenset({CIVIL_SERVANT, ADMINISTRATOR})
CS = frozenset({CIVIL_SERVANT})
# Signed in with a personal account: whatever needs only an account, never a staff account.
RESIDENTS = SIGNED_IN - STAFF
# Verified by a civil servant in person (the member and the young member in the area of the
# row, the officer and the trustee each in an area of their own); the advisory member is not.
VERIFIED_IN_PERSON = frozenset({MEMBER, YOUTH, OFFICER, TRUSTEE})
OF_THE_AREA = frozenset({MEMBER, YOUTH})
NOBODY = frozenset()
COUNTS = OfficerShift.Task.COUNTING


@dataclass
class World:
    """The people of a row and the places they act in."""

    area: object
    users: dict
    _home: object = None

    @property
    def civil_servant(self):
        return self.users[CIVIL_SERVANT]

    @property
    def home(self):
        if self._home is None:
            self._home = officing.create_location(
                name="Buurthuis De Kraal", address="Kraaldreef 1", actor=self.civil_servant
            )
        return self._home

    def shift(self, person, task: str = OfficerShift.Task.CHECK_IN, around=None) -> None:
        """`person` on a shift of three hours at the Community Home, started an hour before
        `around` (now)."""
        now = around or timezone.now()
        officing.add_shift(
            officer=person,
            location=self.home,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=2),
            task=task,
            appointed_by="Besluit bestuur BK-2026-0001",
            actor=None,
        )


@dataclass(frozen=True)
class Case:
    """The object a rule is asked about, and the moment it is asked (None: now)."""

    obj: object = None
    at: datetime | None = None


Build = Callable[[World], Case]


def nothing(w: World) -> Case:
    return Case()


# --- Proposals ----------------------------------------------------------------------------


def a_draft(w):
    return Case(draft())


def under_discussion(w):
    return Case(in_discussion())


def _board_vote(w):
    """A board proposal whose board has the community member on it: its only voter of ours."""
    return voting(body=board(members=[w.users[MEMBER]])[0])


def board_voting(w):
    return Case(_board_vote(w))


def board_voting_last_second(w):
    proposal = _board_vote(w)
    return Case(proposal, at=proposal.closes_at - timedelta(seconds=1))


def board_voting_at_closing_time(w):
    proposal = _board_vote(w)
    return Case(proposal, at=proposal.closes_at)


def board_adopted(w):
    return Case(adopted(_board_vote(w)))


def withdrawn(w):
    proposal = governance.withdraw_proposal(
        proposal=in_discussion(), reason="Niet meer nodig.", actor=w.civil_servant
    )
    return Case(proposal)


def _poll(w):
    return poll(areas=[w.area])


def poll_in_discussion(w):
    return Case(
        in_discussion(
            method=Proposal.Method.POLL,
            areas=[w.area],
            decision_rule=DecisionRuleFactory(quorum="none", community_guarantee=False),
        )
    )


def poll_voting(w):
    return Case(_poll(w))


def poll_voting_last_second(w):
    proposal = _poll(w)
    return Case(proposal, at=proposal.closes_at - timedelta(seconds=1))


def poll_voting_at_closing_time(w):
    proposal = _poll(w)
    return Case(proposal, at=proposal.closes_at)


def _closed(proposal):
    """Voting closed a minute after its closing time: a poll is being counted."""
    at = proposal.closes_at + timedelta(minutes=1)
    with freeze_time(at):
        governance.close_voting(proposal=proposal, actor=None)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.COUNTING
    return proposal, at


def poll_counting(w):
    return Case(*_closed(_poll(w)))


def poll_counted(w):
    proposal = _poll(w)
    count_poll(proposal)
    proposal.refresh_from_db()
    assert proposal.is_decided
    return Case(proposal)


# --- Community Homes: a poll at a location (`officing.Station`) -------------------------------


def station(
    *,
    offered=True,
    officer_task=OfficerShift.Task.CHECK_IN,
    when="open",
    cs_on_duty=False,
    closed=False,
):
    """A poll at the Community Home; the officer on a shift there with `officer_task`; asked
    while voting is open, at its closing time ("due", not closed yet) or while it is counted.
    `closed`: the Home closed with SQL (its service refuses while a poll offered there runs)."""

    def build(w):
        proposal = _poll(w)
        if offered:
            officing.offer_poll_at(proposal=proposal, location=w.home, actor=w.civil_servant)
        w.shift(w.users[OFFICER], officer_task)
        if cs_on_duty:
            w.shift(w.civil_servant)
        at = None
        if when == "due":
            at = proposal.closes_at
        elif when == "counting":
            proposal, at = _closed(proposal)
        if closed:
            Location.objects.filter(pk=w.home.pk).update(
                closed_at=timezone.now(), closed_reason="Verbouwing"
            )
            w.home.refresh_from_db()
        return Case(officing.Station(proposal=proposal, location=w.home), at=at)

    return build


# --- Budget rounds ------------------------------------------------------------------------


def a_round(status, *, at=None):
    """A round in `status`; its voting window opened an hour ago and closes in a day. `at`:
    "before" (a second before the window opens), "last" (its last second), "closing"."""

    def build(w):
        author = resident_of(w.area, w.civil_servant, "auteur")
        round = round_in(status, area=w.area, civil_servant=w.civil_servant, author=author)
        moment = {
            None: None,
            "before": round.voting_opens_at - timedelta(seconds=1),
            "last": round.voting_closes_at - timedelta(seconds=1),
            "closing": round.voting_closes_at,
        }[at]
        return Case(round, at=moment)

    return build


def round_station(status, *, at=None, closed=False):
    """A round at the Community Home, the officer on a check-in shift there; `closed`: the Home
    closed by a civil servant (`officing.close_location`) after the shift was planned."""

    def build(w):
        case = a_round(status, at=at)(w)
        w.shift(w.users[OFFICER], around=case.at)  # on duty at the moment asked
        if closed:
            officing.close_location(location=w.home, reason="Verbouwing", actor=w.civil_servant)
            w.home.refresh_from_db()
        return Case(RoundStation(round=case.obj, location=w.home), at=case.at)

    return build


def a_round_after_voting(status):
    """A round whose voting closed with three ballots for plans 1-3, its outcome computed
    (`COMPUTED`), or then put to the community board (`ADOPTION`), through the services."""

    def build(w):
        case = a_round(Round.Status.VOTING)(w)
        round, plans = case.obj, {p.number: p for p in case.obj.plans.all()}
        for i in range(3):
            voter = resident_of(w.area, w.civil_servant, f"kiezer{i}")
            budgeting.cast_ballot(actor=voter, round=round, plans=[plans[n] for n in (1, 2, 3)])
        with freeze_time(round.voting_closes_at + timedelta(hours=1)):
            round = budgeting.compute_outcome(actor=w.civil_servant, round=round)
        if status == Round.Status.ADOPTION:
            body, _voters = board(community=3, institution=2)
            round = budgeting.submit_to_board(actor=w.civil_servant, round=round, body=body)
        return Case(round)

    return build


# --- Intakes ------------------------------------------------------------------------------


def intake_draft(w):
    return Case(IntakeFactory())


def intake_confirmed(w):
    return Case(confirmed_intake())


def intake_published(w):
    return Case(confirmed_intake(published=True))


def _link(w):
    link, _token = intake_services.create_initiator_link(
        intake=IntakeFactory(), actor=w.civil_servant
    )
    return link


def link_usable(w):
    return Case(_link(w))


def link_last_second(w):
    link = _link(w)
    return Case(link, at=link.expires_at - timedelta(seconds=1))


def link_expired(w):
    link = _link(w)
    return Case(link, at=link.expires_at)


def link_withdrawn(w):
    link = _link(w)
    intake_services.create_initiator_link(intake=link.intake, actor=w.civil_servant)
    link.refresh_from_db()
    assert link.revoked_at is not None
    return Case(link)


# --- The matrix -----------------------------------------------------------------------------

ANY = "any object"

MATRIX: dict[str, list[tuple[str, Build, frozenset]]] = {
    # accounts
    "accounts.list_members": [(ANY, nothing, STAFF)],
    # who becomes a voter: a civil servant, never an administrator (security review S2)
    "accounts.verify_member": [(ANY, nothing, CS)],
    "accounts.issue_verification_codes": [(ANY, nothing, CS)],
    "accounts.review_code_batches": [(ANY, nothing, STAFF)],
    # four eyes: the other civil servant approves; an administrator never does
    "accounts.approve_code_batch": [(ANY, nothing, CS)],
    "accounts.redeem_verification_code": [(ANY, nothing, RESIDENTS)],
    "accounts.edit_roles": [(ANY, nothing, frozenset({ADMINISTRATOR}))],
    # the resident themselves; the DigiD page checks the DigiD session
    "accounts.verify_with_digid": [(ANY, nothing, SIGNED_IN)],
    # notifications
    "notifications.see_own": [(ANY, nothing, SIGNED_IN)],
    "notifications.edit_own_preferences": [(ANY, nothing, SIGNED_IN)],
    "notifications.see_letters": [(ANY, nothing, CS)],
    # initiatives
    "initiatives.see_register": [(ANY, nothing, EVERYONE)],
    "initiatives.manage_initiatives": [(ANY, nothing, STAFF)],
    "initiatives.see_personal_data": [(ANY, nothing, STAFF)],
    "initiatives.export_all_fields": [(ANY, nothing, STAFF)],
    "initiatives.import_initiatives": [(ANY, nothing, STAFF)],
    "initiatives.manage_areas": [(ANY, nothing, STAFF)],
    # intake
    "intake.see_overview": [(ANY, nothing, STAFF)],
    "intake.start_intake": [(ANY, nothing, STAFF)],
    "intake.review_intake": [("draft", intake_draft, STAFF)],
    "intake.manage_questionnaire": [(ANY, nothing, STAFF)],
    "intake.fill_intake": [("draft", intake_draft, STAFF), ("confirmed", intake_confirmed, NOBODY)],
    "intake.invite_initiator": [
        ("draft", intake_draft, STAFF),
        ("confirmed", intake_confirmed, NOBODY),
    ],
    "intake.confirm_intake": [
        ("draft", intake_draft, STAFF),
        ("confirmed", intake_confirmed, NOBODY),
    ],
    "intake.publish_profile": [
        ("draft", intake_draft, NOBODY),
        ("confirmed", intake_confirmed, STAFF),
    ],
    "intake.see_profile": [
        ("draft", intake_draft, NOBODY),
        ("confirmed, not published", intake_confirmed, NOBODY),
        ("published", intake_published, EVERYONE),
    ],
    # the token is the credential, for whoever holds it
    "intake.fill_by_link": [
        ("usable", link_usable, EVERYONE),
        ("last second before expiry", link_last_second, EVERYONE),
        ("at expiry", link_expired, NOBODY),
        ("withdrawn by a new link", link_withdrawn, NOBODY),
    ],
    # sroi
    "sroi.see_fund_overview": [(ANY, nothing, EVERYONE)],
    "sroi.see_contracts": [(ANY, nothing, EVERYONE)],
    "sroi.manage_contracts": [(ANY, nothing, STAFF)],
    "sroi.see_contract_details": [(ANY, nothing, STAFF)],
    "sroi.claim_realisation": [(ANY, nothing, STAFF)],
    "sroi.verify_realisation": [(ANY, nothing, STAFF)],
    "sroi.see_evidence": [(ANY, nothing, STAFF)],
    "sroi.record_money": [(ANY, nothing, STAFF)],
    "sroi.reverse_transaction": [(ANY, nothing, STAFF)],
    # whether a year may be closed yet is the service's check (its state), not the rule's
    "sroi.close_year": [(ANY, nothing, CS)],
    # reports
    "reports.see_published": [(ANY, nothing, EVERYONE)],
    "reports.request_report": [(ANY, nothing, STAFF)],
    "reports.see_report_status": [(ANY, nothing, STAFF)],
    "reports.preview_report": [(ANY, nothing, STAFF)],
    "reports.record_outcome": [(ANY, nothing, STAFF)],
    # config
    "config.see_todo": [(ANY, nothing, CS)],
    "config.see_own_shifts": [(ANY, nothing, SIGNED_IN)],
    # governance: proposals
    "governance.see_proposals": [(ANY, nothing, EVERYONE)],
    "governance.see_proposal": [
        ("draft", a_draft, STAFF),
        ("under discussion", under_discussion, EVERYONE),
        ("withdrawn", withdrawn, EVERYONE),
    ],
    "governance.see_drafts": [(ANY, nothing, STAFF)],
    "governance.prepare_proposal": [(ANY, nothing, CS)],
    "governance.edit_proposal": [
        ("draft", a_draft, CS),
        ("under discussion", under_discussion, CS),
        ("voting", board_voting, NOBODY),
    ],
    "governance.start_discussion": [
        ("draft", a_draft, CS),
        ("under discussion", under_discussion, NOBODY),
    ],
    "governance.open_voting": [
        ("draft", a_draft, NOBODY),
        ("under discussion", under_discussion, CS),
        ("voting", board_voting, NOBODY),
    ],
    "governance.withdraw_proposal": [
        ("draft", a_draft, CS),
        ("voting", board_voting, CS),
        ("adopted", board_adopted, NOBODY),
        ("withdrawn", withdrawn, NOBODY),
    ],
    "governance.execute_decision": [
        ("voting", board_voting, NOBODY),
        ("adopted", board_adopted, CS),
    ],
    # the roll frozen when voting opened: the board's seat (the member), the poll's area
    "governance.vote_proposal": [
        ("board, under discussion", under_discussion, NOBODY),
        ("board, voting", board_voting, frozenset({MEMBER})),
        ("board, last second of voting", board_voting_last_second, frozenset({MEMBER})),
        ("board, at closing time", board_voting_at_closing_time, NOBODY),
        ("poll, voting", poll_voting, OF_THE_AREA),
        ("poll, last second of voting", poll_voting_last_second, OF_THE_AREA),
        ("poll, at closing time", poll_voting_at_closing_time, NOBODY),
        ("poll, being counted", poll_counting, NOBODY),
    ],
    "governance.close_voting": [
        ("last second of voting", board_voting_last_second, NOBODY),
        ("at closing time", board_voting_at_closing_time, CS),
        ("adopted", board_adopted, NOBODY),
    ],
    "governance.comment_proposal": [
        ("draft", a_draft, NOBODY),
        ("under discussion", under_discussion, RESIDENTS),
        ("last second of voting", board_voting_last_second, RESIDENTS),
        ("at closing time", board_voting_at_closing_time, NOBODY),
        ("adopted", board_adopted, NOBODY),
    ],
    "governance.advise_proposal": [
        ("draft", a_draft, NOBODY),
        ("under discussion", under_discussion, frozenset({ADVISORY, YOUTH})),
        ("last second of voting", board_voting_last_second, frozenset({ADVISORY, YOUTH})),
        ("at closing time", board_voting_at_closing_time, NOBODY),
    ],
    # governance: sealed polls
    "governance.pick_up_share": [
        ("board, voting", board_voting, NOBODY),
        ("poll, voting", poll_voting, frozenset({TRUSTEE})),
        ("poll, being counted", poll_counting, frozenset({TRUSTEE})),
        ("poll, counted", poll_counted, NOBODY),
    ],
    "governance.enter_share": [
        ("poll, voting", poll_voting, NOBODY),
        ("poll, being counted", poll_counting, frozenset({TRUSTEE})),
        ("poll, counted", poll_counted, NOBODY),
    ],
    # the "who" part the services ask (common.services); the state is the service's own refusal
    "governance.act_as_trustee": [
        ("poll, voting", poll_voting, frozenset({TRUSTEE})),
        ("poll, counted", poll_counted, frozenset({TRUSTEE})),
        ("board, voting", board_voting, NOBODY),  # a board vote has no key to share
    ],
    "governance.write_comment": [
        ("draft", a_draft, RESIDENTS),
        ("under discussion", under_discussion, RESIDENTS),
        ("adopted", board_adopted, RESIDENTS),
    ],
    "governance.give_advice": [
        ("draft", a_draft, frozenset({ADVISORY, YOUTH})),
        ("under discussion", under_discussion, frozenset({ADVISORY, YOUTH})),
        ("at closing time", board_voting_at_closing_time, frozenset({ADVISORY, YOUTH})),
    ],
    "governance.see_bulletin": [
        ("poll, voting", poll_voting, NOBODY),
        ("poll, being counted", poll_counting, NOBODY),
        ("poll, counted", poll_counted, EVERYONE),
        ("board, adopted", board_adopted, NOBODY),
    ],
    # before the count the bulletin's address says when the list comes, to everyone
    "governance.await_bulletin": [
        ("poll, under discussion", poll_in_discussion, NOBODY),
        ("poll, voting", poll_voting, EVERYONE),
        ("poll, being counted", poll_counting, EVERYONE),
        ("poll, counted", poll_counted, NOBODY),
        ("board, voting", board_voting, NOBODY),
    ],
    "governance.print_poll_cards": [
        ("poll, under discussion", poll_in_discussion, NOBODY),
        ("poll, voting", poll_voting, CS),
        ("poll, being counted", poll_counting, CS),
        ("poll, counted", poll_counted, NOBODY),
        ("board, voting", board_voting, NOBODY),
    ],
    # governance: who sits and who staffs (the verification of issue 15)
    "governance.sit_board_seat": [(ANY, nothing, VERIFIED_IN_PERSON)],
    "governance.act_as_officer": [(ANY, nothing, STAFF | VERIFIED_IN_PERSON)],
    "governance.see_body_list": [(ANY, nothing, EVERYONE)],
    "governance.see_bodies": [(ANY, nothing, STAFF)],
    "governance.manage_bodies": [(ANY, nothing, CS)],
    "governance.manage_locations": [(ANY, nothing, CS)],
    # governance: Community Homes (a station is a poll at a location)
    "governance.check_in": [
        ("offered, voting", station(), frozenset({OFFICER})),
        ("offered, at closing time", station(when="due"), NOBODY),
        ("not offered, voting", station(offered=False), NOBODY),
        ("offered, voting, the Home closed", station(closed=True), NOBODY),
        ("offered, voting, officer counts", station(officer_task=COUNTS), NOBODY),
    ],
    "governance.count_paper": [
        ("offered, voting", station(officer_task=COUNTS), NOBODY),
        (
            "offered, at closing time",
            station(officer_task=COUNTS, when="due"),
            frozenset({OFFICER}),
        ),
        (
            "offered, being counted",
            station(officer_task=COUNTS, when="counting"),
            frozenset({OFFICER}),
        ),
        (
            "not offered, being counted",
            station(offered=False, officer_task=COUNTS, when="counting"),
            NOBODY,
        ),
        ("offered, being counted, officer checks in", station(when="counting"), NOBODY),
    ],
    "governance.print_results_sheet": [
        ("offered, voting", station(officer_task=COUNTS), NOBODY),
        (
            "offered, being counted",
            station(officer_task=COUNTS, when="counting"),
            frozenset({OFFICER}),
        ),
        ("offered, being counted, officer checks in", station(when="counting"), NOBODY),
    ],
    "governance.record_no_votes": [
        ("offered, voting", station(), NOBODY),
        ("offered, at closing time", station(when="due"), CS),
        ("offered, being counted", station(when="counting"), CS),
        ("not offered, being counted", station(offered=False, when="counting"), NOBODY),
    ],
    "governance.print_ballot_papers": [
        ("offered, officer checks in", station(), frozenset({CIVIL_SERVANT, OFFICER})),
        ("offered, officer counts", station(officer_task=COUNTS), CS),
        ("not offered", station(offered=False), NOBODY),
    ],
    # only a civil servant, and only on a shift at this location
    "governance.verify_at_table": [
        ("offered, civil servant on a shift here", station(cs_on_duty=True), CS),
        ("offered, only the officer on a shift here", station(), NOBODY),
        (
            "not offered, civil servant on a shift here",
            station(offered=False, cs_on_duty=True),
            NOBODY,
        ),
        ("offered, the Home closed", station(cs_on_duty=True, closed=True), NOBODY),
    ],
    # budgeting
    "budgeting.see_round": [
        ("draft", a_round(Round.Status.DRAFT), CS),
        ("collecting plans", a_round(Round.Status.IDEAS), EVERYONE),
        ("voting", a_round(Round.Status.VOTING), EVERYONE),
    ],
    "budgeting.manage_round": [(ANY, nothing, CS), ("draft", a_round(Round.Status.DRAFT), CS)],
    # each step of a round's life: a civil servant, in the one state the step starts from
    "budgeting.open_ideas": [
        ("draft", a_round(Round.Status.DRAFT), CS),
        ("collecting plans", a_round(Round.Status.IDEAS), NOBODY),
    ],
    "budgeting.start_review": [
        ("draft", a_round(Round.Status.DRAFT), NOBODY),
        ("collecting plans", a_round(Round.Status.IDEAS), CS),
        ("plans are reviewed", a_round(Round.Status.REVIEW), NOBODY),
    ],
    "budgeting.freeze_round": [
        ("collecting plans", a_round(Round.Status.IDEAS), NOBODY),
        ("plans are reviewed", a_round(Round.Status.REVIEW), CS),
        ("frozen", a_round(Round.Status.FROZEN), NOBODY),
    ],
    "budgeting.open_voting": [
        ("plans are reviewed", a_round(Round.Status.REVIEW), NOBODY),
        ("frozen", a_round(Round.Status.FROZEN), CS),
        ("voting", a_round(Round.Status.VOTING), NOBODY),
    ],
    "budgeting.compute_outcome": [
        ("frozen", a_round(Round.Status.FROZEN), NOBODY),
        ("voting, last second", a_round(Round.Status.VOTING, at="last"), NOBODY),
        ("voting, at closing time", a_round(Round.Status.VOTING, at="closing"), CS),
        ("computed", a_round_after_voting(Round.Status.COMPUTED), NOBODY),
    ],
    "budgeting.submit_to_board": [
        ("voting, at closing time", a_round(Round.Status.VOTING, at="closing"), NOBODY),
        ("computed", a_round_after_voting(Round.Status.COMPUTED), CS),
        ("with the board", a_round_after_voting(Round.Status.ADOPTION), NOBODY),
    ],
    "budgeting.settle_round": [
        ("computed", a_round_after_voting(Round.Status.COMPUTED), NOBODY),
        ("with the board", a_round_after_voting(Round.Status.ADOPTION), CS),
    ],
    # while the round collects or reviews plans, not once it is frozen
    "budgeting.review_plan": [
        ("draft", a_round(Round.Status.DRAFT), NOBODY),
        ("collecting plans", a_round(Round.Status.IDEAS), CS),
        ("plans are reviewed", a_round(Round.Status.REVIEW), CS),
        ("frozen", a_round(Round.Status.FROZEN), NOBODY),
    ],
    "budgeting.submit_plan": [
        ("draft", a_round(Round.Status.DRAFT), NOBODY),
        ("collecting plans", a_round(Round.Status.IDEAS), OF_THE_AREA),
        ("plans are reviewed", a_round(Round.Status.REVIEW), NOBODY),
    ],
    "budgeting.vote": [
        ("collecting plans", a_round(Round.Status.IDEAS), NOBODY),
        ("frozen", a_round(Round.Status.FROZEN), NOBODY),
        ("voting, a second before it opens", a_round(Round.Status.VOTING, at="before"), NOBODY),
        ("voting", a_round(Round.Status.VOTING), OF_THE_AREA),
        ("voting, last second", a_round(Round.Status.VOTING, at="last"), OF_THE_AREA),
        ("voting, at closing time", a_round(Round.Status.VOTING, at="closing"), NOBODY),
    ],
    # asked at the Community Home's table: verified and living in the area, any time
    "budgeting.vote_some_time": [
        ("collecting plans", a_round(Round.Status.IDEAS), OF_THE_AREA),
        ("voting, at closing time", a_round(Round.Status.VOTING, at="closing"), OF_THE_AREA),
    ],
    "budgeting.enter_paper_ballot": [
        ("frozen", round_station(Round.Status.FROZEN), NOBODY),
        ("voting", round_station(Round.Status.VOTING), frozenset({OFFICER})),
        (
            "voting, last second",
            round_station(Round.Status.VOTING, at="last"),
            frozenset({OFFICER}),
        ),
        ("voting, at closing time", round_station(Round.Status.VOTING, at="closing"), NOBODY),
        ("voting, the Home closed", round_station(Round.Status.VOTING, closed=True), NOBODY),
    ],
    "budgeting.print_paper_ballot": [
        ("plans are reviewed", round_station(Round.Status.REVIEW), NOBODY),
        ("frozen", round_station(Round.Status.FROZEN), frozenset({CIVIL_SERVANT, OFFICER})),
        ("voting", round_station(Round.Status.VOTING), frozenset({CIVIL_SERVANT, OFFICER})),
        ("voting, the Home closed", round_station(Round.Status.VOTING, closed=True), NOBODY),
    ],
}

ROWS = [
    pytest.param(rule, build, frozenset(allowed), id=f"{rule}: {state}")
    for rule, cases in MATRIX.items()
    for state, build, allowed in cases
]


def our_rules() -> set[str]:
    import_module(settings.ROOT_URLCONF)  # the views' modules register the rules of config
    return {name for name in rules.permissions.permissions if name.split(".", 1)[0] in OUR_APPS}


def test_every_rule_has_a_row():
    assert sorted(our_rules() - MATRIX.keys()) == []
    assert sorted(MATRIX.keys() - our_rules()) == []


def test_every_row_names_known_roles():
    for cases in MATRIX.values():
        for _state, _build, allowed in cases:
            assert set(allowed) <= EVERYONE


@pytest.fixture
def world(area, user_for_role):
    users = {
        role: user_for_role(role) or AnonymousUser()
        for role in ROLES
        if role not in {OFFICER, TRUSTEE}
    }
    users[OFFICER] = verified_in_person(UserFactory(username="officier"))
    users[TRUSTEE] = verified_in_person(UserFactory(username="trustee"))
    # a community seat on a board: the trustee holds a share of every poll opened from now
    board(community=2, institution=0, members=[users[TRUSTEE]])
    return World(area=area, users=users)


@pytest.mark.parametrize(("rule", "build", "allowed"), ROWS)
def test_rule_matrix(world, rule, build, allowed):
    # given the object in its state
    case = build(world)

    # when every role asks the rule (at the row's moment)
    def ask():
        return {role for role in ROLES if world.users[role].has_perm(rule, case.obj)}

    if case.at is None:
        got = ask()
    else:
        with freeze_time(case.at):
            got = ask()

    # then exactly the row's roles may
    assert sorted(got) == sorted(allowed)
