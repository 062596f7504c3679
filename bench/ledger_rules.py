"""What the database's ledger rules (sroi migration 0009) cost a booking, on PostgreSQL.

    .venv/bin/python bench/ledger_rules.py            # a throwaway PostgreSQL, removed after
    .venv/bin/python bench/ledger_rules.py --rounds 5

Fills the database as bench/sroi.py does (20,000 transactions in three funds), then books
incomes (`record_other_income`) and tranches (`disburse`, one cent under an open allocation) on
the busiest fund through the services, in rounds of 30: first with the rules, then with their
four triggers disabled (as the tables' owner, which this script is). Prints milliseconds per
booking of each kind, both ways. The rules add the fund's lock, the shape check at commit and,
for money taken from a fund account, its running balance by date (the part that grows with the
ledger).
"""

import argparse
import datetime
import itertools
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench.run import bench_database  # noqa: E402

TRIGGERS = (
    ("sroi_entry", "sroi_entries_keep_balances"),
    ("sroi_entry", "sroi_entry_checked"),
    ("sroi_transaction", "sroi_transaction_checked"),
    ("sroi_transaction", "sroi_transaction_open_year"),
)


def run(rounds: int) -> int:
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import Role, User
    from bench.sroi import populate
    from sroi import services
    from sroi.ledger_selectors import allocation_open
    from sroi.models import Allocation, Fund

    call_command("migrate", verbosity=0)
    populate(contracts=500, realisations=5_000, transactions=20_000)
    fund = max(Fund.objects.all(), key=lambda f: f.transactions.count())
    servant = User.objects.create(username="bench-boeker")
    servant.groups.add(Group.objects.get(name=Role.CIVIL_SERVANT.value))
    open_ones = [
        a for a in Allocation.objects.filter(fund=fund, status="open") if allocation_open(a) > 1
    ]
    allocations = itertools.cycle(open_ones)
    today = datetime.date.today()

    def per_booking(book, n: int = 30) -> float:
        started = time.perf_counter()
        for _ in range(n):
            book()
        return (time.perf_counter() - started) / n * 1000

    def income():
        services.record_other_income(
            fund=fund, amount=Decimal("10.00"), date=today, description="Bench", actor=None
        )

    def tranche():
        services.disburse(
            allocation=next(allocations), amount=Decimal("0.01"), date=today, actor=servant
        )

    per_booking(income, 5)
    figures = {}
    for state in ("with the rules", "without"):
        if state == "without":
            with connection.cursor() as cursor:
                for table, name in TRIGGERS:
                    cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
        figures[state] = {
            "income": [round(per_booking(income), 1) for _ in range(rounds)],
            "tranche": [round(per_booking(tranche), 1) for _ in range(rounds)],
        }
    print(f"fund with {fund.transactions.count()} transactions, {len(open_ones)} open allocations")
    for state, kinds in figures.items():
        for kind, values in kinds.items():
            print(f"{state:16} {kind:8} ms per booking: {values}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with bench_database(postgres=True):
        return run(args.rounds)


if __name__ == "__main__":
    sys.exit(main())
