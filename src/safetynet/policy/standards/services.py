"""Writes of the local standards (地方标准). Every function is an audited action inside one
transaction.

Who may set which standards: the province's and a city's only an administrator; a county's the
county's own officer (or an administrator). A version that is in force is never changed or
deleted; a change is a new version with its own effective date.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from safetynet.accounts.permissions import allowed
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import in_scope
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.policy.models import ExpenditureRuleChoice, StandardVersion
from safetynet.policy.standards import selectors
from safetynet.regions.codes import normalise_code
from safetynet.regions.models import Level, Region
from safetynet.registry.services import PermissionDenied, RegistryError

if TYPE_CHECKING:
    from safetynet.accounts.models import User

SHIPPED_STANDARDS = "policy/henan_standards.json"

# Figure → (decimal places, largest value + 1, smallest allowed, whether the smallest is allowed).
_MONEY_LIMIT = Decimal("10000000000")
_RATIO_LIMIT = Decimal("1000")
_DECIMAL_RULES: dict[str, tuple[int, Decimal, Decimal, bool]] = {
    "dibao_urban_monthly": (2, _MONEY_LIMIT, Decimal(0), False),
    "dibao_rural_monthly": (2, _MONEY_LIMIT, Decimal(0), False),
    "disposable_income_urban_annual": (2, _MONEY_LIMIT, Decimal(0), False),
    "disposable_income_rural_annual": (2, _MONEY_LIMIT, Decimal(0), False),
    "care_self_monthly": (2, _MONEY_LIMIT, Decimal(0), True),
    "care_partial_monthly": (2, _MONEY_LIMIT, Decimal(0), True),
    "care_full_monthly": (2, _MONEY_LIMIT, Decimal(0), True),
    "vehicle_value_limit": (2, _MONEY_LIMIT, Decimal(0), True),
    "business_capital_limit": (2, _MONEY_LIMIT, Decimal(0), True),
    # Both are multiples of the dibao standard; below 1 they would undercut it.
    "destitute_multiplier": (3, _RATIO_LIMIT, Decimal(1), True),
    "near_dibao_multiplier": (3, _RATIO_LIMIT, Decimal(1), True),
    "rigid_expenditure_share": (3, _RATIO_LIMIT, Decimal(0), False),
    "financial_assets_months": (3, _RATIO_LIMIT, Decimal(0), False),
    # Local figures of issue 10: the share by which income must have dropped (二(一)4), and the
    # monthly employment cost taken off each employed member's wages (民发〔2021〕57号).
    "income_drop_share": (3, Decimal(1) + Decimal("0.001"), Decimal(0), False),
    "employment_cost_monthly": (2, _MONEY_LIMIT, Decimal(0), True),
}
_MAX_OTHER_CASES = 20
# Figures that set a floor of assistance: a city or county may raise them, never lower them
# below what it would otherwise inherit.
FLOOR_FIGURES = (
    "dibao_urban_monthly",
    "dibao_rural_monthly",
    "destitute_multiplier",
    "near_dibao_multiplier",
)


class StandardsError(RegistryError):
    """A request about standards that is refused; the API answers 400 with the message."""


class StandardsPermissionDenied(PermissionDenied):
    """The actor may not set standards for that region; the API answers 403."""


class StandardsValidationError(StandardsError):
    """One or more problems with a new version, each as (field, Chinese reason)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("；".join(reason for _, reason in problems))
        self.problems = problems


def standards_refusal(*, actor: User, region: Region) -> str | None:
    """Why ``actor`` may not set or delete standards of ``region``, or None if they may."""
    if actor is None or not actor.has_capability(Capability.EDIT_STANDARDS):
        return "您没有维护地方标准的权限"
    name = f"{region.full_name or region.name}（{region.code}）"
    if region.level not in selectors.STANDARD_LEVELS:
        return (
            f"{name}是{region.get_level_display()}：地方标准只能由省、市、县三级制定，"
            "乡镇和村适用所在县的标准"
        )
    if not in_scope(region.code, user=actor):
        return f"{name}不在您的管辖范围内"
    upper = region.level in (Level.PROVINCE, Level.CITY)
    if upper and not allowed(actor, Capability.EDIT_UPPER_STANDARDS):
        return "省级和市级标准只能由系统管理员录入；县级经办人可录入本县标准"
    return None


def _require_editable(actor: User, region: Region) -> None:
    refusal = standards_refusal(actor=actor, region=region)
    if refusal is not None:
        raise StandardsPermissionDenied(refusal)


def _clean_decimal(name: str, raw: Any, problems: list[tuple[str, str]]) -> Decimal | None:
    places, limit, smallest, inclusive = _DECIMAL_RULES[name]
    label = selectors.figure_label(name)
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        problems.append((name, f"{label}：“{raw}”不是数字"))
        return None
    if not value.is_finite():
        problems.append((name, f"{label}：“{raw}”不是数字"))
        return None
    if value != value.quantize(Decimal(1).scaleb(-places)):
        problems.append((name, f"{label}：最多 {places} 位小数（填写的是 {raw}）"))
        return None
    if value >= limit:
        problems.append((name, f"{label}：{raw} 过大"))
        return None
    if value < smallest or (value == smallest and not inclusive):
        bound = "不小于" if inclusive else "大于"
        problems.append((name, f"{label}：应{bound} {smallest}（填写的是 {raw}）"))
        return None
    return value.quantize(Decimal(1).scaleb(-places))


