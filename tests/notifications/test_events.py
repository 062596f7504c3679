"""Every state change of proposals, polls, allocations, intakes and code batches emits exactly
one event in its own transaction; a rolled-back change emits none (issue 15)."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from freezegun import freeze_time

from accounts import services as accounts_services
from accounts.models import Role
from governance import notify as governance_notify
from governance import services as governance
from governance.models import Choice, ElectorateEntry, Proposal
from intake import services as intake_services
from intake.models import Intake
from notifications import messages
from notifications.models import Channel, Event, Kind, Notification, Preference
from sroi import services as sroi_services
from sroi.models import TargetGroup
from tests.accounts.factories import UserFactory
from tests.clock import at_closing
from tests.governance.factories import (
    board,
    draft,
    in_discussion,
    picked_up_shares,
    poll,
    voting,
)
from tests.intake.factories import IntakeFactory
from tests.sroi.factories import ContractFactory, allocate, block, funded
from tests.sroi.factories import InitiativeFactory as SroiInitiativeFactory

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def authored(proposal, author):
    """The factories make proposals as the system; give this one an author."""
    Proposal.objects.filter(pk=proposal.pk).update(created_by=author)
    proposal.created_by = author
    return proposal


# --- The transitions: each returns (the change to make, the kind it emits, who must get it) -----


def _start_discussion(ctx):
    proposal = authored(draft(), ctx["author"])
    return lambda: governance.start_discussion(proposal=proposal, actor=ctx["servant"]), {
        ctx["author"]
    }


def _open_voting(ctx):
    body, voters = board(community=2, institution=1)
    proposal = authored(in_discussion(body=body), ctx["author"])
    closes = timezone.now() + datetime.timedelta(days=3)
    return (
        lambda: governance.open_voting(proposal=proposal, closes_at=closes, actor=ctx["servant"]),
        set(voters["community"] + voters["institution"]),
    )


def _close_at_closing_time(proposal):
    with at_closing(proposal.closes_at, tick=True):
        return governance.close_voting(actor=None, proposal=proposal)


def _close_board_vote(ctx):
    body, voters = board(community=2, institution=1)
    proposal = authored(voting(body=body), ctx["author"])
    governance.cast_vote(proposal=proposal, choice=Choice.FOR, actor=voters["community"][0])
    return (
        lambda: _close_at_closing_time(proposal),
        set(voters["community"] + voters["institution"]) | {ctx["author"]},
    )


def _tally_poll(ctx):
    proposal = authored(poll(areas=[ctx["area"]]), ctx["author"])
    members = {entry.user for entry in ElectorateEntry.objects.filter(proposal=proposal)}
    with at_closing(proposal.closes_at, tick=True):
        governance.close_voting(actor=None, proposal=proposal)
    for trustee, share in picked_up_shares(proposal)[: proposal.poll_key.threshold]:
        governance.enter_share(proposal=proposal, share=share, actor=trustee)
    return lambda: governance.tally_poll(proposal=proposal), members | {ctx["author"]}


def _comment(ctx):
    proposal = authored(in_discussion(), ctx["author"])
    member = ctx["member"]
    return lambda: governance.post_comment(proposal=proposal, text="Goed plan", actor=member), {
        ctx["author"]
    }


def _advice(ctx):
    proposal = authored(in_discussion(), ctx["author"])
    adviser = UserFactory(roles=[Role.ADVISORY_MEMBER])
    return lambda: governance.post_advice(proposal=proposal, text="Advies", actor=adviser), {
        ctx["author"]
    }


def _participation(ctx):
    proposal = poll(areas=[ctx["area"]])
    member = ctx["member"]
    return lambda: governance.cast_vote(proposal=proposal, choice=Choice.FOR, actor=member), {
        member
    }


def _disburse(ctx):
    fund = funded("1000.00")
    allocation = allocate(
        fund=fund, initiative=SroiInitiativeFactory(), amount=Decimal("400"), purpose="Keuken"
    )
    authored(allocation.governance_decision.proposal, ctx["author"])
    return (
        lambda: sroi_services.disburse(
            allocation=allocation,
            amount=Decimal("100"),
            date=timezone.localdate(),
            actor=ctx["servant"],
        ),
        {ctx["author"]},  # the initiative has no account: who proposed it
    )


def _claim(ctx):
    contract = ContractFactory()
    other = UserFactory(roles=[Role.CIVIL_SERVANT])
    return (
        lambda: sroi_services.claim_realisation(
            contract=contract,
            block=block("ww"),
            target_group=TargetGroup.UNEMPLOYMENT,
            person_reference="P-1",
            start_date=datetime.date(2025, 2, 1),
            months=Decimal("6"),
            hours_per_week=Decimal("36"),
            actor=ctx["servant"],
        ),
        {other},  # not the claimant
    )


def _code_batch(ctx):
    other = UserFactory(roles=[Role.CIVIL_SERVANT])
    return (
        lambda: accounts_services.request_code_batch(
            area=ctx["area"], count=50, actor=ctx["servant"]
        ),
        {other},
    )


def _intake_link(ctx):
    intake = IntakeFactory(method=Intake.Method.LINK)
    return (
        lambda: intake_services.create_initiator_link(
            intake=intake, actor=ctx["servant"], email="initiatiefnemer@example.org"
        ),
        set(),  # an address, not an account
    )


def _intake_submitted(ctx):
    intake = IntakeFactory(method=Intake.Method.LINK)
    link, _token = intake_services.create_initiator_link(intake=intake, actor=ctx["servant"])
    return lambda: intake_services.submit_by_link(link=link, answers={}), {ctx["servant"]}


def _withdraw(ctx):
    body, voters = board(community=2, institution=1)
    proposal = authored(voting(body=body), ctx["author"])
    return (
        lambda: governance.withdraw_proposal(
            proposal=proposal, reason="Dubbel ingediend", actor=ctx["servant"]
        ),
        set(voters["community"] + voters["institution"]) | {ctx["author"]},
    )


def _close_location(ctx):
    from governance import officing
    from governance.models import OfficerShift
    from tests.accounts.factories import verified_in_person

    home = officing.create_location(name="Buurthuis Gein", address="Plein 1", actor=None)
    now = timezone.now()
    officers = [verified_in_person(UserFactory(username=f"dienst{i}")) for i in range(3)]
    for officer, hours in zip(officers, ((-1, 2), (20, 24), (-5, -1)), strict=True):
        officing.add_shift(
            officer=officer,
            location=home,
            starts_at=now + datetime.timedelta(hours=hours[0]),
            ends_at=now + datetime.timedelta(hours=hours[1]),
            task=OfficerShift.Task.CHECK_IN,
            appointed_by="Besluit 1",
            actor=None,
        )
    return (
        lambda: officing.close_location(location=home, reason="Brand", actor=ctx["servant"]),
        set(officers[:2]),  # a running and a coming shift; the ended one is not told
    )


def _add_shift(ctx):
    from governance import officing
    from governance.models import OfficerShift
    from tests.accounts.factories import verified_in_person

    home = officing.create_location(name="Buurthuis Gein", address="Plein 1", actor=None)
    officer = verified_in_person(UserFactory(username="nieuwe-dienst"))
    now = timezone.now()
    return (
        lambda: officing.add_shift(
            officer=officer, location=home, task=OfficerShift.Task.COUNTING,
            starts_at=now + datetime.timedelta(days=2),
            ends_at=now + datetime.timedelta(days=2, hours=3),
            appointed_by="Besluit 4", actor=ctx["servant"],
        ),
        {officer},
    )  # fmt: skip


def _withdraw_shift(ctx):
    from governance import officing
    from governance.models import OfficerShift
    from tests.accounts.factories import verified_in_person

    home = officing.create_location(name="Buurthuis Gein", address="Plein 1", actor=None)
    now = timezone.now()
    shift = officing.add_shift(
        officer=verified_in_person(UserFactory(username="ziek-gemeld")), location=home,
        task=OfficerShift.Task.CHECK_IN, starts_at=now + datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=1, hours=3), appointed_by="Besluit 4", actor=None,
    )  # fmt: skip
    return (
        lambda: officing.cancel_shift(shift=shift, reason="Ziek", actor=ctx["servant"]),
        {shift.officer},
    )


def _change_shift(ctx):
    from governance import officing
    from governance.models import OfficerShift
    from tests.accounts.factories import verified_in_person

    home = officing.create_location(name="Buurthuis Gein", address="Plein 1", actor=None)
    now = timezone.now()
    shift = officing.add_shift(
        officer=verified_in_person(UserFactory(username="later-begin")), location=home,
        task=OfficerShift.Task.CHECK_IN, starts_at=now + datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=1, hours=3), appointed_by="Besluit 4", actor=None,
    )  # fmt: skip
    return (
        lambda: officing.change_shift(
            shift=shift, reason="Later open", actor=ctx["servant"],
            starts_at=shift.starts_at + datetime.timedelta(hours=1),
            ends_at=shift.ends_at + datetime.timedelta(hours=1), task=shift.task,
        ),
        {shift.officer},
    )  # fmt: skip


def _close_poll(ctx):
    proposal = poll(areas=[ctx["area"]])
    trustees = {share.trustee for share in proposal.shares.select_related("trustee")}
    return lambda: _close_at_closing_time(proposal), trustees


def _execute(ctx):
    from tests.governance.factories import adopted, allocation_fields

    proposal = authored(adopted(voting(**allocation_fields())), ctx["author"])
    return (
        lambda: governance.execute_decision(decision=proposal.decision, actor=ctx["servant"]),
        {ctx["author"]},
    )


def _paid_allocation(ctx, *, pay: str = "0"):
    fund = funded("1000.00")
    allocation = allocate(
        fund=fund, initiative=SroiInitiativeFactory(), amount=Decimal("400"), purpose="Keuken"
    )
    authored(allocation.governance_decision.proposal, ctx["author"])
    tranche = None
    if Decimal(pay):
        tranche = sroi_services.disburse(
            allocation=allocation,
            amount=Decimal(pay),
            date=timezone.localdate(),
            actor=ctx["servant"],
        )
    return allocation, tranche


def _return_unspent(ctx):
    allocation, _tranche = _paid_allocation(ctx, pay="100")
    return (
        lambda: sroi_services.return_unspent(
            allocation=allocation,
            amount=Decimal("30"),
            date=timezone.localdate(),
            actor=ctx["servant"],
        ),
        {ctx["author"]},
    )


def _close_allocation(ctx):
    allocation, _tranche = _paid_allocation(ctx, pay="100")
    return (
        lambda: sroi_services.close_allocation(
            allocation=allocation, actor=ctx["servant"], reason="Klaar"
        ),
        {ctx["author"]},
    )


def _reverse_tranche(ctx):
    _allocation, tranche = _paid_allocation(ctx, pay="100")
    return (
        lambda: sroi_services.reverse_transaction(
            transaction=tranche, reason="Dubbel geboekt", actor=ctx["servant"]
        ),
        {ctx["author"]},
    )


def _big_batch(ctx):
    from django.conf import settings

    return accounts_services.request_code_batch(
        area=ctx["area"],
        count=settings.VERIFICATION_BATCH_APPROVAL_ABOVE + 1,
        actor=ctx["servant"],
    )


def _approve_code_batch(ctx):
    batch = _big_batch(ctx)
    colleague = UserFactory(roles=[Role.CIVIL_SERVANT])
    return (
        lambda: accounts_services.approve_code_batch(batch=batch, actor=colleague),
        {ctx["servant"]},  # the issuer may print now
    )


def _print_code_batch(ctx):
    batch = _big_batch(ctx)
    colleague = UserFactory(roles=[Role.CIVIL_SERVANT])
    accounts_services.approve_code_batch(batch=batch, actor=colleague)
    return (
        lambda: accounts_services.print_code_batch(batch=batch, actor=ctx["servant"]),
        {colleague},  # who approved it sees that the codes now exist
    )


def _intake_started(ctx):
    intake = IntakeFactory(method=Intake.Method.LINK)
    link, _token = intake_services.create_initiator_link(intake=intake, actor=ctx["servant"])
    return lambda: intake_services.save_answers_by_link(link=link, answers={}), {ctx["servant"]}


def _confirm_intake(ctx):
    from tests.intake.factories import scale_answers

    conductor = UserFactory(roles=[Role.CIVIL_SERVANT])
    intake = IntakeFactory(conducted_by=conductor)
    intake_services.save_answers(intake=intake, answers=scale_answers({7: 8}), actor=conductor)
    return (
        lambda: intake_services.confirm_intake(intake=intake, actor=ctx["servant"]),
        {conductor},  # and the initiator by e-mail
    )


def _publish_profile(ctx):
    from tests.intake.factories import confirmed_intake

    intake = confirmed_intake(actor=ctx["servant"])
    return (
        lambda: intake_services.set_profile_published(
            intake=intake, published=True, actor=ctx["servant"]
        ),
        set(),  # the initiator's address
    )


def _withdraw_profile(ctx):
    from tests.intake.factories import confirmed_intake

    intake = confirmed_intake(actor=ctx["servant"], published=True)
    return (
        lambda: intake_services.set_profile_published(
            intake=intake, published=False, actor=ctx["servant"]
        ),
        set(),
    )


TRANSITIONS = [
    ("start_discussion", _start_discussion, Kind.PROPOSAL_DISCUSSION),
    ("open_voting", _open_voting, Kind.VOTING_OPENED),
    ("close_board_vote", _close_board_vote, Kind.DECISION_TAKEN),
    ("close_poll", _close_poll, Kind.KEYS_NEEDED),
    ("tally_poll", _tally_poll, Kind.DECISION_TAKEN),
    ("withdraw_proposal", _withdraw, Kind.PROPOSAL_WITHDRAWN),
    ("execute_decision", _execute, Kind.DECISION_CARRIED_OUT),
    ("post_comment", _comment, Kind.COMMENT),
    ("post_advice", _advice, Kind.ADVICE),
    ("cast_poll_vote", _participation, Kind.PARTICIPATION),
    ("disburse", _disburse, Kind.ALLOCATION_PAID),
    ("claim_realisation", _claim, Kind.REALISATION_TO_VERIFY),
    ("request_code_batch", _code_batch, Kind.CODE_BATCH_TO_APPROVE),
    ("create_initiator_link", _intake_link, Kind.INTAKE_LINK),
    ("submit_by_link", _intake_submitted, Kind.INTAKE_TO_CONFIRM),
    ("save_answers_by_link", _intake_started, Kind.INTAKE_STARTED),
    ("confirm_intake", _confirm_intake, Kind.INTAKE_CONFIRMED),
    ("return_unspent", _return_unspent, Kind.ALLOCATION_RETURNED),
    ("close_allocation", _close_allocation, Kind.ALLOCATION_CLOSED),
    ("reverse_tranche", _reverse_tranche, Kind.ALLOCATION_REVERSED),
    ("approve_code_batch", _approve_code_batch, Kind.CODE_BATCH_APPROVED),
    ("print_code_batch", _print_code_batch, Kind.CODE_BATCH_PRINTED),
    ("publish_profile", _publish_profile, Kind.PROFILE_PUBLISHED),
    ("withdraw_profile", _withdraw_profile, Kind.PROFILE_WITHDRAWN),
    ("close_location", _close_location, Kind.LOCATION_CLOSED),
    ("add_shift", _add_shift, Kind.SHIFT_ADDED),
    ("cancel_shift", _withdraw_shift, Kind.SHIFT_CANCELLED),
    ("change_shift", _change_shift, Kind.SHIFT_CHANGED),
]


@pytest.fixture
def ctx(area, civil_servant, community_member):
    return {
        "area": area,
        "servant": civil_servant,
        "member": community_member,
        "author": UserFactory(email="auteur@example.org"),
    }


# Committed (tests/at_commit.py), the work after commit has already run when `change()` is
# called: the last key's commit tallied the poll, and the sent e-mail made the intake link's
# event forget the secret link.
DONE_AT_COMMIT = {"tally_poll", "create_initiator_link"}


@pytest.mark.parametrize(
    ("name", "setup", "kind"),
    [
        pytest.param(
            *transition,
            id=transition[0],
            marks=[pytest.mark.rolled_back_only] if transition[0] in DONE_AT_COMMIT else [],
        )
        for transition in TRANSITIONS
    ],
)
def test_each_transition_emits_exactly_one_event_to_the_right_people(
    ctx, name, setup, kind, django_capture_on_commit_callbacks
):
    # given
    change, expected = setup(ctx)
    before = set(Event.objects.values_list("pk", flat=True))
    # when (a participation's event is written by the beat from its waiting notice: run here)
    with django_capture_on_commit_callbacks():
        change()
    if kind == Kind.PARTICIPATION:
        governance_notify.tell_participations()
    # then
    new = Event.objects.exclude(pk__in=before)
    assert [event.kind for event in new] == [kind]
    event = new.get()
    assert event.url.startswith("/")
    told = {n.user for n in Notification.objects.filter(event=event, channel=Channel.SITE)}
    assert expected <= told
    messages.render(event.kind, event.data)  # every message can be written


@pytest.mark.parametrize(("name", "setup", "kind"), TRANSITIONS, ids=[t[0] for t in TRANSITIONS])
def test_a_rolled_back_transition_emits_nothing(
    ctx, name, setup, kind, django_capture_on_commit_callbacks
):
    change, _expected = setup(ctx)
    before = Event.objects.count()
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        change()
        raise Rollback
    assert Event.objects.count() == before
    assert callbacks == []


def test_participation_says_nothing_of_the_choice_or_the_receipt(ctx):
    proposal = poll(areas=[ctx["area"]])
    code = governance.cast_vote(proposal=proposal, choice=Choice.AGAINST, actor=ctx["member"])
    governance_notify.tell_participations()
    event = Event.objects.get(kind=Kind.PARTICIPATION)
    stored = str(event.data) + event.url + event.subject
    assert code not in stored
    assert Choice.AGAINST not in stored and "tegen" not in stored.lower()
    # A changed vote records no second participation.
    governance.cast_vote(proposal=proposal, choice=Choice.FOR, actor=ctx["member"])
    governance_notify.tell_participations()
    assert Event.objects.filter(kind=Kind.PARTICIPATION).count() == 1


def test_the_decision_is_explained_in_words_in_the_readers_language(ctx):
    body, voters = board(community=2, institution=1)
    proposal = authored(voting(body=body), ctx["author"])
    Preference.objects.create(user=ctx["author"], language="en")
    with at_closing(proposal.closes_at, tick=True):
        governance.close_voting(actor=None, proposal=proposal)
    event = Event.objects.get(kind=Kind.DECISION_TAKEN)
    assert set(event.data["explanation"]) == {"nl", "en"}
    from django.utils import translation

    with translation.override("en"):
        _subject, text = messages.render(event.kind, event.data)
    assert "Rejected" in text or "rejected" in text
    with translation.override("nl"):
        _subject, text = messages.render(event.kind, event.data)
    assert "erworpen" in text


def test_the_intake_link_is_mailed_with_its_expiry_in_14_days(
    ctx, mailoutbox, django_capture_on_commit_callbacks
):
    intake = IntakeFactory(method=Intake.Method.LINK)
    with freeze_time("2026-11-30 10:00"), django_capture_on_commit_callbacks(execute=True):
        _link, token = intake_services.create_initiator_link(
            intake=intake, actor=ctx["servant"], email="kees@example.org"
        )
    [mail] = mailoutbox
    assert mail.to == ["kees@example.org"]
    assert "14 december 2026" in mail.body
    assert f"/intake/link/{token}/" in mail.body
    # Sent: the outbox forgets the link (only its hash is kept, in the link's own table).
    event = Event.objects.get(kind=Kind.INTAKE_LINK)
    assert event.url == "" and token not in str(event.data)


def test_no_address_no_link_mail(ctx):
    intake = IntakeFactory(method=Intake.Method.LINK)
    intake.initiative.contact_email = ""
    intake.initiative.save()
    intake_services.create_initiator_link(intake=intake, actor=ctx["servant"])
    assert not Event.objects.filter(kind=Kind.INTAKE_LINK).exists()


@pytest.mark.parametrize("already", [False, True])
def test_a_vote_closing_within_48_hours_is_reminded_once(ctx, already):
    body, voters = board(community=2, institution=1)
    soon = voting(body=body, minutes=60 * 24)
    later = voting(body=body, minutes=60 * 24 * 5)
    governance.cast_vote(proposal=soon, choice=Choice.FOR, actor=voters["community"][0])
    if already:
        assert governance.remind_closing_votes() == 1
    assert governance.remind_closing_votes() == (0 if already else 1)
    assert governance.remind_closing_votes() == 0
    event = Event.objects.get(kind=Kind.VOTING_CLOSING)
    assert event.subject == f"governance.proposal:{soon.pk}"
    told = {n.user for n in event.notifications.filter(channel=Channel.SITE)}
    # Who voted already is not reminded.
    assert told == {voters["community"][1], voters["institution"][0]}
    assert not Event.objects.filter(
        kind=Kind.VOTING_CLOSING, subject=f"governance.proposal:{later.pk}"
    ).exists()


def test_an_intake_is_started_once_per_link(ctx):
    intake = IntakeFactory(method=Intake.Method.LINK)
    link, _token = intake_services.create_initiator_link(intake=intake, actor=ctx["servant"])
    intake_services.save_answers_by_link(link=link, answers={})
    intake_services.save_answers_by_link(link=link, answers={})
    [event] = Event.objects.filter(kind=Kind.INTAKE_STARTED)
    assert event.url == intake.get_absolute_url()
    # A new link (the initiator lost the first) is a new start.
    link, _token = intake_services.create_initiator_link(intake=intake, actor=ctx["servant"])
    intake_services.save_answers_by_link(link=link, answers={})
    assert Event.objects.filter(kind=Kind.INTAKE_STARTED).count() == 2


def test_the_initiator_hears_by_e_mail_that_the_intake_is_confirmed(
    ctx, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.intake.factories import scale_answers

    intake = IntakeFactory()
    intake.initiative.contact_email = "kees@example.org"
    intake.initiative.save()
    intake_services.save_answers(intake=intake, answers=scale_answers({7: 8}), actor=ctx["servant"])
    with django_capture_on_commit_callbacks(execute=True):
        intake_services.confirm_intake(intake=intake, actor=ctx["servant"])
    [mail] = mailoutbox
    assert mail.to == ["kees@example.org"]
    assert intake.initiative.name in mail.subject
    assert intake.initiative.get_absolute_url() in mail.body
    # Who confirmed it is not told about their own work.
    event = Event.objects.get(kind=Kind.INTAKE_CONFIRMED)
    assert not event.notifications.filter(user=ctx["servant"]).exists()


def test_a_small_code_batch_printed_at_once_tells_nobody_but_is_on_record(ctx):
    accounts_services.issue_verification_codes(area=ctx["area"], count=2, actor=ctx["servant"])
    event = Event.objects.get(kind=Kind.CODE_BATCH_PRINTED)
    assert not event.notifications.exists()


def test_publishing_a_profile_again_changes_nothing_and_tells_nobody(ctx):
    from tests.intake.factories import confirmed_intake

    intake = confirmed_intake(actor=ctx["servant"], published=True)
    before = Event.objects.count()
    intake_services.set_profile_published(intake=intake, published=True, actor=ctx["servant"])
    assert Event.objects.count() == before
