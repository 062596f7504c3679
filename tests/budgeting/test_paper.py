"""Paper ballots of a budget round at a Community Home (issue 14 with issue 12): an officer in a
check-in shift there finds a verified resident of the round's area, checks them in and enters
the plans ticked on paper (or chosen on the station's screen with help). One ballot per resident
across every channel; paper ballots count in equal shares exactly like online ones."""

import datetime
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts
from budgeting import outcome, selectors, services
from budgeting.models import Ballot, BallotChoice, Round
from budgeting.outcome import compute
from governance import officing
from governance.models import CheckIn, OfficerShift
from tests.accounts.factories import AreaFactory, UserFactory, verified_in_person
from tests.budgeting.factories import HOUR, resident_of, round_in
from tests.clock import at_closing
from tests.governance.factories import board
from tests.roles import ROLES, login_as

pytestmark = pytest.mark.django_db
S = Round.Status
ID = CheckIn.IdentityCheck.ID_DOCUMENT


@pytest.fixture
def home(civil_servant):
    return officing.create_location(
        name="Huis van de Wijk", address="Kraaiennest 1", opening_hours="di 10-16",
        actor=civil_servant,
    )  # fmt: skip


def _shift(person, location, task=OfficerShift.Task.CHECK_IN, hours=(-1, 2)):
    now = timezone.now()
    return officing.add_shift(
        officer=verified_in_person(person), location=location, task=task,
        starts_at=now + datetime.timedelta(hours=hours[0]),
        ends_at=now + datetime.timedelta(hours=hours[1]),
        appointed_by="Besluit bestuur BK-2026-0007", actor=None,
    )  # fmt: skip


@pytest.fixture
def officer(home):
    person = UserFactory(username="tafelhulp", first_name="Olga", last_name="Officier")
    _shift(person, home)
    return person


@pytest.fixture
def voting(area, civil_servant, community_member):
    return round_in(S.VOTING, area=area, civil_servant=civil_servant, author=community_member)


@pytest.fixture
def grandma(area, civil_servant):
    """A resident without a screen, verified at the desk with her date of birth."""
    person = UserFactory(username="oma-jansen", first_name="Riet", last_name="Jansen")
    accounts.verify_member(
        user=person, area=area, actor=civil_servant, date_of_birth=date(1941, 3, 2)
    )
    return person


def _plans(round, *numbers):
    return [round.plans.get(number=n) for n in numbers]


def _enter(round, home, officer, voter, numbers=(1, 2, 3), channel=Ballot.Channel.PAPER):
    return services.enter_paper_ballot(
        actor=officer, round=round, location=home, voter=voter, plans=_plans(round, *numbers),
        channel=channel, identity_check=ID,
    )  # fmt: skip


# --- The service ---------------------------------------------------------------------------------


def test_an_officer_enters_a_paper_ballot_that_records_channel_place_shift_and_officer(
    voting, home, officer, grandma, civil_servant
):
    ballot = _enter(voting, home, officer, grandma, (1, 3, 4))
    assert ballot.channel == Ballot.Channel.PAPER and ballot.voter == grandma
    assert ballot.entered_by == officer and ballot.location == home
    assert ballot.shift.officer == officer and ballot.identity_check == ID
    assert sorted(ballot.choices.values_list("plan__number", flat=True)) == [1, 3, 4]
    assisted = resident_of(voting.area, civil_servant, "hulpstemmer")
    ballot = _enter(voting, home, officer, assisted, channel=Ballot.Channel.ASSISTED)
    assert ballot.channel == Ballot.Channel.ASSISTED and ballot.entered_by == officer


def test_one_ballot_per_resident_across_online_and_paper(
    voting, home, officer, grandma, community_member
):
    services.cast_ballot(actor=community_member, round=voting, plans=_plans(voting, 1, 2, 3))
    with pytest.raises(ValidationError) as error:
        _enter(voting, home, officer, community_member)
    assert error.value.code == "voted" and "online" in error.value.messages[0]
    _enter(voting, home, officer, grandma)
    with pytest.raises(ValidationError) as error:
        services.cast_ballot(actor=grandma, round=voting, plans=_plans(voting, 1, 2, 3))
    assert error.value.code == "voted"
    with pytest.raises(ValidationError) as error:
        _enter(voting, home, officer, grandma, channel=Ballot.Channel.ASSISTED)
    assert "Huis van de Wijk" in error.value.messages[0]
    assert Ballot.objects.filter(voter=grandma).count() == 1
    assert Ballot.objects.filter(voter=community_member).get().channel == Ballot.Channel.ONLINE
    assert BallotChoice.objects.count() == 6


