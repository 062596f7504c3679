"""The vote reads its choice without building the ballot form (`BallotForm.plain_choice`); the
form still decides every other value, with its message, and nothing is written then."""

import pytest
from django.http import QueryDict

from governance.forms import BallotForm
from governance.models import Choice, Participation, SealedBallot

from .factories import board, poll, tracking_code, voting

SENT = [
    "choice=for",
    "choice=against",
    "choice=abstain",
    "choice=For",
    "choice=FOR",
    "choice=+for",
    "choice=for+",
    "choice=",
    "",
    "other=for",
    "choice=maybe",
    "choice=0",
    "choice=voor",
    "choice=against&choice=for",
    "choice=for&choice=nonsense",
    "choice=%C3%A9",
]


@pytest.mark.parametrize("sent", SENT)
def test_the_plain_choice_is_what_the_form_accepts(sent):
    data = QueryDict(sent)
    form = BallotForm(data)
    plain = BallotForm.plain_choice(data)
    if plain is not None:  # read without the form: the form takes exactly this value
        assert form.is_valid() and form.cleaned_data["choice"] == plain
    # the three choices as sent by the ballot page are read without the form
    assert (plain is not None) == (data.get("choice") in {"for", "against", "abstain"})


@pytest.mark.django_db
@pytest.mark.parametrize("sent", ["", "maybe", "For"])
def test_a_choice_that_is_none_of_the_three_gets_the_form_and_writes_nothing(
    client, area, community_member, sent
):
    proposal = poll(areas=[area])
    client.force_login(community_member)
    response = client.post(f"/voorstellen/{proposal.pk}/stemmen/", {"choice": sent})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Dit veld is verplicht." in html if not sent else "Selecteer een geldige keuze" in html
    assert not SealedBallot.objects.exists() and not Participation.objects.exists()
    # the same member's plain choice is taken: a receipt with a code
    taken = client.post(f"/voorstellen/{proposal.pk}/stemmen/", {"choice": Choice.AGAINST})
    assert taken.status_code == 200 and tracking_code(taken)
    assert SealedBallot.objects.count() == 1 and Participation.objects.count() == 1


@pytest.mark.django_db
def test_a_board_vote_names_the_choice_it_recorded(client):
    body, voters = board()
    proposal = voting(body=body)
    member = next(iter(voters.values()))[0]
    client.force_login(member)
    response = client.post(
        f"/voorstellen/{proposal.pk}/stemmen/", {"choice": Choice.ABSTAIN}, follow=True
    )
    assert response.status_code == 200
    assert "Uw stem (onthouding) is vastgelegd." in response.content.decode()
    assert proposal.votes.get(user=member).choice == Choice.ABSTAIN
