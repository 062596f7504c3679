"""The NL Design System front end: no Bootstrap left, vendored components with their licence, a
theme chosen in settings, the crispy template pack, and the accessibility statement."""

import importlib.util
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.utils import timezone

from tests.accounts.factories import UserFactory, verified_in_person
from tests.governance.factories import board
from tests.roles import ROLES

ROOT = Path(settings.BASE_DIR)
TEMPLATES = ROOT / "templates"


def _converter():
    spec = importlib.util.spec_from_file_location("nlds_convert", ROOT / "scripts/nlds_convert.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_template_uses_a_bootstrap_class():
    convert = _converter()
    left = {}
    for path in convert.files([str(TEMPLATES)]):
        words = convert.leftovers(path.read_text())
        if words:
            left[str(path.relative_to(ROOT))] = sorted(set(words))
    assert left == {}, f"Bootstrap classes left (python scripts/nlds_convert.py FILE): {left}"


def test_no_template_uses_bootstraps_javascript_attributes():
    users = [p for p in TEMPLATES.rglob("*.html") if "data-bs-" in p.read_text()]
    assert users == []


def test_the_converter_maps_bootstrap_to_nlds_by_element():
    convert = _converter()
    html = convert.convert(
        '<a class="btn btn-primary" href="/x">x</a><button class="btn btn-outline-danger">y'
        '</button><div class="alert alert-danger">z</div><td class="text-end">1</td>'
        '<dl class="row"><dt class="col-sm-4">a</dt></dl>'
    )
    assert 'class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--pri' in html
    assert "utrecht-button utrecht-button--secondary-action utrecht-button--danger" in html
    assert 'class="utrecht-alert utrecht-alert--error"' in html
    assert 'class="utrecht-table__cell utrecht-table__cell--numeric-data"' in html
    assert '<dl class="bk-data-list"><dt>' in html
    assert convert.leftovers(html) == []


def test_no_bootstrap_file_is_served(client):
    assert finders.find("vendor/bootstrap/bootstrap.min.css") is None
    assert finders.find("vendor/bootstrap/bootstrap.bundle.min.js") is None
    assert not [p for p in (ROOT / "static").rglob("*") if "bootstrap" in p.name.lower()]
    assert "crispy_bootstrap5" not in settings.INSTALLED_APPS
    requirements = (ROOT / "requirements.txt").read_text()
    assert "crispy-bootstrap5" not in requirements


def test_the_vendored_nlds_css_records_its_version_and_licence():
    version = (ROOT / "static/vendor/utrecht/VERSION").read_text()
    assert re.search(r"@utrecht/component-library-css \d+\.\d+\.\d+", version)
    assert "EUPL-1.2" in version
    assert (
        "EUROPEAN UNION PUBLIC LICENCE" in (ROOT / "static/vendor/utrecht/LICENSE.md").read_text()
    )
    css = (ROOT / "static/vendor/utrecht/component-library.css").read_text()
    assert ".utrecht-button" in css and ".utrecht-form-field" in css
    # No CDN: the stylesheet fetches nothing from another host (icons are data: URIs).
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)
    assert "@import" not in css


def test_the_neutral_theme_sets_the_tokens_the_components_read():
    neutral = (ROOT / "static/themes/neutral.css").read_text()
    for token in (
        "--utrecht-document-font-family",
        "--utrecht-button-primary-action-background-color",
        "--utrecht-focus-outline-color",
        "--utrecht-form-control-border-color",
    ):
        assert f"{token}:" in neutral
    # Our own stylesheet names no colour of its own: colours come from the theme's tokens.
    own = (ROOT / "static/css/burgerkracht.css").read_text()
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b", own)


@pytest.mark.django_db
def test_the_neutral_theme_loads_no_extra_file(client):
    html = client.get("/").content.decode()
    assert "/static/themes/neutral.css" in html
    assert 'data-testid="theme"' not in html


@pytest.mark.django_db
def test_a_municipality_theme_is_one_file_chosen_in_settings(client, settings):
    settings.NLDS_THEME = "gemeente-voorbeeld"
    html = client.get("/").content.decode()
    neutral = html.index("/static/themes/neutral.css")
    theme = html.index("/static/themes/gemeente-voorbeeld.css")
    own = html.index("/static/css/burgerkracht.css")
    assert neutral < theme < own  # the theme overrides the neutral tokens
    assert finders.find("themes/gemeente-voorbeeld.css")


class _ExampleForm(forms.Form):
    name = forms.CharField(label="Naam", help_text="Zoals in het register.")
    agree = forms.BooleanField(label="Ik ga akkoord")
    kind = forms.ChoiceField(
        label="Soort", choices=[("a", "Eerste"), ("b", "Tweede")], widget=forms.RadioSelect
    )
    area = forms.ChoiceField(label="Gebied", choices=[("1", "Noord")], required=False)


