from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Preference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["email_frequency", "letters", "letter_address", "language"]
        widgets = {
            "email_frequency": forms.RadioSelect,
            "letter_address": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"email_frequency": _("How often do you want e-mail?")}

    def clean_letter_address(self):
        address = self.cleaned_data["letter_address"]
        if len(address) > 500:
            raise forms.ValidationError(_("The address is too long."))
        return address
