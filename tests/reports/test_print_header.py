"""The annual report's running header and footer stay on one line on every page: side by side at
the top, the report's title and the chapter wrapped onto two lines (an interim report's page 8:
"… · Gemeente Amsterdam · versie / 1" beside "Opdrachten en hun social / return")."""

import shutil
from dataclasses import replace
from datetime import date

import pytest

from reports import rendering, snapshot
from tests.reports.frozen import v1
from tests.reports.pdfwords import words_per_page

A4_HEIGHT = 841.89  # points
TOP_MARGIN = 22 / 25.4 * 72  # static/css/report-print.css @page
BOTTOM_MARGIN = 20 / 25.4 * 72

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


def _margin_lines(pdf: bytes, tmp_path) -> list[tuple[set[float], set[float], str, str]]:
    """Per page after the cover: the lines (rounded tops) of the words in the top margin and
    in the bottom margin, and their words."""
    pages = []
    for page in words_per_page(pdf, tmp_path)[1:]:
        words = [(top, bottom, word) for _x, top, _x2, bottom, word in page]
        head = [(top, word) for top, bottom, word in words if bottom < TOP_MARGIN]
        foot = [(top, word) for top, _bottom, word in words if top > A4_HEIGHT - BOTTOM_MARGIN]
        pages.append(
            (
                {round(top) for top, _word in head},
                {round(top) for top, _word in foot},
                " ".join(word for _top, word in head),
                " ".join(word for _top, word in foot),
            )
        )
    return pages


def _interim(municipality: str) -> snapshot.Content:
    content = snapshot.load(v1())
    return replace(
        content, interim=True, as_of=date(2025, 12, 6), municipality=municipality, version=1
    )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_running_header_and_footer_stay_on_one_line_with_the_whole_title(language, tmp_path):
    # given an interim report with a long title (as the demo's of 6 December 2026)
    content = _interim("Gemeente Amsterdam")
    # when it is printed
    pdf, _pages = rendering.render_pdf(content, language=language)
    # then on every page the header is one line with the title whole, the footer one line with
    # the chapter and the page number ("Opdrachten en hun social return" whole too)
    pages = _margin_lines(pdf, tmp_path)
    title = "versie 1" if language == "nl" else "version 1"
    chapter = "Opdrachten en hun social return" if language == "nl" else "Contracts and their"
    wrapped = [
        (number, head_words, foot_words)
        for number, (head, foot, head_words, foot_words) in enumerate(pages, start=2)
        if len(head) != 1 or len(foot) != 1
    ]
    assert not wrapped
    assert all(
        head_words.endswith(f"Gemeente Amsterdam · {title}") for _h, _f, head_words, _fw in pages
    )
    assert any(chapter in foot_words for _h, _f, _hw, foot_words in pages)


def test_a_name_too_long_for_the_line_is_cut_and_does_not_wrap(tmp_path):
    # given a municipality (or area) name that does not fit on the line beside the title
    content = _interim("Gemeente " + "Zuidwest-Friese Meren en Wadden " * 4)
    # when it is printed
    pdf, _pages = rendering.render_pdf(content, language="nl")
    # then the header is still one line on every page
    for number, (head, _foot, head_words, _fw) in enumerate(_margin_lines(pdf, tmp_path), 2):
        assert len(head) == 1, (number, head_words)
