"""Every write in governance: proposals through their life cycle, discussion, votes, decisions.

Each transition takes the `actor` and writes its audit row (django-simple-history) in the same
transaction. Votes are checked again after they are written, under the lock the database takes
for the foreign key, so a vote can never slip in after the tally was made (see `cast_vote`).
"""

import random
from dataclasses import asdict
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Area, Role
from initiatives.models import Classification, Initiative
from security.uploads import DOCUMENTS, clean_upload, display_name
from sroi import services as ledger
from sroi.models import Fund

from . import selectors, tally
from .models import (
    Attachment,
    Ballot,
    Body,
    Choice,
    Comment,
    Decision,
    DecisionRule,
    ElectorateEntry,
    Participation,
    Proposal,
    Side,
    Vote,
    proposal_history,
)


def _require_civil_servant(actor) -> None:
    # The views ask the rules first; this guards every other caller (None: the system, e.g. demo).
    if actor is not None and not (actor.is_superuser or actor.has_role(Role.CIVIL_SERVANT)):
        raise ValidationError(_("Only a civil servant can do this."), code="forbidden")


def _lock(proposal: Proposal) -> Proposal:
    # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the join to `body`.
    return (
        Proposal.objects.select_for_update(of=("self",)).select_related("body").get(pk=proposal.pk)
    )


def _save(
    proposal: Proposal, actor, *, areas=None, leefgebieden=None, created: bool = False
) -> None:
    """Save fields (and areas, leefgebieden) and write one audit row holding them all."""
    proposal._history_user = actor
    proposal.skip_history_when_saving = True
    try:
        proposal.save()
        if areas is not None:
            proposal.areas.set(areas)
        if leefgebieden is not None:
            proposal.leefgebieden.set(leefgebieden)
    finally:
        del proposal.skip_history_when_saving
    proposal_history.create_historical_record(proposal, "+" if created else "~")


def _require_status(proposal: Proposal, *statuses: str) -> None:
    if proposal.status not in statuses:
        raise ValidationError(
            _("This cannot be done while the proposal is %(status)s.")
            % {"status": proposal.get_status_display().lower()},
            code="status",
        )


def _moment(at: datetime | None) -> datetime:
    """`at` records something that happened earlier (the demo scenario); never the future."""
    now = timezone.now()
    if at is None:
        return now
    if at > now:
        raise ValueError("a moment in the future")
    return at


def _clean_allocation(
    *, fund: Fund | None, initiative: Initiative | None, amount, purpose: str, leefgebieden
) -> dict:
    """The fields of a fund allocation, checked as far as they can be before the decision.

    Whether the fund has the money is checked again when the decision is carried out.
    """
    errors: dict[str, str | list] = {}
    if fund is None:
        errors["fund"] = _("Choose the fund the money comes from.")
    if initiative is None:
        errors["initiative"] = _("Choose the initiative that receives the money.")
    elif initiative.status == Initiative.Status.ENDED:
        errors["initiative"] = _("This initiative has ended; it cannot receive an allocation.")
    if amount is None or amount == "":
        errors["amount"] = _("Enter the amount in euros.")
    else:
        try:
            amount = ledger.check_amount(amount)
        except ValidationError as error:
            errors.update(error.message_dict)
    purpose = (purpose or "").strip()
    if not purpose:
        errors["purpose"] = _("Describe what the money is for.")
    leefgebieden = list(leefgebieden or [])
    if any(c.scheme != Classification.Scheme.LEEFGEBIED for c in leefgebieden):
        errors["leefgebieden"] = _("Choose areas of life (leefgebieden) only.")
    if errors:
        raise ValidationError(errors)
    return {
        "fund": fund,
        "initiative": initiative,
        "amount": amount,
        "purpose": purpose,
        "leefgebieden": leefgebieden,
    }


