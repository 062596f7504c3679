"""The database's guard of officers' shifts names every kind of record a shift can hold; its
behaviour on PostgreSQL is `tests/integration/test_community_home.py::
test_the_database_keeps_a_started_or_used_shift_as_it_is`."""

from django.db.models import PROTECT

from governance.models import OfficerShift
from governance.models.officing import SHIFT_KEPT, SHIFT_RECORDS


def test_the_shift_trigger_looks_at_every_record_that_names_a_shift():
    protected = {
        (relation.related_model._meta.db_table, relation.field.column)
        for relation in OfficerShift._meta.related_objects
        if relation.on_delete is PROTECT
    }
    assert protected == set(SHIFT_RECORDS)
    for table, column in SHIFT_RECORDS:
        assert f"FROM {table} WHERE {column} = OLD.id" in SHIFT_KEPT
