"""Roles change in the admin only through `services.set_roles`: nobody gives themselves a role
(an administrator made themselves a civil servant and then carried out a decision, booked and
reversed money: insider review, 2026-12-05), no staff role goes on a verified member's account,
community membership comes from a verification, and only a superuser makes a superuser."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import Role, User
from governance import services as governance
from tests.accounts.factories import UserFactory
from tests.governance.factories import adopted, allocation_fields, voting

pytestmark = pytest.mark.django_db


def _change_url(user) -> str:
    return f"/beheer/accounts/user/{user.pk}/change/"


def _form_data(client, user) -> dict:
    """What the admin's change form of `user` sends unchanged."""
    page = client.get(_change_url(user))
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if name in ("groups", "user_permissions"):
            data[name] = [getattr(item, "pk", item) for item in value]
        elif isinstance(value, datetime.datetime):
            data[f"{name}_0"], data[f"{name}_1"] = f"{value:%Y-%m-%d}", f"{value:%H:%M:%S}"
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    return data


def _group(role: Role) -> int:
    return Group.objects.get(name=role.value).pk


def _names(user) -> set[str]:
    return set(User.objects.get(pk=user.pk).groups.values_list("name", flat=True))


def test_an_administrator_cannot_give_themselves_a_role_and_so_moves_no_money(
    client, administrator
):
    decision = adopted(voting(**allocation_fields("400.00"))).decision
    client.force_login(administrator)
    data = _form_data(client, administrator)
    data["groups"] = [_group(Role.ADMINISTRATOR), _group(Role.CIVIL_SERVANT)]
    data["is_superuser"] = "on"
    response = client.post(_change_url(administrator), data)
    assert response.status_code == 302  # the rest of the form is saved; roles are not in it
    assert _names(administrator) == {Role.ADMINISTRATOR.value}
    assert not User.objects.get(pk=administrator.pk).is_superuser
    with pytest.raises(ValidationError, match="eigen rollen"):
        services.set_roles(
            user=administrator,
            roles={Role.ADMINISTRATOR, Role.CIVIL_SERVANT},
            actor=administrator,
        )
    with pytest.raises(ValidationError):
        governance.execute_decision(decision=decision, actor=User.objects.get(pk=administrator.pk))


def test_an_administrator_gives_another_person_a_role_through_the_service(
    client, administrator, resident
):
    client.force_login(administrator)
    data = _form_data(client, resident)
    data["groups"] = [_group(Role.YOUTH_COUNCIL)]
    assert client.post(_change_url(resident), data).status_code == 302
    assert _names(resident) == {Role.YOUTH_COUNCIL.value}


def test_no_staff_role_on_a_verified_members_account_and_no_membership_by_hand(
    client, administrator, community_member, resident
):
    client.force_login(administrator)
    data = _form_data(client, community_member)
    data["groups"] = [*data.get("groups", []), _group(Role.CIVIL_SERVANT)]
    response = client.post(_change_url(community_member), data)
    assert response.status_code == 200
    assert "Voor een medewerkersrol is een apart account nodig." in response.content.decode()
    assert _names(community_member) == {Role.COMMUNITY_MEMBER.value}

    data = _form_data(client, resident)
    data["groups"] = [_group(Role.COMMUNITY_MEMBER)]
    response = client.post(_change_url(resident), data)
    assert response.status_code == 200
    assert "Lidmaatschap van de gemeenschap komt van een verificatie" in response.content.decode()
    assert _names(resident) == set()


def test_only_a_superuser_makes_a_superuser_or_hands_out_single_permissions(
    client, administrator, resident
):
    client.force_login(administrator)
    data = _form_data(client, resident)
    data["is_superuser"] = "on"
    assert client.post(_change_url(resident), data).status_code == 302
    assert not User.objects.get(pk=resident.pk).is_superuser

    boss = UserFactory(username="hoofdbeheer", is_staff=True, is_superuser=True)
    client.force_login(boss)
    data = _form_data(client, resident)
    data["is_superuser"] = "on"
    assert client.post(_change_url(resident), data).status_code == 302
    assert User.objects.get(pk=resident.pk).is_superuser


def test_an_administrator_sees_the_groups_but_cannot_rename_one(client, administrator):
    client.force_login(administrator)
    group = Group.objects.get(name=Role.ADMINISTRATOR.value)
    url = f"/beheer/auth/group/{group.pk}/change/"
    assert client.get(url).status_code == 200
    client.post(url, {"name": Role.CIVIL_SERVANT.value + "-x", "permissions": []})
    assert Group.objects.get(pk=group.pk).name == Role.ADMINISTRATOR.value


def test_nobody_deletes_an_account_in_the_admin(client, administrator, resident):
    """An account keeps the names in the audit trail: it is switched off, never deleted."""
    boss = UserFactory(username="hoofdbeheer-weg", is_staff=True, is_superuser=True)
    for who in (administrator, boss):
        client.force_login(who)
        url = f"/beheer/accounts/user/{resident.pk}/delete/"
        assert client.get(url).status_code == 403
        client.post(url, {"post": "yes"})
        client.post(
            "/beheer/accounts/user/",
            {"action": "delete_selected", "_selected_action": [resident.pk], "post": "yes"},
        )
    assert User.objects.filter(pk=resident.pk).exists()
