"""Who may open which intake page and do which action: role × view × expected status."""

import pytest
from django.urls import reverse

from intake import services
from intake.models import Intake, IntakeLink, Questionnaire
from tests.roles import ACCOUNT_ROLES, STAFF, is_denied, login_as

from .factories import InitiativeFactory, IntakeFactory, confirmed_intake

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(db):
    initiative = InitiativeFactory(slug="buurtkracht")
    draft = IntakeFactory(initiative=initiative)
    confirmed = confirmed_intake(initiative=initiative, values={7: 8, 9: 6})
    return {"initiative": initiative, "draft": draft, "confirmed": confirmed}


GET_PAGES = [
    ("intake:overview", None),
    ("intake:start", "initiative"),
    ("intake:detail", "draft"),
    ("intake:detail", "confirmed"),
    ("intake:fill", "draft"),
]


def _url(name, target, objects):
    if target is None:
        return reverse(name)
    if target == "initiative":
        return reverse(name, args=[objects["initiative"].slug])
    return reverse(name, args=[objects[target].pk])


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
@pytest.mark.parametrize(("url_name", "target"), GET_PAGES)
def test_staff_pages(client, user_for_role, objects, role, url_name, target):
    response = login_as(client, user_for_role(role)).get(_url(url_name, target, objects))
    if role in STAFF:
        assert response.status_code == 200
    else:
        assert is_denied(role, response)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
@pytest.mark.parametrize(
    "url_name", ["intake:confirm", "intake:create_link", "intake:publish", "intake:unpublish"]
)
def test_actions_refuse_get(client, user_for_role, objects, role, url_name):
    target = "confirmed" if "publish" in url_name else "draft"
    response = login_as(client, user_for_role(role)).get(_url(url_name, target, objects))
    if role in STAFF:
        assert response.status_code == 405
    else:
        assert is_denied(role, response)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_start_intake_action(client, user_for_role, objects, role):
    before = Intake.objects.count()
    response = login_as(client, user_for_role(role)).post(
        _url("intake:start", "initiative", objects), {"method": Intake.Method.CONVERSATION}
    )
    if role in STAFF:
        assert response.status_code == 302
        assert Intake.objects.count() == before + 1
    else:
        assert is_denied(role, response)
        assert Intake.objects.count() == before


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_fill_action(client, user_for_role, objects, role):
    response = login_as(client, user_for_role(role)).post(
        _url("intake:fill", "draft", objects), {"q7": "4"}
    )
    saved = objects["draft"].answers.filter(question__number=7, scale_value=4).exists()
    assert saved == (role in STAFF)
    if role in STAFF:
        assert response.status_code == 302
    else:
        assert is_denied(role, response)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_create_link_action(client, user_for_role, objects, role):
    response = login_as(client, user_for_role(role)).post(
        _url("intake:create_link", "draft", objects)
    )
    assert IntakeLink.objects.exists() == (role in STAFF)
    if role in STAFF:
        assert response.status_code == 200
    else:
        assert is_denied(role, response)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_confirm_action(client, user_for_role, objects, role):
    services.save_answers(
        intake=objects["draft"], answers={7: services.AnswerInput(scale_value=5)}, actor=None
    )
    response = login_as(client, user_for_role(role)).post(_url("intake:confirm", "draft", objects))
    confirmed = Intake.objects.get(pk=objects["draft"].pk).is_confirmed
    assert confirmed == (role in STAFF)
    if role in STAFF:
        assert response.status_code == 302
    else:
        assert is_denied(role, response)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
@pytest.mark.parametrize(
    ("url_name", "before", "after"),
    [
        ("intake:publish", False, True),
        ("intake:unpublish", True, False),
    ],
)
def test_publish_actions(client, user_for_role, objects, role, url_name, before, after):
    intake = objects["confirmed"]
    services.set_profile_published(intake=intake, published=before, actor=None)
    response = login_as(client, user_for_role(role)).post(_url(url_name, "confirmed", objects))
    published = Intake.objects.get(pk=intake.pk).is_published
    assert published == (after if role in STAFF else before)
    if role in STAFF:
        assert response.status_code == 302
    else:
        assert is_denied(role, response)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_a_confirmed_intake_cannot_be_filled_in_or_confirmed_again(
    client, user_for_role, objects, role
):
    c = login_as(client, user_for_role(role))
    for response in (
        c.get(_url("intake:fill", "confirmed", objects)),
        c.post(_url("intake:fill", "confirmed", objects), {"q7": "1"}),
        c.post(_url("intake:confirm", "confirmed", objects)),
        c.post(_url("intake:create_link", "confirmed", objects)),
    ):
        assert response.status_code in (302, 403)
        if role in STAFF:
            assert response.status_code == 403
    assert objects["confirmed"].answers.get(question__number=7).scale_value == 8


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_a_published_profile_is_public_and_an_unpublished_one_does_not_exist(
    client, user_for_role, objects, role
):
    c = login_as(client, user_for_role(role))
    url = _url("intake:profile", "confirmed", objects)
    assert c.get(url).status_code == 404
    services.set_profile_published(intake=objects["confirmed"], published=True, actor=None)
    assert c.get(url).status_code == 200
    assert c.post(url).status_code == 405
    assert c.get(_url("intake:profile", "draft", objects)).status_code == 404


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_the_link_is_the_permission_whoever_holds_it(
    client, user_for_role, objects, civil_servant, role
):
    _intake, token = services.invite_initiator(
        initiative=objects["initiative"], actor=civil_servant
    )
    response = login_as(client, user_for_role(role)).get(reverse("intake:link", args=[token]))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_questionnaire_admin_is_for_administrators(client, user_for_role, role):
    c = login_as(client, user_for_role(role))
    response = c.get("/beheer/intake/questionnaire/")
    if role == "administrator":
        assert response.status_code == 200
    else:
        assert response.status_code == 302  # to the admin login
    c.post(
        "/beheer/intake/questionnaire/add/",
        {
            "version": "5",
            "title": "Nieuw",
            "notes": "",
            "questions-TOTAL_FORMS": "0",
            "questions-INITIAL_FORMS": "0",
        },
    )
    assert Questionnaire.objects.filter(version=5).exists() == (role == "administrator")


def test_roles_hold_the_model_permissions(civil_servant, administrator, community_member):
    assert civil_servant.has_perm("intake.change_intake")
    assert civil_servant.has_perm("intake.add_intakelink")
    assert not civil_servant.has_perm("intake.change_questionnaire")
    assert administrator.has_perm("intake.change_questionnaire")
    assert administrator.has_perm("intake.add_option")
    assert not community_member.has_perm("intake.view_intake")
    assert not community_member.has_perm("intake.see_overview")
