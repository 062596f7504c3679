"""The system checks that keep a production off the embedded mode's placeholder defaults
(config/checks.py): which value is an Error, which a Warning, and that DEBUG silences them."""

from pathlib import Path

import pytest
import yaml
from django.core.checks import ERROR, WARNING, run_checks
from django.test import override_settings

from config.checks import is_placeholder_contact, is_placeholder_email, is_placeholder_host

REAL = {
    "DEBUG": False,
    "SITE_URL": "https://burgerkracht.gemeente-voorbeeld.nl",
    "SECURITY_CONTACT": "mailto:security@gemeente-voorbeeld.nl",
    "ACCESSIBILITY_CONTACT_EMAIL": "toegankelijkheid@gemeente-voorbeeld.nl",
    "DEFAULT_FROM_EMAIL": "Burgerkracht <noreply@gemeente-voorbeeld.nl>",
    "CELERY_TASK_ALWAYS_EAGER": False,
    "RUN_BEAT_IN_WEB": False,
    "OPEN_DATA_360GIVING_PREFIX": "360G-gemeentevoorbeeld-",
    "OPEN_DATA_OCID_PREFIX": "ocds-a1b2c3-",
    "COMMUNITY_HOME_NAME": "Huis van de Wijk Ganzenhoef",
    "COMMUNITY_HOME_ADDRESS": "Kraaiennest 1, 1104 CA Amsterdam",
    "MUNICIPALITY_PHONE": "14 020",
}


def issues(**changes) -> dict[str, int]:
    with override_settings(**{**REAL, **changes}):
        return {message.id: message.level for message in run_checks(tags=["configuration"])}


@pytest.mark.parametrize(
    ("host", "placeholder"),
    [
        ("127.0.0.1", True),
        ("127.8.0.1", True),
        ("[::1]", True),
        ("0.0.0.0", True),  # noqa: S104 - a value under test, nothing binds to it
        ("localhost", True),
        ("burgerkracht.localhost", True),
        ("example.org", True),
        ("burgerkracht.example.org", True),
        ("www.example.com", True),
        ("site.test", True),
        ("web", True),
        ("", True),
        (None, True),
        ("burgerkracht.amsterdam.nl", False),
        ("burgerkracht.gemeente-voorbeeld.nl", False),
        ("example.nl", False),
        ("10.1.2.3", False),
    ],
)
def test_a_placeholder_host_is_one_nobody_outside_this_machine_can_reach(host, placeholder):
    assert is_placeholder_host(host) is placeholder


def test_addresses_and_contacts_are_judged_by_their_domain():
    assert is_placeholder_email("Burgerkracht <noreply@localhost>")
    assert is_placeholder_email("toegankelijkheid@example.org")
    assert is_placeholder_email("no address at all")
    assert not is_placeholder_email("Burgerkracht <noreply@amsterdam.nl>")
    assert is_placeholder_contact("mailto:security@example.org")
    assert is_placeholder_contact("https://example.org/melden")
    assert not is_placeholder_contact("mailto:cert@amsterdam.nl")
    assert not is_placeholder_contact("https://www.amsterdam.nl/cvd")


def test_production_with_real_values_has_no_issues():
    assert issues() == {}


@pytest.mark.parametrize(
    "site_url",
    [
        "http://127.0.0.1:8000",
        "http://localhost:8000/",
        "https://burgerkracht.example.org",
        "http://web:8000",
        "burgerkracht.amsterdam.nl",  # no scheme: links in a PDF would not work
    ],
)
def test_a_site_url_nobody_can_reach_is_an_error_because_frozen_pdfs_print_it(site_url):
    assert issues(SITE_URL=site_url) == {"burgerkracht.E001": ERROR}


def test_placeholder_contact_and_sender_addresses_are_warnings():
    found = issues(
        SECURITY_CONTACT="mailto:security@example.org",
        ACCESSIBILITY_CONTACT_EMAIL="toegankelijkheid@example.org",
        DEFAULT_FROM_EMAIL="Burgerkracht <noreply@localhost>",
    )
    assert found == {
        "burgerkracht.W001": WARNING,
        "burgerkracht.W002": WARNING,
        "burgerkracht.W003": WARNING,
    }


def test_eager_tasks_without_a_beat_are_a_warning_but_not_with_the_beat_in_the_web_process():
    assert issues(CELERY_TASK_ALWAYS_EAGER=True) == {"burgerkracht.W004": WARNING}
    assert issues(CELERY_TASK_ALWAYS_EAGER=True, RUN_BEAT_IN_WEB=True) == {}


