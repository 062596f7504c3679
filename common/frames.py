"""The layout's parts rendered once per kind of visitor, with each visitor's own text put in.

The header, the footer and the session warning are on every page, and they look the same for
every visitor of one kind: the same language, roles, rights and section of the site. Django's
template engine works them out again on every render: on the receipt after a vote that was a
millisecond, a fifth of the vote. `{% frame "partials/header.html" "config.layout.header" %}`
renders the template once per kind, keeps the text, and afterwards fills in the visitor's own
text: a dictionary lookup and a join.

The function named (`config.layout.header`) gets the page's context and returns two dicts:
- `fixed`: what makes the kind, as hashable values. The template sees these and nothing else:
  not the request, the user or what the context processors add. So a kept text can only show
  what its key says; what a frame forgets to pass is missing on every page, not shown to the
  wrong visitor.
- `holes`: this visitor's own text (their name, their CSRF field, the page's path), which the
  template prints as `{{ hole.<name> }}`. The frame is rendered with a marker in each hole's
  place; on every render the marker is replaced by the value, escaped as the template would
  have escaped it (a value marked safe, such as the CSRF field, is not escaped).

A hole may only be printed as it is: no filter, no `if`, no loop, since a marker would pass
through them unlike the value. A frame's template may not include or extend another. Both are
checked when a frame is first built (TemplateSyntaxError). Kept texts are forgotten whenever
folding's are (a setting or a catalogue changes; common/folding.py), when a template file
changes under runserver, and all at once when more than `MAX_KEPT` are kept.
A whole page can be kept the same way, frames and all (common/pages.py): it gives each frame
its values through `PRESET`.
"""

import re
import secrets
from functools import cache

from django.core.signals import setting_changed
from django.template import Context, Library, Node, TemplateSyntaxError
from django.template.loader_tags import ExtendsNode, IncludeNode
from django.utils.autoreload import file_changed
from django.utils.html import conditional_escape
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from . import folding

register = Library()

# Frames kept at most; a key is a kind of visitor on a kind of page (language, roles, rights,
# section): a few hundred on a busy site. Past this, all are forgotten and built again.
MAX_KEPT = 2000

# A marker no page text contains (random per process), of letters and digits only, so that
# escaping leaves it as it is; it ends in the hole's number and an "x".
_MARK = f"bkhole{secrets.token_hex(8)}n"
_MARKER = re.compile(_MARK + r"(\d+)x")
_ANY_HOLE = re.compile(r"\bhole\.")
_PLAIN_HOLE = re.compile(r"{{\s*hole\.\w+\s*}}")

_kept: dict[tuple, tuple[tuple[str, ...], tuple[str, ...]]] = {}
_generation = folding.generation()


# Other kept texts forgotten whenever the frames' are (common/pages.py).
_also: list = []


def forget() -> None:
    _kept.clear()
    for forget_other in _also:
        forget_other()


def also_forget(function) -> None:
    """Call `function` whenever the frames' kept texts are forgotten."""
    _also.append(function)


def follow_generation() -> None:
    """Forget every kept text when folding's have been forgotten (a setting or a catalogue
    changed) since the last call."""
    global _generation
    if _generation != folding.generation():
        forget()
        _generation = folding.generation()


def _forget_on_setting(setting, **kwargs) -> None:
    # The settings folding depends on change its generation, which `render` follows.
    if setting == "TEMPLATES":
        forget()


def _forget_on_template_change(sender, file_path, **kwargs) -> None:
    """runserver reloads a changed template without a restart: build the frames again. Returns
    nothing, so the autoreloader still decides about restarting."""
    if file_path.suffix == ".html":
        forget()


setting_changed.connect(_forget_on_setting, dispatch_uid="common.frames")
file_changed.connect(_forget_on_template_change, dispatch_uid="common.frames")


@cache
def values_function(path: str):
    return import_string(path)


def check_holes(template) -> None:
    """Refuse a template that uses a hole other than printing it."""
    source = template.source
    if len(_ANY_HOLE.findall(source)) != len(_PLAIN_HOLE.findall(source)):
        raise TemplateSyntaxError(
            f"{template.origin.template_name}: a hole may only be printed as it is, "
            "{{ hole.name }}: no filter, no if, no for."
        )


def check(template) -> None:
    """Refuse a frame template that uses a hole other than printing it, or that includes or
    extends another template (its holes and context could not be checked)."""
    check_holes(template)
    if template.nodelist.get_nodes_by_type((IncludeNode, ExtendsNode)):
        raise TemplateSyntaxError(
            f"{template.origin.template_name}: a frame may not include or extend a template."
        )


def build(engine, template_name: str, fixed: dict, names: tuple[str, ...], autoescape: bool):
    """The frame's text for `fixed`, cut at its holes: (texts, hole names), with one text more
    than names (the text before the first hole, between each two, after the last)."""
    template = engine.get_template(template_name)
    check(template)
    markers = {name: f"{_MARK}{number}x" for number, name in enumerate(names)}
    text = template.render(Context({**fixed, "hole": markers}, autoescape=autoescape))
    parts = _MARKER.split(text)
    return tuple(parts[0::2]), tuple(names[int(number)] for number in parts[1::2])


# The context key under which a page being kept (common/pages.py) gives its frames' values,
# worked out from the visitor's own context, with markers for the holes.
PRESET = "bk_frames_preset"


def render(context, template_name: str, values: str) -> str:
    """`template_name` for the visitor of `context`, from the kept frame of their kind."""
    follow_generation()
    preset = context.get(PRESET)
    if preset is not None:
        fixed, holes = preset[template_name, values]
    else:
        fixed, holes = values_function(values)(context)
    autoescape = context.autoescape
    names = tuple(holes)
    engine = context.template.engine  # the page's, so its loaders and libraries
    key = (engine, template_name, values, get_language(), autoescape, names, *sorted(fixed.items()))
    kept = _kept.get(key)
    if kept is None:
        if len(_kept) >= MAX_KEPT:
            forget()
        kept = _kept[key] = build(engine, template_name, fixed, names, autoescape)
    texts, order = kept
    out = [texts[0]]
    for name, text in zip(order, texts[1:], strict=True):
        value = holes[name]
        out.append(conditional_escape(value) if autoescape else str(value))
        out.append(text)
    return mark_safe("".join(out))  # noqa: S308 - our template's text and escaped holes


class FrameNode(Node):
    child_nodelists = ()

    def __init__(self, template_name: str, values: str) -> None:
        self.template_name, self.values = template_name, values

    def render(self, context) -> str:
        return render(context, self.template_name, self.values)


def _literal(bit: str, parser_token) -> str:
    if len(bit) < 2 or bit[0] != bit[-1] or bit[0] not in "'\"":
        raise TemplateSyntaxError(f"{parser_token.contents}: give both as quoted strings.")
    return bit[1:-1]


@register.tag
def frame(parser, token):
    """{% frame "template.html" "module.values_function" %}"""
    bits = token.split_contents()
    if len(bits) != 3:
        raise TemplateSyntaxError(
            '{% frame "template.html" "module.values_function" %} takes two quoted strings.'
        )
    return FrameNode(_literal(bits[1], token), _literal(bits[2], token))
