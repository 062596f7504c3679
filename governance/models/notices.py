"""The "you took part" outbox: one notice per participation, told once by a message to its voter."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.models import Kind, notice_rules, told_by, waiting_notices

from .proposals import Proposal


class ParticipationNotice(models.Model):
    """A "you took part" notice: written in the participation's transaction (by the
    participation's trigger, also for one written by SQL), so a recorded participation always
    gets its notice, and marked told when the beat has written the voter's message
    (`notify.tell_participations`, a transactional outbox). It holds what the notice says (who,
    which poll, when), never a choice.

    In the database a notice is never deleted or rewritten, and `told` points at the voter's
    own message on the site about this poll (`notifications.models.notice_rules`); that message cannot be deleted while
    the notice points at it, nor moved to someone else. So nobody, the application's database
    role included, makes a participation in someone's name go untold."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    moment = models.DateTimeField(_("moment"))
    told = told_by()

    class Meta:
        verbose_name = _("participation notice")
        verbose_name_plural = _("participation notices")
        ordering = ["id"]
        indexes = [waiting_notices("participationnotice_waiting")]
        triggers = notice_rules(
            name="participation_notice",
            what="governance",
            kind=Kind.PARTICIPATION.value,
            voter="NEW.user_id",
            subject="'governance.proposal:' || NEW.proposal_id || ':participation'",
        )

    def __str__(self) -> str:
        return str(self.proposal)
