"""The households of a county in id order, on PostgreSQL (issue 15, ADR 0016).

A broad search in a county (a common surname, two initials) and a list past the collected
bound are walked newest first and stopped after a page: ``left(region_id, 6) = county ORDER BY
id DESC LIMIT 51`` reads this index from its end, never another county's rows (the primary key
walked backwards does, in proportion to the province). SQLite keeps what it has.
"""

from django.db import migrations


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS household_county_id_idx "
        "ON registry_household (left(region_id, 6), id)"
    )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS household_county_id_idx")


class Migration(migrations.Migration):
    dependencies = [("registry", "0007_county_search_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
