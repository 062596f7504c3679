"""One way to ask (issue 19): every budget-round page that calls a service asks the rule that
service asks, of the same object; the service asks the page's whole rule (who and the round's
state) and still says why when only the state refuses."""

import pytest
import rules
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from freezegun import freeze_time

from budgeting import services, views
from budgeting.models import Ballot, Plan, Round
from budgeting.rules import RoundStation
from common import services as contract
from governance import officing
from governance.models import CheckIn, OfficerShift
from tests.accounts.factories import UserFactory, verified_in_person
from tests.budgeting.factories import HOUR, resident_of
from tests.clock import at_closing

pytestmark = pytest.mark.django_db
S = Round.Status
MANAGE = "budgeting.manage_round"

# The pages whose rule is a class attribute, and the service each calls.
PAGES = [
    (views.RoundFormView, services.create_round),
    (views.PlanReviewView, services.review_plan),
    (views.PaperBallotView, services.enter_paper_ballot),
]
STEP_FROM = {
    "ideeen": S.DRAFT,
    "beoordelen": S.IDEAS,
    "bevriezen": S.REVIEW,
    "stemming": S.FROZEN,
}


@pytest.mark.parametrize(("view", "service"), PAGES, ids=lambda v: getattr(v, "__name__", ""))
def test_the_page_asks_the_rule_its_service_asks(view, service):
    assert view.permission_required == service.rule


@pytest.mark.parametrize("step", sorted(views.STEPS))
def test_each_step_asks_its_own_rule_with_the_round_s_state(step):
    service = views.STEPS[step][0]
    page = views.StepView()
    page.setup(RequestFactory().post("/"), pk=1, step=step)
    assert page.get_permission_required() == (service.rule,)
    # a rule of its own (the step's state), whose "who" part is running rounds
    assert service.rule != MANAGE and service.who == MANAGE
    assert rules.perm_exists(service.rule)


def _key(obj):
    if isinstance(obj, RoundStation):
        return ("station", obj.round.pk, obj.location.pk)
    if isinstance(obj, Round):
        return ("round", obj.pk)
    return obj


