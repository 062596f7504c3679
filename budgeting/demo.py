"""The demo's budget rounds (issue 14): this year's round of Zuidoost, open for the demo
members (`bewoner`, `jongere`) to vote in. Idempotent: a round that exists is left alone."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Area
from initiatives.models import Classification
from sroi import demo as sroi_demo
from sroi.models import Fund

from . import services
from .models import Round

# (title, description, cost, author, leefgebieden, feasible or the reason it is not)
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
     "Holendrecht.", 60000, "jongere", ["toekomst"], True),
    ("Taalcafé in de bibliotheek", "Elke week oefenen met Nederlands praten, met vrijwilligers "
     "als gespreksleider.", 9000, "bewoner", ["onderwijs", "werk"], True),
    ("Parkeergarage voor de buurt", "Een kleine parkeergarage onder het plein.", 900000,
     "bewoner", ["huisvesting"],
     "Dit plan kost veel meer dan het fonds heeft, en de grond is niet van de gemeente."),
]  # fmt: skip
THIS_YEAR_TITLE = "Buurtbudget Zuidoost {year}"


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
    round = services.create_round(
        actor=civil_servant, title=title, fund=fund, area=area, min_plans=3,
        voting_opens_at=now - timedelta(days=1), voting_closes_at=now + timedelta(days=14),
    )  # fmt: skip
    round = services.open_ideas(actor=civil_servant, round=round)
    plans = []
    for name, text, cost, author, codes, review in THIS_YEAR_PLANS:
        plan = services.submit_plan(
            actor=users[author], round=round, title=name, description=text,
            cost=Decimal(cost), leefgebieden=_leefgebieden(codes),
        )  # fmt: skip
        plans.append((plan, review))
    round = services.start_review(actor=civil_servant, round=round)
    for plan, review in plans:
        if review is True:
            services.review_plan(actor=civil_servant, plan=plan, feasible=True)
        else:
            services.review_plan(actor=civil_servant, plan=plan, feasible=False, reason=review)
    round = services.freeze_round(actor=civil_servant, round=round)
    services.open_voting(actor=civil_servant, round=round)
    log(f"budget round {title}: voting open, budget {round.budget}")


def seed(log) -> None:
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=["ambtenaar", "bewoner",
                                                                      "jongere"])}  # fmt: skip
    fund = Fund.objects.filter(name=sroi_demo.FUND_NAME).first()
    area = Area.objects.filter(slug="zuidoost").first()
    if len(users) < 3 or fund is None or area is None:
        log("budget rounds: demo users, fund or area missing, skipped")
        return
    _this_year(users, fund, area, log)
