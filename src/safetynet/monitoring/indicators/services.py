"""Writing indicators: the shipped provincial set (``data/monitoring/indicators.json``) and new
versions a province or county records (never edits: a change is a version from a date)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from safetynet.accounts.models import User
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.audit.models import Action
from safetynet.audit.services import audit_record
from safetynet.monitoring.indicators.labels import param_label
from safetynet.monitoring.models import Indicator
from safetynet.monitoring.scan.rules import RULES
from safetynet.regions.models import Region

SHIPPED = Path(settings.BASE_DIR) / "data" / "monitoring" / "indicators.json"


class IndicatorError(ValueError):
    pass


def shipped_indicators() -> list[dict[str, Any]]:
    doc = json.loads(SHIPPED.read_text(encoding="utf-8"))
    region = doc["region"].ljust(12, "0")
    effective = dt.date.fromisoformat(doc["effective_from"])
    return [
        {**item, "region_id": region, "effective_from": effective} for item in doc["indicators"]
    ]


def shipped_indicators_load(*, model: Any = Indicator) -> int:
    """Idempotent: a shipped version already present is left as it is."""
    created = 0
    for fields in shipped_indicators():
        _, was_created = model.objects.get_or_create(
            code=fields["code"],
            region_id=fields["region_id"],
            effective_from=fields["effective_from"],
            defaults={
                k: v for k, v in fields.items() if k not in ("code", "region_id", "effective_from")
            },
        )
        created += int(was_created)
    return created


def _check_params(rule: str, params: dict[str, Any]) -> None:
    for key, value in params.items():
        if key == "stages":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise IndicatorError(f"{param_label(key)}应为学段列表")
            continue
        try:
            Decimal(str(value))
        except InvalidOperation as exc:
            raise IndicatorError(f"{param_label(key)}应为数字（填写的是 {value}）") from exc
    missing = set(RULES[rule].params) - set(params)
    if missing:
        raise IndicatorError(f"缺少阈值：{'、'.join(param_label(k) for k in sorted(missing))}")


def indicator_version_create(
    *,
    actor: User,
    base: Indicator,
    region: Region,
    effective_from: dt.date,
    changes: dict[str, Any],
) -> Indicator:
    """A new version of ``base``'s indicator for ``region`` (the province, or a county
    overriding it) from ``effective_from``: the fields not in ``changes`` are carried over."""
    require(actor, Capability.EDIT_INDICATORS, region)
    if region.level not in ("province", "county"):
        raise IndicatorError("指标只能由省级设定、县级覆盖")
    fields = {
        name: getattr(base, name)
        for name in (
            "name",
            "rule",
            "watches",
            "sources",
            "params",
            "example_params",
            "hardship_type",
            "severity",
            "check_working_days",
            "active",
            "note",
        )
    }
    fields.update(changes)
    if fields["rule"] not in RULES:
        raise IndicatorError(f"未知判定规则：{fields['rule']}")
    _check_params(fields["rule"], fields["params"])
    with transaction.atomic():
        if Indicator.objects.filter(
            code=base.code, region=region, effective_from=effective_from
        ).exists():
            raise IndicatorError("该区划在该日期已有此指标的版本")
        version = Indicator.objects.create(
            code=base.code, region=region, effective_from=effective_from, created_by=actor, **fields
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="monitoring.Indicator",
            object_id=version.pk,
            region_code=region.code,
            summary=f"新增监测指标版本：{version.name} {effective_from:%Y-%m-%d}",
            detail={"code": base.code, "changes": {k: str(v) for k, v in changes.items()}},
        )
    return version
