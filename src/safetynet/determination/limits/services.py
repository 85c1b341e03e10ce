"""Recording a version of the time limits for a region."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from safetynet.accounts.models import User
from safetynet.accounts.permissions import allowed, require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import in_scope
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.determination.common import (
    DeterminationError,
    PermissionDenied,
    today,
)
from safetynet.determination.models import TimeLimits
from safetynet.regions.models import Level, Region

SETTING_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY)


def may_set_at(actor: User, region: Region) -> bool:
    """Time limits are set by the level they apply to: one's own region; whoever works for the
    whole province (its administrator) for any city or county in it."""
    if getattr(actor, "is_superuser", False):
        return True
    scope = getattr(actor, "scope_region", None)
    if scope is None:
        return False
    return scope.code == region.code or (
        scope.level == Level.PROVINCE and in_scope(region.code, user=actor)
    )


def settable(actor: User, region: Region) -> bool:
    """Whether saving time limits for ``region`` can succeed (the form is offered only then)."""
    return (
        allowed(actor, Capability.CONFIGURE_TIME_LIMITS)
        and region.level in SETTING_LEVELS
        and may_set_at(actor, region)
    )


def _require_settable(actor: User, region: Region) -> None:
    require(actor, Capability.CONFIGURE_TIME_LIMITS)
    if region.level not in SETTING_LEVELS:
        raise DeterminationError("办理时限只能按省、市、县(区)设置", field="region")
    if not may_set_at(actor, region):
        raise PermissionDenied("只能维护本级区划的办理时限")


def time_limits_create(
    *,
    actor: User,
    region: Region,
    effective_from: dt.date,
    values: dict[str, Any],
    source: str = "",
    note: str = "",
    client: Client | None = None,
) -> TimeLimits:
    """A new version of a region's time limits (province, city or county); a field left None is
    inherited. A county officer may set only their own county's; the province's version must
    set every field. Versions already in force are never edited."""
    _require_settable(actor, region)
    unknown = set(values) - set(TimeLimits.FIELDS)
    if unknown:
        raise DeterminationError(f"未知的时限项：{', '.join(sorted(unknown))}")
    if effective_from < today():
        raise DeterminationError(
            "生效日期不能早于今天（已生效的时限不能追溯修改）", field="effective_from"
        )
    for name, value in values.items():
        if value is None or name in ("confirmation_delegated", "spot_check_share"):
            continue
        if not isinstance(value, int) or value < 1:
            label = getattr(TimeLimits._meta.get_field(name), "verbose_name", name)
            raise DeterminationError(f"{label}须为正整数", field=name)
    share = values.get("spot_check_share")
    if share is not None and not 0 <= share <= 1:
        raise DeterminationError("抽查比例须在 0 到 1 之间", field="spot_check_share")
    if region.code == settings.PROVINCE_CODE and any(
        values.get(name) is None for name in TimeLimits.FIELDS
    ):
        raise DeterminationError("省级办理时限须填写全部时限项")
    try:
        with transaction.atomic():
            version = TimeLimits.objects.create(
                region=region,
                effective_from=effective_from,
                source=source.strip()[:300],
                note=note.strip()[:300],
                created_by=actor,
                **values,
            )
            audit_record(
                actor=actor,
                action=Action.CREATE,
                object_type="time_limits",
                object_id=version.pk,
                region_code=region.code,
                summary=f"登记办理时限：{region.name} 自 {effective_from:%Y-%m-%d} 起",
                detail={k: str(v) for k, v in values.items() if v is not None},
                client=client,
            )
    except IntegrityError as exc:
        raise DeterminationError(
            "该区划在此生效日期已有一个办理时限版本", field="effective_from"
        ) from exc
    return version


def time_limits_delete(*, actor: User, version: TimeLimits, client: Client | None = None) -> None:
    """Withdraw a version not yet in force (a mistake, or a plan that changed). A version in
    force or past stays: cases were timed by it."""
    _require_settable(actor, version.region)
    if version.effective_from <= today():
        raise DeterminationError(
            f"该版本自 {version.effective_from:%Y-%m-%d} 起已生效，不能删除；"
            "如需调整，请新增一个生效日期更晚的版本"
        )
    detail = {
        "effective_from": version.effective_from.isoformat(),
        **{
            n: str(getattr(version, n))
            for n in TimeLimits.FIELDS
            if getattr(version, n) is not None
        },
        "source": version.source,
        "note": version.note,
    }
    pk = version.pk
    with transaction.atomic():
        version.delete()
        audit_record(
            actor=actor,
            action=Action.DELETE,
            object_type="time_limits",
            object_id=pk,
            region_code=version.region_id,
            summary=f"删除尚未生效的办理时限：{version.region.name} "
            f"自 {version.effective_from:%Y-%m-%d} 起",
            detail=detail,
            client=client,
        )


def limits_exported(*, actor: User, on: dt.date, counties: int, client: Client | None) -> None:
    """Every export is on the trail, also one without personal data (issue 11)."""
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="time_limits",
        region_code=getattr(actor, "scope_region_id", "") or "",
        summary=f"导出 {on:%Y-%m-%d} 执行的办理时限（{counties} 个县(区)）",
        detail={"on": on.isoformat(), "counties": counties},
        client=client,
    )
