"""The officers' table: finding a resident on the frozen roll (poll card number, or name and
date of birth), checking them in (once per resident per poll, enforced by the database) and the
assisted vote on the station's screen. A paper check-in after an online vote supersedes the
online ballot without opening it (see `governance.models.officing`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import MemberVerification, User, VerificationCode
from accounts.services import (
    CODE_ALPHABET,
    CODE_GROUP_LENGTH,
    CODE_GROUPS,
    hash_code,
    verify_member,
)
from common.services import require, service
from governance.models import (
    CheckIn,
    Choice,
    ElectorateEntry,
    OfficerShift,
    Participation,
    Proposal,
)
from governance.models.officing import Location
from governance.officing.stations import (
    Station,
    _require_station,
    current_shift,
    not_on_shift,
    refuse_own_location,
    require_offered,
    require_open,
    station_for,
)
from governance.services import (
    _cast_sealed_ballot,
    _check_window,
    _share_lock,
    closed_by_the_database,
    tell_where_the_database_does_not,
)

# How long after an assisted check-in its officer may enter the resident's vote.
ASSISTED_WINDOW = timedelta(minutes=30)


def poll_card_number(entry: ElectorateEntry) -> str:
    """The number printed on a resident's poll card: the roll entry and a keyed check, so a
    number cannot be guessed from another, e.g. "1234-7K2Q9A"."""
    check = salted_hmac("governance.officing.poll-card", str(entry.pk)).hexdigest()[:6].upper()
    return f"{entry.pk}-{check}"


def _entry_for_card(proposal: Proposal, number: str) -> ElectorateEntry | None:
    head, _sep, check = (number or "").strip().upper().partition("-")
    if not head.isdigit() or not check:
        return None
    entry = (
        ElectorateEntry.objects.filter(proposal=proposal, pk=int(head))
        .select_related("user")
        .first()
    )
    if entry is None or not constant_time_compare(poll_card_number(entry), f"{head}-{check}"):
        return None
    return entry


def looks_like_verification_code(text: str) -> bool:
    """Whether `text` has the form of a printed verification code: "ABCD-EFGH-JKMN", with
    dashes, spaces or nothing between the groups. A name ("Peter de Graaf") does not."""
    groups = re.split(r"[-\s]+", (text or "").strip().upper())
    if len(groups) == 1:
        whole = groups[0]
        groups = [whole[i : i + CODE_GROUP_LENGTH] for i in range(0, len(whole), CODE_GROUP_LENGTH)]
    return len(groups) == CODE_GROUPS and all(
        len(group) == CODE_GROUP_LENGTH and all(ch in CODE_ALPHABET for ch in group)
        for group in groups
    )


def _entry_for_code(proposal: Proposal, text: str) -> ElectorateEntry | None:
    """The roll entry of the resident who redeemed this printed verification code, if any. An
    unused code finds nobody; only the code's hash is stored, so the lookup is by hash."""
    if not looks_like_verification_code(text):
        return None
    used_by = (
        VerificationCode.objects.filter(code_hash=hash_code(text), used_by__isnull=False)
        .values_list("used_by_id", flat=True)
        .first()
    )
    if used_by is None:
        return None
    return (
        ElectorateEntry.objects.filter(proposal=proposal, user_id=used_by)
        .select_related("user")
        .first()
    )


@dataclass(frozen=True)
class RollMatch:
    """A resident on the roll as the officer sees them: no choice, only whether they took part,
    and the date of birth recorded at their verification (None: not on record)."""

    user: User
    took_part_online: bool
    check_in: CheckIn | None
    date_of_birth: date | None = None


def _by_name_and_birth(proposal: Proposal, name: str, born: date):
    """Roll entries whose name has every word of `name` and whose date of birth is `born`, or
    not on record (the officer then checks it on the identity document)."""
    entries = ElectorateEntry.objects.filter(proposal=proposal).select_related("user")
    for word in name.split():
        entries = entries.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__username__iexact=word)
        )
    in_force = MemberVerification.objects.filter(user=OuterRef("user_id"), revoked_at__isnull=True)
    return entries.filter(
        Exists(in_force.filter(date_of_birth=born))
        | ~Exists(in_force.filter(date_of_birth__isnull=False))
    )


