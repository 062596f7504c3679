"""Printed papers for Community Homes (WeasyPrint): a poll card per resident on the roll, ballot
papers for a location, and a results sheet of a paper count for the officers to sign.
Everything is inline; WeasyPrint may fetch nothing."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from .models import ElectorateEntry, Proposal
from .officing import paper_check_ins, poll_card_number
from .officing_models import Location, PaperCount, PollOffering


def _refuse_fetch(url: str, *args, **kwargs):
    raise ValueError(f"a printed paper refers to an outside resource: {url}")


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_refuse_fetch).write_pdf()


def poll_cards_pdf(proposal: Proposal) -> bytes:
    """One poll card (letter) per resident on the frozen roll: their card number, where and
    until when they can vote online or at a Community Home."""
    entries = list(
        ElectorateEntry.objects.filter(proposal=proposal)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    locations = [
        o.location
        for o in PollOffering.objects.filter(proposal=proposal)
        .select_related("location")
        .order_by("location__name")
    ]
    cards = [(entry.user, poll_card_number(entry)) for entry in entries]
    return _pdf(
        "governance/print/poll_cards.html",
        {
            "proposal": proposal,
            "cards": cards,
            "locations": locations,
            "closes_at": timezone.localtime(proposal.closes_at) if proposal.closes_at else None,
        },
    )


def ballot_papers_pdf(proposal: Proposal, location: Location, copies: int) -> bytes:
    """`copies` ballot papers for a location, one a page: the question and three boxes."""
    from .models import Choice

    return _pdf(
        "governance/print/ballot_papers.html",
        {
            "proposal": proposal,
            "location": location,
            "copies": range(copies),
            "choices": Choice.choices,
        },
    )


def results_sheet_pdf(count: PaperCount) -> bytes:
    """The results sheet of a batch's paper count, with lines for both officers to sign."""
    from .officing_forms import batch_label

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
