"""What higher apps add to an initiative's public page, without initiatives knowing them.

initiatives is a lower layer than intake and governance (docs/architecture.md), so its page may
not load their template tags or run their queries itself. An app above registers a panel in its
`AppConfig.ready()`:

    panels.register("intake.published_profile", build)

`build(initiative)` returns `(template name, context)` or None (nothing to show); see
`common.parts`.
"""

from common.parts import Parts

_PANELS = Parts()
register = _PANELS.register


def rendered(initiative, request):
    """The HTML of every registered panel that has something to show for `initiative`."""
    return _PANELS.rendered(initiative, request)
