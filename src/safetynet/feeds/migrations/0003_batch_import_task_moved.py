"""The batch import task moved to ``feeds.importing.uploads`` (issue 9): jobs queued or kept
under the old dotted path resolve again (a worker imports the task by that path)."""

from django.db import migrations

OLD = "safetynet.feeds.batches.batch_import_task"
NEW = "safetynet.feeds.importing.uploads.batch_import_task"


def forwards(apps, schema_editor):
    apps.get_model("jobs", "Job").objects.filter(task=OLD).update(task=NEW)


def backwards(apps, schema_editor):
    apps.get_model("jobs", "Job").objects.filter(task=NEW).update(task=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("feeds", "0002_feedbatch_feedbatch_status_idx"),
        ("jobs", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
