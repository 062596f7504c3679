"""Shared parts of the open data: the period asked for, value formatting, columns and datasets."""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise

from sroi.models.fields import MoneyField

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONEY = MoneyField()

LICENSE_NAME = "CC0 1.0 Universal (Public Domain Dedication)"
LICENSE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"
ALL_YEARS = "alle"

# Identifier prefixes of the two standards. A municipality that publishes to the 360Giving
# registry or the OCDS data registry gets its own prefix there and sets it
# (OPEN_DATA_360GIVING_PREFIX, OPEN_DATA_OCID_PREFIX); until then these placeholders mark the
# identifiers as ours, unregistered.
PLACEHOLDER_GRANT_ID_PREFIX = "360G-burgerkracht-"
PLACEHOLDER_OCID_PREFIX = "ocds-burgerkracht-"
RECIPIENT_ID_PREFIX = "burgerkracht-initiatief-"
FUNDER_ID_PREFIX = "burgerkracht-fonds-"
BUYER_ID = "burgerkracht-gemeente"
LEEFGEBIED_VOCABULARY = "burgerkracht-leefgebied"


def grant_id_prefix() -> str:
    """The 360Giving prefix of the grant ids (settings.OPEN_DATA_360GIVING_PREFIX)."""
    return settings.OPEN_DATA_360GIVING_PREFIX


def ocid_prefix() -> str:
    """The OCDS prefix of the ocids (settings.OPEN_DATA_OCID_PREFIX)."""
    return settings.OPEN_DATA_OCID_PREFIX


# --- Years -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """One calendar year, or (year None) everything up to now."""

    year: int | None

    @property
    def first(self) -> date | None:
        return date(self.year, 1, 1) if self.year else None

    @property
    def last(self) -> date | None:
        return date(self.year, 12, 31) if self.year else None

    def bounds(self) -> tuple[datetime, datetime] | None:
        """The first moment of the year and of the next one, in the municipality's time zone."""
        if not self.year:
            return None
        zone = ZoneInfo(settings.TIME_ZONE)
        return (
            datetime.combine(date(self.year, 1, 1), time.min, tzinfo=zone),
            datetime.combine(date(self.year + 1, 1, 1), time.min, tzinfo=zone),
        )

    @property
    def as_of(self) -> date:
        """The day the figures are counted up to: the year's last day, or today if earlier."""
        today = timezone.localdate()
        return min(self.last, today) if self.last else today

    @property
    def label(self) -> str:
        return str(self.year) if self.year else ALL_YEARS


def parse_period(value: str | None, *, all_by_default: bool) -> Period:
    """The period asked for with `?jaar=`: a year, "alle", or the default; ValueError if neither."""
    if not value:
        return Period(None) if all_by_default else Period(timezone.localdate().year - 1)
    if value == ALL_YEARS:
        return Period(None)
    if not re.fullmatch(r"[12][0-9]{3}", value):
        raise ValueError(value)
    return Period(int(value))


def _in_year(queryset: QuerySet, period: Period, date_field: str, *, moment: bool = False):
    if not period.year:
        return queryset
    if moment:
        start, end = period.bounds()
        return queryset.filter(**{f"{date_field}__gte": start, f"{date_field}__lt": end})
    return queryset.filter(
        **{f"{date_field}__gte": period.first, f"{date_field}__lte": period.last}
    )


# --- Values ------------------------------------------------------------------------------------


def cents(amount: Decimal | None) -> Decimal:
    return (amount or ZERO).quantize(CENT)


def _money_sum(expression, **kwargs):
    return Coalesce(Sum(expression, **kwargs), Value(ZERO), output_field=MONEY)


def _local_date(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).date().isoformat() if moment else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _moment(day: date, *, end: bool = False) -> str:
    """A date as an ISO date-time in the municipality's time zone (the standards want one)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    clock = time(23, 59, 59) if end else time.min
    return datetime.combine(day, clock, tzinfo=zone).isoformat()


# --- Datasets ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    description: Promise


@dataclass(frozen=True)
class Dataset:
    name: str
    title: Promise
    description: Promise
    columns: tuple[Column, ...]
    build: Callable[[Period], Iterable[dict]]
    all_years_by_default: bool = False

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]
