"""Issue 15's default: commenting needs an account, no verification. Staff accounts still never
comment as community (`accounts.selectors.may_do`). A municipality that wants verification for
comments clears "an account is enough" on the row in the admin."""

from django.db import migrations


def account_is_enough(apps, schema_editor):
    Requirement = apps.get_model("accounts", "VerificationRequirement")
    Requirement.objects.update_or_create(action="comment", defaults={"account_is_enough": True})


def verification_needed(apps, schema_editor):
    Requirement = apps.get_model("accounts", "VerificationRequirement")
    Requirement.objects.filter(action="comment").update(account_is_enough=False)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_submit_initiative_and_plan_requirements")]

    operations = [migrations.RunPython(account_is_enough, verification_needed)]
