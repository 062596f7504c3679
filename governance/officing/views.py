"""Pages for Community Homes: locations and shifts (civil servants), offering a poll at a
location, and the officers' check-in table (the location is in the URL, never only in the
session)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from accounts.models import User
from common.views import paginate
from governance import officing
from governance.forms import BallotForm
from governance.models import Proposal
from governance.models.officing import Location, PollOffering
from governance.officing.forms import (
    CheckInForm,
    FindForm,
    LocationForm,
    NoVotesForm,
    OfferForm,
    PaperCountForm,
    ShiftForm,
    TableVerifyForm,
)
from governance.views import _errors_to_form

PAGE_SIZE = 50  # locations, a location's shifts and polls, a poll's locations
SUGGESTIONS = 25  # location names suggested on the offer form


class LocationListView(PermissionRequiredMixin, View):
    permission_required = "governance.manage_locations"
    template_name = "governance/locations.html"

    def _render(self, form, status=200):
        page = paginate(self.request, Location.objects.order_by("name"), PAGE_SIZE)
        context = {"form": form, "page": page, "locations": page.object_list}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self._render(LocationForm())

    def post(self, request):
        form = LocationForm(request.POST)
        if form.is_valid():
            try:
                location = officing.create_location(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("The location is registered."))
                return redirect("governance:location", slug=location.slug)
        return self._render(form, status=400)


class LocationDetailView(PermissionRequiredMixin, View):
    permission_required = "governance.manage_locations"
    template_name = "governance/location_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.location = get_object_or_404(Location, slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def _render(self, form, status=200):
        page = paginate(self.request, officing.shifts_at(self.location), PAGE_SIZE)
        shifts = list(page.object_list)
        changes = officing.last_changes(shifts)
        for shift in shifts:
            shift.last_change = changes.get(shift.pk)
        offerings = (
            PollOffering.objects.filter(location=self.location)
            .select_related("proposal")
            .order_by("-proposal_id", "pk")  # the newest poll first
        )
        polls_page = paginate(self.request, offerings, PAGE_SIZE, param="stemmingen")
        withdrawn = officing.withdrawn_shifts(self.location)
        withdrawn_page = paginate(self.request, withdrawn, PAGE_SIZE, param="ingetrokken")
        return render(
            self.request,
            self.template_name,
            {
                "location": self.location,
                "closed_by": officing.closed_by(self.location),
                "now": timezone.now(),
                "form": form,
                "page": page,
                "shifts": shifts,
                "polls_page": polls_page,
                "offerings": polls_page.object_list,
                "withdrawn_page": withdrawn_page,
            },
            status=status,
        )

    def get(self, request, slug):
        return self._render(ShiftForm())

    def post(self, request, slug):
        form = ShiftForm(request.POST)
        if form.is_valid():
            try:
                officing.add_shift(location=self.location, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("The shift is recorded."))
                return redirect("governance:location", slug=self.location.slug)
        return self._render(form, status=400)


class OfferView(PermissionRequiredMixin, View):
    permission_required = "governance.manage_locations"
    template_name = "governance/offer.html"

    def dispatch(self, request, *args, **kwargs):
        self.proposal = get_object_or_404(Proposal, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def _render(self, form, status=200):
        offered = (
            PollOffering.objects.filter(proposal=self.proposal)
            .select_related("location")
            .order_by("location__name", "pk")
        )
        page = paginate(self.request, offered, PAGE_SIZE)
        search = self.request.GET.get("zoek", "").replace("\x00", "").strip()[:120]
        suggestions = officing.locations_to_offer(
            self.proposal, search=search, limit=SUGGESTIONS + 1
        )
        context = {
            "proposal": self.proposal,
            "form": form,
            "page": page,
            "offered": page.object_list,
            "search": search,
            "suggestions": suggestions[:SUGGESTIONS],
            "more_suggestions": len(suggestions) > SUGGESTIONS,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self._render(OfferForm(proposal=self.proposal))

    def post(self, request, pk):
        form = OfferForm(request.POST, proposal=self.proposal)
        if form.is_valid():
            try:
                officing.offer_poll_at(
                    proposal=self.proposal,
                    location=form.cleaned_data["location"],
                    actor=request.user,
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("The poll is offered at this location."))
                return redirect("governance:offer", pk=self.proposal.pk)
        return self._render(form, status=400)


class StationMixin:
    """One poll at one location, from the URL (never from the session); the permission is asked
    of that station. Comes before PermissionRequiredMixin, so the station exists when it asks."""

    def dispatch(self, request, *args, **kwargs):
        proposal = get_object_or_404(Proposal, pk=kwargs["pk"], method=Proposal.Method.POLL)
        location = get_object_or_404(Location, slug=kwargs["slug"])
        self.station = officing.Station(proposal=proposal, location=location)
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.station


class StationView(StationMixin, PermissionRequiredMixin, View):
    """The check-in table of one location for one poll: find a resident, check them in."""

    permission_required = "governance.check_in"
    template_name = "governance/station.html"

    def _render(self, find, check_in_form=None, status=200):
        matches, needs_birth, code_search = [], False, False
        if find.is_bound and find.is_valid():
            born = find.cleaned_data["born"]
            matches = officing.find_on_roll(
                proposal=self.station.proposal, query=find.cleaned_data["q"], date_of_birth=born
            )
            code_search = born is None and officing.looks_like_verification_code(
                find.cleaned_data["q"]
            )
            needs_birth = born is None and not matches and not code_search
        context = {
            "station": self.station,
            "find": find,
            "matches": matches,
            "needs_birth": needs_birth,
            "code_search": code_search,
            "check_in_form": check_in_form or CheckInForm(),
        }
        response = render(self.request, self.template_name, context, status=status)
        response["Cache-Control"] = "no-store"  # names of residents: never in a cache
        return response

    def get(self, request, pk, slug):
        find = FindForm(request.GET) if "q" in request.GET else FindForm()
        return self._render(find)

    def post(self, request, pk, slug):
        form = CheckInForm(request.POST)
        find = FindForm()
        if form.is_valid():
            voter = User.objects.filter(pk=form.cleaned_data["voter"]).first()
            if voter is None:
                raise Http404
            try:
                officing.check_in(
                    proposal=self.station.proposal,
                    location=self.station.location,
                    voter=voter,
                    channel=form.cleaned_data["channel"],
                    identity_check=form.cleaned_data["identity_check"],
                    actor=request.user,
                )
            except ValidationError as error:
                _errors_to_form(form, error)
                messages.error(request, " ".join(form.non_field_errors()) or _("Check the form."))
                return self._render(find, form, status=400)
            messages.success(
                request,
                _("%(name)s is checked in. Give them a ballot paper.") % {"name": voter}
                if form.cleaned_data["channel"] == "paper"
                else _("%(name)s is checked in for assisted voting.") % {"name": voter},
            )
            if form.cleaned_data["channel"] == "assisted":
                return redirect(reverse("governance:assisted", args=[pk, slug, voter.pk]))
            return redirect(reverse("governance:station", args=[pk, slug]))
        return self._render(find, form, status=400)


class CountView(StationMixin, PermissionRequiredMixin, View):
    """Counting the paper ballots of one location, one batch (a check-in shift's ballot box)
    at a time: one officer enters, a second confirms."""

    permission_required = "governance.count_paper"
    template_name = "governance/paper_count.html"

    def _batches(self):
        return officing.batches(self.station.proposal, self.station.location)

    def _render(self, form=None, status=200):
        batches = self._batches()
        context = {
            "station": self.station,
            "form": form or PaperCountForm(batches=batches),
            "batches": batches,
            "check_ins": sum(b.check_ins for b in batches),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk, slug):
        return self._render()

    def post(self, request, pk, slug):
        if request.POST.get("action") == "confirm":
            return self._confirm(request)
        batches = self._batches()
        form = PaperCountForm(request.POST, batches=batches)
        if form.is_valid():
            data = dict(form.cleaned_data)
            batch = next(b for b in batches if b.shift.pk == data.pop("shift"))
            correcting = bool(data["reason"].strip())
            try:
                officing.enter_paper_count(
                    proposal=self.station.proposal,
                    location=self.station.location,
                    shift=batch.shift,
                    replaces=batch.count if correcting else None,
                    actor=request.user,
                    **data,
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(
                    request, _("The count is entered. A second officer must confirm it.")
                )
                return redirect("governance:paper_count", pk=pk, slug=slug)
        return self._render(form, status=400)

    def _confirm(self, request):
        try:
            count_pk = int(request.POST.get("count", ""))
        except ValueError:
            count_pk = None
        count = next(
            (b.count for b in self._batches() if b.count is not None and b.count.pk == count_pk),
            None,
        )
        try:
            if count is None:
                raise ValidationError(_("Choose a count that has been entered."))
            officing.confirm_paper_count(count=count, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self._render(status=400)
        messages.success(request, _("The count is confirmed and sealed."))
        return redirect(
            "governance:paper_count", pk=self.station.proposal.pk, slug=self.station.location.slug
        )


class NoVotesView(StationMixin, PermissionRequiredMixin, View):
    """A civil servant records why an offered location has no votes."""

    permission_required = "governance.record_no_votes"
    template_name = "governance/no_votes.html"

    def _render(self, form, status=200):
        context = {"station": self.station, "form": form}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk, slug):
        return self._render(NoVotesForm())

    def post(self, request, pk, slug):
        form = NoVotesForm(request.POST)
        if form.is_valid():
            try:
                officing.record_location_without_votes(
                    proposal=self.station.proposal,
                    location=self.station.location,
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Recorded: this location had no votes."))
                return redirect(self.station.proposal)
        return self._render(form, status=400)


class AssistedBallotView(StationMixin, PermissionRequiredMixin, View):
    """The station's screen: an officer enters the vote of a resident checked in for assisted
    voting. The ballot is sealed like any other; the receipt shows its tracking code."""

    permission_required = "governance.check_in"
    template_name = "governance/assisted.html"

    def _find_voter(self, voter_pk) -> None:
        # Only whom this officer checked in for help here, this shift, in the window: any other
        # number is 404, named or not, voted or not (security review S3).
        self.voter = officing.assisted_voter(
            proposal=self.station.proposal, location=self.station.location,
            officer=self.request.user, voter_id=voter_pk,
        )  # fmt: skip
        if self.voter is None:
            raise Http404

    def _render(self, form, code=None, status=200):
        context = {"station": self.station, "voter": self.voter, "form": form, "code": code}
        response = render(self.request, self.template_name, context, status=status)
        response["Cache-Control"] = "no-store"
        return response

    def get(self, request, pk, slug, voter):
        self._find_voter(voter)
        return self._render(BallotForm())

    def post(self, request, pk, slug, voter):
        self._find_voter(voter)
        form = BallotForm(request.POST)
        if form.is_valid():
            try:
                code = officing.cast_assisted_ballot(
                    proposal=self.station.proposal,
                    location=self.station.location,
                    voter=self.voter,
                    choice=form.cleaned_data["choice"],
                    actor=request.user,
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                return self._render(None, code=code)
        return self._render(form, status=400)


class VerifyAtTableView(StationMixin, PermissionRequiredMixin, View):
    """A civil servant on duty at this location verifies a resident in person, at the table.
    The frozen roll still decides who may vote in a running poll; the page says so."""

    permission_required = "governance.verify_at_table"
    template_name = "governance/verify_at_table.html"

    def _render(self, form, result=None, resident=None, status=200):
        context = {"station": self.station, "form": form, "result": result, "resident": resident}
        response = render(self.request, self.template_name, context, status=status)
        response["Cache-Control"] = "no-store"
        return response

    def get(self, request, pk, slug):
        return self._render(TableVerifyForm(proposal=self.station.proposal))

    def post(self, request, pk, slug):
        form = TableVerifyForm(request.POST, proposal=self.station.proposal)
        if form.is_valid():
            resident = User.objects.filter(
                username__iexact=form.cleaned_data["username"].strip(), is_active=True
            ).first()
            if resident is None:
                form.add_error(
                    "username", _("There is no account with this user name. Check the spelling.")
                )
                return self._render(form, status=400)
            try:
                result = officing.verify_at_table(
                    proposal=self.station.proposal,
                    location=self.station.location,
                    user=resident,
                    area=form.cleaned_data["area"],
                    date_of_birth=form.cleaned_data["date_of_birth"],
                    actor=request.user,
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                fresh = TableVerifyForm(proposal=self.station.proposal)
                return self._render(fresh, result=result, resident=resident)
        return self._render(form, status=400)
