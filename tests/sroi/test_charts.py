import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

from sroi.charts import line_chart, nice_ceiling

SVG = "{http://www.w3.org/2000/svg}"


def test_nice_ceiling():
    assert nice_ceiling(Decimal("260000")) == Decimal("300000")
    assert nice_ceiling(Decimal("180000")) == Decimal("200000")
    assert nice_ceiling(Decimal("2.4")) == Decimal("2.5")
    assert nice_ceiling(Decimal("510")) == Decimal("600")
    assert nice_ceiling(Decimal("0")) == 1


def test_the_line_fills_most_of_the_chart_and_the_ticks_stay_tidy():
    """The axis top is at most 4/3 of the highest amount (amounts from 1 to 10 million), and
    each of its quarters is a round number: at most three significant digits (37.5, 62.5)."""
    for cents in range(100, 1_000_000_000, 99_991):
        value = Decimal(cents) / 100
        top = nice_ceiling(value)
        assert value <= top <= value * 4 / 3 or top == 1, value
        quarter = (top / 4).normalize()
        assert len(quarter.as_tuple().digits) <= 3, (value, top)


def test_line_chart_escapes_text_and_places_points():
    points = [
        (datetime.date(2025, 1, 1), Decimal("0.00")),
        (datetime.date(2025, 2, 1), Decimal("100.00")),
    ]
    markup = line_chart(
        points=points,
        title="<script>",
        description="a & b",
        format_value=lambda v: f"€ {v}",
        format_label=lambda d: d.isoformat(),
    )
    root = ET.fromstring(str(markup))  # noqa: S314 - our own output
    assert root.find(f"{SVG}title").text == "<script>"
    line = root.find(f"{SVG}polyline").get("points").split()
    # The first point on the zero line (bottom), the second at the top (100 is a tidy top).
    assert line == ["110.0,270.0", "675.0,20.0"]
    assert [c.find(f"{SVG}title").text for c in root.findall(f"{SVG}circle")] == [
        "2025-01-01: € 0.00",
        "2025-02-01: € 100.00",
    ]


def test_no_points_no_chart():
    assert line_chart(points=[], title="", description="", format_value=str, format_label=str) == ""


def _date_labels(count: int) -> list[tuple[float, str]]:
    """The x and text of each date label of a chart with `count` monthly points."""
    points = [(datetime.date(2025 + m // 12, m % 12 + 1, 1), Decimal(m)) for m in range(count)]
    markup = line_chart(
        points=points,
        title="t",
        description="d",
        format_value=str,
        format_label=lambda d: d.strftime("%b %Y"),
    )
    root = ET.fromstring(str(markup))  # noqa: S314 - our own output
    grid = root.find(f"{SVG}g")
    return [
        (float(text.get("x")), text.text)
        for text in grid.findall(f"{SVG}text")
        if text.get("text-anchor") == "middle"
    ]


def test_date_labels_never_print_over_each_other():
    """Always the first and the last month; no two labels closer than a label is wide (a
    label of 8 characters at 12 px is about 55 px). With 23 months the regular label of
    November used to sit 24 px from December's."""
    for count in range(1, 61):
        labels = _date_labels(count)
        texts = [text for _x, text in labels]
        assert texts[0] == "Jan 2025", count
        last = datetime.date(2025 + (count - 1) // 12, (count - 1) % 12 + 1, 1)
        assert texts[-1] == last.strftime("%b %Y"), count
        assert len(labels) <= 9, count
        xs = [x for x, _text in labels]
        gaps = [b - a for a, b in zip(xs, xs[1:], strict=False)]
        assert all(gap >= 60 for gap in gaps), (count, gaps)
