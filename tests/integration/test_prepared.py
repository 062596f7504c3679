"""common.prepared on PostgreSQL: the vote's statements planned once per connection, with the
same results, visible to Django as their own text, and unharmed by a failed run or a rollback."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.utils import DataError, ProgrammingError
from django.test.utils import CaptureQueriesContext

from accounts.backends import ModelBackend, _user_sql
from common import prepared
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def prepared_here() -> dict[str, str]:
    """This connection's prepared statements: name -> the statement PostgreSQL keeps."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, statement FROM pg_prepared_statements")
        return dict(cursor.fetchall())


def run(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_the_settings_switch_it_on_for_postgresql():
    assert connection.vendor == "postgresql"
    assert connection.settings_dict["OPTIONS"]["cursor_factory"] is prepared.Cursor


def test_a_registered_statement_is_prepared_once_and_answers_as_before():
    sql = prepared.register("SELECT %s::int * 2, %s::text || '%%'")
    connection.close()  # a fresh connection
    with CaptureQueriesContext(connection) as queries:
        answers = [run(sql, [n, "x"]) for n in (1, 2, 3)]
    assert answers == [[(2, "x%")], [(4, "x%")], [(6, "x%")]]
    # Django logs the statement's own text, once per run.
    assert [q["sql"] for q in queries] == ["SELECT 1::int * 2, 'x'::text || '%'",
                                           "SELECT 2::int * 2, 'x'::text || '%'",
                                           "SELECT 3::int * 2, 'x'::text || '%'"]  # fmt: skip
    kept = [text for text in prepared_here().values() if "* 2" in text]
    # PostgreSQL keeps the statement with its placeholders, and none of the values it ran with.
    assert len(kept) == 1
    assert re.fullmatch(
        r"PREPARE bk_prepared_\d+ AS SELECT \$1::int \* 2, \$2::text \|\| '%'", kept[0]
    )
    assert "'x'" not in kept[0] and "EXECUTE" not in kept[0]
    connection.close()  # a new connection prepares it again, on its own
    assert run(sql, [5, "y"]) == [(10, "y%")]
    assert len([text for text in prepared_here().values() if "* 2" in text]) == 1


def test_an_unregistered_statement_is_not_prepared():
    connection.close()
    assert run("SELECT %s::int + 1", [1]) == [(2,)]
    assert not any("+ 1" in text for text in prepared_here().values())


def test_a_failed_run_or_a_rolled_back_transaction_does_not_break_the_next():
    sql = prepared.register("SELECT 10 / %s::int")
    connection.close()
    with pytest.raises(DataError), transaction.atomic():
        run(sql, [0])  # PREPARE and EXECUTE in one go; the EXECUTE fails
    assert run(sql, [5]) == [(2,)]
    with transaction.atomic():
        assert run(sql, [2]) == [(5,)]
        transaction.set_rollback(True)
    assert run(sql, [1]) == [(10,)]


def test_a_statement_postgresql_refuses_to_prepare_raises_and_leaves_the_rest_working():
    broken = prepared.register("SELECT no_such_column FROM accounts_user WHERE id = %s")
    with pytest.raises(ProgrammingError):
        run(broken, [1])
    with pytest.raises(ProgrammingError):  # again: a new PREPARE, not an EXECUTE of nothing
        run(broken, [1])
    assert run(prepared.register("SELECT %s::int"), [7]) == [(7,)]


def test_the_signed_in_user_s_query_is_prepared_and_brings_the_same_user():
    user = UserFactory()
    connection.close()
    for _ in range(3):
        got = ModelBackend().get_user(str(user.pk))
        assert got == user and got.username == user.username
    sql, _params = _user_sql("postgresql")
    assert prepared.is_registered(sql)
    assert sum("bk_access" in text for text in prepared_here().values()) == 1
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_named_placeholders_are_refused():
    with pytest.raises(ValueError, match="positional"):
        prepared.register("SELECT %(x)s")


def test_a_vote_s_statements_run_prepared_and_store_the_same_rows(client, area, community_member):
    """The vote's four statements (the user, the proposal, the ballot, the participation, whose
    trigger writes its notice) are prepared on the web process's connection; the rows are all there."""
    from governance.models import Participation, ParticipationNotice, SealedBallot
    from governance.tally import CHOICES
    from tests.governance.factories import poll

    proposal = poll(areas=[area])
    client.force_login(community_member)
    connection.close()
    url = f"/voorstellen/{proposal.pk}/stemmen/"
    for choice in CHOICES[:2]:  # a first vote and a changed one
        assert client.post(url, {"choice": choice}).status_code == 200
    kept = prepared_here().values()
    assert not any(str(community_member.pk) in text.split(" AS ", 1)[0] for text in kept)
    assert not any("EXECUTE" in text for text in kept)  # no values of a vote stay there
    for name in ("bk_access", '"governance_pollkey"', 'INTO "governance_sealedballot"',
                 'INTO "governance_participation"'):  # fmt: skip
        assert sum(name in text for text in kept) == 1, name
    assert SealedBallot.objects.filter(proposal=proposal).count() == 2
    assert Participation.objects.filter(proposal=proposal, user=community_member).count() == 1
    assert ParticipationNotice.objects.filter(proposal=proposal, user=community_member).count() == 1
