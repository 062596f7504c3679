"""common/pages.py: the receipt after a vote is kept per kind of voter and proposal, with each
voter's own text put in. The page is Django's render of the same template (but for the CSRF
token's random mask), for every kind of voter; no voter's own text reaches another's page; a
kept page's template cannot show the visitor outside the frames' holes."""

import copy
import re

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.shortcuts import render
from django.template import TemplateSyntaxError
from django.test import RequestFactory, override_settings

from accounts import services as account_services
from accounts.models import Role
from common import pages
from governance.views import voting as voting_views
from tests.accounts.factories import UserFactory
from tests.governance.factories import poll, tracking_code

pytestmark = pytest.mark.django_db

MASKED_TOKEN = re.compile(r"\b[A-Za-z0-9]{64}\b")


@pytest.fixture(autouse=True)
def nothing_kept():
    pages.forget()
    yield
    pages.forget()


@pytest.fixture
def builds(monkeypatch):
    made = []
    real = pages._build

    def counted(*args):
        made.append(args[0].origin.template_name)
        return real(*args)

    monkeypatch.setattr(pages, "_build", counted)
    return made


@pytest.fixture
def compared(monkeypatch):
    """Every receipt rendered both ways for the same request: [(kept, Django's)]."""
    pairs = []
    real = voting_views.render_page

    def both(request, template_name, *, fixed, holes, status=200):
        kept = real(request, template_name, fixed=fixed, holes=holes, status=status)
        django = render(request, template_name, {**fixed, "hole": holes}, status=status)
        pairs.append((kept.content.decode(), django.content.decode()))
        return kept

    monkeypatch.setattr(voting_views, "render_page", both)
    return pairs


def voter(area, civil_servant, username, roles=()):
    user = UserFactory(username=username, roles=list(roles))
    account_services.verify_member(user=user, area=area, actor=civil_servant)
    return user


@pytest.mark.parametrize(
    ("roles", "language"),
    [
        ((), "nl"),
        ((), "en"),
        ((Role.YOUTH_COUNCIL,), "nl"),
        ((Role.ADVISORY_MEMBER,), "nl"),
        ((Role.YOUTH_COUNCIL, Role.ADVISORY_MEMBER), "en"),
    ],
)
def test_the_kept_receipt_is_django_s_render_for_every_kind_of_voter(
    client, area, civil_servant, compared, builds, roles, language
):
    voters = [voter(area, civil_servant, f"kiezer{i}", roles) for i in range(2)]
    proposal = poll(areas=[area], title="Een bankje <bij> de speeltuin & meer")
    for user in voters:
        client.force_login(user)
        client.cookies["django_language"] = language
        for choice in ("for", "against"):  # a first vote, and a changed one
            response = client.post(f"/voorstellen/{proposal.pk}/stemmen/", {"choice": choice})
            assert response.status_code == 200
    assert len(compared) == 4
    for kept, django in compared:
        assert MASKED_TOKEN.sub("TOKEN", kept) == MASKED_TOKEN.sub("TOKEN", django)
        assert "Een bankje &lt;bij&gt; de speeltuin &amp; meer" in kept
        assert f'lang="{language}"' in kept
    # one kind of voter on one proposal: built once, then filled in
    assert builds == ["governance/receipt.html"]


def test_each_kind_of_voter_gets_its_own_kept_page(client, area, civil_servant, compared, builds):
    member = voter(area, civil_servant, "lid1")
    youth = voter(area, civil_servant, "jong1", [Role.YOUTH_COUNCIL])
    proposal = poll(areas=[area])
    for user in (member, youth, member):
        client.force_login(user)
        client.post(f"/voorstellen/{proposal.pk}/stemmen/", {"choice": "for"})
    assert builds == ["governance/receipt.html"] * 2
    for kept, django in compared:
        assert MASKED_TOKEN.sub("TOKEN", kept) == MASKED_TOKEN.sub("TOKEN", django)
    assert compared[0][0] != compared[1][0]  # the youth council's menu differs


