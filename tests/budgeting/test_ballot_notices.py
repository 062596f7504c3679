"""Every budget ballot tells its voter, in the ballot's own transaction (insider review
2026-12-05, F5, docs/reviews/2026-12-05-budget.md): online, or entered on paper by an officer at
a Community Home, the voter finds "you voted" on their notices page, with the round, the
channel and the place. A ballot written by SQL: tests/integration/test_budget_electorate.py."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from budgeting import services
from budgeting.models import Ballot, BallotNotice, Round
from governance import officing
from governance.models import CheckIn, OfficerShift
from notifications import messages
from notifications.models import Channel, Kind, Notification
from tests.accounts.factories import UserFactory, verified_in_person
from tests.budgeting.factories import resident_of, round_in

pytestmark = pytest.mark.django_db
NOTICES = "/meldingen/"


@pytest.fixture
def voting(area, civil_servant, community_member):
    return round_in(
        Round.Status.VOTING, area=area, civil_servant=civil_servant, author=community_member,
        name="Buurtbudget Bijlmer",
    )  # fmt: skip


def _plans(round):
    return list(round.plans.filter(number__isnull=False))[: round.min_plans]


def _told(person) -> list[tuple[str, str]]:
    """The person's notices on the site, (subject, text) in Dutch and in English."""
    found = []
    for notice in Notification.objects.filter(user=person, channel=Channel.SITE):
        for language in ("nl", "en"):
            with translation.override(language):
                found.append(messages.render(notice.event.kind, notice.event.data))
    return found


def test_an_online_ballot_tells_its_voter_on_their_notices_page(
    client, voting, area, civil_servant
):
    voter = resident_of(area, civil_servant, "kiezer-online")
    # when the resident votes online
    services.cast_ballot(actor=voter, round=voting, plans=_plans(voting))
    # then the ballot's transaction told them: where, how, and that it is theirs only
    event = Notification.objects.get(user=voter, channel=Channel.SITE).event
    assert event.kind == Kind.BUDGET_BALLOT and event.url == voting.get_absolute_url()
    (nl_subject, nl_text), (en_subject, en_text) = _told(voter)
    assert nl_subject == "U hebt gestemd: begrotingsronde Buurtbudget Bijlmer (online)"
    assert nl_text.startswith("U hebt gestemd in begrotingsronde Buurtbudget Bijlmer (online) op ")
    assert "zonder uw naam" in nl_text and "geheim" not in nl_text
    assert en_subject == "You voted: budget round Buurtbudget Bijlmer (online)"
    # told: the notice stays, pointing at that message
    assert BallotNotice.objects.get().told == Notification.objects.get(
        event=event, user=voter, channel=Channel.SITE
    )
    # and they read it on their notices page
    client.force_login(voter)
    page = client.get(NOTICES).content.decode()
    assert "begrotingsronde Buurtbudget Bijlmer (online)" in page
    # nobody else was told
    assert not Notification.objects.exclude(user=voter).filter(event=event).exists()


def test_a_paper_ballot_entered_by_an_officer_tells_the_resident_where(
    client, voting, area, civil_servant
):
    # given an officer on a check-in shift at a Community Home
    home = officing.create_location(
        name="Huis van de Wijk", address="Kraaiennest 1", opening_hours="di 10-16",
        actor=civil_servant,
    )  # fmt: skip
    officer = verified_in_person(UserFactory(username="tafelhulp"))
    now = timezone.now()
    officing.add_shift(
        officer=officer, location=home, task=OfficerShift.Task.CHECK_IN,
        starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=2),
        appointed_by="Besluit bestuur BK-2026-0007", actor=None,
    )  # fmt: skip
    resident = resident_of(area, civil_servant, "oma-jansen")
    # when the officer enters a paper ballot (and, for another resident, one with help)
    services.enter_paper_ballot(
        actor=officer, round=voting, location=home, voter=resident, plans=_plans(voting),
        identity_check=CheckIn.IdentityCheck.ID_DOCUMENT,
    )  # fmt: skip
    helped = resident_of(area, civil_servant, "opa-jansen")
    services.enter_paper_ballot(
        actor=officer, round=voting, location=home, voter=helped, plans=_plans(voting),
        channel=Ballot.Channel.ASSISTED, identity_check=CheckIn.IdentityCheck.ID_DOCUMENT,
    )  # fmt: skip
    # then each resident is told, in their words, how and where; the officer is told nothing
    (nl_subject, nl_text), (en_subject, _en) = _told(resident)
    assert nl_subject == (
        "U hebt gestemd: begrotingsronde Buurtbudget Bijlmer (op papier, in Huis van de Wijk)"
    )
    assert en_subject == (
        "You voted: budget round Buurtbudget Bijlmer (on paper, at Huis van de Wijk)"
    )
    (helped_nl, _text), _en = _told(helped)
    assert helped_nl.endswith("(met hulp, in Huis van de Wijk)")
    assert not Notification.objects.filter(user=officer, event__kind=Kind.BUDGET_BALLOT).exists()
    client.force_login(resident)
    assert "op papier, in Huis van de Wijk" in client.get(NOTICES).content.decode()


def test_a_refused_ballot_tells_nobody(voting, area, civil_servant):
    voter = resident_of(area, civil_servant, "te-weinig")
    with pytest.raises(ValidationError):
        services.cast_ballot(actor=voter, round=voting, plans=_plans(voting)[:1])
    assert not Notification.objects.filter(user=voter).exists()
    assert not BallotNotice.objects.exists()
