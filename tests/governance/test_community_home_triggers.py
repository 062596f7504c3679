"""The database's guards of the Community Homes cover every table they should: the one of
officers' shifts names every kind of record a shift can hold (its behaviour on PostgreSQL:
`tests/integration/test_community_home.py::test_the_database_keeps_a_started_or_used_shift_as_it_is`),
and every table with a location refuses a closed one."""

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


def test_every_row_that_names_a_location_is_refused_at_a_closed_one():
    """Each table with a location has the database's refusal of a closed location
    (`CLOSED_LOCATION_REFUSED`; on PostgreSQL: `tests/integration/test_community_home.py::
    test_the_database_refuses_anything_new_at_a_closed_home`)."""
    from governance.models import Location
    from governance.models.officing import CLOSED_LOCATION_REFUSED

    for relation in Location._meta.related_objects:
        model = relation.related_model
        assert relation.field.column == "location_id", model
        guards = [t for t in model._meta.triggers if t.func == CLOSED_LOCATION_REFUSED]
        assert len(guards) == 1, f"{model.__name__} has no refusal of a closed location"
        assert str(guards[0].operation) == 'INSERT OR UPDATE OF "location_id"'
