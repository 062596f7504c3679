from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Area
from common.forms import CHOOSE_AREA, NONE, NOT_FILLED_IN, EmptyLabelsMixin
from security.uploads import REGISTER_FILES, check_upload

from .classifications import MULTI_SCHEMES
from .models import Classification, Initiative

SCHEME_LABELS = dict(Classification.Scheme.choices)


class ClassificationField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.label


class InitiativeForm(EmptyLabelsMixin, forms.ModelForm):
    """The registration form; the classification schemes are checkbox groups."""

    empty_labels = {
        "area": CHOOSE_AREA,
        "phase": _("Choose a phase"),
        "initiator_type": _("Choose an initiator"),
        "organisation_form": _("Choose an organisation form"),
        "bloedgroep": NOT_FILLED_IN,
        "government_relation": NOT_FILLED_IN,
    }

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Initiative
        fields = [
            "name",
            "summary",
            "description",
            "area",
            "status",
            "phase",
            "start_date",
            "initiator_type",
            "organisation_form",
            "website",
            "bloedgroep",
            "government_relation",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.order_by("name")
        current = (
            set(self.instance.classifications.values_list("pk", flat=True))
            if self.instance.pk
            else set()
        )
        by_scheme: dict[str, list[Classification]] = {}
        for c in Classification.objects.order_by("scheme", "position"):
            by_scheme.setdefault(c.scheme, []).append(c)
        for scheme in MULTI_SCHEMES:
            choices = by_scheme.get(scheme, [])
            field = ClassificationField(
                label=SCHEME_LABELS[scheme],
                queryset=Classification.objects.filter(scheme=scheme).order_by("position"),
                required=False,
                initial=[c.pk for c in choices if c.pk in current],
            )
            # Shown from the classifications read above, not a query per scheme; the queryset
            # still checks what is posted.
            field.choices = [(c.pk, field.label_from_instance(c)) for c in choices]
            self.fields[f"cls_{scheme}"] = field

    def classifications(self) -> list[Classification]:
        return [c for scheme in MULTI_SCHEMES for c in self.cleaned_data.get(f"cls_{scheme}", [])]

    def model_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class AreaForm(EmptyLabelsMixin, forms.ModelForm):
    empty_labels = {"parent": NONE}

    class Meta:
        model = Area
        fields = ["name", "kind", "parent"]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Register file"),
        help_text=_("A .csv or .xlsx file with a header row; see the column list below."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload, allowed=REGISTER_FILES)
        return upload
