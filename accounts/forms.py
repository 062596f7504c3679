from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from common.forms import CHOOSE_AREA, EmptyLabelsMixin

from .models import Area
from .services import MAX_CODES_PER_BATCH


class VerifyMemberForm(EmptyLabelsMixin, forms.Form):
    empty_labels = {"area": CHOOSE_AREA}

    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.all(),
        help_text=_("The area the resident lives in, as shown to you."),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "As on the identity document. Officers at a Community Home use it to find the "
            "resident. Only they see it, at their own table."
        ),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How you verified, e.g. 'known from the community centre'. No ID numbers."),
    )


class RevokeVerificationForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class IssueCodesForm(EmptyLabelsMixin, forms.Form):
    empty_labels = {"area": CHOOSE_AREA}

    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.all())
    count = forms.IntegerField(
        label=_("Number of codes"), min_value=1, max_value=MAX_CODES_PER_BATCH, initial=1
    )
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=365, initial=90
    )


class RedeemCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("The code on the slip you were given, e.g. ABCD-EFGH-JKLM."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class RegisterCodeForm(RedeemCodeForm):
    """Step 1 of registration: only the code."""


class RegisterAccountForm(forms.Form):
    """Step 2 of registration, once the code is known to be good: a name and a password."""

    code = forms.CharField(max_length=40, widget=forms.HiddenInput)
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_(
            "We made one up for you; you may change it. It need not be your real name. "
            "Letters, digits and @ . + - _ only."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    email = forms.EmailField(
        label=_("E-mail address (optional)"),
        required=False,
        help_text=_("Only needed if you want to be able to reset a forgotten password."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class SecondFactorForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
        help_text=_("The 6 digits your app shows now, or one of your recovery codes."),
    )


class DigiDAreaForm(EmptyLabelsMixin, forms.Form):
    empty_labels = {"area": CHOOSE_AREA}

    area = forms.ModelChoiceField(
        label=_("Where do you live?"),
        queryset=Area.objects.all(),
        help_text=_("Choose your neighbourhood. You can vote and take part there."),
    )
