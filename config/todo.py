"""A civil servant's to-do page (`/taken/`): what waits for them in every app, with counts.

It lives in `config`, the top layer, because it reads every app. The counts of every kind are one
query; each kind shows its first `SHOWN` tasks (one query each; the contracts behind schedule: the
first `SHOWN` of sroi's selector, which filters and orders them in the database) and links to its
full list, paged (`?lijst=<kind>`; the contracts: sroi's paged list). So the page's queries and
its size do not grow with the tasks; the menu's count takes one query and is cached for a minute.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Case, Exists, Q, Value, When
from django.utils import timezone
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from accounts.models import User, VerificationCodeBatch
from common.paging import count_subquery
from common.views import paginate
from governance.models import Decision, Proposal
from governance.tally import ADOPTED
from intake.models import Intake
from reports.models import AnnualReport
from sroi import selectors as sroi_selectors
from sroi.models import Realisation

from . import rules as config_rules  # noqa: F401  (registers the page's rule)

BADGE_SECONDS = 60


SHOWN = 10  # rows per kind on the to-do page; "See all" opens the kind's full list
PAGE_SIZE = 50  # rows a page of a kind's full list (`?lijst=<kind>`)


@dataclass
class Todo:
    """The tasks shown (at most `SHOWN` per kind, or a page of one kind's full list) and
    `counts`: how many of each kind wait in all."""

    counts: dict[str, int] = field(default_factory=dict)
    intakes: list = field(default_factory=list)
    realisations: list = field(default_factory=list)
    batches: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    votes: list = field(default_factory=list)  # votes to close, then polls to count
    reports_missing: list = field(default_factory=list)
    contracts: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _waiting(user) -> dict:
    """The querysets of the to-do page, without the contracts (sroi computes those)."""
    now = timezone.now()
    counting = Proposal.Status.COUNTING
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
        "votes": Proposal.objects.filter(
            Q(status=Proposal.Status.VOTING, closes_at__lte=now) | Q(status=counting)
        ).order_by(Case(When(status=counting, then=Value(1)), default=Value(0)), "closes_at", "pk"),
    }


KINDS = ("intakes", "realisations", "batches", "decisions", "votes")  # the kinds with a full list


def _report_published():
    last_year = timezone.localdate().year - 1
    return last_year, AnnualReport.objects.filter(
        year=last_year, area=None, status=AnnualReport.Status.DONE
    )


def _counts(user) -> dict[str, int]:
    """How many tasks of each kind wait for `user`, the contracts behind schedule (counted by
    sroi's selector in the database) and whether last year's report is missing (`reports`: 0 or
    1), in one query."""
    _last_year, published = _report_published()
    waiting = _waiting(user)
    # annotated on the user under other names ("votes" is a relation of the user)
    waiting["contracts"] = sroi_selectors.contracts_behind()
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            report_published=Exists(published),
            **{f"waiting_{name}": count_subquery(queryset) for name, queryset in waiting.items()},
        )
        .values("report_published", *(f"waiting_{name}" for name in waiting))
        .get()
    )
    counts = {name: row[f"waiting_{name}"] for name in waiting}
    counts["reports"] = 0 if row["report_published"] else 1
    return counts


def todo_for(user, *, kind: str = "", page=None) -> Todo:
    """Everything waiting for `user` as a civil servant, never their own claims or batches
    (four eyes): the counts, and the first `SHOWN` of each kind, or only `page` of `kind`."""
    counts = _counts(user)
    if kind in KINDS:
        return Todo(counts=counts, **{kind: list(page.object_list)})
    lists = {name: list(queryset[:SHOWN]) for name, queryset in _waiting(user).items()}
    return Todo(
        counts=counts,
        **lists,
        reports_missing=[_report_published()[0]] if counts["reports"] else [],
        contracts=sroi_selectors.with_progress(sroi_selectors.contracts_behind()[:SHOWN]),
    )


def count_for(user) -> int:
    """The total of `todo_for(user)` in one query, with a count per list (no row is loaded)."""
    return sum(_counts(user).values())


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
        user, kind = self.request.user, self.request.GET.get("lijst", "")
        if kind in KINDS:
            page = paginate(self.request, _waiting(user)[kind], PAGE_SIZE)
            context.update(kind=kind, page=page, todo=todo_for(user, kind=kind, page=page))
        else:
            context["todo"] = todo_for(user)
        return context
