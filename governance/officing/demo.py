"""The demo's Community Home (issue 12): Community Home Bijlmer with two officers, and a poll
of last month that had paper votes, counted with four eyes and decided. Idempotent; the past is
recorded with the services' `at`."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from freezegun import freeze_time

from accounts import services as account_services
from accounts.models import Area, MemberVerification
from common.community_home import DEMO_COMMUNITY_HOME
from governance import officing, services
from governance.models import CheckIn, Choice, DecisionRule, Location, OfficerShift, Proposal
from sroi.demo import verified_long_ago

POLL_TITLE = "Peiling: een moestuin achter Community Home Bijlmer?"
LOCATION = DEMO_COMMUNITY_HOME["name"]  # also the help block's place under `make run`
OFFICERS = [
    ("demo-stembureau-anouk", "Anouk", "Vos"),
    ("demo-stembureau-ricardo", "Ricardo", "Lie"),
]
# user name, first name, last name, how they vote ("online", "paper", "online+paper"), and the
# date of birth the civil servant saw at the verification (officers search name + date)
RESIDENTS = [
    ("demo-kiezer-gerda", "Gerda", "Mahabier", "paper", date(1948, 5, 12)),
    ("demo-kiezer-kwame", "Kwame", "Mensah", "paper", date(1976, 11, 3)),
    ("demo-kiezer-lisa", "Lisa", "Tjon", "online", date(1999, 2, 27)),
    ("demo-kiezer-samir", "Samir", "Ouali", "online+paper", None),
]


def _person(username: str, first_name: str, last_name: str):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first_name, "last_name": last_name}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _residents(area, civil_servant) -> dict:
    residents = {}
    for username, first_name, last_name, how, born in RESIDENTS:
        user = _person(username, first_name, last_name)
        if not MemberVerification.objects.filter(user=user, revoked_at__isnull=True).exists():
            with verified_long_ago():
                account_services.verify_member(
                    user=user, area=area, actor=civil_servant, date_of_birth=born
                )
        residents[user] = how
    return residents


def _officers(location, area, civil_servant, opens, closes) -> list:
    officers = [_person(*names) for names in OFFICERS]
    for officer in officers:  # issue 15: an officer is verified in person first
        if not MemberVerification.objects.filter(user=officer, revoked_at__isnull=True).exists():
            with verified_long_ago():
                account_services.verify_member(user=officer, area=area, actor=civil_servant)
    for officer in officers:
        for task, start, end in (
            (OfficerShift.Task.CHECK_IN, opens, closes),
            (OfficerShift.Task.COUNTING, closes, closes + timedelta(hours=2)),
        ):
            officing.add_shift(
                officer=officer,
                location=location,
                starts_at=start,
                ends_at=end,
                task=task,
                appointed_by="Besluit Gemeenschapsbestuur Zuidoost, benoeming stembureauleden",
                actor=civil_servant,
            )
    return officers


def _open_poll(area, location, civil_servant, opens, closes) -> Proposal:
    poll = services.create_proposal(
        title=POLL_TITLE,
        text="Zullen we de strook grond achter Community Home Bijlmer een moestuin voor de buurt "
        "maken? U kunt online stemmen, of op papier en met hulp in Community Home Bijlmer.",
        method=Proposal.Method.POLL,
        areas=[area],
        decision_rule=DecisionRule.objects.get(name="Peiling: 50%+1, zonder quorum"),
        actor=civil_servant,
    )
    # Ten days of discussion before the voting day (the rule asks at least seven).
    with freeze_time(opens - timedelta(days=10)):
        services.start_discussion(proposal=poll, actor=civil_servant)
    officing.offer_poll_at(proposal=poll, location=location, actor=civil_servant)
    with freeze_time(opens):
        return services.open_voting(proposal=poll, closes_at=closes, actor=civil_servant)


def _count_and_decide(poll, location, officers, closes) -> None:
    # One ballot box: the check-in shift of the officer who checked the paper voters in.
    box = CheckIn.objects.filter(proposal=poll, channel=CheckIn.Channel.PAPER).first().shift
    with freeze_time(closes + timedelta(minutes=30)):
        count = officing.enter_paper_count(
            proposal=poll,
            location=location,
            shift=box,
            envelopes=3,
            voor=2,
            tegen=1,
            onthouding=0,
            blank=0,
            invalid=0,
            actor=officers[0],
        )
    with freeze_time(closes + timedelta(minutes=45)):
        officing.confirm_paper_count(count=count, actor=officers[1])
    # The trustees unlocked the votes the next morning: the decision and its message date then.
    with freeze_time(closes + timedelta(hours=14)):
        shares = poll.shares.select_related("trustee").order_by("index")
        for row in shares[: poll.poll_key.threshold]:
            share = services.pick_up_share(proposal=poll, actor=row.trustee)
            services.enter_share(proposal=poll, share=share, actor=row.trustee)
        services.tally_poll(proposal=poll)


def seed(log, civil_servant) -> None:
    if Proposal.objects.filter(title=POLL_TITLE).exists():
        log(f"poll {POLL_TITLE}: exists")
        return
    area = Area.objects.get(slug="zuidoost")
    location = Location.objects.filter(name=LOCATION).first() or officing.create_location(
        name=LOCATION,
        address=DEMO_COMMUNITY_HOME["address"],
        opening_hours=DEMO_COMMUNITY_HOME["hours"],
        actor=civil_servant,
    )
    residents = _residents(area, civil_servant)
    opens = timezone.now() - timedelta(days=30)
    closes = opens + timedelta(hours=10)
    officers = _officers(location, area, civil_servant, opens, closes)
    poll = _open_poll(area, location, civil_servant, opens, closes)
    moment = opens + timedelta(hours=1)
    for user, how in residents.items():
        if "online" in how:
            with freeze_time(moment):
                services.cast_vote(proposal=poll, choice=Choice.FOR, actor=user)
        if "paper" in how:
            with freeze_time(moment + timedelta(hours=2)):
                officing.check_in(
                    proposal=poll,
                    location=location,
                    voter=user,
                    channel=CheckIn.Channel.PAPER,
                    identity_check=CheckIn.IdentityCheck.POLL_CARD,
                    actor=officers[0],
                )
    with freeze_time(closes):
        services.close_voting(proposal=poll, actor=civil_servant)
    _count_and_decide(poll, location, officers, closes)
    log(f"poll {POLL_TITLE}: decided, with paper votes from {LOCATION}")
