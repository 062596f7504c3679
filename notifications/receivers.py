"""Events for the changes of `accounts`, the one layer below notifications (it sends a signal in
its transaction; we write the event in that same transaction)."""

from django.dispatch import receiver
from django.urls import reverse

from accounts.signals import (
    authenticator_set,
    code_batch_approved,
    code_batch_needs_approval,
    code_batch_printed,
)

from . import selectors, services
from .messages import moment_in_each_language
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


@receiver(code_batch_approved, dispatch_uid="notifications.code_batch_approved")
def _code_batch_approved(sender, *, batch, actor, **kwargs) -> None:
    """The issuer hears that the batch may be printed now."""
    services.emit(
        kind=Kind.CODE_BATCH_APPROVED,
        subject=f"accounts.codebatch:{batch.pk}",
        url=reverse("accounts:batch", args=[batch.pk]),
        recipients=[batch.issuer],
        data={"approver": str(actor), "count": batch.count, "area": str(batch.area)},
    )


@receiver(code_batch_printed, dispatch_uid="notifications.code_batch_printed")
def _code_batch_printed(sender, *, batch, actor, **kwargs) -> None:
    """Who approved a large batch hears that its codes now exist (four eyes); a small batch
    needed no second person, and its event is only on record."""
    services.emit(
        kind=Kind.CODE_BATCH_PRINTED,
        subject=f"accounts.codebatch:{batch.pk}",
        url=reverse("accounts:batch", args=[batch.pk]),
        recipients=[batch.approved_by] if batch.approved_by_id else [],
        data={"issuer": str(actor), "count": batch.count, "area": str(batch.area)},
    )


@receiver(authenticator_set, dispatch_uid="notifications.authenticator_set")
def _authenticator_set(sender, *, user, moment, **kwargs) -> None:
    """The person hears that an authenticator app was set up for their account (also by
    e-mail, whatever they chose): one they did not set up means someone knows their password."""
    services.emit(
        kind=Kind.AUTHENTICATOR_SET,
        subject=f"accounts.user:{user.pk}:authenticator",
        url=reverse("accounts:profile"),
        recipients=[user],
        data={"moment": moment_in_each_language(moment)},
    )
