import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.management.commands.create_demo_users import DEMO_USERS, demo_password
from accounts.models import Area, MemberVerification, Role, User
from budgeting.demo import LAST_YEAR_VOTERS
from governance.officing.demo import OFFICERS as COMMUNITY_HOME_OFFICERS
from governance.officing.demo import RESIDENTS as COMMUNITY_HOME_RESIDENTS

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_with_debug_off_and_writes_nothing(settings):
    """A real site's fund of the demo's name would get made-up money and a decision by
    made-up people (insider review); only `make run` (DEBUG on) or --force runs it."""
    from governance.models import Proposal
    from sroi.models import Fund, Transaction

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo", verbosity=0)
    assert not Fund.objects.exists() and not Transaction.objects.exists()
    assert not Proposal.objects.exists() and not User.objects.exists()
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    assert Fund.objects.exists()


def test_seed_demo_is_idempotent():
    call_command("seed_demo", verbosity=0, force=True)
    first = list(Area.objects.values_list("slug", "parent__slug"))
    call_command("seed_demo", verbosity=0, force=True)
    assert list(Area.objects.values_list("slug", "parent__slug")) == first
    assert ("bijlmer-centrum", "zuidoost") in first


def test_demo_users_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("create_demo_users")
    assert not User.objects.exists()


def test_each_demo_user_logs_in_and_sees_their_role(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0, force=True)
    call_command("create_demo_users", verbosity=0)
    call_command("create_demo_users", verbosity=0)  # idempotent
    out = io.StringIO()
    call_command("create_demo_users", verbosity=0, stdout=out)
    recovery = dict(re.findall(r"^  (\w+) +key .*\n +recovery codes (\S+)", out.getvalue(), re.M))
    assert set(recovery) == {"ambtenaar", "beheerder"}
    # the two demo members and the table's officer (`stembureau`, verified in person by the
    # budgeting demo), the residents and officers of the Community Home (governance; an
    # officer is verified in person, issue 15) and the residents who voted in last year's budget
    # round (budgeting)
    round_voters = [name for name in LAST_YEAR_VOTERS if name not in ("bewoner", "jongere")]
    assert MemberVerification.objects.filter(revoked_at__isnull=True).count() == 3 + len(
        COMMUNITY_HOME_RESIDENTS
    ) + len(COMMUNITY_HOME_OFFICERS) + len(round_voters)
    for username, _first, roles, _area in DEMO_USERS:
        client = Client()
        response = client.post(
            "/accounts/inloggen/", {"username": username, "password": demo_password(username)}
        )
        assert response.status_code == 302, username
        if username in recovery:
            # Staff do the second step with a printed recovery code.
            assert client.get("/").url.startswith("/accounts/tweede-stap/")
            done = client.post("/accounts/tweede-stap/", {"token": recovery[username]})
            assert done.status_code == 302, username
        html = client.get("/").content.decode()
        assert f'data-testid="current-user">{username}<' in html
        user = User.objects.get(username=username)
        assert user.roles == [r for r in Role if r in roles]
        for role in roles:
            assert str(role.label) in html


def test_the_demo_officer_finds_a_running_shift_and_the_budget_rounds_table(settings):
    """`stembureau` logs in and goes from Mijn diensten to the paper ballots of this year's
    round at the Community Home; seeding again adds no second running shift."""
    from governance.models import OfficerShift

    settings.DEBUG = True
    call_command("seed_demo", verbosity=0, force=True)
    call_command("create_demo_users", verbosity=0)
    call_command("seed_demo", verbosity=0, force=True)
    assert OfficerShift.objects.filter(officer__username="stembureau").count() == 1
    client = Client()
    client.post("/accounts/inloggen/", {"username": "stembureau", "password": "stembureau-demo"})
    page = client.get("/diensten/").content.decode()
    table = re.search(r'href="(/begroting/\d+/buurthuis/[\w-]+/)"', page)
    assert table is not None, page
    assert client.get(table[1]).status_code == 200


def test_the_demo_officer_has_a_full_name_whichever_command_made_her(settings):
    """`create_demo_users` makes `stembureau` with a first name only (a database seeded before
    the budgeting demo had its officer); seeding again completes it, so the location's page
    and the batch labels name her."""
    from budgeting.demo import TABLE_OFFICER

    settings.DEBUG = True
    call_command("seed_demo", verbosity=0, force=True)
    call_command("create_demo_users", verbosity=0)
    # As `create_demo_users` left her when it ran first (its defaults: a first name).
    User.objects.filter(username="stembureau").update(last_name="")
    call_command("seed_demo", verbosity=0, force=True)
    officer = User.objects.get(username="stembureau")
    assert officer.get_full_name() == f"{TABLE_OFFICER[1]} {TABLE_OFFICER[2]}"
