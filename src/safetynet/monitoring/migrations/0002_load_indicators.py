"""Data migration: the provincial indicators shipped in data/monitoring/indicators.json (the
thresholds not taken from a document are listed as examples, 示例)."""

from django.db import migrations


def load(apps, schema_editor):
    from safetynet.monitoring.indicators.services import shipped_indicators_load

    shipped_indicators_load(model=apps.get_model("monitoring", "Indicator"))


def unload(apps, schema_editor):
    from safetynet.monitoring.indicators.services import shipped_indicators

    model = apps.get_model("monitoring", "Indicator")
    for fields in shipped_indicators():
        model.objects.filter(
            code=fields["code"],
            region_id=fields["region_id"],
            effective_from=fields["effective_from"],
            created_by__isnull=True,
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0001_initial"),
        ("regions", "0002_load_henan"),
    ]

    operations = [migrations.RunPython(load, unload)]
