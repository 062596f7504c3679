"""The member list's FilterSet: the same parameters as before, a bad value is ignored."""

import pytest
from django.urls import reverse

from accounts import selectors
from accounts.filters import MemberFilter

pytestmark = pytest.mark.django_db


def usernames(params: dict) -> list[str]:
    filterset = MemberFilter(params, queryset=selectors.members_for_staff())
    return [user.username for user in filterset.qs]


def test_status_and_search_filter_the_members(civil_servant, community_member, resident):
    assert usernames({"status": "verified"}) == ["lid"]
    assert "lid" not in usernames({"status": "unverified"})
    assert "bewoner" in usernames({"status": "unverified"})
    assert usernames({"q": "  bewo "}) == ["bewoner"]


def test_an_unknown_status_is_ignored_and_the_search_still_applies(
    civil_servant, community_member, resident
):
    assert usernames({"status": "alles-behalve"}) == usernames({})
    assert usernames({"status": "alles-behalve", "q": "lid"}) == ["lid"]


def test_the_page_with_an_unknown_status_shows_every_member(client, civil_servant, resident):
    client.force_login(civil_servant)
    response = client.get(reverse("accounts:members"), {"status": "<script>", "q": "bewoner"})
    assert response.status_code == 200
    assert [user.username for user in response.context["page"]] == ["bewoner"]
    assert response.context["status"] == ""