def clean_figures(figures: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The figures that are set (empty means inherit), parsed and checked one by one."""
    problems: list[tuple[str, str]] = []
    cleaned: dict[str, Any] = {}
    for name, raw in figures.items():
        if name not in StandardVersion.EDITABLE:
            problems.append((name, f"不认识的标准项：{name}"))
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        label = selectors.figure_label(name)
        if name == "supporter_other_cases":
            cases = _other_cases(raw)
            if cases is None:
                problems.append((name, f"{label}：应为情形名称列表，每项不超过 100 字"))
            elif len(cases) > _MAX_OTHER_CASES:
                problems.append((name, f"{label}：最多 {_MAX_OTHER_CASES} 项"))
            elif cases:
                cleaned[name] = cases
        elif name == "expenditure_rule":
            if raw not in ExpenditureRuleChoice.values:
                choices = "、".join(ExpenditureRuleChoice.values)
                problems.append((name, f"{label}：取值应为 {choices} 之一（填写的是 {raw}）"))
            else:
                cleaned[name] = str(raw)
        elif name == "max_dwellings":
            try:
                number = int(str(raw).strip())
            except ValueError:
                problems.append((name, f"{label}：应为整数（填写的是 {raw}）"))
                continue
            if not 0 <= number <= 100:
                problems.append((name, f"{label}：应在 0 到 100 之间（填写的是 {raw}）"))
            else:
                cleaned[name] = number
        else:
            value = _clean_decimal(name, raw, problems)
            if value is not None:
                cleaned[name] = value
    return cleaned, problems


def _other_cases(raw: Any) -> list[str] | None:
    """The province's other cases of inability: a list, or text with one case a line."""
    items = raw.splitlines() if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        return None
    cases = [str(item).strip() for item in items if str(item).strip()]
    if any(len(case) > 100 for case in cases):
        return None
    return list(dict.fromkeys(cases))


def _floor_problems(
    region: Region, effective_from: dt.date, cleaned: dict[str, Any]
) -> list[tuple[str, str]]:
    """A city or county may raise a floor figure, never lower it below what it would inherit
    on the version's effective date."""
    parent_code = selectors.chain_codes(region.code)[-2]
    try:
        inherited = selectors.standards_resolve(region_code=parent_code, on=effective_from)
    except selectors.StandardsMissing:
        return [
            (
                "effective_from",
                f"{effective_from:%Y-%m-%d} 没有生效的省级标准：请先由系统管理员录入省级标准，"
                "或选择更晚的生效日期",
            )
        ]
    problems = []
    for name in FLOOR_FIGURES:
        if name not in cleaned:
            continue
        floor = inherited.figures[name]
        if cleaned[name] < floor.value:
            source = floor.version
            problems.append(
                (
                    name,
                    f"{selectors.figure_label(name)} {cleaned[name]} 低于上级"
                    f"（{source.region.name} {source.effective_from:%Y-%m-%d} 版本）"
                    f"在 {effective_from:%Y-%m-%d} 执行的 {floor.value}：地方标准只能提高、"
                    "不能低于上级标准",
                )
            )
    return problems


@transaction.atomic
def standard_version_create(
    *,
    actor: User,
    region: Region,
    effective_from: dt.date,
    figures: dict[str, Any],
    source: str,
    note: str,
    is_example: bool = False,
    example_figures: Iterable[str] = (),
    client: Client | None = None,
) -> StandardVersion:
    _require_editable(actor, region)
    source, note = source.strip(), note.strip()
    cleaned, problems = clean_figures(figures)
    nothing_given = not cleaned and not problems
    example_list = sorted(set(example_figures))
    for name in example_list:
        if name not in StandardVersion.EDITABLE:
            problems.append(("example_figures", f"示例数值项中有不认识的标准项：{name}"))
    today = timezone.localdate()
    if effective_from < today and not allowed(actor, Capability.EDIT_UPPER_STANDARDS):
        problems.append(
            (
                "effective_from",
                f"生效日期 {effective_from:%Y-%m-%d} 早于今天（{today:%Y-%m-%d}）："
                "只有系统管理员可以补录过去生效的标准",
            )
        )
    if region.level == Level.PROVINCE:
        missing = [selectors.figure_label(n) for n in StandardVersion.FIGURES if n not in cleaned]
        if missing:
            problems.append(
                (
                    "figures",
                    "省级标准必须填写每一项（市、县未填写的项继承省级），缺少："
                    + "、".join(missing),
                )
            )
    elif cleaned:
        problems.extend(_floor_problems(region, effective_from, cleaned))
    for name in StandardVersion.PROVINCE_ONLY:
        if name in cleaned and region.level != Level.PROVINCE:
            problems.append((name, f"{selectors.figure_label(name)}只能由省级设定"))
    if nothing_given and region.level != Level.PROVINCE:
        problems.append(("figures", "至少填写一项标准；未填写的项继承上级"))
    if not source and not is_example:
        problems.append(
            ("source", "请填写依据（文件名称、文号）；未引自正式文件的演示数值请勾选“示例数值”")
        )
    if len(source) > 300 or len(note) > 300:
        problems.append(("source", "依据和说明各不超过 300 字"))
    if StandardVersion.objects.filter(region=region, effective_from=effective_from).exists():
        problems.append(
            (
                "effective_from",
                f"{region.name}在 {effective_from:%Y-%m-%d} 已有一个标准版本；"
                "请选择其他生效日期，或删除尚未生效的那个版本后重新录入",
            )
        )
    if problems:
        raise StandardsValidationError(problems)
    version = StandardVersion(
        region=region,
        effective_from=effective_from,
        is_example=is_example,
        example_figures=example_list,
        source=source,
        note=note,
        created_by=actor if getattr(actor, "pk", None) else None,
        **cleaned,
    )
    try:
        with transaction.atomic():
            version.save(force_insert=True)
    except IntegrityError as exc:
        raise StandardsValidationError(
            [("effective_from", f"{region.name}在 {effective_from:%Y-%m-%d} 已有一个标准版本")]
        ) from exc
    version.region = region
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="standard_version",
        object_id=version.pk,
        region_code=region.code,
        summary=f"新增地方标准版本：{region.name} 自 {effective_from:%Y-%m-%d} 起"
        + ("（示例）" if is_example else ""),
        detail=_audit_detail(version),
        client=client,
    )
    return version


