"""The report's pictures keep their words readable: the money-flow picture's labels never lie on
one another (eight thin sources were stacked into one smudge), none is cut at the picture's edge,
and the fund's name stands above the bands, not across the ribbons."""

import re
from decimal import Decimal

from reports import charts


def _texts(svg: str) -> list[tuple[float, float, str]]:
    return [
        (float(x), float(y), text)
        for x, y, text in re.findall(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>', svg)
    ]


def test_labels_of_thin_bands_keep_their_distance_and_fit_beside_the_picture():
    # given one large source and eight small ones with long names, and as many payments
    sources = [charts.Item("Gemeente", Decimal("1000000"))] + [
        charts.Item(f"AMS-2024-{i:04d} Bouw Nationaal Slavernijmuseum fase {i}", Decimal(100 + i))
        for i in range(8)
    ]
    targets = [
        charts.Item(f"Initiatief met een lange naam nummer {i}", Decimal(50)) for i in range(8)
    ]
    fund = charts.Item("Gemeenschapsfonds Zuidoost", Decimal("1000800"))
    # when
    svg = str(charts.sankey(sources, fund, targets, title="t", description="d"))
    texts = _texts(svg)
    # then on each side every label is at least a line below the one above it
    left = sorted(y for x, y, _text in texts if x < 400)
    right = sorted(y for x, y, _text in texts if x > 500)
    assert len(left) == 9 and len(right) == 8
    for side in (left, right):
        assert all(b - a >= charts.LABEL_SPACING for a, b in zip(side, side[1:], strict=False))
    # and all of them within the picture's height
    height = float(re.search(r'viewBox="0 0 \d+ (\d+)"', svg).group(1))
    assert max(left + right) <= height
    # and short enough to fit in the room beside the bands (about 7 pixels a character): a
    # left label ends at its x, a right one starts there and has the rest of the picture
    width = float(re.search(r'viewBox="0 0 (\d+) ', svg).group(1))
    for x, _y, text in texts:
        if x < 400:
            assert len(text) * 7 <= x, text
        elif x > 500:
            assert len(text) * 7 <= width - x, text
    # and the fund's name above the bands, not below them across the ribbons
    [(_x, y, _text)] = [t for t in texts if t[2] == "Gemeenschapsfonds Zuidoost"]
    first_band = min(float(v) for v in re.findall(r'<rect x="[\d.]+" y="([\d.]+)"', svg))
    assert y < first_band


def test_common_names_are_shown_whole_beside_the_flow():
    # The names were cut at 24 characters in a picture that used half the page: "Buurtmoestuin
    # Kraaienne…", "AMS-2024-0001 Bouw Nati…".
    sources = [charts.Item("AMS-2024-0001 Bouw Nationaal", Decimal(250000))]
    targets = [charts.Item("Buurtmoestuin Kraaiennest", Decimal(12500))]
    fund = charts.Item("Gemeenschapsfonds Zuidoost", Decimal(250000))
    svg = str(charts.sankey(sources, fund, targets, title="t", description="d"))
    labels = [text for _x, _y, text in _texts(svg)]
    assert "AMS-2024-0001 Bouw Nationaal · € 250.000,00" in labels
    assert "Buurtmoestuin Kraaiennest · € 12.500,00" in labels


def test_a_bar_label_is_cut_to_fit_beside_its_bar():
    svg = str(
        charts.bar_chart(
            [charts.Item("Descendants of the history of slavery " * 2, Decimal(5))],
            title="t",
            description="d",
        )
    )
    [(x, _y, label), _amount] = _texts(svg)
    assert label.endswith("…") and len(label) == 40 and len(label) * 7 <= x
