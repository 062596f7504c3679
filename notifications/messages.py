"""What each kind of event says, in plain words (B1), with the details the event carries.

A subject and one or two short sentences; the link to the one thing to do comes with every
message. Placeholders are filled from `Event.data`; a missing detail leaves an empty space.
"""

import re
from collections import defaultdict

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from .models import Kind

MESSAGES = {
    Kind.PROPOSAL_DISCUSSION: (
        _("New proposal: {title}"),
        _("There is a new proposal: {title}. You can read it and give your opinion."),
    ),
    Kind.VOTING_OPENED: (
        _("You can vote: {title}"),
        _("The vote on {title} has started. You can vote until {closes_at}."),
    ),
    Kind.VOTING_CLOSING: (
        _("Vote soon: {title}"),
        _("The vote on {title} closes on {closes_at}. Do you still want to vote?"),
    ),
    Kind.DECISION_TAKEN: (
        _("Decision: {title}"),
        _("A decision was taken on {title}. {explanation}"),
    ),
    Kind.ALLOCATION_PAID: (
        _("Money paid to {initiative}"),
        # {paid_on}: "It was paid on <date>." (an event from before it was told has none)
        _("{amount} was paid to {initiative} from {fund}. {paid_on}"),
    ),
    Kind.INTAKE_LINK: (
        _("Your intake for {initiative}"),
        _(
            "You can fill in the intake for {initiative} with the link below. "
            "The link works once and until {expires}."
        ),
    ),
    Kind.INTAKE_TO_CONFIRM: (
        _("Intake to confirm: {initiative}"),
        _("The intake of {initiative} is filled in. Please check and confirm it."),
    ),
    Kind.REALISATION_TO_VERIFY: (
        _("Realisation to verify: {contract}"),
        _("A realisation of {value} for contract {contract} waits for a second check."),
    ),
    Kind.CODE_BATCH_TO_APPROVE: (
        _("Codes to approve: {count} codes"),
        _(
            "{issuer} wants to print {count} verification codes for {area}. Please approve or refuse."
        ),
    ),
    Kind.COMMENT: (
        _("New comment on {title}"),
        _("Someone wrote a comment on {title}."),
    ),
    Kind.ADVICE: (
        _("Advice on {title}"),
        _("The advisory committee gave advice on {title}."),
    ),
    Kind.PLAN_REVIEWED: (
        _("Your plan was reviewed: {title}"),
        _("The municipality looked at your plan {title}. {outcome} {reason}"),
    ),
    Kind.PARTICIPATION: (
        _("You took part: {title}"),
        _("You took part in the vote on {title} on {moment}. Your vote is secret."),
    ),
    Kind.BUDGET_BALLOT: (
        _("You voted: {title}"),
        _(
            "You voted in {title} on {moment}. Your choice is published with all ballots, "
            "without your name. If you did not vote, tell the municipality."
        ),
    ),
    Kind.AUTHENTICATOR_SET: (
        _("An authenticator app was set up for your account"),
        _(
            "On {moment} an authenticator app was set up for your account. Was that not you? "
            "Tell the functional administrator of the municipality at once: someone knows your "
            "password."
        ),
    ),
    Kind.PROPOSAL_WITHDRAWN: (
        _("Withdrawn: {title}"),
        _("The proposal {title} was withdrawn. The reason: {reason}"),
    ),
    Kind.KEYS_NEEDED: (
        _("Your key is needed: {title}"),
        _("Voting on {title} has closed. Please enter your key, so that the votes can be counted."),
    ),
    Kind.DECISION_CARRIED_OUT: (
        _("Carried out: {title}"),
        _("The decision on {title} was carried out."),
    ),
    Kind.INTAKE_STARTED: (
        _("Intake started: {initiative}"),
        _("The initiator of {initiative} has started the intake with the link."),
    ),
    Kind.INTAKE_CONFIRMED: (
        _("Intake confirmed: {initiative}"),
        _("The municipality has checked and confirmed the intake of {initiative}."),
    ),
    Kind.ALLOCATION_RETURNED: (
        _("Money returned by {initiative}"),
        _("{initiative} gave {amount} back to {fund}. This money was not spent."),
    ),
    Kind.ALLOCATION_CLOSED: (
        _("Allocation closed: {initiative}"),
        _(
            "The allocation to {initiative} from {fund} is closed. {released} goes back to the fund."
        ),
    ),
    Kind.ALLOCATION_REVERSED: (
        _("Booking reversed: {initiative}"),
        _("A booking of {amount} for {initiative} was reversed. The reason: {reason}"),
    ),
    Kind.CODE_BATCH_APPROVED: (
        _("Codes approved: {count} codes"),
        _(
            "{approver} approved your {count} verification codes for {area}. You can print them now."
        ),
    ),
    Kind.PROFILE_PUBLISHED: (
        _("Profile online: {initiative}"),
        _("The profile of {initiative} from the intake is now on the site. Everyone can see it."),
    ),
    Kind.PROFILE_WITHDRAWN: (
        _("Profile offline: {initiative}"),
        _("The profile of {initiative} from the intake is no longer on the site."),
    ),
    Kind.CODE_BATCH_PRINTED: (
        _("Codes printed: {count} codes"),
        _("{issuer} printed {count} verification codes for {area}."),
    ),
    Kind.LOCATION_CLOSED: (
        _("Closed: {location}"),
        _("{location} is closed, so your shifts there do not take place. The reason: {reason}"),
    ),
    Kind.SHIFT_ADDED: (
        _("Your shift: {location}, {starts}"),
        _(
            "You have a shift in {location} ({address}), from {starts} to {ends}. "
            "Your task: {task}. Decision: {appointed_by}."
        ),
    ),
    Kind.SHIFT_CANCELLED: (
        _("Shift withdrawn: {location}, {starts}"),
        _("Your shift in {location} on {starts} does not take place. The reason: {reason}"),
    ),
    Kind.SHIFT_CHANGED: (
        _("Shift changed: {location}, {starts}"),
        _(
            "Your shift in {location} has changed. Before: {was_task}, from {was_starts} to "
            "{was_ends}. Now: {task}, from {starts} to {ends}. The reason: {reason}"
        ),
    ),
}


def in_each_language(make) -> dict[str, str]:
    """`make()` rendered once per language of the site, for a detail that is words (a decision's
    explanation, a date): {"nl": ..., "en": ...}; `render` picks the reader's language."""
    values = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            values[code] = str(make())
    return values


def moment_in_each_language(value) -> dict[str, str]:
    """A moment (an aware datetime) as the reader reads it, in local time, for each language."""
    local = timezone.localtime(value)
    return in_each_language(lambda: formats.date_format(local, "DATETIME_FORMAT"))


def _in_active_language(value) -> str:
    if isinstance(value, dict):
        language = translation.get_language() or settings.LANGUAGE_CODE
        return str(
            value.get(language[:2])
            or value.get(settings.LANGUAGE_CODE)
            or next(iter(value.values()), "")
        )
    return str(value)


def render(kind: str, data: dict) -> tuple[str, str]:
    """The subject and the text of an event in the active language."""
    subject, body = MESSAGES[Kind(kind)]
    values = defaultdict(str, {key: _in_active_language(value) for key, value in data.items()})
    subject, body = str(subject).format_map(values), str(body).format_map(values)
    return _one_stop(subject.strip()), _one_stop(body.strip())


# A sentence's full stop after a value that ends a sentence itself ("… in Bijlmer?.").
_DOUBLE_STOP = re.compile(r"([?!.])\.(?=\s|$)")


def _one_stop(text: str) -> str:
    return _DOUBLE_STOP.sub(r"\1", text)
