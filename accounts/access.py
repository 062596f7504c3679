"""A user's roles and model permissions, read in one query and kept on the user object.

Our roles (`User.roles`) are the user's groups; Django's model permissions are the user's own and
their groups'. Django reads those in three queries; every page a logged-in user sees asks both
(the menu), so one query reads the group names, the groups' permissions and the user's own
permissions together, kept for the request (`_group_names`, and Django's own `_perm_cache`, which
`accounts.backends.ModelBackend` and the OIDC backends share). A superuser has every permission
(one more query, as in Django). Its own module: `accounts.models` needs it, and Django's
`auth.backends` cannot be imported while the user model loads.
"""

import json
from functools import cache

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models import CharField, F, Value

# A user id no row has: queries compiled once per process (here and `accounts.backends`) are
# built with it, and `for_user` puts the real id in its place among the parameters.
ANY_USER = -918_273_645


def for_user(params, pk) -> list:
    """The parameters of a query compiled with `ANY_USER`, for the user with id `pk`."""
    return [pk if value == ANY_USER else value for value in params]


def load_access(user) -> None:
    """Fill `user._group_names` and `user._perm_cache` from one query (two for a superuser)."""
    sql, params = access_column(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", for_user(params, user.pk))  # noqa: S608 - our own SQL
        (rows,) = cursor.fetchone()
    keep_access(user, rows)
    if user.is_superuser:
        permissions = Permission.objects.values_list("content_type__app_label", "codename")
        user._perm_cache = {f"{app}.{code}" for app, code in permissions}


def keep_access(user, rows) -> None:
    """Keep what `access_column` read (a JSON array of [group name, app label, codename], as
    text on SQLite, parsed on PostgreSQL, NULL for nothing) on `user`. A superuser's
    permissions are all of them: Django answers those without the cache, and `load_access`
    reads them when asked for the set."""
    rows = json.loads(rows) if isinstance(rows, str) else rows or []
    user._group_names = {name for name, _app, _code in rows if name}
    if not user.is_superuser:
        user._perm_cache = {f"{app}.{code}" for _name, app, code in rows if app and code}


def access_column(vendor: str) -> tuple[str, tuple]:
    """A column expression (SQL, parameters with `ANY_USER` where the user's id goes) holding
    the user's roles and model permissions as one JSON array of [group name, app label,
    codename]: `load_access` selects it alone, `accounts.backends` with the user's own row (one
    query for both). On PostgreSQL the function `bk_user_access` (migration 0010; planned once
    per connection), elsewhere the query of `_access_sql` inline."""
    if vendor == "postgresql":
        return "bk_user_access(%s)", (ANY_USER,)
    sql, params = _access_sql(vendor)
    return (
        f"(SELECT json_group_array(json_array(a.name, a.app, a.code)) FROM ({sql}) a)",  # noqa: S608
        params,
    )


@cache
def _access_sql(vendor: str) -> tuple[str, tuple]:
    """The roles-and-permissions query that `access_column` puts inline (not on PostgreSQL,
    whose `bk_user_access` is the same query), compiled once per process (compiling the union
    cost more than running it): the SQL and its parameters, with `ANY_USER` where the user's id
    goes. Its columns are named `name`, `app`, `code` (the first part's names)."""
    via_groups = (
        Group.objects.filter(user=ANY_USER)
        .order_by()
        .annotate(app=F("permissions__content_type__app_label"), code=F("permissions__codename"))
        .values_list("name", "app", "code")
    )
    own = (
        Permission.objects.filter(user=ANY_USER)
        .order_by()
        .annotate(group_name=Value("", output_field=CharField()))
        .values_list("group_name", "content_type__app_label", "codename")
    )
    return via_groups.union(own, all=True).query.sql_with_params()


def forget_access(user) -> None:
    """After a change of the user's groups or permissions, read them again next time."""
    for name in ("_group_names", "_roles_cache", "_perm_cache"):
        user.__dict__.pop(name, None)
