from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Area

from .models import Body, Choice, DecisionRule, Proposal


class ProposalForm(forms.Form):
    """Prepare a proposal; whether the target fits is checked by the service."""

    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}))
    method = forms.ChoiceField(
        label=_("How it is decided"),
        choices=Proposal.Method.choices,
        widget=forms.RadioSelect,
        initial=Proposal.Method.BOARD,
    )
    body = forms.ModelChoiceField(
        label=_("Deciding body"),
        queryset=Body.objects.none(),
        required=False,
        help_text=_("For a vote of a body."),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "For a poll: every verified community member of these areas (and the areas inside "
            "them) at the moment voting opens may vote."
        ),
    )
    decision_rule = forms.ModelChoiceField(
        label=_("Decision rule of the poll"),
        queryset=DecisionRule.objects.none(),
        required=False,
    )
    attachment_title = forms.CharField(label=_("Title of the attachment"), required=False)
    attachment = forms.FileField(label=_("Add an attachment"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(kind__in=Body.DECIDING_KINDS)
        self.fields["areas"].queryset = Area.objects.order_by("name")
        self.fields["decision_rule"].queryset = DecisionRule.objects.order_by("name")

    @classmethod
    def initial_for(cls, proposal: Proposal) -> dict:
        return {
            "title": proposal.title,
            "text": proposal.text,
            "method": proposal.method,
            "body": proposal.body_id,
            "areas": [area.pk for area in proposal.areas.all()],
            "decision_rule": proposal.decision_rule_id,
        }

    def proposal_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "text": data["text"],
            "method": data["method"],
            "body": data["body"],
            "areas": list(data["areas"]),
            "decision_rule": data["decision_rule"],
        }


class OpenVotingForm(forms.Form):
    closes_at = forms.DateTimeField(
        label=_("Voting closes at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text=_("Voting opens now. The electorate is fixed at this moment."),
    )

    def clean_closes_at(self):
        closes_at = self.cleaned_data["closes_at"]
        if closes_at <= timezone.now():
            raise forms.ValidationError(_("The closing time must be in the future."))
        return closes_at


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawing"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your contribution"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class BallotForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your vote"), choices=Choice.choices, widget=forms.RadioSelect
    )
