"""The defaults of the verification requirements, fitting the seed: voting and commenting need
a verification in force (by a civil servant in person, a printed code, or DigiD when it is set
up); submitting an initiative or plan needs an account; a board seat and an officer need a
verification in person."""

from django.db import migrations

DEFAULTS = {
    # action: (account_is_enough, in_person, code, digid, valid_days)
    "comment": (False, True, True, True, None),
    "submit": (True, True, True, True, None),
    "poll_vote": (False, True, True, True, None),
    "budget_vote": (False, True, True, True, None),
    "board_seat": (False, True, False, True, None),
    "officer": (False, True, False, False, None),
}


def add_defaults(apps, schema_editor):
    Requirement = apps.get_model("accounts", "VerificationRequirement")
    for action, (account, in_person, code, digid, days) in DEFAULTS.items():
        Requirement.objects.get_or_create(
            action=action,
            defaults={
                "account_is_enough": account,
                "in_person": in_person,
                "code": code,
                "digid": digid,
                "valid_days": days,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_verification_requirements")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
