"""The register's drop-downs on PostgreSQL, where Django would read them through a
server-side cursor (`tests/initiatives/test_filter_choices.py`, collected here again)."""

import pytest

from tests.initiatives.test_filter_choices import (  # noqa: F401 - collected here on PostgreSQL
    test_the_drop_downs_offer_what_djangos_own_choice_lists_offer,
    test_the_register_reads_each_drop_down_with_one_plain_query,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
