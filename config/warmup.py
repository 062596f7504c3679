"""What a web process loads before it takes its first request.

Django loads much on first use: the URL configuration (and with it every view, form and
service module), each language's translations, each template, the static files' manifest. In a
new gunicorn worker that made the first request wait about 190 ms and the first ballot page
about 120 ms more (a fresh process on PostgreSQL and Redis; with `warm()`: 4 ms and 40 ms, the
rest being the database connection and the layout's parts kept per kind of visitor). Workers
are new after every deployment and, with `--max-requests`, every thousand requests or so: each
time some visitor waited. `warm()` loads all of it while the worker starts, before gunicorn
gives it a connection; `config/wsgi.py` calls it before `collector.settle()`, so what it loaded
is frozen too (full garbage collections do not walk it).

Nothing is read from the database or the cache here: a worker must start while they are down
(the pages then say so).
"""

import logging
from contextlib import suppress
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import caches
from django.template import TemplateSyntaxError, engines
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.utils import translation

logger = logging.getLogger(__name__)

# The templates compiled at start: the project's own (not Django's or the admin's).
SUFFIXES = (".html", ".txt", ".xml")


def warm() -> None:
    """Load the URLs, translations, static manifest, cache client and our templates."""
    resolver = get_resolver()  # imports the URL configuration and every view
    for code, _name in settings.LANGUAGES:
        with translation.override(code):  # the language's catalogue, read from disk
            _tables(resolver)
            for name in _one_name_per_namespace(resolver):
                # Django makes and fills the namespace's own resolver, also when the name
                # wants arguments and no URL comes out.
                with suppress(NoReverseMatch):
                    reverse(name)
    staticfiles_storage.base_location  # noqa: B018 - the storage made; its manifest read
    for alias in settings.CACHES:
        load = getattr(caches[alias], "load", None)  # common.cache.RedisCache
        if load is not None:
            load()
    _compile_templates()


def _tables(resolver: URLResolver) -> None:
    """The tables `reverse` reads, for the active language, of `resolver` and every resolver
    included in it (Django fills each on its first use)."""
    resolver.reverse_dict  # noqa: B018
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            _tables(pattern)


def _one_name_per_namespace(resolver: URLResolver, prefix: str = ""):
    """A URL name in each namespace ("governance:proposal"), nested ones too."""
    for namespace, (_pattern, included) in resolver.namespace_dict.items():
        names = [name for name in included.reverse_dict if isinstance(name, str)]
        if names:
            yield f"{prefix}{namespace}:{names[0]}"
        yield from _one_name_per_namespace(included, f"{prefix}{namespace}:")


def own_template_dirs() -> list[Path]:
    """The templates folder of the settings and each of our apps' (inside the project)."""
    base = Path(settings.BASE_DIR).resolve()
    folders = [Path(folder) for config in settings.TEMPLATES for folder in config["DIRS"]]
    folders += [Path(app.path) / "templates" for app in apps.get_app_configs()]
    return [
        folder
        for folder in folders
        if folder.is_dir() and folder.resolve().is_relative_to(base) and ".venv" not in folder.parts
    ]


def _compile_templates() -> int:
    """Compile each of our templates into the engine's cached loader; the number compiled.
    A template that does not compile is logged and left: its page fails as it would have."""
    engine = engines["django"].engine
    compiled = 0
    for folder in own_template_dirs():
        for path in sorted(folder.rglob("*")):
            if path.suffix not in SUFFIXES or not path.is_file():
                continue
            name = path.relative_to(folder).as_posix()
            try:
                engine.get_template(name)
            except TemplateSyntaxError:
                logger.exception("template_not_compiled", extra={"template": name})
                continue
            compiled += 1
    return compiled
