"""The demo scenario's social return (DOMAIN.md §3-4): the museum build and two more contracts,
realisations (verified, rejected, claimed), and the community fund of Zuidoost with the money
that came in: two cash contributions of the museum build and a municipal top-up last year, and a
contribution of the catering contract this year. A second fund, the youth fund of Zuidoost, got
its money this year (the municipality and the digital services contract): budgeting/demo.py runs
a round over it that collects plans, as all the first fund's free money is promised to this
year's vote.

The money goes out only by a community decision: governance/demo.py (which runs after this)
has the board adopt the allocation to Community Home 24/7, carries it out through the ledger and
pays its tranches. Money is dated in the previous calendar year (the year of the demo's annual
report), with a little in the current year so that "this year" on the overview shows something.

Runs after initiatives/demo.py. Idempotent: contracts by reference, realisations by contract and
person reference, and the fund's money only when the fund has no transactions yet.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from freezegun import freeze_time

from accounts.models import Area

from . import selectors, services
from .models import BuildingBlock, Contract, Contractor, Fund, Realisation, TargetGroup

FUND_NAME = "Gemeenschapsfonds Zuidoost"
YOUTH_FUND_NAME = "Jongerenfonds Zuidoost"

CONTRACTORS = [
    ("Bouwcombinatie Slavernijmuseum", "90000001", "C. de Vries", "sroi@bouwcombinatie.example"),
    ("Keuken van Zuidoost B.V.", "90000002", "A. Mensah", "info@keukenzuidoost.example"),
    ("Digitaal Zuidoost B.V.", "90000003", "R. Baldewsingh", "sroi@digitaalzuidoost.example"),
]

# reference, title, department, contractor kvk, value, percentage, award, start, end, kind
CONTRACTS = [
    (
        "AMS-2024-0001",
        "Bouw Nationaal Slavernijmuseum",
        "Ruimte en Economie",
        "90000001",
        "100000000.00",
        "5.00",
        datetime.date(2024, 6, 3),
        datetime.date(2024, 9, 2),
        datetime.date(2028, 12, 31),
        Contract.ObligationKind.RESULT,
    ),
    (
        "AMS-2025-0142",
        "Catering stadsdeelkantoor Zuidoost",
        "Stadsdeel Zuidoost",
        "90000002",
        "1200000.00",
        "5.00",
        datetime.date(2025, 1, 15),
        datetime.date(2025, 3, 1),
        datetime.date(2027, 2, 28),
        Contract.ObligationKind.EFFORT,
    ),
    (
        "AMS-2025-0305",
        "Digitale dienstverlening Zuidoost",
        "Dienstverlening en Informatie",
        "90000003",
        "800000.00",
        "5.00",
        datetime.date(2025, 4, 1),
        datetime.date(2025, 5, 1),
        datetime.date(2026, 10, 31),
        Contract.ObligationKind.RESULT,
    ),
]

# contract, block code, bonus codes, target group, person, start, end, hours, invoice, outcome
REALISATIONS = [
    (
        "AMS-2024-0001",
        "participatiewet",
        ["bonus-vast-contract"],
        TargetGroup.PARTICIPATIEWET,
        "BSM-2024-001",
        datetime.date(2024, 10, 1),
        datetime.date(2025, 9, 30),
        "36",
        None,
        "verified",
    ),
    (
        "AMS-2024-0001",
        "mbo-bbl",
        [],
        TargetGroup.DESCENDANTS,
        "BSM-2024-002",
        datetime.date(2024, 9, 2),
        datetime.date(2026, 8, 31),
        "32",
        None,
        "verified",
    ),
    (
        "AMS-2024-0001",
        "inkoop-sociale-onderneming",
        [],
        TargetGroup.SYSTEM_HARMED,
        "",
        datetime.date(2025, 2, 1),
        datetime.date(2025, 6, 30),
        None,
        "125000.00",
        "verified",
    ),
    (
        "AMS-2024-0001",
        "doelgroepregister",
        [],
        TargetGroup.JOB_AGREEMENT,
        "BSM-2025-003",
        datetime.date(2025, 1, 6),
        datetime.date(2025, 12, 31),
        "24",
        None,
        "rejected",
    ),
    (
        "AMS-2024-0001",
        "ww",
        ["bonus-50-plus"],
        TargetGroup.UNEMPLOYMENT,
        "BSM-2025-004",
        datetime.date(2025, 6, 2),
        datetime.date(2026, 5, 31),
        "36",
        None,
        "claimed",
    ),
    (
        "AMS-2025-0142",
        "participatiewet",
        ["bonus-statushouder-taal"],
        TargetGroup.STATUS_HOLDER,
        "KZO-2025-01",
        datetime.date(2025, 3, 1),
        datetime.date(2026, 2, 28),
        "28",
        None,
        "verified",
    ),
    (
        "AMS-2025-0142",
        "wia-wao",
        [],
        TargetGroup.DISABILITY,
        "KZO-2025-02",
        datetime.date(2025, 4, 1),
        datetime.date(2026, 3, 31),
        "20",
        None,
        "verified",
    ),
    (
        "AMS-2025-0305",
        "mbo-bbl",
        [],
        TargetGroup.STUDENT,
        "DZO-2025-01",
        datetime.date(2025, 9, 1),
        datetime.date(2026, 8, 31),
        "32",
        None,
        "verified",
    ),
]
REJECTION = "Geen arbeidsovereenkomst of inschrijving in het doelgroepregister bijgevoegd."


def last_year(month: int, day: int) -> datetime.date:
    """A day in the previous calendar year: the year of the demo's annual report."""
    return datetime.date(timezone.localdate().year - 1, month, day)


