"""What all our forms share."""

from django import forms
from django.utils.translation import gettext_lazy as _

# Django's empty choice of a drop-down; it tells the user nothing.
DASHES = "---------"

CHOOSE = _("Choose one")
NOT_FILLED_IN = _("Not filled in")
NONE = _("None")
CHOOSE_AREA = _("Choose an area")
CHOOSE_FUND = _("Choose a fund")
CHOOSE_INITIATIVE = _("Choose an initiative")


class EmptyLabelsMixin:
    """Drop-downs say what to choose instead of "---------".

    `empty_labels` maps a field's name to its empty choice ("Choose a fund", "None"). A drop-down
    not named there says "Choose one" when it is required and "Not filled in" when it is not. An
    empty choice the form already named itself (not the dashes) is kept.
    """

    empty_labels: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            label = self.empty_labels.get(name) or (CHOOSE if field.required else NOT_FILLED_IN)
            set_empty_label(field, label)


def set_empty_label(field: forms.Field, label) -> None:
    """Give `field`'s empty choice `label`, if it has Django's dashes as that choice."""
    if isinstance(field, forms.ModelChoiceField):
        # The choices are read from the queryset when shown, with the field's empty_label.
        if field.empty_label == DASHES:
            field.empty_label = label
        return
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
        choices = list(field.choices)
        if any(value == "" and text == DASHES for value, text in choices):
            field.choices = [
                (value, label if value == "" and text == DASHES else text)
                for value, text in choices
            ]
