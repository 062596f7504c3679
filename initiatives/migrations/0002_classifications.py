from django.db import migrations

from initiatives.classifications import MULTI_SCHEMES


def create_classifications(apps, schema_editor):
    Classification = apps.get_model("initiatives", "Classification")
    for scheme, choices in MULTI_SCHEMES.items():
        for position, value in enumerate(choices.values):
            Classification.objects.update_or_create(
                scheme=scheme, code=value, defaults={"position": position}
            )


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial")]

    operations = [migrations.RunPython(create_classifications, migrations.RunPython.noop)]
