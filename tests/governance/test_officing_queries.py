"""A poll's page asks the same number of queries at 1 and at 20 Community Homes (issue 12): the
officer's links are permission checks per location, answered from the offerings and the user's
shifts loaded once, not from a query per location."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance import officing
from governance.models import OfficerShift
from tests.accounts.factories import UserFactory, verified_in_person

from .factories import board, poll

pytestmark = pytest.mark.django_db


def _poll_at(locations: int, area, civil_servant):
    board(community=3, institution=0)
    proposal = poll(areas=[area])
    officer = UserFactory(username=f"tafel-{locations}")
    now = timezone.now()
    for i in range(locations):
        home = officing.create_location(
            name=f"Huis {locations}-{i:02d}", address=f"Straat {i}", actor=civil_servant
        )
        officing.offer_poll_at(proposal=proposal, location=home, actor=civil_servant)
        # the officer has a shift at every other location (check-in, then counting)
        if i % 2 == 0:
            for task, start, end in (
                (OfficerShift.Task.CHECK_IN, now - timedelta(hours=1), now + timedelta(hours=2)),
                (OfficerShift.Task.COUNTING, now + timedelta(days=20), now + timedelta(days=21)),
            ):
                officing.add_shift(
                    officer=verified_in_person(officer),
                    location=home,
                    starts_at=start,
                    ends_at=end,
                    task=task,
                    appointed_by="Besluit 1",
                    actor=civil_servant,
                )
    return proposal, officer


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("who", ["anonymous", "officer", "civil_servant"])
def test_the_poll_page_asks_as_many_queries_at_1_and_at_20_locations(
    client, area, civil_servant, community_member, who
):
    counts = []
    for locations in (1, 20):
        proposal, officer = _poll_at(locations, area, civil_servant)
        user = {"anonymous": None, "officer": officer, "civil_servant": civil_servant}[who]
        client.logout()
        if user is not None:
            client.force_login(user)
        url = proposal.get_absolute_url()
        page = client.get(url).content.decode()
        if who == "officer":
            # the officer's link to the check-in table, at their own locations only
            assert page.count("/stembureau/") == (locations + 1) // 2
        counts.append(_queries(client, url))
    assert counts[0] == counts[1], counts
