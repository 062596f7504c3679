"""Optional error reporting: with SENTRY_DSN set, an unhandled error reaches the collector."""

import gzip
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class _Collector(http.server.BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli  # installed with WeasyPrint's fonttools

            body = brotli.decompress(body)
        _Collector.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


_DIRECT = (
    "import django; django.setup()\n"
    "import sentry_sdk\n"
    "try:\n"
    "    raise RuntimeError('report me')\n"
    "except RuntimeError as exc:\n"
    "    sentry_sdk.capture_exception(exc)\n"
    "sentry_sdk.flush(timeout=5)\n"
)

# An error in a view that has a secret in a local variable and in the request's body, as a
# ballot's POST has the choice (and the voter in the frames' locals).
_IN_A_VIEW = (
    "import django; django.setup()\n"
    "import django.views.i18n as i18n\n"
    "def set_language(request):\n"
    "    choice = 'secret-in-a-local'\n"
    "    raise RuntimeError('report me from a view ' + str(len(choice)))\n"
    "i18n.set_language = set_language  # before the URLconf is read\n"
    "import sentry_sdk\n"
    "from django.test import Client\n"
    "try:  # the 500 page wants the collected static files, not made here\n"
    "    Client().post('/i18n/setlang/', {'choice': 'secret-in-the-body'})\n"
    "except Exception:\n"
    "    pass\n"
    "sentry_sdk.flush(timeout=5)\n"
)


def _run_with_dsn(dsn: str, script: str = _DIRECT) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SENTRY_DSN": dsn,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60,
        "IGNORE_DOTENV": "1",
    }
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True, timeout=60)


def test_an_error_is_reported_to_the_configured_collector_without_personal_data():
    _Collector.received = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        _run_with_dsn(f"http://publickey@127.0.0.1:{server.server_port}/1")
    finally:
        server.shutdown()
    body = b"".join(_Collector.received)
    assert b"report me" in body
    assert b"RuntimeError" in body
    assert b'"send_default_pii"' not in body or b'"send_default_pii":false' in body
    assert b"ip_address" not in body


def test_an_error_in_a_view_sends_neither_its_locals_nor_the_request_body():
    """With Sentry's defaults an error while casting a ballot sent the choice (the POST body)
    with the voter (a frame's local), and one in the tally the opened ballots (insider review)."""
    _Collector.received = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        _run_with_dsn(f"http://publickey@127.0.0.1:{server.server_port}/1", _IN_A_VIEW)
    finally:
        server.shutdown()
    body = b"".join(_Collector.received)
    assert b"report me from a view 17" in body  # the error did arrive
    assert b"secret-in-a-local" not in body
    assert b"secret-in-the-body" not in body


def test_without_a_dsn_nothing_is_initialised():
    script = "import django; django.setup()\nimport sentry_sdk\nassert not sentry_sdk.get_client().is_active()\n"
    env = {
        **os.environ,
        "SENTRY_DSN": "",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60,
        "IGNORE_DOTENV": "1",
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True, timeout=60)
