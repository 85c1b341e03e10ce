"""One index per lookup on the registry's tables (issue 15, ADR 0016 §10).

Dropped: the foreign-key indexes that a composite index already leads with (region of persons
and households, household of memberships, incomes, assets, expenditures and statuses), and the
second, pattern_ops copy Django adds beside a CharField's own index (ID hashes, tails, names,
region codes). Hashes and names keep one varchar_pattern_ops index each, which serves equality
and prefix lookups; the ID hash's uniqueness becomes a named constraint without a copy.
On the province seed's 5,931,698 persons the migration rebuilt seven indexes and the unique one in
64 s on the two-core reference machine, under the tables' locks: run it in a maintenance window.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0002_load_henan"),
        ("registry", "0008_search_walk_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="asset",
            name="household",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="assets",
                to="registry.household",
            ),
        ),
        migrations.AlterField(
            model_name="categorystatus",
            name="household",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="registry.household",
            ),
        ),
        migrations.AlterField(
            model_name="household",
            name="region",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.region",
                verbose_name="所属村(居)",
            ),
        ),
        migrations.AlterField(
            model_name="income",
            name="household",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="incomes",
                to="registry.household",
            ),
        ),
        migrations.AlterField(
            model_name="legalsupporter",
            name="id_number_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="membership",
            name="household",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="memberships",
                to="registry.household",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="id_number_hash",
            field=models.CharField(max_length=64, verbose_name="身份证号索引"),
        ),
        migrations.AlterField(
            model_name="person",
            name="id_tail4_hash",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AlterField(
            model_name="person",
            name="id_tail5_hash",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AlterField(
            model_name="person",
            name="id_tail6_hash",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AlterField(
            model_name="person",
            name="name",
            field=models.CharField(max_length=50, verbose_name="姓名"),
        ),
        migrations.AlterField(
            model_name="person",
            name="name_initials",
            field=models.CharField(max_length=50, verbose_name="姓名首字母"),
        ),
        migrations.AlterField(
            model_name="person",
            name="name_pinyin",
            field=models.CharField(max_length=200, verbose_name="姓名拼音"),
        ),
        migrations.AlterField(
            model_name="person",
            name="region",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.region",
                verbose_name="所属村(居)",
            ),
        ),
        migrations.AlterField(
            model_name="relapsewatchstatus",
            name="household",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="registry.household",
            ),
        ),
        migrations.AlterField(
            model_name="rigidexpenditure",
            name="household",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="expenditures",
                to="registry.household",
            ),
        ),
        migrations.AddIndex(
            model_name="legalsupporter",
            index=models.Index(
                fields=["id_number_hash"],
                name="supporter_id_number_hash_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["id_tail4_hash"],
                name="person_id_tail4_hash_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["id_tail5_hash"],
                name="person_id_tail5_hash_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["id_tail6_hash"],
                name="person_id_tail6_hash_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["name"], name="person_name_idx", opclasses=["varchar_pattern_ops"]
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["name_pinyin"],
                name="person_name_pinyin_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["name_initials"],
                name="person_name_initials_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                fields=("id_number_hash",),
                name="person_id_number_hash_key",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
    ]
