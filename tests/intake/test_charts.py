"""The radar chart: well-formed, accessible SVG with one distinguishable series per comparison."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template

from intake import charts, selectors

from .factories import SVG, InitiativeFactory, confirmed_intake, svg_root

AXES = [charts.Axis(number=n, label=f"Vraag {n}") for n in (7, 8, 9, 10, 11, 12)]


def _parse(svg: str):
    return svg_root(svg)


def test_a_chart_is_well_formed_and_accessible():
    svg = charts.radar_chart(
        axes=AXES,
        series=[charts.Series(label="Deze intake", values={7: 8, 9: 5})],
        title="Profiel van Buurtkracht",
        description="7: 8; 9: 5",
        element_id="r1",
    )
    root = _parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "r1-title r1-desc"
    assert root.find(f"{SVG}title").text == "Profiel van Buurtkracht"
    assert root.find(f"{SVG}desc").text == "7: 8; 9: 5"


def test_texts_are_escaped():
    svg = charts.radar_chart(
        axes=[charts.Axis(number=7, label="<script>alert(1)</script> & co")],
        series=[charts.Series(label='Reeks "A" <b>', values={7: 3})],
        title="<title>",
        description="a & b",
    )
    assert "<script>" not in svg and "<b>" not in svg
    root = _parse(svg)  # still well-formed
    assert root.find(f"{SVG}title").text == "<title>"


def test_three_series_have_distinct_line_styles():
    svg = charts.radar_chart(
        axes=AXES,
        series=[
            charts.Series(label="Nu", values={7: 8, 8: 2, 9: 7}, style="solid"),
            charts.Series(label="Vorige", values={7: 6, 8: 3, 9: 7}, style="dashed"),
            charts.Series(label="Mediaan", values={7: Decimal("6.5"), 9: 5}, style="dotted"),
        ],
        title="t",
        description="d",
    )
    root = _parse(svg)
    groups = root.findall(f".//{SVG}g[@data-series]")
    assert [g.get("data-series") for g in groups] == ["Nu", "Vorige", "Mediaan"]
    dashes = [g.find(f"{SVG}polygon").get("stroke-dasharray") for g in groups]
    assert len(set(dashes)) == 3
    legend = root.find(f".//{SVG}g[@class='radar-legend']")
    assert [t.text for t in legend.findall(f"{SVG}text")] == ["Nu", "Vorige", "Mediaan"]


def test_a_value_of_ten_reaches_the_outer_ring_and_missing_values_are_left_out():
    svg = charts.radar_chart(
        axes=AXES, series=[charts.Series(label="x", values={7: 10})], title="t", description="d"
    )
    root = _parse(svg)
    polygon = root.find(f".//{SVG}g[@data-series='x']/{SVG}polygon")
    (point,) = polygon.get("points").split()
    x, y = (float(v) for v in point.split(","))
    assert x == pytest.approx(charts.CENTRE_X) and y == pytest.approx(
        charts.CENTRE_Y - charts.RADIUS
    )


@pytest.mark.django_db
def test_an_intake_with_a_previous_one_draws_three_series():
    initiative = InitiativeFactory(name="Buurtkracht & Zo")
    confirmed_intake(initiative=initiative, values={7: 5, 9: 5}, on=date(2024, 3, 1))
    current = confirmed_intake(initiative=initiative, values={7: 8, 9: 6}, on=date(2025, 3, 1))
    confirmed_intake(values={7: 2, 9: 9})
    profile = selectors.intake_profile(current)
    svg = Template("{% load intake_tags %}{% radar_chart profile 'x' %}").render(
        Context({"profile": profile})
    )
    root = _parse(svg)
    groups = root.findall(f".//{SVG}g[@data-series]")
    assert len(groups) == 3
    assert "Buurtkracht &amp; Zo" in svg
    # the description reads out every scale with the previous value and the median
    desc = root.find(f"{SVG}desc").text
    assert "7. Gecommitteerd: 8" in desc
    # all twelve scale questions are axes
    labels = root.findall(f".//{SVG}g[@class='radar-labels']/{SVG}text")
    assert len(labels) == 12


@pytest.mark.django_db
def test_a_first_intake_draws_itself_and_the_median_only():
    current = confirmed_intake(values={7: 8})
    profile = selectors.intake_profile(current)
    svg = Template("{% load intake_tags %}{% radar_chart profile %}").render(
        Context({"profile": profile})
    )
    assert len(_parse(svg).findall(f".//{SVG}g[@data-series]")) == 2
