from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import CHOOSE_AREA, CHOOSE_FUND, NONE, EmptyLabelsMixin
from governance.models import CheckIn
from initiatives.models import Classification, Initiative

from .models import Ballot, Plan, Round


class RoundForm(EmptyLabelsMixin, forms.ModelForm):
    empty_labels = {"fund": CHOOSE_FUND, "area": CHOOSE_AREA}

    class Meta:
        model = Round
        fields = ["title", "fund", "area", "min_plans", "min_vote_percent", "tie_break",
                  "voting_opens_at", "voting_closes_at"]  # fmt: skip
        widgets = {
            "voting_opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "voting_closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["min_vote_percent"].required = False  # empty: the rule does not apply

    def clean_min_vote_percent(self):
        return self.cleaned_data.get("min_vote_percent") or 0


class PlanForm(EmptyLabelsMixin, forms.Form):
    empty_labels = {"initiative": NONE}

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
        help_text=_(
            "Required when the plan is not feasible, its cost changes or you take the "
            "initiative off."
        ),
    )
    keep_initiative = forms.TypedChoiceField(
        label=_("May the money of this plan go to this initiative?"),
        choices=[
            ("1", _("Yes: the author may act for this initiative")),
            ("0", _("No: take it off (a funded plan then gets its own entry in the register)")),
        ],
        coerce=lambda value: value == "1",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, plan=None, **kwargs):
        """The question about the initiative only for a plan that names one (`plan`)."""
        super().__init__(*args, **kwargs)
        if plan is None or plan.initiative_id is None:
            del self.fields["keep_initiative"]
        else:
            self.fields["keep_initiative"].help_text = _(
                "The author linked the plan to %(name)s. If the plan is funded, the money goes "
                "there. Check that the author may act for it."
            ) % {"name": plan.initiative.name}


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


class ResidentFindForm(forms.Form):
    """The officer looks a resident up at the Community Home's table."""

    q = forms.CharField(
        label=_("Name or verification code"),
        max_length=100,
        help_text=_("First name and last name, or the printed verification code."),
    )
    born = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Needed when you search by name. As on the identity document."),
    )


class PaperBallotForm(BallotForm):
    """The officer enters a resident's paper ballot (or their choice on the station's screen):
    how the resident votes, how the officer checked who they are, and the plans ticked."""

    channel = forms.ChoiceField(
        label=_("How does the resident vote?"),
        choices=[(Ballot.Channel.PAPER, _("On a paper ballot")),
                 (Ballot.Channel.ASSISTED, _("With help, on this screen"))],
        widget=forms.RadioSelect,
        initial=Ballot.Channel.PAPER,
    )  # fmt: skip
    identity_check = forms.ChoiceField(
        label=_("How did you check who this is?"), choices=CheckIn.IdentityCheck.choices
    )
    field_order = ["channel", "identity_check", "plans"]

    def __init__(self, *args, round: Round, **kwargs):
        super().__init__(*args, round=round, **kwargs)
        self.fields["plans"].label = _("The plans ticked on the ballot")
