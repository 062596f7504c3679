"""Issue 12's last two gaps at the check-in table: finding a resident by the printed
verification code they redeemed, and a resident verified at the table by a civil servant on
duty (the frozen roll of a running poll still decides who may vote)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import services as accounts
from accounts.models import MemberVerification, Role
from governance import officing
from governance.models import ElectorateEntry, OfficerShift
from tests.accounts.factories import UserFactory, verified_in_person
from tests.roles import ROLES as EIGHT_ROLES

from .factories import board, poll

pytestmark = pytest.mark.django_db


def _code_for(user, area, civil_servant) -> str:
    code = accounts.issue_verification_codes(area=area, count=1, actor=civil_servant)[0]
    accounts.redeem_verification_code(actor=user, code=code)
    return code


@pytest.fixture
def with_code(area, civil_servant):
    """A resident verified with a printed code before voting opened: on the roll."""
    resident = UserFactory(username="metcode", first_name="Fatima", last_name="Code")
    return resident, _code_for(resident, area, civil_servant)


@pytest.fixture
def sealed(area, community_member, youth_member, with_code):
    board(community=3, institution=0)
    return poll(areas=[area])


@pytest.fixture
def home(civil_servant, sealed):
    location = officing.create_location(
        name="Buurthuis Bijlmer", address="Bijlmerplein 1", actor=civil_servant
    )
    officing.offer_poll_at(proposal=sealed, location=location, actor=civil_servant)
    return location


def _shift(location, officer=None, *, task=OfficerShift.Task.CHECK_IN, hours=(-1, 2)):
    now = timezone.now()
    return officing.add_shift(
        officer=officer or verified_in_person(),
        location=location,
        starts_at=now + timedelta(hours=hours[0]),
        ends_at=now + timedelta(hours=hours[1]),
        task=task,
        appointed_by="Besluit 1",
        actor=None,
    ).officer


def _station(sealed, home) -> str:
    return f"/voorstellen/{sealed.pk}/stembureau/{home.slug}/"


# --- 1. Finding a resident by the verification code ----------------------------------------


def test_the_officer_finds_a_resident_by_the_code_they_redeemed(client, sealed, home, with_code):
    resident, code = with_code
    assert ElectorateEntry.objects.filter(proposal=sealed, user=resident).exists()
    client.force_login(_shift(home))
    # as printed, in lower case and without dashes: all the same code
    for typed in (code, code.lower().replace("-", " "), code.replace("-", "")):
        page = client.get(_station(sealed, home), {"q": typed}).content.decode()
        assert page.count('data-testid="match"') == 1, typed
        assert "Fatima Code" in page
        assert 'data-testid="needs-birth"' not in page
    # the search shows whether they already took part, as the other searches do
    officing.check_in(
        proposal=sealed,
        location=home,
        voter=resident,
        channel="paper",
        identity_check="id_document",
        actor=home.shifts.get().officer,
    )
    page = client.get(_station(sealed, home), {"q": code}).content.decode()
    assert "Buurthuis Bijlmer" in page and 'name="voter"' not in page


def test_an_unknown_or_unused_code_finds_nobody(client, sealed, home, area, civil_servant):
    unused = accounts.issue_verification_codes(area=area, count=1, actor=civil_servant)[0]
    client.force_login(_shift(home))
    for typed in ("ABCD-EFGH-JKMN", unused):
        response = client.get(_station(sealed, home), {"q": typed})
        page = response.content.decode()
        assert response.status_code == 200
        assert 'data-testid="match"' not in page and 'data-testid="no-code-match"' in page


def test_the_code_of_someone_not_on_the_roll_finds_nobody(
    client, sealed, home, area, civil_servant
):
    late = UserFactory(username="laat", first_name="Laat", last_name="Verificeerd")
    code = _code_for(late, area, civil_servant)  # redeemed after voting opened: not on the roll
    assert officing.find_on_roll(proposal=sealed, query=code) == []
    client.force_login(_shift(home))
    page = client.get(_station(sealed, home), {"q": code}).content.decode()
    assert 'data-testid="match"' not in page and 'data-testid="no-code-match"' in page


@pytest.mark.parametrize(
    "typed",
    ["", "x", "12-", "-" * 40, "ÄÖÜ-ÄÖÜÄ-ÖÜÄÖ", "1111-1111-1111", "%00' OR 1=1 --", "a" * 100],
)
def test_garbage_in_the_search_is_no_500(client, sealed, home, typed):
    client.force_login(_shift(home))
    response = client.get(_station(sealed, home), {"q": typed, "born": "not a date"})
    assert response.status_code in (200, 400)
    assert 'data-testid="match"' not in response.content.decode()


def test_a_name_is_not_taken_for_a_code():
    for code in ("ABCD-EFGH-JKMN", "abcd efgh jkmn", "ABCDEFGHJKMN", "2345-6789-ABCD"):
        assert officing.looks_like_verification_code(code), code
    for text in ("Peter de Graaf", "Peter de-Graaf", "ABCD-EFGH", "ABCD-EFGH-JKLM", "1234-7K2Q9A"):
        assert not officing.looks_like_verification_code(text), text


def test_a_twelve_letter_name_is_still_a_name_with_the_date_of_birth(sealed, community_member):
    """ "Vandergraaff" has the letters and length of a code: with a date of birth it is a name."""
    community_member.last_name = "Vandergraaff"
    community_member.save()
    MemberVerification.objects.filter(user=community_member).update(date_of_birth="1970-02-03")
    assert officing.looks_like_verification_code("Vandergraaff")
    found = officing.find_on_roll(
        proposal=sealed, query="Vandergraaff", date_of_birth=date(1970, 2, 3)
    )
    assert [m.user for m in found] == [community_member]


# --- 2. Verified at the table by a civil servant on duty -----------------------------------

# The eight roles of every matrix, and a civil servant on duty elsewhere, off shift and on duty.
ROLES = [
    *EIGHT_ROLES,
    "civil_servant_elsewhere",
    "civil_servant_off_shift",
    "civil_servant_on_duty",
]


@pytest.fixture
def person_for(user_for_role, home, civil_servant, sealed):
    def person(role):
        if role == "officer":
            return _shift(home)  # an officer on duty who is not a civil servant
        if role == "trustee":
            return sealed.shares.first().trustee
        if role == "civil_servant_elsewhere":
            other = officing.create_location(
                name="Buurthuis Noord", address="Noordplein 1", actor=civil_servant
            )
            return _shift(other, UserFactory(username="cs2", roles=[Role.CIVIL_SERVANT]))
        if role == "civil_servant_off_shift":
            clerk = UserFactory(username="cs3", roles=[Role.CIVIL_SERVANT])
            return _shift(home, clerk, hours=(3, 5))
        if role == "civil_servant_on_duty":
            clerk = UserFactory(username="cs4", roles=[Role.CIVIL_SERVANT])
            return _shift(home, clerk, task=OfficerShift.Task.COUNTING)
        return user_for_role(role)  # a civil servant or administrator without a shift here

    return person


def _refused(response) -> bool:
    return response.status_code == 403 or (
        response.status_code == 302 and "/accounts/" in response["Location"]
    )


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_verifying_at_the_table(client, sealed, home, area, person_for, role):
    user = person_for(role)
    if user is not None:
        client.force_login(user)
    resident = UserFactory(username="nieuw")
    url = f"{_station(sealed, home)}verifieren/"
    before = MemberVerification.objects.count()
    response = client.get(url)
    post = client.post(url, {"username": "nieuw", "area": area.pk, "date_of_birth": "1960-05-04"})
    if role == "civil_servant_on_duty":
        assert response.status_code == 200 and response["Cache-Control"] == "no-store"
        assert post.status_code == 200
        verification = MemberVerification.objects.get(user=resident, revoked_at__isnull=True)
        assert verification.verified_by == user
        assert verification.date_of_birth.isoformat() == "1960-05-04"
        assert verification.method == MemberVerification.Method.IN_PERSON
    else:
        assert _refused(response) and _refused(post), role
        assert MemberVerification.objects.count() == before
        assert not resident.has_role(Role.COMMUNITY_MEMBER)


def test_verified_at_the_table_while_voting_is_open_is_not_on_the_roll(client, sealed, home, area):
    clerk = _shift(home, UserFactory(username="cs", roles=[Role.CIVIL_SERVANT]))
    client.force_login(clerk)
    resident = UserFactory(username="nieuw", first_name="Nieuwe", last_name="Bewoner")
    station = client.get(_station(sealed, home)).content.decode()
    assert 'data-testid="verify-link"' in station
    url = f"{_station(sealed, home)}verifieren/"
    page = client.post(
        url, {"username": "NIEUW", "area": area.pk, "date_of_birth": "1960-05-04"}
    ).content.decode()
    assert 'data-testid="verified"' in page
    assert "staat niet op de kiezerslijst van deze stemming" in page
    assert MemberVerification.objects.get(user=resident).area == area
    # the frozen roll decides: not on it, so the table cannot check them in
    assert not ElectorateEntry.objects.filter(proposal=sealed, user=resident).exists()
    with pytest.raises(ValidationError):
        officing.check_in(
            proposal=sealed,
            location=home,
            voter=resident,
            channel="paper",
            identity_check="id_document",
            actor=clerk,
        )


def test_verifying_at_the_table_refuses_bad_input_and_writes_nothing(
    client, sealed, home, area, community_member, civil_servant
):
    clerk = _shift(home, UserFactory(username="cs", roles=[Role.CIVIL_SERVANT]))
    client.force_login(clerk)
    UserFactory(username="nieuw")
    url = f"{_station(sealed, home)}verifieren/"
    before = MemberVerification.objects.count()
    bad = [
        {"username": "niemand", "area": area.pk, "date_of_birth": "1960-05-04"},  # no account
        {"username": "nieuw", "area": area.pk, "date_of_birth": ""},  # no date of birth
        {"username": "nieuw", "area": area.pk, "date_of_birth": "2999-01-01"},  # future
        {"username": "nieuw", "area": "x", "date_of_birth": "1960-05-04"},  # garbage area
        {"username": "lid", "area": area.pk, "date_of_birth": "1960-05-04"},  # already verified
        {"username": "ambtenaar", "area": area.pk, "date_of_birth": "1960-05-04"},  # staff
        {"username": "cs", "area": area.pk, "date_of_birth": "1960-05-04"},  # themselves
    ]
    for data in bad:
        response = client.post(url, data)
        assert response.status_code == 400, data
    assert MemberVerification.objects.count() == before


def test_the_service_asks_the_database_for_the_shift(sealed, home, area):
    """A civil servant without a current shift here is refused by the service too."""
    clerk = UserFactory(username="cs", roles=[Role.CIVIL_SERVANT])
    resident = UserFactory(username="nieuw")
    with pytest.raises(ValidationError) as refused:
        officing.verify_at_table(
            proposal=sealed,
            location=home,
            user=resident,
            area=area,
            date_of_birth=timezone.localdate() - timedelta(days=365 * 40),
            actor=clerk,
        )
    assert refused.value.code == "forbidden"  # the page's rule: on duty here (issue 19)
    assert not MemberVerification.objects.filter(user=resident).exists()
