"""The outcome numbers of a closed year stay as its report published them, also against SQL of
the application's own role (insider review 2026-12-05, R3; reports migration 0008): before, one
UPDATE rewrote a published number, and the next version of the report published the new one
without a trace. A closed year closes the years before it; open years take numbers as before."""

import datetime

import pytest
from django.db import DatabaseError, transaction

from reports.models import Outcome
from sroi import services as sroi_services
from tests.initiatives.factories import InitiativeFactory
from tests.integration.sql import as_role, refused_as, run

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

CLOSED = 2025


INSERT = (
    "INSERT INTO reports_outcome (initiative_id, year, indicator, value, source, recorded_at) "
    "VALUES (%s, %s, 'kept_in_school', 5, 'SQL', now())"
)


def _outcome(initiative, year: int, value: int = 12) -> Outcome:
    return Outcome.objects.create(
        initiative=initiative,
        year=year,
        indicator=Outcome.Indicator.SCHOOL,
        value=value,
        source="Jaarverslag van het initiatief",
    )


def test_the_database_refuses_a_new_changed_or_removed_outcome_of_a_closed_year(app_role):
    # given numbers of 2024 and 2025, then 2025 closed (which closes 2024 as well)
    initiative = InitiativeFactory(name="Huiswerkklas Gein")
    published = _outcome(initiative, CLOSED)
    earlier = _outcome(initiative, CLOSED - 1, value=7)
    sroi_services.close_year(year=CLOSED, reason="Jaarverslag gepubliceerd", actor=None)

    # then the application's role cannot change, move, remove or add a number of a closed year
    for row in (published, earlier):
        assert "stay as published" in refused_as(
            app_role, "UPDATE reports_outcome SET value = 987654 WHERE id = %s", [row.pk]
        )
    assert "stay as published" in refused_as(
        app_role, "UPDATE reports_outcome SET year = %s WHERE id = %s", [CLOSED + 1, published.pk]
    )
    assert "stay as published" in refused_as(
        app_role, "DELETE FROM reports_outcome WHERE id = %s", [published.pk]
    )
    assert "takes no new outcome numbers" in refused_as(
        app_role, INSERT, [InitiativeFactory().pk, CLOSED]
    )
    assert "takes no new outcome numbers" in refused_as(
        app_role,
        "UPDATE reports_outcome SET year = %s WHERE id = %s",
        [CLOSED, _outcome(initiative, CLOSED + 1).pk],
    )
    # nor can the owner of the tables, by plain SQL
    with pytest.raises(DatabaseError, match="stay as published"), transaction.atomic():
        run("UPDATE reports_outcome SET value = 1 WHERE id = %s", [published.pk])
    published.refresh_from_db()
    assert (published.year, published.value) == (CLOSED, 12)
    assert Outcome.objects.filter(year__lte=CLOSED).count() == 2

    # an open year takes numbers and corrections as before
    assert as_role(app_role, INSERT, [InitiativeFactory().pk, CLOSED + 1]) == 1
    assert (
        as_role(
            app_role,
            "UPDATE reports_outcome SET value = 6 WHERE year = %s AND source = 'SQL'",
            [CLOSED + 1],
        )
        == 1
    )
    # and who recorded a closed year's number may still be forgotten (the account removed)
    assert (
        as_role(
            app_role, "UPDATE reports_outcome SET recorded_by_id = NULL WHERE id = %s", [earlier.pk]
        )
        == 1
    )
    assert datetime.date.today().year > CLOSED  # the premise: 2025 has ended
