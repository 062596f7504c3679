"""accounts.backends.ModelBackend: the same model permissions as Django's, in one query."""

import pytest
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import ModelBackend
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize(
    "role", ["community_member", "youth_council", "advisory_member", "civil_servant",
             "administrator"],
)  # fmt: skip
def test_the_same_permissions_as_django_s_backend_in_one_query(user_for_role, role):
    user = user_for_role(role)
    expected = DjangoModelBackend().get_all_permissions(fresh(user))
    user = fresh(user)
    with CaptureQueriesContext(connection) as queries:
        got = ModelBackend().get_all_permissions(user)
        for permission in expected:
            assert ModelBackend().has_perm(user, permission)
    assert got == expected
    assert len(queries) == 1
    if role in ("civil_servant", "administrator"):
        assert "accounts.view_area" in got


def test_own_and_group_permissions_together_and_none_when_inactive():
    user = UserFactory()
    own = Permission.objects.get(codename="view_area")
    group = Group.objects.create(name="test-groep")
    via_group = Permission.objects.get(codename="change_area")
    group.permissions.add(via_group)
    user.user_permissions.add(own)
    user.groups.add(group)
    assert ModelBackend().get_all_permissions(fresh(user)) == {
        "accounts.view_area", "accounts.change_area",
    }  # fmt: skip
    user.is_active = False
    user.save()
    assert ModelBackend().get_all_permissions(fresh(user)) == set()


def test_roles_and_permissions_of_a_request_come_from_one_query(civil_servant):
    from accounts.models import Role

    user = fresh(civil_servant)
    with CaptureQueriesContext(connection) as queries:
        assert user.has_role(Role.CIVIL_SERVANT)
        assert user.has_perm("accounts.view_area")
        assert not user.has_role(Role.ADMINISTRATOR)
    assert len(queries) == 1


def test_get_user_reads_the_same_user_as_django_in_one_compiled_query():
    user = UserFactory(first_name="Ada", email="ada@example.org")
    expected = DjangoModelBackend().get_user(user.pk)
    with CaptureQueriesContext(connection) as queries:
        got = ModelBackend().get_user(str(user.pk))  # the session keeps the id as text
    assert len(queries) == 1
    assert [getattr(got, f.attname) for f in type(user)._meta.concrete_fields] == [
        getattr(expected, f.attname) for f in type(user)._meta.concrete_fields
    ]
    assert got.pk == user.pk and not got._state.adding and got._state.db == "default"
    got.first_name = "Grace"
    got.save(update_fields=["first_name"])  # an ordinary model instance: it saves
    assert type(user).objects.get(pk=user.pk).first_name == "Grace"


def test_get_user_refuses_who_may_not_log_in_and_nonsense_ids():
    inactive = UserFactory(is_active=False)
    assert ModelBackend().get_user(inactive.pk) is None
    assert ModelBackend().get_user(10**9) is None
    assert ModelBackend().get_user("not a number") is None


def _access_in_one_query(user):
    """What Django's backend and our roles say of `user`, and what `get_user` brought in its
    one query (the queries run counted)."""
    expected_perms = DjangoModelBackend().get_all_permissions(fresh(user))
    expected_roles = fresh(user).roles
    with CaptureQueriesContext(connection) as queries:
        got = ModelBackend().get_user(user.pk)
        roles, perms = got.roles, ModelBackend().get_all_permissions(got)
        superuser_allowed = got.has_perm("accounts.delete_area")
    return (roles, perms, superuser_allowed, len(queries)), (expected_roles, expected_perms)


@pytest.mark.parametrize(
    "role", ["community_member", "youth_council", "advisory_member", "civil_servant",
             "administrator"],
)  # fmt: skip
def test_get_user_brings_the_roles_and_permissions_in_its_one_query(user_for_role, role):
    (roles, perms, _allowed, queries), (expected_roles, expected_perms) = _access_in_one_query(
        user_for_role(role)
    )
    assert queries == 1
    assert (roles, perms) == (expected_roles, expected_perms)
    assert roles  # each of these has a role


def test_get_user_of_someone_without_groups_and_of_a_superuser():
    plain = UserFactory()
    (roles, perms, allowed, queries), _expected = _access_in_one_query(plain)
    assert (roles, perms, allowed, queries) == ([], set(), False, 1)
    superuser = UserFactory(is_superuser=True)
    (roles, _perms, allowed, _queries), _expected = _access_in_one_query(superuser)
    assert roles == [] and allowed
    # the set of all permissions is read when asked for, as Django does
    assert "accounts.delete_area" in ModelBackend().get_all_permissions(
        ModelBackend().get_user(superuser.pk)
    )


def test_get_user_and_load_access_agree_on_own_and_group_permissions():
    from accounts.access import load_access

    user = UserFactory()
    group = Group.objects.create(name="test-groep")
    group.permissions.add(Permission.objects.get(codename="change_area"))
    user.groups.add(group, Group.objects.create(name="lege-groep"))
    user.user_permissions.add(Permission.objects.get(codename="view_area"))
    got = ModelBackend().get_user(user.pk)
    loaded = fresh(user)
    load_access(loaded)
    assert got._group_names == loaded._group_names == {"test-groep", "lege-groep"}
    assert got._perm_cache == loaded._perm_cache == {"accounts.view_area", "accounts.change_area"}