def _clean_target(
    *,
    method: str,
    body: Body | None,
    areas,
    decision_rule: DecisionRule | None,
    kind: str,
    fund: Fund | None = None,
    initiative: Initiative | None = None,
    amount: Decimal | str | None = None,
    purpose: str = "",
    leefgebieden=None,
) -> dict:
    if kind not in Proposal.Kind.values:
        raise ValidationError(_("Choose the kind of proposal."), code="kind")
    if kind == Proposal.Kind.FUND_ALLOCATION:
        target = _clean_allocation(
            fund=fund,
            initiative=initiative,
            amount=amount,
            purpose=purpose,
            leefgebieden=leefgebieden,
        )
    else:
        # A general proposal moves no money: nothing of an allocation is kept.
        target = {
            "fund": None,
            "initiative": None,
            "amount": None,
            "purpose": "",
            "leefgebieden": [],
        }
    target["kind"] = kind
    if method == Proposal.Method.BOARD:
        if body is None:
            raise ValidationError({"body": _("Choose the body that decides.")})
        if not body.decides:
            raise ValidationError({"body": _("An advisory committee does not decide.")})
        return {**target, "method": method, "body": body, "decision_rule": None, "areas": []}
    if method == Proposal.Method.POLL:
        areas = list(areas or [])
        if not areas:
            raise ValidationError({"areas": _("Choose the area or areas whose members vote.")})
        return {
            **target,
            "method": method,
            "body": None,
            "decision_rule": decision_rule,
            "areas": areas,
        }
    raise ValidationError(_("Choose how the proposal is decided."), code="method")


@transaction.atomic
def create_proposal(
    *,
    title: str,
    text: str,
    actor,
    method: str = Proposal.Method.BOARD,
    body: Body | None = None,
    areas: list[Area] | None = None,
    decision_rule: DecisionRule | None = None,
    kind: str = Proposal.Kind.GENERAL,
    fund: Fund | None = None,
    initiative: Initiative | None = None,
    amount: Decimal | str | None = None,
    purpose: str = "",
    leefgebieden: list[Classification] | None = None,
) -> Proposal:
    """Prepare a draft proposal for a body's vote or a community-wide poll; a fund allocation
    names the fund, the initiative, the amount, its purpose and the leefgebieden."""
    _require_civil_servant(actor)
    target = _clean_target(
        method=method,
        body=body,
        areas=areas,
        decision_rule=decision_rule,
        kind=kind,
        fund=fund,
        initiative=initiative,
        amount=amount,
        purpose=purpose,
        leefgebieden=leefgebieden,
    )
    chosen_areas = target.pop("areas")
    chosen_leefgebieden = target.pop("leefgebieden")
    proposal = Proposal(title=title.strip(), text=text.strip(), created_by=actor)
    for name, value in target.items():
        setattr(proposal, name, value)
    proposal.full_clean(exclude=["rule_snapshot"])
    _save(proposal, actor, areas=chosen_areas, leefgebieden=chosen_leefgebieden, created=True)
    return proposal


@transaction.atomic
def update_proposal(
    *,
    proposal: Proposal,
    title: str,
    text: str,
    actor,
    method: str,
    body: Body | None = None,
    areas: list[Area] | None = None,
    decision_rule: DecisionRule | None = None,
    kind: str | None = None,
    fund: Fund | None = None,
    initiative: Initiative | None = None,
    amount: Decimal | str | None = None,
    purpose: str = "",
    leefgebieden: list[Classification] | None = None,
) -> Proposal:
    """Change a proposal in draft or under discussion (its kind too, if `kind` is given)."""
    _require_civil_servant(actor)
    proposal = _lock(proposal)
    _require_status(proposal, Proposal.Status.CONCEPT, Proposal.Status.DISCUSSION)
    target = _clean_target(
        method=method,
        body=body,
        areas=areas,
        decision_rule=decision_rule,
        kind=kind or proposal.kind,
        fund=fund,
        initiative=initiative,
        amount=amount,
        purpose=purpose,
        leefgebieden=leefgebieden,
    )
    chosen_areas = target.pop("areas")
    chosen_leefgebieden = target.pop("leefgebieden")
    proposal.title, proposal.text = title.strip(), text.strip()
    for name, value in target.items():
        setattr(proposal, name, value)
    proposal.full_clean(exclude=["rule_snapshot"])
    _save(proposal, actor, areas=chosen_areas, leefgebieden=chosen_leefgebieden)
    return proposal


