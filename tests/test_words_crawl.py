"""Every page each role reaches, in Dutch and in English: no words of the other language.

A text on a Dutch page that is an English source string with another Dutch translation was not
translated (a string marked too late, or not marked where it is shown); a text on an English page
that is a Dutch translation, and not also an English source string, is Dutch that stayed (a
label frozen in Dutch, a hard-coded word). Left alone: codes and column names (`<code>`), and
names people gave (a body's name, a user name): the demo's are Dutch in both languages.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.test import Client
from django.urls import reverse

from tests.crawl import crawl, seeded_accounts

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
SPACE = re.compile(r"\s+")


def _catalogue() -> tuple[dict[str, str], set[str]]:
    """English source -> Dutch, for whole strings without placeholders that differ; and every
    English source string (some keep a Dutch word: "Leefgebied")."""
    with (ROOT / "locale/nl/LC_MESSAGES/django.po").open("rb") as f:
        catalog = read_po(f, locale="nl")
    words, sources = {}, set()
    for message in catalog:
        if not message.id or message.pluralizable or not message.string or message.fuzzy:
            continue
        source, dutch = SPACE.sub(" ", message.id).strip(), SPACE.sub(" ", message.string).strip()
        sources.add(source)
        if "%" in source or "{" in source or source == dutch:
            continue
        words[source] = dutch
    return words, sources


class _Text(HTMLParser):
    ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")
    SKIPPED = ("script", "style", "code")

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self._skip += 1
        for name, value in attrs:
            if name in self.ATTRIBUTES and value:
                self.found.append(SPACE.sub(" ", value).strip())

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        text = SPACE.sub(" ", data).strip()
        if text and not self._skip:
            self.found.append(text)


def _texts(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.found


# English that a Dutch page may not show even where the catalogue translates it to itself: words
# a resident read in the Dutch menu and on its buttons ("Community Home", a place's name, stays).
ENGLISH_ON_DUTCH_PAGES = {"Home", "– home", "Stop e-mail"}


@pytest.fixture
def demo(db):
    accounts = seeded_accounts("taal")
    del accounts["administrator"]  # Django's own admin pages are not crawled
    return {"anonymous": None, **accounts}


def test_no_page_shows_words_of_the_other_language(demo):
    from accounts.models import User
    from governance.models import Body

    english_to_dutch, sources = _catalogue()
    dutch_to_english = {
        dutch: source for source, dutch in english_to_dutch.items() if dutch not in sources
    }
    names = set(Body.objects.values_list("name", flat=True))
    names |= set(User.objects.values_list("username", flat=True))
    problems = set()
    for role, user in demo.items():
        for language, other in (("nl", english_to_dutch), ("en", dutch_to_english)):
            client = Client()
            if user is not None:
                client.force_login(user)
            client.post(reverse("set_language"), {"language": language, "next": "/"})
            for path, (_status, _policy, html) in crawl(client).items():
                # A page is in the visitor's language, except a report asked for in another
                # (`/rapporten/2025/?taal=nl`): that page is in the report's language.
                found = re.search(r'<html lang="([a-z]+)"', html)
                page_language = found.group(1) if found else language
                if page_language != language and "taal=" not in path:
                    problems.add((language, role, path, f"<html lang={page_language}>"))
                words_of_other = other if page_language == language else (
                    english_to_dutch if page_language == "nl" else dutch_to_english
                )  # fmt: skip
                for text in _texts(html):
                    if text in words_of_other and text not in names:
                        problems.add((language, role, path, text))
                    if page_language == "nl" and text in ENGLISH_ON_DUTCH_PAGES:
                        problems.add((language, role, path, text))
    assert sorted(problems) == []
