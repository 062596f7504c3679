"""Server-side SVG charts of the annual report: where the money went, as pictures.

Pure functions from numbers to markup (like `intake.charts`): they work without JavaScript, in
WeasyPrint's PDF and on the page. Money stays Decimal until it becomes a pixel length. Every chart
has a title and a description for screen readers, and the report prints the same numbers in a
table beside it.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

INK = "#1f2933"
MUTED = "#52606d"
COLOURS = ["#1d4f91", "#b3541e", "#2f7d4a", "#7a3e9d", "#a4262c", "#0f6b75", "#6b5b00"]
FUND_COLOUR = "#3d3d3d"
# Money that stays in the fund: allocated but not yet paid, and still available.
REMAINING_COLOURS = ["#8a4b00", "#3d3d3d"]


@dataclass(frozen=True)
class Item:
    label: str
    value: Decimal


def short(text: str, length: int = 30) -> str:
    """A label that fits beside a chart; the table next to the chart has it in full."""
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def euro(amount: Decimal) -> str:
    return "€ " + number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


def _svg(width: int, height: int, title: str, description: str, body: list[str]) -> SafeString:
    # Ids unique per chart (a page holds several) and stable for the same chart.
    uid = (
        "chart-"
        + hashlib.sha1(  # noqa: S324 - an id, not security
            f"{title}|{description}|{len(body)}".encode()
        ).hexdigest()[:10]
    )
    return mark_safe(  # noqa: S308 - every text inside went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{uid}-t {uid}-d" class="report-chart" '
        f'preserveAspectRatio="xMinYMin meet">'
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def bar_chart(
    items: Sequence[Item], *, title: str, description: str, money: bool = True
) -> SafeString:
    """Horizontal bars, one per item, with the value written at the end of each bar."""
    # A label of 40 characters fits in its 292 pixels at 13 points (longer ones are cut; the
    # table beside the chart has them whole); the widest amount after the longest bar.
    label_width, bar_width, row, width = 300, 290, 28, 720
    top = 8
    height = top + row * max(len(items), 1) + 8
    largest = max((item.value for item in items), default=Decimal(0)) or Decimal(1)
    body = []
    for index, item in enumerate(items):
        y = top + index * row
        length = float(item.value / largest) * bar_width if item.value > 0 else 0
        shown = euro(item.value) if money else number_format(item.value, use_l10n=True)
        body.append(
            f'<text x="{label_width - 8}" y="{y + 18}" text-anchor="end" font-size="13" '
            f'fill="{INK}">{escape(short(item.label, 40))}</text>'
            f'<rect x="{label_width}" y="{y + 5}" width="{length:.1f}" height="18" '
            f'fill="{COLOURS[0]}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 18}" font-size="12" '
            f'fill="{MUTED}">{escape(shown)}</text>'
        )
    return _svg(width, height, title, description, body)


def _ribbon(
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    thickness: float,
    colour: str,
    *,
    dashed: bool = False,
) -> str:
    middle = (x0 + x1) / 2
    dash = ' stroke-dasharray="4 2"' if dashed else ""
    return (
        f'<path d="M{x0:.1f},{y0:.1f} C{middle:.1f},{y0:.1f} {middle:.1f},{y1:.1f} '
        f"{x1:.1f},{y1:.1f} L{x1:.1f},{y1 + thickness:.1f} C{middle:.1f},{y1 + thickness:.1f} "
        f'{middle:.1f},{y0 + thickness:.1f} {x0:.1f},{y0 + thickness:.1f} Z" '
        f'fill="{colour}" fill-opacity="{0.12 if dashed else 0.35}" stroke="{colour}" '
        f'stroke-width="{1 if dashed else 0.5}"{dash}/>'
    )


@dataclass(frozen=True)
class _Layout:
    """The fixed geometry of a money-flow picture and its scale (pixels per euro)."""

    per_euro: float
    column: int = 18
    gap: int = 8
    # Room above the bands for the fund's name (below them it lay across the ribbons).
    top: int = 30
    # The ribbons take the middle 180 pixels, so that the names beside them (contracts,
    # initiatives) have room to be read: 326 pixels on the left, 344 on the right.
    left_x: int = 350
    fund_x: int = 441
    right_x: int = 532

    def thickness(self, value: Decimal) -> float:
        return max(float(value) * self.per_euro, 1.5) if value > 0 else 0.0


def _fund_node(fund: Item, height: float, at: _Layout) -> str:
    x, column, top = at.fund_x, at.column, at.top
    return (
        f'<rect x="{x}" y="{top}" width="{column}" height="{height:.1f}" '
        f'fill="{FUND_COLOUR}"/><text x="{x + column / 2}" y="{top - 12}" '
        f'text-anchor="middle" font-size="13" font-weight="bold" fill="{INK}">'
        f"{escape(fund.label)}</text>"
    )


# A band's label: its name cut to fit beside the picture (about 7 pixels a character at 13
# points, with the amount: 29 + 17 characters in the 326 pixels left of the bands), the amount
# whole; the table beside the picture has the whole names.
LABEL_LENGTH = 29
# Labels of thin bands keep at least this far apart (pixels), so that none lies on another.
LABEL_SPACING = 15


def _label_text(item: Item, length: int | None = LABEL_LENGTH) -> str:
    """The name cut to `length` (None: our own short words, whole) and the amount."""
    name = short(item.label, length) if length else item.label
    return f"{escape(name)} · {escape(euro(item.value))}"


def _label_y(centre: float, previous: float | None) -> float:
    """Where a band's label stands: beside its band, or just below the label above it."""
    y = centre + 5
    return y if previous is None else max(y, previous + LABEL_SPACING)


