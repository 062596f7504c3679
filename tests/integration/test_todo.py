"""The menu's to-do count (one query with a count per list) on PostgreSQL equals the page."""

import pytest

from accounts.models import Role
from config.todo import count_for, todo_for
from tests.accounts.factories import AreaFactory, UserFactory
from tests.test_todo import make_work

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("rows", [0, 2])
def test_the_menu_count_equals_the_page_on_postgresql(rows):
    me = UserFactory(roles=[Role.CIVIL_SERVANT])
    colleague = UserFactory(roles=[Role.CIVIL_SERVANT])
    make_work(rows, area=AreaFactory(), colleague=colleague, me=me)
    assert count_for(me) == todo_for(me).total
