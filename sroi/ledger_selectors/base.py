"""Shared pieces of the ledger selectors: money-typed sums and the fund filters.

Part of `sroi.ledger_selectors`, the one read door for the ledger (its docstring has the sign
convention)."""

from django.db.models import Q, Sum, Value
from django.db.models.functions import Coalesce

from ..models import Account, Fund, Transaction
from ..models.fields import MoneyField
from ..valuation import ZERO

MONEY = MoneyField()
Kind = Account.Kind
TKind = Transaction.Kind


def _money(expression):
    return Coalesce(expression, Value(ZERO), output_field=MONEY)


def _sum(expression, **kwargs):
    return _money(Sum(expression, **kwargs))


def _in_fund(fund: Fund | None) -> Q:
    """Entries on a fund's own accounts (fund None: on any fund's accounts)."""
    return Q(account__fund=fund) if fund else Q(account__fund__isnull=False)


def _of_fund(fund: Fund | None) -> Q:
    """Entries of a fund's transactions, on any account (fund None: of every fund)."""
    return Q(transaction__fund=fund) if fund else Q()


def _counts_as():
    """The kind a transaction counts as: for a reversal, the kind it undoes."""
    return Coalesce("transaction__reversal_of__kind", "transaction__kind")
