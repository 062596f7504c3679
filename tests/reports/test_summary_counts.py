"""The annual report's summary counts every decision and every contract behind, not the rows its
tables show; and a table's total stands once, under its last row, however many pages it runs
over (a table footer group is repeated at the foot of every page in print)."""

import re
import shutil
import subprocess
from dataclasses import replace

import pytest

from reports import rendering, snapshot
from tests.reports.frozen import v1


def _big_year(decisions: int, contracts: int) -> snapshot.Content:
    """The v1 report with `decisions` decisions and `contracts` contracts, all behind."""
    content = snapshot.load(v1())
    first = content.governance.decisions[0]
    many_decisions = tuple(
        replace(first, reference=f"BK-2025-{i:04d}", proposal_id=i, title=f"Besluit {i}")
        for i in range(1, decisions + 1)
    )
    contract = content.contracts[0]
    many_contracts = tuple(
        replace(contract, reference=f"AMS-{i}", title=f"Opdracht {i}")
        for i in range(1, contracts + 1)
    )
    return replace(
        content,
        governance=replace(content.governance, decisions=many_decisions),
        contracts=many_contracts,
    )


def _summary(html: str) -> str:
    [paragraph] = re.findall(r'<p data-testid="summary-counts">(.*?)</p>', html, re.DOTALL)
    return " ".join(paragraph.split())


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "Dit jaar zijn 60 besluiten genomen. 40 opdrachten hebben een achterstand"),
        ("en", "60 decisions were taken this year. 40 contracts are behind"),
    ],
)
def test_the_summary_counts_every_decision_and_every_contract_behind(language, expected):
    # given a year with more decisions and contracts behind than the report's tables show
    content = _big_year(decisions=60, contracts=40)
    # when
    html = rendering.render_print_html(content, language=language)
    # then the summary gives the year's numbers, not the tables' 25
    assert _summary(html).startswith(expected)


@pytest.mark.parametrize(
    ("language", "summary", "decisions"),
    [
        ("nl", "Dit jaar zijn 1.250 besluiten genomen. 1.001 opdrachten hebben",
         "1.250 besluiten dit jaar: 1.250 aangenomen."),
        ("en", "1,250 decisions were taken this year. 1,001 contracts are behind",
         "1,250 decisions this year: 1,250 adopted."),
    ],
)  # fmt: skip
def test_counts_of_a_thousand_or_more_are_grouped_as_the_language_writes_them(
    language, summary, decisions
):
    # given a year with more than a thousand decisions and contracts behind
    content = _big_year(decisions=1250, contracts=1001)
    # when
    html = rendering.render_print_html(content, language=language)
    # then the numbers read as numbers do in that language (5000 read as a code, not an amount)
    assert _summary(html).startswith(summary)
    [counts] = re.findall(r'<p data-testid="decision-counts">(.*?)</p>', html, re.DOTALL)
    assert " ".join(counts.split()).startswith(decisions)
    other = "1.001 contracten" if language == "nl" else "1,001 contracts"
    assert other in html  # the contracts table's total


def test_a_small_year_counts_the_same_in_the_summary_and_the_tables():
    content = _big_year(decisions=3, contracts=2)
    html = rendering.render_print_html(content, language="nl")
    assert _summary(html).startswith("Dit jaar zijn 3 besluiten genomen. 2 opdrachten")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_a_total_stands_once_under_a_table_that_runs_over_pages(tmp_path):
    # given a year whose contracts' table runs over more than one page
    content = _big_year(decisions=3, contracts=60)
    # when
    pdf, _pages = rendering.render_pdf(content, language="nl")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(  # noqa: S603 - poppler's pdftotext on our own file
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    pages = text.split("\f")
    with_contracts = [i for i, page in enumerate(pages) if "Opdracht 1 " in page or "AMS-" in page]
    # then the table is on more than one page, and its total is printed once
    assert len(set(with_contracts)) > 1
    assert text.count("Totaal van 60") == 1  # the heading cell may wrap before "contracten"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "Daarvan is € 2.950,00 beloofd aan initiatieven, maar nog niet betaald. "
               "€ 21.750,00 is nog vrij."),
        ("en", "Of that, € 2,950.00 is promised to initiatives but not yet paid; € 21,750.00 is "
               "still free."),
    ],
)  # fmt: skip
def test_the_summary_says_how_much_of_the_money_at_the_end_is_promised_and_how_much_is_free(
    language, expected
):
    # given two funds that hold € 5,000 and € 19,700 at the end, € 2,950 of it promised
    content = snapshot.load(v1())
    # when
    html = rendering.render_print_html(content, language=language)
    # then the summary does not leave the promised money out (it read as unspent money)
    [split] = re.findall(r'<span data-testid="summary-split">(.*?)</span>', html)
    assert " ".join(split.split()) == expected


def test_a_report_that_does_not_know_the_promised_money_does_not_guess_it():
    content = snapshot.load(v1())
    funds = (replace(content.funds[0], allocated_open=None), *content.funds[1:])
    html = rendering.render_print_html(replace(content, funds=funds), language="nl")
    assert 'data-testid="summary-split"' not in html
