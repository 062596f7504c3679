"""What every governance service shares: the row lock, one audit row per save, the status check."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import (
    Proposal,
    proposal_history,
)


def _lock(proposal: Proposal) -> Proposal:
    # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the join to `body`.
    return (
        Proposal.objects.select_for_update(of=("self",)).select_related("body").get(pk=proposal.pk)
    )


def _save(
    proposal: Proposal, actor, *, areas=None, leefgebieden=None, created: bool = False
) -> None:
    """Save fields (and areas, leefgebieden) and write one audit row holding them all."""
    proposal._history_user = actor
    proposal.skip_history_when_saving = True
    try:
        proposal.save()
        if areas is not None:
            proposal.areas.set(areas)
        if leefgebieden is not None:
            proposal.leefgebieden.set(leefgebieden)
    finally:
        del proposal.skip_history_when_saving
    proposal_history.create_historical_record(proposal, "+" if created else "~")


def _require_status(proposal: Proposal, *statuses: str) -> None:
    if proposal.status not in statuses:
        raise ValidationError(
            _("This cannot be done while the proposal is %(status)s.")
            % {"status": proposal.get_status_display().lower()},
            code="status",
        )


def _status_is(*statuses: str) -> Callable[[Proposal], None]:
    """A service's `state` check (`@service(state=...)`): the status its rule asks for, refused
    with the status's own message (code "status")."""

    def state(proposal: Proposal) -> None:
        _require_status(proposal, *statuses)

    return state
