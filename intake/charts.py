"""Server-side SVG charts: pure functions from values to markup, so they work without JavaScript
and in PDFs. Every text goes through escaping; the result is marked safe only at the end.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SCALE_MAX = 10
WIDTH = 720
CHART_HEIGHT = 470
CENTRE_X = WIDTH / 2
CENTRE_Y = CHART_HEIGHT / 2
RADIUS = 165
LEGEND_ROW = 22
# Axis labels: 14px text, wrapped at about LABEL_CHARS characters, LABEL_LINE apart. The width
# of a character is estimated (generously) to keep every label inside the picture.
LABEL_CHARS = 20
LABEL_LINE = 16
CHAR_WIDTH = 8.2
MARGIN = 6


@dataclass(frozen=True)
class Axis:
    number: int
    label: str
    description: str = ""


@dataclass(frozen=True)
class Series:
    label: str
    values: Mapping[int, int | Decimal]
    # "solid", "dashed" or "dotted": the line style tells the series apart, not only the colour.
    style: str = "solid"


_STYLES = {
    "solid": {
        "colour": "#1d4f91",
        "dash": "",
        "fill": "#1d4f91",
        "fill_opacity": "0.18",
        "width": 3,
    },
    "dashed": {
        "colour": "#b3541e",
        "dash": "8 5",
        "fill": "none",
        "fill_opacity": "0",
        "width": 2.5,
    },
    "dotted": {
        "colour": "#3d3d3d",
        "dash": "2 4",
        "fill": "none",
        "fill_opacity": "0",
        "width": 2.5,
    },
}


def _num(value: float) -> str:
    return f"{value:.1f}"


def _point(index: int, count: int, value: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    distance = RADIUS * value / SCALE_MAX
    return CENTRE_X + distance * math.cos(angle), CENTRE_Y + distance * math.sin(angle)


def format_value(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    # 7,5 in Dutch, 7.5 in English.
    return number_format(value)


def _marker(style: str, x: float, y: float, colour: str) -> str:
    if style == "dashed":
        return (
            f'<rect x="{_num(x - 4)}" y="{_num(y - 4)}" width="8" height="8" fill="#fff" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
    if style == "dotted":
        return (
            f'<path d="M{_num(x)} {_num(y - 5)} L{_num(x + 5)} {_num(y)} L{_num(x)} {_num(y + 5)} '
            f'L{_num(x - 5)} {_num(y)} Z" fill="{colour}"/>'
        )
    return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="4" fill="{colour}"/>'


def _series_markup(axes: Sequence[Axis], series: Series, index: int) -> str:
    style = _STYLES.get(series.style, _STYLES["solid"])
    count = len(axes)
    points = [
        _point(i, count, float(series.values[axis.number]))
        for i, axis in enumerate(axes)
        if series.values.get(axis.number) is not None
    ]
    if not points:
        return ""
    coordinates = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
    dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
    parts = [
        f'<g class="radar-series radar-series-{index}" data-series="{escape(series.label)}">',
        f'<polygon points="{coordinates}" fill="{style["fill"]}" '
        f'fill-opacity="{style["fill_opacity"]}" stroke="{style["colour"]}" '
        f'stroke-width="{style["width"]}" stroke-linejoin="round"{dash}/>',
    ]
    parts += [_marker(series.style, x, y, style["colour"]) for x, y in points]
    parts.append("</g>")
    return "".join(parts)


def _wrap(text: str, width: int = LABEL_CHARS) -> list[str]:
    """Split a label over lines of at most `width` characters, at spaces (a longer word keeps
    its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _label_extent(x: float, anchor: str, lines: list[str]) -> tuple[float, float]:
    width = max(len(line) for line in lines) * CHAR_WIDTH
    if anchor == "end":
        return x - width, x
    if anchor == "start":
        return x, x + width
    return x - width / 2, x + width / 2


def _label_anchor(x: float) -> str:
    if abs(x - CENTRE_X) < 1:
        return "middle"
    return "start" if x > CENTRE_X else "end"


def _placed_labels(axes: Sequence[Axis], count: int) -> tuple[list, float, float, float]:
    """Each axis label wrapped and placed outside the outer ring, and the picture's left, right
    and top edges grown so that no label is cut off."""
    labels, left, right, top = [], 0.0, float(WIDTH), 0.0
    for i, axis in enumerate(axes):
        x, y = _point(i, count, SCALE_MAX + 1.2)
        anchor = _label_anchor(x)
        lines = _wrap(f"{axis.number}. {axis.label}")
        # Above the centre the lines grow upwards, beside it they are centred on the point.
        if y < CENTRE_Y - RADIUS / 2:
            first = y + 4 - LABEL_LINE * (len(lines) - 1)
        elif y > CENTRE_Y + RADIUS / 2:
            first = y + 4
        else:
            first = y + 4 - LABEL_LINE * (len(lines) - 1) / 2
        start, end = _label_extent(x, anchor, lines)
        left, right, top = min(left, start - MARGIN), max(right, end + MARGIN), min(top, first - 16)
        labels.append((axis, x, first, anchor, lines))
    return labels, left, right, top


def _grid_markup(count: int) -> list[str]:
    """The rings at 2, 4, … 10, a spoke per axis and the scale's numbers."""
    parts = ['<g class="radar-grid" fill="none" stroke="#c9ced6" stroke-width="1">']
    for ring in (2, 4, 6, 8, 10):
        ring_points = " ".join(
            f"{_num(x)},{_num(y)}" for x, y in (_point(i, count, ring) for i in range(count))
        )
        parts.append(f'<polygon points="{ring_points}"/>')
    for i in range(count):
        x, y = _point(i, count, SCALE_MAX)
        parts.append(
            f'<line x1="{_num(CENTRE_X)}" y1="{_num(CENTRE_Y)}" x2="{_num(x)}" y2="{_num(y)}"/>'
        )
    parts.append("</g>")
    parts.append('<g class="radar-scale" font-size="10" fill="#5c636a" font-family="sans-serif">')
    for ring in (2, 4, 6, 8, 10):
        x, y = _point(0, count, ring)
        parts.append(f'<text x="{_num(x + 4)}" y="{_num(y + 3)}">{ring}</text>')
    parts.append("</g>")
    return parts


def _labels_markup(labels: list, series: Sequence[Series], value_label: str) -> list[str]:
    """The axis labels, each with a tooltip giving every series' value on that axis."""
    parts = ['<g class="radar-labels" font-size="14" fill="#212529" font-family="sans-serif">']
    for axis, x, first, anchor, lines in labels:
        tooltip = "; ".join(
            value_label % {"label": one.label, "value": format_value(one.values.get(axis.number))}
            for one in series
        )
        tspans = "".join(
            # A space at the end of a wrapped line keeps the words apart for screen readers.
            f'<tspan x="{_num(x)}" y="{_num(first + LABEL_LINE * n)}">{escape(line)}'
            f"{' ' if n < len(lines) - 1 else ''}</tspan>"
            for n, line in enumerate(lines)
        )
        parts.append(
            f'<text x="{_num(x)}" y="{_num(first)}" text-anchor="{anchor}">'
            f"<title>{escape(axis.description or axis.label)} – {escape(tooltip)}</title>"
            f"{tspans}</text>"
        )
    parts.append("</g>")
    return parts


def _legend_markup(series: Sequence[Series]) -> list[str]:
    """A line sample with its marker and the series' name, a row per series, below the chart."""
    parts = [
        f'<g class="radar-legend" font-size="14" font-family="sans-serif" '
        f'transform="translate(20 {CHART_HEIGHT + 10})">'
    ]
    for index, one in enumerate(series):
        style = _STYLES.get(one.style, _STYLES["solid"])
        y = index * LEGEND_ROW
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        parts.append(
            f'<line x1="0" y1="{y}" x2="36" y2="{y}" stroke="{style["colour"]}" '
            f'stroke-width="{style["width"]}"{dash}/>'
            + _marker(one.style, 18, y, style["colour"])
            + f'<text x="46" y="{y + 4}" fill="#212529">{escape(one.label)}</text>'
        )
    parts.append("</g>")
    return parts


def radar_chart(
    *,
    axes: Sequence[Axis],
    series: Sequence[Series],
    title: str,
    description: str,
    element_id: str = "radar",
    value_label: str = "%(label)s: %(value)s",
) -> SafeString:
    """A radar (spider) chart of 1-10 values on `axes`, one polygon per series, with a legend.

    `title` and `description` become the SVG's <title> and <desc> (read out by screen readers);
    `value_label` formats one series' value in the per-axis tooltips.
    """
    count = max(len(axes), 3)
    height = CHART_HEIGHT + LEGEND_ROW * len(series) + 10
    title_id = f"{escape(element_id)}-title"
    desc_id = f"{escape(element_id)}-desc"
    labels, left, right, top = _placed_labels(axes, count)
    # The picture grows where a label needs room, so no label is cut off at the edge.
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{_num(left)} {_num(top)} {_num(right - left)} {_num(height - top)}" '
        f'width="100%" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" class="radar-chart" id="{escape(element_id)}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
        *_grid_markup(count),
        *(_series_markup(axes, one, index) for index, one in enumerate(series)),
        *_labels_markup(labels, series, value_label),
        *_legend_markup(series),
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
