"""Template tags whose text is the same on every render: worked out once, then kept.

`{% translate "literal" %}`, a `{% blocktranslate %}` of plain text, `{% url "name" %}` without
arguments and `{% static "path" %}` give the same text every time for the same language (and,
for a URL, the same URL configuration, script prefix and application namespace; for a static
file, the same storage and its manifest, which is read once when the process starts). Django's
tags work that text out again on every render: gettext, resolving, localising and escaping for a
translation (about 5 µs), the resolver's reverse for a URL (about 14 µs), the storage's hashed
name for a static file (about 5 µs). The receipt after a vote has 23, 9 and 6 of them, and every
page has the layout's.

`Loader` is Django's cached template loader that, when it compiles a template, wraps each such
node in `Folded`: on the node's first render for a key it runs Django's own `render`, and keeps
the text under that key. Any other use of the tags (a variable, a filter, arguments, `as`,
plurals) stays Django's node. A change of a setting the texts depend on (languages,
translations, URL configuration, script name, static files) forgets every kept text (tests
change them).
The loader is set in config/settings.py (TEMPLATES "loaders").
"""

from django.core.signals import setting_changed
from django.template import Node, defaulttags
from django.template.base import NodeList, TokenType
from django.template.loaders import cached
from django.templatetags import i18n, static
from django.urls import get_script_prefix, get_urlconf
from django.utils.autoreload import file_changed
from django.utils.translation import get_language

# Settings whose change can change a kept text.
DEPENDS_ON = frozenset(
    {
        "STATIC_URL",
        "STORAGES",
        "LANGUAGE_CODE",
        "LANGUAGES",
        "LOCALE_PATHS",
        "ROOT_URLCONF",
        "FORCE_SCRIPT_NAME",
        "INSTALLED_APPS",
        "USE_I18N",
    }
)
_generation = 0


def _forget_all(setting, **kwargs) -> None:
    global _generation
    if setting in DEPENDS_ON:
        _generation += 1


def _forget_on_new_catalogue(sender, file_path, **kwargs) -> None:
    """runserver reloads a compiled catalogue (.mo) without a restart: forget its texts too.
    Returns nothing, so the autoreloader still decides about restarting."""
    global _generation
    if file_path.suffix == ".mo":
        _generation += 1


setting_changed.connect(_forget_all, dispatch_uid="common.folding")


def generation() -> int:
    """A number that changes whenever kept texts must be forgotten (common/frames.py asks it)."""
    return _generation


file_changed.connect(_forget_on_new_catalogue, dispatch_uid="common.folding")


class Folded(Node):
    """Renders `node` once per key, then gives the kept text."""

    child_nodelists = ()

    def __init__(self, node: Node) -> None:
        self.node = node
        self.token = getattr(node, "token", None)
        self.origin = getattr(node, "origin", None)
        self.generation = _generation
        self.texts: dict = {}

    def key(self, context) -> tuple:
        return (get_language(), context.autoescape)

    def render(self, context) -> str:
        if self.generation != _generation:
            self.texts, self.generation = {}, _generation
        key = self.key(context)
        text = self.texts.get(key)
        if text is None:
            text = self.texts[key] = self.node.render(context)
        return text


class FoldedURL(Folded):
    def key(self, context) -> tuple:
        # The same choice of application as URLNode.render makes.
        request = getattr(context, "request", None)
        try:
            current_app = request.current_app
        except AttributeError:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        return (
            get_language(),
            get_urlconf(),
            get_script_prefix(),
            current_app,
            context.autoescape,
        )


def _literal(expression) -> bool:
    """A FilterExpression of a quoted string without filters."""
    return isinstance(expression.var, str) and not expression.is_var and not expression.filters


def constant_translate(node: i18n.TranslateNode) -> bool:
    var = node.filter_expression.var
    return (
        node.asvar is None
        and node.message_context is None
        and not node.filter_expression.filters
        and getattr(var, "lookups", True) is None
        and isinstance(var.literal, str)
    )


def constant_blocktranslate(node: i18n.BlockTranslateNode) -> bool:
    return (
        not node.extra_context
        and node.counter is None
        and not node.plural
        and node.asvar is None
        and node.message_context is None
        and all(token.token_type is TokenType.TEXT for token in node.singular)
    )


def constant_url(node: defaulttags.URLNode) -> bool:
    return not node.args and not node.kwargs and node.asvar is None and _literal(node.view_name)


def constant_static(node: static.StaticNode) -> bool:
    return node.varname is None and _literal(node.path)


def folded(node: Node) -> Node:
    """`node`, or `node` wrapped to keep its text if that text is fixed."""
    if isinstance(node, defaulttags.URLNode) and constant_url(node):
        return FoldedURL(node)
    if isinstance(node, static.StaticNode) and constant_static(node):
        return Folded(node)
    if isinstance(node, i18n.TranslateNode) and constant_translate(node):
        return Folded(node)
    if isinstance(node, i18n.BlockTranslateNode) and constant_blocktranslate(node):
        return Folded(node)
    return node


def fold(nodelist: NodeList) -> None:
    """Wrap every fixed translation and URL in `nodelist` and in the nodes' own lists."""
    for index, node in enumerate(nodelist):
        nodelist[index] = folded(node)
        if isinstance(node, defaulttags.IfNode):
            inner = [branch for _condition, branch in node.conditions_nodelists]
        else:
            inner = [getattr(node, name, None) for name in node.child_nodelists]
        for branch in inner:
            if isinstance(branch, NodeList):
                fold(branch)


class Loader(cached.Loader):
    """Django's cached loader; a template is folded once, when it is compiled."""

    def get_template(self, template_name, skip=None):
        template = super().get_template(template_name, skip)
        if not getattr(template, "bk_folded", False):
            fold(template.nodelist)
            template.bk_folded = True
        return template
