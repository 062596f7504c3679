"""The mark of a poll's key (the start of its SHA-256): the same on the poll's page, every
receipt, the trustees' pages, the bulletin, its JSON and the API, so that a key put in place of
the poll's own (by someone with the database) shows as another mark (insider review F6)."""

import hashlib
import json
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from governance import sealing, services
from governance.models import Choice, PollKey
from tests.clock import at_closing

from .factories import count_poll, poll

pytestmark = pytest.mark.django_db

MARK = re.compile(r"(?:[0-9A-F]{4} ){7}[0-9A-F]{4}")


@pytest.fixture
def keyed(area, community_member, youth_member):
    return poll(areas=[area])


def _marks(html: str) -> set[str]:
    return set(MARK.findall(html))


def _receipt(client, proposal, voter, choice=Choice.FOR) -> str:
    client.force_login(voter)
    response = client.post(f"/voorstellen/{proposal.pk}/stemmen/", {"choice": choice})
    assert response.status_code == 200
    return response.content.decode()


def test_the_mark_is_the_start_of_the_keys_sha256_in_groups():
    key = sealing.make_poll_keys(3).public_key
    sha = hashlib.sha256(key).hexdigest()
    mark = sealing.key_mark(sealing.key_sha256(key))
    assert MARK.fullmatch(mark)
    assert mark.replace(" ", "") == sha[:32].upper()


def test_every_page_of_the_poll_shows_the_same_mark(client, keyed, community_member):
    mark = PollKey.objects.get(proposal=keyed).mark
    assert _marks(client.get(f"/voorstellen/{keyed.pk}/").content.decode()) == {mark}
    assert _marks(_receipt(client, keyed, community_member)) == {mark}
    first, *others = [row.trustee for row in keyed.shares.order_by("index")]
    client.force_login(first)
    picked_up = client.post(f"/voorstellen/{keyed.pk}/mijn-sleutel/")
    assert _marks(picked_up.content.decode()) == {mark}  # to write down with the key
    shares = [(first, picked_up.context["share"])]
    shares += [(t, services.pick_up_share(proposal=keyed, actor=t)) for t in others]
    with at_closing(keyed.closes_at + timedelta(seconds=1)):
        services.close_voting(actor=None, proposal=keyed)
        client.force_login(first)
        unlock = client.get(f"/voorstellen/{keyed.pk}/ontsluiten/").content.decode()
        assert _marks(unlock) == {mark}
    count_poll(keyed, shares=shares)
    client.logout()
    bulletin = client.get(f"/voorstellen/{keyed.pk}/stembiljetten/").content.decode()
    assert _marks(bulletin) == {mark}
    data = json.loads(client.get(f"/voorstellen/{keyed.pk}/stembiljetten.json").content)
    public_key = bytes(PollKey.objects.get(proposal=keyed).public_key)
    assert data["key_sha256"] == hashlib.sha256(public_key).hexdigest()
    api = client.get("/api/v1/stembiljetten", HTTP_ACCEPT="application/json").json()
    assert [row["sleutel_sha256"] for row in api["results"]] == [data["key_sha256"]]


def test_a_key_swapped_behind_the_applications_back_shows_another_mark(
    client, keyed, community_member, youth_member
):
    """On PostgreSQL the database refuses the swap (tests/integration/test_sealed_ballots.py);
    a superuser can lift that. Then the receipts of the ballots sealed to the other key show
    another mark than the poll's page did, and than the bulletin will."""
    published = _marks(client.get(f"/voorstellen/{keyed.pk}/").content.decode())
    before = _marks(_receipt(client, keyed, community_member))
    other = sealing.make_poll_keys(3).public_key
    if connection.vendor == "postgresql":  # the database refuses it (a superuser could lift that)
        with pytest.raises(DatabaseError), transaction.atomic():
            PollKey.objects.filter(proposal=keyed).update(public_key=other)
        assert _marks(_receipt(client, keyed, youth_member)) == published
        return
    PollKey.objects.filter(proposal=keyed).update(public_key=other)
    after = _marks(_receipt(client, keyed, youth_member))
    assert before == published and after != published


def test_the_recount_prints_the_keys_sha256(keyed, community_member, tmp_path):
    services.cast_vote(proposal=keyed, choice=Choice.FOR, actor=community_member)
    count_poll(keyed)
    out = tmp_path / "out.txt"
    with out.open("w") as stream:
        call_command("recount", keyed.pk, stdout=stream)
    assert f"key sha256: {PollKey.objects.get(proposal=keyed).sha256}" in out.read_text()