def verified_long_ago():
    """The clock at which the demo verifies its members: before its story of the past begins
    (January of last year). With the clock set back, a vote of last year asks who was verified
    then; a verification of the demo never expires (no `valid_days`)."""
    moment = datetime.time(9)
    return freeze_time(
        datetime.datetime.combine(last_year(1, 2), moment, tzinfo=timezone.get_current_timezone())
    )


def this_year(month: int, day: int) -> datetime.date:
    """A day in the current year, never after today (the ledger refuses future dates)."""
    today = timezone.localdate()
    return min(datetime.date(today.year, month, day), today)


def seed(log) -> None:
    contracts = _contracts(log)
    _realisations(contracts, log)
    _fund(contracts, log)
    _youth_fund(contracts, log)


def _contracts(log) -> dict[str, Contract]:
    contractors = {}
    for name, kvk, contact, email in CONTRACTORS:
        contractor = Contractor.objects.filter(kvk_number=kvk).first()
        if contractor is None:
            contractor = services.create_contractor(
                actor=None, name=name, kvk_number=kvk, contact_name=contact, contact_email=email
            )
        contractors[kvk] = contractor
    contracts = {}
    for ref, title, dept, kvk, value, pct, award, start, end, kind in CONTRACTS:
        contract = Contract.objects.filter(reference=ref).first()
        created = contract is None
        if created:
            contract = services.create_contract(
                actor=None,
                reference=ref,
                title=title,
                department=dept,
                contractor=contractors[kvk],
                value=Decimal(value),
                percentage=Decimal(pct),
                award_date=award,
                start_date=start,
                end_date=end,
                obligation_kind=kind,
            )
        contracts[ref] = contract
        log(
            f"contract {ref}: {'created' if created else 'exists'} (obligation {contract.obligation})"
        )
    return contracts


