"""Every drop-down in our forms says what to choose, never Django's "---------".

The forms are found, not listed: each project app's `forms` and `filters` modules are imported and
every form (and filter form) defined there is made and rendered, in Dutch and in English. A new
form with a bare drop-down fails here.
"""

import importlib
import inspect
import pkgutil
from pathlib import Path

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.utils import translation

from accounts.models import Role
from common.forms import DASHES, EmptyLabelsMixin
from intake.models import Question
from tests.accounts.factories import AreaFactory, UserFactory
from tests.budgeting.factories import round_in
from tests.governance.factories import draft
from tests.intake.factories import version_1
from tests.sroi.factories import ContractFactory

pytestmark = pytest.mark.django_db

FORM_MODULES = ("forms", "filters")


def _project_modules():
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        # The project's apps are the top-level folders of the repository; the virtualenv's
        # packages (django.contrib and the rest) may sit inside it too, one level deeper.
        if Path(config.path).resolve().parent != base:
            continue
        package = importlib.import_module(config.name)
        names = [config.name]
        if hasattr(package, "__path__"):
            names += [
                info.name
                for info in pkgutil.walk_packages(package.__path__, prefix=f"{config.name}.")
                if not info.name.split(".")[-1].startswith("test")
            ]
        for name in names:
            if name.split(".")[-1] in FORM_MODULES:
                yield importlib.import_module(name)


def _form_classes():
    found = {}
    for module in _project_modules():
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            if issubclass(cls, forms.BaseForm) or issubclass(cls, django_filters.FilterSet):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return found


FORMS = _form_classes()


def test_the_forms_are_found():
    # The discovery itself: forms of the staff and member pages and the filter forms.
    for name in (
        "accounts.forms.VerifyMemberForm",
        "sroi.forms.ContributionForm",
        "governance.forms.ProposalForm",
        "governance.bodies.forms.SeatForm",
        "budgeting.forms.RoundForm",
        "initiatives.filters.InitiativeFilter",
    ):
        assert name in FORMS
    assert len(FORMS) > 40


@pytest.fixture
def arguments():
    """What a form that needs more than data gets: real rows, as its view gives them."""
    area = AreaFactory()
    civil_servant = UserFactory(username="ambtenaar", roles=[Role.CIVIL_SERVANT])
    author = UserFactory(username="schrijver")
    questionnaire = version_1()
    return {
        "round": round_in("draft", area=area, civil_servant=civil_servant, author=author),
        "contract": ContractFactory(),
        "proposal": draft(),
        "questions": list(
            Question.objects.filter(questionnaire=questionnaire).prefetch_related("options")
        ),
        "answers": {},
    }


def _make(cls, arguments):
    if issubclass(cls, django_filters.FilterSet):
        return cls(data={}).form
    wanted = inspect.signature(cls.__init__).parameters
    kwargs = {name: value for name, value in arguments.items() if name in wanted}
    return cls(**kwargs)


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("name", sorted(FORMS))
def test_no_drop_down_shows_dashes(name, language, arguments):
    with translation.override(language):
        form = _make(FORMS[name], arguments)
        html = str(form)
        assert DASHES not in html, [
            field_name
            for field_name, field in form.fields.items()
            if DASHES in str(form[field_name])
        ]


@pytest.mark.parametrize(
    "name, field, nl, en",
    [
        ("sroi.forms.ContributionForm", "contract", "Kies een contract", "Choose a contract"),
        ("governance.forms.ProposalForm", "fund", "Kies een fonds", "Choose a fund"),
        ("accounts.forms.VerifyMemberForm", "area", "Kies een gebied", "Choose an area"),
        ("budgeting.forms.PlanForm", "initiative", "Geen", "None"),
    ],
)
def test_the_empty_choice_says_what_to_choose(name, field, nl, en, arguments):
    for language, text in (("nl", nl), ("en", en)):
        with translation.override(language):
            form = _make(FORMS[name], arguments)
            assert f'<option value="" selected>{text}</option>' in str(form[field])


def test_a_label_of_our_own_is_kept():
    class AreaPick(EmptyLabelsMixin, forms.Form):
        empty_labels = {"colour": "Kies een kleur"}

        colour = forms.ChoiceField(choices=[("", DASHES), ("r", "Rood")])
        size = forms.ChoiceField(choices=[("", "Alle maten"), ("s", "Klein")], required=False)

    form = AreaPick()
    assert form.fields["colour"].choices[0] == ("", "Kies een kleur")
    assert form.fields["size"].choices[0] == ("", "Alle maten")
