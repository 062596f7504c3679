"""Money, progress bars and the balance chart for sroi's templates."""

from decimal import Decimal

from django import template
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from common.dates import short_date

from .. import charts
from ..formatting import NEGATIVE, format_money
from ..models import Account, Allocation, AllocationState, Transaction
from ..valuation import Progress

register = template.Library()


@register.filter
def money(value) -> str:
    """€ 1.234,56 in Dutch, € 1,234.56 in English; a dash for nothing. A negative amount comes
    in a span that keeps it on one line: a browser may break a line between the minus and the
    euro sign, and did in a narrow table cell on a phone, "−" at the end of one line and
    "€ 30.000,00", a positive-looking amount, on the next (2026-12-07)."""
    text = format_money(value)
    if text.startswith(NEGATIVE):
        return format_html('<span class="bk-nowrap">{}</span>', text)
    return text


def _whole_euros(value: Decimal) -> str:
    return (
        f"€\u00a0{number_format(value.quantize(Decimal(1)), 0, use_l10n=True, force_grouping=True)}"
    )


@register.filter
def paid_in_full(allocation: Allocation) -> bool:
    """An open allocation with nothing left to pay (its `open_amount` annotation is 0): it waits
    to be closed."""
    return allocation.state == AllocationState.PAID_IN_FULL


@register.filter
def allocation_status(allocation: Allocation) -> str:
    """The status as staff read it: "Open" only while there is still money to pay."""
    return str(allocation.state.label)


@register.filter
def transaction_kind(transaction: Transaction) -> str:
    """The kind as staff read it: income from the municipality is a top-up, "Aanvulling van de
    gemeente", as on the public fund page, not "Overige inkomsten" (reads the prefetched entries)."""
    if transaction.kind == Transaction.Kind.OTHER_INCOME and any(
        entry.account.kind == Account.Kind.MUNICIPALITY for entry in transaction.entries.all()
    ):
        return _("Top-up from the municipality")
    return str(transaction.get_kind_display())


@register.inclusion_tag("sroi/partials/progress.html")
def progress_bar(progress: Progress) -> dict:
    """The share fulfilled as a bar with its number in text (not colour alone)."""
    return {"progress": progress}


@register.simple_tag
def balance_chart(series, title: str, element_id: str = "balance-chart") -> SafeString:
    """The balance at the end of each month as a line; the page shows a table beside it."""
    if not series:
        return charts.line_chart(
            points=[], title="", description="", format_value=str, format_label=str
        )
    first, last = series[0], series[-1]
    description = _(
        "Balance at the end of each month, from %(first_month)s (%(first)s) to %(last_month)s "
        "(%(last)s); the table below gives every month."
    ) % {
        "first_month": date_format(first[0], "F Y"),
        "first": format_money(first[1]),
        "last_month": date_format(last[0], "F Y"),
        "last": format_money(last[1]),
    }
    return charts.line_chart(
        points=series,
        title=title,
        description=description,
        format_value=_whole_euros,
        format_label=lambda day: short_date(day, "M Y"),
        element_id=element_id,
    )
