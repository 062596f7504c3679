"""security.txt and the CSP report view: for everyone, every role (d)."""

import json
import logging
from datetime import UTC, datetime

import pytest

from tests.roles import ACCOUNT_ROLES

pytestmark = pytest.mark.django_db

REPORT = {
    "csp-report": {
        "document-uri": "https://example.org/",
        "violated-directive": "script-src-elem",
        "blocked-uri": "inline",
    }
}


def _login(client, user_for_role, role):
    user = user_for_role(role)
    if user:
        client.force_login(user)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_security_txt_follows_rfc_9116(client, user_for_role, role, settings):
    settings.SECURITY_CONTACT = "mailto:cert@gemeente.example"
    _login(client, user_for_role, role)
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"] == "mailto:cert@gemeente.example"
    expires = datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert expires > datetime.now(UTC)
    assert fields["Canonical"].endswith("/.well-known/security.txt")


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_a_csp_violation_report_is_logged(client, user_for_role, role, caplog):
    _login(client, user_for_role, role)
    with caplog.at_level(logging.WARNING, logger="security.csp"):
        response = client.post(
            "/csp-rapport/", json.dumps(REPORT), content_type="application/csp-report"
        )
    assert response.status_code == 204
    assert "script-src-elem" in caplog.text


def test_the_report_view_takes_only_posted_json(client):
    assert client.get("/csp-rapport/").status_code == 405
    assert (
        client.post("/csp-rapport/", "geen json", content_type="application/json").status_code
        == 400
    )
