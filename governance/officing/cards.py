"""Poll cards for a poll's whole roll, made by the worker (eager under `make run`).

The roll is read with a server-side cursor and rendered `PART_SIZE` cards at a time: each part is
one PDF written straight into a ZIP file on disk, so the worker's memory holds one part, whatever
the size of the roll. After each part the run's progress is saved; the page shows it.
"""

from __future__ import annotations

import logging
import tempfile
import zipfile
from itertools import islice

from celery import current_app
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from accounts.models import User
from common.addresses import public_url, typed_address
from common.qr import qr_svg
from common.services import service
from governance.models import ElectorateEntry, PollOffering, Proposal
from governance.models.officing import PollCardRun
from governance.officing.checkin import poll_card_number
from governance.officing.printing import _pdf

logger = logging.getLogger(__name__)

PART_SIZE = 250  # cards per PDF in the ZIP: a few megabytes of the worker's memory at most


def _roll_is_frozen(proposal: Proposal) -> None:
    """The state part of `governance.print_poll_cards`: a poll whose roll is frozen."""
    if not proposal.is_poll or proposal.status not in (
        Proposal.Status.VOTING,
        Proposal.Status.COUNTING,
    ):
        raise ValidationError(
            _("Poll cards can be made once voting has opened (the roll is frozen then)."),
            code="status",
        )


@service(
    "governance.print_poll_cards",
    obj=lambda kw: Proposal.objects.select_for_update().get(pk=kw["proposal"].pk),
    state=_roll_is_frozen,
    who="governance.manage_locations",
    system=True,
)
def request_poll_cards(*, proposal: Proposal, actor: User | None) -> PollCardRun:
    """A civil servant asks for the poll cards of a poll's frozen roll; the worker makes them
    after commit. While a run for this poll is still busy, that run is returned."""
    busy = PollCardRun.objects.filter(
        proposal=proposal, status__in=(PollCardRun.Status.PENDING, PollCardRun.Status.RUNNING)
    ).first()
    if busy is not None:
        return busy
    run = PollCardRun.objects.create(
        proposal=proposal,
        requested_by=actor,
        total=ElectorateEntry.objects.filter(proposal=proposal).count(),
    )
    # The task by its name from Celery's registry: tasks.py imports this module, not the reverse.
    make_task = current_app.tasks["governance.tasks.make_poll_cards"]
    transaction.on_commit(lambda: make_task.delay(run.pk))
    return run


def _parts(proposal: Proposal):
    entries = (
        ElectorateEntry.objects.filter(proposal=proposal)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
        .iterator(chunk_size=PART_SIZE)
    )
    while part := list(islice(entries, PART_SIZE)):
        yield [(entry.user, poll_card_number(entry)) for entry in part]


def card_context(proposal: Proposal, cards: list, locations: list) -> dict:
    """What the poll cards of one part print, besides each card's name and number."""
    closes_at = timezone.localtime(proposal.closes_at) if proposal.closes_at else None
    # Where to vote online, as people type it from paper, and as a QR code to it.
    url = public_url(reverse("governance:vote", args=[proposal.pk]))
    address = typed_address(url)
    label = _("QR code with the address %(address)s") % {"address": address}
    return {
        "proposal": proposal,
        "cards": cards,
        "locations": locations,
        "closes_at": closes_at,
        "vote_address": address,
        "vote_qr": qr_svg(url, label=label),
    }


def _render_part(proposal: Proposal, cards: list, locations: list) -> bytes:
    return _pdf("governance/print/poll_cards.html", card_context(proposal, cards, locations))


def make_poll_cards(*, run_id: int) -> PollCardRun:
    """The worker makes a run's poll cards (the system acts; idempotent: a finished run is
    left alone). A failure is recorded on the run, for the page to show."""
    run = PollCardRun.objects.select_related("proposal").get(pk=run_id)
    if not run.is_busy:
        return run
    PollCardRun.objects.filter(pk=run.pk).update(status=PollCardRun.Status.RUNNING, done=0)
    proposal = run.proposal
    locations = [
        offering.location
        for offering in PollOffering.objects.filter(proposal=proposal)
        .select_related("location")
        .order_by("location__name")
    ]
    try:
        with tempfile.TemporaryFile() as spool:
            with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as archive:
                done = 0
                for number, cards in enumerate(_parts(proposal), start=1):
                    pdf = _render_part(proposal, cards, locations)
                    archive.writestr(f"stemkaarten-{proposal.pk}-deel-{number:03d}.pdf", pdf)
                    done += len(cards)
                    PollCardRun.objects.filter(pk=run.pk).update(done=done)
            spool.seek(0)
            run.refresh_from_db()
            name = f"stemkaarten-{proposal.pk}-{get_random_string(16).lower()}.zip"
            run.file.save(name, File(spool), save=False)
    except Exception as error:  # recorded for the page; the worker logs the trace
        logger.exception("poll cards of run %s failed", run.pk)
        PollCardRun.objects.filter(pk=run.pk).update(
            status=PollCardRun.Status.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )
        return PollCardRun.objects.get(pk=run.pk)
    run.status = PollCardRun.Status.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["file", "status", "finished_at", "done"])
    return run


def latest_run(proposal: Proposal) -> PollCardRun | None:
    """The poll's most recent poll cards run, for the page."""
    return PollCardRun.objects.filter(proposal=proposal).first()
