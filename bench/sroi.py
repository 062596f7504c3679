"""Benchmark of the social-return pages: contracts, realisations and a large fund ledger.

    make bench-sroi                                      # SQLite file in a temporary folder
    .venv/bin/python bench/sroi.py                       # the same, without the Makefile
    BENCH_DATABASE_URL=postgres://… .venv/bin/python bench/sroi.py   # an empty PostgreSQL database
    .venv/bin/python bench/sroi.py --postgres            # a throwaway PostgreSQL, removed after

Generates (seeded, with bulk_create) 500 contracts with their obligation, 5,000 realisations
(verified, claimed and rejected) and 20,000 ledger transactions in three funds: social-return
contributions, municipal top-ups, allocations to initiatives, tranches paid out and unspent money
returned. The generator keeps the ledger's rules while it writes: each transaction's entries sum
to zero, no fund account, allocation or initiative holding goes below zero at any date, and no
contract pays more cash than its obligation; it checks the result afterwards.

Each page is requested through Django's test client after a warm-up (bench/run.py's `measure`):
median and 95th percentile of the server time and the SQL queries per request. Pages: the public
fund overview, a public fund page, a contract page (public and staff), the contract list (first
page, a later page and a search) and the staff ledger page of a fund. JSON goes to
bench/results/sroi-<vendor>-<time>.json (gitignored).
"""

import argparse
import datetime
import json
import random
import sys
import time
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
# Run as a script, this folder comes first on the path; it must not shadow the `sroi` app.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

from bench.decisions import adopted_decisions, mark_carried_out  # noqa: E402
from bench.run import bench_database, measure, settle_heap, staff_client  # noqa: E402

BATCH = 2_000
ZERO = Decimal("0.00")
FUNDS = ("Bench Fonds Zuidoost", "Bench Fonds Noord", "Bench Fonds West")


def euros(rng: random.Random, low: int, high: int) -> Decimal:
    """A random amount in whole cents between `low` and `high` euros."""
    return Decimal(rng.randrange(low * 100, high * 100 + 1)) / 100


def populate(*, contracts: int, realisations: int, transactions: int, seed: int = 2026) -> dict:
    from django.db import transaction

    with transaction.atomic():
        return _populate(contracts, realisations, transactions, random.Random(seed))


