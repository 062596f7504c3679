"""The report's summary names who took the year's decisions: "De community nam dit jaar 2
besluiten" was said of two decisions of the Gemeenschapsbestuur, a board with seats for
institutions too."""

from dataclasses import replace

import pytest
from django.utils import timezone, translation

from governance.models import Choice, Proposal
from reports import rendering, snapshot
from reports.money import governance_content
from reports.rendering.sections import who_decided
from tests.governance.factories import adopted, board, decided, poll, voting
from tests.reports.frozen import v1
from tests.reports.test_summary_counts import _summary

BOARD = "Gemeenschapsbestuur Zuidoost"


def _decisions(*deciders: str) -> tuple[snapshot.Decision, ...]:
    """The v1 report's first decision, once per decider: a body's name, or "" for a poll."""
    first = snapshot.load(v1()).governance.decisions[0]
    return tuple(
        replace(
            first,
            reference=f"BK-2025-{i:04d}",
            body=body,
            method=Proposal.Method.BOARD if body else Proposal.Method.POLL,
        )
        for i, body in enumerate(deciders, start=1)
    )


@pytest.mark.parametrize(
    ("language", "deciders", "expected"),
    [
        ("nl", (BOARD, BOARD), "Gemeenschapsbestuur Zuidoost nam dit jaar 2 besluiten."),
        ("en", (BOARD, BOARD), "Gemeenschapsbestuur Zuidoost took 2 decisions this year."),
        ("nl", (BOARD, ""), "Dit jaar zijn 2 besluiten genomen: 1 door Gemeenschapsbestuur "
         "Zuidoost en 1 door bewoners in een peiling."),
        ("en", ("Jongerenraad", BOARD, BOARD, "", ""), "5 decisions were taken this year: 2 by "
         "Gemeenschapsbestuur Zuidoost, 1 by Jongerenraad and 2 by residents in polls."),
        ("nl", ("",), "Bewoners namen dit jaar 1 besluit, in een peiling."),
        ("nl", (), "Dit jaar is geen besluit genomen."),
    ],
)  # fmt: skip
def test_the_summary_names_who_took_the_decisions(language, deciders, expected):
    # given a year's decisions by a board, by residents in a poll, or both
    content = snapshot.load(v1())
    content = replace(
        content, governance=replace(content.governance, decisions=_decisions(*deciders))
    )
    # when the report is made
    html = rendering.render_print_html(content, language=language)
    # then its summary says who decided, not "the community"
    assert _summary(html).startswith(expected)


def test_a_report_frozen_before_the_deciders_were_kept_does_not_guess():
    # given the v1 report: its decisions have no body and no method
    content = snapshot.load(v1())
    # then the sentence says how many, and not who
    with translation.override("nl"):
        assert who_decided(content.governance.decisions) == "Dit jaar zijn 3 besluiten genomen."


@pytest.mark.django_db
def test_the_report_keeps_which_body_or_poll_took_each_decision(area, community_member):
    # given a decision of a board and one of a poll of residents
    body, _voters = board(name=BOARD)
    adopted(voting(body=body))
    decided(poll(areas=[area]), {community_member: Choice.FOR})
    # when the report's content is read
    decisions = governance_content(year=timezone.localdate().year).decisions
    # then each decision says how it was taken, and the summary names both
    assert sorted((d.method, d.body) for d in decisions) == [("board", BOARD), ("poll", "")]
    with translation.override("nl"):
        assert who_decided(decisions) == (
            "Dit jaar zijn 2 besluiten genomen: 1 door Gemeenschapsbestuur Zuidoost en 1 door "
            "bewoners in een peiling."
        )