def _source_bands(sources: Sequence[Item], at: _Layout) -> list[str]:
    """The sources on the left, each with its ribbon into the fund."""
    body = []
    y, into_fund, label = at.top, at.top, None
    x = at.left_x - at.column
    for index, item in enumerate(sources):
        h = at.thickness(item.value)
        colour = COLOURS[index % len(COLOURS)]
        label = _label_y(y + h / 2, label)
        body.append(
            f'<rect x="{x}" y="{y:.1f}" width="{at.column}" height="{h:.1f}" '
            f'fill="{colour}"/>'
            f'<text x="{x - 6}" y="{label:.1f}" text-anchor="end" '
            f'font-size="13" fill="{INK}">{_label_text(item)}</text>'
            + _ribbon(at.left_x, y, at.fund_x, into_fund, h, colour)
        )
        y += h + at.gap
        into_fund += h
    return body


def _target_bands(targets: Sequence[Item], remaining: Sequence[Item], at: _Layout) -> list[str]:
    """The payments on the right, then (dashed) what stays in the fund, each with its ribbon."""
    body = []
    y, out_of_fund, label = at.top, at.top, None
    x = at.right_x
    for index, item in enumerate(targets):
        h = at.thickness(item.value)
        colour = COLOURS[(index + 3) % len(COLOURS)]
        label = _label_y(y + h / 2, label)
        body.append(
            _ribbon(at.fund_x + at.column, out_of_fund, x, y, h, colour)
            + f'<rect x="{x}" y="{y:.1f}" width="{at.column}" height="{h:.1f}" '
            f'fill="{colour}"/>'
            f'<text x="{x + at.column + 6}" y="{label:.1f}" font-size="13" '
            f'fill="{INK}">{_label_text(item)}</text>'
        )
        y += h + at.gap
        out_of_fund += h
    for index, item in enumerate(remaining):
        h = at.thickness(item.value)
        colour = REMAINING_COLOURS[index % len(REMAINING_COLOURS)]
        label = _label_y(y + h / 2, label)
        body.append(
            _ribbon(at.fund_x + at.column, out_of_fund, x, y, h, colour, dashed=True)
            + f'<rect x="{x}" y="{y:.1f}" width="{at.column}" height="{h:.1f}" '
            f'fill="white" stroke="{colour}" stroke-width="1.5" stroke-dasharray="4 2"/>'
            f'<text x="{x + at.column + 6}" y="{label:.1f}" font-size="13" '
            f'fill="{INK}" data-flow="remaining">{_label_text(item, None)}</text>'
        )
        y += h + at.gap
        out_of_fund += h
    return body


def sankey(
    sources: Sequence[Item],
    fund: Item,
    targets: Sequence[Item],
    *,
    title: str,
    description: str,
    remaining: Sequence[Item] = (),
) -> SafeString:
    """A flow from sources (contracts, other income) into the fund and out to initiatives.

    Band thickness is proportional to the amount; what stays in the fund is drawn as its own
    bands on the right (`remaining`: allocated but not yet paid, still available), dashed and
    below the payments, so left and right add up to the same height.
    """
    width, scale_height = 900, 300
    total_in = sum((item.value for item in sources), Decimal(0))
    total_out = sum((item.value for item in [*targets, *remaining]), Decimal(0))
    biggest = max(total_in, total_out, fund.value, Decimal("0.01"))
    at = _Layout(per_euro=scale_height / float(biggest))
    n_rows = max(len(sources), len(targets) + len(remaining), 1)
    # Tall enough for the bands and for the labels, which keep their distance on thin bands.
    height = int(at.top + scale_height + max(at.gap, LABEL_SPACING) * n_rows + 20)
    body = [
        _fund_node(fund, max(at.thickness(max(total_in, total_out)), 4), at),
        *_source_bands(sources, at),
        *_target_bands(targets, remaining, at),
    ]
    return _svg(width, height, title, description, body)
