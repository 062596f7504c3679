"""Pages of budget rounds: thin; every write is one service call, every refusal says why."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from common.views import errors_to_form, paginate
from governance.models import Location
from governance.officing import shifts_of

from .. import exports, selectors, services
from ..explain import euros, not_on_ballot
from ..forms import BallotForm, PlanForm, ReviewForm, RoundForm
from ..models import Plan, Round
from ..refusals import plan_refusal
from ..rules import RoundStation, voting_is_open


class RoundMixin:
    """Loads the round named in the URL before the permission check (rules ask about it)."""

    def dispatch(self, request, *args, **kwargs):
        self.round = get_object_or_404(
            Round.objects.select_related("fund", "area"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.round


class RoundListView(TemplateView):
    template_name = "budgeting/list.html"

    def get_context_data(self, **kwargs):
        rounds = list(selectors.rounds_for(self.request.user))
        for round in rounds:  # "you can vote until …" only inside the window, not after it
            round.voting_open = voting_is_open.test(self.request.user, round)
        return {**super().get_context_data(**kwargs), "rounds": rounds}


PLAN_PAGE_SIZE = 20
OUTCOME_PAGE_SIZE = 25


class RoundDetailView(RoundMixin, PermissionRequiredMixin, TemplateView):
    """A round: its rules, its steps, the outcome per ballot plan (`?uitkomst=`) and its plans
    (`?plannen=`), each paged. The ballot itself (`BallotView`) shows every plan."""

    permission_required = "budgeting.see_round"
    template_name = "budgeting/detail.html"

    def get_context_data(self, **kwargs):
        round, user = self.round, self.request.user
        request = self.request
        plan_page = paginate(request, selectors.plans_of(round), PLAN_PAGE_SIZE, param="plannen")
        if round.is_frozen:  # the plans on the ballot, then the others, each saying why not
            for plan in plan_page:
                plan.on_ballot = plan.number is not None
                plan.why_not_on_ballot = "" if plan.on_ballot else not_on_ballot(plan, round.budget)
        outcome_page = None
        if round.outcome:
            ballot_plans = selectors.ballot_plans(round)
            outcome_page = paginate(request, ballot_plans, OUTCOME_PAGE_SIZE, param="uitkomst")
        shown = round.status not in (Round.Status.FROZEN, Round.Status.VOTING)
        # The ballots per channel add up to all ballots; one query for them and whether this
        # user voted (none before the round is frozen: no ballot exists yet).
        per_channel, has_voted = selectors.ballot_counts(round, user)
        return {
            **super().get_context_data(**kwargs),
            "round": round,
            "plan_page": plan_page,
            "outcome_page": outcome_page,
            "results": selectors.results_of(round, outcome_page or []),
            "funded": len((round.outcome or {}).get("mes", ())),
            "show_votes": shown and round.is_frozen,
            "ballots": sum(count for _label, count in per_channel),  # shown once frozen
            "has_voted": has_voted,
            "may_vote": user.has_perm("budgeting.vote", round),
            "may_submit": user.has_perm("budgeting.submit_plan", round),
            "may_manage": user.has_perm("budgeting.manage_round", round),
            "may_review": user.has_perm("budgeting.review_plan", round),
            "budget_words": euros(round.budget) if round.budget is not None else "",
            # before freezing: what the round would get now (the money free in its fund)
            "budget_now": None if round.is_frozen else services.budget_now(round),
            # only the steps the round's state allows now (each step's own rule)
            "steps": [
                step
                for step, (service, _done) in STEPS.items()
                if user.has_perm(service.rule, round)
            ],
            "decision": getattr(round.proposal, "decision", None) if round.proposal else None,
            "per_channel": per_channel,
            "tables": _tables_of(user, round),
        }


def _tables_of(user, round: Round) -> list[Location]:
    """The Community Homes where this user may enter paper ballots of the round now."""

    if round.status != Round.Status.VOTING:
        return []
    found = {s.location_id: s for s in shifts_of(user) if s.is_current()}
    locations = Location.objects.filter(pk__in=found).order_by("name")
    return [
        location
        for location in locations
        if user.has_perm("budgeting.enter_paper_ballot", RoundStation(round, location))
    ]


class RoundFormView(PermissionRequiredMixin, View):
    permission_required = "budgeting.manage_round"
    template_name = "budgeting/form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": RoundForm()})

    def post(self, request):
        form = RoundForm(request.POST)
        if form.is_valid():
            try:
                round = services.create_round(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The round is created as a draft."))
                return redirect(round)
        return render(request, self.template_name, {"form": form}, status=400)


class PlanSubmitView(RoundMixin, PermissionRequiredMixin, View):
    permission_required = "budgeting.see_round"
    acts_by = "budgeting.submit_plan"  # the rule of `services.submit_plan`
    template_name = "budgeting/plan_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def _render(self, form, status=200, refusal=None):
        context = {"round": self.round, "form": form, "refusal": refusal}
        if refusal is None:  # what a plan may cost at most, as far as is known now
            context["budget_now"] = services.budget_now(self.round)
        return render(self.request, self.template_name, context, status=status)

    def _refused(self):
        """403 with the reason in words, and a round that does take a plan (if any)."""
        return self._render(None, status=403, refusal=plan_refusal(self.request.user, self.round))

    def get(self, request, pk):
        if not request.user.has_perm(self.acts_by, self.round):
            return self._refused()
        return self._render(PlanForm())

    def post(self, request, pk):
        if not request.user.has_perm(self.acts_by, self.round):
            return self._refused()
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                services.submit_plan(actor=request.user, round=self.round, **form.cleaned_data)
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Thank you. Your plan is submitted."))
                return redirect(self.round)
        return self._render(form, status=400)


class PlanReviewView(PermissionRequiredMixin, View):
    permission_required = "budgeting.review_plan"  # asked of the plan's round, as the service
    template_name = "budgeting/review.html"

    def dispatch(self, request, *args, **kwargs):
        self.plan = get_object_or_404(
            Plan.objects.select_related("round", "initiative"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.plan.round

    def _render(self, form, status=200):
        round = self.plan.round
        # what freezing would fix as the budget now: a plan costing more is not feasible
        budget = euros(services.budget_now(round))
        context = {"plan": self.plan, "round": round, "form": form, "budget_words": budget}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self._render(ReviewForm(plan=self.plan))

    def post(self, request, pk):
        form = ReviewForm(request.POST, plan=self.plan)
        if form.is_valid():
            try:
                services.review_plan(actor=request.user, plan=self.plan, **form.cleaned_data)
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The review is saved and sent to the author."))
                return redirect(self.plan.round)
        return self._render(form, status=400)


class BallotView(RoundMixin, PermissionRequiredMixin, View):
    """The ballot: plans with their costs and a running total; a refusal says why."""

    permission_required = "budgeting.see_round"
    acts_by = "budgeting.vote"  # the rule of `services.cast_ballot`
    template_name = "budgeting/ballot.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def _render(self, form, status=200, refusal=""):
        chosen = set()
        if form is not None and form.is_bound:
            chosen = set(self.request.POST.getlist("plans"))
        plans = [] if form is None else list(form.fields["plans"].queryset)
        context = {
            "round": self.round,
            "form": form,
            "refusal": refusal,
            "plans": [(plan, euros(plan.vote_cost), str(plan.pk) in chosen) for plan in plans],
            "budget_words": euros(self.round.budget) if self.round.budget else "",
        }
        return render(self.request, self.template_name, context, status=status)

    def _refusal(self) -> str:
        if selectors.has_voted(self.round, self.request.user):
            return _("You have already voted in this round. Thank you.")
        return _("Only verified residents of %(area)s can vote, while voting is open.") % {
            "area": self.round.area
        }

    def get(self, request, pk):
        if not request.user.has_perm(self.acts_by, self.round) or selectors.has_voted(
            self.round, request.user
        ):
            return self._render(None, status=403, refusal=self._refusal())
        return self._render(BallotForm(round=self.round))

    def post(self, request, pk):
        if not request.user.has_perm(self.acts_by, self.round):
            return self._render(None, status=403, refusal=self._refusal())
        form = BallotForm(request.POST, round=self.round)
        if form.is_valid():
            try:
                services.cast_ballot(
                    actor=request.user, round=self.round, plans=form.cleaned_data["plans"]
                )
            except ValidationError as error:
                if error.code == "voted":
                    return self._render(None, status=409, refusal=self._refusal())
                errors_to_form(form, error)
            else:
                messages.success(request, _("Thank you. Your vote is recorded."))
                return redirect(self.round)
        return self._render(form, status=400)


# (URL word, service, success message); the step asks its service's rule
STEPS = {
    "ideeen": (services.open_ideas, _("Residents can now submit plans.")),
    "beoordelen": (services.start_review, _("The plans can now be reviewed.")),
    "bevriezen": (services.freeze_round, _("The round is frozen.")),
    "stemming": (services.open_voting, _("Voting is open.")),
    "berekenen": (services.compute_outcome, _("The outcome is computed.")),
    "bestuur": (services.submit_to_board, _("The package is put to the community board.")),
    "afronden": (services.settle_round, _("The board's decision is recorded with the round.")),
}


class StepView(RoundMixin, PermissionRequiredMixin, View):
    """One step of the round's life (POST only), by its service's rule (who runs rounds, in the
    state the step starts from). Refused only by the state, the service says why (a message)."""

    def get_permission_required(self):
        if self.kwargs["step"] not in STEPS:
            raise Http404
        return (STEPS[self.kwargs["step"]][0].rule,)

    def handle_no_permission(self):
        user, step = self.request.user, self.kwargs["step"]
        if self.request.method == "POST" and user.has_perm(STEPS[step][0].who, self.round):
            return self.post(self.request, self.round.pk, step)  # the service's own refusal
        return super().handle_no_permission()

    def post(self, request, pk, step):
        service, success = STEPS[step]
        extra = {"reason": request.POST.get("reason", "")} if step == "afronden" else {}
        try:
            round = service(actor=request.user, round=self.round, **extra)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, " ".join([success, *_left_off(step, round)]))
        return redirect(self.round)


def _left_off(step: str, round: Round) -> list[str]:
    """After freezing: how many feasible plans cost more than the budget, so are not on the
    ballot (`services.freeze_round`)."""
    if step != "bevriezen":
        return []
    count = round.plans.filter(number=None, feasibility=Plan.Feasibility.FEASIBLE).count()
    if not count:
        return []
    return [
        ngettext(
            "%(count)s feasible plan costs more than the budget of %(budget)s. It is not on "
            "the ballot, and its author is told why.",
            "%(count)s feasible plans cost more than the budget of %(budget)s. They are not on "
            "the ballot, and their authors are told why.",
            count,
        ) % {"count": count, "budget": euros(round.budget)}
    ]  # fmt: skip


class DownloadView(RoundMixin, PermissionRequiredMixin, View):
    """The ballots without voters, after the outcome was computed."""

    permission_required = "budgeting.see_round"

    def get(self, request, pk, kind):
        if self.round.computed_at is None:
            raise Http404
        if kind == "pb":
            body, content_type = exports.pabulib(self.round), "text/plain; charset=utf-8"
        else:
            body, content_type = exports.ballots_csv(self.round), "text/csv; charset=utf-8"
        response = HttpResponse(body, content_type=content_type)
        name = f"begrotingsronde-{self.round.pk}.{kind}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
