"""The demo's budget rounds (issue 14). Last year's round of Zuidoost: voted in October by the
demo residents, computed with equal shares, adopted by the community board as one package,
carried out (one allocation per funded plan) and paid in two tranches, one last year and one this
year; the past is recorded with the clock set back (`freeze_time`). This year's round: open for the demo members
(`bewoner`, `jongere`) to vote in, with two paper ballots entered at the Community Home. The
youth round: over the second demo fund (the youth fund, sroi/demo.py), collecting plans now, so
that a demo member can hand one in; voting comes later. Idempotent: a round that exists is left
alone."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from freezegun import freeze_time

from accounts import services as account_services
from accounts.models import Area, MemberVerification
from governance import officing
from governance import services as governance
from governance.demo import ALLOCATION_VOTES
from governance.models import CheckIn, Location, OfficerShift
from governance.officing.demo import LOCATION, OFFICERS, RESIDENTS
from initiatives.models import Classification
from sroi import demo as sroi_demo
from sroi import services as ledger
from sroi.demo import verified_long_ago
from sroi.models import Allocation, Fund

from . import services
from .models import Ballot, Round

# The database's rules by its own clock, which `seed_demo` lifts while the demo tells the past
# (common/story.py): ballots inside the window, the outcome not before closing time.
WINDOW_RULES = [
    (Ballot, "budget_ballot_only_while_voting"),
    (Round, "round_computed_after_voting_closes"),
]

# (title, description, cost, author, leefgebieden, the review: True (feasible), the reason it is
# not, or (the cost after review, why): a plan that costs more than the round's budget can never
# be feasible, so the review lowered the football cage's)
THIS_YEAR_PLANS = [
    ("Moestuin bij de Kikkenstein", "Een buurtmoestuin met bakken op poten, ook voor ouderen "
     "en mensen in een rolstoel. Bewoners onderhouden hem samen.", 18000, "bewoner",
     ["zorg", "huisvesting"], True),
    ("Huiswerkklas in het Ontwikkelhub", "Twee middagen per week hulp bij huiswerk door "
     "studenten uit de buurt, met fruit en thee.", 24000, "jongere", ["onderwijs", "toekomst"], True),
    ("Speeltuin Gaasperdam opknappen", "Nieuwe schommels en een zandbak, en betere verlichting "
     "zodat ouders 's avonds ook durven.", 45000, "bewoner", ["veiligheid", "gezin"],
     True),
    ("Buurtkeuken op vrijdag", "Elke vrijdag samen koken en eten voor € 3, voor iedereen die "
     "wil aanschuiven.", 15000, "jongere", ["zorg", "identiteit"], True),
    ("Voetbalkooi Holendrecht", "Een voetbalkooi naast het winkelcentrum voor de jongeren van "
     "Holendrecht.", 60000, "jongere", ["toekomst"],
     (40000, "Een kooi van € 60.000 kost meer dan het hele budget van deze ronde. Daarom kan "
      "hij nooit gekozen worden. De gemeente heeft nog hekken liggen. Daarmee kost de kooi "
      "€ 40.000.")),
    ("Taalcafé in de bibliotheek", "Elke week oefenen met Nederlands praten, met vrijwilligers "
     "als gespreksleider.", 9000, "bewoner", ["onderwijs", "werk"], True),
    ("Parkeergarage voor de buurt", "Een kleine parkeergarage onder het plein.", 900000,
     "bewoner", ["huisvesting"],
     "Dit plan kost veel meer dan het fonds heeft, en de grond is niet van de gemeente."),
]  # fmt: skip
THIS_YEAR_TITLE = "Buurtbudget Zuidoost {year}"
# The plans (numbers) ticked on the two paper ballots entered at the Community Home.
PAPER_BALLOTS = [(1, 3, 6), (2, 3, 4, 6)]
LAST_YEAR_TITLE = "Buurtbudget Zuidoost {year}"
LAST_YEAR_PLANS = [
    ("Buurtmoestuin Kraaiennest", "Samen groente kweken op het braakliggende veldje.", 25000,
     "bewoner", ["zorg"]),
    ("Huiswerkhulp in de bieb", "Studenten helpen kinderen twee middagen per week.", 30000,
     "jongere", ["onderwijs"]),
    ("Bankjes langs de Gaasperplas", "Tien bankjes, zodat ouderen onderweg kunnen rusten.",
     20000, "bewoner", ["zorg", "gezin"]),
    ("Danslessen voor jongeren", "Wekelijkse danslessen met optredens in het stadsdeel.", 40000,
     "jongere", ["toekomst", "identiteit"]),
    ("Kookclub voor nieuwkomers", "Samen koken en Nederlands oefenen.", 35000, "bewoner",
     ["werk", "identiteit"]),
    ("Speelplek Holendrecht", "Een nieuwe speelplek met klimrek en zandbak.", 70000, "jongere",
     ["gezin", "veiligheid"]),
]  # fmt: skip
YOUTH_TITLE = "Jongerenbudget Zuidoost {year}"
# (title, description, cost, author, leefgebieden, days ago): handed in since the round opened
# for plans (a week ago); voting opens in four weeks, for two weeks.
YOUTH_PLANS = [
    ("Opnamestudio in het buurthuis", "Een kleine studio waar jongeren muziek en podcasts "
     "opnemen. Een vrijwilliger laat zien hoe alles werkt.", 12000, "jongere",
     ["toekomst", "identiteit"], 5),
    ("Zomersport op het veldje", "Zes weken in de zomer elke middag gratis sport en spel bij "
     "de flats. Twee trainers uit de buurt doen mee.", 8000, "demo-buur06",
     ["gezin", "toekomst"], 2),
]  # fmt: skip
# Demo residents who voted last year (no log-in): which plans (numbers after freezing) each chose.
LAST_YEAR_VOTERS = {
    "demo-buur01": (1, 2, 3), "demo-buur02": (1, 2, 3), "demo-buur03": (1, 3, 5),
    "demo-buur04": (2, 3, 5), "demo-buur05": (1, 2, 6), "demo-buur06": (4, 5, 6),
    "demo-buur07": (4, 5, 6), "demo-buur08": (3, 4, 6), "bewoner": (1, 2, 3, 5),
    "jongere": (2, 4, 6),
}  # fmt: skip


def _leefgebieden(codes):
    return list(
        Classification.objects.filter(scheme=Classification.Scheme.LEEFGEBIED, code__in=codes)
    )


def _this_year(users, fund, area, log) -> None:
    title = THIS_YEAR_TITLE.format(year=timezone.localdate().year)
    if Round.objects.filter(title=title).exists():
        log(f"budget round {title}: exists")
        return
    civil_servant = users["ambtenaar"]
    now = timezone.now()
    # Plans came in three weeks ago and were reviewed one by one last week, so their authors'
    # messages carry those days, not the moment the demo was made.
    with freeze_time(now - timedelta(days=21)):
        round = services.create_round(
            actor=civil_servant, title=title, fund=fund, area=area, min_plans=3,
            voting_opens_at=now - timedelta(days=1), voting_closes_at=now + timedelta(days=14),
        )  # fmt: skip
        round = services.open_ideas(actor=civil_servant, round=round)
    plans = []
    for index, (name, text, cost, author, codes, review) in enumerate(THIS_YEAR_PLANS):
        with freeze_time(now - timedelta(days=20 - index, hours=3)):
            plan = services.submit_plan(
                actor=users[author], round=round, title=name, description=text,
                cost=Decimal(cost), leefgebieden=_leefgebieden(codes),
            )  # fmt: skip
        plans.append((plan, review))
    reviewed = now - timedelta(days=8, hours=2)
    with freeze_time(reviewed):
        round = services.start_review(actor=civil_servant, round=round)
    for index, (plan, review) in enumerate(plans):
        with freeze_time(reviewed + timedelta(days=index // 3, minutes=40 * (index + 1))):
            _review(civil_servant, plan, review)
    round = services.freeze_round(actor=civil_servant, round=round)
    round = services.open_voting(actor=civil_servant, round=round)
    log(f"budget round {title}: voting open, budget {round.budget}")
    _paper_ballots(round, civil_servant, log)


def _review(civil_servant, plan, review) -> None:
    if review is True:
        services.review_plan(actor=civil_servant, plan=plan, feasible=True)
    elif isinstance(review, tuple):
        cost, reason = review
        services.review_plan(actor=civil_servant, plan=plan, feasible=True,
                             reviewed_cost=Decimal(cost), reason=reason)  # fmt: skip
    else:
        services.review_plan(actor=civil_servant, plan=plan, feasible=False, reason=review)


def _paper_ballots(round, civil_servant, log) -> None:
    """Two residents without a screen voted on paper at the Community Home: an officer in a
    check-in shift there (today) entered their ballots."""
    User = get_user_model()
    location = Location.objects.filter(name=LOCATION).first()
    officer = User.objects.filter(username=OFFICERS[0][0]).first()
    if location is None or officer is None:
        log("budget round: Community Home or its officer missing, no paper ballots")
        return
    officing.add_shift(
        officer=officer, location=location, task=OfficerShift.Task.CHECK_IN,
        # today's shift begins as the demo is seeded (not earlier: a poll that closed before it
        # at this location would count its ballot box)
        starts_at=timezone.now() - timedelta(minutes=1), ends_at=timezone.now() + timedelta(hours=8),
        appointed_by="Besluit Gemeenschapsbestuur Zuidoost, benoeming stembureauleden",
        actor=civil_servant,
    )  # fmt: skip
    plans = {p.number: p for p in round.plans.filter(number__isnull=False)}
    entered = 0
    for (username, *_rest), numbers in zip(RESIDENTS[:2], PAPER_BALLOTS, strict=True):
        voter = User.objects.filter(username=username).first()
        if voter is None:
            continue
        services.enter_paper_ballot(
            actor=officer, round=round, location=location, voter=voter,
            plans=[plans[n] for n in numbers], channel=Ballot.Channel.PAPER,
            identity_check=CheckIn.IdentityCheck.ID_DOCUMENT,
        )  # fmt: skip
        entered += 1
    log(f"budget round {round.title}: {entered} paper ballots entered at {LOCATION}")


def _past(month: int, day: int, hour: int = 12) -> datetime:
    moment = datetime.combine(sroi_demo.last_year(month, day), time(hour))
    return timezone.make_aware(moment)


def _demo_voters(users, area, log) -> dict:
    """The demo residents of last year's round: verified members of Zuidoost, without log-in."""
    User = get_user_model()
    voters = {}
    for username in LAST_YEAR_VOTERS:
        user = users.get(username)
        if user is None:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": "Buur", "last_name": username[-2:]}
            )
            if created:
                user.set_unusable_password()
                user.save()
        if not MemberVerification.objects.filter(user=user, revoked_at__isnull=True).exists():
            with verified_long_ago():
                account_services.verify_member(
                    user=user, area=area, actor=users["ambtenaar"], note="Demo: seed_demo."
                )
        voters[username] = user
    return voters


