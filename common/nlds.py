"""Template filters for the NL Design System crispy template pack (templates/nlds/).

Registered as the template library `nlds` in settings (TEMPLATES OPTIONS libraries), so common/
needs no app of its own. A field's widget gets the Utrecht component classes, `aria-invalid`, and
`aria-describedby` naming its description and its error message, so a screen reader reads both.
"""

from django import forms
from django.template import Library

register = Library()

CHOICE_SETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


def _widget(field):
    return field.field.widget


def _component(widget: forms.Widget, invalid: bool) -> str:
    if isinstance(widget, forms.CheckboxInput):
        base = "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom"
        return base + (" utrecht-checkbox--invalid" if invalid else "")
    if isinstance(widget, forms.Select):
        return "utrecht-select utrecht-select--html-select" + (
            " utrecht-select--invalid" if invalid else ""
        )
    if isinstance(widget, forms.Textarea):
        return "utrecht-textarea utrecht-textarea--html-textarea" + (
            " utrecht-textarea--invalid" if invalid else ""
        )
    if isinstance(widget, forms.FileInput):
        return "bk-file-input"
    return "utrecht-textbox utrecht-textbox--html-input" + (
        " utrecht-textbox--invalid" if invalid else ""
    )


@register.filter
def nlds_description_id(field) -> str:
    return f"{field.auto_id}_helptext"


@register.filter
def nlds_error_id(field) -> str:
    return f"{field.auto_id}_error"


@register.filter
def nlds_describedby(field) -> str:
    """The ids of the field's description and error message, as far as it has them."""
    ids = []
    if field.help_text:
        ids.append(nlds_description_id(field))
    if field.errors:
        ids.append(nlds_error_id(field))
    return " ".join(ids)


def _attrs(field, widget) -> dict:
    invalid = bool(field.errors)
    own = widget.attrs.get("class", "")
    attrs = {"class": f"{_component(widget, invalid)} {own}".strip()}
    describedby = nlds_describedby(field)
    if describedby:
        attrs["aria-describedby"] = describedby
    if invalid:
        attrs["aria-invalid"] = "true"
    return attrs


@register.filter
def nlds_widget(field):
    """The field's input with the Utrecht classes and its aria attributes."""
    return field.as_widget(attrs=_attrs(field, _widget(field)))


@register.filter
def nlds_is_choice_set(field) -> bool:
    """Radio buttons and check boxes for one question: a fieldset with a legend."""
    return isinstance(_widget(field), CHOICE_SETS)


@register.filter
def nlds_is_checkbox(field) -> bool:
    return isinstance(_widget(field), forms.CheckboxInput)


@register.filter
def nlds_options(field) -> list[dict]:
    """The options of a radio or check-box group, each with its input rendered."""
    widget = _widget(field)
    kind = "radio-button" if isinstance(widget, forms.RadioSelect) else "checkbox"
    invalid = bool(field.errors)
    options = []
    for option in field.subwidgets:
        attrs = option.data["attrs"]
        own = attrs.get("class", "")
        component = f"utrecht-{kind} utrecht-{kind}--html-input"
        if invalid:
            component += f" utrecht-{kind}--invalid"
        attrs["class"] = f"{component} {own}".strip()
        options.append(
            {
                "tag": option.tag(),
                "id": option.id_for_label,
                "label": option.choice_label,
                "kind": "radio" if kind == "radio-button" else "checkbox",
            }
        )
    return options
