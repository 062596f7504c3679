"""What higher apps add to an initiative's public page, without initiatives knowing them.

initiatives is a lower layer than intake (docs/architecture.md), so its page may not load
intake's template tags or run intake's queries itself. An app above registers a panel in its
`AppConfig.ready()`:

    panels.register("intake.published_profile", build)

`build(initiative)` returns `(template name, context)` or None (nothing to show). The page shows
each registered panel, rendered with the request, in the order the apps registered them.
"""

from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

Build = Callable[[object], tuple[str, dict] | None]
_PANELS: dict[str, Build] = {}


def register(name: str, build: Build) -> None:
    """Add (or replace) the panel `name`; idempotent, so a second `ready()` changes nothing."""
    _PANELS[name] = build


def rendered(initiative, request) -> list[SafeString]:
    """The HTML of every registered panel that has something to show for `initiative`."""
    shown = []
    for build in _PANELS.values():
        panel = build(initiative)
        if panel is not None:
            template, context = panel
            shown.append(render_to_string(template, context, request=request))
    return shown