@transaction.atomic
def add_attachment(*, proposal: Proposal, title: str, file, actor) -> Attachment:
    """Attach a document to a proposal that can still be changed."""
    _require_civil_servant(actor)
    proposal = _lock(proposal)
    _require_status(proposal, Proposal.Status.CONCEPT, Proposal.Status.DISCUSSION)
    # The type is read from the content; the stored copy has a random name (security.uploads).
    stored = clean_upload(file, allowed=DOCUMENTS)
    name = display_name(file)
    attachment = Attachment(
        proposal=proposal, title=title.strip() or name, original_name=name, file=stored
    )
    attachment.uploaded_by = actor
    attachment._history_user = actor
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def start_discussion(*, proposal: Proposal, actor) -> Proposal:
    """Publish a draft: from now on members comment and the committees advise."""
    _require_civil_servant(actor)
    proposal = _lock(proposal)
    _require_status(proposal, Proposal.Status.CONCEPT)
    proposal.status = Proposal.Status.DISCUSSION
    _save(proposal, actor)
    return proposal


@transaction.atomic
def withdraw_proposal(*, proposal: Proposal, reason: str, actor) -> Proposal:
    """Withdraw a proposal before it is decided; any votes cast stay uncounted."""
    _require_civil_servant(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for withdrawing the proposal.")})
    proposal = _lock(proposal)
    _require_status(
        proposal,
        Proposal.Status.CONCEPT,
        Proposal.Status.DISCUSSION,
        Proposal.Status.VOTING,
    )
    proposal.status = Proposal.Status.WITHDRAWN
    proposal.withdraw_reason = reason.strip()
    _save(proposal, actor)
    return proposal


def check_composition(body: Body, on=None) -> None:
    """Refuse a deciding body whose community side lacks 50%+1 of the voting seats."""
    composition = selectors.composition(body, on)
    if not composition.ok:
        raise ValidationError(
            _(
                "%(body)s does not meet the composition rule: the community side holds "
                "%(community)d of %(voting)d voting seats and needs at least %(needed)d. "
                "An administrator must change the seats before a vote can open."
            )
            % {
                "body": body,
                "community": composition.community,
                "voting": composition.voting,
                "needed": composition.needed,
            },
            code="composition",
        )


@transaction.atomic
def open_voting(
    *, proposal: Proposal, closes_at: datetime, actor, at: datetime | None = None
) -> Proposal:
    """Open the voting window now and freeze the roll: a body's voting seat holders, or every
    verified community member of the poll's areas at this moment.

    `at` (the demo only) records a vote that was opened earlier; the views never pass it.
    """
    _require_civil_servant(actor)
    proposal = _lock(proposal)
    _require_status(proposal, Proposal.Status.DISCUSSION)
    now = _moment(at)
    if closes_at <= now:
        raise ValidationError({"closes_at": _("The closing time must be in the future.")})
    if proposal.is_poll:
        rule = proposal.decision_rule
        if rule is None:
            raise ValidationError({"decision_rule": _("Choose the decision rule of the poll.")})
        roll = [(user_id, Side.COMMUNITY) for user_id in selectors.poll_roll(proposal.areas.all())]
    else:
        body = proposal.body
        if not body.decides or body.decision_rule is None:
            raise ValidationError(
                _("%(body)s has no decision rule; an administrator must set one.") % {"body": body},
                code="rule",
            )
        check_composition(body, on=timezone.localdate(now))
        rule = body.decision_rule
        roll = selectors.board_roll(body, on=timezone.localdate(now))
    if not roll:
        raise ValidationError(_("Nobody could vote on this proposal."), code="empty_roll")
    ElectorateEntry.objects.bulk_create(
        ElectorateEntry(proposal=proposal, user_id=user_id, side=side) for user_id, side in roll
    )
    proposal.rule_snapshot = asdict(rule.as_rule())
    proposal.opens_at = now
    proposal.closes_at = closes_at
    proposal.status = Proposal.Status.VOTING
    _save(proposal, actor)
    return proposal


# --- Discussion -----------------------------------------------------------------------------


def _discussion_is_open(proposal: Proposal) -> bool:
    return proposal.status == Proposal.Status.DISCUSSION or proposal.voting_is_open()


@transaction.atomic
def post_comment(*, proposal: Proposal, text: str, actor) -> Comment:
    """A verified community member comments on a proposal under discussion or in the vote."""
    if not actor.has_role(Role.COMMUNITY_MEMBER):
        raise ValidationError(_("Only verified community members can comment."), code="forbidden")
    return _post(proposal=proposal, text=text, kind=Comment.Kind.COMMENT, actor=actor)


@transaction.atomic
def post_advice(*, proposal: Proposal, text: str, actor) -> Comment:
    """Formal advice of the advisory committee, or the youth council's advice."""
    if actor.has_role(Role.ADVISORY_MEMBER):
        kind = Comment.Kind.ADVICE
    elif actor.has_role(Role.YOUTH_COUNCIL):
        kind = Comment.Kind.YOUTH_ADVICE
    else:
        raise ValidationError(
            _("Only the advisory committee and the youth council give advice."), code="forbidden"
        )
    return _post(proposal=proposal, text=text, kind=kind, actor=actor)


def _post(*, proposal: Proposal, text: str, kind: str, actor) -> Comment:
    if not text.strip():
        raise ValidationError({"text": _("Write your contribution first.")})
    proposal = Proposal.objects.get(pk=proposal.pk)
    if not _discussion_is_open(proposal):
        raise ValidationError(_("The discussion of this proposal is closed."), code="closed")
    comment = Comment(proposal=proposal, author=actor, kind=kind, text=text.strip())
    comment._history_user = actor
    comment.save()
    return comment


# --- Voting ---------------------------------------------------------------------------------


def _check_window(proposal: Proposal, at: datetime | None = None) -> None:
    now = at or timezone.now()
    if proposal.status != Proposal.Status.VOTING or proposal.opens_at > now:
        raise ValidationError(_("Voting on this proposal is not open."), code="not_open")
    if now >= proposal.closes_at:
        raise ValidationError(_("Voting on this proposal has closed."), code="closed")


def cast_vote(*, proposal: Proposal, choice: str, actor, at: datetime | None = None) -> None:
    """Record `actor`'s vote. A body's vote can be changed until closing; a poll ballot is
    secret and final: the ballot and the record that `actor` voted are written together.

    Outside the window, outside the roll or a second ballot: a ValidationError, nothing changed.
    `at` (the demo only) records a vote cast earlier, inside a window that is still not closed.
    """
    at = _moment(at) if at is not None else None
    if choice not in Choice.values:
        raise ValidationError(_("Choose for, against or abstain."), code="choice")
    if actor is None or not actor.is_authenticated:
        raise ValidationError(_("Log in to vote."), code="anonymous")
    try:
        with transaction.atomic():
            if proposal.is_poll:
                _cast_ballot(proposal, choice, actor, at)
            else:
                _cast_board_vote(proposal, choice, actor, at)
    except IntegrityError as error:
        # Two requests of the same voter at once: the unique constraint let one through.
        message = (
            _("You have already voted in this poll. A secret ballot cannot be changed.")
            if proposal.is_poll
            else _("Your vote was being recorded at the same moment; look at the page again.")
        )
        raise ValidationError(message, code="twice") from error


def _entry(proposal: Proposal, actor) -> ElectorateEntry:
    entry = ElectorateEntry.objects.filter(proposal=proposal, user=actor).first()
    if entry is None:
        raise ValidationError(
            _("You are not on the roll of this vote, so you cannot vote on it."),
            code="not_in_electorate",
        )
    return entry


def _cast_board_vote(proposal: Proposal, choice: str, actor, at: datetime | None) -> None:
    # The row lock makes closing wait for this vote (and this vote wait for closing).
    proposal = Proposal.objects.select_for_update(no_key=True).get(pk=proposal.pk)
    _check_window(proposal, at)
    entry = _entry(proposal, actor)
    vote = Vote.objects.filter(proposal=proposal, user=actor).first()
    if vote is None:
        vote = Vote(proposal=proposal, user=actor, side=entry.side)
    vote.choice = choice
    vote.cast_at = at or timezone.now()
    vote._history_user = actor
    vote.save()


def _cast_ballot(proposal: Proposal, choice: str, actor, at: datetime | None) -> None:
    if connection.vendor == "postgresql":
        # A key-share lock: ballots do not wait for each other, but closing (FOR UPDATE) waits
        # for ballots in progress, and a ballot after closing sees the new status. The foreign
        # keys cannot give this: Django creates them DEFERRABLE INITIALLY DEFERRED, so they are
        # only checked, and locked, at COMMIT.
        with connection.cursor() as cursor:
            cursor.execute(
                'SELECT 1 FROM "governance_proposal" WHERE "id" = %s FOR KEY SHARE', [proposal.pk]
            )
    proposal = Proposal.objects.get(pk=proposal.pk)
    _check_window(proposal, at)
    _entry(proposal, actor)
    if Participation.objects.filter(proposal=proposal, user=actor).exists():
        raise ValidationError(
            _("You have already voted in this poll. A secret ballot cannot be changed."),
            code="twice",
        )
    # Written together; no history rows, which would record who and when.
    Participation.objects.create(proposal=proposal, user=actor)
    Ballot.objects.create(proposal=proposal, choice=choice)
    # Closing cannot have happened since the lock above (it waits for us); checked once more
    # so that SQLite, which has no row locks but serialises writers, keeps the same guarantee.
    _check_window(Proposal.objects.get(pk=proposal.pk), at)


# --- Closing and carrying out ---------------------------------------------------------------


def _reshuffle_ballots(proposal: Proposal) -> None:
    """Write the ballots again in random order with new keys, in the closing transaction, so
    neither their physical order nor their transaction ids match the participations."""
    choices = list(Ballot.objects.filter(proposal=proposal).values_list("choice", flat=True))
    random.SystemRandom().shuffle(choices)
    Ballot.objects.filter(proposal=proposal).delete()
    Ballot.objects.bulk_create(Ballot(proposal=proposal, choice=choice) for choice in choices)


def close_voting(*, proposal: Proposal, at: datetime | None = None) -> Decision:
    """Close a vote whose window has ended: tally it and record the decision. Idempotent:
    a proposal closed before gives its existing decision, unchanged.

    `at` is the moment of closing (now by default); it may not be before the closing time.
    """
    with transaction.atomic():
        proposal = _lock(proposal)
        existing = Decision.objects.filter(proposal=proposal).first()
        if existing is not None:
            return existing
        _require_status(proposal, Proposal.Status.VOTING)
        at = at or timezone.now()
        if at < proposal.closes_at:
            raise ValidationError(_("Voting on this proposal is still open."), code="open")
        community, institution = selectors.counts(proposal)
        result = tally.tally_counts(
            community=community,
            institution=institution,
            electorate=selectors.electorate_size(proposal),
            rule=tally.Rule(**proposal.rule_snapshot),
        )
        decision = Decision.objects.create(
            proposal=proposal, outcome=result.outcome, tally=result.as_dict(), decided_at=at
        )
        proposal.status = Proposal.Status.ADOPTED if result.adopted else Proposal.Status.REJECTED
        _save(proposal, None)
        if proposal.is_poll:
            _reshuffle_ballots(proposal)
        return decision


@transaction.atomic
def execute_decision(*, decision: Decision, actor, at: datetime | None = None) -> Decision:
    """Carry out an adopted decision and mark the proposal carried out.

    A fund allocation is booked in the ledger (`sroi.services.allocate`) in this transaction,
    with the decision's reference and id, and linked back from the decision. When the ledger
    refuses (the fund no longer has the money), nothing is written and the proposal stays
    adopted. A decision is carried out once; a rejected one never. `at` (the demo only)
    records an execution that happened earlier; the allocation is dated on its day.
    """
    _require_civil_servant(actor)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    proposal = _lock(decision.proposal)
    if not decision.adopted:
        raise ValidationError(_("Only an adopted proposal can be carried out."), code="rejected")
    if decision.executed_at is not None or decision.allocation_id is not None:
        raise ValidationError(_("This decision has already been carried out."), code="done")
    _require_status(proposal, Proposal.Status.ADOPTED)
    at = _moment(at)
    if proposal.is_allocation:
        try:
            decision.allocation = ledger.allocate(
                fund=proposal.fund,
                initiative=proposal.initiative,
                amount=proposal.amount,
                purpose=proposal.purpose or proposal.title,
                decision_reference=decision.reference,
                decision_id=decision.pk,
                date=timezone.localdate(at),
                actor=actor,
            )
        except ValidationError as error:
            raise ValidationError(
                _(
                    "The money could not be allocated, so the decision is not carried out and "
                    "nothing has changed: %(reason)s"
                )
                % {"reason": " ".join(error.messages)},
                code="ledger",
            ) from error
    decision.executed_at = at
    decision.executed_by = actor
    decision._history_user = actor
    decision.save(update_fields=["executed_at", "executed_by", "allocation"])
    proposal.status = Proposal.Status.EXECUTED
    _save(proposal, actor)
    return decision