def test_refusals_write_nothing(voting, home, officer, grandma, civil_servant, area):
    other_home = officing.create_location(name="Elders", address="Weg 2", actor=civil_servant)
    counter = UserFactory(username="teller")
    _shift(counter, home, task=OfficerShift.Task.COUNTING)
    later = UserFactory(username="later")
    _shift(later, home, hours=(2, 4))
    outsider = resident_of(AreaFactory(name="Elders", slug="elders"), civil_servant, "buiten")
    unverified = UserFactory(username="onbekend")
    cases = [
        # (actor, location, voter, numbers, channel, identity check)
        (officer, other_home, grandma, (1, 2, 3), Ballot.Channel.PAPER, ID),  # no shift there
        (counter, home, grandma, (1, 2, 3), Ballot.Channel.PAPER, ID),  # counting, not check-in
        (later, home, grandma, (1, 2, 3), Ballot.Channel.PAPER, ID),  # shift not started
        (civil_servant, home, grandma, (1, 2, 3), Ballot.Channel.PAPER, ID),  # no shift at all
        (officer, home, outsider, (1, 2, 3), Ballot.Channel.PAPER, ID),  # other area
        (officer, home, unverified, (1, 2, 3), Ballot.Channel.PAPER, ID),  # not verified
        (officer, home, officer, (1, 2, 3), Ballot.Channel.PAPER, ID),  # the officer self
        (officer, home, counter, (1, 2, 3), Ballot.Channel.PAPER, ID),  # staffs this place
        (officer, home, grandma, (1, 2), Ballot.Channel.PAPER, ID),  # too few plans
        (officer, home, grandma, (1, 2, 3), Ballot.Channel.ONLINE, ID),  # not a table channel
        (officer, home, grandma, (1, 2, 3), Ballot.Channel.PAPER, "gok"),  # identity not said
    ]
    accounts.verify_member(user=counter, area=area, actor=civil_servant)
    for actor, location, voter, numbers, channel, check in cases:
        with pytest.raises(ValidationError):
            services.enter_paper_ballot(
                actor=actor, round=voting, location=location, voter=voter,
                plans=_plans(voting, *numbers), channel=channel, identity_check=check,
            )  # fmt: skip
    assert not Ballot.objects.exists() and not BallotChoice.objects.exists()


def test_no_paper_ballot_after_the_voting_window(voting, home, grandma):
    late = UserFactory(username="late-dienst")
    _shift(late, home, hours=(23, 27))  # the round closes 24 hours from now
    with at_closing(voting.voting_closes_at + HOUR), pytest.raises(ValidationError) as error:
        _enter(voting, home, late, grandma)
    assert error.value.code == "closed"
    assert not Ballot.objects.exists()


def test_paper_ballots_count_in_equal_shares_exactly_like_online_ones(
    area, civil_servant, community_member, home, officer
):
    round = round_in(S.VOTING, area=area, civil_servant=civil_servant, author=community_member,
                     costs=(1000, 2000, 3000, 4000), money="5000.00")  # fmt: skip
    choices = [(1, 2, 3), (2, 3, 4), (3, 4, 1), (4, 3, 2), (1, 4, 2)]
    for i, numbers in enumerate(choices):
        voter = resident_of(area, civil_servant, f"kiezer{i}")
        if i % 2:
            _enter(round, home, officer, voter, numbers)
        else:
            services.cast_ballot(actor=voter, round=round, plans=_plans(round, *numbers))
    assert Ballot.objects.filter(channel=Ballot.Channel.PAPER).count() == 2
    with at_closing(round.voting_closes_at + HOUR):
        round = services.compute_outcome(actor=civil_servant, round=round)
    plans = [outcome.PlanInput(n, c) for n, c in enumerate((1000, 2000, 3000, 4000), 1)]
    all_online = compute(5000, plans, [sorted(c) for c in choices]).as_json()
    assert round.outcome == all_online
    assert round.outcome["ballots"] == 5


