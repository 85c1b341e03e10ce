"""The catalogue of department data sources: each source's canonical columns (English names, as
stored in Parquet) and the Chinese headers departments actually put above them.

Built-in sources are defined here; an administrator adds more as ``SourceDefinition`` rows, which
``source_get`` / ``source_list`` turn into the same ``SourceSpec``. No file reading here.

The column and source types live in ``catalogue_types``, the built-in sources in
``builtin_sources``; every name is re-exported here.
"""

from __future__ import annotations

from typing import Any

from safetynet.feeds.builtin_sources import (
    _BUILTIN,
    BUILTIN_SOURCES,
)
from safetynet.feeds.catalogue_types import (
    DEPARTMENT_LABELS,
    DISABILITY_CHOICES,
    ID_ALIASES,
    SCHOOL_CHOICES,
    ColumnKind,
    ColumnSpec,
    FeedImportError,
    SourceSpec,
)

__all__ = [
    "BUILTIN_SOURCES",
    "DEPARTMENT_LABELS",
    "DISABILITY_CHOICES",
    "ID_ALIASES",
    "SCHOOL_CHOICES",
    "ColumnKind",
    "ColumnSpec",
    "FeedImportError",
    "SourceSpec",
    "source_get",
    "source_list",
    "spec_from_definition",
]


# --- administrator-defined sources ---------------------------------------------------------------


def _strings(value: Any) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.replace("，", ",").split(",") if part.strip())
    return tuple(str(item).strip() for item in value if str(item).strip())


def _choices_from_json(value: Any) -> dict[str, tuple[str, ...]]:
    """``{"valid": ["有效"]}``, ``[{"value": "valid", "aliases": ["有效"]}]`` or ``["有效", …]``
    (each value its own alias)."""
    if not value:
        return {}
    if isinstance(value, dict):
        return {str(key): _strings(aliases) for key, aliases in value.items()}
    choices: dict[str, tuple[str, ...]] = {}
    for item in value:
        if isinstance(item, dict):
            choices[str(item["value"])] = _strings(item.get("aliases") or item.get("label"))
        else:
            choices[str(item)] = (str(item),)
    return choices


def spec_from_definition(definition: Any) -> SourceSpec:
    """A ``SourceDefinition`` row as a ``SourceSpec``; a malformed description is refused with the
    column it concerns rather than half-imported."""
    columns: list[ColumnSpec] = []
    for index, raw in enumerate(definition.columns or [], start=1):
        if not isinstance(raw, dict) or not raw.get("name"):
            raise FeedImportError(f"数据源“{definition.name}”的第 {index} 个字段缺少字段名")
        kind = str(raw.get("kind") or ColumnKind.TEXT)
        if kind not in ColumnKind.ALL:
            raise FeedImportError(
                f"数据源“{definition.name}”的字段 {raw['name']} 类型 {kind} 不存在，"
                f"应为：{'、'.join(ColumnKind.ALL)}"
            )
        choices = _choices_from_json(raw.get("choices"))
        if kind == ColumnKind.CHOICE and not choices:
            raise FeedImportError(
                f"数据源“{definition.name}”的字段 {raw['name']} 是选项类型，但没有列出可选值"
            )
        columns.append(
            ColumnSpec(
                name=str(raw["name"]),
                label=str(raw.get("label") or raw["name"]),
                kind=kind,
                required=bool(raw.get("required", True)),
                aliases=_strings(raw.get("aliases")),
                choices=choices,
                min_value=raw.get("min_value"),
                max_value=raw.get("max_value"),
            )
        )
    if not columns:
        raise FeedImportError(f"数据源“{definition.name}”没有定义任何字段")
    return SourceSpec(
        code=definition.code,
        name=definition.name,
        department=definition.department,
        description=definition.description,
        columns=tuple(columns),
        keeps_name=definition.keeps_name,
        builtin=False,
    )


def source_get(code: str) -> SourceSpec:
    if code in _BUILTIN:
        return _BUILTIN[code]
    from safetynet.feeds.models import SourceDefinition

    definition = SourceDefinition.objects.filter(code=code, active=True).first()
    if definition is None:
        raise FeedImportError(f"未知的数据源：{code}")
    return spec_from_definition(definition)


def source_list() -> list[SourceSpec]:
    """Built-in sources first (in catalogue order), then the active administrator-defined ones."""
    from safetynet.feeds.models import SourceDefinition

    specs = list(BUILTIN_SOURCES)
    for definition in SourceDefinition.objects.filter(active=True).exclude(code__in=_BUILTIN):
        try:
            specs.append(spec_from_definition(definition))
        except FeedImportError:
            continue  # a malformed definition is reported when someone imports into it
    return specs
