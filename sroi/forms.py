"""Forms check the shape of input; the services check the business rules (and say what is wrong)."""

import re
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from common.forms import EmptyLabelsMixin
from security.uploads import EVIDENCE, check_upload

from . import selectors
from .models import Contract, Contractor, CorrectionReason, TargetGroup
from .models.contracts import default_threshold

DATE_WIDGET = {"type": "date"}


class MoneyFormField(forms.DecimalField):
    """Euros as people type them: "€ 1.234.567,89" in Dutch, "1,234,567.89" in English.

    Django drops thousand separators only with USE_THOUSAND_SEPARATOR on; here they are dropped
    when they group digits by three: in Dutch "2.000.000" is two million and "1.500" fifteen
    hundred, while "1,5" is one and a half.
    """

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
            thousands = re.escape(get_format("THOUSAND_SEPARATOR"))
            decimal = re.escape(get_format("DECIMAL_SEPARATOR"))
            if re.fullmatch(rf"-?\d{{1,3}}({thousands}\d{{3}})+({decimal}\d*)?", value):
                value = value.replace(get_format("THOUSAND_SEPARATOR"), "")
        return super().to_python(value)


def money_field(label, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    # localize: a Dutch user types 1234,56; min_value: the service says the same, earlier.
    return MoneyFormField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        localize=True,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def date_field(label, *, required: bool = True, initial=None, help_text: str = ""):
    return forms.DateField(
        label=label,
        required=required,
        initial=initial,
        help_text=help_text,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
    )


class ContractorForm(forms.ModelForm):
    class Meta:
        model = Contractor
        fields = ["name", "kvk_number", "contact_name", "contact_email", "contact_phone"]
        widgets = {"kvk_number": forms.TextInput(attrs={"inputmode": "numeric"})}


class ContractForm(EmptyLabelsMixin, forms.ModelForm):
    empty_labels = {"contractor": _("Choose a contractor")}

    value = money_field(_("Contract value excl. VAT"))
    threshold = money_field(
        _("Threshold"),
        help_text=_("Below this contract value no social-return obligation applies."),
    )
    percentage = forms.DecimalField(
        label=_("Social-return percentage"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    class Meta:
        model = Contract
        fields = [
            "reference",
            "title",
            "department",
            "contractor",
            "value",
            "percentage",
            "threshold",
            "award_date",
            "start_date",
            "end_date",
            "fulfilment_deadline",
            "obligation_kind",
            "status",
        ]
        widgets = {
            name: forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")
            for name in ("award_date", "start_date", "end_date", "fulfilment_deadline")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fulfilment_deadline"].required = False
        self.fields["fulfilment_deadline"].help_text = _("Empty: the end date.")
        if self.instance.pk is None:
            # A ModelForm without an instance shows no model defaults: the municipality's
            # threshold (SROI_THRESHOLD) is what a new contract starts from.
            self.initial.setdefault("threshold", default_threshold())

    def model_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ClaimRealisationForm(EmptyLabelsMixin, forms.Form):
    """A contractor's reported realisation; which fields count depends on the block's kind."""

    empty_labels = {"block": _("Choose a building block")}

    block = forms.ModelChoiceField(label=_("Building block"), queryset=None)
    target_group = forms.ChoiceField(label=_("Target group"), choices=TargetGroup.choices)
    person_reference = forms.CharField(
        label=_("Person reference"),
        required=False,
        max_length=40,
        help_text=_(
            "A pseudonymous code from the contractor's file (for example K-2025-014); never a "
            "name. Required for a placement."
        ),
    )
    start_date = date_field(_("Start date"))
    end_date = date_field(_("End date"), required=False)
    months = forms.DecimalField(
        label=_("Months"),
        required=False,
        max_digits=5,
        decimal_places=2,
        localize=True,
        help_text=_("For a placement: leave empty to count from the start and end date."),
    )
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"),
        required=False,
        max_digits=4,
        decimal_places=1,
        localize=True,
        help_text=_("For a placement; 36 hours is a full-time year."),
    )
    quantity = forms.DecimalField(
        label=_("Hours of training or support"),
        required=False,
        max_digits=9,
        decimal_places=2,
        localize=True,
    )
    invoice_amount = money_field(
        _("Invoice amount excl. VAT"),
        required=False,
        help_text=_("For a purchase at a social enterprise or training at cost."),
    )
    bonuses = forms.ModelMultipleChoiceField(
        label=_("Bonuses"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        help_text=_("Employment contract, enrolment papers or invoice (PDF or image: PNG, JPEG)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["block"].queryset = selectors.blocks_for(contract)
        self.fields["bonuses"].queryset = selectors.blocks_for(contract, bonuses=True)

    def clean_evidence(self):
        upload = self.cleaned_data["evidence"]
        check_upload(upload, allowed=EVIDENCE)
        return upload


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ReversalForm(EmptyLabelsMixin, forms.Form):
    """Why a booking is reversed: a kind of reason that is published, and own words that stay
    internal (they can name a person; insider review 2026-12-05, R5)."""

    empty_labels = {"category": _("Choose a kind of reason")}

    category = forms.ChoiceField(
        label=_("Kind of reason"),
        choices=[("", "---------"), *CorrectionReason.choices],
        help_text=_("This is public: it is in the open data and the annual report."),
    )
    reason = forms.CharField(
        label=_("Reason in your own words"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "This stays internal: only staff see it. It is not in the open data or the annual "
            "report. Still, do not write names, addresses or other details of people."
        ),
    )


class ContributionForm(EmptyLabelsMixin, forms.Form):
    empty_labels = {"contract": _("Choose a contract")}

    contract = forms.ModelChoiceField(label=_("Contract"), queryset=None)
    amount = money_field(_("Amount"))
    date = date_field(_("Date received"), initial=timezone.localdate)
    description = forms.CharField(label=_("Description"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = Contract.objects.filter(obligation__gt=0).order_by(
            "reference"
        )


class OtherIncomeForm(forms.Form):
    SOURCES = [("municipality", _("The municipality")), ("other", _("Someone else"))]

    source = forms.ChoiceField(label=_("From"), choices=SOURCES, initial="municipality")
    amount = money_field(_("Amount"))
    date = date_field(_("Date received"), initial=timezone.localdate)
    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        help_text=_("Where the money comes from, e.g. the council decision of a top-up."),
    )


class CloseYearForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=9999,
        help_text=_("After closing, nobody can book anything in this year or the years before."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("For example: the accounts of this year have been checked."),
    )


class TrancheForm(forms.Form):
    amount = money_field(_("Amount"))
    date = date_field(_("Date"), initial=timezone.localdate)
    description = forms.CharField(label=_("Description"), required=False, max_length=300)


class CloseAllocationForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=300,
        help_text=_("What is not paid out goes back to the fund's available money."),
    )
