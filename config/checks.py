"""System checks for a production that would run on the embedded mode's placeholder defaults.

They speak only when DEBUG is off. They are ordinary checks, not `--deploy` ones, so `migrate`
(the first step of docker compose and the Kubernetes job) runs them too: an Error stops it before
any web process or worker starts. An Error is a value that damages something permanent: SITE_URL
is printed in annual-report PDFs, which are frozen by their SHA-256 once published, and on code
slips and vote receipts people keep. A Warning is a value that is wrong but can be put right
without a trace: a contact or sender address, the missing beat (a late task still runs once the
beat is there), or a help block that names no Community Home.
"""

import ipaddress
import sys
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register

# Names that never reach a public site: RFC 2606 and RFC 6761.
RESERVED_TOP_LEVEL = {"example", "test", "invalid", "localhost"}
EXAMPLE_DOMAINS = {"example.com", "example.net", "example.org"}


def is_placeholder_host(host: str | None) -> bool:
    """True for a host nobody outside this machine can reach: empty, loopback, 0.0.0.0, a name
    without a dot, or a name reserved for examples and tests."""
    host = (host or "").strip().strip("[]").rstrip(".").lower()
    if not host:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return address.is_loopback or address.is_unspecified
    labels = host.split(".")
    if len(labels) == 1 or labels[-1] in RESERVED_TOP_LEVEL:
        return True
    return ".".join(labels[-2:]) in EXAMPLE_DOMAINS


def is_placeholder_email(value: str) -> bool:
    """True for an address (or "Name <address>") whose domain is a placeholder."""
    address = parseaddr(value)[1]
    return "@" not in address or is_placeholder_host(address.rsplit("@", 1)[1])


def is_placeholder_contact(value: str) -> bool:
    """True for a mailto: or https: contact whose address is a placeholder."""
    if value.lower().startswith("mailto:"):
        return is_placeholder_email(value[len("mailto:") :])
    return is_placeholder_host(urlsplit(value).hostname)


def _production() -> bool:
    """DEBUG is off and the command may serve or write (makemigrations only reads the models,
    settings.KEYLESS_COMMANDS, and also runs without a key)."""
    argv = sys.argv
    models_only = (
        Path(argv[0]).name == "manage.py" and len(argv) > 1 and argv[1] in settings.KEYLESS_COMMANDS
    )
    return not settings.DEBUG and not models_only


def tasks_run_without_schedule() -> bool:
    """Tasks run eagerly in the web process and nothing runs the beat's schedule."""
    return bool(settings.CELERY_TASK_ALWAYS_EAGER and not settings.RUN_BEAT_IN_WEB)


@register("configuration")
def check_site_url(app_configs=None, **kwargs) -> list:
    """SITE_URL is printed in frozen report PDFs: a placeholder there is a dead link for good."""
    if not _production():
        return []
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme in {"http", "https"} and not is_placeholder_host(parts.hostname):
        return []
    return [
        Error(
            f"SITE_URL is {settings.SITE_URL!r}, an address nobody else can reach.",
            hint=(
                "Set SITE_URL to the site's public address as people type it "
                "(https://burgerkracht.<municipality>.nl). It is printed in the annual-report "
                "PDFs, which cannot change once published, and on code slips and vote receipts."
            ),
            id="burgerkracht.E001",
        )
    ]


@register("configuration")
def check_contact_addresses(app_configs=None, **kwargs) -> list:
    """The addresses people write to, and the sender of every e-mail, are the municipality's."""
    if not _production():
        return []
    addresses = [
        ("SECURITY_CONTACT", is_placeholder_contact, "W001",
         "the Contact: of /.well-known/security.txt, where vulnerabilities are reported"),
        ("ACCESSIBILITY_CONTACT_EMAIL", is_placeholder_email, "W002",
         "where people report an accessibility problem (/toegankelijkheid/)"),
        ("DEFAULT_FROM_EMAIL", is_placeholder_email, "W003",
         "the sender of every e-mail; mail servers refuse or bin a made-up domain"),
    ]  # fmt: skip
    return [
        Warning(
            f"{name} is {getattr(settings, name)!r}, a placeholder.",
            hint=f"Set {name} to the municipality's own address: it is {meaning}.",
            id=f"burgerkracht.{code}",
        )
        for name, placeholder, code, meaning in addresses
        if placeholder(getattr(settings, name))
    ]