def _last_year(users, fund, area, log) -> None:
    """Last year's round, told from start to end: plans, ballots, the outcome, the board's
    adoption and the allocations carried out, each at its own moment.

    Long because it is one story in the order it happened; split, the moments (which the
    services check against each other) would be scattered over helpers.
    """
    title = LAST_YEAR_TITLE.format(year=sroi_demo.last_year(1, 1).year)
    if Round.objects.filter(title=title).exists():
        log(f"budget round {title}: exists")
        return
    civil_servant = users["ambtenaar"]
    voters = _demo_voters(users, area, log)
    ballots_from, ballots_until = _past(10, 5, 9), _past(10, 19, 18)  # counted from today
    with freeze_time(_past(9, 1, 10)):
        round = services.create_round(
            actor=civil_servant, title=title, fund=fund, area=area, min_plans=3,
            voting_opens_at=ballots_from, voting_closes_at=ballots_until,
        )  # fmt: skip
        round = services.open_ideas(actor=civil_servant, round=round)
    for index, (name, text, cost, author, codes) in enumerate(LAST_YEAR_PLANS):
        with freeze_time(_past(9, 3 + 2 * index, 15)):
            services.submit_plan(
                actor=voters[author], round=round, title=name, description=text,
                cost=Decimal(cost), leefgebieden=_leefgebieden(codes),
            )  # fmt: skip
    with freeze_time(_past(9, 22, 9)):
        round = services.start_review(actor=civil_servant, round=round)
    for index, plan in enumerate(round.plans.order_by("pk")):
        with freeze_time(_past(9, 23 + index // 3, 10 + index % 3)):
            services.review_plan(actor=civil_servant, plan=plan, feasible=True)
    with freeze_time(_past(10, 1)):
        round = services.freeze_round(actor=civil_servant, round=round)
    round = services.open_voting(actor=civil_servant, round=round)
    plans = {p.number: p for p in round.plans.all()}
    with freeze_time(_past(10, 10)):
        for username, numbers in LAST_YEAR_VOTERS.items():
            services.cast_ballot(
                actor=voters[username], round=round, plans=[plans[n] for n in numbers]
            )
    with freeze_time(_past(10, 20)):
        round = services.compute_outcome(actor=civil_servant, round=round)
    # Putting the outcome to the board registers the funded plans that are not in the register
    # yet (budgeting/services/adoption.py): on that day of the story, so last year's report
    # counts them in the register on 31 December, as it counts the money they got.
    with freeze_time(_past(10, 20, 14)):
        round = services.submit_to_board(actor=civil_servant, round=round)
    with freeze_time(_past(10, 21)):
        proposal = governance.start_discussion(proposal=round.proposal, actor=civil_servant)
    closes = _past(11, 4, 18)  # before setting the clock back: `_past` counts from today
    with freeze_time(_past(10, 28, 19)):
        proposal = governance.open_voting(proposal=proposal, closes_at=closes, actor=None)
    User = get_user_model()
    with freeze_time(_past(10, 30)):
        for username, choice in ALLOCATION_VOTES.items():
            governance.cast_vote(
                proposal=proposal, choice=choice, actor=User.objects.get(username=username)
            )
    with freeze_time(proposal.closes_at):
        governance.close_voting(proposal=proposal, actor=civil_servant)
    proposal.refresh_from_db()
    with freeze_time(_past(11, 10, 10)):
        decision = governance.execute_decision(decision=proposal.decision, actor=civil_servant)
    # Two tranches per plan: half in December, the rest in February of this year.
    for allocation in Allocation.objects.filter(decision_id=decision.pk):
        half = (allocation.amount / 2).quantize(Decimal("0.01"))
        for description, amount, day in (
            ("Eerste tranche", half, sroi_demo.last_year(12, 1)),
            ("Tweede tranche", allocation.amount - half, sroi_demo.this_year(2, 1)),
        ):
            with freeze_time(min(timezone.make_aware(datetime.combine(day, time(10))),
                                 timezone.now())):  # fmt: skip
                ledger.disburse(allocation=allocation, amount=amount, date=day,
                                description=description, actor=civil_servant)  # fmt: skip
    services.settle_round(actor=civil_servant, round=round)
    log(f"budget round {title}: adopted ({decision.reference}), paid in two tranches")


def seed(log) -> None:
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=["ambtenaar", "bewoner",
                                                                      "jongere"])}  # fmt: skip
    fund = Fund.objects.filter(name=sroi_demo.FUND_NAME).first()
    area = Area.objects.filter(slug="zuidoost").first()
    if len(users) < 3 or fund is None or area is None:
        log("budget rounds: demo users, fund or area missing, skipped")
        return
    _last_year(users, fund, area, log)
    _this_year(users, fund, area, log)
    _youth_round(users["ambtenaar"], area, log)
    _table_officer(users["ambtenaar"], log)


