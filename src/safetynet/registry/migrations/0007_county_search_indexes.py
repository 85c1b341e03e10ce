"""County-scoped prefix indexes for name search on PostgreSQL (issue 15, ADR 0016).

A search by name, full pinyin or initials within a county filters ``left(region_id, 6)`` and a
prefix of the name: with (county, name) indexes PostgreSQL reads that county's matches only,
instead of every match in the province (``zh`` is some 8 % of all persons). SQLite keeps the
single-column indexes it has. Built CONCURRENTLY-free on purpose: a migration runs before start.
"""

from django.db import migrations

INDEXES = {
    "person_county_name_idx": "name varchar_pattern_ops",
    "person_county_pinyin_idx": "name_pinyin varchar_pattern_ops",
    "person_county_initials_idx": "name_initials varchar_pattern_ops",
}


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON registry_person (left(region_id, 6), {column})"
        )
    # The current memberships of a person (the search's join), without the ended ones.
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS membership_current_person_idx "
        "ON registry_membership (person_id, household_id) WHERE left_on IS NULL"
    )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in [*INDEXES, "membership_current_person_idx"]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_key_rotation")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
