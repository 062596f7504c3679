import re
from datetime import date, timedelta

import factory
from django.utils import timezone
from freezegun import freeze_time

from governance import services
from governance.models import Body, Choice, DecisionRule, Proposal, Seat, Side
from tests.accounts.factories import UserFactory
from tests.clock import at_closing


class DecisionRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DecisionRule

    name = factory.Sequence(lambda n: f"Regel {n}")
    # Most tests open voting right after the discussion; test_discussion_period.py tests the wait.
    min_discussion_days = 0


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    name = factory.Sequence(lambda n: f"Bestuur {n}")
    slug = factory.Sequence(lambda n: f"bestuur-{n}")
    kind = Body.Kind.BOARD
    decision_rule = factory.SubFactory(DecisionRuleFactory)


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    body = factory.SubFactory(BodyFactory)
    user = factory.SubFactory(UserFactory)
    side = Side.COMMUNITY
    starts_on = date(2020, 1, 1)


def board(*, community: int = 3, institution: int = 2, members=(), **body_fields):
    """A deciding body with `community` + `institution` seats (new users) and `members`
    (given users, community side). Returns the body and its voters by side."""
    body = BodyFactory(**body_fields)
    voters = {Side.COMMUNITY: list(members), Side.INSTITUTION: []}
    for user in members:
        SeatFactory(body=body, user=user, side=Side.COMMUNITY)
    for side, count in ((Side.COMMUNITY, community), (Side.INSTITUTION, institution)):
        for _ in range(count):
            voters[side].append(SeatFactory(body=body, side=side).user)
    return body, voters


def draft(**kwargs) -> Proposal:
    kwargs.setdefault("title", "Een voorstel")
    kwargs.setdefault("text", "De tekst van het voorstel.")
    if "body" not in kwargs and kwargs.get("method") != Proposal.Method.POLL:
        kwargs["body"] = board()[0]
    return services.create_proposal(actor=None, **kwargs)


def in_discussion(**kwargs) -> Proposal:
    return services.start_discussion(proposal=draft(**kwargs), actor=None)


def voting(*, minutes: int = 60, before_opening=None, **kwargs) -> Proposal:
    """A proposal open for voting; `before_opening(proposal)` runs while it is still in
    discussion (the roll can be added to only then: the database freezes it)."""
    proposal = in_discussion(**kwargs)
    if before_opening is not None:
        before_opening(proposal)
    return services.open_voting(
        proposal=proposal, closes_at=timezone.now() + timedelta(minutes=minutes), actor=None
    )


def poll(*, areas, rule=None, trustees: int = 3, **kwargs) -> Proposal:
    """A sealed poll; a community board with `trustees` community seats is made when no board
    has a community side yet (its members hold the poll's key)."""
    from governance import selectors

    if not selectors.trustee_ids():
        board(community=trustees, institution=0)
    return voting(
        method=Proposal.Method.POLL,
        areas=list(areas),
        decision_rule=rule or DecisionRuleFactory(quorum="none", community_guarantee=False),
        **kwargs,
    )


def picked_up_shares(proposal: Proposal) -> list[tuple]:
    """(trustee, share text) of every trustee of a sealed poll; each share can be seen once."""
    return [
        (row.trustee, services.pick_up_share(proposal=proposal, actor=row.trustee))
        for row in proposal.shares.select_related("trustee").order_by("index")
    ]


def count_poll(proposal: Proposal, *, shares: list[tuple] | None = None):
    """Close a sealed poll at its closing time, enter just enough keys and tally it (the task
    would, after the commit that a test's transaction never makes)."""
    with at_closing(proposal.closes_at, tick=True):
        services.close_voting(actor=None, proposal=proposal)
    shares = shares if shares is not None else picked_up_shares(proposal)
    for trustee, share in shares[: proposal.poll_key.threshold]:
        services.enter_share(proposal=proposal, share=share, actor=trustee)
    return services.tally_poll(proposal=proposal)


def after_closing(proposal: Proposal):
    """The clock a minute after `proposal` closed (the factories close a vote at its closing
    time, ahead of the wall clock): what follows the decision is recorded after it."""
    return freeze_time(proposal.closes_at + timedelta(minutes=1), tick=True)


def decided(proposal: Proposal, votes: dict) -> Proposal:
    """Cast `votes` ({user: choice}) and close the vote at its closing time (and count a poll)."""
    for user, choice in votes.items():
        services.cast_vote(proposal=proposal, choice=choice, actor=user)
    if proposal.is_poll:
        count_poll(proposal)
    else:
        with at_closing(proposal.closes_at, tick=True):
            services.close_voting(actor=None, proposal=proposal)
    proposal.refresh_from_db()
    return proposal


def allocation_fields(amount: str = "400.00", *, available: str = "1000.00", **overrides) -> dict:
    """The fields of a fund allocation proposal: a fund with `available` and an initiative."""
    from decimal import Decimal

    from tests.sroi.factories import InitiativeFactory, funded

    fields = {
        "kind": Proposal.Kind.FUND_ALLOCATION,
        "fund": funded(available),
        "initiative": InitiativeFactory(name="Buurtkeuken", slug="buurtkeuken"),
        "amount": Decimal(amount),
        "purpose": "Inrichting van de keuken",
    }
    fields.update(overrides)
    return fields


def adopted(proposal: Proposal) -> Proposal:
    """Every voting seat holder votes for; the proposal is adopted."""
    voters = [entry.user for entry in proposal.electorate.select_related("user")]
    return decided(proposal, dict.fromkeys(voters, Choice.FOR))


def tracking_code(response) -> str:
    """The tracking code on a receipt page, as the voter reads it."""
    match = re.search(r'data-testid="tracking-code">([^<]+)<', response.content.decode())
    assert match, "no tracking code on the page"
    return match.group(1).strip()
