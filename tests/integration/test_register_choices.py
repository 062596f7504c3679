"""The register's drop-downs on PostgreSQL, where Django would read them through a
server-side cursor (`tests/initiatives/test_filter_choices.py`, collected here again)."""

import pytest

from tests.initiatives.test_filter_choices import (  # noqa: F401 - collected here on PostgreSQL
    test_a_chosen_classification_is_checked_as_djangos_own_field_checks_it,
    test_a_filter_without_a_classification_reads_no_classification_list,
    test_each_initiative_in_the_register_shows_its_areas_of_life_in_their_order,
    test_the_drop_downs_offer_what_djangos_own_choice_lists_offer,
    test_the_register_reads_its_drop_downs_with_two_plain_queries,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
