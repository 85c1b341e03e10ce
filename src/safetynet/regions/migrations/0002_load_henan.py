"""Data migration: every database starts with the published Henan tree."""

from django.db import migrations


def load(apps, schema_editor):
    from safetynet.regions.services import regions_load

    regions_load(model=apps.get_model("regions", "Region"))


def unload(apps, schema_editor):
    apps.get_model("regions", "Region").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
