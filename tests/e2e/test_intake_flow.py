"""The registry and the intake in a real browser.

A civil servant logs in, registers an initiative through the form, holds an intake in a
conversation (the draft survives a reload), confirms it and looks at the profile: the radar
chart and the table of differences. An anonymous visitor filters the public register and
downloads the selection as CSV. axe-core checks every page on the way.

The Dutch texts are the translations in locale/nl/LC_MESSAGES/django.po (the browser is Dutch).
"""

import csv
import io
import math
import re
import statistics
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from accounts.models import User
from initiatives.models import Classification, Initiative
from intake.models import Answer, Intake, Question
from tests.e2e.conftest import describe_violations, login, run_axe

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Buurtkeuken Gaasperdam"
# The 12 scale questions of version 1 and the score given to each (1-10).
SCALE_SCORES = {7: 8, 8: 3, 9: 9, 10: 7, 11: 2, 12: 6, 13: 10, 14: 5, 15: 7, 17: 4, 18: 1, 24: 6}
# The choice questions and the option chosen (its Dutch label); None: the first option.
CHOICES = {
    1: "Sociale cohesie in de wijk vergroten",
    2: "11-30",
    3: "0-1",
    4: "25-100",
    5: "Bewoner(s)",
    6: None,
    16: "Startsubsidie",
    19: None,
    20: None,
    21: "Stichting",
    22: None,
    23: None,
}
# radar chart geometry (intake/charts.py): centre and radius of the 10-ring.
CENTRE = (360.0, 235.0)
RADIUS = 165.0


def assert_no_axe_violations(page, where: str) -> None:
    violations = run_axe(page)
    assert not violations, f"axe-core on {where}:\n{describe_violations(violations)}"


def field(page, label: str):
    """A form field by its label; crispy appends an asterisk to a required field's label."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def dutch_number(value) -> str:
    """A score as the Dutch pages show it: 8, 8,5."""
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return str(int(value))
    return str(value.normalize()).replace(".", ",")


def one_decimal(value: Decimal) -> str:
    """A composite score as the Dutch pages show it: always one decimal, 7,0."""
    return f"{value:.1f}".replace(".", ",")


def question_group(page, number: int):
    """The fieldset of one intake question; its legend starts with the number."""
    return page.get_by_role("group", name=re.compile(rf"^{number}\. "))


def choice(page, number: int):
    """The radio button or check box that CHOICES picks for a choice question."""
    group = question_group(page, number)
    role = "checkbox" if group.get_by_role("checkbox").count() else "radio"
    label = CHOICES[number]
    if label is None:
        return group.get_by_role(role).first
    return group.get_by_role(role, name=label, exact=True)


def scale_radio(page, number: int, score: int):
    return question_group(page, number).get_by_role("radio", name=str(score), exact=True)


def is_autosave(response) -> bool:
    request = response.request
    return request.method == "POST" and request.headers.get("hx-request") == "true"


def answer(page, control) -> None:
    """Tick one answer and wait for the draft save that the change triggers (htmx)."""
    with page.expect_response(is_autosave) as saved:
        control.check()
    assert saved.value.status == 200


def polygon_points(polygon) -> list[tuple[float, float]]:
    return [
        tuple(float(n) for n in pair.split(",")) for pair in polygon.get_attribute("points").split()
    ]


def latest_median_profile() -> dict[int, Decimal]:
    """Per scale question, the median over each initiative's latest confirmed intake (ORM)."""
    by_question: dict[int, list[int]] = {}
    for initiative in Initiative.objects.all():
        latest = (
            Intake.objects.filter(initiative=initiative, status=Intake.Status.CONFIRMED)
            .order_by("-date", "-pk")
            .first()
        )
        if latest is None:
            continue
        for number, value in Answer.objects.filter(
            intake=latest, question__kind=Question.Kind.SCALE, scale_value__isnull=False
        ).values_list("question__number", "scale_value"):
            by_question.setdefault(number, []).append(value)
    return {
        number: Decimal(str(statistics.median(values))) for number, values in by_question.items()
    }


