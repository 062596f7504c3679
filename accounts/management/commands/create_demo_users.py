"""Create one log-in per role for trying the application out. Never for production."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import second_factor, services
from accounts.models import Area, MemberVerification, Role

# user name, first name, roles, verified for (area slug)
DEMO_USERS = [
    ("bewoner", "Amara", [Role.COMMUNITY_MEMBER], "bijlmer-centrum"),
    ("jongere", "Kofi", [Role.COMMUNITY_MEMBER, Role.YOUTH_COUNCIL], "bijlmer-oost"),
    ("adviseur", "Ingrid", [Role.ADVISORY_MEMBER], None),
    # An officer at the Community Home's table (its shift: budgeting's demo, seeded first).
    ("stembureau", "Olga", [Role.COMMUNITY_MEMBER], "bijlmer-centrum"),
    ("ambtenaar", "Sanne", [Role.CIVIL_SERVANT], None),
    ("beheerder", "Ruud", [Role.ADMINISTRATOR], None),
]


def demo_password(username: str) -> str:
    return f"{username}-demo"


class Command(BaseCommand):
    help = "Create a demo log-in for each role and print the user names and passwords."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Also when DEBUG is off (never on a production site: the passwords are public).",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Demo users have public passwords; refusing with DEBUG off (use --force for a test site)."
            )
        User = get_user_model()
        users = {}
        for username, first_name, roles, _area in DEMO_USERS:
            user, _created = User.objects.get_or_create(
                username=username, defaults={"first_name": first_name}
            )
            user.set_password(demo_password(username))
            user.is_staff = Role.ADMINISTRATOR in roles
            user.save()
            for role in roles:
                if role is not Role.COMMUNITY_MEMBER:
                    user.groups.add(Group.objects.get(name=role.value))
            users[username] = user
        civil_servant = users["ambtenaar"]
        for username, _first_name, _roles, area_slug in DEMO_USERS:
            if area_slug is None:
                continue
            user = users[username]
            if not MemberVerification.objects.filter(user=user, revoked_at__isnull=True).exists():
                area = Area.objects.get(slug=area_slug)
                services.verify_member(
                    user=user, area=area, actor=civil_servant, note="Demo: seed_demo."
                )
        # Staff with a password need a second step: an authenticator key to add to an app, and
        # recovery codes (new ones each run; each works once) for trying it out without an app.
        second_steps = {}
        for username, user in users.items():
            if second_factor.needs_second_factor(user):
                device = second_factor.demo_totp_device(user=user)
                codes = second_factor.new_recovery_codes(user=user)
                second_steps[username] = (second_factor.readable_key(device), codes)
        self.stdout.write("Demo log-ins (password = user name + '-demo'):")
        self.stdout.write(f"  {'user name':<12} {'password':<18} role")
        for username, _first_name, roles, _area in DEMO_USERS:
            labels = ", ".join(str(role.label) for role in roles)
            self.stdout.write(f"  {username:<12} {demo_password(username):<18} {labels}")
        self.stdout.write("Second step for staff: a code from an authenticator app with this key,")
        self.stdout.write("or one of the recovery codes (each works once):")
        for username, (key, codes) in second_steps.items():
            self.stdout.write(f"  {username:<12} key {key}")
            self.stdout.write(f"  {'':<12} recovery codes {' '.join(codes)}")
