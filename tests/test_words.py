"""Words a first visitor tripped over: English in a Dutch history, "1 initiatieven", "p.m.."."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from freezegun import freeze_time

from tests.governance.factories import in_discussion
from tests.sroi.factories import ContractFactory

pytestmark = pytest.mark.django_db


def test_the_contract_history_says_what_happened_in_dutch(client, civil_servant):
    from sroi import services

    contract = ContractFactory()
    services.update_contract(contract=contract, actor=civil_servant, title="Nieuwe titel")
    client.force_login(civil_servant)
    html = client.get(f"/sroi/contracten/{contract.pk}/beheer/").content.decode()
    assert "Gewijzigd" in html
    assert "Created" not in html and "Changed" not in html


def test_an_english_time_at_the_end_of_a_sentence_has_one_full_stop(client, civil_servant):
    from governance import services

    proposal = in_discussion()
    closes = datetime.datetime(2099, 12, 3, 19, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    services.open_voting(proposal=proposal, closes_at=closes, actor=civil_servant)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "3 December 2099, 19:00." in html
    assert ".." not in html.replace("...", "")


@pytest.mark.parametrize(
    ("language", "deadline", "changed"),
    [("nl", ">28 feb 2031<", "11-2-2026 11:30"), ("en", ">28 Feb 2031<", "11/02/2026 11:30")],
)
def test_short_dates_put_the_day_first_in_both_languages(
    client, civil_servant, language, deadline, changed
):
    """Django's English short date was month first ("02/28/2031") beside day-first dates with a
    time; the staff pages wrote the Dutch "11-2-2026 11:30" in English too."""
    from sroi import services

    contract = ContractFactory(fulfilment_deadline=datetime.date(2031, 2, 28))
    with freeze_time("2026-02-11 10:30:00"):  # 11:30 in Amsterdam
        services.update_contract(contract=contract, actor=civil_servant, title="Nieuwe titel")
    client.force_login(civil_servant)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert deadline in client.get(reverse("sroi:contracts")).content.decode()
    history = client.get(f"/sroi/contracten/{contract.pk}/beheer/").content.decode()
    assert changed in history


def test_english_dates_are_day_first_when_written_and_when_read():
    """Django's English wrote "Feb. 11, 2026" beside "11 February 2026, 14:05" on one page."""
    from django import forms
    from django.utils import formats, translation

    day = datetime.date(2026, 2, 11)
    with translation.override("en"):
        assert formats.date_format(day) == "11 February 2026"
        assert formats.date_format(day, "MONTH_DAY_FORMAT") == "11 February"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "11/02/2026"
        assert forms.DateField().clean("11/02/2026") == day
        assert forms.DateField().clean("2026-02-11") == day
    with translation.override("nl"):
        assert formats.date_format(day) == "11 februari 2026"
        assert forms.DateField().clean("11-02-2026") == day


def test_the_dutch_menu_says_start_not_home(client):
    """A resident read "Home" in the Dutch menu; Dutch sites say "Start". "Community Home" is the
    place's own name and stays."""
    html = client.get("/").content.decode()
    assert ">Start</a>" in html and "– startpagina" in html
    assert ">Home</a>" not in html and "– home" not in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert ">Home</a>" in html and "– home" in html


def test_the_unsubscribe_button_is_dutch(client):
    from notifications.models import Preference
    from tests.accounts.factories import UserFactory

    preference, _ = Preference.objects.get_or_create(user=UserFactory())
    url = reverse("notifications:unsubscribe", args=[preference.unsubscribe_token])
    html = client.get(url).content.decode()
    assert "Stuur mij geen e-mail meer</button>" in html
    assert "Stop e-mail" not in html


# Texts that read the same in Dutch and in English: names, codes and words both languages use.
# A source text whose Dutch and English translations are both the text itself is either one of
# these or a Dutch text written where the English source belongs ("Per leefgebied" headed a chart
# in the English report); add a word here only when English readers use it as it is.
SAME_IN_BOTH = {
    "%(number)s. %(label)s: %(value)s", "1 = %(low)s, 10 = %(high)s", "Budget", "Burgerkracht",
    "Code", "Datasets", "DigiD", "E-mail", "English", "Human Resourcefulness (HRs)",
    "Indicator", "Intake", "Menu", "Intakes", "KvK", "Leefgebied", "Link", "Nederlands", "Online", "Open",
    "Open API", "Open data", "Open:", "PDF", "Plan", "Quorum", "Social return", "Status",
    "Website", "budget", "code", "details", "e-mail", "import", "imports",
    "indicator", "intake", "intakes", "link", "moment", "plan", "quorum", "score", "slug", "status",
    "website",
}  # fmt: skip


