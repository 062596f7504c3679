"""Administrators publish a new questionnaire version in /beheer/ without code."""

import pytest

from intake.models import Question, Questionnaire

from .factories import IntakeFactory, version_1

pytestmark = pytest.mark.django_db

CHANGELIST = "/beheer/intake/questionnaire/"


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def _action(admin_client, action, *questionnaires):
    return admin_client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [q.pk for q in questionnaires]},
        follow=True,
    )


def test_copy_as_draft_then_edit_then_publish(admin_client):
    # copy
    response = _action(admin_client, "copy_as_draft", version_1())
    assert response.status_code == 200
    draft = Questionnaire.objects.get(version=2)
    assert not draft.is_published and draft.questions.count() == 24
    # edit a question of the draft in the admin
    question = draft.questions.get(number=7)
    page = admin_client.get(f"/beheer/intake/question/{question.pk}/change/")
    assert page.status_code == 200 and 'name="text_nl"' in page.content.decode()
    data = {
        "questionnaire": draft.pk,
        "number": 7,
        "key": "commitment",
        "kind": "scale",
        "text_nl": "Is de initiatiefnemer gecommitteerd?",
        "text_en": "Is the initiator committed?",
        "short_label_nl": "Gecommitteerd",
        "short_label_en": "Commitment",
        "pole_low_nl": "Nee",
        "pole_low_en": "No",
        "pole_high_nl": "Ja",
        "pole_high_en": "Yes",
        "counts_toward_composite": "on",
        "weight": "2",
        "options-TOTAL_FORMS": "0",
        "options-INITIAL_FORMS": "0",
    }
    response = admin_client.post(f"/beheer/intake/question/{question.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    question.refresh_from_db()
    assert question.text_nl == "Is de initiatiefnemer gecommitteerd?" and question.weight == 2
    # publish
    _action(admin_client, "publish", draft)
    assert Questionnaire.objects.get(version=2).is_published
    # version 1 is untouched
    assert version_1().questions.get(number=7).text_nl.startswith("Is de initiatiefnemer gecomm")
    assert version_1().questions.get(number=7).weight == 1


def test_a_version_with_intakes_is_read_only(admin_client):
    IntakeFactory()
    questionnaire = version_1()
    page = admin_client.get(f"{CHANGELIST}{questionnaire.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    response = admin_client.post(
        f"{CHANGELIST}{questionnaire.pk}/change/",
        {"version": "1", "title": "Gewijzigd", "notes": ""},
    )
    assert response.status_code == 403
    assert version_1().title == "Intakelijst burgerinitiatieven"
    question = questionnaire.questions.get(number=16)
    page = admin_client.get(f"/beheer/intake/question/{question.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    response = admin_client.post(
        f"/beheer/intake/question/{question.pk}/change/", {"text_nl": "Anders"}
    )
    assert response.status_code == 403
    assert Question.objects.get(pk=question.pk).text_nl == "Ondersteuningsbehoefte initiatief?"


def test_publishing_an_already_published_version_reports_an_error(admin_client):
    response = _action(admin_client, "publish", version_1())
    messages = [str(m) for m in response.context["messages"]]
    assert any("1" in m for m in messages)
    assert Questionnaire.objects.count() == 1


def test_a_civil_servant_cannot_change_questionnaires(client, civil_servant):
    civil_servant.is_staff = True
    civil_servant.save()
    client.force_login(civil_servant)
    assert client.get(CHANGELIST).status_code == 200  # may look
    _action(client, "copy_as_draft", version_1())
    assert Questionnaire.objects.count() == 1


def test_intakes_can_be_looked_at_with_their_history(admin_client):
    intake = IntakeFactory()
    assert admin_client.get(f"/beheer/intake/intake/{intake.pk}/change/").status_code == 200
    assert admin_client.get(f"/beheer/intake/intake/{intake.pk}/history/").status_code == 200