def _youth_round(civil_servant, area, log) -> None:
    """The youth fund's round, collecting plans since a week ago: two residents of Zuidoost
    handed one in, and every verified resident of Zuidoost (`bewoner`, `jongere`) may still."""
    title = YOUTH_TITLE.format(year=timezone.localdate().year)
    if Round.objects.filter(title=title).exists():
        log(f"budget round {title}: exists")
        return
    fund = Fund.objects.filter(name=sroi_demo.YOUTH_FUND_NAME).first()
    authors = {u.username: u for u in get_user_model().objects.filter(
        username__in={author for _t, _d, _c, author, _l, _a in YOUTH_PLANS})}  # fmt: skip
    if fund is None or len(authors) < len(YOUTH_PLANS):
        log(f"budget round {title}: youth fund or plan authors missing, skipped")
        return
    now = timezone.now()
    opens = timezone.localtime(now + timedelta(days=28)).replace(hour=9, minute=0, second=0,
                                                                 microsecond=0)  # fmt: skip
    with freeze_time(now - timedelta(days=7)):
        round = services.create_round(
            actor=civil_servant, title=title, fund=fund, area=area, min_plans=3,
            voting_opens_at=opens, voting_closes_at=opens + timedelta(days=14, hours=9),
        )  # fmt: skip
        round = services.open_ideas(actor=civil_servant, round=round)
    for name, text, cost, author, codes, days_ago in YOUTH_PLANS:
        with freeze_time(now - timedelta(days=days_ago, hours=4)):
            services.submit_plan(
                actor=authors[author], round=round, title=name, description=text,
                cost=Decimal(cost), leefgebieden=_leefgebieden(codes),
            )  # fmt: skip
    log(f"budget round {title}: collecting plans, budget now {services.budget_now(round)}")


