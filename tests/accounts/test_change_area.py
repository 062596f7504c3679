"""The member list offers "Verify" to a member without a verification and "Change area" to a
verified member: for them the same page replaces the verification with one for the new area."""

import pytest
from django.urls import reverse

from accounts.models import MemberVerification
from tests.accounts.factories import AreaFactory

pytestmark = pytest.mark.django_db


def _action_links(client, member):
    html = client.get(reverse("accounts:members")).content.decode()
    href = reverse("accounts:verify", args=[member.pk])
    start = html.index(f'href="{href}"')
    return html[start : html.index("</a>", start)]


def test_the_list_says_change_area_for_a_verified_member(client, civil_servant, community_member):
    client.force_login(civil_servant)
    link = _action_links(client, community_member)
    assert "Gebied wijzigen" in link
    assert "Verifiëren" not in link


def test_the_list_says_verify_for_a_member_who_is_not_verified(client, civil_servant, resident):
    client.force_login(civil_servant)
    link = _action_links(client, resident)
    assert "Verifiëren" in link
    assert "Gebied wijzigen" not in link


def test_the_list_in_english(client, civil_servant, community_member, resident):
    client.force_login(civil_servant)
    client.cookies["django_language"] = "en"
    assert "Change area" in _action_links(client, community_member)
    assert "Verify" in _action_links(client, resident)


def test_the_form_says_the_new_area_replaces_the_old_one(client, civil_servant, community_member):
    client.force_login(civil_servant)
    html = client.get(reverse("accounts:verify", args=[community_member.pk])).content.decode()
    assert "Gebied van een lid van de gemeenschap wijzigen" in html
    assert "Het nieuwe gebied komt in de plaats van Bijlmer-Centrum." in html
    assert ">Gebied wijzigen</button>" in html


def test_the_form_for_a_member_who_is_not_verified_stays_as_it_was(client, civil_servant, resident):
    client.force_login(civil_servant)
    html = client.get(reverse("accounts:verify", args=[resident.pk])).content.decode()
    assert "Een lid van de gemeenschap verifiëren" in html
    assert 'data-testid="area-replaces"' not in html
    assert ">Verifiëren</button>" in html


def test_changing_the_area_moves_the_verification(client, civil_servant, community_member, area):
    # given a member verified for Bijlmer-Centrum who moved
    new_area = AreaFactory(name="Gaasperdam", slug="gaasperdam")
    client.force_login(civil_servant)
    # when the civil servant changes the area
    response = client.post(
        reverse("accounts:verify", args=[community_member.pk]), {"area": new_area.pk}, follow=True
    )
    # then the old verification is revoked and the new one holds
    active = MemberVerification.objects.get(user=community_member, revoked_at__isnull=True)
    assert active.area == new_area
    assert MemberVerification.objects.get(user=community_member, area=area).revoked_at
    assert "Het gebied van lid is nu Gaasperdam." in response.content.decode()


def test_an_administrator_sees_the_members_but_no_way_to_verify_or_to_issue_codes(
    client, administrator, civil_servant, community_member, resident
):
    """Verifying a member and issuing codes are a civil servant's work. An administrator's
    member list offered "Verify", "Change area" and "Revoke", and their menu "Verification
    codes", and each led to a refusal (403; noticed 2026-12-07 walking the site as each role)."""
    verification = MemberVerification.objects.get(user=community_member)
    refused = [
        reverse("accounts:verify", args=[resident.pk]),
        reverse("accounts:verify", args=[community_member.pk]),
        reverse("accounts:revoke", args=[verification.pk]),
        reverse("accounts:codes"),
    ]
    client.force_login(administrator)
    html = client.get(reverse("accounts:members")).content.decode()
    assert community_member.username in html and resident.username in html
    for href in refused:
        assert f'href="{href}"' not in html
        assert client.get(href).status_code == 403
    # a civil servant has all four
    client.force_login(civil_servant)
    html = client.get(reverse("accounts:members")).content.decode()
    for href in refused:
        assert f'href="{href}"' in html