def _render(form) -> str:
    return Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form}))


def test_the_form_pack_renders_nlds_fields_with_label_and_description():
    html = _render(_ExampleForm())
    assert settings.CRISPY_TEMPLATE_PACK == "nlds"
    assert '<label class="utrecht-form-label" for="id_name">Naam' in html
    assert 'id="id_name_helptext"' in html and "utrecht-form-field-description" in html
    assert re.search(r'<input[^>]*aria-describedby="id_name_helptext"', html)
    assert re.search(r'<input[^>]*class="utrecht-textbox utrecht-textbox--html-input', html)
    assert re.search(r'<select[^>]*class="utrecht-select utrecht-select--html-select', html)
    assert "utrecht-checkbox" in html and 'for="id_agree"' in html
    assert "form-control" not in html and "form-check" not in html


def test_radios_are_a_fieldset_with_a_legend():
    html = _render(_ExampleForm())
    fieldset = re.search(r'<fieldset id="div_id_kind".*?</fieldset>', html, re.S).group(0)
    assert "<legend" in fieldset and "Soort" in fieldset
    assert fieldset.count('type="radio"') == 2
    assert 'class="utrecht-radio-button utrecht-radio-button--html-input' in fieldset
    assert 'for="id_kind_0"' in fieldset and 'for="id_kind_1"' in fieldset


def test_an_error_is_tied_to_its_field_for_screen_readers():
    form = _ExampleForm(data={"name": "", "kind": ""})
    assert not form.is_valid()
    html = _render(form)
    error = re.search(
        r'<div class="utrecht-form-field-error-message[^"]*" id="id_name_error">', html
    )
    assert error, html
    field = re.search(r"<input[^>]*id=\"id_name\"[^>]*>", html).group(0)
    assert 'aria-describedby="id_name_helptext id_name_error"' in field
    assert 'aria-invalid="true"' in field and "utrecht-textbox--invalid" in field
    assert re.search(r'<fieldset id="div_id_kind"[^>]*aria-describedby="id_kind_error"', html)
    assert 'id="id_kind_error"' in html


