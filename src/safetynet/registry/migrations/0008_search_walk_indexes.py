"""Indexes of the walked household list and of the persons' side of a search, on PostgreSQL
(issue 15, ADR 0016).

- The households of a county in id order: a broad search in a county (a common surname, two
  initials) and a list past the collected bound are walked newest first and stopped after a
  page: ``left(region_id, 6) = county ORDER BY id DESC LIMIT 51`` reads this index from its
  end, never another county's rows (the primary key walked backwards does, in proportion to
  the province).
- The county-scoped name/pinyin/initials indexes of migration 0007 again, now carrying the
  person's id and region (``INCLUDE``): the persons' side of a search (the scope's region range,
  the id joined to the memberships) is read from the index alone, which the planner then
  prefers to walking the persons' primary key or table.

SQLite keeps what it has.
"""

from django.db import migrations

PERSON_INDEXES = {
    "person_county_name_idx": "name varchar_pattern_ops",
    "person_county_pinyin_idx": "name_pinyin varchar_pattern_ops",
    "person_county_initials_idx": "name_initials varchar_pattern_ops",
}


def _person_indexes(schema_editor, include: str) -> None:  # type: ignore[no-untyped-def]
    for name, column in PERSON_INDEXES.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(
            f"CREATE INDEX {name} ON registry_person (left(region_id, 6), {column}){include}"
        )


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS household_county_id_idx "
        "ON registry_household (left(region_id, 6), id)"
    )
    _person_indexes(schema_editor, " INCLUDE (id, region_id)")


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS household_county_id_idx")
    _person_indexes(schema_editor, "")


class Migration(migrations.Migration):
    dependencies = [("registry", "0007_county_search_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
