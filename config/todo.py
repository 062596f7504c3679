"""A civil servant's to-do page (`/taken/`): what waits for them in every app, with counts.

It lives in `config`, the top layer, because it reads every app. Each list is one query (the
contracts behind schedule: the one query of sroi's selector), so the page's query count does not
grow with its rows; the menu's count takes two queries and is cached for a minute.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Exists, IntegerField, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from accounts.models import User, VerificationCodeBatch
from governance.models import Decision, Proposal
from governance.tally import ADOPTED
from intake.models import Intake
from reports.models import AnnualReport
from sroi import selectors as sroi_selectors
from sroi.models import Realisation

from . import rules as config_rules  # noqa: F401  (registers the page's rule)

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


def _waiting(user) -> dict:
    """The querysets of the to-do page, without the contracts (sroi computes those)."""
    now = timezone.now()
    return {
        "intakes": Intake.objects.filter(status=Intake.Status.SUBMITTED)
        .select_related("initiative")
        .order_by("submitted_at", "pk"),
        "realisations": Realisation.objects.filter(status=Realisation.Status.CLAIMED)
        .exclude(claimed_by=user)
        .select_related("contract")
        .order_by("pk"),
        "batches": VerificationCodeBatch.objects.filter(
            needs_approval=True, approved_at__isnull=True
        )
        .exclude(issuer=user)
        .select_related("issuer", "area")
        .order_by("created_at", "pk"),
        "decisions": Decision.objects.filter(
            executed_at__isnull=True, outcome=ADOPTED, proposal__status=Proposal.Status.ADOPTED
        )
        .select_related("proposal")
        .order_by("decided_at", "pk"),
        "votes_to_close": Proposal.objects.filter(
            status=Proposal.Status.VOTING, closes_at__lte=now
        ).order_by("closes_at", "pk"),
        "polls_to_count": Proposal.objects.filter(status=Proposal.Status.COUNTING).order_by(
            "closes_at", "pk"
        ),
    }


def _report_published():
    last_year = timezone.localdate().year - 1
    return last_year, AnnualReport.objects.filter(
        year=last_year, area=None, status=AnnualReport.Status.DONE
    )


def todo_for(user) -> Todo:
    """Everything waiting for `user` as a civil servant; never their own claims or batches
    (four eyes)."""
    last_year, published = _report_published()
    lists = {name: list(queryset) for name, queryset in _waiting(user).items()}
    return Todo(
        **lists,
        reports_missing=[] if published.exists() else [last_year],
        contracts=sroi_selectors.contracts_behind(),
    )


def _count(queryset) -> Coalesce:
    counted = queryset.order_by().values(one=Value(1)).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def count_for(user) -> int:
    """The total of `todo_for(user)` in two queries: one with a count per list, and sroi's
    contracts behind."""
    _last_year, published = _report_published()
    counts = (
        User.objects.filter(pk=user.pk)
        .annotate(
            report_published=Exists(published),
            **{name: _count(queryset) for name, queryset in _waiting(user).items()},
        )
        .values("report_published", *_waiting(user).keys())
        .get()
    )
    published_flag = counts.pop("report_published")
    return (
        sum(counts.values()) + (0 if published_flag else 1) + len(sroi_selectors.contracts_behind())
    )


def todo_count(user) -> int:
    """The number in the menu badge; cached a minute per person."""
    key = f"todo-count:{user.pk}"
    count = cache.get(key)
    if count is None:
        count = count_for(user)
        cache.set(key, count, BADGE_SECONDS)
    return count


class TodoView(PermissionRequiredMixin, TemplateView):
    permission_required = "config.see_todo"
    template_name = "todo.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["todo"] = todo_for(self.request.user)
        return context
