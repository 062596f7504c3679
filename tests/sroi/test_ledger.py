"""The ledger's invariants: append-only rows, balanced transactions, balances that are sums of
entries and never negative, and refused operations that change nothing (a property test)."""

import datetime
from decimal import ROUND_DOWN, Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sroi import selectors, services
from sroi.models import Account, Allocation, AppendOnlyError, Entry, Transaction

from .factories import ContractFactory, InitiativeFactory, allocate, bookkeeper, funded, make_fund

pytestmark = pytest.mark.django_db
D = Decimal
DAY = datetime.date(2025, 3, 1)
ZERO = D("0.00")


def test_ledger_rows_cannot_be_changed_or_deleted():
    funded("10.00")
    record = Transaction.objects.get()
    entry = record.entries.first()
    for row in (record, entry):
        with pytest.raises(AppendOnlyError):
            row.save()
        with pytest.raises(AppendOnlyError):
            row.delete()
    with pytest.raises(AppendOnlyError):
        Entry.objects.filter(pk=entry.pk).update(amount=D("1"))
    with pytest.raises(AppendOnlyError):
        Transaction.objects.all().delete()
    assert Entry.objects.aggregate(total=Sum("amount"))["total"] == 0


def test_the_base_manager_is_no_back_door():
    """Issue 11, reproduction 9: `Entry._base_manager.update()` rewrote rows past the guard.
    (Raw SQL is refused by PostgreSQL: tests/integration/test_money_guarantees.py.)"""
    funded("10.00")
    for model in (Entry, Transaction):
        with pytest.raises(AppendOnlyError):
            model._base_manager.update(pk=F("pk"))
        with pytest.raises(AppendOnlyError):
            model._base_manager.all().delete()
    assert sorted(Entry.objects.values_list("amount", flat=True)) == [D("-10.00"), D("10.00")]


@pytest.mark.parametrize(
    "kind",
    [
        Transaction.Kind.ALLOCATION,
        Transaction.Kind.DISBURSEMENT,
        Transaction.Kind.RETURN,
        Transaction.Kind.RELEASE,
        Transaction.Kind.SROI_CONTRIBUTION,
    ],
)
def test_the_database_wants_the_allocation_or_contract_a_flow_belongs_to(kind):
    fund = make_fund()
    with pytest.raises(IntegrityError), transaction.atomic():
        Transaction.objects.create(fund=fund, kind=kind, date=DAY)
    assert not Transaction.objects.exists()


def test_an_unbalanced_transaction_cannot_be_posted():
    from sroi.services.bookkeeping import fund_account, post

    fund = make_fund()
    with pytest.raises(ValueError, match="sum to zero"):
        post(
            fund=fund,
            kind=Transaction.Kind.OTHER_INCOME,
            date=DAY,
            lines=[(fund_account(fund, Account.Kind.AVAILABLE), D("1.00"))],
            actor=None,
        )
    assert not Transaction.objects.exists()


# --- The property test -------------------------------------------------------------------------

valid_amounts = st.decimals(min_value=D("0.01"), max_value=D("500.00"), places=2)
bad_amounts = st.sampled_from([D("0"), D("-1.00"), D("0.001"), D("100000000.01")])
amounts = st.one_of(valid_amounts, valid_amounts, valid_amounts, bad_amounts)
index = st.integers(min_value=0, max_value=7)
# A share of what is open (or held), so that tranches and returns are often possible.
part_or_amount = st.one_of(amounts, st.sampled_from(["half", "all"]))
operations = st.lists(
    st.one_of(
        st.tuples(st.just("contribute"), amounts),
        st.tuples(st.just("income"), amounts),
        st.tuples(st.just("allocate"), st.integers(0, 1), amounts),
        st.tuples(st.just("disburse"), index, part_or_amount),
        st.tuples(st.just("return"), index, part_or_amount),
        st.tuples(st.just("close"), index),
        st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=30)),
    ),
    min_size=1,
    max_size=30,
)