def register_initiative(page) -> Initiative:
    page.goto("/initiatieven/")
    page.get_by_role("link", name="Initiatief registreren").click()
    page.wait_for_url("**/initiatieven/nieuw/")
    assert page.get_by_role("heading", level=1).inner_text() == "Initiatief registreren"
    form = page.locator("main form")

    # Sent empty first: the required fields are refused in Dutch, nothing is stored.
    with page.expect_navigation():
        form.get_by_role("button", name="Opslaan").click()
    assert page.get_by_role("alert").first.inner_text().strip() != ""
    assert "utrecht-textbox--invalid" in (field(page, "Naam").get_attribute("class") or "")
    assert "Dit veld is verplicht." in page.locator("#div_id_name").inner_text()
    assert not Initiative.objects.filter(name=NAME).exists()

    field(page, "Naam").fill(NAME)
    field(page, "Korte samenvatting").fill(
        "Bewoners koken samen en eten met buren die alleen wonen."
    )
    field(page, "Beschrijving").fill("Elke dinsdag en donderdag in De Brug.")
    field(page, "Gebied").select_option(label="Gaasperdam")
    field(page, "Status").select_option(label="Actief")
    field(page, "Fase").select_option(label="Opstartfase, 0-2 jaar")
    field(page, "Startdatum").fill("2025-09-01")
    field(page, "Initiatiefnemer").select_option(label="Bewoner(s)")
    field(page, "Organisatievorm").select_option(label="Stichting")
    field(page, "Website").fill("buurtkeuken.example.nl")
    field(page, "Bloedgroep").select_option(label="Burger met initiatief")
    field(page, "Verhouding tot de overheid").select_option(
        label="Maatschappelijk initiatief als zelfstandig alternatief"
    )
    page.get_by_label("Contactpersoon", exact=True).fill("Fatima de Vries")
    page.get_by_label("E-mailadres contactpersoon").fill("fatima@example.nl")
    page.get_by_label("Telefoon contactpersoon").fill("020 123 4567")
    for legend, label in [
        ("Leefgebied", "Zorg"),
        ("Leefgebied", "Gezin"),
        ("Werkveld", "Sociale cohesie in de wijk vergroten"),
        ("Doelgroep (VNG)", "Oudere"),
        ("Genomen drempels", "1 Eerste volgers"),
    ]:
        group = page.get_by_role("group", name=legend, exact=True)
        group.get_by_role("checkbox", name=label, exact=True).check()
    assert_no_axe_violations(page, "the registration form with errors")

    with page.expect_navigation():
        form.get_by_role("button", name="Opslaan").click()

    initiative = Initiative.objects.get(name=NAME)
    assert urlsplit(page.url).path == f"/initiatieven/{initiative.slug}/beheer/"
    assert "Het initiatief is geregistreerd." in page.get_by_role("main").inner_text()
    assert initiative.area.name == "Gaasperdam"
    assert (initiative.status, initiative.phase) == (Initiative.Status.ACTIVE, "opstart")
    assert initiative.start_date == date(2025, 9, 1)
    assert (initiative.initiator_type, initiative.organisation_form) == ("bewoners", "stichting")
    assert initiative.website == "https://buurtkeuken.example.nl"
    assert initiative.bloedgroep == "burger_met_initiatief"
    assert initiative.government_relation == "zelfstandig"
    assert initiative.contact_email == "fatima@example.nl"
    assert initiative.created_by == User.objects.get(username="ambtenaar")
    assert set(initiative.classifications.values_list("scheme", "code")) == {
        ("leefgebied", "zorg"),
        ("leefgebied", "gezin"),
        ("werkveld", "sociale_cohesie"),
        ("doelgroep", "oudere"),
        ("drempel", "1_eerste_volgers"),
    }
    # The staff page shows the contact details and the registration in the history.
    main = page.get_by_role("main").inner_text()
    assert "Fatima de Vries" in main
    assert "geregistreerd" in page.locator("section[aria-labelledby=history-heading]").inner_text()
    return initiative


