"""The demo scenario's governance (DOMAIN.md §4): three bodies with their seats, an adopted fund
allocation that moved money, a rejected board decision, and an open community poll the demo
members can vote in.

The money trail of the demo, from contract to initiative: sroi/demo.py books the contributions
into the Gemeenschapsfonds Zuidoost; here the community board adopts the allocation to Community
Home 24/7 (in May of the previous year, the year of the demo's annual report), a civil servant
carries the decision out through the ledger (`services.execute_decision`, which calls
`sroi.services.allocate` with the decision's reference), and the allocation is paid in two
tranches: one last year, one this year. The past is recorded with the clock set back
(`freeze_time`); the services themselves only know now.

`seed_demo` runs before `create_demo_users`, so the demo log-ins are made here when missing, with
the roles of `create_demo_users` but without a usable password; that command later sets the
passwords and finds the verification already done. The other seat holders cannot log in.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from freezegun import freeze_time

from accounts import services as account_services
from accounts.management.commands.create_demo_users import DEMO_USERS
from accounts.models import Area, MemberVerification, Role
from initiatives.models import Classification, Initiative
from sroi import demo as sroi_demo
from sroi import services as ledger
from sroi.demo import verified_long_ago
from sroi.models import Fund, Transaction

from . import services
from .models import (
    Body,
    Choice,
    Decision,
    DecisionRule,
    Participation,
    Proposal,
    SealedBallot,
    Seat,
    Side,
    Vote,
)
from .officing import demo as officing_demo

# The database's rules by its own clock, which `seed_demo` lifts while the demo tells the past
# (common/story.py): votes inside their window, closing and deciding not before closing time.
WINDOW_RULES = [
    (Vote, "vote_only_while_voting"),
    (Participation, "participation_only_while_voting"),
    (SealedBallot, "sealed_ballot_only_while_voting"),
    (Proposal, "proposal_closes_at_its_time"),
    (Decision, "decision_after_the_vote_closes"),
]

BOARD_RULE = "Bestuur: 50%+1, quorum en meerderheid van de gemeenschap"
# Both demo rules: voting opens at the earliest a week after the discussion started.
DISCUSSION_DAYS = 7
POLL_RULE = "Peiling: 50%+1, zonder quorum"

# user name, first name, last name
EXTRA_MEMBERS = {
    "board": [
        ("demo-marcia", "Marcia", "Doelwijt", Side.COMMUNITY),
        ("demo-winston", "Winston", "Kwakoe", Side.COMMUNITY),
        ("demo-esther", "Esther", "Amponsah", Side.COMMUNITY),
        ("demo-wethouder", "Joost", "de Wit", Side.INSTITUTION),
        ("demo-corporatie", "Petra", "Smits", Side.INSTITUTION),
        ("demo-zorgpartner", "Hans", "Bakker", Side.INSTITUTION),
    ],
    "youth": [
        ("demo-naomi", "Naomi", "Pinas", Side.YOUTH),
        ("demo-dylan", "Dylan", "Asante", Side.YOUTH),
    ],
    "advisory": [("demo-toezicht", "Fatima", "El Idrissi", Side.ADVISORY)],
}


def _demo_users() -> dict:
    User = get_user_model()
    users = {}
    for username, first_name, roles, _area in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first_name}
        )
        if created:
            user.set_unusable_password()
            user.is_staff = Role.ADMINISTRATOR in roles
            user.save()
            for role in roles:
                if role is not Role.COMMUNITY_MEMBER:
                    user.groups.add(Group.objects.get(name=role.value))
        users[username] = user
    for username, _first_name, _roles, area_slug in DEMO_USERS:
        if area_slug is None:
            continue
        user = users[username]
        if not MemberVerification.objects.filter(user=user, revoked_at__isnull=True).exists():
            with verified_long_ago():
                account_services.verify_member(
                    user=user,
                    area=Area.objects.get(slug=area_slug),
                    actor=users["ambtenaar"],
                    note="Demo: seed_demo.",
                )
    for members in EXTRA_MEMBERS.values():
        for username, first_name, last_name, _side in members:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": first_name, "last_name": last_name}
            )
            if created:
                user.set_unusable_password()
                user.save()
            users[username] = user
    return users


def _bodies(users, log) -> dict[str, Body]:
    board_rule, _ = DecisionRule.objects.get_or_create(
        name=BOARD_RULE, defaults={"min_discussion_days": DISCUSSION_DAYS}
    )
    DecisionRule.objects.get_or_create(
        name=POLL_RULE,
        defaults={
            "quorum": DecisionRule.Quorum.NONE,
            "community_guarantee": False,
            "min_discussion_days": DISCUSSION_DAYS,
        },
    )
    plans = [
        (
            "board",
            "gemeenschapsbestuur-zuidoost",
            "Gemeenschapsbestuur Zuidoost",
            Body.Kind.BOARD,
            board_rule,
            [("bewoner", Side.COMMUNITY), ("jongere", Side.YOUTH)],
        ),
        (
            "youth",
            "jongerenraad",
            "Jongerenraad",
            Body.Kind.YOUTH_COUNCIL,
            board_rule,
            [("jongere", Side.YOUTH)],
        ),
        (
            "advisory",
            "adviescommissie",
            "Adviescommissie",
            Body.Kind.ADVISORY_COMMITTEE,
            None,
            [("adviseur", Side.ADVISORY)],
        ),
    ]
    bodies = {}
    # Held since the start of last year, so the board could decide the demo's allocation then.
    start = sroi_demo.last_year(1, 1)
    for key, slug, name, kind, rule, holders in plans:
        body, created = Body.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "decision_rule": rule}
        )
        log(f"body {body}: {'created' if created else 'exists'}")
        seats = holders + [(username, side) for username, _f, _l, side in EXTRA_MEMBERS[key]]
        for username, side in seats:
            Seat.objects.get_or_create(
                body=body, user=users[username], defaults={"side": side, "starts_on": start}
            )
        bodies[key] = body
    return bodies


def _decided(title, text, body, votes, users, log) -> None:
    """A board vote of the past month: ten days of discussion, a week of voting, closed a week
    ago."""
    if Proposal.objects.filter(title=title).exists():
        log(f"proposal {title}: exists")
        return
    today = timezone.localdate()
    discussion = _moment(today - timedelta(days=24), 10)
    opens = _moment(today - timedelta(days=14), 19)
    proposal = services.create_proposal(title=title, text=text, body=body, actor=None)
    with freeze_time(discussion):
        services.start_discussion(proposal=proposal, actor=None)
    with freeze_time(discussion + timedelta(days=2, hours=9)):
        services.post_comment(
            proposal=proposal,
            text="Goed dat de community hier zelf over beslist.",
            actor=users["bewoner"],
        )
    with freeze_time(discussion + timedelta(days=6, hours=4)):
        services.post_advice(
            proposal=proposal,
            text="De adviescommissie ziet geen bezwaren tegen de kwaliteit en veiligheid.",
            actor=users["adviseur"],
        )
    with freeze_time(opens):
        proposal = services.open_voting(
            proposal=proposal, closes_at=opens + timedelta(days=7), actor=None
        )
    for index, (username, choice) in enumerate(votes.items()):
        with freeze_time(opens + timedelta(days=1 + index % 5, hours=index)):
            services.cast_vote(proposal=proposal, choice=choice, actor=users[username])
    with freeze_time(proposal.closes_at):
        decision = services.close_voting(actor=None, proposal=proposal)
    log(f"proposal {title}: {decision.outcome}")


ALLOCATION_TITLE = "Toekenning: opbouw en eerste jaar van Community Home 24/7"
ALLOCATION_AMOUNT = Decimal("120000.00")
ALLOCATION_VOTES = {
    "bewoner": Choice.FOR,
    "jongere": Choice.FOR,
    "demo-marcia": Choice.FOR,
    "demo-winston": Choice.FOR,
    "demo-esther": Choice.AGAINST,
    "demo-wethouder": Choice.FOR,
    "demo-corporatie": Choice.AGAINST,
    "demo-zorgpartner": Choice.ABSTAIN,
}
# (description, amount, day): the first last year, the second this year.
TRANCHES = [
    ("Eerste tranche", Decimal("40000.00"), lambda: sroi_demo.last_year(6, 16)),
    ("Tweede tranche", Decimal("30000.00"), lambda: sroi_demo.this_year(3, 2)),
]


def _moment(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _allocation(bodies, users, log) -> None:
    """The adopted fund allocation, carried out, with its tranches; each step once.

    Long because it is one story in the order it happened (proposal, discussion, vote, decision,
    allocation, tranches), each step at its own moment.
    """
    proposal = Proposal.objects.filter(title=ALLOCATION_TITLE).first()
    if proposal is None:
        fund = Fund.objects.filter(name=sroi_demo.FUND_NAME).first()
        initiative = Initiative.objects.filter(slug="community-home-24-7").first()
        if fund is None or initiative is None:
            log("allocation proposal: fund or initiative missing, skipped")
            return
        proposal = services.create_proposal(
            title=ALLOCATION_TITLE,
            text="Community Home 24/7 biedt dag en nacht een veilige plek met begeleiding door "
            "ervaringsdeskundigen. Het gemeenschapsbestuur kent uit het Gemeenschapsfonds "
            "Zuidoost € 120.000 toe voor de opbouw en het eerste jaar, uit te betalen in "
            "tranches; het huis brengt elk kwartaal verslag uit aan het bestuur.",
            body=bodies["board"],
            kind=Proposal.Kind.FUND_ALLOCATION,
            fund=fund,
            initiative=initiative,
            amount=ALLOCATION_AMOUNT,
            purpose="Opbouw en eerste jaar van Community Home 24/7: huur, inrichting, "
            "ervaringsdeskundigen.",
            leefgebieden=list(
                Classification.objects.filter(
                    scheme=Classification.Scheme.LEEFGEBIED,
                    code__in=["veiligheid", "zorg", "huisvesting"],
                )
            ),
            actor=users["ambtenaar"],
        )
        # No comments: they would carry today's date on a vote of last year.
        opens = _moment(sroi_demo.last_year(5, 12), 19)
        with freeze_time(opens - timedelta(days=14)):
            services.start_discussion(proposal=proposal, actor=users["ambtenaar"])
        with freeze_time(opens):
            proposal = services.open_voting(
                proposal=proposal, closes_at=opens + timedelta(days=14), actor=None
            )
        with freeze_time(opens + timedelta(days=2)):
            for username, choice in ALLOCATION_VOTES.items():
                services.cast_vote(proposal=proposal, choice=choice, actor=users[username])
        with freeze_time(proposal.closes_at):
            services.close_voting(actor=None, proposal=proposal)
        proposal.refresh_from_db()
    decision = getattr(proposal, "decision", None)
    if decision is None or not decision.adopted:
        log(f"allocation proposal {proposal}: not adopted")
        return
    if decision.executed_at is None:
        with freeze_time(_moment(sroi_demo.last_year(6, 2), 10)):
            decision = services.execute_decision(decision=decision, actor=users["ambtenaar"])
        log(f"decision {decision.reference}: carried out, allocation #{decision.allocation_id}")
    allocation = decision.allocation
    for description, amount, day in TRANCHES:
        if allocation.transactions.filter(
            kind=Transaction.Kind.DISBURSEMENT, description=description
        ).exists():
            continue
        # recorded on its day, so its message to the proposer is dated then too (the day is
        # counted from today, before the clock is set back)
        paid_on = day()
        with freeze_time(min(_moment(paid_on, 10), timezone.now())):
            ledger.disburse(
                allocation=allocation,
                amount=amount,
                date=paid_on,
                description=description,
                actor=users["ambtenaar"],
            )
        log(f"allocation {decision.reference}: {description} paid")


def seed(log) -> None:
    users = _demo_users()
    bodies = _bodies(users, log)
    _allocation(bodies, users, log)
    # Rejected by the community guarantee: a majority overall, but not on the community side.
    _decided(
        "Cameratoezicht bij het Ontwikkelhub",
        "Voorstel van de partners om camera's te plaatsen bij de ingang van het Ontwikkelhub.",
        bodies["board"],
        {
            "bewoner": Choice.AGAINST,
            "jongere": Choice.AGAINST,
            "demo-marcia": Choice.FOR,
            "demo-winston": Choice.AGAINST,
            "demo-esther": Choice.FOR,
            "demo-wethouder": Choice.FOR,
            "demo-corporatie": Choice.FOR,
            "demo-zorgpartner": Choice.FOR,
        },
        users,
        log,
    )
    # Community Home Bijlmer: two officers and a decided poll with paper votes (issue 12).
    officing_demo.seed(log, users["ambtenaar"])
    _open_poll(log)


def _open_poll(log) -> None:
    """The demo's open poll: made on the first seeding; on a later one (another `make run`)
    only when no round of it is open any more, as the next round, so there is always a poll
    to vote in. An earlier round stays as it was (closed, or waiting for its keys)."""
    now = timezone.now()
    rounds = Proposal.objects.filter(title__startswith=POLL_TITLE)
    if rounds.filter(status=Proposal.Status.VOTING, closes_at__gt=now).exists():
        log(f"poll {POLL_TITLE}: open")
        return
    number = rounds.count() + 1
    title = POLL_TITLE if number == 1 else f"{POLL_TITLE} (ronde {number})"
    poll = services.create_proposal(
        title=title,
        text="Moet Community Home 24/7 ook op zaterdag en zondag met begeleiding open zijn? "
        "Alle geverifieerde bewoners van Zuidoost stemmen, geheim.",
        method=Proposal.Method.POLL,
        areas=[Area.objects.get(slug="zuidoost")],
        decision_rule=DecisionRule.objects.get(name=POLL_RULE),
        actor=None,
    )
    # Ten days of discussion and three of voting behind it; it closes soon after seeding, so a
    # newcomer sees the whole life cycle: vote, close, unlock with the keys, recount.
    with freeze_time(now - timedelta(days=13)):
        services.start_discussion(proposal=poll, actor=None)
    with freeze_time(now - timedelta(days=3)):
        poll = services.open_voting(proposal=poll, closes_at=now + DEMO_POLL_MINUTES, actor=None)
    log(f"poll {title}: open")
    # Each trustee's key can be seen once; here, for the demo, they are seen by seed_demo and
    # printed (`notes`). Any trustee may enter them after closing (the demo log-ins `bewoner`
    # and `jongere` are trustees).
    closes = timezone.localtime(poll.closes_at).strftime("%H:%M")
    NOTES.append(
        f"Demo poll {poll.pk} closes at {closes}. Trustees' keys "
        f"({poll.poll_key.threshold} of {poll.poll_key.trustee_count} unlock it; log in as "
        f"bewoner or jongere and enter them at /voorstellen/{poll.pk}/ontsluiten/):"
    )
    for row in poll.shares.select_related("trustee").order_by("index"):
        share = services.pick_up_share(proposal=poll, actor=row.trustee)
        NOTES.append(f"  {row.trustee.username:<16} {share}")


POLL_TITLE = "Peiling: Community Home ook in het weekend open?"
DEMO_POLL_MINUTES = timedelta(minutes=30)
NOTES: list[str] = []


def notes() -> list[str]:
    """What seed_demo prints at every verbosity: the demo poll's keys, shown only once."""
    found, NOTES[:] = list(NOTES), []
    return found