class Model:
    """What the ledger should hold, computed in plain Python."""

    def __init__(self):
        self.available = ZERO
        self.allocated = ZERO
        self.allocations = []  # [{"obj", "open", "held", "status"}]
        self.transactions = []  # [{"obj", "kind", "deltas", "reversed"}]

    @staticmethod
    def valid(amount):
        return D("0") < amount <= services.MAX_AMOUNT and amount == amount.quantize(D("0.01"))

    def apply(self, deltas, sign=1):
        self.available += sign * deltas.get("available", ZERO)
        self.allocated += sign * deltas.get("allocated", ZERO)
        if "allocation" in deltas:
            alloc = self.allocations[deltas["allocation"]]
            alloc["open"] += sign * deltas.get("open", ZERO)
            alloc["held"] += sign * deltas.get("held", ZERO)

    def reversal_ok(self, record):
        if record["reversed"] or record["kind"] not in services.corrections.REVERSIBLE:
            return False
        deltas = record["deltas"]
        if "allocation" in deltas:
            alloc = self.allocations[deltas["allocation"]]
            if (
                record["kind"] in (Transaction.Kind.ALLOCATION, Transaction.Kind.DISBURSEMENT)
                and alloc["status"] != Allocation.Status.OPEN
            ):
                return False
            if alloc["open"] - deltas.get("open", ZERO) < 0:
                return False
            if alloc["held"] - deltas.get("held", ZERO) < 0:
                return False
        return (
            self.available - deltas.get("available", ZERO) >= 0
            and self.allocated - deltas.get("allocated", ZERO) >= 0
        )


def state():
    return (
        Transaction.objects.count(),
        Entry.objects.count(),
        list(Allocation.objects.order_by("pk").values_list("pk", "status")),
    )


def check_invariants(fund, model):
    # Every transaction balances.
    unbalanced = Entry.objects.values("transaction").annotate(total=Sum("amount")).exclude(total=0)
    assert not unbalanced.exists()
    # Balances are sums of entries, equal to the model, never negative.
    by_kind = dict(
        Entry.objects.filter(account__fund=fund)
        .values("account__kind")
        .annotate(total=Sum("amount"))
        .values_list("account__kind", "total")
    )
    available = by_kind.get(Account.Kind.AVAILABLE, ZERO)
    allocated = by_kind.get(Account.Kind.ALLOCATED, ZERO)
    assert (available, allocated) == (model.available, model.allocated)
    assert available >= 0 and allocated >= 0
    summary = selectors.fund_summary(fund)
    assert (summary.available, summary.allocated) == (available, allocated)
    for expected in model.allocations:
        row = selectors.allocation_detail(expected["obj"].pk)
        assert (row.open_amount, row.paid_amount, row.status) == (
            expected["open"],
            expected["held"],
            expected["status"],
        )
        assert ZERO <= row.open_amount <= row.amount
        assert row.paid_amount >= 0


