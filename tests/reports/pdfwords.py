"""The words on each page of a PDF with their boxes, as poppler's `pdftotext -bbox` reads them:
what the print-layout tests measure (headers on one line, nothing past the margin, a heading
above each table)."""

import re
import subprocess

WORD = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<'


def words_per_page(pdf: bytes, tmp_path) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page its words with their boxes (x min, y min, x max, y max, word), in points."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    boxes = subprocess.run(  # noqa: S603 - poppler's pdftotext on our own file
        ["pdftotext", "-bbox", str(path), "-"],  # noqa: S607
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return [
        [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(WORD, page)]
        for page in re.findall(r"<page .*?</page>", boxes, re.DOTALL)
    ]
