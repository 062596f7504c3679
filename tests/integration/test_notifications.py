"""Notifications through the real worker, Redis and a real SMTP server (aiosmtpd) started here
on the port the harness gave the worker (`INTEGRATION_SMTP_PORT`): an event becomes exactly one
e-mail to the right person in their language; with the mail server down it is kept and sent
later (issue 15)."""

import email
import email.policy
import os
import time

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction

from notifications import services
from notifications.models import Channel, Kind, Notification, Preference
from notifications.tasks import deliver_notifications
from tests.accounts.factories import UserFactory

from .conftest import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


class Inbox:
    """The aiosmtpd handler: keeps every message it receives."""

    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.envelopes.append(envelope)
        return "250 OK"


def smtp_server() -> tuple[Controller, Inbox]:
    inbox = Inbox()
    port = int(os.environ["INTEGRATION_SMTP_PORT"])
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, inbox


def emit_for(user) -> None:
    with transaction.atomic():  # the worker is asked after this commit
        services.emit(
            kind=Kind.VOTING_OPENED,
            subject="governance.proposal:1",
            url="/voorstellen/1/",
            recipients=[user],
            data={
                "title": "Speeltuin Kraaiennest",
                "closes_at": {"nl": "1 december", "en": "1 December"},
            },
        )


def email_row():
    return Notification.objects.get(channel=Channel.EMAIL)


def test_an_event_becomes_exactly_one_email_to_the_right_person_in_their_language():
    controller, inbox = smtp_server()
    try:
        reader = UserFactory(email="reader@example.org")
        Preference.objects.create(user=reader, language="en")
        UserFactory(email="bystander@example.org")  # not a recipient
        emit_for(reader)
        wait_until(lambda: email_row().status == "sent", 60, "the worker to send the e-mail")
        time.sleep(2)  # a second copy would have arrived by now
    finally:
        controller.stop()
    assert len(inbox.envelopes) == 1
    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == ["reader@example.org"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "You can vote: Speeltuin Kraaiennest"
    body = message.get_content()
    assert "1 December" in body and "/voorstellen/1/" in body


def test_with_the_mail_server_down_the_email_is_kept_and_sent_later():
    reader = UserFactory(email="lezer@example.org")  # Dutch by default
    emit_for(reader)
    # given: nothing listens on the port; the worker tries and keeps it
    row = wait_until(
        lambda: (r := email_row()).attempts >= 1 and r, 60, "the worker to try and fail"
    )
    assert row.status == "pending" and row.last_error
    # when: the server is back and the retry is due (the beat would run this after the back-off)
    controller, inbox = smtp_server()
    try:
        Notification.objects.filter(pk=row.pk).update(next_attempt_at=None)
        deliver_notifications.delay()
        wait_until(lambda: email_row().status == "sent", 60, "the worker to send it later")
        time.sleep(2)
    finally:
        controller.stop()
    # then: exactly one e-mail, in Dutch
    assert len(inbox.envelopes) == 1
    assert inbox.envelopes[0].rcpt_tos == ["lezer@example.org"]
    message = email.message_from_bytes(inbox.envelopes[0].content, policy=email.policy.default)
    assert message["Subject"] == "U kunt stemmen: Speeltuin Kraaiennest"
