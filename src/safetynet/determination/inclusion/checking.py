"""A register's rows checked: the extra columns read, each row and household checked against
the others and against the registry as it stands."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from safetynet.accounts.models import User
from safetynet.accounts.scope import scope_queryset
from safetynet.core.chunks import chunked
from safetynet.determination.inclusion.columns import (
    _EXTRA_ALIASES,
    CARE_TIERS,
    DIBAO_CATEGORIES,
    EXTRA_BY_KEY,
    REQUIRED_EXTRA,
    WATCH_TYPES,
    RegisterKind,
    Target,
    parse_date,
)
from safetynet.determination.models import (
    OPEN_STATUSES,
    Application,
    CareTier,
)
from safetynet.registry import identity
from safetynet.registry.choices import Category, RelapseWatchType
from safetynet.registry.import_format import (
    YES_NO,
    Cell,
    ImportValueError,
    cell_text,
    normalise_header,
    parse_amount,
    read_rows,
)
from safetynet.registry.imports import (
    ParsedFile,
    RowProblem,
)
from safetynet.registry.inputs import HouseholdInput
from safetynet.registry.models import (
    CategoryStatus,
    Household,
    Membership,
    RelapseWatchStatus,
)
from safetynet.registry.relations import HEAD

# --- parsing the register columns ----------------------------------------------------------------


@dataclass
class _Extras:
    positions: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    rows: dict[int, dict[str, Cell]] = field(default_factory=dict)  # row number -> key -> cell
    header_row: int = 1


def _read_extras(content: bytes, file_name: str, parsed: ParsedFile) -> _Extras:
    extras = _Extras()
    try:
        rows, header_index = read_rows(content, file_name)
    except ImportValueError:
        return extras  # parse_file has already reported why the file cannot be read
    extras.header_row = header_index + 1
    for index, cell in enumerate(rows[header_index]):
        if cell in (None, ""):
            continue
        key = _EXTRA_ALIASES.get(normalise_header(cell))
        if key is not None and key not in extras.positions:
            extras.positions[key] = index
            extras.headers[key] = cell_text(cell)
    shown = set(extras.headers.values())
    parsed.ignored_columns = [c for c in parsed.ignored_columns if c not in shown]
    for index in range(header_index + 1, len(rows)):
        cells = rows[index]
        extras.rows[index + 1] = {
            key: cells[i] if i < len(cells) else None for key, i in extras.positions.items()
        }
    return extras


class _Checker:
    """Reads each household's register status and collects problems as row/column/value/reason."""

    def __init__(self, *, kind: str, parsed: ParsedFile, extras: _Extras, today: dt.date) -> None:
        self.kind = kind
        self.parsed = parsed
        self.extras = extras
        self.today = today
        self.problems: list[RowProblem] = []

    def header(self, key: str) -> str:
        if key in EXTRA_BY_KEY:
            return self.extras.headers.get(key, EXTRA_BY_KEY[key].header)
        return self.parsed.header(key)

    def problem(self, row: int | None, key: str, value: str, reason: str) -> None:
        self.problems.append(RowProblem(row, self.header(key), value, reason))

    def missing_columns(self, header_row: int) -> None:
        for key in REQUIRED_EXTRA[self.kind]:
            if key not in self.extras.positions:
                header = EXTRA_BY_KEY[key].header
                self.problem(header_row, key, "", f"缺少必需的列“{header}”")

    def raw(self, row: int, key: str) -> Cell:
        return self.extras.rows.get(row, {}).get(key)

    def text(self, row: int, key: str) -> str:
        return cell_text(self.raw(row, key))

    def date(self, row: int) -> dt.date | None:
        if not self.text(row, "included_on"):
            return None
        try:
            return parse_date(self.raw(row, "included_on"), today=self.today)
        except ImportValueError as exc:
            self.problem(row, "included_on", self.text(row, "included_on"), exc.reason)
            return None

    def targets(self, group: Any) -> list[Target]:
        """The statuses one household of the file asks for (none when a cell is wrong)."""
        heads = [row for row in group.rows if row.id_number == group.head_id]
        head = heads[0] if heads else None
        if head is None:
            first = group.rows[0]
            self.problem(
                first.number,
                "head_id",
                first.raw.get("head_id", ""),
                "文件中没有户主本人的行：须有一行的身份证号与户主身份证号相同",
            )
            return []
        if self.kind == RegisterKind.RELAPSE_WATCH:
            return self._watch(head)
        category = Category.DESTITUTE.value
        if self.kind == RegisterKind.DIBAO:
            text = self.text(head.number, "category").replace(" ", "")
            category = DIBAO_CATEGORIES.get(text or "低保", "")
            if not category:
                self.problem(head.number, "category", text, "保障类别应为：低保、单人保")
                return []
            if category == Category.DIBAO:
                return self._household_category(head, category)
        return self._member_categories(group, head, category)

    def _head_date(self, head: Any) -> dt.date | None:
        if not self.text(head.number, "included_on"):
            self.problem(head.number, "included_on", "", "户主所在行须填写纳入日期")
            return None
        return self.date(head.number)

    def _watch(self, head: Any) -> list[Target]:
        text = self.text(head.number, "watch_type").replace(" ", "")
        watch = WATCH_TYPES.get(text.removesuffix("户") if text not in WATCH_TYPES else text)
        if not text:
            self.problem(head.number, "watch_type", "", "户主所在行须填写监测类型")
        elif watch is None:
            labels = "、".join(str(label) for label in RelapseWatchType.labels)
            self.problem(head.number, "watch_type", text, f"监测类型应为：{labels}")
        day = self._head_date(head)
        if watch is None or day is None:
            return []
        return [Target(watch_type=watch, effective_from=day, row=head.number)]

    def _amount(self, rows: list[Any]) -> Decimal | None:
        """The first amount written on ``rows`` (the beneficiary's own, then the head's)."""
        for row in rows:
            text = self.text(row.number, "monthly_amount")
            if text:
                try:
                    return parse_amount(self.raw(row.number, "monthly_amount"))
                except ImportValueError as exc:
                    self.problem(row.number, "monthly_amount", text, exc.reason)
                    return None
        return None

    def _care_tier(self, rows: list[Any]) -> str:
        for row in rows:
            text = self.text(row.number, "care_tier").replace(" ", "")
            if text:
                tier = CARE_TIERS.get(text)
                if tier is None:
                    labels = "、".join(str(label) for label in CareTier.labels)
                    self.problem(row.number, "care_tier", text, f"照料护理等级应为：{labels}")
                    return ""
                return tier
        return ""

    def _household_category(self, head: Any, category: str) -> list[Target]:
        day = self._head_date(head)
        amount = self._amount([head])
        if day is None:
            return []
        return [
            Target(category=category, effective_from=day, row=head.number, monthly_amount=amount)
        ]

    def _member_categories(self, group: Any, head: Any, category: str) -> list[Target]:
        marked = []
        for row in group.rows:
            text = self.text(row.number, "beneficiary")
            if text and text not in YES_NO:
                self.problem(row.number, "beneficiary", text, "保障对象应填“是”或“否”")
            elif YES_NO.get(text, False):
                marked.append(row)
        if not marked and len(group.rows) == 1:
            marked = list(group.rows)
        if not marked:
            label = Category(category).label
            self.problem(
                head.number,
                "beneficiary",
                "",
                f"{label}按人认定：请在{label}对象本人所在行的“保障对象”列填“是”",
            )
            return []
        targets = []
        for row in marked:
            own = self.text(row.number, "included_on")
            day = self.date(row.number) if own else self._head_date(head)
            rows = [row, head] if row is not head else [row]
            amount = self._amount(rows)
            tier = self._care_tier(rows) if category == Category.DESTITUTE else ""
            if day is not None and row.id_number:
                targets.append(
                    Target(
                        category=category,
                        member_id_number=row.id_number,
                        effective_from=day,
                        row=row.number if own else head.number,
                        monthly_amount=amount,
                        care_tier=tier,
                    )
                )
        return targets

    def new_household(self, group: Any) -> HouseholdInput:
        """The household to create for a group whose head is not yet in the registry."""
        head = next(row for row in group.rows if row.id_number == group.head_id)
        group.head_row = head
        if head.member.relation != HEAD:
            self.problem(
                head.number,
                "relation",
                head.raw.get("relation", ""),
                "户主本人所在行的与户主关系应填“户主”",
            )
        for row in group.rows:
            if row is not head and row.member.relation == HEAD:
                self.problem(
                    row.number,
                    "relation",
                    row.raw.get("relation", ""),
                    "只有户主本人所在行的与户主关系可以填“户主”",
                )
        if not head.region_code:
            self.problem(head.number, "region_code", "", "户主所在行须填写区划代码")
        return HouseholdInput(
            region_code=head.region_code,
            residence=head.residence,
            address=head.address,
            phone=head.phone,
            members=[row.member for row in group.rows],
        )


