"""The role log (accounts/rolelog.py): every role given or taken is on record, with who acted,
whatever the path; administrators read it in the admin and change nothing there. On PostgreSQL
the database writes it, also for SQL: tests/integration/test_app_role.py."""

import pytest
from django.contrib.auth.models import Group

from accounts import services
from accounts.models import Role, RoleChange
from tests.accounts.factories import UserFactory
from tests.accounts.test_admin_roles import _change_url, _form_data, _group
from tests.roles import ACCOUNT_ROLES, login_as

pytestmark = pytest.mark.django_db

LOG = "/beheer/accounts/rolechange/"


def _log_of(user) -> list[tuple]:
    rows = RoleChange.objects.filter(user_id=user.pk).order_by("id")
    return list(rows.values_list("role", "given", "actor_username"))


def test_a_role_given_and_taken_through_the_service_is_on_record_with_who_did_it(
    administrator, resident
):
    services.set_roles(user=resident, roles={Role.YOUTH_COUNCIL}, actor=administrator)
    services.set_roles(user=resident, roles={Role.ADVISORY_MEMBER}, actor=administrator)
    assert _log_of(resident) == [
        (Role.YOUTH_COUNCIL.value, True, administrator.username),
        (Role.YOUTH_COUNCIL.value, False, administrator.username),
        (Role.ADVISORY_MEMBER.value, True, administrator.username),
    ]


def test_a_role_given_outside_the_services_is_on_record_too(resident):
    """A command, a shell or the other side of the relation: no actor, still a record."""
    group = Group.objects.get(name=Role.CIVIL_SERVANT.value)
    group.user_set.add(resident)
    resident.groups.clear()
    assert _log_of(resident) == [
        (Role.CIVIL_SERVANT.value, True, ""),
        (Role.CIVIL_SERVANT.value, False, ""),
    ]


def test_a_role_given_in_the_admins_user_form_is_on_record_with_the_administrator(
    client, administrator, resident
):
    client.force_login(administrator)
    data = _form_data(client, resident)
    data["groups"] = [_group(Role.YOUTH_COUNCIL)]
    assert client.post(_change_url(resident), data).status_code == 302
    assert _log_of(resident) == [(Role.YOUTH_COUNCIL.value, True, administrator.username)]


def test_a_verification_puts_the_membership_on_record(civil_servant, resident, area):
    services.verify_member(user=resident, area=area, actor=civil_servant)
    assert _log_of(resident) == [(Role.COMMUNITY_MEMBER.value, True, civil_servant.username)]


def test_administrators_read_the_log_and_nobody_changes_it_in_the_admin(client, administrator):
    someone = UserFactory(roles=[Role.YOUTH_COUNCIL])
    row = RoleChange.objects.get(user_id=someone.pk)
    boss = UserFactory(username="hoofdbeheer-log", is_staff=True, is_superuser=True)
    for who in (administrator, boss):
        client.force_login(who)
        page = client.get(LOG)
        assert page.status_code == 200 and someone.username in page.content.decode()
        assert client.get(f"{LOG}{row.pk}/change/").status_code == 200  # to read
        client.post(f"{LOG}{row.pk}/change/", {"role": "x", "given": ""})
        client.post(f"{LOG}{row.pk}/delete/", {"post": "yes"})
        client.post(LOG, {"action": "delete_selected", "_selected_action": [row.pk]})
        assert client.get(f"{LOG}add/").status_code == 403
    assert RoleChange.objects.get(pk=row.pk).role == Role.YOUTH_COUNCIL.value
    assert RoleChange.objects.filter(user_id=someone.pk).count() == 1


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_permission_matrix_of_the_role_log(client, user_for_role, role):
    response = login_as(client, user_for_role(role)).get(LOG)
    if role == "administrator":
        assert response.status_code == 200
    else:  # the admin's log-in page, or refused
        assert response.status_code in (302, 403)
