"""Model instances from our own SQL, as `Model.objects.raw()` gives them, with the work per query
done once per statement shape.

Django's `RawQuerySet` works out for every query which column is which field: for each field
of the model it reads the cursor's column names again (`RawQuerySet.columns` is a property, not
cached), so a model of 25 fields costs some 650 name conversions before the first value. On the
two queries every vote runs (the signed-in user, the ballot's proposal) that was a tenth of the
request's Python time. `instances` keeps that plan per connection, model and column list, and
turns values into model values with Django's own converters (dates on SQLite and so on), so the
instances are the same as `raw()`'s: the fields read, the other fields deferred, extra columns as
attributes.
"""

from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.sql import Query


@dataclass(frozen=True)
class _Plan:
    names: tuple  # the model's attnames read, in field order (what `from_db` expects)
    positions: tuple  # where each of those is in the row
    extras: tuple  # (column, position) of columns that are not the model's
    converters: dict  # Django's converters by position, as the SQL compiler makes them
    compiler: object

    def rows(self, rows):
        if self.converters:
            return self.compiler.apply_converters(rows, self.converters)
        return rows


def instances(model, sql: str, params, *, using: str = DEFAULT_DB_ALIAS) -> list:
    """The instances of `model` that `sql` reads (it must select the primary key)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = tuple(column[0] for column in cursor.description)
        rows = cursor.fetchall()
    plans = connection.__dict__.setdefault("bk_row_plans", {})
    plan = plans.get((model, columns))
    if plan is None:
        plan = plans[(model, columns)] = _plan(connection, using, model, columns)
    found = []
    for values in plan.rows(rows):
        instance = model.from_db(using, plan.names, [values[i] for i in plan.positions])
        for column, position in plan.extras:
            setattr(instance, column, values[position])
        found.append(instance)
    return found


def _plan(connection, using, model, columns) -> _Plan:
    convert = connection.introspection.identifier_converter
    columns = [convert(column) for column in columns]
    by_column = {convert(field.column): field for field in model._meta.fields}
    read = [field for field in model._meta.fields if convert(field.column) in columns]
    if model._meta.pk not in read:
        raise ValueError(f"The query for {model.__name__} must select its primary key.")
    compiler = connection.ops.compiler("SQLCompiler")(Query(model), connection, using)
    fields = [by_column.get(column) for column in columns]
    converters = compiler.get_converters(
        [field.get_col(field.model._meta.db_table) if field else None for field in fields]
    )
    return _Plan(
        names=tuple(field.attname for field in read),
        positions=tuple(columns.index(convert(field.column)) for field in read),
        extras=tuple(
            (column, position) for position, column in enumerate(columns) if column not in by_column
        ),
        converters=converters,
        compiler=compiler,
    )
