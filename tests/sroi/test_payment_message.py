"""The message that money was paid says on which day, the payment's own date, not the day it was
recorded (look review 2026-12-06, 16: "Geld betaald aan Community Home 24/7" had no date)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from notifications import messages
from notifications.models import Event, Kind
from sroi import services

from .factories import bookkeeper

pytestmark = pytest.mark.django_db


def test_the_payment_message_says_the_payment_date_in_the_readers_language(scenario):
    # given a tranche paid on 16 June 2025 and recorded today
    services.disburse(
        allocation=scenario["allocation"],
        amount=Decimal("40.00"),
        date=datetime.date(2025, 6, 16),
        actor=bookkeeper(),
    )
    event = Event.objects.filter(kind=Kind.ALLOCATION_PAID).latest("pk")
    # then its text names that day, in Dutch and in English
    with translation.override("nl"):
        _subject, text = messages.render(event.kind, event.data)
    assert text == "Buurtkeuken kreeg €\xa040,00 uit Testfonds. Het is betaald op 16 juni 2025."
    with translation.override("en"):
        _subject, text = messages.render(event.kind, event.data)
    assert text.endswith("It was paid on June 16, 2025.") or text.endswith(
        "It was paid on 16 June 2025."
    ), text
