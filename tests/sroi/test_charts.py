import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

from sroi.charts import line_chart, nice_ceiling

SVG = "{http://www.w3.org/2000/svg}"


def test_nice_ceiling():
    assert nice_ceiling(Decimal("260000")) == Decimal("500000")
    assert nice_ceiling(Decimal("180000")) == Decimal("200000")
    assert nice_ceiling(Decimal("2.4")) == Decimal("2.5")
    assert nice_ceiling(Decimal("0")) == 1


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
