"""Closing votes at the end of their window (Celery beat, every minute) and counting sealed
polls once their trustees have entered enough keys."""

import logging

from celery import shared_task
from django.core.exceptions import ValidationError

from . import notify, services
from .models import Proposal
from .officing.cards import make_poll_cards as make

logger = logging.getLogger(__name__)


@shared_task
def close_due_proposals() -> int:
    """Close every vote whose window has ended; safe to run twice or in parallel."""
    return services.close_due_proposals()


@shared_task
def remind_closing_votes() -> int:
    """Remind voters of votes that close within 48 hours; once per vote (hourly)."""
    return services.remind_closing_votes()


@shared_task
def tally_poll(proposal_id: int) -> None:
    """Count a sealed poll whose keys are in; idempotent (a counted poll is left alone)."""
    try:
        services.tally_poll(proposal=Proposal(pk=proposal_id))
    except ValidationError as error:
        logger.warning("poll %s not counted: %s", proposal_id, error.messages)


@shared_task
def make_poll_cards(run_id: int) -> None:
    """Make the poll cards of a Community Home poll's roll (`governance.officing.cards`); idempotent."""
    make(run_id=run_id)


@shared_task(name="governance.tell_participations", ignore_result=True)
def tell_participations() -> int:
    """The waiting "you took part" notices (beat, every 30 seconds); each voter told once."""
    return notify.tell_participations()


@shared_task(name="governance.tell_participation", ignore_result=True)
def tell_participation(proposal_id: int, voter_id: int, moment: str) -> None:
    """One "you took part" notice, as votes queued it before the notices waited in the database
    (`ParticipationNotice`); kept so that messages queued before an upgrade are still told."""
    notify.record_participation(proposal_id, voter_id, moment)
