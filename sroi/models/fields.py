from decimal import Decimal

from django.db import models


class MoneyField(models.DecimalField):
    """An amount in euros: up to 14 digits, 2 decimals, always read back as whole cents.

    SQLite stores decimals as floating point, so its SUM can return 0.00999999999999091 for
    1000.01 − 1000.00. Django rounds plain columns to the field's places but not aggregates;
    this converter runs for every column and aggregate whose output field is a MoneyField
    (Sum("amount") over one), so sums are exact cents on SQLite as on PostgreSQL.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        if isinstance(value, float):  # pragma: no cover - backends give Decimal already
            value = repr(value)
        return Decimal(value).quantize(Decimal(1).scaleb(-self.decimal_places))
