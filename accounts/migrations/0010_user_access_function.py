"""PostgreSQL: `bk_user_access(user id)`, a user's roles and model permissions as one JSON array
of [group name, app label, codename], the rows of `accounts.access._access_sql`.

Every logged-in request reads them with the user (`accounts.backends`). Written inline, that
query took PostgreSQL 0.6 ms to plan and 0.1 ms to run, on every request; a PL/pgSQL function
keeps its plan for the connection, so it is planned once. SQLite keeps the inline subquery.
Tests compare both with Django's own backend (`tests/accounts/test_backends.py`, and on
PostgreSQL `tests/integration/test_access.py`).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION bk_user_access(uid bigint) RETURNS json
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (
    SELECT json_agg(json_build_array(a.name, a.app, a.code)) FROM (
      SELECT g.name, ct.app_label AS app, p.codename AS code
        FROM accounts_user_groups ug
        JOIN auth_group g ON g.id = ug.group_id
        LEFT JOIN auth_group_permissions gp ON gp.group_id = g.id
        LEFT JOIN auth_permission p ON p.id = gp.permission_id
        LEFT JOIN django_content_type ct ON ct.id = p.content_type_id
       WHERE ug.user_id = uid
      UNION ALL
      SELECT '', ct.app_label, p.codename
        FROM accounts_user_user_permissions up
        JOIN auth_permission p ON p.id = up.permission_id
        JOIN django_content_type ct ON ct.id = p.content_type_id
       WHERE up.user_id = uid
    ) a
  );
END
$$;
"""
DROP = "DROP FUNCTION IF EXISTS bk_user_access(bigint);"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_english_stored_values"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create, drop)]
