"""What a reader sees on the annual report's printed pages: every table has a heading above it,
and a short cell ("5 initiatives") stays on one line."""

import shutil
from dataclasses import replace

import pytest

from reports import rendering, snapshot
from tests.reports.frozen import v1
from tests.reports.pdfwords import words_per_page

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


def find(words, *phrase: str) -> list[tuple[float, float]]:
    """Where `phrase` (consecutive words) starts on a page: (x, y top) of its first word."""
    texts = [w[4] for w in words]
    return [
        (words[i][0], words[i][1])
        for i in range(len(texts) - len(phrase) + 1)
        if tuple(texts[i : i + len(phrase)]) == phrase
    ]


def test_the_table_of_initiatives_per_leefgebied_has_its_heading_above_it(tmp_path):
    # given a report (its leefgebied table stands under the chart, far from the chart's heading)
    pdf, _pages = rendering.render_pdf(snapshot.load(v1()), language="nl")
    # when a reader looks at the page with that table
    [page] = [
        p for p in words_per_page(pdf, tmp_path) if find(p, "Initiatieven", "per", "leefgebied")
    ]
    # then its caption stands above the table's header row, not hidden behind it
    [(_x, caption_top)] = find(page, "Initiatieven", "per", "leefgebied")
    header_tops = [y for x, y in find(page, "Leefgebied", "Initiatieven")]
    assert header_tops and all(caption_top + 8 <= top for top in header_tops)


def _one_decision_for_five_initiatives() -> snapshot.Content:
    """The v1 report whose first allocation decision funds five initiatives (a budget round)."""
    content = snapshot.load(v1())
    fund = content.funds[1]
    first = fund.allocations[0]
    decision = replace(
        first.decision,
        title="Begrotingsronde: Buurtbudget Zuidoost 2025, de plannen van bewoners uit de wijk",
    )
    names = ["Buurtkeuken", "Moestuin", "Huiswerkhulp in de bieb", "Danslessen", "Bankjes"]
    allocations = tuple(
        replace(
            first, transaction=100 + i, decision=decision, initiative=snapshot.Named(name, f"i{i}")
        )
        for i, name in enumerate(names)
    )
    funds = (content.funds[0], replace(fund, allocations=allocations), *content.funds[2:])
    return replace(content, funds=funds)


@pytest.mark.parametrize(("language", "count"), [("nl", "initiatieven"), ("en", "initiatives")])
def test_the_number_of_initiatives_of_a_decision_stays_on_one_line(language, count, tmp_path):
    # given a decision that funds five initiatives, beside a long title
    content = _one_decision_for_five_initiatives()
    # when the report is printed
    pdf, _pages = rendering.render_pdf(content, language=language)
    # then "5 initiatieven" in the money per decision stands on one line
    [(five, word)] = [
        (words[i], words[i + 1])
        for words in words_per_page(pdf, tmp_path)
        for i in range(len(words) - 1)
        if (words[i][4], words[i + 1][4]) == ("5", count)
    ]
    assert abs(five[1] - word[1]) < 1, (five, word)
