"""Closing votes at the end of their window (Celery beat, every minute)."""

import logging

from celery import shared_task
from django.core.exceptions import ValidationError

from . import selectors, services
from .models import Proposal

logger = logging.getLogger(__name__)


@shared_task
def close_due_proposals() -> int:
    """Close every vote whose window has ended; safe to run twice or in parallel."""
    closed = 0
    for pk in selectors.due_proposal_ids():
        try:
            services.close_voting(proposal=Proposal(pk=pk))
        except ValidationError as error:
            # Withdrawn or closed by another run in the meantime: nothing left to do.
            logger.info("proposal %s not closed: %s", pk, error.messages)
            continue
        closed += 1
    return closed
