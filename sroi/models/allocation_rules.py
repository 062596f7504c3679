"""The database's rules of an allocation (`Allocation.Meta.triggers`), apart from the model."""

import pgtrigger

from common.models import changed

# What the decision said: never changed once written.
ALLOCATION_FIXED_FIELDS = (
    "id",
    "fund",
    "initiative",
    "amount",
    "purpose",
    "decision_reference",
    "decision_id",
    "decision_line",
    "date",
    "created_at",
    "created_by",
)


def allocation_triggers() -> list[pgtrigger.Trigger]:
    """No delete; only the status moves, away from open; and only once nothing is left."""
    return [
        pgtrigger.Protect(name="allocation_no_delete", operation=pgtrigger.Delete),
        # Only the status moves, and only away from open (closed or cancelled); the rest of
        # an allocation is what the decision said and never changes.
        pgtrigger.Protect(
            name="allocation_only_status_from_open",
            operation=pgtrigger.Update,
            condition=pgtrigger.Q(old__status__df="open")
            | pgtrigger.Q(
                *changed(*ALLOCATION_FIXED_FIELDS),
                _connector=pgtrigger.Q.OR,
            ),
        ),
        # Closed or cancelled only with nothing of it left in "allocated": the release (or
        # the reversal) is booked first, in the same transaction. A status set by SQL alone
        # left the rest in "allocated" for good (insider review, 2026-12-05).
        pgtrigger.Trigger(
            name="allocation_leaves_open_when_settled",
            operation=pgtrigger.Update,
            when=pgtrigger.Before,
            condition=pgtrigger.Q(old__status="open") & ~pgtrigger.Q(new__status="open"),
            declare=[("held", "numeric")],
            func=(
                "SELECT coalesce(sum(e.amount), 0) INTO held FROM sroi_transaction t "
                "JOIN sroi_entry e ON e.transaction_id = t.id "
                "JOIN sroi_account ac ON ac.id = e.account_id "
                "WHERE t.allocation_id = NEW.id AND ac.kind = 'allocated'; "
                "IF held <> 0 THEN RAISE EXCEPTION 'sroi: allocation % still holds % "
                "allocated; book its release first', NEW.id, held; END IF; RETURN NEW;"
            ),
        ),
    ]
