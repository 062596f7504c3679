"""Sign-up with a code (issues 17.2, 17.8, 20): code first, no user-name enumeration, rate limits,
no second account from a signed-in session, and a page that says what to do next."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User, VerificationCode

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-wachtwoord-77"


def test_step_one_asks_only_for_the_code(client):
    page = client.get(reverse("accounts:register")).content.decode()
    assert 'name="code"' in page
    assert 'name="username"' not in page and 'name="password"' not in page


def test_a_good_code_leads_to_a_suggested_name_and_the_password_rules(client, issue_code, area):
    response = client.post(reverse("accounts:register"), {"code": issue_code()})
    page = response.content.decode()
    suggestion = response.context["form"].initial["username"]
    assert suggestion.startswith("buurtbewoner")
    assert not User.objects.filter(username=suggestion).exists()
    assert f'value="{suggestion}"' in page
    assert "Bijlmer-Centrum" in page
    # One password field, its rules shown before it, and a show button that needs JavaScript.
    assert page.count('type="password"') == 1
    rules = page.index('data-testid="password-rules"')
    assert rules < page.index('type="password"')
    assert "minstens 8 tekens" in page
    assert "data-show-password" in page and "js/show-password.js" in page
    assert "<script>" not in page


def test_registration_never_reveals_a_taken_name_before_the_code_is_valid(client, resident):
    # given a user name that exists ("bewoner") and a made-up code
    response = client.post(
        reverse("accounts:register"),
        {"code": "ZZZZ-ZZZZ-ZZZZ", "username": "bewoner", "password": PASSWORD},
    )
    page = response.content.decode()
    # then only the code is wrong; nothing says the name is taken
    assert "onbekend" in page
    assert "al in gebruik" not in page
    assert 'name="username"' not in page


def test_a_taken_name_with_a_valid_code_gets_a_free_suggestion(client, resident, issue_code):
    code = issue_code()
    response = client.post(
        reverse("accounts:register"), {"code": code, "username": "bewoner", "password": PASSWORD}
    )
    errors = " ".join(response.context["form"].errors["username"])
    assert "al in gebruik" in errors
    suggestion = errors.split("U kunt ")[1].split(" ")[0]
    assert suggestion.startswith("bewoner") and suggestion != "bewoner"
    assert not User.objects.filter(username=suggestion).exists()
    assert VerificationCode.objects.get().used_at is None


def test_the_result_page_says_what_a_new_member_can_do(client, issue_code):
    response = client.post(
        reverse("accounts:register"),
        {"code": issue_code(), "username": "nieuw", "password": PASSWORD},
        follow=True,
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("accounts:welcome")
    assert "lid van de gemeenschap in Bijlmer-Centrum" in page
    assert reverse("governance:list") in page
    assert "Stemmen" in page and "Reageren" in page and "Hulp nodig?" in page
    assert User.objects.get(username="nieuw").has_role(Role.COMMUNITY_MEMBER)


@pytest.mark.parametrize("who", ["resident", "community_member", "civil_servant"])
def test_a_signed_in_post_makes_no_second_account(client, request, issue_code, who):
    code = issue_code()
    client.force_login(request.getfixturevalue(who))
    before = User.objects.count()
    response = client.post(
        reverse("accounts:register"), {"code": code, "username": "tweede", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert User.objects.count() == before
    assert VerificationCode.objects.get().used_at is None
    # still logged in as themselves
    assert client.get(reverse("accounts:profile")).context["user"].username != "tweede"


def _over_the_limit(settings, scope, post):
    from accounts.ratelimit import parse_rate

    limit, _period = parse_rate(settings.RATE_LIMITS[scope])
    statuses = [post().status_code for _ in range(limit)]
    return statuses, post()


def test_registration_is_rate_limited_per_client_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register": "3/h"}
    guesser = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.66")
    statuses, last = _over_the_limit(
        settings,
        "register",
        lambda: guesser.post(reverse("accounts:register"), {"code": "ZZZZ-ZZZZ-ZZZZ"}),
    )
    assert statuses == [200, 200, 200]
    assert last.status_code == 429
    page = last.content.decode()
    assert "Te veel pogingen" in page and 'data-testid="rate-limited"' in page
    assert "<footer" in page  # in the site's layout
    assert last["Retry-After"] == "3600"
    # Another visitor through the same proxy is not affected.
    other = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert other.post(reverse("accounts:register"), {"code": "ZZZZ"}).status_code == 200
    # Reading the page is never limited.
    assert guesser.get(reverse("accounts:register")).status_code == 200


def test_a_rate_limited_registration_writes_nothing(settings, issue_code):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register": "1/h"}
    client = Client()
    client.post(reverse("accounts:register"), {"code": "ZZZZ"})
    response = client.post(
        reverse("accounts:register"), {"code": issue_code(), "username": "n", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert not User.objects.filter(username="n").exists()
    assert VerificationCode.objects.get().used_at is None


def test_code_redemption_is_rate_limited(client, resident, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "redeem_code": "2/h"}
    client.force_login(resident)
    statuses, last = _over_the_limit(
        settings,
        "redeem_code",
        lambda: client.post(reverse("accounts:redeem"), {"code": "ZZZZ-ZZZZ-ZZZZ"}),
    )
    assert statuses == [200, 200] and last.status_code == 429


def test_password_reset_is_rate_limited(client, resident, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset": "2/h"}
    resident.email = "bewoner@example.org"
    resident.save()
    statuses, last = _over_the_limit(
        settings,
        "password_reset",
        lambda: client.post(reverse("password_reset"), {"email": "bewoner@example.org"}),
    )
    assert statuses == [302, 302] and last.status_code == 429
    assert len(mail.outbox) == 2


def test_rates_are_parsed():
    from accounts.ratelimit import parse_rate

    assert parse_rate("20/h") == (20, 3600)
    assert parse_rate("5/15m") == (5, 900)
    with pytest.raises(ValueError):
        parse_rate("veel")