def find_on_roll(
    *, proposal: Proposal, query: str, date_of_birth: date | None = None, limit: int = 20
) -> list[RollMatch]:
    """Residents on the frozen roll matching a poll card number, the printed verification code
    they redeemed, or a name together with a date of birth (an officer never browses the roll by
    name alone). Nobody outside the roll is ever found."""
    query = (query or "").strip()
    if len(query) < 2:
        return []
    entry = _entry_for_card(proposal, query) or _entry_for_code(proposal, query)
    if entry is not None:
        entries = [entry]
    elif date_of_birth is None:
        return []
    else:
        entries = list(
            _by_name_and_birth(proposal, query, date_of_birth).order_by(
                "user__last_name", "user__first_name", "pk"
            )[:limit]
        )
    user_ids = [e.user_id for e in entries]
    participants = dict(
        Participation.objects.filter(proposal=proposal, user_id__in=user_ids).values_list(
            "user_id", "channel"
        )
    )
    check_ins = {
        c.voter_id: c
        for c in CheckIn.objects.filter(proposal=proposal, voter_id__in=user_ids).select_related(
            "location"
        )
    }
    births = dict(
        MemberVerification.objects.filter(
            user_id__in=user_ids, revoked_at__isnull=True
        ).values_list("user_id", "date_of_birth")
    )
    return [
        RollMatch(
            user=e.user,
            took_part_online=participants.get(e.user_id) == Participation.Channel.ONLINE,
            check_in=check_ins.get(e.user_id),
            date_of_birth=births.get(e.user_id),
        )
        for e in entries
    ]


def _open_here(station: Station) -> None:
    """The state part of `governance.check_in`: the voting window is open and the poll is
    offered at the location (checked again under the window's lock in `_check_in`), which is
    not closed."""
    require_open(station.location)
    _check_window(station.proposal)
    require_offered(station)


def _offered_and_open(station: Station) -> None:
    """The state part of `governance.verify_at_table`."""
    require_open(station.location)
    require_offered(station)


@service(
    "governance.check_in",
    obj=station_for,
    state=_open_here,
    who="governance.act_as_officer",
    message=not_on_shift,
)
def check_in(
    *,
    proposal: Proposal,
    location: Location,
    voter: User,
    channel: str,
    identity_check: str,
    actor: User | None,
) -> CheckIn:
    """Check a resident in at the table: on the frozen roll, once per poll (the database keeps
    that promise; two officers at the same moment record one). Paper after an online vote
    supersedes the online ballot (left out at the tally, never opened now); the participation
    is written here when there was none."""
    now = timezone.now()
    if channel not in CheckIn.Channel.values:
        raise ValidationError({"channel": _("Choose paper or assisted voting.")})
    if identity_check not in CheckIn.IdentityCheck.values:
        raise ValidationError({"identity_check": _("Say how you checked who this is.")})
    try:
        with closed_by_the_database():
            return _check_in(proposal, location, voter, channel, identity_check, actor, now)
    except IntegrityError as error:
        # SQLite has no row locks: the unique constraint refused the second of two at once.
        raise ValidationError(_already(proposal, voter), code="checked_in") from error


def _already(proposal: Proposal, voter: User) -> str:
    done = CheckIn.objects.filter(proposal=proposal, voter=voter).select_related("location")
    where = done.first().location if done.exists() else None
    if where is None:
        return _("This resident has already been checked in for this poll.")
    return _("This resident has already been checked in for this poll, at %(location)s.") % {
        "location": where
    }


def _check_in(proposal, location, voter, channel, identity_check, actor, now) -> CheckIn:
    shift = _require_station(proposal, location, actor, OfficerShift.Task.CHECK_IN)
    proposal = _share_lock(proposal)  # closing waits for a check-in in progress
    _check_window(proposal)
    # The roll entry's row lock: a second officer checking in the same resident waits here.
    entry = ElectorateEntry.objects.select_for_update().filter(proposal=proposal, user=voter)
    if not entry.exists():
        raise ValidationError(
            _("This resident is not on the roll of this poll (frozen when voting opened)."),
            code="not_in_electorate",
        )
    refuse_own_location(
        voter=voter,
        actor=actor,
        location=location,
        opens=proposal.opens_at,
        closes=proposal.closes_at,
    )
    if CheckIn.objects.filter(proposal=proposal, voter=voter).exists():
        raise ValidationError(_already(proposal, voter), code="checked_in")
    participation = Participation.objects.filter(proposal=proposal, user=voter).first()
    superseded = participation is not None and channel == CheckIn.Channel.PAPER
    if participation is not None and channel == CheckIn.Channel.ASSISTED:
        # An assisted vote is a sealed ballot like an online one: the last counts anyway.
        superseded = False
    row = CheckIn.objects.create(
        proposal=proposal,
        voter=voter,
        location=location,
        shift=shift,
        channel=channel,
        identity_check=identity_check,
        superseded_online=superseded,
        checked_in_at=now,
    )
    if participation is None:
        # An online vote of the same resident may record its participation at this moment (its
        # own transaction, which takes no lock that would tie it to the ballot): the unique
        # constraint then makes us wait for it, and get_or_create finds its row. Either way the
        # paper check-in stands and the tally leaves the online ballot out.
        _row, created = Participation.objects.get_or_create(
            proposal=proposal, user=voter, defaults={"channel": channel}
        )
        if created:
            tell_where_the_database_does_not(proposal.pk, voter.pk, now)
    return row


