from django.db import migrations

# Entries, not only transactions, go into open years only: the year check ran when a
# transaction was written, so a pair of entries of +x and -x on one account could still be
# added to a reversal dated in a closed year (an insider review, 2026-12-05). And a reversal has
# as many entries as the booking it undoes: the per-account mirror check let such a pair pad it.
ENTRY_OPEN_YEAR = """
CREATE OR REPLACE FUNCTION sroi_entry_open_year() RETURNS trigger AS $$
DECLARE
    booked date;
BEGIN
    SELECT t.date INTO booked FROM sroi_transaction t WHERE t.id = NEW.transaction_id;
    IF EXISTS (SELECT 1 FROM sroi_closedyear WHERE year >= extract(year FROM booked)) THEN
        RAISE EXCEPTION 'sroi: % is a closed year; book a correction in an open year',
            extract(year FROM booked);
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER sroi_entry_open_year BEFORE INSERT ON sroi_entry
    FOR EACH ROW EXECUTE FUNCTION sroi_entry_open_year();
"""

ENTRY_OPEN_YEAR_GONE = """
DROP TRIGGER IF EXISTS sroi_entry_open_year ON sroi_entry;
DROP FUNCTION IF EXISTS sroi_entry_open_year();
"""

MIRROR = "    IF t.kind = 'reversal' THEN\n"
MIRROR_COUNTED = (
    "    IF t.kind = 'reversal' THEN\n"
    "        IF entries <> (SELECT count(*) FROM sroi_entry WHERE transaction_id = t.reversal_of_id) THEN\n"
    "            RAISE EXCEPTION 'sroi: reversal % has other entries than transaction %',\n"
    "                tid, t.reversal_of_id;\n"
    "        END IF;\n"
)


def _check_function(schema_editor) -> str:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_functiondef('sroi_transaction_check(bigint)'::regprocedure)")
        return cursor.fetchone()[0]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(ENTRY_OPEN_YEAR, params=None)
    function = _check_function(schema_editor)
    if function.count(MIRROR) != 1:
        raise RuntimeError("sroi_transaction_check is not the one of migration 0009")
    schema_editor.execute(function.replace(MIRROR, MIRROR_COUNTED), params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(ENTRY_OPEN_YEAR_GONE, params=None)
    function = _check_function(schema_editor)
    schema_editor.execute(function.replace(MIRROR_COUNTED, MIRROR), params=None)


class Migration(migrations.Migration):
    dependencies = [("sroi", "0010_no_index_a_constraint_gives")]

    operations = [migrations.RunPython(forwards, backwards)]
