import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Region",
            fields=[
                (
                    "code",
                    models.CharField(
                        max_length=12, primary_key=True, serialize=False, verbose_name="区划代码"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="名称")),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("province", "省"),
                            ("city", "市"),
                            ("county", "县(区)"),
                            ("township", "乡镇(街道)"),
                            ("village", "村(居)委会"),
                        ],
                        max_length=10,
                        verbose_name="层级",
                    ),
                ),
                (
                    "urban_rural",
                    models.CharField(
                        blank=True,
                        choices=[("urban", "城市"), ("rural", "农村")],
                        max_length=5,
                        verbose_name="城乡分类",
                    ),
                ),
                (
                    "urban_rural_overridden",
                    models.BooleanField(
                        default=False,
                        help_text="人工调整后，重新加载区划数据不会覆盖该分类。",
                        verbose_name="城乡分类已人工调整",
                    ),
                ),
                ("full_name", models.CharField(blank=True, max_length=300, verbose_name="全称")),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        db_column="parent_code",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="regions.region",
                        verbose_name="上级",
                    ),
                ),
            ],
            options={
                "verbose_name": "行政区划",
                "verbose_name_plural": "行政区划",
                "ordering": ["code"],
                "indexes": [models.Index(fields=["parent", "code"], name="region_parent_code_idx")],
            },
        ),
    ]
