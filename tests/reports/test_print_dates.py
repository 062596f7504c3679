"""The annual report's PDF writes dates as the language does and keeps each on one line: "21 mrt
2025" in Dutch, not "21 Mrt" nor "21 mrt" above "2025" in a narrow date column."""

import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from reports import rendering, snapshot
from tests.reports.frozen import v1


@pytest.mark.parametrize(
    ("language", "dates"),
    [("nl", ["21 mrt 2025", "10 apr 2025"]), ("en", ["21 Mar 2025", "10 Apr 2025"])],
)
def test_the_largest_lines_keep_each_date_whole_on_one_line(language, dates):
    content = snapshot.load(v1())
    pdf, _pages = rendering.render_pdf(content, language=language)
    runs = []  # the text as drawn, run by run: a date split over two lines is two runs
    for page in PdfReader(BytesIO(pdf)).pages:
        page.extract_text(visitor_text=lambda text, *_args: runs.append(text.strip()))
    text = " ".join(runs)
    for date in dates:
        assert date in runs, date
    split = [run for run in runs if re.fullmatch(r"\d{1,2} [A-Za-z]{3}", run)]
    assert not split, f"dates split over two lines: {split}"
    if language == "nl":
        assert "Mrt" not in text and " Apr " not in text
