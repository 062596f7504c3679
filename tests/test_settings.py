"""Settings come from the environment. Each case starts a fresh interpreter with its own env."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "debug": s.DEBUG,
    "engine": s.DATABASES["default"]["ENGINE"],
    "name": str(s.DATABASES["default"]["NAME"]),
    "host": s.DATABASES["default"].get("HOST", ""),
    "eager": s.CELERY_TASK_ALWAYS_EAGER,
    "broker": s.CELERY_BROKER_URL,
    "hosts": s.ALLOWED_HOSTS,
    "media": str(s.MEDIA_ROOT),
    "tz": s.TIME_ZONE,
    "email": s.EMAIL_BACKEND,
    "language": s.LANGUAGE_CODE,
}))
"""
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7Qp2vLr9sT4wZ8bN1mK6cF3hJ5gD0aYeU-RiOoPlMnBvCxZqWsEdRfTgYhUjIk",
    "ALLOWED_HOSTS": "burgerkracht.example.org",
    "DATABASE_URL": "postgres://bk:secret@db:5432/burgerkracht",
    "CELERY_BROKER_URL": "redis://redis:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:pw@smtp.example.org:587",
    "MEDIA_ROOT": "/srv/media",
    # config/checks.py: the addresses a production must make its own
    "SITE_URL": "https://burgerkracht.gemeente-voorbeeld.nl",
    "SECURITY_CONTACT": "mailto:security@gemeente-voorbeeld.nl",
    "ACCESSIBILITY_CONTACT_EMAIL": "toegankelijkheid@gemeente-voorbeeld.nl",
    "DEFAULT_FROM_EMAIL": "Burgerkracht <noreply@gemeente-voorbeeld.nl>",
    "OPEN_DATA_360GIVING_PREFIX": "360G-gemeentevoorbeeld-",
    "OPEN_DATA_OCID_PREFIX": "ocds-a1b2c3-",
    # where residents get help in person (W007)
    "COMMUNITY_HOME_NAME": "Huis van de Wijk Centrum",
    "COMMUNITY_HOME_ADDRESS": "Stationsplein 1, 1234 AB Voorbeeld",
}


def run(code: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    base = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "IGNORE_DOTENV": "1",
    }
    return subprocess.run(
        [sys.executable, *(["-c", code] if code else []), *args],
        env={**base, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def probe(env: dict[str, str]) -> dict:
    result = run(PROBE, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_embedded_defaults_are_sqlite_and_eager_celery():
    values = probe({"DEBUG": "1"})
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(ROOT / "db.sqlite3")
    assert values["eager"] is True
    assert values["tz"] == "Europe/Amsterdam"
    assert values["language"] == "nl"
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"


def test_production_values_come_from_the_environment():
    values = probe(PRODUCTION)
    assert values["debug"] is False
    assert values["engine"] == "common.postgresql"  # Django's, with a cheaper health check
    assert (values["name"], values["host"]) == ("burgerkracht", "db")
    assert values["eager"] is False
    assert values["broker"] == "redis://redis:6379/0"
    assert values["hosts"] == ["burgerkracht.example.org"]
    assert values["media"] == "/srv/media"
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"


def test_secret_key_is_required_when_debug_is_off():
    result = run(PROBE, {"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_makemigrations_check_runs_without_a_key_but_serving_commands_refuse(tmp_path):
    env = {"DEBUG": "0", "DATABASE_URL": f"sqlite:///{tmp_path}/keyless.sqlite3"}
    check = run("", env, "manage.py", "makemigrations", "--check", "--dry-run")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No changes detected" in check.stdout
    for command in (["migrate"], ["check", "--deploy"], ["seed_demo"]):
        result = run("", env, "manage.py", *command)
        assert result.returncode != 0
        assert "SECRET_KEY must be set" in result.stderr


def test_debug_defaults_to_off():
    result = run(PROBE, {"SECRET_KEY": PRODUCTION["SECRET_KEY"]})
    assert json.loads(result.stdout)["debug"] is False


@pytest.mark.parametrize("tz", ["Europe/Amsterdam", "UTC"])
def test_time_zone_is_configurable(tz):
    assert probe({"DEBUG": "1", "TIME_ZONE": tz})["tz"] == tz


def test_check_deploy_is_clean_with_production_values(tmp_path):
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path}/deploy-check.sqlite3"}
    result = run("", env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_names_every_placeholder_default_when_debug_is_off(tmp_path):
    # given: DEBUG off and a key, nothing else (the reviewer's production of 2026-12-06)
    env = {
        "DEBUG": "0",
        "SECRET_KEY": PRODUCTION["SECRET_KEY"],
        "ALLOWED_HOSTS": "burgerkracht.gemeente-voorbeeld.nl",
        "DATABASE_URL": f"sqlite:///{tmp_path}/defaults.sqlite3",
    }
    result = run("", env, "manage.py", "check", "--deploy")
    assert result.returncode != 0
    for check_id in ("E001", "W001", "W002", "W003", "W004", "W005", "W006"):
        assert f"(burgerkracht.{check_id})" in result.stderr, check_id
    assert "SITE_URL is 'http://127.0.0.1:8000'" in result.stderr


def test_migrate_refuses_a_site_url_that_frozen_reports_would_print_dead(tmp_path):
    # The first step of docker compose and of the Kubernetes job: nothing starts after it.
    env = {**PRODUCTION, "SITE_URL": "http://localhost:8000"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/migrate.sqlite3"
    result = run("", env, "manage.py", "migrate", "--no-input")
    assert result.returncode != 0
    assert "(burgerkracht.E001)" in result.stderr
    assert "Applying" not in result.stdout


def test_make_run_starts_on_the_defaults_without_a_word_from_the_checks(tmp_path):
    env = {"DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path}/run.sqlite3"}
    result = run("", env, "manage.py", "check", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