def test_no_dutch_text_stands_where_the_english_source_text_belongs():
    from babel.messages.pofile import read_po

    from config.settings import BASE_DIR

    def catalogue(language):
        with open(BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po", "rb") as po:
            return read_po(po)

    english = catalogue("en")
    same = set()
    for message in catalogue("nl"):
        if not message.id or isinstance(message.id, tuple):  # the header, plurals
            continue
        in_english = english.get(message.id)
        if message.string == message.id and in_english and in_english.string == message.id:
            same.add(message.id)
    assert same - SAME_IN_BOTH == set()


def _dutch_strings():
    from babel.messages.pofile import read_po

    from config.settings import BASE_DIR

    with open(BASE_DIR / "locale" / "nl" / "LC_MESSAGES" / "django.po", "rb") as po:
        for message in read_po(po):
            if message.id:
                yield from message.string if isinstance(message.string, tuple) else [message.string]


def test_the_dutch_pages_call_the_people_the_gemeenschap_not_the_community():
    """Review 2026-12-06, finding 10: "communitylid" beside "lid van de gemeenschap", and the
    body that decides is the "Gemeenschapsbestuur". "Community Home" is a place's own name."""
    words = (re.sub(r"%\(\w+\)\w", "", text).lower() for text in _dutch_strings())
    mixed = [text for text in words if "community" in text.replace("community home", "")]
    assert mixed == []


def test_the_fund_overview_has_one_name_in_menu_title_heading_and_breadcrumb(client):
    """Review 2026-12-06, finding 10: the menu said "Fonds", the breadcrumb "Gemeenschapsfonds"
    and the heading "Social return en het gemeenschapsfonds"."""
    html = client.get(reverse("sroi:overview")).content.decode()
    assert re.search(r'aria-current="page">Gemeenschapsfonds</a>', html)
    assert "<title>Gemeenschapsfonds" in html
    assert '<h1 class="utrecht-heading-1">Gemeenschapsfonds</h1>' in html
    contracts = client.get(reverse("sroi:contracts")).content.decode()
    assert ">Gemeenschapsfonds</a></li>" in contracts
    assert "Social return en het gemeenschapsfonds" not in html + contracts
    assert ">Fonds</a>" not in html + contracts


def test_the_home_page_and_the_log_in_page_name_the_sign_up_alike(client):
    """Review 2026-12-06, finding 10: "Account aanmaken met een code" on the home page,
    "… met een verificatiecode" on the log-in page."""
    for url in ("/", reverse("login")):
        html = client.get(url).content.decode()
        assert "Account aanmaken met een code</a>" in html, url
        assert "met een verificatiecode" not in html, url


def test_each_target_group_label_says_which_list_it_is(client):
    """Review 2026-12-06, findings 10 and 17: "Doelgroep" filtered on the VNG clusters, beside
    "Doelgroep Socialization+" and the initiative page's "Doelgroepcluster"; HRs keeps its name
    (seed 000) and "Bloedgroep" its name (VNG) with what they mean beside them."""
    from django.utils import translation

    from initiatives.filters import InitiativeFilter

    with translation.override("nl"):
        form = InitiativeFilter().form
        assert str(form.fields["doelgroep"].label) == "Doelgroep (VNG)"
        assert str(form.fields["socialization_doelgroep"].label) == "Doelgroep (Socialization+)"
    html = client.get(reverse("initiatives:register")).content.decode()
    assert "Human Resourcefulness (HRs): mensen met talent dat nog niet gebruikt wordt" in html
    assert "Bloedgroep: wat voor mensen of organisatie achter het initiatief zit" in html


def test_the_initiative_page_says_what_the_vng_names_mean_beside_them(client):
    """Review 2026-12-06, finding 17: "Bloedgroep", the thresholds and HRs were explained only
    in the register's filter; the public intake profile showed "11. Politiek scoren" with the
    question itself only in a tooltip (an `abbr` title) a phone never shows."""
    from initiatives.classifications import Bloedgroep
    from tests.initiatives.factories import InitiativeFactory
    from tests.intake.factories import confirmed_intake

    initiative = InitiativeFactory(
        bloedgroep=Bloedgroep.COLLECTIVES,
        classes=[("drempel", "1_eerste_volgers")],
    )
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "Bloedgroep: wat voor mensen of organisatie achter het initiatief zit" in html
    assert "De drempels die een initiatief neemt als het groeit" in html
    intake = confirmed_intake(initiative=initiative, values={11: 3, 7: 8}, published=True)
    html = client.get(reverse("intake:profile", args=[intake.pk])).content.decode()
    assert "11. Politiek scoren" in html  # the VNG's short name stays
    assert "Is het mogelijk om politiek te &#x27;scoren&#x27; met het initiatief?" in html
    assert "<abbr" not in html.split('data-testid="profile-table"', 1)[1].split("</table>")[0]


def test_the_report_says_what_hrs_means_where_it_lists_it():
    """Review 2026-12-06, finding 11: "Human Resourcefulness (HRs)" stood in the PDF's target-
    group tables with nothing saying what it means; the name is seed 000's and stays."""
    from dataclasses import replace

    from reports import rendering, snapshot
    from tests.reports.frozen import v1

    content = snapshot.load(v1())
    html = rendering.render_print_html(content, language="nl")
    assert "Human Resourcefulness (HRs)</td>" in html
    assert html.count('data-testid="hrs-explained"') == 2  # the money's table, the initiatives'
    assert "mensen met talent dat nog niet gebruikt wordt" in html
    without = replace(
        content,
        spending_by_target_group=[],
        initiatives=replace(content.initiatives, by_target_group=[]),
    )
    assert 'data-testid="hrs-explained"' not in rendering.render_print_html(without, language="nl")
