"""Every write in governance: proposals through their life cycle, discussion, votes, decisions.

Each transition takes the `actor` and writes its audit row (django-simple-history) in the same
transaction. Votes are checked again after they are written, under the lock the database takes
for the foreign key, so a vote can never slip in after the tally was made (see `cast_vote`).
"""

import contextlib
import random
import time
from dataclasses import asdict
from datetime import datetime
from decimal import Decimal

import pgtrigger
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import selectors as account_selectors
from accounts.models import Area, Role, VerificationRequirement
from initiatives.models import Classification, Initiative
from notifications.models import Event, Kind
from security.uploads import DOCUMENTS, clean_upload, display_name
from sroi import services as ledger
from sroi.models import Fund

from . import notify, sealing, selectors, tally
from .models import (
    Attachment,
    Ballot,
    Body,
    CheckIn,
    Choice,
    Comment,
    Decision,
    DecisionRule,
    ElectorateEntry,
    Participation,
    PollKey,
    Proposal,
    SealedBallot,
    Side,
    TrusteeShare,
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
    bulletin_hides_choices: bool = False,
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
    proposal = Proposal(
        title=title.strip(),
        text=text.strip(),
        created_by=actor,
        bulletin_hides_choices=bool(bulletin_hides_choices) and method == Proposal.Method.POLL,
    )
    for name, value in target.items():
        setattr(proposal, name, value)
    proposal.full_clean(exclude=["rule_snapshot", "composition_snapshot"])
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
    bulletin_hides_choices: bool = False,
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
    proposal.bulletin_hides_choices = (
        bool(bulletin_hides_choices) and method == Proposal.Method.POLL
    )
    for name, value in target.items():
        setattr(proposal, name, value)
    proposal.full_clean(exclude=["rule_snapshot", "composition_snapshot"])
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
def start_discussion(*, proposal: Proposal, actor, at: datetime | None = None) -> Proposal:
    """Publish a draft: from now on members comment and the committees advise.

    `at` (the demo only) records a discussion that started earlier; the views never pass it.
    """
    _require_civil_servant(actor)
    proposal = _lock(proposal)
    _require_status(proposal, Proposal.Status.CONCEPT)
    proposal.status = Proposal.Status.DISCUSSION
    proposal.discussion_started_at = _moment(at)
    _save(proposal, actor)
    notify.discussion_started(proposal)
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
    was_public = proposal.status != Proposal.Status.CONCEPT
    proposal.status = Proposal.Status.WITHDRAWN
    proposal.withdraw_reason = reason.strip()
    _save(proposal, actor)
    notify.withdrawn(proposal, was_public=was_public)
    if proposal.is_poll:
        # Nobody will count these ballots: destroy the key, so they can never be opened.
        _destroy_key(proposal)
    return proposal


def check_composition(body: Body, on=None) -> None:
    """Refuse a deciding body whose community side lacks 50%+1 of the voting seats."""
    composition = selectors.composition(body, on)
    if not composition.ok:
        raise ValidationError(
            _(
                "%(body)s does not meet the composition rule: the community side holds "
                "%(community)d of %(voting)d voting seats and needs at least %(needed)d. "
                "A civil servant must change the seats before a vote can open."
            )
            % {
                "body": body,
                "community": composition.community,
                "voting": composition.voting,
                "needed": composition.needed,
            },
            code="composition",
        )


def _check_discussion_period(proposal: Proposal, rule: DecisionRule, now: datetime) -> None:
    earliest = selectors.voting_may_open_at(proposal, rule)
    if now < earliest:
        raise ValidationError(
            ngettext(
                "The discussion must last at least %(days)d day. Voting can open from %(moment)s.",
                "The discussion must last at least %(days)d days. Voting can open from %(moment)s.",
                rule.min_discussion_days,
            )
            % {
                "days": rule.min_discussion_days,
                "moment": date_format(timezone.localtime(earliest), "DATETIME_FORMAT"),
            },
            code="discussion_period",
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
                _("%(body)s has no decision rule; a civil servant must set one.") % {"body": body},
                code="rule",
            )
        check_composition(body, on=timezone.localdate(now))
        rule = body.decision_rule
        roll = selectors.board_roll(body, on=timezone.localdate(now))
    _check_discussion_period(proposal, rule, now)
    proposal.composition_snapshot = selectors.composition_snapshot(
        proposal, rule, on=timezone.localdate(now)
    )
    if not roll:
        raise ValidationError(_("Nobody could vote on this proposal."), code="empty_roll")
    ElectorateEntry.objects.bulk_create(
        ElectorateEntry(proposal=proposal, user_id=user_id, side=side) for user_id, side in roll
    )
    if proposal.is_poll:
        _make_poll_key(proposal, [user_id for user_id, _side in roll], timezone.localdate(now))
    proposal.rule_snapshot = asdict(rule.as_rule())
    proposal.opens_at = now
    proposal.closes_at = closes_at
    proposal.status = Proposal.Status.VOTING
    _save(proposal, actor)
    notify.voting_opened(proposal)
    return proposal


def _make_poll_key(proposal: Proposal, roll: list[int], on) -> None:
    """The poll's key pair; the private key wrapped, the wrapping key split among the trustees.
    Each share is held boxed until its trustee has seen it once (`pick_up_share`)."""
    trustees = selectors.trustee_ids(on)
    if not trustees:
        raise ValidationError(
            _(
                "A secret poll needs trustees to hold its key: the community side of the "
                "community board. An administrator must give the board its seats first."
            ),
            code="no_trustees",
        )
    keys = sealing.make_poll_keys(len(trustees))
    PollKey.objects.create(
        proposal=proposal,
        public_key=keys.public_key,
        wrapped_private_key=keys.wrapped_private_key,
        threshold=sealing.threshold_for(len(trustees)),
        trustee_count=len(trustees),
        roll_size=len(roll),
        roll_sha256=sealing.roll_digest(roll),
    )
    TrusteeShare.objects.bulk_create(
        TrusteeShare(
            proposal=proposal,
            trustee_id=user_id,
            index=sealing.share_index(share),
            fingerprint=sealing.fingerprint(share),
            pickup_box=sealing.box_share("pickup", proposal.pk, share),
        )
        for user_id, share in zip(trustees, keys.shares, strict=True)
    )


# --- Discussion -----------------------------------------------------------------------------


def _discussion_is_open(proposal: Proposal) -> bool:
    return proposal.status == Proposal.Status.DISCUSSION or proposal.voting_is_open()


@transaction.atomic
def post_comment(*, proposal: Proposal, text: str, actor, at: datetime | None = None) -> Comment:
    """Someone the requirement of "comment" allows comments on a proposal under discussion or in
    the vote (by default any resident's account; never a staff account).

    `at` (the demo only) records a comment made earlier; the views never pass it.
    """
    if not account_selectors.may_do(actor, VerificationRequirement.Action.COMMENT):
        raise ValidationError(_("You cannot comment with this account."), code="forbidden")
    return _post(proposal=proposal, text=text, kind=Comment.Kind.COMMENT, actor=actor, at=at)


@transaction.atomic
def post_advice(*, proposal: Proposal, text: str, actor, at: datetime | None = None) -> Comment:
    """Formal advice of the advisory committee, or the youth council's advice."""
    if actor.has_role(Role.ADVISORY_MEMBER):
        kind = Comment.Kind.ADVICE
    elif actor.has_role(Role.YOUTH_COUNCIL):
        kind = Comment.Kind.YOUTH_ADVICE
    else:
        raise ValidationError(
            _("Only the advisory committee and the youth council give advice."), code="forbidden"
        )
    return _post(proposal=proposal, text=text, kind=kind, actor=actor, at=at)


def _post(
    *, proposal: Proposal, text: str, kind: str, actor, at: datetime | None = None
) -> Comment:
    if not text.strip():
        raise ValidationError({"text": _("Write your contribution first.")})
    proposal = Proposal.objects.get(pk=proposal.pk)
    if not _discussion_is_open(proposal):
        raise ValidationError(_("The discussion of this proposal is closed."), code="closed")
    comment = Comment(
        proposal=proposal, author=actor, kind=kind, text=text.strip(), created_at=_moment(at)
    )
    comment._history_user = actor
    comment.save()
    notify.contribution_posted(proposal, comment)
    return comment


# --- Voting ---------------------------------------------------------------------------------


def _check_window(proposal: Proposal, at: datetime | None = None) -> None:
    now = at or timezone.now()
    if proposal.status != Proposal.Status.VOTING or proposal.opens_at > now:
        if proposal.status == Proposal.Status.COUNTING or proposal.is_decided:
            raise ValidationError(_("Voting on this proposal has closed."), code="closed")
        raise ValidationError(_("Voting on this proposal is not open."), code="not_open")
    if now >= proposal.closes_at:
        raise ValidationError(_("Voting on this proposal has closed."), code="closed")


def cast_vote(*, proposal: Proposal, choice: str, actor, at: datetime | None = None) -> str | None:
    """Record `actor`'s vote; both kinds can be changed until voting closes (the last counts).

    A body's vote is one open row. A poll ballot is sealed (`_cast_sealed_ballot`) and the
    tracking code of the voter's receipt is returned; it is stored nowhere else in readable form.
    Outside the window or outside the roll: a ValidationError, nothing changed.
    `at` (the demo only) records a vote cast earlier, inside a window that is still not closed.
    """
    at = _moment(at) if at is not None else None
    if choice not in Choice.values:
        raise ValidationError(_("Choose for, against or abstain."), code="choice")
    if actor is None or not actor.is_authenticated:
        raise ValidationError(_("Log in to vote."), code="anonymous")
    if proposal.is_poll:
        return _cast_sealed_ballot(proposal, choice, actor, at)
    try:
        with transaction.atomic():
            _cast_board_vote(proposal, choice, actor, at)
    except IntegrityError as error:
        # Two requests of the same voter at once: the unique constraint let one through.
        raise ValidationError(
            _("Your vote was being recorded at the same moment; look at the page again."),
            code="twice",
        ) from error
    return None


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


def _share_lock(proposal: Proposal) -> Proposal:
    if connection.vendor == "postgresql":
        # A key-share lock: ballots do not wait for each other, but closing (FOR UPDATE) waits
        # for ballots in progress, and a ballot after closing sees the new status. The foreign
        # keys cannot give this: Django creates them DEFERRABLE INITIALLY DEFERRED, so they are
        # only checked, and locked, at COMMIT.
        with connection.cursor() as cursor:
            cursor.execute(
                'SELECT 1 FROM "governance_proposal" WHERE "id" = %s FOR KEY SHARE', [proposal.pk]
            )
    return Proposal.objects.get(pk=proposal.pk)


def _cast_sealed_ballot(
    proposal: Proposal, choice: str, actor, at: datetime | None, *, assisted: bool = False
) -> str:
    """Two transactions, so no transaction id, commit time or WAL record holds both the voter
    and their (sealed) ballot: first the sealed ballot, then the record that `actor` voted.

    The sealed payload holds the choice, a random tracking code, a keyed hash of the voter and a
    counter; the tally keeps the highest counter per voter among those with a participation. So
    a ballot whose participation was refused (voting closed in between) is never counted.
    No history rows: they would record who and when.
    """
    code = sealing.new_tracking_code()
    with transaction.atomic():
        proposal = _share_lock(proposal)
        _check_window(proposal, at)
        _entry(proposal, actor)
        if not assisted and CheckIn.objects.filter(proposal=proposal, voter=actor).exists():
            # Paper (or assisted) first, then online: the vote at the location stands.
            raise ValidationError(
                _(
                    "You have already voted at a Community Home for this poll, so you cannot "
                    "vote online any more."
                ),
                code="voted_at_location",
            )
        key = PollKey.objects.filter(proposal=proposal).first()
        if key is None:
            raise ValidationError(
                _("This poll was opened without a key, so it cannot take secret ballots."),
                code="no_key",
            )
        SealedBallot.objects.create(
            proposal=proposal,
            ciphertext=sealing.seal_ballot(
                public_key=bytes(key.public_key),
                choice=choice,
                tracking_code=code,
                tag=sealing.voter_tag(proposal_id=proposal.pk, user_id=actor.pk),
                counter=time.time_ns(),
            ),
        )
        # Closing cannot have happened since the lock above (it waits for us); checked once
        # more so that SQLite, which has no row locks but serialises writers, keeps it too.
        _check_window(Proposal.objects.get(pk=proposal.pk), at)
    with transaction.atomic():
        proposal = _share_lock(proposal)
        _check_window(proposal, at)
        # A second (changed) vote finds the participation there; a race of two first votes
        # meets the unique constraint, and get_or_create then finds the other one's row.
        _participation, first = Participation.objects.get_or_create(proposal=proposal, user=actor)
        _check_window(Proposal.objects.get(pk=proposal.pk), at)
        if first:
            # In the participation's transaction, not the ballot's: it says who, never what.
            notify.participation_recorded(proposal, actor)
    return code


# --- Closing, unlocking and counting --------------------------------------------------------


def _decide(proposal: Proposal, at: datetime) -> Decision:
    community, institution = selectors.counts(proposal)
    result = tally.tally_counts(
        community=community,
        institution=institution,
        electorate=selectors.electorate_size(proposal),
        rule=tally.Rule(**proposal.rule_snapshot),
    )
    stored = result.as_dict()
    if proposal.is_poll and proposal.offerings.exists():
        # How many came by paper, for the explanation in words (`Decision.explanation`).
        stored.update(selectors.paper_totals(proposal))
    decision = Decision.objects.create(
        proposal=proposal, outcome=result.outcome, tally=stored, decided_at=at
    )
    proposal.status = Proposal.Status.ADOPTED if result.adopted else Proposal.Status.REJECTED
    return decision


def close_voting(*, proposal: Proposal, actor=None, at: datetime | None = None) -> Decision | None:
    """Close a vote whose window has ended. A board vote (or a poll without a key) is tallied
    now and its decision returned; a sealed poll stops taking ballots and waits for its
    trustees' keys (status "being counted"; None is returned). Idempotent: closing again gives
    the existing decision, or None while the poll is being counted.

    `actor` is the civil servant who closes by hand (None: the system, e.g. beat or a page
    that shows a due poll). `at` is the moment of closing (now by default); it may not be
    before the closing time.
    """
    _require_civil_servant(actor)
    with transaction.atomic():
        proposal = _lock(proposal)
        existing = Decision.objects.filter(proposal=proposal).first()
        if existing is not None:
            return existing
        if proposal.status == Proposal.Status.COUNTING:
            return None
        _require_status(proposal, Proposal.Status.VOTING)
        at = at or timezone.now()
        if at < proposal.closes_at:
            raise ValidationError(_("Voting on this proposal is still open."), code="open")
        if proposal.is_poll and PollKey.objects.filter(proposal=proposal).exists():
            proposal.status = Proposal.Status.COUNTING
            _save(proposal, actor)
            notify.keys_needed(proposal)
            return None
        decision = _decide(proposal, at)
        _save(proposal, actor)
        notify.decision_taken(proposal, decision)
        return decision


def close_if_due(proposal: Proposal) -> None:
    """What beat does, done by a page that shows `proposal` (no beat under `make run`)."""
    if proposal.status == Proposal.Status.VOTING and timezone.now() >= proposal.closes_at:
        with contextlib.suppress(ValidationError):  # withdrawn or closed in the meantime
            close_voting(proposal=proposal)
        proposal.refresh_from_db()


def close_due_proposals() -> int:
    """Close every vote whose window has ended; safe to run twice or in parallel."""
    closed = 0
    for pk in selectors.due_proposal_ids():
        try:
            close_voting(proposal=Proposal(pk=pk))
        except ValidationError:
            continue  # withdrawn or closed by another run in the meantime
        closed += 1
    return closed


def remind_closing_votes(*, within_hours: int = 48) -> int:
    """Once per vote that closes within `within_hours`, remind who has not voted (beat, hourly).
    Idempotent: a vote that has its reminder event gets no second one."""
    sent = 0
    for proposal in selectors.closing_soon(within_hours=within_hours):
        with transaction.atomic():
            locked = _lock(proposal)
            subject = f"governance.proposal:{locked.pk}"
            if locked.status != Proposal.Status.VOTING or (
                Event.objects.filter(subject=subject, kind=Kind.VOTING_CLOSING).exists()
            ):
                continue
            notify.voting_closing(locked)
            sent += 1
    return sent


def _require_trustee(proposal: Proposal, actor) -> None:
    if actor is None or not TrusteeShare.objects.filter(proposal=proposal, trustee=actor).exists():
        raise ValidationError(_("Only a trustee of this poll can do this."), code="forbidden")


@transaction.atomic
def pick_up_share(*, proposal: Proposal, actor) -> str:
    """Give a trustee their share of the poll's key, once; the held copy is erased."""
    _require_trustee(proposal, actor)
    share = TrusteeShare.objects.select_for_update().get(proposal=proposal, trustee=actor)
    if share.pickup_box is None:
        raise ValidationError(
            _("You have already seen your key. It is shown only once."), code="seen"
        )
    text = sealing.format_share(sealing.unbox_share("pickup", proposal.pk, share.pickup_box))
    share.pickup_box = None
    share.picked_up_at = timezone.now()
    share._history_user = actor
    share.save()
    return text


def _destroy_key(proposal: Proposal) -> None:
    """Erase the wrapped private key and every share the server holds for a while."""
    PollKey.objects.filter(proposal=proposal).update(
        wrapped_private_key=None, destroyed_at=timezone.now()
    )
    TrusteeShare.objects.filter(proposal=proposal).update(pickup_box=None, submitted_box=None)


def _start_tally(proposal: Proposal) -> None:
    from .tasks import tally_poll  # the task calls back into this module

    transaction.on_commit(lambda: tally_poll.delay(proposal.pk))


@transaction.atomic
def enter_share(*, proposal: Proposal, share: str, actor) -> tuple[int, int]:
    """A trustee enters a share (theirs, or one a fellow trustee gave them) to unlock a closed
    poll. Returns (keys entered, keys needed); with enough keys the tally starts (a task).
    A wrong or repeated key: a ValidationError, nothing stored."""
    _require_trustee(proposal, actor)
    proposal = _lock(proposal)
    if proposal.status != Proposal.Status.COUNTING:
        raise ValidationError(
            _("Keys can only be entered after voting has closed, until the votes are counted."),
            code="status",
        )
    key = PollKey.objects.get(proposal=proposal)
    try:
        raw = sealing.parse_share(share)
    except sealing.SealingError as error:
        raise ValidationError(
            {"share": _("This key is not right. Check every letter and digit, and try again.")}
        ) from error
    found = TrusteeShare.objects.filter(
        proposal=proposal, index=sealing.share_index(raw), fingerprint=sealing.fingerprint(raw)
    ).first()
    if found is None:
        raise ValidationError({"share": _("This key does not belong to this poll.")})
    if found.submitted_box is not None:
        raise ValidationError({"share": _("This key has already been entered.")})
    found.submitted_box = sealing.box_share("submitted", proposal.pk, raw)
    found.submitted_by = actor
    found.submitted_at = timezone.now()
    found._history_user = actor
    found.save()
    entered = TrusteeShare.objects.filter(proposal=proposal, submitted_box__isnull=False).count()
    if entered >= key.threshold:
        _start_tally(proposal)
    return entered, key.threshold


def tally_poll(*, proposal: Proposal) -> Decision:
    """Count a sealed poll once its trustees have entered enough keys: open every sealed
    ballot, keep the last per voter, write the choices with their tracking codes as new rows in
    random order with fresh keys, delete the sealed ballots and destroy the key; then decide.
    The system does this (a task); idempotent: a counted poll gives its decision."""
    with transaction.atomic():
        proposal = _lock(proposal)
        existing = Decision.objects.filter(proposal=proposal).first()
        if existing is not None:
            return existing
        _require_status(proposal, Proposal.Status.COUNTING)
        from .officing import locations_waiting  # officing builds on this module

        waiting = locations_waiting(proposal)
        if waiting:
            # Started again when the last location confirms its paper count.
            raise ValidationError(
                _("Waiting for the paper count of: %(locations)s.")
                % {"locations": ", ".join(str(location) for location in waiting)},
                code="locations",
            )
        key = PollKey.objects.select_for_update().get(proposal=proposal)
        entered = [
            sealing.unbox_share("submitted", proposal.pk, row.submitted_box)
            for row in TrusteeShare.objects.filter(proposal=proposal, submitted_box__isnull=False)
        ]
        if len(entered) < key.threshold:
            raise ValidationError(_("Not enough keys have been entered yet."), code="waiting")
        try:
            private = sealing.unwrap_private_key(
                shares=entered[: key.threshold],
                wrapped_private_key=bytes(key.wrapped_private_key),
                public_key=bytes(key.public_key),
            )
            opened = [
                sealing.open_ballot(private, ciphertext)
                for ciphertext in SealedBallot.objects.filter(proposal=proposal).values_list(
                    "ciphertext", flat=True
                )
            ]
        except sealing.SealingError as error:
            raise ValidationError(_("The keys do not open this poll."), code="key") from error
        del private
        # A paper check-in supersedes any sealed ballot of that voter (online then paper):
        # their tags are left out, so the paper vote in the batch counts instead.
        on_paper = set(
            CheckIn.objects.filter(proposal=proposal, channel=CheckIn.Channel.PAPER).values_list(
                "voter_id", flat=True
            )
        )
        tags = {
            sealing.voter_tag(proposal_id=proposal.pk, user_id=user_id)
            for user_id in Participation.objects.filter(proposal=proposal).values_list(
                "user_id", flat=True
            )
            if user_id not in on_paper
        }
        counted = sealing.last_ballot_per_voter(opened, tags)
        random.SystemRandom().shuffle(counted)
        Ballot.objects.bulk_create(
            Ballot(proposal=proposal, choice=ballot.choice, tracking_code=ballot.tracking_code)
            for ballot in counted
        )
        with pgtrigger.ignore("governance.SealedBallot:sealed_ballot_no_delete"):
            SealedBallot.objects.filter(proposal=proposal).delete()
        _destroy_key(proposal)
        decision = _decide(proposal, timezone.now())
        _save(proposal, None)
        notify.decision_taken(proposal, decision)
        return decision


@transaction.atomic
def execute_decision(*, decision: Decision, actor, at: datetime | None = None) -> Decision:
    """Carry out an adopted decision and mark the proposal carried out.

    A fund allocation is booked in the ledger (`sroi.services.allocate`) in this transaction,
    with the decision's reference and id, and linked back from the decision. When the ledger
    refuses (the fund no longer has the money), nothing is written and the proposal stays
    adopted. A decision is carried out once; a rejected one never. `at` (the demo only)
    records an execution that happened earlier; the allocation is dated on its day.

    Only a civil servant carries out (not an administrator, not a superuser without the role,
    not the system). Requests at the same moment wait on the decision's row lock; the first
    carries it out, the others are refused with code "done" and write nothing.
    """
    if actor is None or not actor.has_role(Role.CIVIL_SERVANT):
        raise ValidationError(_("Only a civil servant can do this."), code="forbidden")
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
    notify.carried_out(proposal)
    return decision
