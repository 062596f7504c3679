"""Template tags for intake profiles: the radar chart of a profile, and an initiative's
published profile for the initiative page."""

from django import template
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .. import charts, selectors
from ..charts import format_value
from ..selectors import IntakeProfile

register = template.Library()


def _description(profile: IntakeProfile) -> str:
    parts = []
    for question, row in profile.rows:
        text = _("%(number)s. %(label)s: %(value)s") % {
            "number": question.number,
            "label": question.short_label,
            "value": format_value(row.current),
        }
        extra = []
        if profile.previous is not None:
            extra.append(_("previous %(value)s") % {"value": format_value(row.previous)})
        if profile.median is not None:
            extra.append(_("median %(value)s") % {"value": format_value(row.median)})
        if extra:
            text += f" ({', '.join(extra)})"
        parts.append(text)
    return "; ".join(parts) + "."


@register.simple_tag
def radar_chart(profile: IntakeProfile, element_id: str = "radar") -> SafeString:
    """The profile as a radar chart; with the previous intake and the median when loaded."""
    intake = profile.intake
    axes = [
        charts.Axis(number=q.number, label=q.short_label, description=q.text)
        for q in profile.questions
    ]
    series = [
        charts.Series(
            label=_("This intake (%(date)s)") % {"date": date_format(intake.date)},
            values=profile.current,
            style="solid",
        )
    ]
    if profile.previous is not None and profile.previous_intake is not None:
        series.append(
            charts.Series(
                label=_("Previous intake (%(date)s)")
                % {"date": date_format(profile.previous_intake.date)},
                values=profile.previous,
                style="dashed",
            )
        )
    if profile.median:
        series.append(
            charts.Series(
                label=_("Median of all initiatives"), values=profile.median, style="dotted"
            )
        )
    return charts.radar_chart(
        axes=axes,
        series=series,
        title=_("Profile of %(initiative)s, intake of %(date)s")
        % {"initiative": intake.initiative.name, "date": date_format(intake.date)},
        description=_description(profile),
        element_id=element_id,
    )


@register.inclusion_tag("intake/partials/published_profile.html")
def published_profile(initiative) -> dict:
    """The initiative's latest published profile as a radar chart (three queries), or nothing."""
    intake = selectors.latest_published_intake(initiative)
    if intake is None:
        return {"intake": None}
    return {"intake": intake, "profile": selectors.intake_profile(intake, compare=False)}


@register.filter
def signed(value) -> str:
    """A difference with its sign: +2, −1, 0; a dash when unknown."""
    if value is None or value == "":
        return "–"
    if value > 0:
        return f"+{value}"
    if value < 0:
        return f"−{abs(value)}"
    return "0"


@register.filter
def scale_value(value) -> str:
    """A score or a median (7 or 7.5), a dash when unknown."""
    return format_value(value)
