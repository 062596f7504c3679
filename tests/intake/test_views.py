from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse

from initiatives.classifications import Phase
from initiatives.models import Initiative
from intake.models import Answer, Intake, Option
from tests.accounts.factories import AreaFactory

from .factories import SVG, InitiativeFactory, IntakeFactory, confirmed_intake, svg_root, version_1

pytestmark = pytest.mark.django_db


def _bulk_initiatives(count: int, area) -> list[Initiative]:
    """`count` initiatives, every other one with a confirmed intake that asks for support."""
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            name=f"Initiatief {i:04d}",
            slug=f"initiatief-{i:04d}",
            summary="Samen sterker.",
            area=area,
            initiator_type="bewoners",
            organisation_form="stichting",
            phase=Phase.START_UP if i % 3 else Phase.MATURING,
        )
        for i in range(count)
    )
    questionnaire = version_1()
    intakes = Intake.objects.bulk_create(
        Intake(
            initiative=initiative,
            questionnaire=questionnaire,
            date=date(2025, 1, 1),
            status=Intake.Status.CONFIRMED,
            confirmed_at="2025-01-01T12:00:00+00:00",
            composite="7.5",
        )
        for initiative in initiatives[::2]
    )
    question = questionnaire.questions.get(number=16)
    answers = Answer.objects.bulk_create(Answer(intake=i, question=question) for i in intakes)
    needs = list(question.options.filter(code__in=["startsubsidie", "netwerken"]))
    Answer.options.through.objects.bulk_create(
        Answer.options.through(answer=answer, option=option)
        for answer in answers
        for option in needs
    )
    return initiatives


class TestOverview:
    @pytest.mark.parametrize("count", [10, 1000])
    def test_runs_a_constant_number_of_queries(
        self, client, civil_servant, area, count, django_assert_max_num_queries
    ):
        _bulk_initiatives(count, area)
        client.force_login(civil_servant)
        # 11: one of them loads the staff member's second-factor device (django-otp); plus 2
        # for the to-do count in a civil servant's menu (cached a minute).
        with django_assert_max_num_queries(11 + 2) as captured:
            response = client.get(reverse("intake:overview"))
        assert response.status_code == 200
        assert response.context["page"].paginator.count == count
        print(f"overview with {count} initiatives: {len(captured)} queries")  # noqa: T201
        with django_assert_max_num_queries(11):
            filtered = client.get(
                reverse("intake:overview"),
                {"support_need": "startsubsidie", "phase": Phase.START_UP, "area": area.pk},
            )
        assert filtered.status_code == 200

    def test_shows_latest_composite_phase_and_support_needs(self, client, civil_servant):
        initiative = InitiativeFactory(name="Buurtkeuken", phase=Phase.MATURING)
        confirmed_intake(initiative=initiative, values={7: 4}, on=date(2024, 1, 1))
        confirmed_intake(
            initiative=initiative,
            values={7: 8, 9: 7},
            needs=("startsubsidie", "rugdekking", "scholing"),
            on=date(2025, 1, 1),
        )
        client.force_login(civil_servant)
        response = client.get(reverse("intake:overview"))
        html = response.content.decode()
        (row,) = response.context["rows"]
        assert row[0].latest_composite == Decimal("7.5")
        assert row[1].labels == ["Startsubsidie", "Scholing", "Steun, rugdekking"]
        assert "Buurtkeuken" in html and "7,5" in html
        # A label may hold a comma ("Steun, rugdekking"): the needs are separated by semicolons,
        # as on the intake's own page, so they do not read as four.
        assert "Startsubsidie; Scholing; Steun, rugdekking" in html

    def test_filters_by_support_need_phase_and_area(self, client, civil_servant):
        east = AreaFactory(name="Oost", slug="oost")
        needing = InitiativeFactory(name="Met startsubsidie", area=east)
        confirmed_intake(initiative=needing, needs=("startsubsidie",))
        other = InitiativeFactory(name="Zonder", phase=Phase.IDEA)
        confirmed_intake(initiative=other, needs=("scholing",))
        # an older intake that asked for Startsubsidie no longer counts
        changed = InitiativeFactory(name="Veranderd")
        confirmed_intake(initiative=changed, needs=("startsubsidie",), on=date(2024, 1, 1))
        confirmed_intake(initiative=changed, needs=("kennis",), on=date(2025, 1, 1))
        client.force_login(civil_servant)

        def names(**params):
            response = client.get(reverse("intake:overview"), params)
            return [initiative.name for initiative, _needs in response.context["rows"]]

        assert names(support_need="startsubsidie") == ["Met startsubsidie"]
        assert names(phase=Phase.IDEA) == ["Zonder"]
        assert names(area=east.pk) == ["Met startsubsidie"]
        assert names() == ["Met startsubsidie", "Veranderd", "Zonder"]
        assert names(area="999999") == ["Met startsubsidie", "Veranderd", "Zonder"]

    def test_the_support_need_filter_offers_the_dutch_options(self, client, civil_servant):
        client.force_login(civil_servant)
        html = client.get(reverse("intake:overview")).content.decode()
        assert '<option value="startsubsidie">Startsubsidie</option>' in html


