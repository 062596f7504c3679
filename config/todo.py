"""A civil servant's to-do page (`/taken/`): what waits for them in every app, with counts.

It lives in `config`, the top layer, because it reads every app. Each list is one query (the
contracts behind schedule: the one query of sroi's selector), so the page's query count does not
grow with its rows; the menu badge caches the total for a minute.
"""

from dataclasses import dataclass, field

import rules
from django.core.cache import cache
from django.utils import timezone
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from accounts.models import VerificationCodeBatch
from accounts.rules import is_civil_servant
from governance.models import Decision, Proposal
from governance.tally import ADOPTED
from intake.models import Intake
from reports.models import AnnualReport
from sroi import selectors as sroi_selectors
from sroi.models import Realisation

rules.add_perm("config.view_todo", is_civil_servant)

BADGE_SECONDS = 60


@dataclass
class Todo:
    intakes: list = field(default_factory=list)
    realisations: list = field(default_factory=list)
    batches: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    votes_to_close: list = field(default_factory=list)
    polls_to_count: list = field(default_factory=list)
    reports_missing: list = field(default_factory=list)
    contracts: list = field(default_factory=list)

    @property
    def votes(self) -> int:
        return len(self.votes_to_close) + len(self.polls_to_count)

    @property
    def total(self) -> int:
        return sum(len(getattr(self, name)) for name in self.__dataclass_fields__)


def todo_for(user) -> Todo:
    """Everything waiting for `user` as a civil servant; never their own claims or batches
    (four eyes)."""
    now = timezone.now()
    last_year = timezone.localdate().year - 1
    has_report = AnnualReport.objects.filter(
        year=last_year, area=None, status=AnnualReport.Status.DONE
    ).exists()
    return Todo(
        intakes=list(
            Intake.objects.filter(status=Intake.Status.SUBMITTED)
            .select_related("initiative")
            .order_by("submitted_at", "pk")
        ),
        realisations=list(
            Realisation.objects.filter(status=Realisation.Status.CLAIMED)
            .exclude(claimed_by=user)
            .select_related("contract")
            .order_by("pk")
        ),
        batches=list(
            VerificationCodeBatch.objects.filter(needs_approval=True, approved_at__isnull=True)
            .exclude(issuer=user)
            .select_related("issuer", "area")
            .order_by("created_at", "pk")
        ),
        decisions=list(
            Decision.objects.filter(
                executed_at__isnull=True,
                outcome=ADOPTED,
                proposal__status=Proposal.Status.ADOPTED,
            )
            .select_related("proposal")
            .order_by("decided_at", "pk")
        ),
        votes_to_close=list(
            Proposal.objects.filter(status=Proposal.Status.VOTING, closes_at__lte=now).order_by(
                "closes_at", "pk"
            )
        ),
        polls_to_count=list(
            Proposal.objects.filter(status=Proposal.Status.COUNTING).order_by("closes_at", "pk")
        ),
        reports_missing=[] if has_report else [last_year],
        contracts=sroi_selectors.contracts_behind(),
    )


def todo_count(user) -> int:
    """The number in the menu badge; cached a minute per person."""
    key = f"todo-count:{user.pk}"
    count = cache.get(key)
    if count is None:
        count = todo_for(user).total
        cache.set(key, count, BADGE_SECONDS)
    return count


class TodoView(PermissionRequiredMixin, TemplateView):
    permission_required = "config.view_todo"
    template_name = "todo.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["todo"] = todo_for(self.request.user)
        return context
