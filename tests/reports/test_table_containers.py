"""On a phone each table of the year page scrolls sideways in its own place, named after its
caption, instead of widening the whole page (WCAG 1.4.10); the PDF's tables stay as they were.
The browser's view of it, at 320 px: `tests/e2e/test_fund_and_reports.py::
test_the_year_page_fits_a_phone_and_its_tables_scroll_on_their_own`."""

import html
import re

import pytest
from django.template import Context, Template

from reports import rendering, snapshot
from tests.reports.frozen import published, v1

CONTAINER = re.compile(
    r'<div class="utrecht-table-container bk-table-scroll" tabindex="0" role="region"'
    r' aria-label="([^"]*)">\s*<table\b(.*?)</table>\s*</div>',
    re.S,
)
CAPTION = re.compile(r"<caption[^>]*>(.*?)</caption>", re.S)


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


@pytest.mark.django_db
def test_every_table_of_the_year_page_scrolls_in_a_region_named_after_its_caption(client):
    published(v1())
    page = client.get("/rapporten/2025/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    body = page[page.index('<section id="summary"') :]
    tables = body.count("<table ")
    regions = CONTAINER.findall(body)
    assert tables > 20 and len(regions) == tables
    names = [html.unescape(name) for name, _table in regions]
    for name, (_name, table) in zip(names, regions, strict=True):
        caption = CAPTION.search(table)
        # a table repeated per fund: "<caption> (<fund>)"
        shown = _text(caption.group(1)) if caption else name
        assert name == shown or name.startswith(f"{shown} (") and name.strip()
    # a table without a caption is named as the heading above it says
    assert {"Geld per fonds", "Achterstand of te laat", "Per doelgroep (Socialization+)"} <= set(
        names
    ), names


def test_the_pdf_s_tables_are_not_wrapped():
    printed = rendering.render_print_html(snapshot.load(v1()), language="nl")
    assert printed.count("<table ") > 10
    assert "bk-table-scroll" not in printed and 'role="region"' not in printed


def test_a_caption_s_markup_and_entities_become_plain_words_in_the_name():
    template = Template(
        "{% load nlds %}{% table_container %}<table><caption>Geld &amp; <b>bron</b>"
        "</caption></table>{% endtable_container %}"
    )
    shown = template.render(Context({}))
    assert shown.startswith('<div class="utrecht-table-container bk-table-scroll" tabindex="0"')
    assert 'aria-label="Geld &amp; bron"' in shown
    assert shown.endswith("</table></div>")
    assert template.render(Context({"print": True})).startswith("<table>")
    named = Template(
        "{% load nlds %}{% table_container title %}<table></table>{% endtable_container %}"
    )
    assert 'aria-label="Buurt &lt;3"' in named.render(Context({"title": "Buurt <3"}))
