"""Ship the national time limits as the province's version (every field set)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import migrations

PROVINCE = "410000000000"
EFFECTIVE_FROM = dt.date(2021, 7, 1)
SOURCE = "《最低生活保障审核确认办法》(民发〔2021〕57号)、《特困人员认定办法》(民发〔2021〕43号)"

NATIONAL: dict[str, Any] = {
    "investigation_start_days": 3,
    "data_check_days": 3,
    "publicity_days": 7,
    "objection_reinvestigation_days": 15,
    "confirmation_dibao_days": 10,
    "confirmation_destitute_days": 15,
    "spot_check_share": Decimal("0.300"),
    "procedure_days": 30,
    "procedure_extended_days": 45,
    "procedure_delegated_days": 20,
    "refusal_notice_days": 3,
    "transfer_days": 3,
    "self_care_reassessment_days": 10,
    "death_recheck_months": 3,
    "annual_review_months": 12,
    "periodic_check_months": 12,
    "periodic_check_unstable_months": 6,
    "termination_publicity_days": 7,
    "gradual_exit_max_months": 6,
    "confirmation_delegated": False,
}


def forwards(apps: Any, schema_editor: Any) -> None:
    Region = apps.get_model("regions", "Region")
    TimeLimits = apps.get_model("determination", "TimeLimits")
    if not Region.objects.filter(code=PROVINCE).exists():
        return
    TimeLimits.objects.get_or_create(
        region_id=PROVINCE,
        effective_from=EFFECTIVE_FROM,
        defaults={**NATIONAL, "source": SOURCE, "note": "国家规定时限"},
    )


def backwards(apps: Any, schema_editor: Any) -> None:
    TimeLimits = apps.get_model("determination", "TimeLimits")
    TimeLimits.objects.filter(region_id=PROVINCE, effective_from=EFFECTIVE_FROM).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("determination", "0001_initial"),
        ("regions", "0002_load_henan"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
