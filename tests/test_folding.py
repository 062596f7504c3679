"""common.folding: a fixed translation or URL in a template is worked out once per language (and
URL configuration, script prefix, application), and gives exactly Django's own text."""

from unittest import mock

import django.urls
from django.template import Context, Engine
from django.template.loader import get_template
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.test import RequestFactory, override_settings
from django.urls import reverse, set_script_prefix
from django.utils import translation

from common.folding import Folded, FoldedURL

LIBRARIES = {"i18n": "django.templatetags.i18n"}


def engines_for(source: str) -> tuple[Engine, Engine]:
    """An engine with our loader and one with Django's own, both with `source` as "t.html"."""
    locmem = ("django.template.loaders.locmem.Loader", {"t.html": source})
    ours = Engine(libraries=LIBRARIES, loaders=[("common.folding.Loader", [locmem])])
    return ours, Engine(libraries=LIBRARIES, loaders=[locmem])


class Site:
    """`source` as the site loads a template (through common.folding.Loader)."""

    def __init__(self, source: str) -> None:
        self.template = engines_for(source)[0].get_template("t.html")

    def render(self, context: dict, request=None) -> str:
        if request is not None:
            from django.template import RequestContext

            return self.template.render(RequestContext(request, context))
        return self.template.render(Context(context))


def site(source: str) -> Site:
    return Site(source)


def nodes(template):
    return [
        node
        for node in template.template.nodelist
        if type(node).__name__ not in ("TextNode", "LoadNode", "AutoEscapeControlNode")
    ]


def both(source: str, context: dict | None = None) -> tuple[str, str]:
    ours, django = (engine.get_template("t.html") for engine in engines_for(source))
    return ours.render(Context(context or {})), django.render(Context(context or {}))


def test_a_fixed_translation_is_kept_per_language_and_is_djangos_text():
    source = '{% load i18n %}{% translate "Proposals" %}|{% trans "Log out" %}'
    template = site(source)
    assert all(isinstance(node, Folded) for node in nodes(template))
    for language in ("nl", "en", "nl"):
        with translation.override(language):
            assert both(source)[0] == both(source)[1] == template.render({})
    with translation.override("nl"):
        assert template.render({}) == "Voorstellen|Uitloggen"
    with translation.override("en"):
        assert template.render({}) == "Proposals|Log out"


def test_escaping_is_djangos_with_autoescape_on_and_off():
    source = '{% load i18n %}{% translate "a < b & c" %}{% url "governance:list" %}'
    off = "{% load i18n %}{% autoescape off %}" + source[15:] + "{% endautoescape %}"
    with translation.override("nl"):
        for text in (source, off, source):
            mine, django = both(text)
            assert mine == django
            assert mine.startswith("a < b & c")  # a template's own literal is not escaped


def test_variables_filters_context_and_as_stay_djangos_nodes():
    template = site(
        "{% load i18n %}{% translate title %}{% translate 'Proposals'|upper %}"
        "{% translate 'May' context 'month name' %}{% translate 'Proposals' as label %}"
        "{% blocktranslate with n=count %}{{ n }} votes{% endblocktranslate %}"
        "{% blocktranslate count n=count %}one{% plural %}many{% endblocktranslate %}"
    )
    kinds = [type(node) for node in nodes(template)]
    assert Folded not in kinds
    assert kinds.count(TranslateNode) == 4 and kinds.count(BlockTranslateNode) == 2
    with translation.override("nl"):
        assert template.render({"title": "Proposals", "count": 2}).startswith(
            "VoorstellenVOORSTELLEN"
        )


def test_a_plain_blocktranslate_is_kept_and_one_with_a_variable_is_not():
    source = (
        "{% load i18n %}{% blocktranslate %}Proposals{% endblocktranslate %}"
        "{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}"
    )
    template = site(source)
    assert [type(node) for node in nodes(template)] == [Folded, BlockTranslateNode]
    with translation.override("nl"):
        assert both(source, {"name": "Eva"}) == ("VoorstellenHello Eva", "VoorstellenHello Eva")


def test_a_url_without_arguments_is_reversed_once_per_key():
    template = site("{% url 'governance:list' %}")
    assert [type(node) for node in nodes(template)] == [FoldedURL]
    with mock.patch.object(django.urls, "reverse", wraps=django.urls.reverse) as spy:
        first = template.render({})
        second = template.render({})
    assert first == second == reverse("governance:list")
    assert spy.call_count == 1


def test_a_url_follows_the_script_prefix_and_a_new_url_configuration():
    template = site("{% url 'governance:list' %}")
    plain = template.render({})
    set_script_prefix("/gemeente/")
    try:
        assert template.render({}) == "/gemeente" + plain
    finally:
        set_script_prefix("/")
    assert template.render({}) == plain
    with override_settings(ROOT_URLCONF="tests.urls_elsewhere"):
        assert template.render({}) == "/elders/voorstellen/"
    assert template.render({}) == plain


def test_a_url_follows_the_requests_application_namespace():
    template = site("{% url 'admin:index' %}")
    request = RequestFactory().get("/")
    assert template.render({}, request) == reverse("admin:index")
    request.current_app = "not-an-instance"
    assert template.render({}, request) == reverse("admin:index", current_app="not-an-instance")


def test_urls_with_arguments_or_as_are_djangos_nodes():
    template = site(
        "{% url 'governance:detail' 1 %}{% url 'governance:list' as there %}{{ there }}"
    )
    assert FoldedURL not in [type(node) for node in nodes(template)]
    assert template.render({}) == reverse("governance:detail", args=[1]) + reverse(
        "governance:list"
    )


def test_the_sites_templates_are_folded_also_inside_if_for_and_blocks():
    layout = get_template("partials/header.html")
    found = list(layout.template.nodelist.get_nodes_by_type(Folded))
    assert len(found) >= 10  # in the header: inside {% if %} and {% for %}
    assert any(isinstance(node, FoldedURL) for node in found)
    assert any(isinstance(node.node, TranslateNode) for node in found)


def test_an_unknown_url_name_still_fails_like_django():
    template = site("{% url 'no-such-page' %}")
    try:
        template.render({})
    except django.urls.NoReverseMatch:
        pass
    else:
        raise AssertionError("NoReverseMatch expected")


def test_nodes_inside_if_for_and_blocks_are_folded():
    template = site(
        "{% load i18n %}{% block body %}{% for i in items %}{% if i %}"
        "{% translate 'Proposals' %}{% elif i is None %}{% url 'governance:list' %}"
        "{% else %}{% translate 'Log out' %}{% endif %}{% endfor %}{% endblock %}"
    )
    found = template.template.nodelist.get_nodes_by_type(Folded)
    assert len(found) == 3
    with translation.override("nl"):
        assert template.render({"items": [1, None, 0]}) == (
            "Voorstellen" + reverse("governance:list") + "Uitloggen"
        )


def test_a_new_compiled_catalogue_under_runserver_forgets_the_kept_texts(tmp_path):
    from django.utils.autoreload import file_changed

    template = site("{% load i18n %}{% translate 'Proposals' %}")
    (node,) = template.template.nodelist.get_nodes_by_type(Folded)
    with (
        translation.override("nl"),
        mock.patch.object(node.node, "render", wraps=node.node.render) as django_render,
    ):
        template.render({})
        template.render({})
        assert django_render.call_count == 1
        file_changed.send(sender=None, file_path=tmp_path / "page.html")
        template.render({})
        assert django_render.call_count == 1  # a template file is the loader's business
        file_changed.send(sender=None, file_path=tmp_path / "django.mo")
        assert template.render({}) == "Voorstellen"
        assert django_render.call_count == 2
