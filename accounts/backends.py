"""Django's ModelBackend, with the model permissions read by `accounts.access` (one query for a
user's roles and permissions together, instead of three), and the signed-in user read by a query
compiled once per process (every logged-in request reads it; building the query each time cost
more than running it). Log-in and the rest are Django's."""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.exceptions import ValidationError
from django.db import connection

from common import prepared
from common.rows import instances

from .access import ANY_USER, access_column, for_user, keep_access, load_access


class ModelBackend(DjangoModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            load_access(user_obj)
        return user_obj._perm_cache

    def get_user(self, user_id):
        """Django's `get_user` (the user if they exist and may log in, else None), with their
        roles and permissions read in the same query (`accounts.access.keep_access`)."""
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        sql, params = _user_sql(connection.vendor)
        # Our own SQL: `common.rows` turns the columns into the model's values (dates and all).
        rows = instances(model, sql, for_user(params, pk))
        user = rows[0] if rows else None
        if user is None or not self.user_can_authenticate(user):
            return None
        keep_access(user, user.__dict__.pop("bk_access"))
        return user


@cache
def _user_sql(vendor: str) -> tuple[str, tuple]:
    """The user's row by primary key with their access rows as one JSON column (`bk_access`):
    SQL and parameters (`ANY_USER` where the id goes), compiled once per process."""
    row_sql, row_params = (
        get_user_model()._default_manager.filter(pk=ANY_USER).order_by().query.sql_with_params()
    )
    access_sql, access_params = access_column(vendor)
    sql = f"SELECT u.*, {access_sql} AS bk_access FROM ({row_sql}) u"  # noqa: S608
    # Every logged-in request runs it: PostgreSQL plans it once per connection.
    return prepared.register(sql), (*access_params, *row_params)
