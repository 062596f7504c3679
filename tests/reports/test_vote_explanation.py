"""The annual report says once how a vote counts, and per decision only its numbers: the same
seven lines of the tally in words stood under every decision, in the money per decision and
again in the decisions' chapter (four times in the demo's 2025 report)."""

import re

import pytest

from reports import rendering, snapshot
from tests.reports.frozen import v1


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize(
    ("language", "how", "numbers", "sentence"),
    [
        ("nl", "Zo telt een stemming.", "3 voor, 0 tegen (nodig: 2 voor).", "stemmen waren voor"),
        ("en", "How a vote counts.", "3 for, 0 against (needed: 2 for).", "votes were in favour"),
    ],
)
def test_how_a_vote_counts_is_said_once_and_each_decision_gives_its_numbers(
    language, how, numbers, sentence
):
    # given a report with three decisions, each with its tally
    content = snapshot.load(v1())
    assert len(content.governance.decisions) == 3
    # when it is printed
    text = _text(rendering.render_print_html(content, language=language))
    # then the rule is explained once, in the decisions' chapter, and no longer per decision
    assert text.count(how) == 1
    assert sentence not in text
    # each decision in that chapter has its numbers, the money per decision refers to it
    governance = text[text.index(how) :]
    assert governance.count(numbers) == 3
    assert text[: text.index(how)].count(numbers) == 0
    chapter = "Besluiten en organen" if language == "nl" else "Decisions and bodies"
    assert f"in the chapter {chapter}" in text or f"in het hoofdstuk {chapter}" in text