def test_placeholder_open_data_prefixes_are_warnings_and_so_are_prefixes_of_another_kind():
    placeholders = issues(
        OPEN_DATA_360GIVING_PREFIX="360G-burgerkracht-", OPEN_DATA_OCID_PREFIX="ocds-burgerkracht-"
    )
    assert placeholders == {"burgerkracht.W005": WARNING, "burgerkracht.W006": WARNING}
    for giving, ocds in (("gemeente-", "ocds-a1b2c3"), ("360G-gemeente", "OCDS-a1b2c3-")):
        found = issues(OPEN_DATA_360GIVING_PREFIX=giving, OPEN_DATA_OCID_PREFIX=ocds)
        assert found == {"burgerkracht.W005": WARNING, "burgerkracht.W006": WARNING}, (giving, ocds)


def test_a_help_block_without_a_community_home_or_its_address_is_a_warning():
    """Look review 2026-12-06, 15: with DEBUG off and nothing set, the help block only said
    "Vraag het aan Gemeente Amsterdam.", with no phone number, address or link."""
    assert issues(COMMUNITY_HOME_NAME="", MUNICIPALITY_PHONE="") == {"burgerkracht.W007": WARNING}
    assert issues(COMMUNITY_HOME_NAME="  ") == {"burgerkracht.W007": WARNING}
    assert issues(COMMUNITY_HOME_ADDRESS="") == {"burgerkracht.W007": WARNING}
    with override_settings(**{**REAL, "COMMUNITY_HOME_NAME": "", "MUNICIPALITY_PHONE": ""}):
        (warning,) = run_checks(tags=["configuration"])
    assert "no phone number, address or link" in warning.msg
    assert "MUNICIPALITY_PHONE" in warning.hint and "COMMUNITY_HOME_ADDRESS" in warning.hint
    with override_settings(**{**REAL, "COMMUNITY_HOME_NAME": ""}):
        (warning,) = run_checks(tags=["configuration"])
    assert "call Gemeente Amsterdam at 14 020" in warning.msg


def test_debug_silences_every_check_so_make_run_starts_on_the_defaults():
    defaults = {
        "SITE_URL": "http://127.0.0.1:8000",
        "SECURITY_CONTACT": "mailto:security@example.org",
        "ACCESSIBILITY_CONTACT_EMAIL": "toegankelijkheid@example.org",
        "DEFAULT_FROM_EMAIL": "Burgerkracht <noreply@localhost>",
        "CELERY_TASK_ALWAYS_EAGER": True,
        "OPEN_DATA_360GIVING_PREFIX": "360G-burgerkracht-",
        "OPEN_DATA_OCID_PREFIX": "ocds-burgerkracht-",
        "COMMUNITY_HOME_NAME": "",
    }
    assert issues(DEBUG=True, **defaults) == {}
    assert set(issues(**defaults)) == {
        f"burgerkracht.{i}"
        for i in ("E001", "W001", "W002", "W003", "W004", "W005", "W006", "W007")
    }


ROOT = Path(__file__).resolve().parent.parent
CHECKED = (
    "SITE_URL",
    "SECURITY_CONTACT",
    "ACCESSIBILITY_CONTACT_EMAIL",
    "DEFAULT_FROM_EMAIL",
    "COMMUNITY_HOME_NAME",
    "COMMUNITY_HOME_ADDRESS",
)


def _env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key] = value.strip("\"'")
    return values


def _config_map() -> dict[str, str]:
    kubernetes = ROOT / "deploy" / "kubernetes"
    config = yaml.safe_load((kubernetes / "config.yaml").read_text())["data"]
    secret = yaml.safe_load((kubernetes / "secret.example.yaml").read_text())["stringData"]
    return {**config, **secret}


@pytest.mark.parametrize("template", [_env_example, _config_map], ids=["compose", "kubernetes"])
def test_the_deployment_templates_set_every_checked_address_and_pass_once_filled_in(template):
    values = template()
    assert set(CHECKED) <= set(values)
    assert values["CELERY_BROKER_URL"].startswith("redis://")  # a worker and a beat
    as_given = {key: values[key] for key in CHECKED}
    # as shipped, the placeholder domain stops migrate: the template must be filled in
    assert "burgerkracht.E001" in issues(**as_given)
    filled_in = {
        key: value.replace("example.org", "gemeente-voorbeeld.nl")
        for key, value in as_given.items()
    }
    assert issues(**filled_in) == {}
