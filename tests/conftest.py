import freezegun
import pytest

# Imported now, not first inside a test's freeze_time: its throttles keep `time.time` as a class
# attribute, which would then stay freezegun's fake clock for the rest of the run.
import rest_framework.throttling  # noqa: F401
from django.test import Client

from accounts import services
from accounts.models import Role
from tests.accounts.factories import AreaFactory, UserFactory

# A frozen clock is the test's, not pytest's: pytest's own timings (--durations, the report's
# times) keep the real clock instead of showing decades.
freezegun.configure(extend_ignore_list=["_pytest.timing"])


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests run with DEBUG off (as production) but without collectstatic's manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A fast hasher: the suite makes many users; production keeps PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Most tests write and read in one uncommitted transaction, where the page cache cannot see
    # the write; tests/common/test_pagecache.py switches it on and commits.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    # Uploads and report PDFs made by tests never land in the project's media/.
    settings.MEDIA_ROOT = tmp_path / "media"


def _force_login_with_second_factor(original):
    """Client.force_login that, for staff, also does the second step with a real device.

    The middleware's check stays as it is: the session holds a confirmed TOTP device of this
    user, as after typing a right code. Tests of the second step itself log in through the
    log-in form, or use `client.force_login_without_second_factor`."""

    def force_login(self, user, backend=None):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts.second_factor import needs_second_factor

        original(self, user, backend)
        if needs_second_factor(user):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    return force_login


@pytest.fixture(autouse=True)
def _second_factor_for_staff_logins(monkeypatch):
    monkeypatch.setattr(
        Client, "force_login_without_second_factor", Client.force_login, raising=False
    )
    monkeypatch.setattr(Client, "force_login", _force_login_with_second_factor(Client.force_login))


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits count in the cache; each test starts with none used.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _the_default_language():
    """Each test starts in the site's default language (Dutch). A request through the test
    client leaves the language it activated (LocaleMiddleware does not switch back), so a test
    after an English request ran in English: budgeting's report test then found "Nobody chose
    this plan." where it expects the Dutch, but only when run after the reports' tests."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def area(db):
    return AreaFactory(name="Bijlmer-Centrum", slug="bijlmer-centrum")


@pytest.fixture
def civil_servant(db):
    return UserFactory(username="ambtenaar", roles=[Role.CIVIL_SERVANT])


@pytest.fixture
def administrator(db):
    return UserFactory(username="beheerder", roles=[Role.ADMINISTRATOR], is_staff=True)


@pytest.fixture
def resident(db):
    """A signed-up person who is not (yet) verified."""
    return UserFactory(username="bewoner")


@pytest.fixture
def community_member(db, area, civil_servant):
    member = UserFactory(username="lid")
    services.verify_member(user=member, area=area, actor=civil_servant)
    return member


@pytest.fixture
def youth_member(db, area, civil_servant):
    member = UserFactory(username="jongere", roles=[Role.YOUTH_COUNCIL])
    services.verify_member(user=member, area=area, actor=civil_servant)
    return member


@pytest.fixture
def advisory_member(db):
    return UserFactory(username="adviseur", roles=[Role.ADVISORY_MEMBER])


@pytest.fixture
def user_for_role(
    db, community_member, youth_member, advisory_member, civil_servant, administrator
):
    """Look up a user by role name; "anonymous" gives None. For permission matrices."""
    by_role = {
        "anonymous": None,
        "community_member": community_member,
        "youth_council": youth_member,
        "advisory_member": advisory_member,
        "civil_servant": civil_servant,
        "administrator": administrator,
    }
    return by_role.__getitem__


@pytest.fixture
def issue_code(civil_servant, area):
    def issue(**kwargs):
        kwargs.setdefault("area", area)
        kwargs.setdefault("actor", civil_servant)
        kwargs.setdefault("count", 1)
        return services.issue_verification_codes(**kwargs)[0]

    return issue
