"""Seed the ladder template the review campaigns use (editable afterwards in the admin: 时钟与督促 →
督促流程模板). Existing rows are left alone."""

from django.db import migrations


def seed(apps, schema_editor):
    from office.risks.seed import seed_defaults

    seed_defaults(apps.get_model("clock", "LadderTemplate"), apps.get_model("clock", "LadderTemplateStep"))


class Migration(migrations.Migration):
    dependencies = [
        ("risks", "0001_initial"),
        ("clock", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