def _populate(n_contracts: int, n_realisations: int, n_transactions: int, rng) -> dict:
    """Make the fund benchmark's data: users, contractors, contracts, realisations and a
    ledger of `n_transactions` bookings through the services' own rules.

    Long because it is one data recipe read top to bottom; the bookings must come in the
    order the ledger allows (no fund below zero), which helpers would hide.
    """
    from django.contrib.auth.models import Group
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from accounts.models import Area, Role, User
    from initiatives.classifications import InitiatorType, OrganisationForm, Phase
    from initiatives.models import Initiative
    from sroi import services
    from sroi.models import (
        Account,
        Allocation,
        BuildingBlock,
        Contract,
        Contractor,
        Entry,
        Realisation,
        TargetGroup,
        Transaction,
    )
    from sroi.selectors import catalogue_in_force
    from sroi.valuation import obligation_amount, person_year_value

    today = timezone.localdate()
    civil_servant, _ = User.objects.get_or_create(username="bench-sroi-ambtenaar")
    civil_servant.groups.add(Group.objects.get(name=Role.CIVIL_SERVANT.value))
    area, _ = Area.objects.get_or_create(
        slug="bench-sroi-zuidoost", defaults={"name": "Bench Zuidoost", "kind": Area.Kind.DISTRICT}
    )

    # --- Contracts and realisations ------------------------------------------------------
    contractors = Contractor.objects.bulk_create(
        Contractor(
            name=f"Bench Bouw {i:03d} B.V.",
            kvk_number=f"{70000000 + i:08d}",
            contact_name=f"Contact {i}",
            contact_email=f"contact{i}@bench.example",
        )
        for i in range(max(n_contracts // 5, 1))
    )
    first_day = datetime.date(2021, 1, 1)
    departments = ["Vastgoed", "Openbare ruimte", "ICT", "Sociaal domein", "Verkeer"]
    rows = []
    for i in range(n_contracts):
        award = first_day + datetime.timedelta(days=rng.randrange(4 * 365))
        end = award + datetime.timedelta(days=rng.randrange(365, 4 * 365))
        contract = Contract(
            reference=f"BENCH-{i:04d}",
            title=f"Bench opdracht {i:04d}",
            department=rng.choice(departments),
            contractor=rng.choice(contractors),
            value=euros(rng, 100_000, 5_000_000),
            percentage=Decimal(rng.choice(["3.00", "5.00", "5.00", "7.50"])),
            threshold=Decimal("250000.00"),
            award_date=award,
            start_date=award,
            end_date=end,
            fulfilment_deadline=end,
            status=rng.choice([Contract.Status.RUNNING] * 3 + [Contract.Status.COMPLETED]),
        )
        # bulk_create skips Contract.save(), which derives the obligation: set it here.
        contract.obligation = obligation_amount(
            contract.value, contract.percentage, contract.threshold
        )
        rows.append(contract)
    contracts = bulk_create_with_history(
        rows, Contract, batch_size=BATCH, default_user=civil_servant
    )
    contracts = list(Contract.objects.filter(reference__startswith="BENCH-").order_by("pk"))

    catalogue = catalogue_in_force(first_day)
    blocks = list(
        BuildingBlock.objects.filter(catalogue=catalogue, kind=BuildingBlock.Kind.PERSON_YEAR)
    )
    groups = [g for g in TargetGroup.values if g != TargetGroup.OTHER]
    statuses = [Realisation.Status.VERIFIED] * 6 + [Realisation.Status.CLAIMED] * 3
    statuses.append(Realisation.Status.REJECTED)
    # A few contracts with many realisations (the measured contract page is the busiest one).
    weights = [20 if i < 5 else 1 for i in range(len(contracts))]
    claimed_at = timezone.now()

    def realisation(i: int) -> Realisation:
        contract = rng.choices(contracts, weights)[0]
        block = rng.choice(blocks)
        start = contract.start_date + datetime.timedelta(days=rng.randrange(300))
        months = Decimal(rng.randrange(3, 13))
        hours = Decimal(rng.choice([16, 24, 32, 36]))
        status = rng.choice(statuses)
        return Realisation(
            contract=contract,
            block=block,
            target_group=rng.choice(groups),
            person_reference=f"K-{start.year}-{i:05d}",
            start_date=start,
            months=months,
            hours_per_week=hours,
            value=person_year_value(
                year_value=block.value, hours_per_week=hours, months=months, max_months=None
            ),
            status=status,
            claimed_at=claimed_at,
            claimed_by=civil_servant,
            decided_at=None if status == Realisation.Status.CLAIMED else claimed_at,
            decided_by=None if status == Realisation.Status.CLAIMED else civil_servant,
            rejection_reason="Geen bewijs van de plaatsing"
            if status == Realisation.Status.REJECTED
            else "",
        )

    Realisation.objects.bulk_create(
        (realisation(i) for i in range(n_realisations)), batch_size=BATCH
    )

    # --- Funds, initiatives and accounts -------------------------------------------------
    funds = [services.create_fund(name=name, actor=civil_servant, area=area) for name in FUNDS]
    Initiative.objects.bulk_create(
        (
            Initiative(
                name=f"Bench initiatief {i:03d}",
                slug=f"bench-sroi-{i:03d}",
                summary="Een initiatief uit de benchmark.",
                area=area,
                initiator_type=InitiatorType.RESIDENTS,
                organisation_form=OrganisationForm.FOUNDATION,
                phase=Phase.START_UP,
                status=Initiative.Status.ACTIVE,
            )
            for i in range(200)
        ),
        batch_size=BATCH,
    )
    initiatives = list(Initiative.objects.filter(slug__startswith="bench-sroi-").order_by("pk"))
    Account.objects.bulk_create(
        [Account(kind=Account.Kind.CONTRACT, contract=c) for c in contracts]
        + [Account(kind=Account.Kind.INITIATIVE, initiative=i) for i in initiatives],
        batch_size=BATCH,
    )
    contract_account = {
        a.contract_id: a for a in Account.objects.filter(kind=Account.Kind.CONTRACT)
    }
    initiative_account = {
        a.initiative_id: a for a in Account.objects.filter(kind=Account.Kind.INITIATIVE)
    }
    municipality, _ = Account.objects.get_or_create(kind=Account.Kind.MUNICIPALITY, fund=None)
    fund_accounts = {(a.fund_id, a.kind): a for a in Account.objects.filter(fund__in=funds)}

    # --- The ledger: simulated in order, so that every rule holds at every date ------------
    Kind = Transaction.Kind
    start, span = datetime.date(2021, 1, 4), (today - datetime.date(2021, 1, 4)).days
    balance: dict[int, Decimal] = defaultdict(lambda: ZERO)  # account pk -> balance
    paid_cash: dict[int, Decimal] = defaultdict(lambda: ZERO)  # contract pk -> paid
    allocation_plans: list[dict] = []  # each becomes an Allocation
    open_of: dict[int, Decimal] = {}  # allocation index -> still to pay out
    held_of: dict[int, Decimal] = {}  # allocation index -> with the initiative
    plans: list[tuple] = []  # (fund, kind, date, lines, links)
    weights_by_kind = {
        Kind.SROI_CONTRIBUTION: 20,
        Kind.OTHER_INCOME: 5,
        Kind.ALLOCATION: 12,
        Kind.DISBURSEMENT: 48,
        Kind.RETURN: 15,
    }
    kinds, kind_weights = list(weights_by_kind), list(weights_by_kind.values())
    by_fund_allocations: dict[int, list[int]] = defaultdict(list)

    def write(fund, kind, date, lines, **links):
        assert sum(amount for _a, amount in lines) == 0
        for account, amount in lines:
            balance[account.pk] += amount
        plans.append((fund, kind, date, lines, links))

    for i in range(n_transactions):
        date = start + datetime.timedelta(days=span * i // n_transactions)
        fund = funds[rng.randrange(len(funds))]
        available = fund_accounts[(fund.pk, Account.Kind.AVAILABLE)]
        allocated = fund_accounts[(fund.pk, Account.Kind.ALLOCATED)]
        kind = rng.choices(kinds, kind_weights)[0]
        if kind == Kind.SROI_CONTRIBUTION:
            contract = rng.choice(contracts)
            room = contract.obligation - paid_cash[contract.pk]
            amount = min(euros(rng, 500, 5_000), room)
            if contract.award_date <= date and amount > 0:
                paid_cash[contract.pk] += amount
                write(
                    fund,
                    kind,
                    date,
                    [(contract_account[contract.pk], -amount), (available, amount)],
                    contract=contract,
                    description=f"Social-return payment for {contract.reference}",
                )
                continue
        elif kind == Kind.ALLOCATION:
            amount = euros(rng, 1_000, 15_000)
            if balance[available.pk] >= amount:
                initiative = rng.choice(initiatives)
                index = len(allocation_plans)
                reference = f"GB-BENCH-{index:05d}"
                allocation_plans.append(
                    {
                        "fund": fund,
                        "initiative": initiative,
                        "amount": amount,
                        "purpose": "Buurtactiviteiten",
                        "decision_reference": reference,
                        "date": date,
                    }
                )
                open_of[index], held_of[index] = amount, ZERO
                by_fund_allocations[fund.pk].append(index)
                write(
                    fund,
                    kind,
                    date,
                    [(available, -amount), (allocated, amount)],
                    initiative=initiative,
                    allocation=index,
                    decision_reference=reference,
                    description=f"Allocation to {initiative.name}",
                )
                continue
        elif kind == Kind.DISBURSEMENT:
            candidates = [a for a in by_fund_allocations[fund.pk][-40:] if open_of[a] > 0]
            if candidates:
                index = rng.choice(candidates)
                plan = allocation_plans[index]
                amount = min(euros(rng, 200, 5_000), open_of[index])
                open_of[index] -= amount
                held_of[index] += amount
                write(
                    fund,
                    kind,
                    date,
                    [(allocated, -amount), (initiative_account[plan["initiative"].pk], amount)],
                    initiative=plan["initiative"],
                    allocation=index,
                    decision_reference=plan["decision_reference"],
                    description=f"Tranche to {plan['initiative'].name}",
                )
                continue
        elif kind == Kind.RETURN:
            candidates = [a for a in by_fund_allocations[fund.pk][-40:] if held_of[a] > 0]
            if candidates:
                index = rng.choice(candidates)
                plan = allocation_plans[index]
                amount = min(euros(rng, 20, 800), held_of[index])
                held_of[index] -= amount
                write(
                    fund,
                    kind,
                    date,
                    [(initiative_account[plan["initiative"].pk], -amount), (available, amount)],
                    initiative=plan["initiative"],
                    allocation=index,
                    decision_reference=plan["decision_reference"],
                    description=f"Unspent money returned by {plan['initiative'].name}",
                )
                continue
        # Other income, also whenever the chosen kind did not fit.
        amount = euros(rng, 1_000, 25_000)
        write(
            fund,
            Kind.OTHER_INCOME,
            date,
            [(municipality, -amount), (available, amount)],
            description="Aanvulling gemeente",
        )

    decisions = adopted_decisions(allocation_plans)
    allocations = Allocation.objects.bulk_create(
        (
            Allocation(**plan, decision_id=decision.pk, created_by=civil_servant)
            for plan, decision in zip(allocation_plans, decisions, strict=True)
        ),
        batch_size=BATCH,
    )
    assert all(a.pk for a in allocations), "the database did not return the new primary keys"
    mark_carried_out(decisions, allocations, civil_servant)
    records = []
    for fund, kind, date, _lines, links in plans:
        if "allocation" in links:
            links = {**links, "allocation": allocations[links["allocation"]]}
        records.append(Transaction(fund=fund, kind=kind, date=date, actor=civil_servant, **links))
    records = Transaction.objects.bulk_create(records, batch_size=BATCH)
    assert all(r.pk for r in records), "the database did not return the new primary keys"
    Entry.objects.bulk_create(
        (
            Entry(transaction=record, account=account, amount=amount)
            for record, (_f, _k, _d, lines, _l) in zip(records, plans, strict=True)
            for account, amount in lines
        ),
        batch_size=BATCH,
    )
    check_ledger(funds)

    busiest = max(contracts[:5], key=lambda c: c.realisations.count())
    counts = Counter(kind for _f, kind, _d, _l, _k in plans)
    return {
        "civil_servant": civil_servant,
        "fund_slug": funds[0].slug,
        "contract_pk": busiest.pk,
        "contract_realisations": busiest.realisations.count(),
        "contracts": Contract.objects.count(),
        "realisations": Realisation.objects.count(),
        "transactions": Transaction.objects.count(),
        "entries": Entry.objects.count(),
        "allocations": Allocation.objects.count(),
        "initiatives": len(initiatives),
        "transactions_by_kind": dict(sorted(counts.items())),
    }


def check_ledger(funds) -> None:
    """What the services guarantee, checked on the written rows.

    Every transaction balances; replayed in date order, no fund account, allocation or
    initiative holding is ever below zero; no contract paid more cash than its obligation.
    """
    from django.db.models import Count, F, Q, Sum

    from sroi.models import Account, Contract, Entry, Transaction

    unbalanced = (
        Transaction.objects.annotate(total=Sum("entries__amount"), n=Count("entries"))
        .filter(~Q(total=0) | Q(n__lt=2))
        .count()
    )
    assert unbalanced == 0, f"{unbalanced} transactions do not balance"
    running: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    entries = (
        Entry.objects.filter(account__kind__in=[*Account.FUND_KINDS, Account.Kind.INITIATIVE])
        .order_by("transaction__date", "transaction_id", "pk")
        .values_list("account_id", "account__kind", "transaction__allocation_id", "amount")
    )
    for account, kind, allocation, amount in entries.iterator(chunk_size=BATCH):
        running[("account", account)] += amount
        if kind != Account.Kind.AVAILABLE and allocation is not None:
            running[(kind, allocation)] += amount
        assert running[("account", account)] >= 0, ("account below zero", account)
        assert allocation is None or running[(kind, allocation)] >= 0, (kind, allocation)
    paid = dict(
        Entry.objects.filter(account__kind=Account.Kind.CONTRACT)
        .values_list("account__contract")
        .annotate(total=Sum(-F("amount")))
    )
    for pk, obligation in Contract.objects.values_list("pk", "obligation"):
        assert paid.get(pk, ZERO) <= obligation, ("contract paid over its obligation", pk)


def run(args) -> int:
    """Set up the database, fill it and measure the fund pages and exports; print the figures.

    Long because it is the benchmark's script: setup, data, the measuring loop and the
    report, in the order they run.
    """
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client run with DEBUG off
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # uncached times
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    facts = populate(
        contracts=args.contracts, realisations=args.realisations, transactions=args.transactions
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # planner statistics, as autovacuum would make them
    generation_s = round(time.perf_counter() - started, 1)
    print(
        f"generated {facts['contracts']} contracts, {facts['realisations']} realisations, "
        f"{facts['transactions']} transactions ({facts['entries']} entries, "
        f"{facts['allocations']} allocations) in {generation_s:.1f} s on {connection.vendor}"
    )

    settle_heap()
    anonymous = Client()
    staff = staff_client(facts["civil_servant"])
    fund = f"/sroi/fondsen/{facts['fund_slug']}/"
    contract = f"/sroi/contracten/{facts['contract_pk']}/"
    cases = [
        ("fund overview /sroi/", anonymous, "/sroi/", None),
        ("fund page (public)", anonymous, fund, None),
        ("fund ledger (staff), page 1", staff, f"{fund}beheer/", None),
        ("contract page (public)", anonymous, contract, None),
        ("contract page (staff)", staff, f"{contract}beheer/", None),
        ("contract list, page 1", anonymous, "/sroi/contracten/", None),
        ("contract list, page 8", anonymous, "/sroi/contracten/", {"page": 8}),
        ("contract list, search", anonymous, "/sroi/contracten/", {"q": "bouw 01"}),
    ]
    results = {}
    for name, client, path, params in cases:
        results[name] = measure(client, path, params, args.repeat)
        r = results[name]
        print(
            f"{name:30} median {r['median_ms']:7.1f} ms   p95 {r['p95_ms']:7.1f} ms   "
            f"queries {r['queries']}   matches {r['matches']}"
        )

    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"sroi-{connection.vendor}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    data = {k: v for k, v in facts.items() if k != "civil_servant"}
    path.write_text(
        json.dumps(
            {
                "vendor": connection.vendor,
                "data": data,
                "generation_s": generation_s,
                "repeat": args.repeat,
                "results": results,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"written to {path.relative_to(ROOT)}")
    from bench import measures

    rows = []
    for name, r in results.items():
        rows.append(measures.row(f"{name} p95, {connection.vendor}", r["p95_ms"], "ms"))
        rows.append(measures.row(f"{name} queries", max(r["queries"]), "queries", 12))
    measures.write("sroi" if connection.vendor == "postgresql" else "sroi-sqlite", rows)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--contracts", type=int, default=500)
    parser.add_argument("--realisations", type=int, default=5_000)
    parser.add_argument("--transactions", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="start a throwaway PostgreSQL (scripts/integration.py) and use it",
    )
    args = parser.parse_args()

    with bench_database(postgres=args.postgres):
        return run(args)


if __name__ == "__main__":
    sys.exit(main())
