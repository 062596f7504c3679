"""Parts a higher app adds to a lower app's page, without the lower app knowing it.

A lower layer may not load a higher app's template tags or run its queries (docs/architecture.md).
The lower app keeps a `Parts()`; an app above registers a build function in its
`AppConfig.ready()`. `build(subject)` returns `(template name, context)` or None (nothing to
show); the page shows each registered part, rendered with the request, in the order the apps
registered them. Used by `initiatives.panels` and `governance.vote_lists`.
"""

from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

Build = Callable[[object], tuple[str, dict] | None]


class Parts:
    def __init__(self) -> None:
        self._builds: dict[str, Build] = {}

    def register(self, name: str, build: Build) -> None:
        """Add (or replace) the part `name`; idempotent, so a second `ready()` changes nothing."""
        self._builds[name] = build

    def __contains__(self, name: str) -> bool:
        return name in self._builds

    def __delitem__(self, name: str) -> None:
        """Take the part `name` away again (a test's probe)."""
        del self._builds[name]

    def rendered(self, subject, request) -> list[SafeString]:
        """The HTML of every registered part that has something to show for `subject`."""
        shown = []
        for build in self._builds.values():
            part = build(subject)
            if part is not None:
                template, context = part
                shown.append(render_to_string(template, context, request=request))
        return shown