def test_no_voter_s_own_text_reaches_another(client, area, civil_servant, builds):
    first, second = voter(area, civil_servant, "eerste"), voter(area, civil_servant, "tweede")
    proposal = poll(areas=[area])
    url = f"/voorstellen/{proposal.pk}/stemmen/"
    seen = []
    for user in (first, second):
        client.force_login(user)
        response = client.post(url, {"choice": "for"})
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        html = response.content.decode()
        tokens = set(MASKED_TOKEN.findall(html))
        seen.append((user.username, tracking_code(response), nonce, tokens, html))
    assert builds == ["governance/receipt.html"]  # the second page is the first's, filled in
    (name1, code1, nonce1, tokens1, html1), (name2, code2, nonce2, tokens2, html2) = seen
    for name, code, nonce, tokens, html in seen:
        assert name in html and code in html and f'"inlineScriptNonce": "{nonce}"' in html
        assert tokens  # the header's forms and htmx carry the visitor's CSRF token
    assert code1 != code2 and nonce1 != nonce2 and not tokens1 & tokens2
    for text in (name1, code1, nonce1, *tokens1):
        assert text not in html2
    for text in (code2, nonce2, *tokens2):
        assert text not in html1


def a_request(user, path="/voorstellen/1/stemmen/"):
    request = RequestFactory().post(path)
    request.user = user
    request.session = SessionStore()
    request.csp_nonce = "eenNonce123"
    request._messages = FallbackStorage(request)
    return request


def with_templates(**texts):
    """The project's template settings with `texts` found first (a locmem loader)."""
    templates = copy.deepcopy(settings.TEMPLATES)
    folding_loader, inner = templates[0]["OPTIONS"]["loaders"][0]
    inner = [("django.template.loaders.locmem.Loader", texts), *inner]
    templates[0]["OPTIONS"]["loaders"][0] = (folding_loader, inner)
    return override_settings(TEMPLATES=templates)


SNOOPING = (
    '{% extends "base.html" %}{% block content %}'
    "[{{ user.username }}|{{ request.path }}|{{ user_roles }}|{{ hole.x }}]{% endblock %}"
)


def test_a_kept_page_cannot_show_the_visitor_outside_the_holes(area, civil_servant):
    member = voter(area, civil_servant, "nieuwsgierig")
    with with_templates(**{"snooping.html": SNOOPING}):
        kept = pages.render_page(a_request(member), "snooping.html", fixed={}, holes={"x": "<b>"})
        django = render(a_request(member), "snooping.html", {"hole": {"x": "<b>"}})
    assert "[|||&lt;b&gt;]" in kept.content.decode()
    assert "[nieuwsgierig|/voorstellen/1/stemmen/|" in django.content.decode()
    # the frames still show the visitor: the header's name is a hole
    assert "nieuwsgierig" in kept.content.decode()


def test_waiting_messages_get_django_s_render_and_are_shown_once(area, civil_servant, builds):
    member = voter(area, civil_servant, "bericht")
    request = a_request(member)
    messages.info(request, "Uw stem is bewaard.")
    with with_templates(**{"page.html": SNOOPING}):
        response = pages.render_page(request, "page.html", fixed={}, holes={"x": "1"})
    html = response.content.decode()
    assert "Uw stem is bewaard." in html and "[bericht|" in html
    assert builds == [] and not pages._kept
    assert request._messages.used  # shown: the middleware drops them after this response


@pytest.mark.parametrize(
    "text",
    [
        '{% extends "base.html" %}{% block content %}{{ hole.x|upper }}{% endblock %}',
        '{% extends "base.html" %}{% block content %}{% if hole.x %}1{% endif %}{% endblock %}',
        "{% extends layout %}{% block content %}{{ hole.x }}{% endblock %}",
        '{% extends "base.html" %}{% block content %}{% include part %}{% endblock %}',
    ],
)
def test_a_page_that_could_hide_a_hole_or_a_template_is_refused(area, civil_servant, text):
    member = voter(area, civil_servant, "lid2")
    with with_templates(**{"bad.html": text}), pytest.raises(TemplateSyntaxError):
        pages.render_page(a_request(member), "bad.html", fixed={"layout": "base.html"},
                          holes={"x": "1"})  # fmt: skip


def test_kept_pages_are_forgotten_when_the_templates_change(area, civil_servant):
    member = voter(area, civil_servant, "lid3")
    with with_templates(**{"page.html": SNOOPING}):
        pages.render_page(a_request(member), "page.html", fixed={}, holes={"x": "1"})
        assert pages._kept
    assert not pages._kept  # leaving override_settings(TEMPLATES) changed them back


@pytest.mark.parametrize("name", ["hole", "csrf_token", "request", "MUNICIPALITY_NAME"])
def test_a_fixed_value_may_not_take_a_name_the_page_gives_itself(area, civil_servant, name):
    member = voter(area, civil_servant, "lid4")
    with pytest.raises(ValueError, match="fixed values may not be named"):
        pages.render_page(a_request(member), "governance/receipt.html", fixed={name: "x"},
                          holes={"code": "1"})  # fmt: skip
