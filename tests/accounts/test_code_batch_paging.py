"""A batch's page lists its codes (last four characters) fifty a page (issue 16); the sheet to
print, with every code in full, is not paged."""

import re

import pytest
from django.urls import reverse

from accounts.models import Role, VerificationCodeBatch
from tests.accounts.factories import UserFactory
from tests.query_counts.civic import batch_detail

pytestmark = pytest.mark.django_db
ROW = 'data-testid="batch-code"'


def _next_link(content: str) -> str:
    found = re.search(r'rel="next" href="([^"]+)"', content)
    return found.group(1).replace("&amp;", "&") if found else ""


def test_a_batch_of_ten_codes_fits_on_one_page(client, civil_servant, area):
    url = batch_detail(10, {"civil_servant": civil_servant, "area": area})
    client.force_login(civil_servant)
    page = client.get(url).content.decode()
    assert page.count(ROW) == 10
    assert not _next_link(page)


def test_a_batch_of_sixty_codes_shows_fifty_and_the_next_page_the_rest(client, civil_servant, area):
    url = batch_detail(60, {"civil_servant": civil_servant, "area": area})
    client.force_login(civil_servant)
    first = client.get(url, {"bron": "taken"}).content.decode()
    assert first.count(ROW) == 50
    link = _next_link(first)
    assert "bron=taken" in link and "page=2" in link
    second = client.get(url + link).content.decode()
    assert second.count(ROW) == 10
    # no code is on both pages
    suffixes = re.compile(r"…(\d{4})")
    assert not set(suffixes.findall(first)) & set(suffixes.findall(second))


def test_the_printed_sheet_of_a_large_batch_has_every_code(client, civil_servant, area, settings):
    settings.VERIFICATION_BATCH_APPROVAL_ABOVE = 5
    colleague = UserFactory(username="collega", roles=[Role.CIVIL_SERVANT])
    client.force_login(civil_servant)
    client.post(reverse("accounts:codes"), {"area": area.pk, "count": 60, "valid_days": 30})
    batch = VerificationCodeBatch.objects.get()
    client.force_login(colleague)
    client.post(reverse("accounts:batch_approve", args=[batch.pk]))
    client.force_login(civil_servant)
    printed = client.post(reverse("accounts:batch_print", args=[batch.pk]))
    assert printed.content.decode().count('data-testid="verification-code"') == 60
    screen = client.get(reverse("accounts:batch", args=[batch.pk])).content.decode()
    assert screen.count(ROW) == 50
