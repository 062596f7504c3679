"""The production static files storage (common/staticfiles.py): the same URLs as WhiteNoise's
manifest storage, each worked out once per process; a name not in the manifest still raises."""

import json

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from common.staticfiles import ManifestStaticFilesStorage


@pytest.fixture
def storages(tmp_path, settings):
    settings.DEBUG = False
    manifest = {"version": "1.1", "hash": "0f0f", "paths": {"css/site.css": "css/site.5e1f.css"}}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return (
        ManifestStaticFilesStorage(location=tmp_path, base_url="/static/"),
        CompressedManifestStaticFilesStorage(location=tmp_path, base_url="/static/"),
    )


def test_urls_are_whitenoises_and_worked_out_once(storages, monkeypatch):
    ours, whitenoise = storages
    assert ours.url("css/site.css") == whitenoise.url("css/site.css") == "/static/css/site.5e1f.css"
    looked_up = []
    monkeypatch.setattr(ours, "stored_name", lambda name: looked_up.append(name) or name)
    assert ours.url("css/site.css") == "/static/css/site.5e1f.css"
    assert looked_up == []
    # force (collectstatic's own use) always asks the manifest
    ours.url("css/site.css", force=True)
    assert looked_up == ["css/site.css"]


def test_a_name_not_in_the_manifest_raises_every_time(storages):
    ours, _whitenoise = storages
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            ours.url("css/missing.css")
