"""Attachments are served by a view that asks who may see the proposal (media is not public)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance import services
from tests.roles import ACCOUNT_ROLES, STAFF

from .factories import board, draft

pytestmark = pytest.mark.django_db


def attach(proposal, civil_servant):
    return services.add_attachment(
        proposal=proposal,
        title="Begroting",
        file=SimpleUploadedFile("begroting.pdf", b"%PDF-1.4 begroting"),
        actor=civil_servant,
    )


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_an_attachment_of_a_public_proposal_is_for_everyone(
    client, user_for_role, civil_servant, role
):
    proposal = draft(body=board()[0])
    attachment = attach(proposal, civil_servant)
    services.start_discussion(proposal=proposal, actor=civil_servant)
    user = user_for_role(role)
    if user:
        client.force_login(user)
    response = client.get(reverse("governance:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 begroting"
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_an_attachment_of_a_draft_is_for_civil_servants_only(
    client, user_for_role, civil_servant, role
):
    attachment = attach(draft(body=board()[0]), civil_servant)
    user = user_for_role(role)
    if user:
        client.force_login(user)
    response = client.get(reverse("governance:attachment", args=[attachment.pk]))
    assert response.status_code == (200 if role in STAFF else 403)


def test_the_proposal_page_links_to_the_view_not_to_media(client, civil_servant):
    proposal = draft(body=board()[0])
    attachment = attach(proposal, civil_servant)
    client.force_login(civil_servant)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert reverse("governance:attachment", args=[attachment.pk]) in page
    assert "/media/" not in page
