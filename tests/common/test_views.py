"""The shared page plumbing: service refusals on forms, the form-view base, paging links."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.db import connection
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from common.paging import Rows
from common.views import ServiceFormView, errors_to_form, paginate


class NameForm(forms.Form):
    name = forms.CharField()


def _bound(name="Buurtkeuken"):
    form = NameForm({"name": name})
    assert form.is_valid()
    return form


def test_a_refusal_by_field_goes_to_that_field_and_other_fields_to_the_top():
    form = _bound()
    errors_to_form(form, ValidationError({"name": "Bezet.", "budget": "Te hoog."}))
    assert form.errors["name"] == ["Bezet."]
    assert form.non_field_errors() == ["Te hoog."]


def test_a_refusal_without_field_goes_to_the_top_or_to_the_field_asked_for():
    form = _bound()
    errors_to_form(form, ValidationError(["Eén.", "Twee."]))
    assert form.non_field_errors() == ["Eén.", "Twee."]
    form = _bound()
    errors_to_form(form, ValidationError("Onbekende code."), field="name")
    assert form.errors["name"] == ["Onbekende code."]


class Anyone(AnonymousUser):
    def has_perms(self, perm_list, obj=None):
        return True


def _request(method="get", data=None):
    factory = RequestFactory()
    request = getattr(factory, method)("/ergens/", data or {})
    request.user = Anyone()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


class NameView(ServiceFormView):
    permission_required = ()
    form_class = NameForm
    template_name = "sroi/form.html"
    success_message = "Opgeslagen."
    written: list = []

    def perform(self, form):
        if form.cleaned_data["name"] == "fout":
            raise ValidationError({"name": "Deze naam kan niet."})
        self.written.append(form.cleaned_data["name"])
        return "/klaar/"


@pytest.mark.django_db
def test_the_form_view_calls_the_service_and_redirects_with_its_message():
    NameView.written = []
    request = _request("post", {"name": "Moestuin"})
    response = NameView.as_view()(request)
    assert (response.status_code, response.url) == (302, "/klaar/")
    assert NameView.written == ["Moestuin"]
    assert [str(m) for m in get_messages(request)] == ["Opgeslagen."]


@pytest.mark.django_db
def test_the_form_view_shows_a_refusal_on_the_form_and_writes_nothing():
    NameView.written = []
    response = NameView.as_view(invalid_status=400)(_request("post", {"name": "fout"}))
    assert response.status_code == 400
    assert "Deze naam kan niet." in response.content.decode()
    assert NameView.written == []


class ButtonView(ServiceFormView):
    permission_required = ()

    def perform(self, form):
        raise ValidationError("Dit kan nu niet.")

    def get_success_url(self):
        return "/terug/"


@pytest.mark.django_db
def test_a_button_without_form_shows_a_refusal_as_a_message_and_has_no_get():
    request = _request("post")
    response = ButtonView.as_view()(request)
    assert (response.status_code, response.url) == (302, "/terug/")
    assert [str(m) for m in get_messages(request)] == ["Dit kan nu niet."]
    assert ButtonView.as_view()(_request()).status_code == 405


def test_paging_links_keep_every_value_of_the_query_string():
    # A filter with several values (two areas of life) stays whole on the next page.
    request = RequestFactory().get(
        "/initiatieven/", {"q": "koken", "leefgebied": ["1", "2"], "page": "1"}
    )
    page = paginate(request, list(range(60)), 25)
    html = (
        engines["django"]
        .from_string('{% include "partials/pagination.html" %}')
        .render({"page": page}, request=request)
    )
    assert "q=koken&amp;leefgebied=1&amp;leefgebied=2&amp;page=2" in html


def test_paging_past_the_end_shows_the_last_page():
    request = RequestFactory().get("/", {"page": "99"})
    assert paginate(request, list(range(60)), 25).number == 3


def test_two_lists_on_one_page_each_keep_the_other_lists_page():
    # A body's page pages its seats (?zetels=) and its history (?geschiedenis=) apart.
    request = RequestFactory().get("/organen/1/", {"zetels": "2", "geschiedenis": "1"})
    seats = paginate(request, list(range(60)), 25, param="zetels")
    history = paginate(request, list(range(60)), 25, param="geschiedenis")
    assert seats.number == 2 and history.number == 1
    template = engines["django"].from_string(
        '{% include "partials/pagination.html" with page=history label="History" anchor="h" %}'
    )
    html = template.render({"history": history}, request=request)
    assert 'href="?zetels=2&amp;geschiedenis=2#h"' in html
    assert 'aria-label="History"' in html
    assert 'rel="prev"' not in html


@pytest.mark.django_db
def test_rows_read_only_the_page_and_use_a_known_count():
    request = RequestFactory().get("/", {"page": "2"})
    with CaptureQueriesContext(connection) as queries:
        page = paginate(
            request,
            Rows(Group.objects.order_by("pk"), convert=lambda rows: [len(rows)], count=60),
            25,
        )
        assert list(page.object_list) == [0]  # no groups: the page's (empty) rows, converted
    assert page.paginator.num_pages == 3
    assert len(queries) == 1  # the page's rows; no COUNT
