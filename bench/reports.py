"""Benchmark of the annual report: time and peak memory of building the PDF, and how they grow.

    make bench-reports                          # 500, 1,000, 2,500 and 5,000 allocations
    .venv/bin/python bench/reports.py --sizes 500 5000

For each size a fresh process (so peak memory is its own) migrates an empty SQLite database in a
temporary folder and generates one year of a community fund: 500 contracts that each pay their
social-return cash in, N allocations to N/5 initiatives (classified by leefgebied and target
group) with one tranche each, and the decisions' references. With N = 5,000 that is 10,500
transactions and 21,000 ledger entries in the year. It then times, separately, reading the
report's content from the database (`reports.content.annual_report_content`, the frozen
snapshot) and rendering it to PDF with WeasyPrint (`reports.rendering.render_pdf`), and reports
the page count, the PDF's size and the process's peak resident memory (ru_maxrss). JSON goes to
bench/results/reports-<time>.json (gitignored).
"""

import argparse
import datetime
import json
import os
import random
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

YEAR = 2025


def generate(allocations: int, contracts: int, rng: random.Random) -> dict:
    """Make a year of ledger data with `allocations` allocations and `contracts` contracts.

    Long because it is one data recipe read top to bottom; split, the amounts and the order
    of bookings (which the ledger checks) would be scattered over helpers.
    """
    from django.db import transaction
    from simple_history.utils import bulk_create_with_history

    from accounts.models import Area
    from bench.decisions import adopted_decisions, mark_carried_out
    from initiatives.classifications import (
        InitiatorType,
        Leefgebied,
        OrganisationForm,
        Phase,
        SocializationTargetGroup,
    )
    from initiatives.models import Classification, Initiative
    from sroi import services
    from sroi.models import Account, Allocation, Contract, Contractor, Entry, Transaction
    from sroi.services.bookkeeping import fund_account
    from sroi.valuation import obligation_amount

    with transaction.atomic():
        area = Area.objects.create(
            name="Bench Zuidoost", slug="bench-zuidoost", kind=Area.Kind.DISTRICT
        )
        fund = services.create_fund(name="Benchfonds Zuidoost", actor=None, area=area)
        available = fund_account(fund, Account.Kind.AVAILABLE)
        allocated = fund_account(fund, Account.Kind.ALLOCATED)
        contractors = Contractor.objects.bulk_create(
            Contractor(name=f"Bench Bouw {i:03d} B.V.", kvk_number=f"{60000000 + i:08d}")
            for i in range(contracts // 5 or 1)
        )
        rows = []
        for i in range(contracts):
            contract = Contract(
                reference=f"BENCH-{i:04d}",
                title=f"Bench opdracht {i:04d}",
                department="Vastgoed",
                contractor=contractors[i % len(contractors)],
                value=Decimal(rng.randrange(1_000_000, 20_000_000)),
                percentage=Decimal("5.00"),
                threshold=Decimal("250000.00"),
                award_date=datetime.date(YEAR - 1, 1, 1),
                start_date=datetime.date(YEAR - 1, 1, 1),
                end_date=datetime.date(YEAR + 1, 12, 31),
                fulfilment_deadline=datetime.date(YEAR + 1, 12, 31),
            )
            contract.obligation = obligation_amount(
                contract.value, contract.percentage, contract.threshold
            )
            rows.append(contract)
        contracts_made = Contract.objects.bulk_create(rows)
        contract_accounts = Account.objects.bulk_create(
            Account(kind=Account.Kind.CONTRACT, contract=c) for c in contracts_made
        )
        n_initiatives = max(allocations // 5, 1)
        # With their audit history, as the register keeps it: the report counts the register as
        # it stood on 31 December from that history (without it, "0 initiatives").
        registered = datetime.datetime(YEAR, 1, 15, 9, tzinfo=datetime.UTC)
        initiatives = bulk_create_with_history(
            [
                Initiative(
                    name=f"Bench initiatief {i:05d}",
                    slug=f"bench-initiatief-{i:05d}",
                    summary="Buren helpen buren.",
                    area=area,
                    initiator_type=InitiatorType.RESIDENTS,
                    organisation_form=OrganisationForm.FOUNDATION,
                    phase=rng.choice(Phase.values),
                )
                for i in range(n_initiatives)
            ],
            Initiative,
            default_date=registered,
        )
        Initiative.objects.filter(pk__in=[i.pk for i in initiatives]).update(created_at=registered)
        leefgebieden = list(Classification.objects.filter(scheme="leefgebied"))
        groups = list(Classification.objects.filter(scheme="socialization_doelgroep"))
        through = Initiative.classifications.through
        through.objects.bulk_create(
            through(initiative_id=initiative.pk, classification_id=c.pk)
            for initiative in initiatives
            for c in {*rng.sample(leefgebieden, 2), rng.choice(groups)}
        )
        initiative_accounts = Account.objects.bulk_create(
            Account(kind=Account.Kind.INITIATIVE, initiative=i) for i in initiatives
        )
        assert len(Leefgebied.values) and len(SocializationTargetGroup.values)

        # Money in: each contract pays enough for the allocations below.
        per_allocation = [Decimal(rng.randrange(500, 5_000)) for _ in range(allocations)]
        needed = sum(per_allocation)
        share = (needed / contracts).quantize(Decimal("0.01")) + Decimal("1.00")
        transactions, entries = [], []

        def book(kind, day, lines, **links):
            transactions.append(Transaction(fund=fund, kind=kind, date=day, **links))
            entries.append(lines)

        for index, contract in enumerate(contracts_made):
            day = datetime.date(YEAR, 1, 1) + datetime.timedelta(days=index % 90)
            book(
                Transaction.Kind.SROI_CONTRIBUTION,
                day,
                [(contract_accounts[index], -share), (available, share)],
                contract=contract,
            )
        allocation_rows = []
        for index, amount in enumerate(per_allocation):
            initiative = initiatives[index % n_initiatives]
            day = datetime.date(YEAR, 4, 1) + datetime.timedelta(days=index % 150)
            allocation_rows.append(
                Allocation(
                    fund=fund,
                    initiative=initiative,
                    amount=amount,
                    purpose="Buurtwerk",
                    decision_reference=f"BK-{YEAR}-{index + 1:04d}",
                    date=day,
                )
            )
        decisions = adopted_decisions(
            [
                {"fund": a.fund, "initiative": a.initiative, "amount": a.amount, "date": a.date}
                for a in allocation_rows
            ]
        )
        for row, decision in zip(allocation_rows, decisions, strict=True):
            row.decision_id = decision.pk
            row.decision_reference = decision.reference
        allocations_made = Allocation.objects.bulk_create(allocation_rows)
        mark_carried_out(decisions, allocations_made)
        for index, allocation in enumerate(allocations_made):
            account = initiative_accounts[index % n_initiatives]
            book(
                Transaction.Kind.ALLOCATION,
                allocation.date,
                [(available, -allocation.amount), (allocated, allocation.amount)],
                allocation=allocation,
                initiative=allocation.initiative,
                decision_reference=allocation.decision_reference,
            )
            tranche = (allocation.amount / 2).quantize(Decimal("0.01"))
            book(
                Transaction.Kind.DISBURSEMENT,
                allocation.date + datetime.timedelta(days=30),
                [(allocated, -tranche), (account, tranche)],
                allocation=allocation,
                initiative=allocation.initiative,
            )
        made = Transaction.objects.bulk_create(transactions, batch_size=1000)
        Entry.objects.bulk_create(
            (
                Entry(transaction=t, account=account, amount=amount)
                for t, lines in zip(made, entries, strict=True)
                for account, amount in lines
            ),
            batch_size=2000,
        )
    return {
        "contracts": contracts,
        "allocations": allocations,
        "initiatives": n_initiatives,
        "transactions": len(transactions),
        "entries": sum(len(lines) for lines in entries),
    }


def child(allocations: int, contracts: int) -> dict:
    from bench.measures import scratch_folder
    from bench.run import configure

    folder = scratch_folder("burgerkracht-bench-reports-")
    configure(f"sqlite:///{folder}/bench.sqlite3")
    os.environ["MEDIA_ROOT"] = folder
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    facts = generate(allocations, contracts, random.Random(allocations))
    generation_s = time.perf_counter() - started

    from reports.content import annual_report_content
    from reports.rendering import render_pdf
    from reports.snapshot import dump

    started = time.perf_counter()
    content = annual_report_content(year=YEAR)
    content_s = time.perf_counter() - started
    started = time.perf_counter()
    pdf, pages = render_pdf(content, language="nl")
    render_s = time.perf_counter() - started
    return {
        **facts,
        "generation_s": round(generation_s, 1),
        "content_s": round(content_s, 2),
        "render_s": round(render_s, 1),
        "pages": pages,
        "pdf_bytes": len(pdf),
        "snapshot_bytes": len(json.dumps(dump(content))),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2500, 5000])
    parser.add_argument("--contracts", type=int, default=500)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        import logging

        logging.disable(logging.WARNING)
        print(json.dumps(child(args.child, args.contracts)))
        return 0
    results = []
    for size in args.sizes:
        out = subprocess.run(  # noqa: S603 - this script, with numbers
            [sys.executable, __file__, "--child", str(size), "--contracts", str(args.contracts)],
            check=True,
            capture_output=True,
            text=True,
        )
        row = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(row)
        print(
            f"{row['allocations']:>6} allocations {row['transactions']:>6} transactions "
            f"{row['entries']:>6} entries: content {row['content_s']:6.2f} s, "
            f"PDF {row['render_s']:7.1f} s, {row['pages']:>5} pages, "
            f"{row['pdf_bytes'] / 1e6:5.1f} MB, peak {row['peak_rss_mb']:>5} MB",
            flush=True,
        )
    folder = HERE / "results"
    folder.mkdir(exist_ok=True)
    path = folder / f"reports-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(results, indent=2))
    print(f"written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