# --- The pages ----------------------------------------------------------------------------------


@pytest.fixture
def who(user_for_role, officer):
    trustee = board(community=1, institution=0)[1]["community"][0]

    def get(role):
        return {"officer": officer, "trustee": trustee}.get(role) or user_for_role(role)

    return get


@pytest.mark.parametrize("role", ROLES)
def test_the_table_and_entering_a_paper_ballot_are_for_the_officer_on_shift_only(
    client, who, role, voting, home, grandma
):
    client = login_as(client, who(role))
    table = reverse("budgeting:paper_table", args=[voting.pk, home.slug])
    entry = reverse("budgeting:paper_ballot", args=[voting.pk, home.slug, grandma.pk])
    ids = list(voting.plans.order_by("number").values_list("pk", flat=True))[:3]
    data = {"channel": Ballot.Channel.PAPER, "identity_check": ID, "plans": ids}
    responses = [client.get(table, {"q": "Riet Jansen", "born": "1941-03-02"}),
                 client.get(entry), client.post(entry, data)]  # fmt: skip
    if role == "officer":
        assert [r.status_code for r in responses] == [200, 200, 302]
        assert "Riet Jansen" in responses[0].content.decode()
        assert responses[0]["Cache-Control"] == "no-store"
        ballot = Ballot.objects.get()
        assert ballot.voter == grandma and ballot.entered_by == who(role)
    else:
        for response in responses:
            if role == "anonymous":
                assert response.status_code == 302 and "/accounts/" in response["Location"]
            else:
                assert response.status_code == 403, (role, response.status_code)
        assert not Ballot.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_printing_the_paper_ballot_form(client, who, role, voting, home):
    response = login_as(client, who(role)).get(
        reverse("budgeting:paper_print", args=[voting.pk, home.slug]), {"aantal": "2"}
    )
    if role in ("officer", "civil_servant"):
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF") and response["Cache-Control"] == "no-store"
    elif role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 403


def test_the_printed_form_lists_the_plans_with_costs_tick_boxes_and_instructions(voting, home):
    from django.template.loader import render_to_string

    from budgeting.explain import euros

    plans = list(voting.plans.order_by("number"))
    html = render_to_string(
        "budgeting/print/paper_ballot.html",
        {"round": voting, "location": home, "copies": range(1),
         "plans": [(p, euros(p.vote_cost)) for p in plans], "budget_words": euros(voting.budget)},
    )  # fmt: skip
    assert html.count('class="box"') == len(plans)
    assert "1. Plan 1" in html and "€\xa01.000" in html
    assert "Zet een kruisje bij minstens 3 plannen" in html


def test_the_table_finds_only_verified_residents_of_the_area_by_name_with_birth_date(
    client, voting, home, officer, grandma, civil_servant, issue_code
):
    outsider = UserFactory(username="riet-elders", first_name="Riet", last_name="Jansen")
    accounts.verify_member(user=outsider, area=AreaFactory(slug="ver-weg"), actor=civil_servant,
                           date_of_birth=date(1941, 3, 2))  # fmt: skip
    client.force_login(officer)
    url = reverse("budgeting:paper_table", args=[voting.pk, home.slug])
    page = client.get(url, {"q": "Jansen"}).content.decode()  # name alone: nobody
    assert 'data-testid="needs-birth"' in page and 'data-testid="match"' not in page
    page = client.get(url, {"q": "Riet Jansen", "born": "1941-03-02"}).content.decode()
    assert page.count('data-testid="match"') == 1
    assert reverse("budgeting:paper_ballot", args=[voting.pk, home.slug, grandma.pk]) in page
    # a person the table cannot find has no page, whatever number is typed in the URL
    response = client.get(
        reverse("budgeting:paper_ballot", args=[voting.pk, home.slug, outsider.pk])
    )
    assert response.status_code == 404
    missing = reverse("budgeting:paper_ballot", args=[voting.pk, home.slug, 999_999])
    assert client.get(missing).status_code == 404
    client.force_login(grandma)  # not on shift: refused before anything is looked up
    assert client.get(missing).status_code == 403


