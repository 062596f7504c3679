"""Renaming stored enum values in a migration (issue 19), forwards and backwards.

Migrations import `rename_values`, so its behaviour must not change once a migration uses it.
Each field is converted with one UPDATE … CASE, so a value may become another's old value. On
PostgreSQL the table's own triggers (append-only ledger, sealed ballots, frozen rounds) are off
for that one statement: the rows keep their meaning, only the spelling of a value changes.
"""

from __future__ import annotations

from django.db import migrations


def _rename(app_label: str, changes: dict, *, backwards: bool):
    def run(apps, schema_editor) -> None:
        quote = schema_editor.quote_name
        postgres = schema_editor.connection.vendor == "postgresql"
        for (model_name, field_name), mapping in changes.items():
            pairs = {new: old for old, new in mapping.items()} if backwards else dict(mapping)
            pairs = {old: new for old, new in pairs.items() if old != new}
            if not pairs:
                continue
            # simple-history's copy of the model holds the same values.
            for name in (model_name, f"historical{model_name}"):
                try:
                    model = apps.get_model(app_label, name)
                except LookupError:
                    continue
                table = quote(model._meta.db_table)
                column = quote(model._meta.get_field(field_name).column)
                cases = " ".join(["WHEN %s THEN %s"] * len(pairs))
                marks = ", ".join(["%s"] * len(pairs))
                params = [value for pair in pairs.items() for value in pair] + list(pairs)
                if postgres:
                    schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
                schema_editor.execute(
                    f"UPDATE {table} SET {column} = CASE {column} {cases} END "  # noqa: S608
                    f"WHERE {column} IN ({marks})",
                    params,
                )
                if postgres:
                    schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")

    return run


def rename_values(app_label: str, changes: dict[tuple[str, str], dict[str, str]]):
    """A migration operation that renames stored values: `{(model, field): {old: new}}`, model
    names in lower case; the historical model of each is converted too."""
    return migrations.RunPython(
        _rename(app_label, changes, backwards=False),
        _rename(app_label, changes, backwards=True),
    )
