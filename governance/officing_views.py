"""Pages for Community Homes: locations and shifts (civil servants), offering a poll at a
location, and the officers' check-in table (the location is in the URL, never only in the
session)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from accounts.models import User

from . import officing
from .models import Proposal
from .officing_forms import CheckInForm, FindForm, LocationForm, OfferForm, ShiftForm
from .officing_models import Location, OfficerShift, PollOffering
from .views import _errors_to_form


class LocationListView(PermissionRequiredMixin, View):
    permission_required = "governance.manage_locations"
    template_name = "governance/locations.html"

    def _render(self, form, status=200):
        locations = Location.objects.order_by("name")
        return render(
            self.request, self.template_name, {"form": form, "locations": locations}, status=status
        )

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
        shifts = OfficerShift.objects.filter(location=self.location).select_related("officer")
        offerings = PollOffering.objects.filter(location=self.location).select_related("proposal")
        return render(
            self.request,
            self.template_name,
            {"location": self.location, "form": form, "shifts": shifts, "offerings": offerings},
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
        offered = PollOffering.objects.filter(proposal=self.proposal).select_related("location")
        context = {"proposal": self.proposal, "form": form, "offered": offered}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self._render(OfferForm())

    def post(self, request, pk):
        form = OfferForm(request.POST)
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


class StationView(PermissionRequiredMixin, View):
    """The check-in table of one location for one poll: find a resident, check them in."""

    permission_required = "governance.check_in"
    template_name = "governance/station.html"

    def dispatch(self, request, *args, **kwargs):
        proposal = get_object_or_404(Proposal, pk=kwargs["pk"], method=Proposal.Method.POLL)
        location = get_object_or_404(Location, slug=kwargs["slug"])
        self.station = officing.Station(proposal=proposal, location=location)
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.station

    def _render(self, find, check_in_form=None, status=200):
        matches = []
        if find.is_bound and find.is_valid():
            matches = officing.find_on_roll(
                proposal=self.station.proposal, query=find.cleaned_data["q"]
            )
        context = {
            "station": self.station,
            "find": find,
            "matches": matches,
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
            return redirect(reverse("governance:station", args=[pk, slug]))
        return self._render(find, form, status=400)
