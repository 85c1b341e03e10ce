"""The province's oversight settings, shipped as 示例 values (is_example): the tip-off line
12345 (the government service hotline) until the province and its counties publish their own
(五(四): 向社会公布举报监督电话), 10 working days to visit a self-declaration, 15 to close a
tip-off. Counties set their own on the 举报电话和时限 page."""

import datetime as dt

from django.conf import settings
from django.db import migrations


def forward(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    OversightSettings = apps.get_model("oversight", "OversightSettings")
    province = Region.objects.filter(code=settings.PROVINCE_CODE).first()
    if province is None:
        return
    OversightSettings.objects.get_or_create(
        region=province,
        effective_from=dt.date(2022, 1, 1),
        defaults={
            "tipoff_phone": "12345",
            "declaration_visit_days": 10,
            "tipoff_days": 15,
            "is_example": True,
        },
    )


def backward(apps, schema_editor):
    OversightSettings = apps.get_model("oversight", "OversightSettings")
    OversightSettings.objects.filter(is_example=True, effective_from=dt.date(2022, 1, 1)).delete()


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
