"""Short dates with the month abbreviated as each language writes it.

Django's "M" capitalises every abbreviation ("4 Mrt 2026"), but Dutch writes months in lower
case ("4 mrt 2026"; English "4 Mar 2026"). `short_date` is Django's date format with "M" written
the language's way; in templates `{% load dates %}` and `{{ value|short_date:"j M Y" }}`.
"""

from django import template
from django.utils import translation
from django.utils.dateformat import format as date_format

register = template.Library()

# Languages whose month abbreviations are lower case.
LOWER_CASE_MONTHS = ("nl",)


def short_date(value, fmt: str) -> str:
    """`value` (a date, or a datetime in the current time zone) in `fmt`, with "M" the month's
    abbreviation as the active language writes it."""
    language = (translation.get_language() or "")[:2]
    if language in LOWER_CASE_MONTHS:
        fmt = fmt.replace("M", "b")
    return date_format(value, fmt)


@register.filter(name="short_date", expects_localtime=True)  # given in the current time zone
def short_date_filter(value, fmt: str) -> str:
    if value in (None, ""):
        return ""
    return short_date(value, fmt)
