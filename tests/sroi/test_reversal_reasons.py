"""A reversal says why twice: a kind of reason from a fixed list, which is published, and the civil
servant's own words, which stay internal (insider review 2026-12-05, R5). The words can name a
resident; open data and a frozen annual report could never take that back."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from notifications.models import Event
from notifications.models import Kind as EventKind
from sroi import services
from sroi.models import Transaction

from .factories import bookkeeper

pytestmark = pytest.mark.django_db

WORDS = "Betaald aan mevrouw J. de Vries, Kraaiennest 12, schuldhulp"


def _tranche(scenario) -> Transaction:
    return scenario["allocation"].transactions.get(kind=Transaction.Kind.DISBURSEMENT)


def test_the_reversal_form_asks_for_a_public_kind_and_says_the_words_stay_internal(
    client, civil_servant, scenario
):
    client.force_login(civil_servant)
    tranche = _tranche(scenario)
    url = f"/sroi/transacties/{tranche.pk}/terugdraaien/"
    page = client.get(url).content.decode()
    assert "Dit blijft intern: alleen medewerkers zien het." in page
    assert "Dit is openbaar: het staat in de open data en in het jaarverslag." in page
    assert 'value="booked_twice"' in page and "Dubbel geboekt" in page
    # without a kind of reason nothing is booked
    response = client.post(url, {"reason": WORDS})
    assert response.status_code != 302
    assert not Transaction.objects.filter(reversal_of=tranche).exists()
    # with one, both are kept: the kind to publish, the words for the staff
    response = client.post(url, {"reason": WORDS, "category": "payment_came_back"})
    assert response.status_code == 302
    reversal = Transaction.objects.get(reversal_of=tranche)
    assert (reversal.reason, reversal.reason_category) == (WORDS, "payment_came_back")
    staff = client.get(f"/sroi/fondsen/{scenario['fund'].slug}/beheer/").content.decode()
    assert WORDS in staff and "De betaling kwam terug" in staff
    public = client.get(f"/sroi/fondsen/{scenario['fund'].slug}/").content.decode()
    assert "de Vries" not in public and "Kraaiennest" not in public


def test_a_kind_of_reason_not_on_the_list_is_refused_and_books_nothing(scenario):
    tranche = _tranche(scenario)
    with pytest.raises(ValidationError) as refused:
        services.reverse_transaction(
            transaction=tranche, reason=WORDS, category="gossip", actor=bookkeeper()
        )
    assert "category" in refused.value.message_dict
    assert not Transaction.objects.filter(reversal_of=tranche).exists()


def test_who_proposed_the_allocation_hears_the_kind_of_reason_not_the_words(scenario):
    services.reverse_transaction(
        transaction=_tranche(scenario),
        reason=WORDS,
        category="booked_twice",
        actor=bookkeeper(),
        date=datetime.date(2025, 4, 1),
    )
    event = Event.objects.get(kind=EventKind.ALLOCATION_REVERSED)
    assert event.data["reason"] == {"nl": "Dubbel geboekt", "en": "Booked twice"}
    assert "de Vries" not in str(event.data) and "Kraaiennest" not in str(event.data)
