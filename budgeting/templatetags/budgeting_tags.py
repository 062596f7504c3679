"""Whole euros in budgeting's templates, written as the rest of the site writes money."""

from django import template

from ..explain import euros as _euros

register = template.Library()


@register.filter
def euros(amount) -> str:
    """€ 20.000 (nl) or € 20,000 (en); a dash for nothing."""
    if amount is None or amount == "":
        return "–"
    return _euros(amount)