# --- the registry as it stands -------------------------------------------------------------------


@dataclass
class _Existing:
    household: Household
    members: dict[str, int] = field(default_factory=dict)  # blind index -> current member's id
    categories: dict[int | None, CategoryStatus] = field(default_factory=dict)  # open, by person
    watch: RelapseWatchStatus | None = None
    open_types: set[str] = field(default_factory=set)  # types of applications in the procedure


def _existing(*, actor: User, head_ids: list[str]) -> dict[str, _Existing]:
    """Head ID number -> the in-scope household that person heads now, with what the checks need,
    in a fixed number of queries."""
    by_hash = {identity.blind_index(number): number for number in head_ids}
    heads: dict[int, str] = {}
    for chunk in chunked(list(by_hash)):
        for digest, household_id in Membership.objects.filter(
            left_on__isnull=True, relation=HEAD, person__id_number_hash__in=chunk
        ).values_list("person__id_number_hash", "household_id"):
            heads[household_id] = by_hash[digest]
    households = scope_queryset(
        Household.objects.filter(pk__in=list(heads)).select_related("head"), user=actor
    )
    found = {h.pk: _Existing(household=h) for h in households}
    ids = list(found)
    for household_id, person_id, digest in Membership.objects.filter(
        household_id__in=ids, left_on__isnull=True
    ).values_list("household_id", "person_id", "person__id_number_hash"):
        found[household_id].members[digest] = person_id
    for status in CategoryStatus.objects.filter(household_id__in=ids, effective_to__isnull=True):
        found[status.household_id].categories[status.person_id] = status
    for watch in RelapseWatchStatus.objects.filter(household_id__in=ids, effective_to__isnull=True):
        found[watch.household_id].watch = watch
    for household_id, type_ in Application.objects.filter(
        household_id__in=ids, status__in=OPEN_STATUSES
    ).values_list("household_id", "type"):
        found[household_id].open_types.add(type_)
    return {heads[pk]: existing for pk, existing in found.items()}


def _current(existing: _Existing, target: Target) -> tuple[str, dt.date | None]:
    """The status now open where the target would go, and since when."""
    if target.watch_type:
        watch = existing.watch
        return (watch.watch_type, watch.effective_from) if watch else ("", None)
    person = existing.members.get(identity.blind_index(target.member_id_number))
    status = existing.categories.get(person if target.member_id_number else None)
    return (status.category, status.effective_from) if status else ("", None)
