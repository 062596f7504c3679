"""The demo's Community Home: two officers and a decided poll with paper votes."""

import re

import pytest
from django.core.management import call_command
from django.utils import translation

from governance.models import CheckIn, Location, OfficerShift, PaperCountSeal, Proposal
from governance.officing.demo import LOCATION, OFFICERS, POLL_TITLE

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_community_home_with_two_officers_and_a_poll_with_paper_votes(client):
    call_command("seed_demo", verbosity=0, force=True)
    call_command("seed_demo", verbosity=0, force=True)  # idempotent
    home = Location.objects.get(name=LOCATION)
    officers = set(OfficerShift.objects.filter(location=home).values_list("officer__username"))
    # the poll's two officers, and the demo log-in at the table (budgeting's demo)
    assert officers == {(name,) for name, *_rest in OFFICERS} | {("stembureau",)}
    poll = Proposal.objects.get(title=POLL_TITLE)
    assert poll.is_decided
    tally = poll.decision.tally
    # Samir voted online and then on paper: only his paper vote counts
    assert (tally["voor"], tally["tegen"], tally["paper"]) == (3, 1, 3)
    assert CheckIn.objects.filter(proposal=poll, superseded_online=True).count() == 1
    seal = PaperCountSeal.objects.get(count__proposal=poll)
    assert seal.confirmed_by != seal.count.entered_by
    with translation.override("en"):
        assert "3 votes came by paper" in poll.decision.explanation
    page = client.get(f"/voorstellen/{poll.pk}/").content.decode()
    assert LOCATION in page and 'data-testid="channels"' in page


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "nl",
            "1 volgcode. 3 stemmen op papier in een buurthuis. 4 mensen deden mee. Samen zijn"
            " de codes en de stemmen op papier gelijk aan het aantal mensen dat meedeed.",
        ),
        (
            "en",
            "1 tracking code. 3 votes on paper at a Community Home. 4 people took part. Codes and"
            " paper votes together are the number of people who took part.",
        ),
    ],
)
def test_the_bulletin_counts_the_paper_votes_in_its_turnout(client, language, sentence):
    # It said "1 codes, 4 people took part. These are equal.": a code short of a plural, and
    # three paper votes left out of a sum a reader was told was equal.
    call_command("seed_demo", verbosity=0, force=True)
    poll = Proposal.objects.get(title=POLL_TITLE)
    client.cookies["django_language"] = language
    page = client.get(f"/voorstellen/{poll.pk}/stembiljetten/").content.decode()
    turnout = re.search(r'<li data-testid="recount-turnout">(.*?)</li>', page, flags=re.S)
    assert " ".join(turnout.group(1).split()) == sentence
