"""Events for the changes of `accounts`, the one layer below notifications (it sends a signal in
its transaction; we write the event in that same transaction)."""

from django.dispatch import receiver
from django.urls import reverse

from accounts.signals import code_batch_needs_approval

from . import selectors, services
from .models import Kind


@receiver(code_batch_needs_approval, dispatch_uid="notifications.code_batch_needs_approval")
def _code_batch_needs_approval(sender, *, batch, actor, **kwargs) -> None:
    services.emit(
        kind=Kind.CODE_BATCH_TO_APPROVE,
        subject=f"accounts.codebatch:{batch.pk}",
        url=reverse("accounts:batch", args=[batch.pk]),
        # Four eyes: the issuer does not approve their own batch.
        recipients=selectors.civil_servants(besides=actor),
        data={"issuer": str(actor), "count": batch.count, "area": str(batch.area)},
    )
