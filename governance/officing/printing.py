"""Printed papers for Community Homes (WeasyPrint): ballot papers for a location and a results
sheet of a paper count for the officers to sign (the poll cards of a whole roll are made by the
worker: `governance.officing.cards`).
Everything is inline; WeasyPrint may fetch nothing."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from governance.models import Choice, Proposal
from governance.models.officing import Location, PaperCount
from governance.officing import paper_check_ins
from governance.officing.forms import batch_label


def _refuse_fetch(url: str, *args, **kwargs):
    raise ValueError(f"a printed paper refers to an outside resource: {url}")


def _pdf(template: str, context: dict) -> bytes:
    # Here, not at the top: WeasyPrint is large; only printing pays for it (memory, start-up).
    from weasyprint import HTML  # noqa: PLC0415 - heavy library, loaded only when used

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_refuse_fetch).write_pdf()


def ballot_papers_pdf(proposal: Proposal, location: Location, copies: int) -> bytes:
    """`copies` ballot papers for a location, one a page: the question and three boxes."""
    return _pdf(
        "governance/print/ballot_papers.html",
        {
            "proposal": proposal,
            "location": location,
            "copies": range(copies),
            "choices": Choice.choices,
        },
    )


def notice_pdf(proposal: Proposal, location: Location) -> bytes:
    """A notice for the Community Home's board: what is decided, that one can vote here on paper
    or with help, until when, and what to bring (B1 Dutch, one page)."""
    closes_at = timezone.localtime(proposal.closes_at) if proposal.closes_at else None
    context = {"proposal": proposal, "location": location, "closes_at": closes_at}
    return _pdf("governance/print/notice.html", context)


def results_sheet_pdf(count: PaperCount) -> bytes:
    """The results sheet of a batch's paper count, with lines for both officers to sign."""
    return _pdf(
        "governance/print/results_sheet.html",
        {
            "count": count,
            "proposal": count.proposal,
            "location": count.location,
            "check_ins": paper_check_ins(count.proposal, count.location, count.shift),
            "batch": batch_label(count.shift) if count.shift_id else "",
            "seal": getattr(count, "seal", None),
            "printed_at": timezone.localtime(),
        },
    )
