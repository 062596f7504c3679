"""The CSRF token pages show (common/csrf.py): Django's token, its mask drawn in one read.

What must hold: Django's middleware takes it (a form posted with it passes, a changed one is
refused), it is the request's secret under a fresh, uniform mask, the cookie is renewed as with
Django's `get_token`, and every page (Django's render, a kept page, a cached public page) uses
it."""

import re
import secrets
from collections import Counter
from unittest import mock

import pytest
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    _unmask_cipher_token,
)
from django.test import Client, RequestFactory

from common import csrf
from governance.models import Choice

from .governance.factories import poll

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


def _request_with_secret():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = "".join(
        secrets.choice(CSRF_ALLOWED_CHARS) for _ in range(CSRF_SECRET_LENGTH)
    )
    return request


def test_the_token_is_the_secret_under_a_fresh_mask_and_renews_the_cookie():
    request = _request_with_secret()
    first, second = csrf.token(request), csrf.token(request)
    for token in (first, second):
        assert len(token) == 2 * CSRF_SECRET_LENGTH and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]
    assert first[:CSRF_SECRET_LENGTH] != second[:CSRF_SECRET_LENGTH]  # a new mask each time
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True  # sent again, as Django does


def test_a_first_visit_gets_a_new_secret_for_its_cookie():
    secrets_made = set()
    for _ in range(3):
        request = RequestFactory().get("/")
        token = csrf.token(request)
        secret = request.META["CSRF_COOKIE"]
        assert len(secret) == CSRF_SECRET_LENGTH and set(secret) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == secret
        assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
        secrets_made.add(secret)
    assert len(secrets_made) == 3


def test_a_secret_the_middleware_would_not_read_gets_djangos_answer():
    request = RequestFactory().get("/")
    for odd in ("kort", "é" * CSRF_SECRET_LENGTH):
        request.META["CSRF_COOKIE"] = odd
        with mock.patch("common.csrf.get_token", return_value="Django's") as django_token:
            assert csrf.token(request) == "Django's"
        django_token.assert_called_once_with(request)


def _chi_square(draws) -> float:
    counts = Counter(draws)
    expected = len(draws) / len(CSRF_ALLOWED_CHARS)
    return sum(
        (counts.get(index, 0) - expected) ** 2 / expected
        for index in range(len(CSRF_ALLOWED_CHARS))
    )


def test_every_mask_character_is_equally_likely():
    # 640,000 draws over 62 characters: for a uniform draw the statistic (61 degrees of
    # freedom) is about 61 ± 11; 150 is passed by chance about once in 10^12.
    draws = [index for _ in range(20_000) for index in csrf.mask_indices()]
    assert _chi_square(draws) < 150
    # the test sees the bias a plain `byte % 62` would have (8 characters 5/256, the others
    # 4/256): so passing it says something
    biased = [byte % len(CSRF_ALLOWED_CHARS) for byte in secrets.token_bytes(len(draws))]
    assert _chi_square(biased) > 1000


@pytest.mark.django_db
def test_a_form_posted_with_the_pages_token_passes_and_a_changed_one_does_not():
    client = Client(enforce_csrf_checks=True)
    page = client.get("/").content.decode()
    token = TOKEN.search(page).group(1)
    changed = token[:-1] + ("a" if token[-1] != "a" else "b")
    refused = client.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": changed})
    assert refused.status_code == 403
    taken = client.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token})
    assert taken.status_code == 302


DJANGOS_MASK = mock.patch(
    "django.middleware.csrf._mask_cipher_secret", side_effect=AssertionError("Django's mask")
)


@pytest.mark.django_db(transaction=True)  # the page cache keeps what was committed
def test_a_cached_public_page_masks_with_one_read(settings, area):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    Client().get("/initiatieven/")  # somebody fills the cache
    with DJANGOS_MASK:
        visitor = Client()  # a first visit: no secret yet
        response = visitor.get("/initiatieven/")
    assert response["X-Page-Cache"] == "hit"
    tokens = set(TOKEN.findall(response.content.decode()))
    secret = visitor.cookies["csrftoken"].value
    assert tokens and {_unmask_cipher_token(token) for token in tokens} == {secret}


@pytest.mark.django_db
def test_every_rendered_page_masks_with_one_read(client, area, community_member):
    # Django's mask, one system call per character, is no longer used: not by Django's render
    # of a public page or the ballot, nor by a kept page (the receipt after a vote)
    proposal = poll(areas=[area])
    with DJANGOS_MASK:
        public = Client().get("/initiatieven/")
        assert public.status_code == 200 and TOKEN.search(public.content.decode())
        client.force_login(community_member)
        ballot = client.get(f"/voorstellen/{proposal.pk}/stemmen/")
        receipt = client.post(f"/voorstellen/{proposal.pk}/stemmen/", {"choice": Choice.FOR})
    for response in (ballot, receipt):
        assert response.status_code == 200
        tokens = set(TOKEN.findall(response.content.decode()))
        secret = client.cookies["csrftoken"].value
        assert tokens and {_unmask_cipher_token(token) for token in tokens} == {secret}
