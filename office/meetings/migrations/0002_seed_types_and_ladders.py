"""Seed the meeting types with their default checklists and the three ladder templates (editable
afterwards in the admin). Existing rows are left alone."""

from django.db import migrations


def seed(apps, schema_editor):
    from office.meetings.seed import seed_defaults

    seed_defaults(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("clock", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