def _audit_detail(version: StandardVersion) -> dict[str, Any]:
    return {
        "region": version.region_id,
        "effective_from": version.effective_from.isoformat(),
        "figures": {
            name: str(getattr(version, name))
            for name in StandardVersion.EDITABLE
            if getattr(version, name) not in (None, "", [])
        },
        "is_example": version.is_example,
        "example_figures": list(version.example_figures or []),
        "source": version.source,
        "note": version.note,
    }


@transaction.atomic
def standard_version_delete(
    *, actor: User, version: StandardVersion, client: Client | None = None
) -> None:
    """Withdraw a version that is not yet in force (a mistake, or a plan that changed)."""
    _require_editable(actor, version.region)
    today = timezone.localdate()
    if version.effective_from <= today:
        raise StandardsError(
            f"该版本自 {version.effective_from:%Y-%m-%d} 起已生效，不能删除；"
            "如需调整，请新增一个生效日期更晚的版本"
        )
    detail = _audit_detail(version)
    pk = version.pk
    version.delete()
    audit_record(
        actor=actor,
        action=Action.DELETE,
        object_type="standard_version",
        object_id=pk,
        region_code=version.region_id,
        summary=f"删除尚未生效的地方标准版本：{version.region.name} "
        f"{version.effective_from:%Y-%m-%d}",
        detail=detail,
        client=client,
    )


def shipped_versions(path: Path | None = None) -> list[dict[str, Any]]:
    """The provincial versions shipped in data/policy/, as plain dicts ready for the model."""
    path = path or Path(settings.DATA_DIR) / SHIPPED_STANDARDS
    rows = json.loads(path.read_text(encoding="utf-8"))["versions"]
    versions = []
    for row in rows:
        cleaned, problems = clean_figures(row["figures"])
        if problems:
            raise ValueError(f"{path}: {row['region']} {row['effective_from']}: {problems}")
        versions.append(
            {
                "region_id": normalise_code(row["region"]),
                "effective_from": dt.date.fromisoformat(row["effective_from"]),
                "is_example": bool(row["is_example"]),
                "example_figures": list(row.get("example_figures", [])),
                "source": row.get("source", ""),
                "note": row.get("note", ""),
                **cleaned,
            }
        )
    return versions


def shipped_versions_load(*, model: Any = StandardVersion, path: Path | None = None) -> int:
    """Create the shipped versions that are not there yet (by region and date); return how many.

    ``model`` is the migration's historical model when called from the data migration.
    """
    created = 0
    for fields in shipped_versions(path):
        _, was_created = model.objects.get_or_create(
            region_id=fields.pop("region_id"),
            effective_from=fields.pop("effective_from"),
            defaults=fields,
        )
        created += was_created
    return created


def standards_exported(
    *, actor: User, on: dt.date, counties: list[Region], client: Client | None = None
) -> None:
    """Every export is on the trail, also one without personal data."""
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="standard_version",
        region_code=getattr(actor, "scope_region_id", "") or "",
        summary=f"导出 {on:%Y-%m-%d} 执行的地方标准（{len(counties)} 个县(区)）",
        detail={"on": on.isoformat(), "counties": len(counties)},
        client=client,
    )
