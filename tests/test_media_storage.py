"""Media on S3-compatible storage (MEDIA_STORAGE=s3) for more than one machine.

The bucket is served by moto's S3 server over real HTTP on a free loopback port, so boto3 and
django-storages do everything they do against MinIO or a cloud, signatures included.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-west-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(
        Bucket="burgerkracht-media",
        CreateBucketConfiguration={"LocationConstraint": "eu-west-1"},
    )
    yield endpoint, client
    server.stop()


def _s3_settings(endpoint: str) -> dict:
    return {
        "MEDIA_STORAGE": "s3",
        "S3_BUCKET": "burgerkracht-media",
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "eu-west-1",
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test",
    }


def test_the_settings_choose_s3_storage_from_the_environment(s3_endpoint):
    endpoint, _client = s3_endpoint
    env = {**os.environ, **_s3_settings(endpoint), "IGNORE_DOTENV": "1"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    script = (
        "import django; django.setup()\n"
        "from django.core.files.storage import storages; default_storage = storages['default']\n"
        "from django.core.files.base import ContentFile\n"
        "name = default_storage.save('reports/test.pdf', ContentFile(b'%PDF-1.7 test'))\n"
        "print(type(default_storage).__name__, name)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        check=True, timeout=60,
    )  # fmt: skip
    backend, name = result.stdout.split()
    assert backend == "S3Storage"
    body = _client.get_object(Bucket="burgerkracht-media", Key=f"media/{name}")["Body"].read()
    assert body == b"%PDF-1.7 test"


def test_files_are_private_and_never_overwritten(s3_endpoint, settings):
    endpoint, client = s3_endpoint
    values = _s3_settings(endpoint)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": values["S3_BUCKET"],
                "endpoint_url": endpoint,
                "region_name": values["S3_REGION"],
                "access_key": "test",
                "secret_key": "test",
                "location": "media",
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
                "signature_version": "s3v4",
            },
        },
    }
    storage = storages["default"]
    first = storage.save("evidence/bon.pdf", ContentFile(b"one"))
    second = storage.save("evidence/bon.pdf", ContentFile(b"two"))
    assert first != second
    with storage.open(first) as handle:
        assert handle.read() == b"one"
    grants = client.get_object_acl(Bucket="burgerkracht-media", Key=f"media/{first}")["Grants"]
    assert all("AllUsers" not in str(grant["Grantee"]) for grant in grants)
    assert "X-Amz-Signature" in storage.url(first)


def test_an_unknown_media_storage_refuses_to_start():
    env = {**os.environ, "MEDIA_STORAGE": "ftp", "IGNORE_DOTENV": "1", "DEBUG": "1"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "MEDIA_STORAGE must be" in result.stderr
