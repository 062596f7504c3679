"""Start and stop the test OpenID Connect provider in a subprocess (for the log-in tests)."""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_provider(config: dict, folder: Path, timeout: float = 60):
    """Yield the issuer URL of a fresh provider with these clients and people."""
    port = _free_port()
    site = f"http://127.0.0.1:{port}"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_"))
    }
    env.update(
        OIDC_TEST_CONFIG=json.dumps(config),
        OIDC_TEST_DB=str(folder / "provider.sqlite3"),
        OIDC_TEST_SITE_URL=site,
        PYTHONUNBUFFERED="1",
    )
    log = (folder / "provider.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.oidc_provider.serve", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    issuer = f"{site}/openid"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"the test provider stopped: {(folder / 'provider.log').read_text()}"
                )
            try:
                if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the test provider did not start in {timeout:.0f} s")
            time.sleep(0.2)
        yield issuer
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