def test_civil_servant_registers_an_initiative_and_completes_an_intake(new_session, demo_data):
    clerk = new_session()
    page = clerk.page
    login(page, "ambtenaar")
    initiative = register_initiative(page)

    # The intake overview lists the new initiative without an intake; start one.
    page.goto("/intake/")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=NAME))
    assert "nog geen" in row.inner_text()
    row.get_by_role("link", name=f"Nieuwe intake {NAME}").click()
    page.wait_for_url(f"**/intake/initiatief/{initiative.slug}/nieuw/")
    conversation = page.get_by_role("radio", name="Nu, in gesprek met de initiatiefnemer")
    assert conversation.is_checked()  # the default
    with page.expect_navigation():
        page.get_by_role("button", name="Intake starten").click()
    intake = Intake.objects.get(initiative=initiative)
    assert (intake.status, intake.method) == (Intake.Status.DRAFT, Intake.Method.CONVERSATION)
    fill_path = f"/intake/{intake.pk}/invullen/"
    assert urlsplit(page.url).path == fill_path
    assert page.get_by_role("heading", level=1).inner_text() == f"Intake voor {NAME}"
    assert page.locator("fieldset.intake-question").count() == 24

    # Every change is saved as a draft at once (htmx), so a closed browser loses nothing.
    answer(page, scale_radio(page, 7, SCALE_SCORES[7]))
    # htmx puts the answer's text in a moment after the response came (auto-waiting assertion)
    status = page.locator("main form").get_by_role("status")
    expect(status).to_have_text(re.compile(r"^\s*Concept opgeslagen om \d\d:\d\d\.\s*$"))
    assert Answer.objects.get(intake=intake, question__number=7).scale_value == SCALE_SCORES[7]

    for number, score in SCALE_SCORES.items():
        if number != 7:
            answer(page, scale_radio(page, number, score))
    for number in CHOICES:
        answer(page, choice(page, number))
    assert_no_axe_violations(page, "the intake form")

    # The button saves too (without JavaScript this is the only way).
    with page.expect_navigation():
        page.get_by_role("button", name="Concept opslaan").click()
    assert urlsplit(page.url).path == fill_path
    assert "De antwoorden zijn opgeslagen." in page.get_by_role("main").inner_text()
    saved = dict(
        Answer.objects.filter(intake=intake, question__kind=Question.Kind.SCALE).values_list(
            "question__number", "scale_value"
        )
    )
    assert saved == SCALE_SCORES
    chosen = {
        answer.question.number: [option.label_nl for option in answer.options.all()]
        for answer in Answer.objects.filter(intake=intake)
        .exclude(question__kind=Question.Kind.SCALE)
        .select_related("question")
        .prefetch_related("options")
    }
    for number, label in CHOICES.items():
        assert len(chosen[number]) == 1, (number, chosen[number])
        if label is not None:
            assert chosen[number] == [label]

    # Reloaded, the form shows the stored draft: `checked` comes from the server's markup.
    page.reload()
    for number, score in SCALE_SCORES.items():
        radio = scale_radio(page, number, score)
        assert radio.is_checked(), number
        assert radio.get_attribute("checked") is not None, number
    for number in CHOICES:
        control = choice(page, number)
        assert control.is_checked(), number
        assert control.get_attribute("checked") is not None, number
    intake.refresh_from_db()
    assert intake.status == Intake.Status.DRAFT

    # Review and confirm.
    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan en controleren").click()
    assert urlsplit(page.url).path == f"/intake/{intake.pk}/"
    assert page.get_by_test_id("intake-status").inner_text().startswith("Concept")
    with page.expect_navigation():
        page.get_by_role("button", name="Intake bevestigen").click()
    intake.refresh_from_db()
    assert intake.status == Intake.Status.CONFIRMED
    assert intake.confirmed_by.username == "ambtenaar"

    weights = dict(
        intake.questionnaire.questions.filter(counts_toward_composite=True).values_list(
            "number", "weight"
        )
    )
    assert weights, "version 1 has questions that count toward the composite"
    expected = (
        sum(weight * SCALE_SCORES[number] for number, weight in weights.items())
        / sum(weights.values())
    ).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert intake.composite == expected
    main = page.get_by_role("main")
    assert f"De intake is bevestigd. Samengestelde score: {one_decimal(expected)}." in (
        main.inner_text()
    )
    assert page.get_by_test_id("intake-status").inner_text().startswith("Bevestigd")
    assert page.get_by_test_id("composite").inner_text() == one_decimal(expected)

    # The profile: a radar chart with a text alternative, one polygon per series.
    check_profile(page, intake, chart_id="intake-radar", compare=True)
    assert_no_axe_violations(page, "the confirmed intake with its profile")

    # Published, the profile is public: an anonymous visitor sees the chart (no comparison).
    with page.expect_navigation():
        page.get_by_role("button", name="Profiel publiceren").click()
    assert "Het profiel is nu openbaar." in page.get_by_role("main").inner_text()
    visitor = new_session().page
    response = visitor.goto(f"/intake/profiel/{intake.pk}/")
    assert response.status == 200
    assert visitor.get_by_role("heading", level=1).inner_text() == f"Profiel van {NAME}"
    check_profile(visitor, intake, chart_id="profile-radar", compare=False)
    assert_no_axe_violations(visitor, "the public profile")

    # Back in the overview: the composite score and the support need are listed.
    page.goto("/intake/?support_need=startsubsidie")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=NAME))
    assert row.get_by_test_id("composite").inner_text() == one_decimal(expected)
    assert "Startsubsidie" in row.inner_text()


