"""The demo's results of initiatives and the published report of the demo year."""

from django.conf import settings
from django.utils import timezone

from initiatives.models import Initiative

from . import services
from .models import AnnualReport, Outcome

# (initiative slug, indicator, number, source) for the demo year.
DEMO_OUTCOMES = [
    ("community-home-24-7", Outcome.Indicator.ESCALATIONS, 23, "Logboek Community Home"),
    ("community-home-24-7", Outcome.Indicator.MENTAL, 61, "Vragenlijst bezoekers, december"),
    ("community-home-24-7", Outcome.Indicator.DEBT, 14, "Registratie schuldhulpmaatjes"),
    ("leer-werkplekken-ontwikkelhub", Outcome.Indicator.SCHOOL, 31, "Inschrijvingen mbo"),
    ("leer-werkplekken-ontwikkelhub", Outcome.Indicator.INCOME, 12, "Arbeidscontracten"),
    ("huishoudcoaches-bijlmer-oost", Outcome.Indicator.DEBT, 40, "Jaarverslag Huishoudcoaches"),
]


def demo_year() -> int:
    """The last complete year: its report is the one the archive shows first."""
    return timezone.localdate().year - 1


def seed(log) -> None:
    year = demo_year()
    initiatives = Initiative.objects.in_bulk(
        {slug for slug, *_rest in DEMO_OUTCOMES}, field_name="slug"
    )
    recorded = set(Outcome.objects.filter(year=year).values_list("initiative__slug", "indicator"))
    for slug, indicator, value, source in DEMO_OUTCOMES:
        # Once: the demo year is closed by its report, and then its numbers stay.
        if slug in initiatives and (slug, indicator) not in recorded:
            services.record_outcome(
                initiative=initiatives[slug],
                year=year,
                indicator=indicator,
                value=value,
                source=source,
                actor=None,
            )
    for code, _name in settings.LANGUAGES:
        if AnnualReport.objects.filter(
            year=year, language=code, area=None, is_current=True
        ).exists():
            continue
        report = services.request_report(year=year, language=code, dispatch=False, actor=None)
        services.build_report(report_id=report.pk)
        log(f"report {year} ({code}) made")
