"""The action "submit an initiative or a plan" becomes two: submitting an initiative, and
submitting a plan in a budget round (the key `budgeting` asks). Both keep the old row's settings
(by default an account is enough)."""

from django.db import migrations, models


def split_submit(apps, schema_editor):
    Requirement = apps.get_model("accounts", "VerificationRequirement")
    old = Requirement.objects.filter(action="submit").first()
    fields = {"account_is_enough": True, "in_person": True, "code": True, "digid": True}
    if old is not None:
        fields = {
            "account_is_enough": old.account_is_enough,
            "in_person": old.in_person,
            "code": old.code,
            "digid": old.digid,
            "valid_days": old.valid_days,
        }
        old.action = "submit_initiative"
        old.save(update_fields=["action"])
    Requirement.objects.get_or_create(action="submit_initiative", defaults=fields)
    Requirement.objects.get_or_create(action="submit_plan", defaults=fields)


def join_submit(apps, schema_editor):
    Requirement = apps.get_model("accounts", "VerificationRequirement")
    Requirement.objects.filter(action="submit_plan").delete()
    Requirement.objects.filter(action="submit_initiative").update(action="submit")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_default_verification_requirements"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalverificationrequirement",
            name="action",
            field=models.CharField(
                choices=[
                    ("comment", "Comment on a proposal"),
                    ("submit_initiative", "Submit an initiative"),
                    ("submit_plan", "Submit a plan in a budget round"),
                    ("poll_vote", "Vote in a community poll"),
                    ("budget_vote", "Vote in a budget round"),
                    ("board_seat", "Sit a seat on a board"),
                    ("officer", "Act as an officer of the Community Home"),
                ],
                db_index=True,
                max_length=20,
                verbose_name="action",
            ),
        ),
        migrations.AlterField(
            model_name="verificationrequirement",
            name="action",
            field=models.CharField(
                choices=[
                    ("comment", "Comment on a proposal"),
                    ("submit_initiative", "Submit an initiative"),
                    ("submit_plan", "Submit a plan in a budget round"),
                    ("poll_vote", "Vote in a community poll"),
                    ("budget_vote", "Vote in a budget round"),
                    ("board_seat", "Sit a seat on a board"),
                    ("officer", "Act as an officer of the Community Home"),
                ],
                max_length=20,
                unique=True,
                verbose_name="action",
            ),
        ),
        migrations.RunPython(split_submit, join_submit),
    ]
