"""Who votes in a budget round is fixed when the round is frozen (insider review 2026-12-05, F7
and F8, docs/reviews/2026-12-05-budget.md): an administrator moving an area in the admin, or a
superuser changing the verification the vote asks, changes nothing for a round that votes:
online, on paper at the check-in table, or in the list of votes. SQL: tests/integration."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Area, MemberVerification, VerificationRequirement
from budgeting import selectors, services
from budgeting.models import Ballot, Round
from governance import officing
from governance.models import CheckIn, OfficerShift
from tests.accounts.factories import AreaFactory, UserFactory, verified_in_person
from tests.budgeting.factories import resident_of, round_in

pytestmark = pytest.mark.django_db
S = Round.Status
Method = MemberVerification.Method
BUDGET_VOTE = VerificationRequirement.Action.BUDGET_VOTE
DAY = datetime.timedelta(days=1)


@pytest.fixture
def voting(area, civil_servant, community_member):
    return round_in(S.VOTING, area=area, civil_servant=civil_servant, author=community_member)


@pytest.fixture
def home(civil_servant):
    """A Community Home with an officer on a check-in shift now."""
    location = officing.create_location(
        name="Huis van de Wijk", address="Kraaiennest 1", opening_hours="di 10-16",
        actor=civil_servant,
    )  # fmt: skip
    now = timezone.now()
    officer = verified_in_person(UserFactory(username="tafelhulp"))
    officing.add_shift(
        officer=officer, location=location, task=OfficerShift.Task.CHECK_IN,
        starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=2),
        appointed_by="Besluit bestuur BK-2026-0007", actor=None,
    )  # fmt: skip
    return location, officer


def _may_vote(round, person) -> bool:
    """What every door asks, and they all agree: the rule, the ballot page, the list of votes."""
    round.refresh_from_db()
    rule = person.has_perm("budgeting.vote", round)
    listed = round in selectors.rounds_to_vote_in(person).open
    assert listed == rule
    return rule


def _ballot(round, person):
    plans = list(round.plans.filter(number__isnull=False))[: round.min_plans]
    return services.cast_ballot(actor=person, round=round, plans=plans)


def _requirement(client, superuser, **changes):
    """A superuser changes the `budget_vote` requirement in the admin."""
    row, _new = VerificationRequirement.objects.get_or_create(action=BUDGET_VOTE)
    data = {
        "action": row.action, "in_person": "on" if row.in_person else "",
        "code": "on" if row.code else "", "digid": "on" if row.digid else "",
        "account_is_enough": "on" if row.account_is_enough else "",
        "valid_days": row.valid_days or "",
    }  # fmt: skip
    data.update({k: ("on" if v is True else "" if v is False else v) for k, v in changes.items()})
    data = {k: v for k, v in data.items() if v != ""}
    client.force_login(superuser)
    url = reverse("admin:accounts_verificationrequirement_change", args=[row.pk])
    assert client.post(url, data).status_code == 302
    row.refresh_from_db()
    return row


@pytest.fixture
def superuser(db):
    return UserFactory(username="opperbeheerder", is_staff=True, is_superuser=True)


def test_an_area_moved_under_the_round_s_area_in_the_admin_mid_vote_gets_no_vote(
    client, administrator, voting, area, civil_servant, home
):
    # given a neighbour area outside the round's, with a verified resident
    outside = AreaFactory(name="Gaasperdam", slug="gaasperdam")
    neighbour = resident_of(outside, civil_servant, "buurvrouw")
    assert not _may_vote(voting, neighbour)
    # when an administrator makes it part of the round's area in the admin, mid-vote
    client.force_login(administrator)
    change = reverse("admin:accounts_area_change", args=[outside.pk])
    data = {"name": outside.name, "slug": outside.slug, "kind": outside.kind, "parent": area.pk}
    assert client.post(change, data).status_code == 302
    assert Area.objects.get(pk=outside.pk).parent == area
    # then she still does not vote in this round: not online, not on the list, not on paper
    assert not _may_vote(voting, neighbour)
    client.force_login(neighbour)
    assert client.get(reverse("budgeting:ballot", args=[voting.pk])).status_code == 403
    with pytest.raises(ValidationError):
        _ballot(voting, neighbour)
    location, officer = home
    # (found by her name; no date of birth on record, so the officer checks her papers)
    today = datetime.date.today()
    assert selectors.find_residents(voting, query="buurvrouw", date_of_birth=today) == []
    with pytest.raises(ValidationError, match="niet stemmen|cannot vote"):
        services.enter_paper_ballot(
            actor=officer, round=voting, location=location, voter=neighbour,
            plans=list(voting.plans.filter(number__isnull=False))[:3],
            identity_check=CheckIn.IdentityCheck.ID_DOCUMENT,
        )  # fmt: skip
    assert not Ballot.objects.filter(voter=neighbour).exists()
    # and a round frozen after the move counts her area as the administrator made it
    later = round_in(S.VOTING, area=area, civil_servant=civil_servant,
                     author=resident_of(area, civil_servant, "indiener-later"), name="Later")  # fmt: skip
    assert _may_vote(later, neighbour)


def test_an_area_moved_out_of_the_round_s_area_mid_vote_keeps_its_residents_voters(
    client, administrator, area, civil_servant, community_member
):
    # given a quarter inside the round's area, its resident a voter of the round
    quarter = AreaFactory(name="Kantershof", slug="kantershof", parent=area)
    resident = resident_of(quarter, civil_servant, "kantershof-bewoner")
    voting = round_in(S.VOTING, area=area, civil_servant=civil_servant, author=community_member)
    assert _may_vote(voting, resident)
    # when an administrator moves the quarter out of the round's area, mid-vote
    client.force_login(administrator)
    change = reverse("admin:accounts_area_change", args=[quarter.pk])
    data = {"name": quarter.name, "slug": quarter.slug, "kind": quarter.kind, "parent": ""}
    assert client.post(change, data).status_code == 302
    assert Area.objects.get(pk=quarter.pk).parent is None
    # then its residents keep their vote in this round
    assert _may_vote(voting, resident)
    assert _ballot(voting, resident).voter == resident


def test_a_superuser_narrowing_the_verification_mid_vote_shuts_nobody_out(
    client, superuser, voting, community_member
):
    # given a member verified in person, a voter of the round
    assert community_member.verifications.get().method == Method.IN_PERSON
    assert _may_vote(voting, community_member)
    # when a superuser no longer takes a verification in person for the vote, mid-vote
    assert not _requirement(client, superuser, in_person=False).in_person
    # then the member still votes in this round (the next round asks the new requirement)
    assert _may_vote(voting, community_member)
    assert _ballot(voting, community_member).voter == community_member


def test_a_superuser_widening_the_verification_mid_vote_lets_nobody_in(
    client, superuser, area, civil_servant, community_member
):
    # given a round frozen while the vote took no DigiD and verifications of at most 30 days
    VerificationRequirement.objects.update_or_create(
        action=BUDGET_VOTE, defaults={"digid": False, "valid_days": 30}
    )
    voting = round_in(S.VOTING, area=area, civil_servant=civil_servant, author=community_member)
    by_digid = resident_of(area, civil_servant, "met-digid")
    MemberVerification.objects.filter(user=by_digid).update(method=Method.DIGID)
    long_ago = resident_of(area, civil_servant, "lang-geleden")
    MemberVerification.objects.filter(user=long_ago).update(verified_at=timezone.now() - 60 * DAY)
    assert not _may_vote(voting, by_digid) and not _may_vote(voting, long_ago)
    # when a superuser takes DigiD and verifications of any age, mid-vote
    row = _requirement(client, superuser, digid=True, valid_days="")
    assert (row.digid, row.valid_days) == (True, None)
    # then neither votes in this round
    for person in (by_digid, long_ago):
        assert not _may_vote(voting, person)
        with pytest.raises(ValidationError):
            _ballot(voting, person)
    assert not Ballot.objects.filter(voter__in=[by_digid, long_ago]).exists()
    # the round keeps the requirement it was frozen with
    assert voting.vote_requirement == {
        "account_is_enough": False, "methods": [Method.CODE, Method.IN_PERSON], "valid_days": 30,
    }  # fmt: skip
