"""Seed the two ladder templates the campaigns use (editable afterwards in the admin: 时钟与督促 →
督促流程模板) and the default tags. Existing rows are left alone."""

from django.db import migrations


def seed(apps, schema_editor):
    from suggestions.seed import seed_defaults

    seed_defaults(
        apps.get_model("clock", "LadderTemplate"),
        apps.get_model("clock", "LadderTemplateStep"),
        apps.get_model("suggestions", "Tag"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0001_initial"),
        ("clock", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
