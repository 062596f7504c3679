"""A logged-in request's user, roles and permissions in one query, on PostgreSQL (the roles
come as one JSON column: the function `bk_user_access` there, `json_group_array` on SQLite).

The fast suite's tests (`tests/accounts/test_backends.py`), collected here again to run against
the harness's PostgreSQL.
"""

import pytest

from tests.accounts.test_backends import (  # noqa: F401 - collected here on PostgreSQL
    test_get_user_and_load_access_agree_on_own_and_group_permissions,
    test_get_user_brings_the_roles_and_permissions_in_its_one_query,
    test_get_user_of_someone_without_groups_and_of_a_superuser,
    test_get_user_reads_the_same_user_as_django_in_one_compiled_query,
    test_the_same_permissions_as_django_s_backend_in_one_query,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