class TestIntakePages:
    def test_the_fill_form_has_a_fieldset_and_legend_per_question(self, client, civil_servant):
        intake = IntakeFactory()
        client.force_login(civil_servant)
        response = client.get(reverse("intake:fill", args=[intake.pk]))
        html = response.content.decode()
        assert html.count("<fieldset") == 24
        assert 'hx-post="' in html and 'hx-trigger="change"' in html
        assert "1 = Louter altruïsme, 10 = Louter geld verdienen" in html
        # scale questions are radio groups 1..10
        assert html.count('name="q7"') == 11  # ten scores and "no answer"

    def test_the_start_page_opens_an_intake_in_conversation(self, client, civil_servant):
        initiative = InitiativeFactory()
        client.force_login(civil_servant)
        assert client.get(reverse("intake:start", args=[initiative.slug])).status_code == 200
        response = client.post(
            reverse("intake:start", args=[initiative.slug]), {"method": Intake.Method.CONVERSATION}
        )
        intake = Intake.objects.get()
        assert response.url == reverse("intake:fill", args=[intake.pk])
        assert intake.method == Intake.Method.CONVERSATION

    def test_the_intake_page_shows_radar_and_difference_table(self, client, civil_servant):
        initiative = InitiativeFactory()
        confirmed_intake(initiative=initiative, values={7: 5, 9: 5}, on=date(2024, 3, 1))
        current = confirmed_intake(initiative=initiative, values={7: 8, 9: 6}, on=date(2025, 3, 1))
        client.force_login(civil_servant)
        response = client.get(reverse("intake:detail", args=[current.pk]))
        html = response.content.decode()
        assert len(svg_root(html).findall(f".//{SVG}g[@data-series]")) == 3
        rows = {q.number: row for q, row in response.context["profile"].rows}
        assert (rows[7].current, rows[7].previous, rows[7].change) == (8, 5, 3)
        assert "+3" in html
        assert "Is de initiatiefnemer gecommitteerd" in html

    def test_the_intake_page_runs_a_constant_number_of_queries(
        self, client, civil_servant, django_assert_max_num_queries
    ):
        current = confirmed_intake(values={7: 8, 9: 6})
        client.force_login(civil_servant)
        with django_assert_max_num_queries(16 + 2) as few:  # + the menu's to-do count
            client.get(reverse("intake:detail", args=[current.pk]))
        for _ in range(20):
            confirmed_intake(values={7: 5, 9: 5, 13: 7})
        with django_assert_max_num_queries(len(few)):
            client.get(reverse("intake:detail", args=[current.pk]))

    def test_publishing_makes_the_profile_public(self, client, civil_servant):
        intake = confirmed_intake(values={7: 8, 9: 6})
        profile_url = reverse("intake:profile", args=[intake.pk])
        assert client.get(profile_url).status_code == 404
        client.force_login(civil_servant)
        client.post(reverse("intake:publish", args=[intake.pk]))
        client.logout()
        response = client.get(profile_url)
        assert response.status_code == 200
        assert "<svg" in response.content.decode()
        client.force_login(civil_servant)
        client.post(reverse("intake:unpublish", args=[intake.pk]))
        client.logout()
        assert client.get(profile_url).status_code == 404

    def test_the_public_profile_shows_no_personal_or_open_answers(self, client, civil_servant):
        intake = confirmed_intake(values={7: 8}, actor=civil_servant, published=True)
        html = client.get(reverse("intake:profile", args=[intake.pk])).content.decode()
        assert "ambtenaar" not in html


class TestPublishedProfileTag:
    def _render(self, initiative):
        return Template("{% load intake_tags %}{% published_profile initiative %}").render(
            Context({"initiative": initiative})
        )

    def test_renders_the_latest_published_profile(self, django_assert_max_num_queries):
        initiative = InitiativeFactory()
        confirmed_intake(initiative=initiative, values={7: 3}, on=date(2024, 1, 1), published=True)
        newest = confirmed_intake(
            initiative=initiative, values={7: 9}, on=date(2025, 1, 1), published=True
        )
        confirmed_intake(initiative=initiative, values={7: 1}, on=date(2026, 1, 1))  # unpublished
        with django_assert_max_num_queries(3):
            html = self._render(initiative)
        assert reverse("intake:profile", args=[newest.pk]) in html
        root = svg_root(html)
        assert root.get("role") == "img"

    def test_renders_nothing_without_a_published_profile(self):
        initiative = InitiativeFactory()
        confirmed_intake(initiative=initiative)
        assert self._render(initiative).strip() == ""


def test_the_initiative_page_shows_the_published_profile_through_intake_s_panel(client):
    initiative = InitiativeFactory()
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "published-profile" not in page  # nothing published: no panel
    newest = confirmed_intake(initiative=initiative, values={7: 9}, published=True)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "published-profile" in page and reverse("intake:profile", args=[newest.pk]) in page
    assert svg_root(page[page.index("<svg") : page.index("</svg>") + 6]).get("role") == "img"


def test_option_labels_are_stored_in_both_languages():
    assert Option.objects.filter(label_en="").count() == 0
