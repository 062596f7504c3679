"""accounts.permissions: a user's permission checks give Django's answers, from backends made
once per process."""

import pytest
import rules
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import _user_has_module_perms, _user_has_perm
from django.core.exceptions import PermissionDenied
from django.test import override_settings

import config.rules  # noqa: F401 - registers config.see_todo, as the context processor does
from accounts.oidc import DigiDOIDCBackend, StaffOIDCBackend
from governance.models import Proposal

pytestmark = pytest.mark.django_db

ROLES = ["community_member", "youth_council", "advisory_member", "civil_servant", "administrator"]
# Rules (with and without an object) and model permissions, granted and refused across the roles.
PERMISSIONS = [
    "config.see_todo",
    "accounts.list_members",
    "initiatives.manage_initiatives",
    "governance.see_proposal",
    "governance.see_drafts",
    "governance.prepare_proposal",
    "governance.vote_proposal",
    "accounts.view_area",
    "accounts.change_user",
    "sroi.view_ledgerentry",
]
APPS = ["accounts", "governance", "sroi", "initiatives", "auth", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_the_same_answers_as_django_s_check(user_for_role, role):
    user = user_for_role(role)
    draft = Proposal(title="Concept", status=Proposal.Status.CONCEPT)
    public = Proposal(title="Open", status=Proposal.Status.DISCUSSION)
    answers = []
    for perm in PERMISSIONS:
        for obj in (None, draft, public):
            expected = _user_has_perm(user, perm, obj)
            assert user.has_perm(perm, obj) is expected, (perm, obj)
            answers.append(expected)
    for app in APPS:
        assert user.has_module_perms(app) is _user_has_module_perms(user, app), app
    assert any(answers)
    assert not all(answers)


def test_a_check_makes_no_backend(user_for_role, monkeypatch):
    civil_servant = user_for_role("civil_servant")
    assert civil_servant.has_perm("config.see_todo")  # the backends are made by now

    def refuse(path):
        raise AssertionError(f"made {path} again")

    monkeypatch.setattr(auth, "load_backend", refuse)
    assert civil_servant.has_perm("config.see_todo")
    assert civil_servant.has_perm("accounts.view_area")
    assert not civil_servant.has_perm("governance.vote_proposal")
    assert civil_servant.has_module_perms("accounts")


def test_a_change_of_backends_is_followed(user_for_role):
    civil_servant = user_for_role("civil_servant")
    assert civil_servant.has_perm("config.see_todo")  # a rule (rules' backend)
    with override_settings(AUTHENTICATION_BACKENDS=["accounts.backends.ModelBackend"]):
        assert not civil_servant.has_perm("config.see_todo")
        assert civil_servant.has_perm("accounts.view_area")  # a model permission
    assert civil_servant.has_perm("config.see_todo")


class Refusing:
    """A backend that ends every check with PermissionDenied, as Django allows."""

    def has_perm(self, user_obj, perm, obj=None):
        raise PermissionDenied

    def has_module_perms(self, user_obj, app_label):
        raise PermissionDenied


@pytest.fixture
def refusing_first():
    backends = [f"{__name__}.Refusing", *settings.AUTHENTICATION_BACKENDS]
    with override_settings(AUTHENTICATION_BACKENDS=backends):
        yield


def test_permission_denied_ends_the_check_with_no(user_for_role, refusing_first):
    administrator = user_for_role("administrator")
    assert _user_has_perm(administrator, "accounts.view_area", None) is False
    assert not administrator.has_perm("accounts.view_area")
    assert not administrator.has_module_perms("accounts")


def test_an_active_superuser_has_every_permission_and_an_inactive_one_none(user_for_role):
    user = user_for_role("community_member")
    user.is_superuser = True
    assert user.has_perm("config.see_todo")
    assert user.has_module_perms("sroi")
    user.is_active = False
    assert not user.has_perm("config.see_todo")
    assert not user.has_module_perms("sroi")


@pytest.mark.parametrize("backend", [StaffOIDCBackend, DigiDOIDCBackend])
def test_the_log_in_backends_leave_permissions_to_ours(user_for_role, backend):
    civil_servant = user_for_role("civil_servant")
    assert not backend().has_perm(civil_servant, "accounts.view_area")
    assert not backend().has_module_perms(civil_servant, "accounts")
    assert civil_servant.has_perm("accounts.view_area")
    assert rules.has_perm("config.see_todo", civil_servant)
