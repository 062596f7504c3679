"""Project-wide pages: the home page, the favicon and the health endpoint."""

import logging

from django.conf import settings
from django.db.models import F, Func, IntegerField, Subquery
from django.http import FileResponse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.generic import TemplateView

from accounts.models import Area, MemberVerification
from accounts.rules import is_staff_account
from budgeting import rules as budgeting_rules
from budgeting import selectors as budgeting_selectors
from common.community_home import community_home
from governance import selectors as governance_selectors
from governance.models import Decision
from initiatives.models import Initiative
from reports import selectors as report_selectors
from sroi import selectors as sroi_selectors

from .probes import readyz
from .shifts import next_shift

logger = logging.getLogger(__name__)

OPEN_VOTES_SHOWN = 5
DECISIONS_SHOWN = 5


def _count():
    # COUNT without Django's GROUP BY: the row count of the query it stands in.
    return Func(F("pk"), function="COUNT", output_field=IntegerField())


def home_figures() -> dict[str, int]:
    """The home page's "in numbers": areas, verified members, initiatives in the register and
    decisions taken, in one query (the page's query budget is fixed, issue 16)."""

    def count_of(queryset):
        return Subquery(queryset.order_by().annotate(n=_count()).values("n"))

    return (
        Area.objects.order_by()
        .annotate(
            area_count=_count(),
            member_count=count_of(MemberVerification.objects.filter(revoked_at__isnull=True)),
            initiative_count=count_of(Initiative.objects.all()),
            decision_count=count_of(Decision.objects.all()),
        )
        .values("area_count", "member_count", "initiative_count", "decision_count")
        .get()
    )


class HomeView(TemplateView):
    """What a first visitor needs: the fund in figures, votes open now, the latest decisions and
    report, and where to get help. A fixed number of queries, however much data there is."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # The same reads the public fund overview (/sroi/) uses, so the figures always agree.
        summary = sroi_selectors.fund_figures(None)
        votes = list(governance_selectors.open_votes(user)[: OPEN_VOTES_SHOWN + 1])
        # One read of the running rounds (with whether `user` cast a ballot): the round shown is
        # the newest one open for voting, with the way to its ballot (a vote has a deadline and
        # asks the least of a visitor), else the newest; the others are named below it.
        running = budgeting_selectors.running_rounds(user)
        budget_round = next(
            (r for r in running if budgeting_rules.voting_is_open(user, r)),
            running[0] if running else None,
        )
        voting = budgeting_rules.voting_is_open(user, budget_round)
        # A signed-in resident who has not voted yet gets the way to the ballot when they may
        # vote in the round, else why not (one query, the electorate the round froze), not a
        # link to a page that refuses them.
        may_vote = (
            voting
            and user.is_authenticated
            and not getattr(budget_round, "voted", False)
            and user.has_perm("budgeting.vote", budget_round)
        )
        shift = next_shift(user)  # an officer's shift now or next, with the way to it
        context.update(
            figures=home_figures(),
            summary=summary,
            votes=votes[:OPEN_VOTES_SHOWN],
            more_votes=len(votes) > OPEN_VOTES_SHOWN,
            voted=list(governance_selectors.voted_open_polls(user)[:OPEN_VOTES_SHOWN]),
            decisions=list(governance_selectors.latest_decisions(DECISIONS_SHOWN)),
            budget_round=budget_round,
            other_rounds=[r for r in running if r is not budget_round],
            budget_round_voting=voting,
            budget_round_may_vote=may_vote,
            # staff never vote (the ballot refuses them): no way to it on their home page
            budget_round_for_staff=is_staff_account(user),
            report=report_selectors.published_reports().filter(area__isnull=True).first(),
            next_shift=shift,
            shift_is_now=shift is not None and shift.starts_at <= timezone.now(),
            community_home=community_home(),
        )
        return context


# Kept here for `/health/` (docker-compose's check); the probes live in config/probes.py.
health = readyz

FAVICON = settings.BASE_DIR / "static" / "favicon.ico"


@cache_control(max_age=86400, public=True)
def favicon(request):
    """/favicon.ico, which browsers ask for on every site whatever the page links."""
    return FileResponse(FAVICON.open("rb"), content_type="image/x-icon")


class AccessibilityView(TemplateView):
    """The accessibility statement (toegankelijkheidsverklaring), in the shape of the Dutch model:
    status, what is not yet accessible, and how to report a problem."""

    template_name = "accessibility.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            contact_email=settings.ACCESSIBILITY_CONTACT_EMAIL,
            contact_phone=settings.ACCESSIBILITY_CONTACT_PHONE,
            statement_date=settings.ACCESSIBILITY_STATEMENT_DATE,
        )
        return context
