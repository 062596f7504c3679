"""A civil servant changes a location's address and opening hours, closes it with a reason, or
opens it again, and changes or withdraws a shift there that has not started. Each page calls one
service (`officing.update_location`, `close_location`, `reopen_location`, `change_shift`,
`cancel_shift`), which asks the rule again; a refusal shows its message and writes nothing."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.views import ServiceFormView
from governance import officing
from governance.models.officing import Location, OfficerShift

from .forms import (
    CancelShiftForm,
    ChangeShiftForm,
    CloseLocationForm,
    LocationDetailsForm,
    batch_label,
)


class LocationFormView(ServiceFormView):
    permission_required = "governance.manage_locations"
    invalid_status = 400

    def load(self) -> None:
        try:
            self.location = Location.objects.get(slug=self.kwargs["slug"])
        except Location.DoesNotExist as exc:
            raise Http404 from exc

    def get_success_url(self) -> str:
        return reverse("governance:location", args=[self.location.slug])

    cancel_url = get_success_url

    def context(self) -> dict:
        return {"location": self.location}


class LocationEditView(LocationFormView):
    form_class = LocationDetailsForm
    submit_label = gettext_lazy("Save")
    success_message = gettext_lazy("The address and opening hours are saved.")

    def get_initial(self):
        return LocationDetailsForm.initial_for(self.location)

    def get_title(self) -> str:
        return _("Change %(location)s") % {"location": self.location}

    def perform(self, form):
        officing.update_location(
            location=self.location, actor=self.request.user, **form.cleaned_data
        )
        return self.get_success_url()


class LocationCloseView(LocationFormView):
    form_class = CloseLocationForm
    submit_label = gettext_lazy("Close the location")
    success_message = gettext_lazy("The location is closed.")
    intro = gettext_lazy(
        "A closed location gets no new polls or shifts, and nobody can be checked in there. "
        "Its polls, shifts and counts stay. You can open it again later."
    )

    def get_title(self) -> str:
        return _("Close %(location)s") % {"location": self.location}

    def perform(self, form):
        officing.close_location(
            location=self.location, reason=form.cleaned_data["reason"], actor=self.request.user
        )
        return self.get_success_url()


class LocationReopenView(LocationFormView):
    """A button (POST only) on the location's page."""

    form_class = None
    success_message = gettext_lazy("The location is open again.")

    def perform(self, form):
        officing.reopen_location(location=self.location, actor=self.request.user)
        return self.get_success_url()


class ShiftFormView(LocationFormView):
    """A page about one shift at the location (named in the URL)."""

    def load(self) -> None:
        super().load()
        try:
            self.shift = OfficerShift.objects.select_related("officer").get(
                pk=self.kwargs["pk"], location=self.location
            )
        except OfficerShift.DoesNotExist as exc:
            raise Http404 from exc


class ShiftChangeView(ShiftFormView):
    """Change the time or task of a shift that has not started, with a reason for the officer."""

    form_class = ChangeShiftForm
    submit_label = gettext_lazy("Save the change")
    success_message = gettext_lazy("The shift is changed. The officer gets a message.")
    intro = gettext_lazy(
        "The officer gets a message with the old and the new time and the reason. Another "
        "officer means another shift: withdraw this one and record a new one."
    )

    def get_initial(self):
        return ChangeShiftForm.initial_for(self.shift)

    def get_title(self) -> str:
        return _("Change the shift of %(shift)s") % {"shift": batch_label(self.shift)}

    def perform(self, form):
        officing.change_shift(shift=self.shift, actor=self.request.user, **form.cleaned_data)
        return self.get_success_url()


class ShiftCancelView(ShiftFormView):
    """Withdraw a shift at the location that has not started, with a reason for the officer."""

    form_class = CancelShiftForm
    submit_label = gettext_lazy("Withdraw the shift")
    success_message = gettext_lazy("The shift is withdrawn. The officer gets a message.")
    intro = gettext_lazy(
        "The officer gets a message with the reason. A shift that has started stays on record."
    )

    def get_title(self) -> str:
        return _("Withdraw the shift of %(shift)s") % {"shift": batch_label(self.shift)}

    def perform(self, form):
        officing.cancel_shift(
            shift=self.shift, reason=form.cleaned_data["reason"], actor=self.request.user
        )
        return self.get_success_url()
