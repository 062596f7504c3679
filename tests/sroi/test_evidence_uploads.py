"""Evidence is checked by content, not by name, and served as a download (point 4)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sroi.models import Realisation, TargetGroup

from .factories import block

pytestmark = pytest.mark.django_db


def _claim(client, contract, file):
    return client.post(
        f"/sroi/contracten/{contract.pk}/realisaties/nieuw/",
        {
            "block": block("mbo-bbl").pk,
            "target_group": TargetGroup.STUDENT,
            "person_reference": "BBL-9",
            "start_date": "2025-09-01",
            "end_date": "2026-08-31",
            "hours_per_week": "32",
            "evidence": file,
        },
    )


def test_html_named_pdf_is_refused_and_writes_nothing(client, civil_servant, scenario):
    client.force_login(civil_servant)
    before = Realisation.objects.count()
    file = SimpleUploadedFile("inschrijving.pdf", b"<html><script>alert(1)</script>")
    response = _claim(client, scenario["contract"], file)
    assert response.status_code == 200
    assert "Dit soort bestand kunnen we niet aannemen" in response.content.decode()
    assert Realisation.objects.count() == before


def test_evidence_keeps_its_name_for_display_only_and_downloads_as_attachment(
    client, civil_servant, scenario
):
    client.force_login(civil_servant)
    response = _claim(
        client, scenario["contract"], SimpleUploadedFile("inschrijving.pdf", b"%PDF-1.4")
    )
    assert response.status_code == 302
    realisation = Realisation.objects.get(person_reference="BBL-9")
    assert realisation.evidence_name == "inschrijving.pdf"
    assert "inschrijving" not in realisation.evidence.name
    download = client.get(f"/sroi/realisaties/{realisation.pk}/bewijs/")
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert 'filename="inschrijving.pdf"' in download["Content-Disposition"]
    assert download["Content-Disposition"].startswith("attachment;")
