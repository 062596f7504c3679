"""A message's sentence does not end twice when the value it ends with ends a sentence itself
(a poll's title is often a question: "… in Bijlmer?." was sent)."""

import pytest
from django.utils import translation

from notifications import messages
from notifications.models import Kind


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_title_that_is_a_question_ends_the_sentence_once(language):
    with translation.override(language):
        _subject, text = messages.render(Kind.COMMENT, {"title": "Een moestuin in Bijlmer?"})
    assert text.endswith("Bijlmer?")
    assert "?." not in text


def test_amounts_and_ordinary_sentences_keep_their_full_stops():
    with translation.override("en"):
        _subject, text = messages.render(
            Kind.ALLOCATION_PAID,
            {"amount": "€ 1,000.00", "initiative": "Buurtkeuken", "fund": "Fonds Zuidoost"},
        )
    assert text == "€ 1,000.00 was paid to Buurtkeuken from Fonds Zuidoost."
