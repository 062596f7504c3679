"""What higher apps add to the lists of votes open now, without governance knowing them.

The vote page (`/voorstellen/stemmen/`) and the home page's "Vote now" list the proposals and
polls a person can vote in. budgeting is a higher layer (docs/architecture.md): it registers
its open rounds in its `AppConfig.ready()`, as a panel on an initiative's page:

    vote_lists.register("budgeting.rounds", build)

`build(user)` returns `(template name, context)` or None (nothing to show). Both lists show
each registered part, rendered with the request, in the order the apps registered them.
"""

from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

Build = Callable[[object], tuple[str, dict] | None]
_PARTS: dict[str, Build] = {}


def register(name: str, build: Build) -> None:
    """Add (or replace) the part `name`; idempotent, so a second `ready()` changes nothing."""
    _PARTS[name] = build


def rendered(request) -> list[SafeString]:
    """The HTML of every registered part that has something to show to the request's user."""
    shown = []
    for build in _PARTS.values():
        part = build(request.user)
        if part is not None:
            template, context = part
            shown.append(render_to_string(template, context, request=request))
    return shown
