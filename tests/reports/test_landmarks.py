"""Every landmark of the year page has a name of its own (axe-core's `landmark-unique`, the review
of 2026-12-06, finding 18): a chart's scrolling region is not named like the table under it, nor
a chapter like the table in it, so a screen reader's list of landmarks tells them apart."""

import html
import re
from collections import Counter

import pytest

from tests.reports.frozen import published, v1

pytestmark = pytest.mark.django_db

TAG = re.compile(r"<(section|nav|aside|main|header|footer|form|div)\b([^>]*)>", re.S)
ATTR = re.compile(r'([a-z-]+)="([^"]*)"')
LANDMARK_ROLES = {"main": "main", "nav": "navigation", "aside": "complementary"}


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _element_text(page: str, element_id: str) -> str:
    found = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</\1>', page, re.S)
    assert found, element_id
    return _text(found.group(2))


def landmarks(page: str) -> list[tuple[str, str]]:
    """(role, accessible name) of each named landmark: sections and regions need a name to be
    one; navigation, main and complementary count with or without."""
    found = []
    for tag, attributes in TAG.findall(page):
        attrs = dict(ATTR.findall(attributes))
        role = (
            attrs.get("role") or LANDMARK_ROLES.get(tag) or ("region" if tag == "section" else "")
        )
        if not role or role not in {"region", "navigation", "main", "complementary"}:
            continue
        if "aria-labelledby" in attrs:
            name = " ".join(_element_text(page, i) for i in attrs["aria-labelledby"].split())
        else:
            name = html.unescape(attrs.get("aria-label", "")).strip()
        if role == "region" and not name:
            continue  # a section without a name is no landmark
        found.append((role, name))
    return found


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_landmark_of_the_year_page_has_a_name_of_its_own(client, language):
    published(v1())
    page = client.get("/rapporten/2025/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    found = landmarks(page)
    assert len(found) > 20
    twice = {landmark: n for landmark, n in Counter(found).items() if n > 1}
    assert twice == {}


def test_a_chart_s_region_and_the_table_of_its_numbers_have_different_names(client):
    published(v1())
    page = client.get("/rapporten/2025/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    names = {name for _role, name in landmarks(page)}
    assert {"Grafiek: Uitbetaald geld per leefgebied", "Uitbetaald geld per leefgebied"} <= names
    assert {"Resultaten van initiatieven", "Resultaten per indicator"} <= names
