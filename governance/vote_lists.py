"""What higher apps add to the lists of votes open now, without governance knowing them.

The vote page (`/voorstellen/stemmen/`) lists the proposals and polls a person can vote in.
budgeting is a higher layer (docs/architecture.md): it registers its open rounds in its
`AppConfig.ready()`, as a panel on an initiative's page:

    vote_lists.register("budgeting.rounds", build)

`build(user)` returns `(template name, context)` or None (nothing to show); see `common.parts`.
"""

from common.parts import Parts

_PARTS = Parts()
register = _PARTS.register


def rendered(request):
    """The HTML of every registered part that has something to show to the request's user."""
    return _PARTS.rendered(request.user, request)
