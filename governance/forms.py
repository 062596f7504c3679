from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Area
from common.forms import CHOOSE_FUND, CHOOSE_INITIATIVE, EmptyLabelsMixin
from initiatives.models import Classification, Initiative
from security.uploads import DOCUMENTS, check_upload
from sroi.forms import money_field
from sroi.models import Fund

from .models import Body, Choice, DecisionRule, Proposal

ALLOCATION_FIELDS = ("fund", "initiative", "amount", "purpose", "leefgebieden")
ONLY_FOR_ALLOCATION = _("Only for a fund allocation.")


class ProposalForm(EmptyLabelsMixin, forms.Form):
    """Prepare a proposal; whether the target fits is checked by the service.

    The allocation fields are always in the page (marked "only for a fund allocation"); a small
    script hides them for a general proposal. The service ignores them for a general one.
    """

    empty_labels = {
        "body": _("Choose a body"),
        "decision_rule": _("Choose a decision rule"),
        "fund": CHOOSE_FUND,
        "initiative": CHOOSE_INITIATIVE,
    }

    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}))
    kind = forms.ChoiceField(
        label=_("Kind of proposal"),
        # A package comes from a budget round (services.create_package_proposal), not the form.
        choices=[c for c in Proposal.Kind.choices if c[0] != Proposal.Kind.FUND_PACKAGE],
        widget=forms.RadioSelect,
        initial=Proposal.Kind.GENERAL,
        required=False,
        help_text=_(
            "A fund allocation grants money of a community fund to an initiative; when it is "
            "adopted and carried out, the money moves in the fund's ledger."
        ),
    )
    fund = forms.ModelChoiceField(
        label=_("Fund"),
        queryset=Fund.objects.none(),
        required=False,
        help_text=ONLY_FOR_ALLOCATION,
    )
    initiative = forms.ModelChoiceField(
        label=_("Initiative that receives the money"),
        queryset=Initiative.objects.none(),
        required=False,
        help_text=ONLY_FOR_ALLOCATION,
    )
    amount = money_field(
        _("Amount in euros"),
        required=False,
        help_text=_("Only for a fund allocation. In euros, at most two decimals."),
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only for a fund allocation: what the money is for."),
    )
    leefgebieden = forms.ModelMultipleChoiceField(
        label=_("Areas of life (leefgebieden)"),
        queryset=Classification.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=ONLY_FOR_ALLOCATION,
    )
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
    bulletin_hides_choices = forms.BooleanField(
        label=_("Publish tracking codes without choices"),
        required=False,
        help_text=_(
            "For a sensitive poll: the public list shows every tracking code, but not the choice."
        ),
    )
    attachment_title = forms.CharField(label=_("Title of the attachment"), required=False)
    attachment = forms.FileField(
        label=_("Add an attachment"),
        required=False,
        help_text=_("PDF, an image (PNG, JPEG), an office file (ODT, ODS, DOCX, XLSX) or text."),
    )

    field_order = [
        "title",
        "text",
        "method",
        "body",
        "areas",
        "decision_rule",
        "bulletin_hides_choices",
        "kind",
        *ALLOCATION_FIELDS,
        "attachment_title",
        "attachment",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(kind__in=Body.DECIDING_KINDS)
        self.fields["areas"].queryset = Area.objects.order_by("name")
        self.fields["decision_rule"].queryset = DecisionRule.objects.order_by("name")
        self.fields["fund"].queryset = Fund.objects.order_by("name")
        self.fields["initiative"].queryset = Initiative.objects.exclude(
            status=Initiative.Status.ENDED
        ).order_by("name")
        self.fields["leefgebieden"].queryset = Classification.objects.filter(
            scheme=Classification.Scheme.LEEFGEBIED
        ).order_by("position")
        for name in ALLOCATION_FIELDS:
            self.fields[name].widget.attrs["data-allocation-field"] = ""

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            check_upload(upload, allowed=DOCUMENTS)
        return upload

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or Proposal.Kind.GENERAL

    def clean(self):
        data = super().clean()
        if data.get("kind") != Proposal.Kind.FUND_ALLOCATION:
            return data
        required = {
            "fund": _("Choose the fund the money comes from."),
            "initiative": _("Choose the initiative that receives the money."),
            "amount": _("Enter the amount in euros."),
            "purpose": _("Describe what the money is for."),
        }
        for name, message in required.items():
            if name not in self.errors and not data.get(name):
                self.add_error(name, message)
        return data

    @classmethod
    def initial_for(cls, proposal: Proposal) -> dict:
        return {
            "title": proposal.title,
            "text": proposal.text,
            "method": proposal.method,
            "body": proposal.body_id,
            "areas": [area.pk for area in proposal.areas.all()],
            "decision_rule": proposal.decision_rule_id,
            "bulletin_hides_choices": proposal.bulletin_hides_choices,
            "kind": proposal.kind,
            "fund": proposal.fund_id,
            "initiative": proposal.initiative_id,
            "amount": proposal.amount,
            "purpose": proposal.purpose,
            "leefgebieden": [c.pk for c in proposal.leefgebieden.all()],
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
            "bulletin_hides_choices": data["bulletin_hides_choices"],
            "kind": data["kind"],
            "fund": data["fund"],
            "initiative": data["initiative"],
            "amount": data["amount"],
            "purpose": data["purpose"],
            "leefgebieden": list(data["leefgebieden"]),
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

    @staticmethod
    def plain_choice(data) -> str | None:
        """The choice in `data` when it is one the form accepts as it is sent; None otherwise,
        and then the form itself decides and says why. A vote reads its choice here without
        building the form (a tenth of a millisecond on every vote); the test of this method
        asks it and the form the same values."""
        choice = data.get("choice")
        return choice if isinstance(choice, str) and choice in Choice.values else None


class ShareForm(forms.Form):
    share = forms.CharField(
        label=_("Your key"),
        max_length=64,
        help_text=_("32 letters and digits, as on your paper. Dashes and spaces do not matter."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
