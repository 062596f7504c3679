"""No index that another index of the same table already gives: every row written keeps every
index up to date, so a redundant one costs each INSERT and the disk, and helps no read.

An index is redundant when it is a plain b-tree without a predicate or expressions and its
columns are the first columns of another such index on the same table (a unique one too: it
serves the same lookups). The usual case is Django's index on a foreign key where a unique
constraint begins with that column, e.g. a participation's proposal beside "one per voter"
(proposal, user); the model then says `db_index=False`.
"""

import pytest
from django.apps import apps
from django.db import connection

pytestmark = pytest.mark.django_db

# Our apps' tables (and their history tables); Django's own and the libraries' are not ours.
OUR_APPS = ("accounts", "notifications", "initiatives", "intake", "sroi", "governance",
            "budgeting", "reports", "api", "security")  # fmt: skip

REDUNDANT = """
SELECT t.relname, i.relname, o.relname
FROM pg_index a
JOIN pg_class i ON i.oid = a.indexrelid
JOIN pg_class t ON t.oid = a.indrelid
JOIN pg_index b ON b.indrelid = a.indrelid AND b.indexrelid <> a.indexrelid
JOIN pg_class o ON o.oid = b.indexrelid
JOIN pg_am am_a ON am_a.oid = i.relam
JOIN pg_am am_b ON am_b.oid = o.relam
WHERE am_a.amname = 'btree' AND am_b.amname = 'btree'
  AND a.indpred IS NULL AND b.indpred IS NULL
  AND a.indexprs IS NULL AND b.indexprs IS NULL
  AND NOT a.indisunique
  AND a.indnatts = a.indnkeyatts
  AND a.indnkeyatts <= b.indnkeyatts
  AND (b.indkey::int2[])[0:a.indnkeyatts - 1] = (a.indkey::int2[])[0:a.indnkeyatts - 1]
  AND (b.indclass::oid[])[0:a.indnkeyatts - 1] = (a.indclass::oid[])[0:a.indnkeyatts - 1]
  AND (a.indnkeyatts < b.indnkeyatts OR b.indisunique OR i.relname > o.relname)
ORDER BY 1, 2
"""


def _our_tables() -> set[str]:
    return {
        model._meta.db_table for app in OUR_APPS for model in apps.get_app_config(app).get_models()
    }


def test_no_index_repeats_the_start_of_another():
    with connection.cursor() as cursor:
        cursor.execute(REDUNDANT)
        rows = cursor.fetchall()
    ours = _our_tables()
    redundant = [f"{table}: {index} (covered by {other})" for table, index, other in rows
                 if table in ours]  # fmt: skip
    assert not redundant, "redundant indexes:\n" + "\n".join(redundant)


def test_the_check_finds_a_redundant_index():
    """The query above is no test that cannot fail: on a table of its own (temporary, made by
    the session's own role, the owner, also when the suite runs as the role that owns nothing,
    which may not make one), the index it must find is found, and the ones it must not find are
    not."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (role,) = cursor.fetchone()
        cursor.execute("RESET ROLE")
        cursor.execute("CREATE TEMPORARY TABLE bk_test_indexes (a int, b int, c int)")
        cursor.execute("CREATE UNIQUE INDEX bk_test_ab ON bk_test_indexes (a, b)")
        cursor.execute("CREATE INDEX bk_test_a ON bk_test_indexes (a)")  # begins (a, b)
        cursor.execute("CREATE INDEX bk_test_b ON bk_test_indexes (b)")  # begins nothing
        cursor.execute("CREATE INDEX bk_test_ca ON bk_test_indexes (c, a)")  # a is not first
        cursor.execute(REDUNDANT)
        rows = cursor.fetchall()
        cursor.execute("DROP TABLE bk_test_indexes")
        cursor.execute(f'SET ROLE "{role}"')
    found = {(index, other) for table, index, other in rows if table == "bk_test_indexes"}
    assert found == {("bk_test_a", "bk_test_ab")}
