from django import forms
from django.utils.translation import gettext_lazy as _

from initiatives.models import Classification, Initiative

from .models import Plan, Round


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["title", "fund", "area", "min_plans", "tie_break", "voting_opens_at",
                  "voting_closes_at"]  # fmt: skip
        widgets = {
            "voting_opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "voting_closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("What do you want to do?"), widget=forms.Textarea)
    cost = forms.DecimalField(
        label=_("What does it cost (in whole euros)?"), min_value=1, decimal_places=0,
        max_digits=11,
    )  # fmt: skip
    leefgebieden = forms.ModelMultipleChoiceField(
        label=_("Areas of life (leefgebieden)"),
        queryset=Classification.objects.filter(scheme=Classification.Scheme.LEEFGEBIED),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    initiative = forms.ModelChoiceField(
        label=_("Initiative from the register (optional)"),
        queryset=Initiative.objects.order_by("name"),
        required=False,
    )


class ReviewForm(forms.Form):
    feasible = forms.TypedChoiceField(
        label=_("Is the plan feasible?"),
        choices=[("1", _("Yes, feasible")), ("0", _("No, not feasible"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reviewed_cost = forms.DecimalField(
        label=_("Cost after review (whole euros)"), required=False, min_value=1,
        decimal_places=0, max_digits=11,
        help_text=_("Leave empty when the cost is right."),
    )  # fmt: skip
    reason = forms.CharField(
        label=_("Reason for the author"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the plan is not feasible or its cost changes."),
    )


class BallotForm(forms.Form):
    plans = forms.ModelMultipleChoiceField(
        label=_("Choose the plans you support"),
        queryset=Plan.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one plan.")},
    )

    def __init__(self, *args, round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plans"].queryset = Plan.objects.filter(
            round=round, number__isnull=False
        ).order_by("number")
