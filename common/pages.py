"""Whole pages kept per kind of visitor, with each visitor's own text put in (`render_page`).

common/frames.py keeps the layout's parts (header, footer, session warning). The template nodes
around them (the layout's head, the page's own text) were still worked out on every render; on
the receipt after a vote that was a tenth of the request. `render_page` keeps the whole page's
text and, for every request, fills in:
- the view's holes, which the page's templates print as `{{ hole.<name> }}` (as in a frame:
  only printed, no filter, no if; checked when the page is first kept);
- the visitor's CSRF token and the request's CSP nonce;
- each frame's holes. Each frame's values function still runs for every request, with the
  visitor's own context (the context processors run as for Django's render).

The key is the template, the language, the view's `fixed` values and each frame's fixed values
(its kind of visitor). The page is built from a context holding only those, the markers, and
the context processors' site-wide values (`SITE_WIDE`); the request is there as its CSP nonce
only, the user not at all. So a kept page can only show what its key says: a template that
reads anything else (the user, the session) prints nothing there, on every page, which the
test that compares a kept page with Django's render finds. It never shows one visitor's text to
another. A visitor with messages waiting gets Django's render (messages are shown once).
Kept pages are forgotten with the frames' and folding's texts (a setting or a catalogue
changes, a template file changes under runserver), and all at once past `MAX_KEPT`.
"""

import re
import secrets
from functools import cache

from django.http import HttpResponse
from django.template import Context, RequestContext, TemplateSyntaxError, loader
from django.template.base import FilterExpression
from django.template.loader_tags import ExtendsNode, IncludeNode
from django.utils.html import conditional_escape
from django.utils.translation import get_language

from . import frames

# The context processors' values a kept page may show: the same for every visitor.
SITE_WIDE = ("MUNICIPALITY_NAME", "NLDS_THEME_CSS")
MAX_KEPT = 2000

# Markers of letters and digits (escaping leaves them as they are), random per process,
# unlike the frames' own; each ends in its slot's number and an "x".
_MARK = f"bkpage{secrets.token_hex(8)}n"
_MARKER = re.compile(_MARK + r"(\d+)x")

# Names the page's context gives itself; a fixed value of the view may not take them.
_RESERVED = frozenset({"hole", "csrf_token", "request", frames.PRESET, *SITE_WIDE})

_kept: dict[tuple, tuple[tuple[str, ...], tuple[tuple, ...]]] = {}


def forget() -> None:
    _kept.clear()
    _frames_of.cache_clear()


frames.also_forget(forget)  # with the frames: settings, catalogues, template files


class _Request:
    """The request as a kept page's template sees it: its CSP nonce (a marker), nothing else."""

    def __init__(self, csp_nonce: str) -> None:
        self.csp_nonce = csp_nonce


def _named(expression: FilterExpression, node) -> str:
    literal = isinstance(expression, FilterExpression) and isinstance(expression.var, str)
    if literal and not expression.filters:
        return str(expression.var)
    raise TemplateSyntaxError(
        f"{node.token.contents}: a kept page extends and includes templates by a quoted name."
    )


@cache
def _frames_of(engine, template_name: str) -> tuple[tuple[str, str], ...]:
    """The frames (template, values function) the page `template_name` can show, through the
    templates it extends and includes; checks each template's holes on the way."""
    found: list[tuple[str, str]] = []
    seen: set[str] = set()

    def walk(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        template = engine.get_template(name)
        frames.check_holes(template)
        for node in template.nodelist.get_nodes_by_type(frames.FrameNode):
            if (node.template_name, node.values) not in found:
                found.append((node.template_name, node.values))
        for node in template.nodelist.get_nodes_by_type(ExtendsNode):
            walk(_named(node.parent_name, node))
        for node in template.nodelist.get_nodes_by_type(IncludeNode):
            walk(_named(node.template, node))

    walk(template_name)
    return tuple(found)


def _has_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def render_page(request, template_name: str, *, fixed: dict, holes: dict, status: int = 200):
    """The page `template_name` for this request, from the kept page of its kind: `fixed` are
    the page's values that make the kind (hashable), `holes` this request's own text."""
    frames.follow_generation()
    if not _RESERVED.isdisjoint(fixed):
        raise ValueError(f"{template_name}: a page's fixed values may not be named {_RESERVED}.")
    template = loader.get_template(template_name).template
    engine = template.engine
    context = RequestContext(request, {**fixed, "hole": holes}, autoescape=engine.autoescape)
    if _has_messages(request):
        return HttpResponse(template.render(context), status=status)
    with context.bind_template(template):
        shown = _frames_of(engine, template_name)
        values = [frames.values_function(path)(context) for _name, path in shown]
        site = {name: context.get(name) for name in SITE_WIDE}
        token = context.get("csrf_token")
        autoescape = context.autoescape
    key = (
        engine,
        template_name,
        get_language(),
        autoescape,
        tuple(holes),
        *sorted(fixed.items()),
        *sorted(site.items()),
        *((name, path, tuple(sorted(fx.items())), tuple(hs)) for (name, path), (fx, hs) in
          zip(shown, values, strict=True)),
    )  # fmt: skip
    kept = _kept.get(key)
    if kept is None:
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        kept = _kept[key] = _build(template, fixed, tuple(holes), site, shown, values, autoescape)
    texts, order = kept
    out = [texts[0]]
    for slot, text in zip(order, texts[1:], strict=True):
        kind = slot[0]
        if kind == "hole":
            value = holes[slot[1]]
        elif kind == "frame":
            value = values[slot[1]][1][slot[2]]
        elif kind == "csrf":
            value = token
        else:
            value = request.csp_nonce
        out.append(conditional_escape(value) if autoescape else str(value))
        out.append(text)
    return HttpResponse("".join(out), status=status)


def _build(template, fixed, hole_names, site, shown, values, autoescape):
    """The page's text for its key, cut at its slots: (texts, slots), one text more than slots.
    A slot is ("hole", name), ("frame", index, name), ("csrf",) or ("nonce",)."""
    slots: list[tuple] = []

    def marker(slot: tuple) -> str:
        slots.append(slot)
        return f"{_MARK}{len(slots) - 1}x"

    preset = {
        frame: (fx, {name: marker(("frame", index, name)) for name in hs})
        for index, (frame, (fx, hs)) in enumerate(zip(shown, values, strict=True))
    }
    context = Context(
        {
            **site,
            **fixed,
            "hole": {name: marker(("hole", name)) for name in hole_names},
            "csrf_token": marker(("csrf",)),
            "request": _Request(marker(("nonce",))),
            frames.PRESET: preset,
        },
        autoescape=autoescape,
    )
    parts = _MARKER.split(template.render(context))
    return tuple(parts[0::2]), tuple(slots[int(number)] for number in parts[1::2])
