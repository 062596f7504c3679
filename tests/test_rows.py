"""common.rows.instances: the same model instances as Django's raw(), planned once per shape."""

from unittest import mock

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from common import rows
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def table():
    return connection.ops.quote_name(User._meta.db_table)


def test_the_same_values_as_raw_with_dates_converted_and_extra_columns_kept():
    UserFactory(username="een", last_login=timezone.now(), first_name="Eva")
    UserFactory(username="twee", is_active=False)
    sql = f"SELECT u.*, 40 + 2 AS bk_extra FROM {table()} u ORDER BY u.id"  # noqa: S608
    expected = list(User.objects.raw(sql))
    got = rows.instances(User, sql, [])
    assert [user.pk for user in got] == [user.pk for user in expected]
    for mine, django in zip(got, expected, strict=True):
        for field in User._meta.concrete_fields:
            assert getattr(mine, field.attname) == getattr(django, field.attname), field.name
        assert mine.bk_extra == 42
        assert mine._state.adding is False
        assert mine._state.db == "default"
    assert got[0].last_login.tzinfo is not None  # a datetime, not SQLite's text


def test_fields_not_selected_are_deferred_and_read_when_asked():
    user = UserFactory(username="uitgesteld", first_name="Eva")
    column = connection.ops.quote_name("username")
    sql = f"SELECT id, {column} FROM {table()} WHERE id = %s"  # noqa: S608
    (found,) = rows.instances(User, sql, [user.pk])
    assert found.username == "uitgesteld"
    assert "first_name" in found.get_deferred_fields()
    with CaptureQueriesContext(connection) as queries:
        assert found.first_name == "Eva"
    assert len(queries) == 1


def test_no_rows_is_an_empty_list_and_the_primary_key_is_required():
    sql = f"SELECT * FROM {table()} WHERE id = %s"  # noqa: S608
    assert rows.instances(User, sql, [-1]) == []
    column = connection.ops.quote_name("username")
    UserFactory(username="zonder-sleutel")
    with pytest.raises(ValueError, match="primary key"):
        rows.instances(User, f"SELECT {column} FROM {table()}", [])  # noqa: S608


def test_the_plan_is_made_once_per_connection_model_and_columns():
    first, second = UserFactory(), UserFactory()
    sql = f"SELECT * FROM {table()} WHERE id = %s"  # noqa: S608
    connections["default"].__dict__.pop("bk_row_plans", None)
    with mock.patch.object(rows, "_plan", wraps=rows._plan) as plan:
        assert [u.pk for u in rows.instances(User, sql, [first.pk])] == [first.pk]
        assert [u.pk for u in rows.instances(User, sql, [second.pk])] == [second.pk]
        assert plan.call_count == 1
        # Other columns are another shape, with a plan of its own.
        rows.instances(User, f"SELECT *, 1 AS bk_extra FROM {table()}", [])  # noqa: S608
        assert plan.call_count == 2