@register("configuration")
def check_task_schedule(app_configs=None, **kwargs) -> list:
    """Without a broker there is no worker and no beat: the schedule never runs."""
    if not _production() or not tasks_run_without_schedule():
        return []
    return [
        Warning(
            "CELERY_BROKER_URL is not set: tasks run in the web process and no beat runs, so "
            "votes are not closed on time, and the reminders, the weekly digests and letters, the "
            "annual report of 2 January and the nightly check of the published reports never run.",
            hint=(
                "Set CELERY_BROKER_URL (redis://…) and run one worker and exactly one beat "
                "(docker-compose.yml, deploy/kubernetes)."
            ),
            id="burgerkracht.W004",
        )
    ]


@register("configuration")
def check_open_data_prefixes(app_configs=None, **kwargs) -> list:
    """The identifiers in the 360Giving and OCDS files carry a prefix the municipality
    registers; the placeholder is ours, registered nowhere, and a prefix of the wrong kind is
    not an identifier of that standard at all."""
    if not _production():
        return []
    from reports.opendata.base import (  # noqa: PLC0415 - config loads before the apps
        PLACEHOLDER_GRANT_ID_PREFIX,
        PLACEHOLDER_OCID_PREFIX,
    )

    prefixes = [
        ("OPEN_DATA_360GIVING_PREFIX", PLACEHOLDER_GRANT_ID_PREFIX, "360G-", "W005",
         "the start of every grant id in toekenningen-360giving.json; register one with "
         "360Giving (360G-<your organisation>-)"),
        ("OPEN_DATA_OCID_PREFIX", PLACEHOLDER_OCID_PREFIX, "ocds-", "W006",
         "the start of every ocid in contracten-ocds.json; the Open Contracting Partnership "
         "gives one (ocds-<six characters>-)"),
    ]  # fmt: skip
    problems = []
    for name, placeholder, start, code, meaning in prefixes:
        value = getattr(settings, name)
        if value == placeholder:
            problems.append(
                Warning(
                    f"{name} is {value!r}, a placeholder.",
                    hint=f"Set {name} to the municipality's registered prefix: it is {meaning}.",
                    id=f"burgerkracht.{code}",
                )
            )
        elif not value.startswith(start) or not value.endswith("-") or " " in value:
            problems.append(
                Warning(
                    f"{name} is {value!r}, not a prefix of that standard.",
                    hint=f"It starts with {start!r} and ends with '-': it is {meaning}.",
                    id=f"burgerkracht.{code}",
                )
            )
    return problems


@register("configuration")
def check_help_block(app_configs=None, **kwargs) -> list:
    """The home page's help block is the one place that tells a resident with few digital skills
    where to go in person; without a Community Home it only names the municipality (with its
    general phone number, MUNICIPALITY_PHONE, when that is set)."""
    if not _production():
        return []
    if settings.COMMUNITY_HOME_NAME.strip():
        if settings.COMMUNITY_HOME_ADDRESS.strip():
            return []
        message = (
            f"COMMUNITY_HOME_ADDRESS is not set: nobody can find {settings.COMMUNITY_HOME_NAME!r}."
        )
    else:
        now = (
            f"call {settings.MUNICIPALITY_NAME} at {settings.MUNICIPALITY_PHONE}"
            if settings.MUNICIPALITY_PHONE.strip()
            else f"ask {settings.MUNICIPALITY_NAME}, with no phone number, address or link"
        )
        message = (
            "COMMUNITY_HOME_NAME is not set: the help block on the home page (and the code slips "
            f"and letters) name no place where residents get help in person; they only say: {now}."
        )
    return [
        Warning(
            message,
            hint=(
                "Set COMMUNITY_HOME_NAME, COMMUNITY_HOME_ADDRESS and COMMUNITY_HOME_HOURS (and "
                "COMMUNITY_HOME_PHONE, COMMUNITY_HOME_HOURS_EN), and MUNICIPALITY_PHONE, the "
                "municipality's general number (.env.example)."
            ),
            id="burgerkracht.W007",
        )
    ]
