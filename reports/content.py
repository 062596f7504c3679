"""The content of an annual report, read from every app and frozen as JSON.

`annual_report_content` returns a `reports.snapshot.Content` (typed, frozen data with
classification codes rather than labels); `snapshot.dump` stores it in `AnnualReport.snapshot`,
and it is rendered later, in either language, as the HTML page and as the PDF: both come from
this one snapshot.
"""

from collections import Counter
from datetime import date

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from accounts.models import Area
from budgeting.selectors import rounds_for_report
from initiatives.classifications import Leefgebied, Phase, SocializationTargetGroup
from initiatives.models import Classification, Initiative
from initiatives.selectors import register_as_of

from . import money as money_sections
from . import snapshot
from .models import Outcome
from .money import year_bounds


def report_period(year: int) -> tuple[date, bool]:
    """The last day a report of `year` counts, and whether that is before the year has ended."""
    today = timezone.localdate()
    last = date(year, 12, 31)
    return min(last, today), today <= last


def area_ids(area: Area | None) -> list[int] | None:
    """The area and every area inside it (a stadsdeel holds wijken, a wijk buurten)."""
    if area is None:
        return None
    children: dict[int | None, list[int]] = {}
    for pk, parent in Area.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = [], [area.pk]
    while todo:
        pk = todo.pop()
        found.append(pk)
        todo.extend(children.get(pk, []))
    return sorted(found)


def initiatives_content(*, year: int, areas: list[int] | None) -> snapshot.Initiatives:
    """How many initiatives were registered, by phase and leefgebied, as on 31 December."""
    start, end = year_bounds(year)
    # The register as it stood at the end of the year, from the audit history: an initiative
    # that changed phase in February of the next year counts with its December phase.
    as_of = register_as_of(end)
    if areas is not None:
        as_of = as_of.filter(area_id__in=areas)
    rows = list(as_of.values_list("id", "phase"))
    ids = [pk for pk, _phase in rows]
    # The registration date of the initiative itself: a history row keeps the value its record
    # had then, which a back-dated registration (an import of an older register) does not change.
    new_in_year = Initiative.objects.filter(
        pk__in=ids, created_at__gte=start, created_at__lt=end
    ).count()
    by_leefgebied = Counter(
        dict(
            Classification.objects.filter(scheme="leefgebied", initiatives__in=ids)
            .values_list("code")
            .annotate(n=Count("initiatives"))
            .values_list("code", "n")
        )
    )
    by_target_group = Counter(
        dict(
            Classification.objects.filter(scheme="socialization_doelgroep", initiatives__in=ids)
            .values_list("code")
            .annotate(n=Count("initiatives"))
            .values_list("code", "n")
        )
    )
    phases = Counter(phase for _pk, phase in rows)
    return snapshot.Initiatives(
        total=len(rows),
        new_in_year=new_in_year,
        by_phase=_counts(phases, Phase.values),
        by_leefgebied=_counts(by_leefgebied, Leefgebied.values),
        by_target_group=_counts(by_target_group, SocializationTargetGroup.values),
    )


def _counts(counted: Counter, codes: list[str]) -> tuple[snapshot.Count, ...]:
    return tuple(snapshot.Count(code=code, count=counted.get(code, 0)) for code in codes)


def outcomes_content(*, year: int, areas: list[int] | None) -> list[snapshot.Outcome]:
    """Per indicator: the total of what initiatives recorded, and who recorded what."""
    outcomes = Outcome.objects.filter(year=year).select_related("initiative")
    if areas is not None:
        outcomes = outcomes.filter(initiative__area_id__in=areas)
    rows: dict[str, list[snapshot.OutcomeRow]] = {code: [] for code in Outcome.Indicator.values}
    for outcome in outcomes.order_by("initiative__name"):
        rows[outcome.indicator].append(
            snapshot.OutcomeRow(
                initiative=outcome.initiative.name,
                slug=outcome.initiative.slug,
                value=outcome.value,
                source=outcome.source,
            )
        )
    return [
        snapshot.Outcome(
            code=code,
            total=sum(row.value for row in rows[code]),
            initiatives=len(rows[code]),
            rows=tuple(rows[code]),
        )
        for code in Outcome.Indicator.values
    ]


def annual_report_content(
    *, year: int, area: Area | None = None, period: tuple[date, bool] | None = None
) -> snapshot.Content:
    """Everything the annual report of `year` says, for the whole municipality or one area.

    Made before the year has ended, it is an interim report: its figures run up to today, and it
    says so (`interim`, `as_of`). A build passes `period` (last day, interim) as it decided it
    from the closed years; a preview takes it from the clock (`report_period`).
    """
    areas = area_ids(area)
    as_of, interim = period or report_period(year)
    funds = money_sections.funds_in_scope(areas, until=as_of)
    funds_data = [money_sections.fund_content(fund, year=year, until=as_of) for fund in funds]
    return snapshot.Content(
        year=year,
        interim=interim,
        as_of=as_of,
        area=snapshot.Named(name=area.name, slug=area.slug) if area else None,
        municipality=settings.MUNICIPALITY_NAME,
        generated_at=timezone.now(),
        funds=tuple(funds_data),
        contracts=tuple(
            money_sections.contracts_content(year=year, funds=funds if area is not None else None)
        ),
        spending_by_leefgebied=tuple(
            money_sections.spending_by_classification(
                funds_data, "leefgebied", list(Leefgebied.values)
            )
        ),
        spending_by_target_group=tuple(
            money_sections.spending_by_classification(
                funds_data, "socialization_doelgroep", list(SocializationTargetGroup.values)
            )
        ),
        governance=money_sections.governance_content(year=year),
        initiatives=initiatives_content(year=year, areas=areas),
        outcomes=tuple(outcomes_content(year=year, areas=areas)),
        budget_rounds=tuple(
            snapshot.decode(snapshot.BudgetRound, row)
            for row in rounds_for_report(year, areas=areas)
        ),
    )