def _officer():
    from governance import officing
    from governance.models import OfficerShift

    civil_servant = UserFactory(username="ambtenaar-a11y", roles=["civil_servant"])
    location = officing.create_location(
        name="Buurthuis", address="Plein 1", opening_hours="ma-vr", actor=civil_servant
    )
    person = UserFactory(username="officier-a11y")
    now = timezone.now()
    officing.add_shift(
        officer=verified_in_person(person),
        location=location,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
        task=OfficerShift.Task.CHECK_IN,
        appointed_by="Besluit bestuur",
        actor=None,
    )
    return person


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_accessibility_statement_is_public_for_every_role(client, user_for_role, role):
    if role == "officer":
        user = _officer()
    elif role == "trustee":
        _body, voters = board(community=1, institution=0)
        user = voters["community"][0]
    else:
        user = user_for_role(role)
    if user is not None:
        client.force_login(user)
    response = client.get("/toegankelijkheid/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Toegankelijkheidsverklaring" in html
    assert 'data-testid="footer-accessibility"' in html
    # the heading may break on a phone at its soft hyphen; the title and the footer keep the word
    assert '<h1 class="utrecht-heading-1">Toegankelijkheids\u00adverklaring</h1>' in html
    assert "<title>Toegankelijkheidsverklaring" in html


@pytest.mark.django_db
def test_the_statement_follows_the_dutch_model(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "a11y@gemeente.example"
    html = client.get("/toegankelijkheid/").content.decode()
    assert "C: eerste maatregelen genomen" in html  # the status, honestly
    assert "WCAG 2.1" in html and "Tijdelijk besluit digitale toegankelijkheid overheid" in html
    assert 'data-testid="known-issues"' in html and "pdf" in html.lower()
    assert 'href="mailto:a11y@gemeente.example"' in html
    assert "5 werkdagen" in html and "Nationale ombudsman" in html
    assert 'datetime="2026-11-30"' in html


@pytest.mark.django_db
def test_the_statement_in_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/toegankelijkheid/").content.decode()
    assert "Accessibility statement" in html and "C: first measures taken" in html
    assert "What is not yet accessible" in html


@pytest.mark.django_db
def test_the_footer_links_the_statement_on_every_page(client):
    for path in ("/", "/initiatieven/", "/accounts/inloggen/", "/open-data/"):
        html = client.get(path).content.decode()
        assert 'href="/toegankelijkheid/"' in html, path


@pytest.mark.django_db
def test_the_statement_refuses_a_post(client):
    assert client.post("/toegankelijkheid/").status_code in (403, 405)


# A table's opening, right after what makes it scroll on its own: our tag, or a region written out
# with its name.
_SCROLLS = re.compile(
    r"(\{% table_container[^%]*%\}"
    r'|<div (?=[^>]*\btabindex="0")(?=[^>]*\brole="region")(?=[^>]*\baria-label(ledby)?="[^"]+")'
    r"[^>]*\bbk-table-scroll\b[^>]*>)"
    r"\s*$"
)


def test_every_table_on_a_screen_scrolls_on_its_own_in_a_named_region():
    """WCAG 1.4.10: a wide table on a 320 px phone scrolls inside the page, not the page itself,
    and a keyboard can reach it (tabindex) and hear what it is (its name). A table marked
    `fits-phone` wraps its few columns instead; paper (print/) does not scroll."""
    loose = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        if "print" in path.relative_to(TEMPLATES).parts:
            continue
        text = path.read_text()
        for table in re.finditer(r"<table\b[^>]*>", text):
            if "fits-phone" in table.group(0):
                continue
            before = text[: table.start()]
            if not _SCROLLS.search(before[before.rfind("</table>") + 1 :]):
                loose.append(
                    f"{path.relative_to(TEMPLATES)}:{text.count(chr(10), 0, table.start()) + 1}"
                )
    assert loose == []


CHART = '<svg viewBox="0 0 720 320"><title id="c-t">Saldo &amp; verloop</title></svg>'


def test_a_chart_on_a_screen_keeps_its_size_in_a_region_named_after_its_title():
    """On a phone a chart is not shrunk (its text would be 4 or 5 px): it scrolls in a region
    the keyboard can reach, named "Chart:" and the chart's title (so not like the table of its
    numbers); on paper it is left as it is."""
    template = Template("{% load nlds %}{% chart_container %}" + CHART + "{% endchart_container %}")
    assert template.render(Context({})) == (
        '<p class="bk-chart-hint" aria-hidden="true">Schuif opzij om de hele grafiek te zien.</p>'
        '<div class="bk-chart-scroll" tabindex="0" role="region"'
        ' aria-label="Grafiek: Saldo &amp; verloop">' + CHART + "</div>"
    )
    assert template.render(Context({"print": True})) == CHART


def test_the_line_that_says_a_chart_scrolls_shows_only_on_a_narrow_screen():
    # On a phone the report's bar charts looked as if every amount was the same, their ends
    # off the screen, and nothing said the chart scrolls (review 2026-12-06, finding 7).
    css = (Path(settings.BASE_DIR) / "static/css/burgerkracht.css").read_text(encoding="utf-8")
    assert re.search(r"\.bk-chart-hint \{\n  display: none;", css)
    narrow = re.search(
        r"@media \(max-width: 60em\) \{\n  \.bk-chart-hint \{\n    display: block;", css
    )
    assert narrow


def test_an_empty_chart_gets_no_region():
    template = Template("{% load nlds %}{% chart_container %} {% endchart_container %}")
    assert template.render(Context({})) == " "


def test_the_style_keeps_every_chart_at_its_own_width():
    """The minimum widths in the style sheet are the charts' own widths: a chart made wider or
    narrower would be shrunk again, or scroll for nothing."""
    from reports import charts as report_charts
    from sroi import charts as fund_charts

    css = (ROOT / "static/css/burgerkracht.css").read_text()
    bars = str(report_charts.bar_chart([], title="t", description="d"))
    widths = {
        fund_charts.WIDTH,
        int(re.search(r'viewBox="0 0 (\d+) ', bars).group(1)),
        int(
            re.search(r"width, scale_height = (\d+),", Path(report_charts.__file__).read_text())[1]
        ),
    }
    for width in widths:
        assert (
            f'.bk-chart-scroll > svg[viewBox^="0 0 {width} "] {{\n  min-inline-size: {width}px;'
            in css
        ), width


def test_every_chart_on_a_screen_is_in_a_chart_container():
    """The charts of the fund and report pages are drawn in `{% chart_container %}`."""
    loose = []
    for path in ("sroi/partials/balance_chart.html", "reports/partials/body.html"):
        text = (TEMPLATES / path).read_text()
        for chart in re.finditer(
            r"\{% balance_chart [^%]*%\}|\{\{ [\w.]*(chart|sankey) \}\}", text
        ):
            if not text[: chart.start()].endswith("{% chart_container %}"):
                loose.append(f"{path}: {chart.group(0)}")
    assert loose == []


def test_our_stylesheets_close_every_brace_they_open():
    # A stray "}" ends nothing in CSS: the browser drops the rule after it (.pct-0 was lost so).
    for path in sorted((Path(settings.BASE_DIR) / "static" / "css").glob("*.css")):
        text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
        depth = 0
        for number, line in enumerate(text.splitlines(), start=1):
            depth += line.count("{") - line.count("}")
            assert depth >= 0, f"{path.name}: a brace closed that was never opened (line {number})"
        assert depth == 0, f"{path.name}: {depth} brace(s) never closed"