@pytest.fixture
def asked(monkeypatch):
    """Every rule asked, in order, as (who asks: "page" or "service", rule, object)."""
    log, inside = [], []
    test_rule = rules.permissions.permissions.test_rule
    require = contract.require

    def spy_rule(name, *args, **kwargs):
        obj = args[1] if len(args) > 1 else None
        log.append(("service" if inside else "page", name, _key(obj)))
        return test_rule(name, *args, **kwargs)

    def spy_require(*args, **kwargs):
        inside.append(True)
        try:
            return require(*args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(rules.permissions.permissions, "test_rule", spy_rule)
    monkeypatch.setattr(contract, "require", spy_require)
    return log


def _service_asked_what_the_page_asked(log):
    by_service = [(name, key) for who, name, key in log if who == "service"]
    by_page = {(name, key) for who, name, key in log if who == "page"}
    assert len(by_service) == 1, log
    assert by_service[0] in by_page, log
    return by_service[0]


@pytest.mark.parametrize("step", sorted(STEP_FROM))
def test_a_step_and_its_service_ask_the_same_rule_of_the_same_round(
    client, make_round, civil_servant, asked, step
):
    round = make_round(STEP_FROM[step], costs=(1000, 2000, 3000))
    client.force_login(civil_servant)
    asked.clear()
    assert client.post(reverse("budgeting:step", args=[round.pk, step])).status_code == 302
    rule, key = _service_asked_what_the_page_asked(asked)
    assert rule == views.STEPS[step][0].rule and key == ("round", round.pk)
    round.refresh_from_db()
    assert round.status != STEP_FROM[step]


def test_a_review_and_its_service_ask_the_same_rule_of_the_plan_s_round(
    client, make_round, civil_servant, asked
):
    round = make_round(S.REVIEW, costs=(1000,), min_plans=1)
    plan = round.plans.get()
    client.force_login(civil_servant)
    asked.clear()
    url = reverse("budgeting:review_plan", args=[plan.pk])
    assert client.post(url, {"feasible": "0", "reason": "Mag niet."}).status_code == 302
    assert _service_asked_what_the_page_asked(asked) == (
        "budgeting.review_plan",
        ("round", round.pk),
    )


def test_a_plan_and_a_ballot_ask_the_rule_of_their_service(
    client, make_round, community_member, asked
):
    ideas = make_round(S.IDEAS, costs=())
    client.force_login(community_member)
    asked.clear()
    data = {"title": "Moestuin", "description": "Samen tuinieren", "cost": "1500"}
    assert client.post(reverse("budgeting:submit_plan", args=[ideas.pk]), data).status_code == 302
    assert _service_asked_what_the_page_asked(asked) == (
        "budgeting.submit_plan",
        ("round", ideas.pk),
    )

    voting = make_round(S.VOTING, name="Stemronde")
    ids = list(voting.plans.values_list("pk", flat=True))[:3]
    asked.clear()
    assert (
        client.post(reverse("budgeting:ballot", args=[voting.pk]), {"plans": ids}).status_code
        == 302
    )
    assert _service_asked_what_the_page_asked(asked) == ("budgeting.vote", ("round", voting.pk))


def test_a_paper_ballot_and_its_service_ask_the_same_rule_of_the_same_station(
    client, make_round, area, civil_servant, asked
):
    voting = make_round(S.VOTING)
    home = officing.create_location(name="Buurthuis", address="Plein 1", actor=civil_servant)
    officer = verified_in_person(UserFactory(username="tafelhulp"))
    officing.add_shift(
        officer=officer, location=home, task=OfficerShift.Task.CHECK_IN,
        starts_at=voting.voting_opens_at, ends_at=voting.voting_opens_at + 3 * HOUR,
        appointed_by="Besluit BK-1", actor=None,
    )  # fmt: skip
    voter = resident_of(area, civil_servant, "oma")
    client.force_login(officer)
    table = reverse("budgeting:paper_table", args=[voting.pk, home.slug])
    client.get(table, {"q": "oma", "born": "1950-01-01"})  # found at the table first (S3)
    asked.clear()
    ids = list(voting.plans.values_list("pk", flat=True))[:3]
    data = {"channel": Ballot.Channel.PAPER, "identity_check": CheckIn.IdentityCheck.ID_DOCUMENT,
            "plans": ids}  # fmt: skip
    url = reverse("budgeting:paper_ballot", args=[voting.pk, home.slug, voter.pk])
    assert client.post(url, data).status_code == 302
    assert _service_asked_what_the_page_asked(asked) == (
        "budgeting.enter_paper_ballot",
        ("station", voting.pk, home.pk),
    )


# --- The whole rule, and why it refuses ---------------------------------------------------


def test_a_step_in_the_wrong_state_is_refused_with_the_state_s_reason(
    make_round, civil_servant, community_member
):
    round = make_round(S.IDEAS, costs=())
    with pytest.raises(ValidationError) as error:
        services.open_voting(actor=civil_servant, round=round)
    assert (
        error.value.code == "status"
        and "De ronde is: plannen verzamelen" in error.value.messages[0]
    )
    with pytest.raises(ValidationError) as error:
        services.open_voting(actor=community_member, round=round)
    assert error.value.code == "forbidden"
    with pytest.raises(ValidationError) as error:
        services.open_voting(actor=None, round=round)  # the system: not for this service
    assert error.value.code == "forbidden"
    round.refresh_from_db()
    assert round.status == S.IDEAS


def test_the_outcome_waits_for_the_closing_time_to_the_second(make_round, civil_servant):
    round = make_round(S.VOTING)
    with freeze_time(round.voting_closes_at - HOUR / 3600), pytest.raises(ValidationError) as error:
        services.compute_outcome(actor=civil_servant, round=round)
    assert error.value.code == "status"
    with at_closing(round.voting_closes_at):
        assert services.compute_outcome(actor=civil_servant, round=round).status == S.COMPUTED


def test_a_step_page_in_the_wrong_state_says_why_and_others_get_403(
    client, make_round, civil_servant, community_member
):
    round = make_round(S.IDEAS, costs=())
    url = reverse("budgeting:step", args=[round.pk, "stemming"])
    client.force_login(civil_servant)
    response = client.post(url)
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("De ronde is: plannen verzamelen" in m for m in shown), shown
    client.force_login(community_member)
    assert client.post(url).status_code == 403
    round.refresh_from_db()
    assert round.status == S.IDEAS


def test_a_plan_of_a_frozen_round_is_not_reviewed_and_the_page_is_refused(
    client, make_round, civil_servant
):
    round = make_round(S.FROZEN)
    plan = round.plans.first()
    with pytest.raises(ValidationError) as error:
        services.review_plan(actor=civil_servant, plan=plan, feasible=False, reason="Toch niet")
    assert error.value.code == "frozen"
    client.force_login(civil_servant)
    assert client.get(reverse("budgeting:review_plan", args=[plan.pk])).status_code == 403
    review = reverse("budgeting:review_plan", args=[plan.pk])
    assert review not in client.get(round.get_absolute_url()).content.decode()
    open_round = make_round(S.IDEAS, costs=(1000,), name="Open")
    review = reverse("budgeting:review_plan", args=[open_round.plans.get().pk])
    assert review in client.get(open_round.get_absolute_url()).content.decode()
    plan.refresh_from_db()
    assert plan.feasibility == Plan.Feasibility.FEASIBLE
