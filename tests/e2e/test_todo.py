"""The civil servant's to-do page in a real browser: the count in the menu, the lists, axe-core."""

from urllib.parse import urlsplit

import pytest

from config.todo import todo_for
from tests.e2e.conftest import describe_violations, login, run_axe

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_civil_servant_finds_their_tasks_from_the_menu(page, demo_data):
    from accounts.models import User

    login(page, "ambtenaar")
    expected = todo_for(User.objects.get(username="ambtenaar"))
    badge = page.get_by_test_id("todo-count")
    assert badge.inner_text().split()[0] == str(expected.total)
    with page.expect_navigation():
        page.get_by_test_id("todo-link").click()
    assert urlsplit(page.url).path == "/taken/"
    assert page.get_by_role("heading", level=1).inner_text() == "Taken"
    assert page.get_by_test_id("count-intakes").inner_text() == str(expected.counts["intakes"])
    assert page.get_by_test_id("count-contracts").inner_text() == str(expected.counts["contracts"])
    assert page.get_by_role("link", name="Taken").get_attribute("aria-current") == "page"
    violations = run_axe(page)
    assert not violations, f"axe-core on the to-do page:\n{describe_violations(violations)}"


def test_a_resident_has_no_to_do_page(page, demo_data):
    response = page.goto("/taken/")
    assert urlsplit(page.url).path == "/accounts/inloggen/"
    assert response.status == 200
    assert page.get_by_test_id("todo-link").count() == 0