def test_the_table_asks_the_database_for_at_most_twenty_residents(voting, civil_servant, area):
    # given 25 verified residents with the same name and date of birth
    for i in range(25):
        person = UserFactory(
            username=f"jansen-{i:02}", first_name=f"Riet{i:02}", last_name="Jansen"
        )
        accounts.verify_member(user=person, area=area, actor=civil_servant,
                               date_of_birth=date(1941, 3, 2))  # fmt: skip
    # when the officer looks them up
    with CaptureQueriesContext(connection) as queries:
        matches = selectors.find_residents(voting, query="Jansen", date_of_birth=date(1941, 3, 2))
    # then 20 come back, in name order, and the database stopped at 20 rows
    assert [m.user.first_name for m in matches] == [f"Riet{i:02}" for i in range(20)]
    (search,) = [q["sql"] for q in queries if "accounts_memberverification" in q["sql"]]
    assert search.rstrip().endswith("LIMIT 20")


def test_bad_input_at_the_table_says_why_and_writes_nothing(client, voting, home, officer, grandma):
    client.force_login(officer)
    table = reverse("budgeting:paper_table", args=[voting.pk, home.slug])
    client.get(table, {"q": "Riet Jansen", "born": "1941-03-02"})  # found at the table (S3)
    url = reverse("budgeting:paper_ballot", args=[voting.pk, home.slug, grandma.pk])
    ids = list(voting.plans.order_by("number").values_list("pk", flat=True))
    for data in ({"channel": Ballot.Channel.PAPER, "identity_check": ID, "plans": ids[:2]},
                 {"channel": Ballot.Channel.ONLINE, "identity_check": ID, "plans": ids},
                 {"channel": Ballot.Channel.PAPER, "identity_check": "", "plans": ids},
                 {"channel": Ballot.Channel.PAPER, "identity_check": ID, "plans": ["x"]}):  # fmt: skip
        response = client.post(url, data)
        assert response.status_code == 400
    assert (
        "Kies minstens 3 plannen. U koos er 2."
        in client.post(
            url, {"channel": Ballot.Channel.PAPER, "identity_check": ID, "plans": ids[:2]}
        ).content.decode()
    )
    assert not Ballot.objects.exists()


def test_a_resident_who_voted_online_is_told_at_the_table(
    client, voting, home, officer, community_member
):
    services.cast_ballot(actor=community_member, round=voting, plans=_plans(voting, 1, 2, 3))
    client.force_login(officer)
    table = reverse("budgeting:paper_table", args=[voting.pk, home.slug])
    # found at the table (no date of birth on record: any date finds them), which says so too
    found = client.get(table, {"q": "lid", "born": "1980-01-01"}).content.decode()
    assert "Heeft al online gestemd" in found
    url = reverse("budgeting:paper_ballot", args=[voting.pk, home.slug, community_member.pk])
    response = client.get(url)
    assert response.status_code == 409 and "al online gestemd" in response.content.decode()
    ids = list(voting.plans.values_list("pk", flat=True))
    response = client.post(
        url, {"channel": Ballot.Channel.PAPER, "identity_check": ID, "plans": ids}
    )
    assert response.status_code == 409
    assert Ballot.objects.count() == 1


def test_the_round_page_shows_the_ballots_per_channel_and_the_officer_s_table(
    client, voting, home, officer, grandma, community_member
):
    services.cast_ballot(actor=community_member, round=voting, plans=_plans(voting, 1, 2, 3))
    _enter(voting, home, officer, grandma)
    page = client.get(voting.get_absolute_url()).content.decode()
    assert 'Online</dt><dd data-testid="channel-count">1<' in page
    assert 'Op papier in een buurthuis</dt><dd data-testid="channel-count">1<' in page
    assert 'data-testid="paper-table"' not in page
    client.force_login(officer)
    page = client.get(voting.get_absolute_url()).content.decode()
    assert reverse("budgeting:paper_table", args=[voting.pk, home.slug]) in page
