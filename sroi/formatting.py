"""Money as people read it, in the active language: € 1.234.567,89 (nl) or € 1,234,567.89 (en)."""

from decimal import Decimal

from django.utils.formats import number_format

NEGATIVE = "−"  # the minus sign (U+2212), not a hyphen


def format_money(amount: Decimal | int | None) -> str:
    if amount is None or amount == "":
        return "–"
    amount = Decimal(amount)
    sign = NEGATIVE if amount < 0 else ""
    return f"{sign}€\u00a0{number_format(abs(amount), 2, use_l10n=True, force_grouping=True)}"
