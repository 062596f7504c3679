"""The fuzz suite (tests/fuzz) once more on PostgreSQL: NUL characters, long text and odd unicode
must not become a server error there either (PostgreSQL refuses NUL in text, SQLite does not)."""

from tests.fuzz.test_fuzz import test_no_submission_gives_a_server_error, world  # noqa: F401
