"""A table's caption stays with the table in the annual report's PDF: a page break between
them left a caption alone at the foot of a page, its table on the next."""

import io
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from pypdf import PdfReader


def _pages_of(fill: int) -> tuple[int, int]:
    """The pages of the caption and of the table's first row, after `fill` lines of text."""
    from weasyprint import HTML  # noqa: PLC0415 - heavy, as in reports.rendering.output

    stylesheet = Path(finders.find("css/report-print.css")).read_text(encoding="utf-8")
    lines = "".join(f"<p style='margin: 0'>Regel {i}</p>" for i in range(fill))
    rows = "".join(f"<tr><td>Rij{i}</td><td>€ {i},00</td></tr>" for i in range(12))
    html = (
        f"<html><head><style>{stylesheet}</style></head><body>{lines}"
        "<table><caption>Bijschrift</caption><thead><tr><th>Naam</th><th>Bedrag</th></tr>"
        f"</thead><tbody>{rows}</tbody></table></body></html>"
    )
    reader = PdfReader(io.BytesIO(HTML(string=html).write_pdf()))
    texts = [page.extract_text() for page in reader.pages]
    return (
        next(n for n, text in enumerate(texts) if "Bijschrift" in text),
        next(n for n, text in enumerate(texts) if "Rij0" in text),
    )


@pytest.mark.parametrize("fill", range(44, 52))
def test_a_caption_is_never_alone_at_the_foot_of_a_page(fill):
    # Around 46 lines the page is full: the caption would still fit, the header and a row not.
    caption_page, first_row_page = _pages_of(fill)
    assert caption_page == first_row_page
