"""The composition rule under real concurrency on PostgreSQL: seat changes of one body queue
behind the body's row lock, so two changes cannot each pass the check alone."""

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Role
from governance import bodies, selectors
from governance.models import Seat, Side
from tests.accounts.factories import UserFactory
from tests.governance.factories import board

from .concurrency import run_together

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_simultaneous_institution_seats_never_outnumber_the_community(monkeypatch):
    # given: 4 community and 2 institution seats; one more institution seat fits (4 of 7),
    # a second does not (4 of 8 needs 5)
    actor = UserFactory(username="ambtenaar-zetels", roles=[Role.CIVIL_SERVANT])
    body, _voters = board(community=4, institution=2)
    newcomers = [UserFactory(username=f"wethouder{i}") for i in range(5)]
    # Every change waits, after writing its seat and before checking the composition, until all
    # five are there (or 2 seconds have passed). Without the body's row lock all five would
    # check before any commits and all would pass; with it they queue, and the wait times out.
    everyone_wrote = threading.Barrier(5)
    check = bodies._check_seats

    def slow_check(body, *, before):
        with contextlib.suppress(threading.BrokenBarrierError):
            everyone_wrote.wait(timeout=2)
        return check(body, before=before)

    monkeypatch.setattr(bodies, "_check_seats", slow_check)

    def add(i: int):
        return bodies.add_seat(
            body=body,
            user=newcomers[i],
            side=Side.INSTITUTION,
            starts_on=timezone.localdate(),
            actor=actor,
            reason="Tegelijk",
        )

    # when: five civil servants add an institution seat at the same moment
    results = run_together(5, add)
    # then: exactly one is added, the others are refused with the composition message
    added = [result for result in results if isinstance(result, Seat)]
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert len(added) == 1 and len(refused) == 4, results
    assert all(error.code == "composition" for error in refused)
    assert selectors.composition(body).ok
    assert Seat.history.filter(body_id=body.pk, history_change_reason="Tegelijk").count() == 1
