"""Template filters for the NL Design System crispy template pack (templates/nlds/).

Registered as the template library `nlds` in settings (TEMPLATES OPTIONS libraries), so common/
needs no app of its own. A field's widget gets the Utrecht component classes, `aria-invalid`, and
`aria-describedby` naming its description and its error message, so a screen reader reads both.
And the tag `{% table_container %}`: a wide table that scrolls on its own on a phone; and
`{% chart_container %}`: a chart that keeps its size (and so its text readable) and scrolls.
"""

import html
import re

from django import forms
from django.template import Library, Node, TemplateSyntaxError
from django.utils.html import conditional_escape, escape, format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

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
    widget = _widget(field)
    if _plain_select(widget):
        return _select(field, widget, _attrs(field, widget))
    return field.as_widget(attrs=_attrs(field, widget))


SELECT_TEMPLATES = ("django/forms/widgets/select.html", "django/forms/widgets/select_option.html")


def _plain_select(widget) -> bool:
    """A drop-down that Django would render with its own two templates (a choice widget's
    values are never localised, so `field.localize` changes nothing here)."""
    return (
        isinstance(widget, forms.Select)
        and (widget.template_name, widget.option_template_name) == SELECT_TEMPLATES
    )


def _html_attrs(attrs: dict) -> str:
    """Django's `django/forms/widgets/attrs.html`, in Python."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _select(field, widget, attrs: dict):
    """The same HTML as `field.as_widget(attrs=attrs)` for a plain select (Django's
    `select.html` and `select_option.html`), written here instead of rendered: the templates
    include one template per option (and one for its attributes): the register's filter form,
    with its eight drop-downs, took 7.7 ms to render and takes 4.5 (the page 28 -> 26 ms). The values and
    attributes come from the widget's own `get_context`, as Django's rendering takes them;
    `tests/test_nlds_select.py` holds the two outputs equal."""
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    parts = [
        f'<select name="{conditional_escape(context["name"])}"{_html_attrs(context["attrs"])}>'
    ]
    for group_name, options, _index in context["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{escape(option["value"])}"{_html_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"  # the template's last line
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


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


_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S)


class TableContainerNode(Node):
    def __init__(self, nodelist, name, within=None):
        self.nodelist = nodelist
        self.name = name
        self.within = within

    def render(self, context) -> str:
        table = self.nodelist.render(context)
        if context.get("print"):  # on paper a table breaks over pages; nothing scrolls
            return table
        caption = _CAPTION.search(table)
        if caption:
            name = html.unescape(strip_tags(caption.group(1))).strip()
        else:
            name = str(self.name.resolve(context, ignore_failures=True) or "") if self.name else ""
        if self.within is not None:  # the same table once per fund: each region its own name
            name = f"{name} ({self.within.resolve(context, ignore_failures=True) or ''})"
        # A region that can take the keyboard's focus (and so be scrolled with the arrow keys),
        # named after its table; positioned, so hidden text in it cannot widen the page.
        return format_html(
            '<div class="utrecht-table-container bk-table-scroll" tabindex="0" role="region"'
            ' aria-label="{}">{}</div>',
            name,
            mark_safe(table),  # noqa: S308 - rendered by the template engine, escaped there
        )


@register.tag("table_container")
def table_container(parser, token) -> TableContainerNode:
    """`{% table_container %}<table>…</table>{% endtable_container %}`: on a screen the table
    scrolls sideways inside the page when it is wider than a phone, instead of widening the whole
    page (WCAG 1.4.10); with `print` in the context (the PDF) the table is left as it is. The
    region is named after the table's caption, or, for a table without one, after the
    argument (`{% table_container _("Behind or overdue") %}`, `{% table_container row.label %}`).
    A table repeated per fund says whose it is, so no two regions share a name (axe-core's
    `landmark-unique`): `{% table_container within=fund.name %}` names it "<caption> (<fund>)".
    """
    bits = token.split_contents()[1:]
    within = None
    if bits and bits[-1].startswith("within="):
        within = parser.compile_filter(bits.pop()[len("within=") :])
    if len(bits) > 1:
        raise TemplateSyntaxError("table_container takes at most a name and within=")
    name = parser.compile_filter(bits[0]) if bits else None
    nodelist = parser.parse(("endtable_container",))
    parser.delete_first_token()
    return TableContainerNode(nodelist, name, within)


_SVG_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.S)


class ChartContainerNode(Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context) -> str:
        chart = self.nodelist.render(context)
        if context.get("print") or not chart.strip():  # on paper the chart fits the page
            return chart
        title = _SVG_TITLE.search(chart)
        name = html.unescape(strip_tags(title.group(1))).strip() if title else ""
        # "Chart: …", so the chart's region is not named like the table of its numbers
        # (axe-core's `landmark-unique`).
        name = _("Chart: %(title)s") % {"title": name}
        # On a phone the chart runs off the screen: a line above it says so (the stylesheet
        # shows it only on narrow screens; a screen reader reads the chart's text, not pixels).
        return format_html(
            '<p class="bk-chart-hint" aria-hidden="true">{}</p>'
            '<div class="bk-chart-scroll" tabindex="0" role="region" aria-label="{}">{}</div>',
            _("Swipe sideways to see the whole chart."),
            name,
            mark_safe(chart),  # noqa: S308 - rendered by the template engine, escaped there
        )


@register.tag("chart_container")
def chart_container(parser, token) -> ChartContainerNode:
    """`{% chart_container %}<svg>…</svg>{% endchart_container %}`: on a screen the chart is never
    drawn smaller than its own width (a phone would shrink its text to 4 or 5 px); where the
    screen is narrower it scrolls sideways in a region named "Chart: " and the chart's <title>,
    which takes the keyboard's focus. With `print` in the context (the PDF) the chart is left as it is.
    """
    if len(token.split_contents()) > 1:
        raise TemplateSyntaxError("chart_container takes no arguments")
    nodelist = parser.parse(("endchart_container",))
    parser.delete_first_token()
    return ChartContainerNode(nodelist)
