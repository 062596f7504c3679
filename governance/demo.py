"""The demo scenario's governance (DOMAIN.md §4): three bodies with their seats, an adopted and a
rejected board decision, and an open community poll the demo members can vote in.

`seed_demo` runs before `create_demo_users`, so the demo log-ins are made here when missing, with
the roles of `create_demo_users` but without a usable password; that command later sets the
passwords and finds the verification already done. The other seat holders cannot log in.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import services as account_services
from accounts.management.commands.create_demo_users import DEMO_USERS
from accounts.models import Area, MemberVerification, Role

from . import services
from .models import Body, DecisionRule, Proposal, Seat, Side

BOARD_RULE = "Bestuur: 50%+1, quorum en community-meerderheid"
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
    board_rule, _ = DecisionRule.objects.get_or_create(name=BOARD_RULE)
    DecisionRule.objects.get_or_create(
        name=POLL_RULE,
        defaults={"quorum": DecisionRule.Quorum.NONE, "community_guarantee": False},
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
    start = timezone.localdate().replace(month=1, day=1)
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
    if Proposal.objects.filter(title=title).exists():
        log(f"proposal {title}: exists")
        return
    proposal = services.create_proposal(title=title, text=text, body=body, actor=None)
    services.start_discussion(proposal=proposal, actor=None)
    services.post_advice(
        proposal=proposal,
        text="De adviescommissie ziet geen bezwaren tegen de kwaliteit en veiligheid.",
        actor=users["adviseur"],
    )
    services.post_comment(
        proposal=proposal,
        text="Goed dat de community hier zelf over beslist.",
        actor=users["bewoner"],
    )
    proposal = services.open_voting(
        proposal=proposal, closes_at=timezone.now() + timedelta(minutes=1), actor=None
    )
    for username, choice in votes.items():
        services.cast_vote(proposal=proposal, choice=choice, actor=users[username])
    decision = services.close_voting(proposal=proposal, at=proposal.closes_at)
    log(f"proposal {title}: {decision.outcome}")


def seed(log) -> None:
    users = _demo_users()
    bodies = _bodies(users, log)
    _decided(
        "Community Home 24/7 wordt vaste partner van het gemeenschapsbestuur",
        "Het gemeenschapsbestuur erkent Community Home 24/7 als vaste partner: het huis "
        "brengt elk kwartaal verslag uit aan het bestuur en de community.",
        bodies["board"],
        {
            "bewoner": "voor",
            "jongere": "voor",
            "demo-marcia": "voor",
            "demo-winston": "voor",
            "demo-esther": "tegen",
            "demo-wethouder": "voor",
            "demo-corporatie": "tegen",
            "demo-zorgpartner": "onthouding",
        },
        users,
        log,
    )
    # Rejected by the community guarantee: a majority overall, but not on the community side.
    _decided(
        "Cameratoezicht bij het Ontwikkelhub",
        "Voorstel van de partners om camera's te plaatsen bij de ingang van het Ontwikkelhub.",
        bodies["board"],
        {
            "bewoner": "tegen",
            "jongere": "tegen",
            "demo-marcia": "voor",
            "demo-winston": "tegen",
            "demo-esther": "voor",
            "demo-wethouder": "voor",
            "demo-corporatie": "voor",
            "demo-zorgpartner": "voor",
        },
        users,
        log,
    )
    title = "Peiling: Community Home ook in het weekend open?"
    if Proposal.objects.filter(title=title).exists():
        log(f"poll {title}: exists")
        return
    poll = services.create_proposal(
        title=title,
        text="Moet Community Home 24/7 ook op zaterdag en zondag met begeleiding open zijn? "
        "Alle geverifieerde bewoners van Zuidoost stemmen, geheim.",
        method=Proposal.Method.POLL,
        areas=[Area.objects.get(slug="zuidoost")],
        decision_rule=DecisionRule.objects.get(name=POLL_RULE),
        actor=None,
    )
    services.start_discussion(proposal=poll, actor=None)
    services.open_voting(proposal=poll, closes_at=timezone.now() + timedelta(days=14), actor=None)
    log(f"poll {title}: open")
