"""Rule names live apart from Django's model permissions (issue 19).

A django-rules rule and a model permission are asked the same way (`user.has_perm("app.x")`),
and the model backend answers a model permission from the role groups (`roles.py`), so a rule
named like one (`governance.view_proposal`) would let a group's admin grant open a page the rule
meant to close. Rules therefore never start with the verbs Django gives its model permissions:
reading is `see_`, changing is `edit_` (docs/architecture.md). Rules are registered only in an
app's `rules.py` (and `config/rules.py`), never in `roles.py` or a view.
"""

import re
from importlib import import_module
from pathlib import Path

import pytest
import rules
from django.conf import settings
from django.contrib.auth.models import Permission

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
OUR_APPS = (
    "accounts",
    "notifications",
    "initiatives",
    "intake",
    "sroi",
    "governance",
    "budgeting",
    "reports",
    "config",
)
MODEL_PERMISSION_VERBS = ("add_", "change_", "delete_", "view_")
REGISTERS = re.compile(r"\b(add_perm|set_perm|add_rule|set_rule|predicate)\(|@rules\.predicate")


def registered_rules() -> set[str]:
    import_module(settings.ROOT_URLCONF)  # every view module imported: every rule registered
    return set(rules.permissions.permissions)


def model_permissions() -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_no_rule_is_named_like_a_model_permission():
    # given the model permissions of every installed model, as the database holds them
    taken = model_permissions()
    assert "governance.view_proposal" in taken  # the check below can fail

    # then no rule of any app has one of those names
    assert sorted(registered_rules() & taken) == []


def test_our_rules_start_with_no_model_permission_verb():
    # A rule named `sroi.view_fund_overview` is not a model permission today, but it would be
    # the day a model `FundOverview` is added; the verbs stay Django's alone.
    ours = {name for name in registered_rules() if name.split(".", 1)[0] in OUR_APPS}
    assert len(ours) > 50
    clashing = sorted(
        name for name in ours if name.split(".", 1)[1].startswith(MODEL_PERMISSION_VERBS)
    )
    assert clashing == []


def _python_files():
    for app in OUR_APPS + ("api", "common"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_rules_are_registered_only_in_rules_modules():
    outside = [
        str(path.relative_to(ROOT))
        for path in _python_files()
        if path.name != "rules.py" and REGISTERS.search(path.read_text())
    ]
    assert outside == []


def test_roles_modules_hold_grants_not_predicates():
    roles_modules = [path for path in _python_files() if path.name == "roles.py"]
    assert len(roles_modules) >= 6
    for path in roles_modules:
        text = path.read_text()
        assert "import rules" not in text and "rules.predicate" not in text, path
