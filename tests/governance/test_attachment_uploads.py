"""A proposal's attachment: checked by content, random name, served as a download (point 4)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from governance.models import Attachment, Proposal

from .factories import board

pytestmark = pytest.mark.django_db


def _post(client, body, file):
    return client.post(
        "/voorstellen/nieuw/",
        {
            "title": "Speeltuin",
            "text": "Een nieuwe speeltuin",
            "method": "board",
            "body": body.pk,
            "attachment_title": "",
            "attachment": file,
        },
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("begroting.pdf", b"<html><script>alert(1)</script></html>"),
        ("tekening.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>'),
        ("pagina.html", b"<!DOCTYPE html><p>hoi</p>"),
    ],
)
def test_html_and_svg_are_refused_and_nothing_is_written(client, civil_servant, name, content):
    body, _voters = board()
    client.force_login(civil_servant)
    response = _post(client, body, SimpleUploadedFile(name, content))
    assert response.status_code == 400  # the form again, with the message
    assert "Dit soort bestand kunnen we niet aannemen" in response.content.decode()
    assert not Proposal.objects.exists() and not Attachment.objects.exists()


def test_an_accepted_attachment_is_stored_under_a_random_name_and_downloaded(client, civil_servant):
    body, _voters = board()
    client.force_login(civil_servant)
    content = b"%PDF-1.4 begroting"
    response = _post(client, body, SimpleUploadedFile("Begroting 2026.pdf", content))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "Begroting 2026.pdf"
    assert attachment.title == "Begroting 2026.pdf"
    assert "Begroting" not in attachment.file.name and attachment.file.name.endswith(".pdf")

    download = client.get(f"/voorstellen/bijlagen/{attachment.pk}/")
    assert b"".join(download.streaming_content) == content
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Begroting 2026.pdf" in download["Content-Disposition"]
    assert "sandbox" in download["Content-Security-Policy"]


def test_a_refused_attachment_saves_no_proposal_so_sending_again_makes_one(client, civil_servant):
    # given a title the attachment cannot keep (the form does not limit its length)
    body, _voters = board()
    client.force_login(civil_servant)
    data = {
        "title": "Speeltuin",
        "text": "Een nieuwe speeltuin",
        "method": "board",
        "body": body.pk,
        "attachment_title": "x" * 201,
    }
    # when the form is sent
    response = client.post(
        "/voorstellen/nieuw/", {**data, "attachment": SimpleUploadedFile("a.pdf", b"%PDF-1.4")}
    )
    # then it comes back with the message and nothing is written: one action, one transaction
    assert response.status_code == 400
    assert not Proposal.objects.exists() and not Attachment.objects.exists()
    # and sending it again, corrected, makes exactly one proposal with its attachment
    data["attachment_title"] = "Tekening"
    response = client.post(
        "/voorstellen/nieuw/", {**data, "attachment": SimpleUploadedFile("a.pdf", b"%PDF-1.4")}
    )
    assert response.status_code == 302
    assert Proposal.objects.count() == 1 and Attachment.objects.get().title == "Tekening"