def check_profile(page, intake: Intake, *, chart_id: str, compare: bool) -> None:
    questions = list(
        intake.questionnaire.questions.filter(kind=Question.Kind.SCALE).order_by("number")
    )
    assert [q.number for q in questions] == list(SCALE_SCORES)
    median = latest_median_profile() if compare else None

    chart = page.locator(f"svg#{chart_id}")
    assert chart.count() == 1
    # The accessible name: the <title> and <desc> the svg is labelled by.
    named = page.get_by_role("img", name=re.compile(rf"^Profiel van {re.escape(NAME)}, intake van"))
    assert named.count() == 1
    assert named.get_attribute("id") == chart_id
    title = chart.locator(f"#{chart_id}-title").text_content()
    description = chart.locator(f"#{chart_id}-desc").text_content()
    assert NAME in title
    for question in questions:
        value = SCALE_SCORES[question.number]
        text = f"{question.number}. {question.short_label_nl}: {value}"
        if median is not None:
            text += f" (mediaan {dutch_number(median[question.number])})"
        assert text in description, (text, description)

    series = chart.locator("g.radar-series")
    legend = chart.locator("g.radar-legend text")
    labels = legend.all_text_contents()
    expected_labels = ["Deze intake"] + (["Mediaan van alle initiatieven"] if compare else [])
    assert [label.split(" (")[0] for label in labels] == expected_labels
    assert series.count() == len(expected_labels)
    assert chart.locator("g.radar-series polygon").count() == len(expected_labels)
    for index in range(series.count()):
        assert series.nth(index).locator("polygon").count() == 1

    # This intake's polygon: one corner per scale question, at the score's distance.
    corners = polygon_points(series.first.locator("polygon"))
    assert len(corners) == len(questions)
    for (x, y), question in zip(corners, questions, strict=True):
        distance = math.dist((x, y), CENTRE)
        assert abs(distance - RADIUS * SCALE_SCORES[question.number] / 10) < 0.2, question.number

    # The differences table: one row per scale question with the score entered (and median).
    table = page.get_by_test_id("profile-table")
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    assert headers == ["Vraag", "Deze intake"] + (["Mediaan"] if compare else [])
    rows = table.locator("tbody tr")
    assert rows.count() == len(questions)
    for index, question in enumerate(questions):
        row = rows.nth(index)
        assert row.get_by_role("rowheader").inner_text().startswith(f"{question.number}. ")
        cells = [c.strip() for c in row.get_by_role("cell").all_inner_texts()]
        expected = [str(SCALE_SCORES[question.number])]
        if median is not None:
            expected.append(dutch_number(median[question.number]))
        assert cells == expected, (question.number, cells)


def listed_names(page) -> list[str]:
    return [
        name.strip()
        for name in page.get_by_test_id("initiative").get_by_role("heading").all_inner_texts()
    ]


def test_public_register_filter_matches_the_database(page, demo_data):
    response = page.goto("/initiatieven/")
    assert response.status == 200
    everything = sorted(Initiative.objects.values_list("name", flat=True))
    assert len(everything) <= 25, "the demo fits on one page"
    assert listed_names(page) == everything
    # Anonymous: no staff buttons, only the public CSV.
    assert page.get_by_role("link", name="Initiatief registreren").count() == 0
    assert_no_axe_violations(page, "the register")

    care = Classification.objects.get(scheme="leefgebied", code="zorg")
    expected = list(
        Initiative.objects.filter(classifications=care)
        .order_by("name")
        .values_list("name", flat=True)
    )
    assert 0 < len(expected) < len(everything), "the filter must leave some out"
    search = page.get_by_role("search", name="Zoeken in het register")
    search.get_by_label("Leefgebied").select_option(label="Zorg")
    with page.expect_navigation():
        search.get_by_role("button", name="Tonen").click()
    assert parse_qs(urlsplit(page.url).query).get("leefgebied") == [str(care.pk)]
    assert listed_names(page) == expected
    heading = page.locator("#results-heading").inner_text()
    assert heading == f"{len(expected)} initiatie{'f' if len(expected) == 1 else 'ven'}"

    # Narrow it further with the phase; the form keeps the first choice.
    search = page.get_by_role("search", name="Zoeken in het register")
    assert search.get_by_label("Leefgebied").input_value() == str(care.pk)
    search.get_by_label("Fase").select_option(label="Opstartfase, 0-2 jaar")
    with page.expect_navigation():
        search.get_by_role("button", name="Tonen").click()
    query = parse_qs(urlsplit(page.url).query)
    assert query.get("leefgebied") == [str(care.pk)]
    assert query.get("phase") == ["opstart"]
    both = list(
        Initiative.objects.filter(classifications=care, phase="opstart")
        .order_by("name")
        .values_list("name", flat=True)
    )
    assert both, "the demo has a start-up initiative working on care"
    assert listed_names(page) == both
    assert_no_axe_violations(page, "the filtered register")

    # The CSV link carries the same filter, and the file holds exactly those initiatives.
    link = page.get_by_role("link", name="CSV", exact=True)
    href = link.get_attribute("href")
    assert urlsplit(href).path == "/initiatieven/export.csv"
    link_query = parse_qs(urlsplit(href).query)
    assert link_query.get("leefgebied") == [str(care.pk)]
    assert link_query.get("phase") == ["opstart"]
    download = page.request.get(href)
    assert download.status == 200
    assert download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.text().lstrip("\ufeff"))))
    assert sorted(row["naam"] for row in rows) == both
    assert not any(column.startswith("contact") for column in rows[0]), "personal data"
