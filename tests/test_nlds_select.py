"""The NL Design System pack writes plain drop-downs itself (common.nlds._select) instead of
rendering Django's select templates: the HTML must be the same, byte for byte."""

import pytest
from django import forms
from django.utils.safestring import mark_safe

from common.nlds import _attrs, _plain_select, nlds_widget
from initiatives.filters import InitiativeFilter
from initiatives.selectors import initiatives_for_list

pytestmark = pytest.mark.django_db


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("a", "A & B"), ("<b>", mark_safe("<em>kept</em>"))])
    grouped = forms.ChoiceField(
        required=False,
        choices=[("", "---"), ("Noord", [("n1", "Noord 1"), ("n2", 'Noord "2"')]), ("z", "Zuid")],
        help_text="Kies een wijk.",
    )
    several = forms.MultipleChoiceField(choices=[(1, "een"), (2, "twee"), (3, "drie")])
    yes_no = forms.NullBooleanField()
    own_id = forms.ChoiceField(
        choices=[("x", "X")],
        widget=forms.Select(attrs={"id": "mijn-id", "class": "breed", "data-x": True}),
        disabled=True,
    )


def django_html(bound) -> str:
    return bound.as_widget(attrs=_attrs(bound, bound.field.widget))


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"plain": "<b>", "grouped": "n2", "several": ["1", "3"], "yes_no": "true"},
        {"plain": "nee", "grouped": "onbekend", "several": ["9"], "yes_no": "false"},  # errors
    ],
)
def test_every_kind_of_select_is_written_as_django_renders_it(data):
    form = Everything(data, auto_id="id_%s")
    if data:
        form.is_valid()
    for bound in form:
        assert _plain_select(bound.field.widget), bound.name
        assert str(nlds_widget(bound)) == django_html(bound), bound.name
    if data and data["plain"] == "nee":  # the refused value: marked invalid, as by Django
        assert 'aria-invalid="true"' in str(nlds_widget(form["plain"]))


@pytest.mark.parametrize(
    "data", [{}, {"area": "999", "phase": "rijping", "sort": "-naam", "q": "x"}]
)
def test_the_register_filters_are_written_as_django_renders_them(area, data):
    form = InitiativeFilter(data or None, queryset=initiatives_for_list()).form
    form.is_valid()
    selects = [bound for bound in form if _plain_select(bound.field.widget)]
    assert len(selects) >= 7
    for bound in selects:
        assert str(nlds_widget(bound)) == django_html(bound), bound.name


def test_a_select_with_its_own_templates_is_left_to_django():
    class Own(forms.Select):
        option_template_name = "django/forms/widgets/select_option.html"
        template_name = "django/forms/widgets/radio.html"

    assert not _plain_select(Own())
    assert not _plain_select(forms.RadioSelect())
    assert _plain_select(forms.NullBooleanSelect())
