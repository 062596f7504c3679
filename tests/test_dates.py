"""Short dates write the month's abbreviation as the language does: lower case in Dutch
("4 mrt 2026"), capitalised in English ("4 Mar 2026"); Django's "M" capitalises both."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from common.dates import short_date

DUTCH = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
ENGLISH = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@pytest.mark.parametrize(("language", "months"), [("nl", DUTCH), ("en", ENGLISH)])
def test_every_month_is_abbreviated_as_the_language_writes_it(language, months):
    with translation.override(language):
        written = [short_date(datetime.date(2026, month, 4), "j M Y") for month in range(1, 13)]
    assert written == [f"4 {month} 2026" for month in months]


@pytest.mark.parametrize(("language", "expected"), [("nl", "1 apr 01:30"), ("en", "1 Apr 01:30")])
def test_the_template_filter_shows_the_local_time(language, expected):
    # 23:30 UTC on 31 March is 01:30 on 1 April in Amsterdam (summer time).
    moment = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC)
    template = Template(
        '{% load dates %}{{ moment|short_date:"j M H:i" }}|{{ empty|short_date:"j M" }}'
    )
    with translation.override(language), timezone.override("Europe/Amsterdam"):
        assert template.render(Context({"moment": moment, "empty": None})) == f"{expected}|"


@pytest.mark.django_db
def test_a_ballot_box_is_named_with_a_dutch_date_on_dutch_pages():
    from governance.models import OfficerShift
    from governance.officing.forms import batch_label
    from tests.accounts.factories import UserFactory

    local = timezone.get_current_timezone()
    shift = OfficerShift(
        officer=UserFactory(first_name="Olga", last_name="Pinas"),
        starts_at=datetime.datetime(2026, 10, 4, 9, 0, tzinfo=local),
        ends_at=datetime.datetime(2026, 10, 4, 13, 0, tzinfo=local),
    )
    with translation.override("nl"):
        assert batch_label(shift) == "Olga Pinas, 4 okt 09:00 tot 4 okt 13:00"
    with translation.override("en"):
        assert batch_label(shift) == "Olga Pinas, 4 Oct 09:00 to 4 Oct 13:00"


ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
NUMERIC_DATE = re.compile(r"\b\d{1,2}-\d{1,2}-\d{4}\b(?! \d)")  # not a date with its time


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "day"), [("nl", "28 feb 2031"), ("en", "28 Feb 2031")])
def test_staff_tables_write_dates_short_not_as_numbers_or_iso(client, civil_servant, language, day):
    """The staff pages mixed "28-2-2031", "28 feb 2031" and "28 februari 2031"; a date in a
    table is now short ("28 feb 2031"), never ISO nor numbers, except in datetime attributes."""
    from django.urls import reverse

    from tests.governance.factories import board
    from tests.sroi.factories import ContractFactory
    from tests.test_words_crawl import _texts

    contract = ContractFactory(fulfilment_deadline=datetime.date(2031, 2, 28))
    body, _voters = board(community=1, institution=0)
    body.seats.update(starts_on=datetime.date(2031, 2, 28))
    client.force_login(civil_servant)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    pages = {  # the page and whether it shows the day
        reverse("sroi:contracts"): True,
        reverse("governance:body", args=[body.pk]): True,
        reverse("sroi:contract_staff", args=[contract.pk]): False,
    }
    for url, shows_day in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        text = " ".join(_texts(response.content.decode()))
        assert (day in text) == shows_day, url
        assert not ISO_DATE.search(text), (url, ISO_DATE.findall(text))
        assert not NUMERIC_DATE.search(text), (url, NUMERIC_DATE.findall(text))
