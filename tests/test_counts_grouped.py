"""Counts of a thousand or more are written with the language's thousands separator: 1.200 in
Dutch, 1,200 in English. Written as 1200, the register's heading, the home page's figures and a
decision's tally read like a code or a year. The annual report's counts are tested in
tests/reports/test_summary_counts.py."""

import re
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from initiatives.models import Initiative
from tests.accounts.factories import AreaFactory

pytestmark = pytest.mark.django_db


def make_initiatives(count: int) -> None:
    area = AreaFactory(name="Wijk", slug="wijk-telling")
    Initiative.objects.bulk_create(
        Initiative(name=f"Initiatief {i:04}", slug=f"initiatief-{i}", summary="s", area=area,
                   initiator_type="bewoners", organisation_form="stichting", phase="opstart")
        for i in range(count)
    )  # fmt: skip


def _heading(html: str) -> str:
    [text] = re.findall(r'<h2 id="results-heading"[^>]*>(.*?)</h2>', html, re.DOTALL)
    return " ".join(text.split())


def _figure(html: str, name: str) -> str:
    [text] = re.findall(rf'data-testid="{name}">(.*?)</dd>', html, re.DOTALL)
    return text.strip()


@pytest.mark.parametrize(("language", "heading"), [("nl", "1.200 initiatieven"),
                                                   ("en", "1,200 initiatives")])  # fmt: skip
def test_the_register_and_the_home_page_group_thousands(client, language, heading):
    # given 1,200 initiatives in the register
    make_initiatives(1200)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    # when a visitor opens the register and the home page
    register = client.get("/initiatieven/").content.decode()
    home = client.get("/").content.decode()
    # then both write the number as the language does
    assert _heading(register) == heading
    assert _figure(home, "initiative-count") == heading.split()[0]


def test_a_count_under_a_thousand_is_written_plainly(client):
    make_initiatives(12)
    register = client.get("/initiatieven/").content.decode()
    assert _heading(register) == "12 initiatieven"


@pytest.mark.parametrize(("language", "expected"), [("nl", ["1.234", "56", "1.001"]),
                                                    ("en", ["1,234", "56", "1,001"])])  # fmt: skip
def test_a_decisions_tally_groups_thousands(language, expected):
    # given a decision of a poll with more than a thousand votes for
    decision = SimpleNamespace(
        adopted=True, explanation="", reference="BK-2026-0001", executed_at=None,
        decided_at=datetime(2026, 6, 1, 12, tzinfo=UTC),
        result={"voor": 1234, "tegen": 56, "onthouding": 1001, "community_guarantee": False},
    )  # fmt: skip
    # when the decision is shown
    with translation.override(language):
        html = render_to_string("governance/partials/decision.html", {"decision": decision})
    # then the tally reads as numbers do in that language
    [row] = re.findall(r"<tbody[^>]*>(.*?)</tbody>", html, re.DOTALL)
    assert re.findall(r'<td class="utrecht-table__cell">(.*?)</td>', row) == expected