def cast_assisted_ballot(
    *, proposal: Proposal, location: Location, voter: User, choice: str, actor: User | None
) -> str:
    """An officer enters the vote of a resident checked in for assisted voting, on the station's
    screen: a sealed ballot like any other (the last counts); the tracking code is returned for
    the resident's receipt. Not a `@service`: the sealed ballot's two transactions must stay two
    (`services.cast_vote`); the officer's rule is asked here."""
    try:
        require(actor, "governance.act_as_officer")
    except ValidationError:
        raise ValidationError(not_on_shift({"location": location}), code="forbidden") from None
    if choice not in Choice.values:
        raise ValidationError(_("Choose for, against or abstain."), code="choice")
    require_open(location)  # as the check-in's state asks (`_open_here`)
    shift = _require_station(proposal, location, actor, OfficerShift.Task.CHECK_IN)
    check_in = CheckIn.objects.filter(
        proposal=proposal, voter=voter, location=location, channel=CheckIn.Channel.ASSISTED
    ).first()
    if check_in is None:
        raise ValidationError(
            _("Check the resident in for assisted voting at this location first."),
            code="not_checked_in",
        )
    # With the resident at the table: by the officer who checked them in, in that shift, soon
    # after. Later, or by another officer, a ballot in their name would replace theirs (the
    # last counts) without them (insider review).
    if check_in.shift_id != shift.pk or timezone.now() > check_in.checked_in_at + ASSISTED_WINDOW:
        raise ValidationError(
            _(
                "Only the officer who checked the resident in enters their vote, within "
                "%(minutes)d minutes, with the resident at the table."
            )
            % {"minutes": ASSISTED_WINDOW.seconds // 60},
            code="not_at_the_table",
        )
    return _cast_sealed_ballot(proposal, choice, voter, assisted=True)


def assisted_voter(
    *, proposal: Proposal, location: Location, officer: User, voter_id: int
) -> User | None:
    """The resident whose vote `officer` may enter on the station's screen now: checked in for
    assisted voting for this poll at this location by this officer, in their current shift,
    less than `ASSISTED_WINDOW` ago (what `cast_assisted_ballot` accepts). Anyone else: None,
    so the page names nobody by number (security review S3). Within the window a vote already
    entered may still change at the table (the last counts); after it nobody's vote can be
    entered, and a check-in happens once per poll, so the page is gone for good."""
    shift = current_shift(officer=officer, location=location, task=OfficerShift.Task.CHECK_IN)
    if shift is None:
        return None
    found = CheckIn.objects.filter(
        proposal=proposal, location=location, channel=CheckIn.Channel.ASSISTED, shift=shift,
        voter_id=voter_id, checked_in_at__gte=timezone.now() - ASSISTED_WINDOW,
    ).select_related("voter")  # fmt: skip
    check_in = found.first()
    return check_in.voter if check_in is not None else None


# --- Verified at the table (a civil servant on duty) -------------------------------------------


@dataclass(frozen=True)
class TableVerification:
    """A resident verified at the table, and whether the frozen roll of this poll has them:
    a person verified after voting opened is verified but not on the roll."""

    verification: MemberVerification
    on_roll: bool
    roll_frozen: bool


def on_duty_here(actor, location: Location, at: datetime | None = None) -> bool:
    """Whether the actor is in a current shift of theirs (any task) at this location."""
    return any(
        current_shift(officer=actor, location=location, task=task, at=at) is not None
        for task in OfficerShift.Task.values
    )


ON_DUTY_ONLY = gettext_lazy("Only a civil servant on duty here can verify a resident.")


@service(
    "governance.verify_at_table",
    obj=station_for,
    state=_offered_and_open,
    who="governance.manage_locations",
    message=ON_DUTY_ONLY,
)
def verify_at_table(
    *,
    proposal: Proposal,
    location: Location,
    user: User,
    area,
    date_of_birth: date | None,
    actor: User | None,
) -> TableVerification:
    """A civil servant in a current shift at this location verifies a resident in person, with
    the same rules as online (`accounts.services.verify_member`) and the date of birth recorded.
    The roll of a poll is frozen when voting opens: verifying now never puts anyone on it."""
    if date_of_birth is None:
        raise ValidationError(
            {"date_of_birth": _("Enter the date of birth. As on the identity document.")}
        )
    if area is None or not proposal.areas.filter(pk=area.pk).exists():
        raise ValidationError({"area": _("Choose an area of this poll.")})
    verification = verify_member(
        user=user,
        area=area,
        actor=actor,
        date_of_birth=date_of_birth,
        note=_("Verified at the table of %(location)s.") % {"location": location},
    )
    return TableVerification(
        verification=verification,
        on_roll=ElectorateEntry.objects.filter(proposal=proposal, user=user).exists(),
        roll_frozen=proposal.status not in (Proposal.Status.CONCEPT, Proposal.Status.DISCUSSION),
    )