def _realisations(contracts: dict[str, Contract], log) -> None:
    for ref, code, bonus_codes, group, person, start, end, hours, invoice, outcome in REALISATIONS:
        contract = contracts[ref]
        if Realisation.objects.filter(
            contract=contract, block__code=code, person_reference=person, start_date=start
        ).exists():
            log(f"realisation {ref} {code} {person}: exists")
            continue
        catalogue = selectors.catalogue_in_force(contract.award_date)
        blocks = {b.code: b for b in BuildingBlock.objects.filter(catalogue=catalogue)}
        realisation = services.claim_realisation(
            contract=contract,
            block=blocks[code],
            bonuses=[blocks[c] for c in bonus_codes],
            target_group=group,
            person_reference=person,
            start_date=start,
            end_date=end,
            hours_per_week=Decimal(hours) if hours else None,
            invoice_amount=Decimal(invoice) if invoice else None,
            actor=None,
        )
        if outcome == "verified":
            services.verify_realisation(realisation=realisation, actor=None)
        elif outcome == "rejected":
            services.reject_realisation(realisation=realisation, reason=REJECTION, actor=None)
        log(f"realisation {ref} {code} {person}: created ({outcome}, {realisation.value})")


def _fund(contracts: dict[str, Contract], log) -> None:
    fund = Fund.objects.filter(name=FUND_NAME).first()
    if fund is None:
        fund = services.create_fund(
            name=FUND_NAME,
            area=Area.objects.filter(slug="zuidoost").first(),
            description=(
                "Social-returngeld uit gemeentelijke contracten, waarover de gemeenschap in "
                "Zuidoost beslist."
            ),
            actor=None,
        )
    if fund.transactions.exists():
        log(f"fund {fund}: exists with transactions")
        return
    museum = contracts["AMS-2024-0001"]
    services.record_contribution(
        fund=fund,
        contract=museum,
        amount=Decimal("150000.00"),
        date=last_year(2, 14),
        description="Social-returnbetaling bouw museum, eerste termijn",
        actor=None,
    )
    services.record_other_income(
        fund=fund,
        amount=Decimal("50000.00"),
        date=last_year(4, 1),
        description="Aanvulling door de gemeente (raadsbesluit, demo)",
        actor=None,
    )
    services.record_contribution(
        fund=fund,
        contract=museum,
        amount=Decimal("100000.00"),
        date=last_year(9, 30),
        description="Social-returnbetaling bouw museum, tweede termijn",
        actor=None,
    )
    services.record_contribution(
        fund=fund,
        contract=contracts["AMS-2025-0142"],
        amount=Decimal("25000.00"),
        date=this_year(1, 20),
        description="Social-returnbetaling catering stadsdeelkantoor",
        actor=None,
    )
    log(f"fund {fund}: contributions and the municipal top-up recorded")


def _youth_fund(contracts: dict[str, Contract], log) -> None:
    """The youth fund of Zuidoost: money from this year only, so last year's report keeps its
    figures; none of it is promised, so a round over it has a budget."""
    fund = Fund.objects.filter(name=YOUTH_FUND_NAME).first()
    if fund is None:
        fund = services.create_fund(
            name=YOUTH_FUND_NAME,
            area=Area.objects.filter(slug="zuidoost").first(),
            description=(
                "Geld voor plannen van en voor jongeren in Zuidoost. De gemeente en een bedrijf "
                "met een contract betalen mee. Bewoners bedenken samen waar het geld naartoe gaat."
            ),
            actor=None,
        )
    if fund.transactions.exists():
        log(f"fund {fund}: exists with transactions")
        return
    services.record_other_income(
        fund=fund,
        amount=Decimal("30000.00"),
        date=this_year(3, 2),
        description="Bijdrage van de gemeente voor het Jongerenfonds (raadsbesluit, demo)",
        actor=None,
    )
    services.record_contribution(
        fund=fund,
        contract=contracts["AMS-2025-0305"],
        amount=Decimal("10000.00"),
        date=this_year(6, 1),
        description="Social-returnbetaling digitale dienstverlening, voor digitale vaardigheden",
        actor=None,
    )
    log(f"fund {fund}: the municipal contribution and a contribution of a contract recorded")
