"""The Community Home's pages of a budget round: paper ballots and assisted votes (an officer
at the table)."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from accounts.models import User
from common.views import errors_to_form
from governance.models import Location
from governance.officing.printing import _pdf

from .. import selectors, services
from ..explain import euros
from ..forms import PaperBallotForm, ResidentFindForm
from ..models import Ballot, Plan, Round
from ..rules import RoundStation


class RoundStationMixin:
    """One round at one location, from the URL (never from the session); the permission is
    asked of that station."""

    def dispatch(self, request, *args, **kwargs):
        round = get_object_or_404(Round.objects.select_related("fund", "area"), pk=kwargs["pk"])
        location = get_object_or_404(Location, slug=kwargs["slug"])
        self.station = RoundStation(round=round, location=location)
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.station


# How long a resident found at the table keeps their ballot page for the officer who found
# them (search again after), and how many found residents a session remembers per table.
FOUND_FOR = timedelta(minutes=60)
FOUND_KEPT = 100


def _found_key(station: RoundStation) -> str:
    return f"budgeting.paper.found.{station.round.pk}.{station.location.pk}"


def _remember_found(request, station: RoundStation, user_ids) -> None:
    """Keep the residents this officer found at this table (round and location) in their
    session, with when: only they have a ballot page (security review S3)."""
    now = timezone.now().timestamp()
    found = {
        pk: at
        for pk, at in request.session.get(_found_key(station), {}).items()
        if now - at < FOUND_FOR.total_seconds()
    }
    found.update({str(pk): now for pk in user_ids})
    newest = sorted(found.items(), key=lambda item: item[1])[-FOUND_KEPT:]
    request.session[_found_key(station)] = dict(newest)


def _was_found(request, station: RoundStation, voter_pk) -> bool:
    at = request.session.get(_found_key(station), {}).get(str(voter_pk))
    return at is not None and timezone.now().timestamp() - at < FOUND_FOR.total_seconds()


def _no_store(response):
    response["Cache-Control"] = "no-store"  # names of residents: never in a cache
    return response


class PaperTableView(RoundStationMixin, PermissionRequiredMixin, View):
    """The table: find a verified resident of the round's area, see whether they voted."""

    permission_required = "budgeting.enter_paper_ballot"
    template_name = "budgeting/paper_table.html"

    def get(self, request, pk, slug):
        find = ResidentFindForm(request.GET) if "q" in request.GET else ResidentFindForm()
        matches, needs_birth = [], False
        if find.is_bound and find.is_valid():
            born = find.cleaned_data["born"]
            matches = selectors.find_residents(
                self.station.round, query=find.cleaned_data["q"], date_of_birth=born
            )
            needs_birth = born is None and not matches
            _remember_found(request, self.station, [match.user.pk for match in matches])
        context = {"station": self.station, "round": self.station.round, "find": find,
                   "matches": matches, "needs_birth": needs_birth}  # fmt: skip
        return _no_store(render(request, self.template_name, context))


class PaperBallotView(RoundStationMixin, PermissionRequiredMixin, View):
    """Check one resident in for the round and enter the plans ticked on their paper ballot
    (or chosen on this screen with help)."""

    permission_required = "budgeting.enter_paper_ballot"
    template_name = "budgeting/paper_ballot.html"

    def _render(self, form, status=200, refusal=""):
        round = self.station.round
        chosen = (
            set(self.request.POST.getlist("plans")) if form is not None and form.is_bound else set()
        )
        plans = list(form.fields["plans"].queryset) if form is not None else []
        context = {
            "station": self.station,
            "round": round,
            "voter": self.voter,
            "form": form,
            "refusal": refusal,
            "plans": [(plan, euros(plan.vote_cost), str(plan.pk) in chosen) for plan in plans],
            "budget_words": euros(round.budget) if round.budget else "",
        }
        return _no_store(render(self.request, self.template_name, context, status=status))

    def _refusal(self, voter_pk) -> str:
        """Load the resident of this page (after the permission was asked); why they cannot
        vote here, if they voted already."""
        # Only a resident this officer found at this table has a page: any other number is 404,
        # so nobody reads names, or who voted where, by walking the numbers (security review S3).
        if not _was_found(self.request, self.station, voter_pk):
            raise Http404
        # Whether they voted comes with them (`has_ballot`), in the same query.
        self.voter = (
            User.objects.filter(pk=voter_pk)
            .annotate(
                has_ballot=Exists(
                    Ballot.objects.filter(round=self.station.round, voter_id=OuterRef("pk"))
                )
            )
            .first()
        )
        if self.voter is None or not self.voter.has_perm(
            "budgeting.vote_some_time", self.station.round
        ):
            raise Http404
        # "Already voted, online / at <location>" tells the officer nothing new: the table shows
        # it for every resident found (`find_residents` reads their ballot), a search now would
        # too, and they need it to send the resident away. For anyone not found it would list
        # who voted and how: that is the 404 above.
        if self.voter.has_ballot:
            return services.already_voted(self.station.round, self.voter)
        return ""

    def get(self, request, pk, slug, voter):
        refusal = self._refusal(voter)
        if refusal:
            return self._render(None, status=409, refusal=refusal)
        return self._render(PaperBallotForm(round=self.station.round))

    def post(self, request, pk, slug, voter):
        round = self.station.round
        self._refusal(voter)  # a person not found at this table: 404
        form = PaperBallotForm(request.POST, round=round)
        if form.is_valid():
            try:
                services.enter_paper_ballot(
                    actor=request.user, round=round, location=self.station.location,
                    voter=self.voter, plans=form.cleaned_data["plans"],
                    channel=form.cleaned_data["channel"],
                    identity_check=form.cleaned_data["identity_check"],
                )  # fmt: skip
            except ValidationError as error:
                if error.code in ("voted", "officer"):
                    return self._render(None, status=409, refusal=" ".join(error.messages))
                errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("The ballot of %(name)s is recorded. Thank you.") % {"name": self.voter},
                )
                return redirect("budgeting:paper_table", pk=pk, slug=slug)
        return self._render(form, status=400)


class PaperBallotPrintView(RoundStationMixin, PermissionRequiredMixin, View):
    """Blank paper ballots of the round for a Community Home (PDF): the plans with their costs,
    a box to tick for each, and how to fill it in (B1)."""

    permission_required = "budgeting.print_paper_ballot"

    def get(self, request, pk, slug):

        try:
            copies = min(max(int(request.GET.get("aantal", "10")), 1), 500)
        except ValueError:
            copies = 10
        round, location = self.station.round, self.station.location
        plans = list(Plan.objects.filter(round=round, number__isnull=False).order_by("number"))
        data = _pdf(
            "budgeting/print/paper_ballot.html",
            {
                "round": round,
                "location": location,
                "copies": range(copies),
                "plans": [(plan, euros(plan.vote_cost)) for plan in plans],
                "budget_words": euros(round.budget) if round.budget else "",
            },
        )
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="stembiljetten-begroting-{pk}-{slug}.pdf"'
        )
        return _no_store(response)
