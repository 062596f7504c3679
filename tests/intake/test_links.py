"""The initiator's single-use link: fill in without an account, drafts saved, submit once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from intake import selectors, services
from intake.models import Answer, Intake, IntakeLink, hash_token

from .factories import InitiativeFactory, IntakeFactory, option_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(civil_servant):
    intake, token = services.invite_initiator(initiative=InitiativeFactory(), actor=civil_servant)
    return intake, token, reverse("intake:link", args=[token])


def _form_data(intake, **extra):
    data = {"q7": "8", "q9": "6", "q2": str(option_ids(intake.questionnaire, 2, "3-10")[0])}
    data.update(extra)
    return data


class TestLinkCreation:
    def test_only_a_hash_of_the_token_is_stored(self, invitation):
        intake, token, _url = invitation
        link = IntakeLink.objects.get()
        assert link.token_hash == hash_token(token) and token not in str(vars(link))
        assert len(token) >= 40
        assert intake.method == Intake.Method.LINK

    def test_it_expires_after_14_days(self, invitation):
        link = IntakeLink.objects.get()
        assert link.expires_at - link.created_at == timedelta(days=14)

    def test_the_link_is_shown_once_and_not_cached(self, client, civil_servant, settings):
        settings.SITE_URL = "https://burgerkracht.example.nl/"
        initiative = InitiativeFactory()
        client.force_login(civil_servant)
        response = client.post(reverse("intake:start", args=[initiative.slug]), {"method": "link"})
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        html = response.content.decode()
        # on the public address, as e-mailed; not the address the civil servant works on
        assert "https://burgerkracht.example.nl/intake/link/" in html
        assert "testserver" not in html
        link = IntakeLink.objects.get()
        token = html.split("/intake/link/", 1)[1].split("/", 1)[0]
        assert hash_token(token) == link.token_hash

    def test_a_new_link_withdraws_the_open_one(self, invitation, client, civil_servant):
        intake, _token, url = invitation
        _link, new_token = services.create_initiator_link(intake=intake, actor=civil_servant)
        assert client.get(url).status_code == 410
        assert client.get(reverse("intake:link", args=[new_token])).status_code == 200


class TestFillingIn:
    def test_a_valid_link_shows_every_question_without_an_account(self, client, invitation):
        intake, _token, url = invitation
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count("<fieldset") == 24 and html.count("<legend") == 24
        for question in intake.questionnaire.questions.all():
            assert f"{question.number}. {question.text_nl}" in html.replace("&#x27;", "'")
        assert "Opstartfase, 0-2 jaar" in html and "1 mln.+" in html
        assert "noindex" in response["X-Robots-Tag"]

    def test_every_change_is_saved_as_a_draft_with_htmx(self, client, invitation):
        intake, _token, url = invitation
        response = client.post(url, _form_data(intake), HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert "<html" not in response.content.decode()  # just the status fragment
        assert selectors.scale_profile(intake) == {7: 8, 9: 6}
        # the next change replaces the draft; the link is still usable
        client.post(url, _form_data(intake, q7="9"), HTTP_HX_REQUEST="true")
        assert selectors.scale_profile(intake) == {7: 9, 9: 6}
        assert IntakeLink.objects.get().used_at is None
        assert Intake.objects.get(pk=intake.pk).status == Intake.Status.DRAFT

    def test_the_draft_button_works_without_javascript(self, client, invitation):
        intake, _token, url = invitation
        response = client.post(url, _form_data(intake, action="save"))
        assert response.status_code == 302 and response.url == url
        # coming back later with the same link shows the saved answers
        page = client.get(url).content.decode()
        assert 'value="8" checked' in page.replace("\n", "")
        assert Answer.objects.filter(intake=intake).count() == 3

    def test_submitting_uses_up_the_link(self, client, invitation):
        intake, _token, url = invitation
        response = client.post(url, _form_data(intake, action="submit"))
        assert response.status_code == 200
        intake.refresh_from_db()
        assert intake.status == Intake.Status.SUBMITTED and intake.submitted_at is not None
        assert IntakeLink.objects.get().used_at is not None
        assert selectors.scale_profile(intake) == {7: 8, 9: 6}

    def test_a_bad_score_is_shown_and_nothing_is_saved(self, client, invitation):
        intake, _token, url = invitation
        response = client.post(url, _form_data(intake, q7="12", action="submit"))
        assert response.status_code == 200
        assert response.context["form"].errors["q7"]
        assert not Answer.objects.exists()
        assert IntakeLink.objects.get().used_at is None


class TestUnusableLinks:
    def test_a_second_use_is_gone_and_changes_nothing(self, client, invitation):
        intake, _token, url = invitation
        client.post(url, _form_data(intake, action="submit"))
        for response in (
            client.get(url),
            client.post(url, _form_data(intake, q7="1", action="submit")),
            client.post(url, _form_data(intake, q7="1"), HTTP_HX_REQUEST="true"),
        ):
            assert response.status_code == 410
            assert response.context["reason"] == "used"
        assert selectors.scale_profile(intake) == {7: 8, 9: 6}

    def test_an_expired_link_is_gone_and_changes_nothing(self, client, invitation):
        intake, _token, url = invitation
        link = IntakeLink.objects.get()
        with freeze_time(link.expires_at - timedelta(seconds=1)):
            assert client.get(url).status_code == 200
        with freeze_time(link.expires_at + timedelta(seconds=1)):
            assert client.get(url).status_code == 410
            response = client.post(url, _form_data(intake, action="submit"))
        assert response.status_code == 410
        assert response.context["reason"] == "expired"
        assert not Answer.objects.exists()
        assert Intake.objects.get(pk=intake.pk).status == Intake.Status.DRAFT

    def test_an_unknown_link_is_not_found(self, client, invitation):
        intake, token, _url = invitation
        # A different first character: the same length and alphabet, never the real token.
        url = reverse("intake:link", args=[("y" if token[0] == "x" else "x") + token[1:]])
        assert client.get(url).status_code == 404
        response = client.post(url, _form_data(intake, action="submit"))
        assert response.status_code == 404
        assert response.context["reason"] == "unknown"
        assert not Answer.objects.exists()

    def test_a_link_of_a_confirmed_intake_is_gone(self, client, invitation, civil_servant):
        intake, _token, url = invitation
        client.post(url, _form_data(intake, action="save"))
        services.confirm_intake(intake=intake, actor=civil_servant)
        assert client.get(url).status_code == 410

    def test_the_service_refuses_an_expired_link(self, invitation):
        from django.core.exceptions import ValidationError

        intake, _token, _url = invitation
        link = IntakeLink.objects.get()
        with freeze_time(timezone.now() + timedelta(days=15)), pytest.raises(ValidationError):
            services.submit_by_link(link=link, answers={})
        assert IntakeLink.objects.get().used_at is None


class TestReview:
    def test_the_civil_servant_reviews_corrects_and_confirms(self, client, civil_servant):
        intake, token = services.invite_initiator(
            initiative=InitiativeFactory(), actor=civil_servant
        )
        client.post(reverse("intake:link", args=[token]), _form_data(intake, action="submit"))
        client.force_login(civil_servant)
        detail = client.get(reverse("intake:detail", args=[intake.pk]))
        assert detail.status_code == 200
        client.post(reverse("intake:fill", args=[intake.pk]), _form_data(intake, q9="8"))
        response = client.post(reverse("intake:confirm", args=[intake.pk]))
        assert response.status_code == 302
        intake = Intake.objects.get(pk=intake.pk)
        assert intake.is_confirmed and intake.confirmed_by == civil_servant
        assert str(intake.composite) == "8.0"

    def test_the_civil_servants_form_autosaves_too(self, client, civil_servant):
        intake = IntakeFactory()
        client.force_login(civil_servant)
        url = reverse("intake:fill", args=[intake.pk])
        response = client.post(url, {"q13": "7"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert selectors.scale_profile(intake) == {13: 7}
        response = client.post(url, {"q13": "", "q14": "5", "action": "done"})
        assert response.status_code == 302 and response.url == intake.get_absolute_url()
        assert selectors.scale_profile(intake) == {14: 5}