# The demo log-in at the Community Home's table (accounts' create_demo_users gives it its
# password): user name, first name, last name.
TABLE_OFFICER = ("stembureau", "Olga", "Pinas")


def _table_officer(civil_servant, log) -> None:
    """`stembureau` has a check-in shift at the Community Home that runs now, so a newcomer
    opens the table of this year's round from /diensten/: a new one at every seeding when none
    runs (an officer is verified in person first, issue 15)."""
    location = Location.objects.filter(name=LOCATION).first()
    area = Area.objects.filter(slug="bijlmer-centrum").first()
    if location is None or area is None:
        log("officer stembureau: Community Home or area missing, skipped")
        return
    username, first_name, last_name = TABLE_OFFICER
    officer, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first_name, "last_name": last_name}
    )
    if not officer.last_name:  # made by create_demo_users first, with a first name only
        officer.last_name = last_name
        officer.save(update_fields=["last_name"])
    if not MemberVerification.objects.filter(user=officer, revoked_at__isnull=True).exists():
        with verified_long_ago():
            account_services.verify_member(user=officer, area=area, actor=civil_servant)
    now = timezone.now()
    if OfficerShift.objects.filter(officer=officer, starts_at__lte=now, ends_at__gt=now).exists():
        log("officer stembureau: on shift")
        return
    officing.add_shift(
        officer=officer, location=location, task=OfficerShift.Task.CHECK_IN,
        starts_at=now - timedelta(minutes=1), ends_at=now + timedelta(hours=8),
        appointed_by="Besluit Gemeenschapsbestuur Zuidoost, benoeming stembureauleden",
        actor=civil_servant,
    )  # fmt: skip
    log(f"officer stembureau: a check-in shift at {LOCATION} for the next 8 hours")
