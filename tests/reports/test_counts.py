"""The report counts the register on 31 December from its history: each initiative once."""

from datetime import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

from initiatives import services as initiative_services
from initiatives.classifications import Phase
from initiatives.demo import register_last_year
from initiatives.models import Classification, Initiative
from initiatives.selectors import register_as_of
from reports.content import initiatives_content
from reports.snapshot import encode
from tests.accounts.factories import AreaFactory
from tests.initiatives.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


@freeze_time("2026-06-15 12:00")
def test_back_dated_history_rows_count_each_initiative_once(civil_servant):
    # given two initiatives, each with several history rows on the same back-dated moment
    # (written while the clock stands still on that moment: on PostgreSQL the history is
    # append-only, so its rows are dated as they are written, not moved afterwards)
    with freeze_time("2025-03-01 10:00"):
        kitchen = InitiativeFactory(phase=Phase.START_UP, classes=[("leefgebied", "werk")])
        initiative_services.update_initiative(
            initiative=kitchen, actor=civil_servant, phase=Phase.MATURING
        )
        garden = InitiativeFactory(phase=Phase.START_UP)
        initiative_services.update_initiative(
            initiative=garden, actor=civil_servant, summary="Tuin"
        )
    history = Initiative.history.filter(id=kitchen.pk)
    assert history.count() >= 2
    assert len({row.history_date for row in history}) == 1  # one moment

    # when the register of 31 December 2025 is counted
    content = encode(initiatives_content(year=2025, areas=None))

    # then each initiative counts once, with its latest phase
    assert content["total"] == 2
    assert content["new_in_year"] == 2
    phases = {row["code"]: row["count"] for row in content["by_phase"]}
    assert phases[Phase.MATURING] == 1 and phases[Phase.START_UP] == 1
    assert sum(phases.values()) == 2
    rows = register_as_of(datetime(2026, 1, 1, tzinfo=timezone.get_current_timezone()))
    assert sorted(rows.values_list("id", flat=True)) == sorted([kitchen.pk, garden.pk])


@freeze_time("2026-06-15 12:00")
def test_the_demo_registration_counts_once_on_the_report_page(client, civil_servant):
    # given initiatives registered the way the demo does it (dated last year, classifications set)
    work = Classification.objects.get(scheme="leefgebied", code="werk")
    for _ in range(3):
        register_last_year(InitiativeFactory.build(area=AreaFactory()), [work])

    # when a civil servant previews the 2025 report
    client.force_login(civil_servant)
    html = client.get("/rapporten/2025/?voorbeeld=1", HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    # then the register holds 3, not 6
    assert "Op 31 december stonden 3 initiatieven in het register" in html


@freeze_time("2026-06-15 12:00")
def test_an_initiative_changed_after_the_year_counts_with_its_december_phase(civil_servant):
    with freeze_time("2025-03-01 10:00"):  # registered in 2025
        initiative = InitiativeFactory(phase=Phase.START_UP)
    initiative_services.update_initiative(
        initiative=initiative, actor=civil_servant, phase=Phase.MATURING
    )  # in 2026

    phases = {
        row["code"]: row["count"]
        for row in encode(initiatives_content(year=2025, areas=None))["by_phase"]
    }

    assert phases[Phase.START_UP] == 1 and phases[Phase.MATURING] == 0
