"""Shared pieces of the query-count test (tests/test_query_counts.py): the row of a page and
builders that make `n` rows of what a page lists and return its URL.

A builder is `build(n, ctx) -> url`. `ctx` holds the users per role (None for anonymous); a
builder may add a user for a role it makes itself (an officer of a location, a trustee of a
poll) as `ctx["officer"] = user` before returning.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from initiatives.models import Initiative
from tests.initiatives.factories import InitiativeFactory

MAX_QUERIES = 12
EVERYONE = ("anonymous", "community_member", "civil_servant", "administrator")
STAFF = ("civil_servant", "administrator")


# ---- data builders: each makes `n` rows of what the page lists and returns its URL ----------


def initiatives(n: int, area) -> list[Initiative]:
    return Initiative.objects.bulk_create(
        Initiative(
            name=f"Initiatief {i:04}",
            slug=f"initiatief-{i:04}",
            summary="Buren helpen buren.",
            area=area,
            initiator_type=InitiativeFactory.initiator_type,
            organisation_form=InitiativeFactory.organisation_form,
            phase=InitiativeFactory.phase,
        )
        for i in range(n)
    )


def static(url: str) -> Callable:
    return lambda n, ctx: url


def with_initiatives(url: str) -> Callable:
    def build(n, ctx):
        initiatives(n, ctx["area"])
        return url

    return build


def initiative_detail(n, ctx):
    made = initiatives(n, ctx["area"])
    return f"/initiatieven/{made[0].slug}/"


@dataclass(frozen=True)
class Row:
    build: Callable
    roles: tuple[str, ...] = EVERYONE
    bound: int = MAX_QUERIES
    note: str = ""
    extra: dict = field(default_factory=dict)
