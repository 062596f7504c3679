"""Forms of the staff pages for bodies, seats and decision rules; the services check the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.forms import NONE, EmptyLabelsMixin
from governance.bodies import REASON_MAX_LENGTH
from governance.models import Body, DecisionRule, Side


def reason_field():
    return forms.CharField(
        label=_("Why do you make this change?"),
        max_length=REASON_MAX_LENGTH,
        help_text=_("Required. It is kept with the change, with your name and the time."),
    )


def date_field(label, **kwargs):
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        **kwargs,
    )


class DecisionRuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    majority_percent = forms.IntegerField(
        label=_("Majority (%)"),
        min_value=50,
        max_value=99,
        initial=50,
        help_text=_("50 means half of the votes plus one. A tie is rejected."),
    )
    quorum = forms.ChoiceField(
        label=_("Quorum"), choices=DecisionRule.Quorum.choices, initial=DecisionRule.Quorum.MAJORITY
    )
    quorum_value = forms.IntegerField(
        label=_("Quorum number or percentage"),
        min_value=0,
        required=False,
        help_text=_("Only for a quorum of a number of voters or a percentage."),
    )
    abstentions_count_toward_quorum = forms.BooleanField(
        label=_("Abstentions count toward the quorum"), required=False, initial=True
    )
    community_guarantee = forms.BooleanField(
        label=_("Community-majority guarantee"),
        required=False,
        initial=True,
        help_text=_("The community side must also vote for with a majority."),
    )
    reason = reason_field()

    @staticmethod
    def initial_for(rule: DecisionRule) -> dict:
        return {
            "name": rule.name,
            "majority_percent": rule.majority_percent,
            "quorum": rule.quorum,
            "quorum_value": rule.quorum_value,
            "abstentions_count_toward_quorum": rule.abstentions_count_toward_quorum,
            "community_guarantee": rule.community_guarantee,
        }

    def rule_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("reason")
        data["quorum_value"] = data["quorum_value"] or 0
        return data


class BodyForm(EmptyLabelsMixin, forms.Form):
    empty_labels = {"decision_rule": NONE}

    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Body.Kind.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decision_rule = forms.ModelChoiceField(
        label=_("Decision rule"),
        queryset=DecisionRule.objects.none(),
        required=False,
        help_text=_("Required for a body that decides."),
    )
    reason = reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_rule"].queryset = DecisionRule.objects.order_by("name")

    @staticmethod
    def initial_for(body: Body) -> dict:
        return {
            "name": body.name,
            "kind": body.kind,
            "description": body.description,
            "decision_rule": body.decision_rule_id,
        }

    def body_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("reason")
        return data


class SeatForm(EmptyLabelsMixin, forms.Form):
    empty_labels = {"user": _("Choose a person")}

    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    side = forms.ChoiceField(label=_("Side"), choices=Side.choices)
    starts_on = date_field(_("From"), initial=timezone.localdate)
    ends_on = date_field(_("Until"), required=False, help_text=_("Leave empty if not known."))
    reason = reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")


class EndSeatForm(forms.Form):
    ends_on = date_field(
        _("Last day of the seat"),
        initial=timezone.localdate,
        help_text=_("The seat holder can vote until and on this day."),
    )
    reason = reason_field()
