"""Logs: one JSON line a record with the request id, which the response also carries."""

import io
import json
import logging

import pytest
import structlog
from django.conf import settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """Send the root logger's records through the production (JSON) formatter into a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    formatter_config = dict(settings.LOGGING["formatters"]["json"])
    factory = formatter_config.pop("()")
    handler.setFormatter(factory(**formatter_config))
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def _records(stream) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_every_request_logs_json_lines_with_the_request_id_it_sends_back(client, json_log):
    response = client.get("/initiatieven/")
    request_id = response["X-Request-ID"]
    records = [r for r in _records(json_log) if r.get("request_id") == request_id]
    events = {r["event"] for r in records}
    assert {"request_started", "request_finished"} <= events
    finished = next(r for r in records if r["event"] == "request_finished")
    assert finished["code"] == 200
    assert finished["level"] == "info"
    assert "timestamp" in finished


def test_a_request_id_from_the_proxy_is_kept_only_when_trusted(client, json_log, settings):
    response = client.get("/_healthz/livez/", HTTP_X_REQUEST_ID="client-made-up")
    assert response["X-Request-ID"] != "client-made-up"
    settings.DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = True
    response = client.get("/_healthz/livez/", HTTP_X_REQUEST_ID="proxy-abc-123")
    assert response["X-Request-ID"] == "proxy-abc-123"
    assert any(r.get("request_id") == "proxy-abc-123" for r in _records(json_log))


def test_plain_library_logging_becomes_json_too(json_log):
    structlog.contextvars.clear_contextvars()
    logging.getLogger("burgerkracht.test").warning("fund %s checked", "Zuidoost")
    (record,) = [r for r in _records(json_log) if r.get("logger") == "burgerkracht.test"]
    assert record["event"] == "fund Zuidoost checked"
    assert record["level"] == "warning"
