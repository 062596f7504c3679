"""Why a plan is refused, in words: the part of the rule that says no, never "get verified" to
someone who is (the review of 2026-12-06, finding 6). Page and service give the same reason."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from accounts.models import VerificationRequirement
from budgeting import services
from budgeting.models import Round
from budgeting.rules import SUBMIT_PLAN
from tests.accounts.factories import AreaFactory, UserFactory
from tests.budgeting.factories import resident_of, round_in

pytestmark = pytest.mark.django_db
S = Round.Status
NOT_VERIFIED = "Alleen geverifieerde bewoners kunnen een plan indienen"


def _refused(client, user, round) -> str:
    client.force_login(user)
    response = client.get(reverse("budgeting:submit_plan", args=[round.pk]))
    assert response.status_code == 403
    return response.content.decode()


def _service_refusal(user, round) -> str:
    with pytest.raises(ValidationError) as refused:
        services.submit_plan(
            actor=user, round=round, title="Moestuin", description="Samen tuinieren", cost=1500
        )
    return " ".join(refused.value.messages)


def test_a_verified_resident_hears_that_the_round_is_past_plans_and_when_it_took_them(
    client, area, civil_servant, community_member
):
    # given: a round that collected plans from 2 to 16 March and is voting now
    with freeze_time("2026-03-02 10:00"):
        round = round_in(S.DRAFT, area=area, civil_servant=civil_servant, author=community_member)
        Round.objects.filter(pk=round.pk).update(  # a draft: its window may still change
            voting_opens_at=datetime.datetime(2026, 3, 16, 9, tzinfo=datetime.UTC),
            voting_closes_at=datetime.datetime(2026, 3, 30, 9, tzinfo=datetime.UTC),
        )
        round = services.open_ideas(actor=civil_servant, round=round)
        for cost in (1000, 2000, 3000):
            services.submit_plan(actor=community_member, round=round, title=f"Plan {cost}",
                                 description="Een goed plan.", cost=cost)  # fmt: skip
    with freeze_time("2026-03-16 10:00"):
        round = services.start_review(actor=civil_servant, round=round)
        for plan in round.plans.all():
            services.review_plan(actor=civil_servant, plan=plan, feasible=True)
        round = services.freeze_round(actor=civil_servant, round=round)
        round = services.open_voting(actor=civil_servant, round=round)
    # when
    page = _refused(client, community_member, round)
    # then
    reason = (
        "Plannen indienen kan niet meer: deze ronde verzamelt geen plannen meer (nu: In stemming)."
    )
    assert reason in page
    assert "Plannen indienen kon van 2 maart 2026 tot 16 maart 2026." in page
    assert NOT_VERIFIED not in page and "Alleen geverifieerde bewoners van" not in page
    assert 'data-testid="open-round"' not in page  # no round takes plans now
    assert reason in _service_refusal(community_member, round)


def test_a_round_past_plans_points_to_a_round_that_takes_them_now(
    client, area, civil_servant, community_member
):
    voting = round_in(S.VOTING, area=area, civil_servant=civil_servant, author=community_member)
    other = round_in(S.IDEAS, area=area, civil_servant=civil_servant, author=community_member,
                     name="Buurtbudget 2027", costs=())  # fmt: skip
    page = _refused(client, community_member, voting)
    assert "De ronde ‘Buurtbudget 2027’ verzamelt nu plannen." in page
    assert reverse("budgeting:submit_plan", args=[other.pk]) in page


def test_a_round_that_does_not_collect_plans_yet_says_so(area, civil_servant, community_member):
    draft = round_in(S.DRAFT, area=area, civil_servant=civil_servant, author=community_member)
    assert _service_refusal(community_member, draft) == (
        "Plannen indienen kan nog niet: deze ronde verzamelt nog geen plannen."
    )


def test_someone_not_verified_hears_that_and_how_to_become_verified(
    client, area, civil_servant, community_member
):
    round = round_in(S.IDEAS, area=area, civil_servant=civil_servant, author=community_member,
                     costs=())  # fmt: skip
    stranger = UserFactory(username="nieuw")
    page = _refused(client, stranger, round)
    assert NOT_VERIFIED in page
    assert "Met een verificatiecode of in een buurthuis" in page
    assert NOT_VERIFIED in _service_refusal(stranger, round)


def test_a_resident_of_another_area_hears_whose_round_it_is_and_where_she_can_submit(
    client, area, civil_servant, community_member
):
    elsewhere = AreaFactory(name="Gaasperdam", slug="gaasperdam")
    neighbour = resident_of(elsewhere, civil_servant, "buur")
    round = round_in(S.IDEAS, area=area, civil_servant=civil_servant, author=community_member,
                     costs=())  # fmt: skip
    own = round_in(S.IDEAS, area=elsewhere, civil_servant=civil_servant, author=neighbour,
                   costs=(), name="Buurtbudget Gaasperdam")  # fmt: skip
    page = _refused(client, neighbour, round)
    assert "Deze ronde is voor de bewoners van Bijlmer-Centrum." in page
    assert "U bent geverifieerde bewoner van Gaasperdam, niet van Bijlmer-Centrum." in page
    assert NOT_VERIFIED not in page
    assert reverse("budgeting:submit_plan", args=[own.pk]) in page
    assert "Deze ronde is voor de bewoners van Bijlmer-Centrum." in _service_refusal(
        neighbour, round
    )


def test_a_staff_account_hears_that_residents_use_their_own_account(
    client, area, civil_servant, community_member
):
    round = round_in(S.IDEAS, area=area, civil_servant=civil_servant, author=community_member,
                     costs=())  # fmt: skip
    page = _refused(client, civil_servant, round)
    assert "Met een medewerkersaccount kunt u geen plan indienen." in page
    assert NOT_VERIFIED not in page


def test_a_resident_whose_verification_ran_out_hears_that_it_is_no_longer_valid(
    client, area, civil_servant, community_member
):
    # given: plans need a verification of at most 30 days; hers is 60 days old
    VerificationRequirement.objects.filter(action=SUBMIT_PLAN).update(
        account_is_enough=False, valid_days=30
    )
    with freeze_time(timezone.now() - datetime.timedelta(days=60)):
        resident = resident_of(area, civil_servant, "oud")
    round = round_in(S.IDEAS, area=area, civil_servant=civil_servant, author=community_member,
                     costs=())  # fmt: skip
    page = _refused(client, resident, round)
    assert "uw verificatie geldt niet meer" in page
    assert "Deze ronde is voor de bewoners van" not in page
