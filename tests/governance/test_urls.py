"""The order of governance/urls.py: casting a vote is matched first (the busiest request of a
poll), which must not take any other page's address."""

import re

from django.urls import resolve

from governance import urls

EXAMPLES = {
    "int": "7",
    "slug": "wijk-noord",
    "str": "iets",
    "uuid": "0f8e7c1a-3b2d-4e5f-9a8b-1c2d3e4f5a6b",
}


def _example(route: str) -> str:
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: EXAMPLES[m.group(1) or "str"], route)


def test_the_vote_is_tried_first():
    assert urls.urlpatterns[0].name == "vote"


def test_every_address_still_reaches_its_own_page():
    for pattern in urls.urlpatterns:
        path = "/voorstellen/" + _example(str(pattern.pattern))
        assert resolve(path).url_name == pattern.name, path
