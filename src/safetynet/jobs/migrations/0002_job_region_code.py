"""Jobs carry their region (the creator's scope), so an administrator sees only its own
region's jobs. Existing jobs take their creator's scope region."""

from django.db import migrations, models


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Job = apps.get_model("jobs", "Job")
    User = apps.get_model("accounts", "User")
    scopes = dict(
        User.objects.filter(pk__in=Job.objects.values("created_by_id")).values_list(
            "pk", "scope_region_id"
        )
    )
    for user_id, region in scopes.items():
        Job.objects.filter(created_by_id=user_id).update(region_code=region or "")


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="region_code",
            field=models.CharField(blank=True, default="", max_length=12, verbose_name="所属区划"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
