"""Nothing of the annual report's PDF runs past the page's right margin: a table wider than the
page (the contracts' table, with a heading that would not wrap and "€ 250.000,00 / € 250.000,00"
on one line) was drawn over the margin."""

import shutil
from dataclasses import replace
from decimal import Decimal

import pytest

from reports import rendering, snapshot
from tests.reports.frozen import v1
from tests.reports.pdfwords import words_per_page

A4_WIDTH = 595.28  # points
RIGHT_MARGIN = 18 / 25.4 * 72  # 18 mm, static/css/report-print.css @page

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


def _words_past_the_margin(pdf: bytes, tmp_path) -> list[str]:
    edge = A4_WIDTH - RIGHT_MARGIN + 1
    return [
        f"{word} (to {x_max:.0f} pt)"
        for page in words_per_page(pdf, tmp_path)
        for _x, _y, x_max, _y2, word in page
        if x_max > edge
    ]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_large_amounts_stay_inside_the_right_margin(language, tmp_path):
    content = snapshot.load(v1())
    # a contract of a large public work: millions obliged, a quarter million paid in cash
    big = replace(
        content.contracts[0],
        title="Bouw Nationaal Slavernijmuseum",
        obligation=Decimal("5000000.00"),
        cash_in_year=Decimal("250000.00"),
        cash_to_date=Decimal("1250000.00"),
        fulfilled=Decimal("1250000.00"),
    )
    content = replace(content, contracts=(big, *content.contracts[1:]))
    pdf, _pages = rendering.render_pdf(content, language=language)
    assert not _words_past_the_margin(pdf, tmp_path)