def run(fund, contract, initiatives, model, operation):
    """Perform one operation; return (expected to succeed, the call)."""
    name = operation[0]
    if name == "contribute":
        amount = operation[1]
        ok = model.valid(amount)

        def call():
            record = services.record_contribution(
                fund=fund, contract=contract, amount=amount, date=DAY, actor=None
            )
            deltas = {"available": amount}
            model.apply(deltas)
            model.transactions.append(
                {"obj": record, "kind": record.kind, "deltas": deltas, "reversed": False}
            )

        return ok, call
    if name == "income":
        amount = operation[1]

        def call():
            record = services.record_other_income(
                fund=fund, amount=amount, date=DAY, description="top-up", actor=None
            )
            deltas = {"available": amount}
            model.apply(deltas)
            model.transactions.append(
                {"obj": record, "kind": record.kind, "deltas": deltas, "reversed": False}
            )

        return model.valid(amount), call
    if name == "allocate":
        _name, which, amount = operation
        ok = model.valid(amount) and amount <= model.available

        def call():
            allocation = allocate(
                fund=fund,
                initiative=initiatives[which],
                amount=amount,
                purpose="p",
                decision_reference="B-1",
                date=DAY,
                actor=bookkeeper(),
            )
            model.allocations.append(
                {"obj": allocation, "open": ZERO, "held": ZERO, "status": "open"}
            )
            deltas = {
                "available": -amount,
                "allocated": amount,
                "allocation": len(model.allocations) - 1,
                "open": amount,
            }
            model.apply(deltas)
            model.transactions.append(
                {
                    "obj": allocation.transactions.get(),
                    "kind": Transaction.Kind.ALLOCATION,
                    "deltas": deltas,
                    "reversed": False,
                }
            )

        return ok, call
    if name in ("disburse", "return", "close"):
        if not model.allocations:
            return None, None
        position = operation[1] % len(model.allocations)
        alloc = model.allocations[position]
        if name == "close":
            ok = alloc["status"] == "open"

            def call():
                record = services.close_allocation(
                    allocation=alloc["obj"], date=DAY, actor=bookkeeper()
                )
                if record is not None:
                    deltas = {
                        "available": alloc["open"],
                        "allocated": -alloc["open"],
                        "allocation": position,
                        "open": -alloc["open"],
                    }
                    model.apply(deltas)
                    model.transactions.append(
                        {
                            "obj": record,
                            "kind": Transaction.Kind.RELEASE,
                            "deltas": deltas,
                            "reversed": False,
                        }
                    )
                alloc["status"] = Allocation.Status.CLOSED

            return ok, call
        amount = operation[2]
        if isinstance(amount, str):
            base = alloc["open"] if name == "disburse" else alloc["held"]
            amount = base if amount == "all" else (base / 2).quantize(D("0.01"), ROUND_DOWN)
        if name == "disburse":
            ok = model.valid(amount) and alloc["status"] == "open" and amount <= alloc["open"]
            deltas = {"allocated": -amount, "allocation": position, "open": -amount, "held": amount}
            service = services.disburse
        else:
            ok = model.valid(amount) and amount <= alloc["held"]
            deltas = {"available": amount, "allocation": position, "held": -amount}
            service = services.return_unspent

        def call():
            record = service(allocation=alloc["obj"], amount=amount, date=DAY, actor=bookkeeper())
            model.apply(deltas)
            model.transactions.append(
                {"obj": record, "kind": record.kind, "deltas": deltas, "reversed": False}
            )

        return ok, call
    # reverse
    if not model.transactions:
        return None, None
    position = operation[1] % len(model.transactions)
    record = model.transactions[position]
    ok = model.reversal_ok(record)

    def call():
        # Dated like everything else here: the model knows one day. (A reversal dated today
        # would rightly make a later payout dated DAY impossible: the money was not there then.)
        reversal = services.reverse_transaction(
            transaction=record["obj"], reason="correctie", actor=bookkeeper(), date=DAY
        )
        model.apply(record["deltas"], sign=-1)
        record["reversed"] = True
        model.transactions.append(
            {"obj": reversal, "kind": Transaction.Kind.REVERSAL, "deltas": {}, "reversed": False}
        )
        if record["kind"] == Transaction.Kind.ALLOCATION:
            model.allocations[record["deltas"]["allocation"]]["status"] = (
                Allocation.Status.CANCELLED
            )

    return ok, call


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=operations)
def test_random_operations_keep_the_ledger_consistent(steps):
    with transaction.atomic():
        fund = make_fund()
        contract = ContractFactory(value=D("1000000000.00"))  # obligation 50 million
        initiatives = [InitiativeFactory(), InitiativeFactory()]
        model = Model()
        # Start with money in the fund, so that most sequences reach allocations and beyond.
        for operation in [("income", D("1000.00")), *steps]:
            expected, call = run(fund, contract, initiatives, model, operation)
            if call is None:
                continue
            before = state()
            event(f"{operation[0]} {'accepted' if expected else 'refused'}")
            try:
                call()
            except ValidationError:
                assert not expected, f"{operation} was refused"
                assert state() == before, f"refused {operation} changed the ledger"
            else:
                assert expected, f"{operation} was accepted"
            check_invariants(fund, model)
        transaction.set_rollback(True)
