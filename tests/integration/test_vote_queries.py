"""Casting a vote, and telling voters they took part, run a small, fixed number of queries on
PostgreSQL (issue 16).

The fast suite's tests (`tests/governance/test_vote_queries.py`), collected here again to run
against the harness's PostgreSQL: there the window is read under FOR KEY SHARE / FOR NO KEY
UPDATE and the participation and its notice are one INSERT, as in production.
"""

import pytest

from tests.governance.test_tell_participations import (  # noqa: F401 - collected here on PostgreSQL
    test_each_voter_is_told_once_per_poll_with_the_title_and_the_moment,
    test_telling_takes_the_same_queries_for_ten_voters_as_for_a_hundred,
)
from tests.governance.test_vote_queries import (  # noqa: F401 - collected here on PostgreSQL
    test_a_board_vote_runs_at_most_eight_queries,
    test_a_secret_ballot_runs_at_most_eight_queries,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
