"""A web process loads URLs, translations, the cache's client library and our templates before
its first request (config/warmup.py, called by config/wsgi.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from config import warmup

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import json, sys
import config.wsgi  # what gunicorn loads in each worker
from django.conf import settings
from django.template import engines
from django.urls import get_resolver, URLResolver
from django.utils.translation import trans_real
from config import warmup
loader = engines["django"].engine.template_loaders[0]
resolver = get_resolver()
included = [p for p in resolver.url_patterns if isinstance(p, URLResolver)]
print(json.dumps({
    "modules": sorted(m for m in ("governance.views.voting", "redis") if m in sys.modules),
    "languages": sorted(resolver._reverse_dict),
    "included_languages": sorted({code for p in included for code in p._reverse_dict}),
    "namespace_resolvers": __import__("django.urls.resolvers", fromlist=["x"]).get_ns_resolver.cache_info().currsize,
    "catalogues": sorted(trans_real._translations),
    "kept_templates": len(loader.get_template_cache),
    "frozen": __import__("gc").get_freeze_count(),
}))
"""


def _load_wsgi(**env) -> dict:
    result = subprocess.run(  # noqa: S603 - our own interpreter with a fixed script
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _our_templates() -> int:
    return sum(
        1
        for folder in warmup.own_template_dirs()
        for path in folder.rglob("*")
        if path.is_file() and path.suffix in warmup.SUFFIXES
    )


def test_loading_the_wsgi_application_loads_what_the_first_requests_would():
    loaded = _load_wsgi(CACHE_URL="redis://127.0.0.1:1/0")  # a port nobody listens on
    # Every view imported, and the Redis client library (nothing connects: the port is shut).
    assert loaded["modules"] == ["governance.views.voting", "redis"]
    # The tables `reverse` reads, for both languages, at the top and in every included module,
    # and the resolvers Django makes for namespaces.
    assert loaded["languages"] == ["en", "nl"]
    assert loaded["included_languages"] == ["en", "nl"]
    assert loaded["namespace_resolvers"] >= 5
    assert {"nl", "en"} <= set(loaded["catalogues"])
    # Every template of ours compiled and kept by the cached loader, before the heap is frozen.
    assert loaded["kept_templates"] >= _our_templates() > 100
    assert loaded["frozen"] > 50_000


def test_our_template_folders_are_the_projects_own():
    folders = warmup.own_template_dirs()
    assert ROOT / "templates" in folders
    assert all(folder.resolve().is_relative_to(ROOT) for folder in folders)
    assert not any(".venv" in folder.parts for folder in folders)


def test_a_template_that_does_not_compile_is_logged_and_the_rest_still_compiled(
    tmp_path, settings, caplog
):
    (tmp_path / "good.html").write_text("<p>{{ x }}</p>")
    (tmp_path / "bad.html").write_text("{% if %}")
    (tmp_path / "notes.md").write_text("not a template")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    settings.BASE_DIR = tmp_path
    assert warmup.own_template_dirs() == [tmp_path]
    with caplog.at_level("ERROR", logger="config.warmup"):
        assert warmup._compile_templates() == 1
    assert any(record.getMessage() == "template_not_compiled" for record in caplog.records)
