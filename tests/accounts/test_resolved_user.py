"""accounts.middleware.ResolvedUserMiddleware: views get the user itself, not a lazy proxy, and
the same user with the same second-factor state as before."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from accounts.models import User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

SEEN = []


def look(request):
    SEEN.append(request.user)
    return HttpResponse("ok")


urlpatterns = [path("wie/", look)]


@pytest.fixture(autouse=True)
def _clear():
    SEEN.clear()


@override_settings(ROOT_URLCONF=__name__)
def test_a_signed_in_member_is_the_user_itself_with_the_second_factor_fields(client):
    member = UserFactory(username="lid")
    client.force_login(member)
    assert client.get("/wie/").status_code == 200
    (user,) = SEEN
    assert type(user) is User
    assert user.pk == member.pk
    assert user.otp_device is None and user.is_verified() is False  # set by django-otp


@override_settings(ROOT_URLCONF=__name__)
def test_an_anonymous_visitor_is_djangos_anonymous_user(client):
    assert client.get("/wie/").status_code == 200
    (user,) = SEEN
    assert type(user) is AnonymousUser


def test_it_runs_after_the_second_factor_is_known_and_before_it_is_checked():
    order = settings.MIDDLEWARE
    resolved = order.index("accounts.middleware.ResolvedUserMiddleware")
    assert order.index("django_otp.middleware.OTPMiddleware") < resolved
    assert resolved < order.index("accounts.middleware.SecondFactorMiddleware")
