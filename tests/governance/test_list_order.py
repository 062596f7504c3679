"""/voorstellen/ lists open votes first, then the newest first by their last step: the latest of
published, voting opened and decided. Each row shows that date; a sentence says the order."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from freezegun import freeze_time

from governance import selectors, services
from governance.models import Proposal
from governance.views.base import PAGE_SIZE

from .factories import decided, draft, in_discussion

pytestmark = pytest.mark.django_db

DAY = 24 * 60


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 12, tzinfo=UTC)


@pytest.fixture
def four():
    """A published 10 Jan; B published 1 Jan, voting opened 20 Jan, decided 1 Feb; C published
    5 Jan, voting open since 1 Mar; D published 15 Feb; E written 1 Jan, published 20 Feb."""
    with freeze_time(at(1, 10)):
        a = in_discussion(title="A")
    with freeze_time(at(1, 1)):
        b = in_discussion(title="B")
    with freeze_time(at(1, 20)):
        b = _open(b, minutes=12 * DAY)
    b = decided(b, {})
    with freeze_time(at(1, 5)):
        c = in_discussion(title="C")
    with freeze_time(at(3, 1)):
        c = _open(c, minutes=30 * DAY)
    with freeze_time(at(2, 15)):
        d = in_discussion(title="D")
    with freeze_time(at(1, 1)):
        e = draft(title="E")
    with freeze_time(at(2, 20)):
        e = services.start_discussion(proposal=e, actor=None)
    return a, b, c, d, e


def _open(proposal, *, minutes):
    """Open voting now (the frozen clock) for `minutes`."""
    return services.open_voting(
        proposal=proposal, closes_at=datetime.now(UTC) + timedelta(minutes=minutes), actor=None
    )


def _titles(html: str) -> list[str]:
    return re.findall(r'<a class="utrecht-link utrecht-link--html-a" href="/voorstellen/\d+/">'
                      r"([^<]+)</a>", html)  # fmt: skip


def test_the_selector_puts_open_votes_first_then_the_newest_last_step(four):
    rows = list(selectors.proposals_for_list())
    assert [p.title for p in rows] == ["C", "E", "D", "B", "A"]
    # B's decision is taken on a ticking clock: a moment after noon.
    last_steps = {p.title: p.last_step_at.date() for p in rows}
    assert last_steps == {
        "A": at(1, 10).date(),
        "B": at(2, 1).date(),
        "C": at(3, 1).date(),
        "D": at(2, 15).date(),
        "E": at(2, 20).date(),
    }


def test_the_page_lists_them_in_that_order_with_the_date(client, four):
    with freeze_time(at(3, 2)):
        html = client.get(reverse("governance:list")).content.decode()
    assert _titles(html) == ["C", "E", "D", "B", "A"]
    dates = re.findall(r'data-testid="last-step">([^<]+)</time>', html)
    assert dates == [
        "laatste stap 1 mrt 2026",
        "laatste stap 20 feb 2026",
        "laatste stap 15 feb 2026",
        "laatste stap 1 feb 2026",
        "laatste stap 10 jan 2026",
    ]
    assert "Open stemmingen staan bovenaan." in html


def test_the_page_says_the_order_in_english(client, four):
    client.cookies["django_language"] = "en"
    with freeze_time(at(3, 2)):
        html = client.get(reverse("governance:list")).content.decode()
    assert "Open votes come first." in html
    assert "last step 1 Feb 2026" in html


def test_a_status_filter_keeps_the_order(client, four):
    with freeze_time(at(3, 2)):
        html = client.get(
            reverse("governance:list"), {"status": Proposal.Status.DISCUSSION}
        ).content.decode()
    assert _titles(html) == ["E", "D", "A"]


def test_the_second_page_goes_on_where_the_first_stopped(client):
    # Written in one order, published in the other: the page follows publishing.
    count = PAGE_SIZE + 3
    drafts = []
    for i in range(count):
        with freeze_time(at(1, 1) + timedelta(hours=i)):
            drafts.append(draft(title=f"Voorstel {i:02}"))
    for i, proposal in enumerate(drafts):
        with freeze_time(at(2, 1) - timedelta(hours=i)):
            services.start_discussion(proposal=proposal, actor=None)
    with freeze_time(at(3, 1)):
        first = _titles(client.get(reverse("governance:list")).content.decode())
        second = _titles(client.get(reverse("governance:list"), {"page": 2}).content.decode())
    assert len(first) == PAGE_SIZE
    assert first + second == [f"Voorstel {i:02}" for i in range(count)]
