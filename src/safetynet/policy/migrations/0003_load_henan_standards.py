"""Data migration: the provincial standards shipped in data/policy/henan_standards.json (cited
figures with their source; the rest marked as examples)."""

from django.db import migrations


def load(apps, schema_editor):
    from safetynet.policy.standards.services import shipped_versions_load

    shipped_versions_load(model=apps.get_model("policy", "StandardVersion"))


def unload(apps, schema_editor):
    from safetynet.policy.standards.services import shipped_versions

    model = apps.get_model("policy", "StandardVersion")
    for fields in shipped_versions():
        model.objects.filter(
            region_id=fields["region_id"],
            effective_from=fields["effective_from"],
            created_by__isnull=True,
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("policy", "0002_standardversion_example_figures"),
        ("regions", "0002_load_henan"),
    ]

    operations = [migrations.RunPython(load, unload)]
