"""Server-side SVG line chart of a fund's balance over time (the style of intake.charts).

Money stays Decimal through the arithmetic; only the final pixel coordinates become text. Every
interpolated text is escaped; the result is marked safe only at the end.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
HEIGHT = 320
LEFT = 110  # room for the money labels
RIGHT = 45  # room for the last date label
TOP = 20
BOTTOM = 50
COLOUR = "#1d4f91"
TICKS = 4
PIXEL = Decimal("0.1")


def _px(value: Decimal) -> str:
    return str(value.quantize(PIXEL, rounding=ROUND_HALF_UP))


# Axis tops (× 10^n) whose quarters (TICKS) are tidy too: 1.5 → 0.375, 3 → 0.75, 6 → 1.5; each
# at most 4/3 of the one before, so the line fills at least three quarters of the height. With
# only 1, 2, 2.5 and 5, a top of 260,000 became 500,000 and the line used half the chart.
STEPS = tuple(
    Decimal(step) for step in ("1", "1.2", "1.5", "2", "2.5", "3", "4", "5", "6", "8", "10")
)


def nice_ceiling(value: Decimal) -> Decimal:
    """The smallest of `STEPS` × 10^n at or above `value` (at least 1): a tidy axis top."""
    if value <= 0:
        return Decimal(1)
    exponent = value.adjusted()
    for step in STEPS:
        candidate = step.scaleb(exponent)
        if candidate >= value:
            return candidate
    return Decimal(10).scaleb(exponent)  # pragma: no cover - 10 × 10^n always fits


@dataclass(frozen=True)
class _Plot:
    """Where a point of the chart lands: index → x, amount → y (Decimal until the pixel)."""

    count: int
    lowest: Decimal
    top: Decimal

    @property
    def span(self) -> Decimal:
        return self.top - self.lowest or Decimal(1)

    def x(self, index: int) -> Decimal:
        width = Decimal(WIDTH - LEFT - RIGHT)
        if self.count == 1:
            return Decimal(LEFT) + width / 2
        return Decimal(LEFT) + width * index / (self.count - 1)

    def y(self, amount: Decimal) -> Decimal:
        return Decimal(TOP) + Decimal(HEIGHT - TOP - BOTTOM) * (self.top - amount) / self.span


def _labelled(count: int) -> list[int]:
    """The points that get a date label: every `every`-th from the first, and the last. A
    regular label closer than `every` points to the last one is left out, so that the two
    labels never print over each other (23 months: ... nov, and dec on top of it)."""
    every = max(1, (count + 7) // 8)
    last = count - 1
    return [i for i in range(count) if i == last or (i % every == 0 and last - i >= every)]


def _grid(plot: _Plot, points, format_value, format_label) -> list[str]:
    """The money ticks and at most about eight date labels (always the first and the last)."""
    parts = [
        '<g class="line-chart-grid" stroke="#c9ced6" stroke-width="1" font-size="12" '
        'font-family="sans-serif" fill="#3d3d3d">'
    ]
    for tick in range(TICKS + 1):
        amount = plot.lowest + plot.span * tick / TICKS
        y = _px(plot.y(amount))
        parts.append(
            f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}"/>'
            f'<text x="{LEFT - 8}" y="{y}" dy="4" text-anchor="end" stroke="none">'
            f"{escape(format_value(amount))}</text>"
        )
    for index in _labelled(plot.count):
        day = points[index][0]
        parts.append(
            f'<text x="{_px(plot.x(index))}" y="{HEIGHT - BOTTOM + 20}" text-anchor="middle" '
            f'stroke="none">{escape(format_label(day))}</text>'
        )
    parts.append("</g>")
    return parts


def _line(plot: _Plot, points, format_value, format_label) -> list[str]:
    """The polyline through the points and a dot per point with its date and amount."""
    coordinates = " ".join(
        f"{_px(plot.x(i))},{_px(plot.y(amount))}" for i, (_day, amount) in enumerate(points)
    )
    parts = [
        f'<polyline class="line-chart-line" points="{coordinates}" fill="none" '
        f'stroke="{COLOUR}" stroke-width="3" stroke-linejoin="round"/>'
    ]
    for index, (day, amount) in enumerate(points):
        parts.append(
            f'<circle cx="{_px(plot.x(index))}" cy="{_px(plot.y(amount))}" r="4" fill="{COLOUR}">'
            f"<title>{escape(format_label(day))}: {escape(format_value(amount))}</title></circle>"
        )
    return parts


def line_chart(
    *,
    points: Sequence[tuple[datetime.date, Decimal]],
    title: str,
    description: str,
    format_value: Callable[[Decimal], str],
    format_label: Callable[[datetime.date], str],
    element_id: str = "balance-chart",
) -> SafeString:
    """A line of (date, amount) points with a money axis; an empty string without points.

    `title` and `description` become the SVG's <title> and <desc>; the page shows the same
    numbers as a table for who cannot see the chart.
    """
    if not points:
        return mark_safe("")  # noqa: S308 - empty
    plot = _Plot(
        count=len(points),
        lowest=min(Decimal(0), min(amount for _day, amount in points)),
        top=nice_ceiling(max(amount for _day, amount in points)),
    )
    element = escape(element_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" aria-labelledby="{element}-title {element}-desc" '
        f'class="line-chart" id="{element}">',
        f'<title id="{element}-title">{escape(title)}</title>',
        f'<desc id="{element}-desc">{escape(description)}</desc>',
        *_grid(plot, points, format_value, format_label),
        *_line(plot, points, format_value, format_label),
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
