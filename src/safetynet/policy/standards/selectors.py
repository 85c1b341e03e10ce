"""Reads of the local standards (地方标准): which figures are in force for a region on a date, and
where each one comes from.

A figure left empty in a version is inherited (the one resolver, ``policy.common``): for each
figure it walks county → city → province and takes the first non-empty value, looking at each
level only at that level's latest version in force on the date. A township or village resolves
through its county. The province's version in force must carry every figure (the service
enforces it); without one there are no standards on that date and ``StandardsMissing`` says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Field
from django.http import Http404

from safetynet.accounts.scope import scope_prefix
from safetynet.policy.common import (
    SETTING_LEVELS,
    ExpenditureRule,
    FieldUnset,
    Standards,
    chain_codes,
    resolve_fields,
    versions_in_force,
)
from safetynet.policy.models import ExpenditureRuleChoice, StandardVersion
from safetynet.regions.codes import normalise_code, prefix_bounds
from safetynet.regions.models import Level, Region

if TYPE_CHECKING:
    from safetynet.accounts.models import User

RESIDENCES = ("urban", "rural")
RESIDENCE_NAMES = {"urban": "城市", "rural": "农村"}
# The levels that may set standards, from the top.
STANDARD_LEVELS = SETTING_LEVELS

# Standards field → StandardVersion field, where the two share a name.
_SHARED_FIELDS = (
    "near_dibao_multiplier",
    "destitute_multiplier",
    "care_self_monthly",
    "care_partial_monthly",
    "care_full_monthly",
    "rigid_expenditure_share",
    "expenditure_rule",
    "financial_assets_months",
    "vehicle_value_limit",
    "max_dwellings",
    "business_capital_limit",
)


class StandardsMissing(Exception):
    """No provincial standards are in force for the region on the date (or they lack a figure)."""


def figure_label(name: str) -> str:
    field = StandardVersion._meta.get_field(name)
    assert isinstance(field, Field)
    return str(field.verbose_name)


def version_figure_fields(residence: str) -> dict[str, str]:
    """Standards field → StandardVersion field for one residence."""
    if residence not in RESIDENCES:
        raise ValueError(f"城乡类别应为 urban 或 rural：{residence!r}")
    return {
        "dibao_monthly": f"dibao_{residence}_monthly",
        "disposable_income_annual": f"disposable_income_{residence}_annual",
        **{name: name for name in _SHARED_FIELDS},
    }


@dataclass(frozen=True)
class ResolvedFigure:
    name: str  # StandardVersion field name
    value: Any  # Decimal, int or str (expenditure rule)
    version: StandardVersion

    @property
    def label(self) -> str:
        return figure_label(self.name)

    @property
    def is_example(self) -> bool:
        return self.version.is_example_figure(self.name)

    @property
    def provenance(self) -> str:
        version = self.version
        parts = [version.region_id[:6], version.region.name, f"{version.effective_from:%Y-%m-%d}"]
        if version.source:
            parts.append(version.source)
        if self.is_example:
            parts.append("示例")
        return " ".join(parts)

    @property
    def display(self) -> str:
        if self.name == "expenditure_rule":
            return str(ExpenditureRuleChoice(self.value).label)
        return str(self.value)


@dataclass(frozen=True)
class ResolvedStandards:
    """Every figure in force for a region on a date, each with the version it comes from."""

    region: Region  # the region asked about (any level)
    on: dt.date
    chain: tuple[Region, ...]  # province → city → county that exist, top first
    in_force: dict[str, StandardVersion]  # chain region code → its latest version in force
    figures: dict[str, ResolvedFigure]  # StandardVersion field → figure
    # Optional figures (StandardVersion.OPTIONAL_FIGURES) set by some level; the others take
    # their national default.
    optional: dict[str, ResolvedFigure] = field(default_factory=dict)

    @property
    def standards_region(self) -> Region:
        """The deepest region whose standards apply (a township resolves to its county)."""
        return self.chain[-1]

    def inherited(self, figure: ResolvedFigure) -> bool:
        return figure.version.region_id != self.standards_region.code

    def standards(self, residence: str) -> Standards:
        values: dict[str, Any] = {}
        provenance: dict[str, str] = {}
        is_example = False
        for target, source in version_figure_fields(residence).items():
            figure = self.figures[source]
            value = figure.value
            if target == "expenditure_rule":
                value = ExpenditureRule(value)
            elif target == "max_dwellings":
                value = int(value)
            else:
                value = Decimal(value)
            values[target] = value
            provenance[target] = figure.provenance
            is_example = is_example or figure.is_example
        for name, (default, default_is_example) in StandardVersion.OPTIONAL_FIGURES.items():
            optional = self.optional.get(name)
            if optional is not None:
                value, provenance[name] = optional.value, optional.provenance
            else:
                value = default
                provenance[name] = "全国默认" + (" 示例" if default_is_example else "（未设定）")
            if name == "supporter_other_cases":
                values[name] = tuple(str(case) for case in value or ())
            else:
                values[name] = Decimal(value)
        return Standards(**values, is_example=is_example, provenance=provenance)


def _region_with_chain(region_code: str) -> tuple[Region, list[Region]]:
    try:
        full = normalise_code(region_code)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    wanted = {full, *chain_codes(full)}
    regions = {r.code: r for r in Region.objects.filter(code__in=wanted)}
    region = regions.get(full)
    if region is None:
        raise Http404(f"区划代码不存在：{region_code}")
    chain = [regions[c] for c in chain_codes(full) if c in regions]
    return region, chain


def _resolve(
    region: Region,
    chain: list[Region],
    versions: dict[str, StandardVersion],
    on: dt.date,
) -> ResolvedStandards:
    in_force = {r.code: versions[r.code] for r in chain if r.code in versions}
    province = chain[0]
    where = f"{region.full_name or region.name}（{region.code}）"
    if province.code not in in_force:
        raise StandardsMissing(
            f"{where}在 {on:%Y-%m-%d} 没有生效的省级标准：请先录入{province.name}"
            f"自该日或更早生效的标准版本"
        )
    codes = [r.code for r in chain]
    try:
        origins = resolve_fields(codes, in_force, StandardVersion.FIGURES)
    except FieldUnset as exc:
        version = in_force[province.code]
        raise StandardsMissing(
            f"{where}在 {on:%Y-%m-%d} 缺少“{figure_label(exc.name)}”：{province.name}"
            f" {version.effective_from:%Y-%m-%d} 版本未填写该项"
        ) from exc
    figures = {
        name: ResolvedFigure(name=name, value=getattr(version, name), version=version)
        for name, version in origins.items()
    }
    # Figures a province may leave unset (none by default): absent when no level sets them.
    optional: dict[str, ResolvedFigure] = {}
    for name in StandardVersion.OPTIONAL_FIGURES:
        try:
            version = resolve_fields(codes, in_force, [name])[name]
        except FieldUnset:
            continue
        optional[name] = ResolvedFigure(name=name, value=getattr(version, name), version=version)
    return ResolvedStandards(
        region=region,
        on=on,
        chain=tuple(chain),
        in_force=in_force,
        figures=figures,
        optional=optional,
    )


def standards_resolve(*, region_code: str, on: dt.date) -> ResolvedStandards:
    """All figures for a region on a date with their origins. Two queries."""
    region, chain = _region_with_chain(region_code)
    in_force = versions_in_force(StandardVersion, [r.code for r in chain], on)
    return _resolve(region, chain, in_force, on)


def standards_for(*, region_code: str, on: dt.date, residence: str) -> Standards:
    """The standards in force for a region (any level), date and residence. Two queries."""
    return standards_resolve(region_code=region_code, on=on).standards(residence)


def standards_effective_table(
    *, regions: Iterable[Region], on: dt.date
) -> list[ResolvedStandards | StandardsMissing]:
    """The resolved standards of many regions at once (an exception in place of a region with
    none), in the order given. Two queries however many regions."""
    regions = list(regions)
    chains: dict[str, list[str]] = {r.code: chain_codes(r.code) for r in regions}
    codes = {code for chain in chains.values() for code in chain}
    known = {r.code: r for r in Region.objects.filter(code__in=codes)}
    versions = versions_in_force(StandardVersion, codes, on)
    table: list[ResolvedStandards | StandardsMissing] = []
    for region in regions:
        chain = [known[c] for c in chains[region.code] if c in known]
        try:
            table.append(_resolve(region, chain, versions, on))
        except StandardsMissing as exc:
            table.append(exc)
    return table


def standards_history(*, region_code: str) -> list[StandardVersion]:
    """Every version of a region and of the levels above it, top level first, newest first."""
    _, chain = _region_with_chain(region_code)
    order = {r.code: i for i, r in enumerate(chain)}
    rows = list(
        StandardVersion.objects.filter(region_id__in=order)
        .select_related("region", "created_by")
        .order_by("-effective_from")
    )
    return sorted(rows, key=lambda v: order[v.region_id])


def standards_region_get(*, user: User, region_code: str) -> Region:
    """A region whose standards the user may look at: inside their scope, or one of the levels
    above it (whose standards apply to them). Anything else is 404, like a missing region."""
    prefix = scope_prefix(user)
    region, _ = _region_with_chain(region_code)
    if prefix is None or not (region.code.startswith(prefix) or prefix.startswith(region.prefix)):
        raise Http404("未找到该区划，或不在您的管辖范围内。")
    return region


def standards_default_region(*, user: User) -> Region | None:
    """Where the standards page opens: the user's own county, city or province."""
    region = getattr(user, "scope_region", None)
    if region is None:
        return None
    codes = chain_codes(region.code)
    if codes[-1] == region.code:
        return region
    return Region.objects.filter(code=codes[-1]).first() or region


def counties_in_scope(user: User) -> list[Region]:
    """The county-level regions the user's scope covers (their own county for a township)."""
    prefix = scope_prefix(user)
    if prefix is None:
        return []
    lo, hi = prefix_bounds(prefix[:6])
    return list(
        Region.objects.filter(level=Level.COUNTY, code__gte=lo, code__lte=hi).order_by("code")
    )
