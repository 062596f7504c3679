from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Area
from common.forms import CHOOSE_INITIATIVE, EmptyLabelsMixin
from initiatives.models import Initiative

from .models import Outcome


class RequestReportForm(forms.Form):
    """A civil servant asks for the report of a year (a new version if one exists)."""

    year = forms.IntegerField(label=_("Year"), min_value=2000)
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.all(),
        required=False,
        empty_label=_("The whole municipality"),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.LANGUAGES,
        initial=["nl", "en"],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].max_value = this_year
        self.fields["year"].widget.attrs["max"] = this_year
        self.fields["year"].initial = this_year - 1


class OutcomeForm(EmptyLabelsMixin, forms.Form):
    """What an initiative achieved; the same initiative, year and indicator again corrects it."""

    empty_labels = {"initiative": CHOOSE_INITIATIVE}

    initiative = forms.ModelChoiceField(
        label=_("Initiative"), queryset=Initiative.objects.order_by("name")
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000)
    indicator = forms.ChoiceField(label=_("Indicator"), choices=Outcome.Indicator.choices)
    value = forms.IntegerField(
        label=_("Number"),
        min_value=0,
        help_text=_("How many people or households, counted over the year."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("Where the number comes from, e.g. the initiative's annual report."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].initial = this_year - 1
        self.fields["year"].max_value = this_year
        self.fields["year"].widget.attrs["max"] = this_year
