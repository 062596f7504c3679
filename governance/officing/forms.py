from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Area, User
from common.dates import short_date
from common.forms import CHOOSE_AREA, EmptyLabelsMixin
from governance.models.officing import CheckIn, Location, OfficerShift
from governance.officing.shifts import REASON_MAX_LENGTH as SHIFT_REASON_MAX_LENGTH
from governance.officing.stations import CLOSED_REASON_MAX_LENGTH, is_offered


class LocationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    address = forms.CharField(label=_("Address"), max_length=200)
    opening_hours = forms.CharField(
        label=_("Opening hours"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class LocationDetailsForm(forms.Form):
    """What changes of a location: its name (and web address) stay."""

    address = LocationForm.base_fields["address"]
    opening_hours = LocationForm.base_fields["opening_hours"]

    @classmethod
    def initial_for(cls, location: Location) -> dict:
        return {"address": location.address, "opening_hours": location.opening_hours}


class CloseLocationForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the location close?"),
        max_length=CLOSED_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Residents and officers read this, for example: the building is being renovated."
        ),
    )


class CancelShiftForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the shift withdrawn?"),
        max_length=SHIFT_REASON_MAX_LENGTH,
        help_text=_("The officer reads this, for example: ill, or entered twice."),
    )


def _moment_field(label):
    # datetime-local shows a value only in its own format (2026-12-03T09:00): a changed shift's
    # form opens with the shift's times.
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    return forms.DateTimeField(label=label, widget=widget)


class ShiftForm(forms.Form):
    # Typed, not chosen from a list: a list of every account grows with the residents.
    officer = forms.ModelChoiceField(
        label=_("Officer"),
        queryset=User.objects.filter(is_active=True),
        to_field_name="username",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("The user name of the officer's account."),
        error_messages={"invalid_choice": _("There is no active account with this user name.")},
    )
    task = forms.ChoiceField(label=_("Task"), choices=OfficerShift.Task.choices)
    starts_at = _moment_field(_("Starts at"))
    ends_at = _moment_field(_("Ends at"))
    appointed_by = forms.CharField(
        label=_("Appointed by"),
        max_length=200,
        help_text=_("The decision of the community board that chose this officer."),
    )


class ChangeShiftForm(forms.Form):
    """When a shift runs and its task; the officer and the decision that appointed them stay."""

    task = ShiftForm.base_fields["task"]
    starts_at = ShiftForm.base_fields["starts_at"]
    ends_at = ShiftForm.base_fields["ends_at"]
    reason = forms.CharField(
        label=_("Why does the shift change?"),
        max_length=SHIFT_REASON_MAX_LENGTH,
        help_text=_("The officer reads this, for example: the building opens later."),
    )

    @classmethod
    def initial_for(cls, shift: OfficerShift) -> dict:
        return {"task": shift.task, "starts_at": shift.starts_at, "ends_at": shift.ends_at}


class OfferForm(forms.Form):
    """The location is typed (the page suggests names where the poll is not offered yet), not
    chosen from a list of every location: that list grows with the locations (issue 16)."""

    location = forms.CharField(
        label=_("Location"),
        max_length=Location._meta.get_field("name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "offer-locations"}),
        help_text=_("The name of the location. The list shows locations without this poll."),
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal

    def clean_location(self) -> Location:
        name = self.cleaned_data["location"].strip()
        location = Location.objects.filter(name__iexact=name).first()
        if location is None:
            raise forms.ValidationError(
                _("There is no location with this name. Check the spelling."), code="unknown"
            )
        if is_offered(self.proposal, location):
            raise forms.ValidationError(
                _("This poll is already offered at %(name)s. Choose another location."),
                code="offered",
                params={"name": location.name},
            )
        return location


class FindForm(forms.Form):
    q = forms.CharField(
        label=_("Name, poll card number or verification code"),
        max_length=100,
        help_text=_(
            "First name and last name, the number on the poll card, or the printed "
            "verification code."
        ),
    )
    born = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Needed when you search by name. As on the identity document."),
    )


class CheckInForm(forms.Form):
    voter = forms.IntegerField(widget=forms.HiddenInput)
    channel = forms.ChoiceField(
        label=_("How does the resident vote?"),
        choices=CheckIn.Channel.choices,
        widget=forms.RadioSelect,
        initial=CheckIn.Channel.PAPER,
    )
    identity_check = forms.ChoiceField(
        label=_("How did you check who this is?"), choices=CheckIn.IdentityCheck.choices
    )


class PaperCountForm(forms.Form):
    shift = forms.TypedChoiceField(
        label=_("Which ballot box (check-in shift)?"),
        coerce=int,
        help_text=_("Count the envelopes and ballots of each shift's ballot box apart."),
    )
    envelopes = forms.IntegerField(label=_("Envelopes"), min_value=0)
    voor = forms.IntegerField(label=_("Ballots for"), min_value=0)
    tegen = forms.IntegerField(label=_("Ballots against"), min_value=0)
    onthouding = forms.IntegerField(label=_("Ballots abstain"), min_value=0)
    blank = forms.IntegerField(label=_("Blank ballots"), min_value=0)
    invalid = forms.IntegerField(label=_("Invalid ballots"), min_value=0)
    explanation = forms.CharField(
        label=_("Explanation of a difference"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when check-ins, envelopes and ballots do not match."),
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only for a correction of a count already entered."),
    )

    def __init__(self, *args, batches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shift"].choices = [(b.shift.pk, batch_label(b.shift)) for b in batches]
        if len(batches) == 1:
            self.fields["shift"].initial = batches[0].shift.pk


def batch_label(shift) -> str:
    """A ballot box as the officers know it: the shift's officer and hours."""
    starts, ends = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
    return _("%(officer)s, %(starts)s to %(ends)s") % {
        "officer": shift.officer.get_full_name() or shift.officer.username,
        "starts": short_date(starts, "j M H:i"),
        "ends": short_date(ends, "j M H:i"),
    }


class NoVotesForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are there no votes at this location?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TableVerifyForm(EmptyLabelsMixin, forms.Form):
    empty_labels = {"area": CHOOSE_AREA}

    username = forms.CharField(
        label=_("User name of the resident"),
        max_length=150,
        help_text=_("The name the resident logs in with."),
    )
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none())
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("As on the identity document."),
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        areas = proposal.areas.order_by("name")
        self.fields["area"].queryset = areas
        if len(areas) == 1:
            self.fields["area"].initial = areas[0].pk
