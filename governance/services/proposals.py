"""Proposals from draft to open voting: create, update, attach, discuss, withdraw, open voting."""

from dataclasses import asdict
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Area, User
from common.services import service
from initiatives.models import Classification, Initiative
from security.uploads import DOCUMENTS, clean_upload, display_name
from sroi import services as ledger
from sroi.models import Fund

from .. import notify, sealing, selectors
from ..models import (
    Attachment,
    Body,
    DecisionRule,
    ElectorateEntry,
    PollKey,
    Proposal,
    Side,
    TrusteeShare,
)
from .base import _lock, _save, _status_is
from .counting import _destroy_key


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
    if kind == Proposal.Kind.FUND_PACKAGE:
        # Only a budget round makes a package (create_package_proposal), with its lines.
        raise ValidationError(
            {"kind": _("A package of allocations comes from a budget round only.")}, code="kind"
        )
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


# The state part of each rule (governance/rules.py), with the status's own refusal.
_editable = _status_is(Proposal.Status.CONCEPT, Proposal.Status.DISCUSSION)
# Changing a draft or a proposal under discussion: the page's rule, of the locked proposal.
_editing = service(
    "governance.edit_proposal",
    obj="proposal",
    load=_lock,
    state=_editable,
    who="governance.prepare_proposal",
    system=True,
)
_draft = _status_is(Proposal.Status.CONCEPT)
_under_discussion = _status_is(Proposal.Status.DISCUSSION)
_withdrawable = _status_is(
    Proposal.Status.CONCEPT, Proposal.Status.DISCUSSION, Proposal.Status.VOTING
)


@service("governance.prepare_proposal", system=True)
def create_proposal(
    *,
    title: str,
    text: str,
    actor: User | None,
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


@_editing
def update_proposal(
    *,
    proposal: Proposal,
    title: str,
    text: str,
    actor: User | None,
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
    if proposal.is_package:
        raise ValidationError(
            _("A package of allocations cannot be changed: the board adopts or rejects it."),
            code="package",
        )
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


@_editing
def add_attachment(*, proposal: Proposal, title: str, file, actor: User | None) -> Attachment:
    """Attach a document to a proposal that can still be changed."""
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


@service("governance.prepare_proposal", system=True)
def save_proposal(
    *,
    proposal: Proposal | None,
    actor: User | None,
    attachment=None,
    attachment_title: str = "",
    **fields,
) -> Proposal:
    """Create (`proposal=None`) or change a proposal and attach a document, as one action.

    One transaction: when the attachment is refused, the proposal is not saved either, so
    sending the form again does not make a second proposal. The page's whole rule is asked by
    the service doing the work: `create_proposal` (prepare_proposal) or `update_proposal`
    (edit_proposal: in draft or under discussion); this one asks their "who" part.
    """
    if proposal is None:
        proposal = create_proposal(actor=actor, **fields)
    else:
        proposal = update_proposal(proposal=proposal, actor=actor, **fields)
    if attachment:
        add_attachment(proposal=proposal, title=attachment_title, file=attachment, actor=actor)
    return proposal


@service(
    "governance.start_discussion",
    obj="proposal",
    load=_lock,
    state=_draft,
    who="governance.prepare_proposal",
    system=True,
)
def start_discussion(*, proposal: Proposal, actor: User | None) -> Proposal:
    """Publish a draft: from now on members comment and the committees advise."""
    proposal.status = Proposal.Status.DISCUSSION
    proposal.discussion_started_at = timezone.now()
    _save(proposal, actor)
    notify.discussion_started(proposal)
    return proposal


@service(
    "governance.withdraw_proposal",
    obj="proposal",
    load=_lock,
    state=_withdrawable,
    who="governance.prepare_proposal",
    system=True,
)
def withdraw_proposal(*, proposal: Proposal, reason: str, actor: User | None) -> Proposal:
    """Withdraw a proposal before it is decided; any votes cast stay uncounted."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for withdrawing the proposal.")})
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


@service(
    "governance.open_voting",
    obj="proposal",
    load=_lock,
    state=_under_discussion,
    who="governance.prepare_proposal",
    system=True,
)
def open_voting(*, proposal: Proposal, closes_at: datetime, actor: User | None) -> Proposal:
    """Open the voting window now and freeze the roll: a body's voting seat holders, or every
    verified community member of the poll's areas at this moment."""
    now = timezone.now()
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
