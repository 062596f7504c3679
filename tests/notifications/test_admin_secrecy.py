"""The Django admin shows no message that tells who voted in a poll, or when: not "you took
part" (with its moment), not the reminder that goes to those who have not voted yet. A
superuser listed both (insider review, 2026-12-05); docs/voting-threat-model.md says an
administrator learns nothing of who took part."""

import pytest
from django.db import transaction

from notifications import services
from notifications.models import Event, Kind, Notification
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def _event(kind: str, subject: str, person) -> Event:
    with transaction.atomic():
        return services.emit(
            kind=kind, subject=subject, url="/voorstellen/1/", recipients=[person], data={}
        )


def test_the_admin_lists_no_message_that_tells_who_voted(client):
    voter = UserFactory(username="stemmer-geheim")
    took_part = _event(Kind.PARTICIPATION, "governance.proposal:1:participation", voter)
    reminded = _event(Kind.VOTING_CLOSING, "governance.proposal:1:reminder", voter)
    decided = _event(Kind.DECISION_TAKEN, "governance.proposal:1:decision", voter)
    boss = UserFactory(username="hoofdbeheer-geheim", is_staff=True, is_superuser=True)
    client.force_login(boss)

    events = client.get("/beheer/notifications/event/").content.decode()
    assert "proposal:1:decision" in events
    assert "proposal:1:participation" not in events and "proposal:1:reminder" not in events
    notices = client.get("/beheer/notifications/notification/").content.decode()
    assert "proposal:1:decision" in notices
    assert "proposal:1:participation" not in notices and "proposal:1:reminder" not in notices
    for event in (took_part, reminded):
        urls = [f"/beheer/notifications/event/{event.pk}/change/"] + [
            f"/beheer/notifications/notification/{notice.pk}/change/"
            for notice in Notification.objects.filter(event=event)
        ]
        for url in urls:
            assert client.get(url).status_code == 302, url  # "does not exist", to the list
    assert client.get(f"/beheer/notifications/event/{decided.pk}/change/").status_code == 200
