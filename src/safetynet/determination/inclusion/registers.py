"""Direct inclusion (二): existing dibao, destitute and anti-relapse registers imported in one step.

Policy 二: current dibao recipients, destitute persons and anti-relapse watch households are not
screened again; they enter the low-income population directly. A register file is the household
import file (one row per person, grouped by 户主身份证号) with a few more columns: 纳入日期, and by
register 保障类别 / 保障对象 (dibao, destitute) or 监测类型 (anti-relapse watch).

The whole file is validated first, exactly like a household import: on any problem nothing is
written and the user gets the row, column, value and reason of each. When it is clean, households
not yet in the registry are created through the registry services and every household gets its
category or watch with the register's effective date through the determination service for direct
inclusion. A household whose register status is already current is "unchanged", so importing the
same register twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safetynet.accounts.models import User
from safetynet.accounts.permissions import PermissionDenied, require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import scope_queryset
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.core.chunks import chunked
from safetynet.core.dates import parse_date as core_parse_date
from safetynet.determination.common import DeterminationError
from safetynet.determination.inclusion.services import (
    Inclusion,
    InclusionRefused,
    WatchInclusion,
    direct_inclusion_many,
    watch_inclusion_many,
)
from safetynet.determination.models import (
    OPEN_STATUSES,
    Application,
    ApplicationType,
    CareTier,
)
from safetynet.jobs.models import Job
from safetynet.jobs.runner import job_run_in_background
from safetynet.jobs.services import JobError, job_create
from safetynet.jobs.tasks import ProgressFn, task
from safetynet.registry import identity, imports
from safetynet.registry import services as registry_services
from safetynet.registry.choices import Category, RelapseWatchType
from safetynet.registry.import_format import (
    COLUMN_BY_KEY,
    COLUMN_ORDER,
    YES_NO,
    Cell,
    Column,
    ImportValueError,
    cell_text,
    normalise_header,
    parse_amount,
    read_rows,
)
from safetynet.registry.imports import (
    ImportResult,
    ParsedFile,
    RowProblem,
    parse_file,
)
from safetynet.registry.inputs import HouseholdInput
from safetynet.registry.models import (
    CategoryStatus,
    Household,
    Membership,
    Person,
    RelapseWatchStatus,
)
from safetynet.registry.relations import HEAD

__all__ = [
    "InclusionResult",
    "RegisterKind",
    "RowProblem",
    "inclusion_job_result",
    "registers_include",
    "registers_include_submit",
    "registers_include_task",
    "upload_save",
]

CAPABILITIES = (
    Capability.IMPORT_HOUSEHOLDS,
    Capability.SET_CATEGORY,
    Capability.CONFIRM_DETERMINATION,
)


def require_inclusion(actor: User) -> None:
    """Direct inclusion registers households, sets their category and stands for the county's
    confirmation: it takes all three capabilities."""
    for capability in CAPABILITIES:
        require(actor, capability, message="您没有直接纳入名册的权限")


class RegisterKind(models.TextChoices):
    DIBAO = "dibao", _("低保名册")
    DESTITUTE = "destitute", _("特困人员名册")
    RELAPSE_WATCH = "relapse_watch", _("防止返贫监测对象名册")


# --- the register columns beyond the household import's ---------------------------------------

EXTRA_COLUMNS: list[Column] = [
    Column(
        "included_on",
        "纳入日期",
        ("认定日期", "批准日期", "审批日期", "生效日期", "纳入时间", "认定时间", "纳入监测日期"),
        "必填",
        "原名册中的认定（纳入）日期，作为类别或监测标识的生效日期；写在户主所在行，"
        "特困和单人保也可写在保障对象本人所在行",
    ),
    Column(
        "category",
        "保障类别",
        ("救助类别", "保障类型"),
        "低保名册选填",
        "低保 或 单人保；不填为低保",
    ),
    Column(
        "beneficiary",
        "保障对象",
        ("是否保障对象", "特困人员", "是否特困人员", "是否单人保对象"),
        "特困名册、单人保必填",
        "特困人员或单人保对象本人所在行填“是”；只有一人的特困家庭可不填",
    ),
    Column(
        "watch_type",
        "监测类型",
        ("监测对象类型", "监测对象类别", "防返贫监测类型", "防止返贫监测类型"),
        "防返贫监测名册必填",
        "脱贫不稳定户、边缘易致贫户 或 突发严重困难户；写在户主所在行",
    ),
    Column(
        "monthly_amount",
        "月保障金额",
        ("保障金额", "月救助金额", "救助金额", "月供养金", "供养金额", "月补差金额"),
        "选填",
        "原名册中的月保障金额（元）；写在户主所在行，特困和单人保写在保障对象本人所在行",
    ),
    Column(
        "care_tier",
        "照料护理等级",
        ("护理等级", "自理能力", "生活自理能力"),
        "特困名册选填",
        "全自理、半护理 或 全护理",
    ),
]
EXTRA_BY_KEY = {column.key: column for column in EXTRA_COLUMNS}
REQUIRED_EXTRA: dict[str, tuple[str, ...]] = {
    RegisterKind.DIBAO: ("included_on",),
    RegisterKind.DESTITUTE: ("included_on",),
    RegisterKind.RELAPSE_WATCH: ("included_on", "watch_type"),
}
_EXTRA_ALIASES = {
    normalise_header(alias): column.key
    for column in EXTRA_COLUMNS
    for alias in (column.header, *column.aliases)
}
DIBAO_CATEGORIES = {
    "低保": Category.DIBAO.value,
    "最低生活保障": Category.DIBAO.value,
    "dibao": Category.DIBAO.value,
    "单人保": Category.INDIVIDUAL_DIBAO.value,
    "individual_dibao": Category.INDIVIDUAL_DIBAO.value,
}
WATCH_TYPES = {str(label): value for value, label in RelapseWatchType.choices}
WATCH_TYPES.update({value: value for value in RelapseWatchType.values})
WATCH_TYPES.update(
    {"脱贫不稳定": "unstable", "边缘易致贫": "at_risk", "突发严重困难": "sudden_hardship"}
)
TYPE_OF_CATEGORY = {
    Category.DIBAO.value: ApplicationType.DIBAO.value,
    Category.INDIVIDUAL_DIBAO.value: ApplicationType.DIBAO.value,
    Category.DESTITUTE.value: ApplicationType.DESTITUTE.value,
}
REASON: dict[str, str] = {
    RegisterKind.DIBAO: "直接纳入：原低保名册",
    RegisterKind.DESTITUTE: "直接纳入：原特困人员名册",
    RegisterKind.RELAPSE_WATCH: "直接纳入：原防止返贫监测对象名册",
}
CARE_TIERS = {str(label): value for value, label in CareTier.choices}
CARE_TIERS.update({value: value for value in CareTier.values})
CARE_TIERS.update({"自理": "self", "完全自理": "self", "部分自理": "partial", "不能自理": "full"})
NOT_A_MEMBER = "该户已登记，但此人不是该户现有成员；请先在家庭档案中调整成员后再导入"


# --- dates ---------------------------------------------------------------------------------------


def parse_date(value: Cell, *, today: dt.date) -> dt.date:
    """A register date: a date cell, or the ways registers write one (``core.dates``); a month
    means its 1st."""
    try:
        day = core_parse_date(value, month_means_first=True)
    except ValueError as exc:
        raise ImportValueError(str(exc)) from exc
    if day > today:
        raise ImportValueError("纳入日期晚于今天")
    if day.year < 1990:
        raise ImportValueError("纳入日期早于 1990 年，不合理")
    return day


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What the register says about one household: a category (of the household, or of one
    member) or an anti-relapse watch, from a date."""

    category: str = ""
    watch_type: str = ""
    member_id_number: str = ""  # for categories that attach to one member
    effective_from: dt.date = dt.date.min
    row: int = 0  # the spreadsheet row the date was read from
    monthly_amount: Decimal | None = None
    care_tier: str = ""

    @property
    def status(self) -> str:
        return self.watch_type or self.category


@dataclass
class InclusionResult(ImportResult):
    kind: str = ""
    included: list[Household] = field(default_factory=list)
    statuses: int = 0  # categories and watches recorded


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


# --- the import ----------------------------------------------------------------------------------


def _finish(checker: _Checker, result: InclusionResult) -> None:
    """One problem per cell (the first found), in sheet order."""
    parsed = checker.parsed
    order = {parsed.header(key): COLUMN_ORDER[key] for key in COLUMN_ORDER}
    order.update(
        {checker.header(c.key): len(COLUMN_ORDER) + i for i, c in enumerate(EXTRA_COLUMNS)}
    )
    seen: set[tuple[int | None, str]] = set()
    problems = []
    for problem in [*parsed.problems, *checker.problems]:
        if (problem.row, problem.column) in seen:
            continue
        seen.add((problem.row, problem.column))
        problems.append(problem)
    problems.sort(key=lambda p: (p.row or 0, order.get(p.column, len(order))))
    result.problems = problems
    result.rows = parsed.rows
    result.households_in_file = len(parsed.groups)
    result.ignored_columns = parsed.ignored_columns


_SERVICE_KEYS = {"members": "head_id", "income": "income_wages"}


def _map_service_problems(
    checker: _Checker, groups: list[Any], problems: list[registry_services.Problem]
) -> None:
    for problem in problems:
        if problem.member is None and problem.field == "relation":
            continue  # "exactly one head": new_household already named the row that is wrong
        group = groups[problem.household]
        row = group.rows[problem.member] if problem.member is not None else group.head_row
        key = _SERVICE_KEYS.get(problem.field, problem.field)
        if key not in COLUMN_BY_KEY:
            key = "head_id"
        checker.problem(row.number, key, row.raw.get(key) or problem.value, problem.reason)


class _Refused(Exception):
    """The determination service refused one household's inclusion while writing."""

    def __init__(self, target: Target, cause: Exception) -> None:
        super().__init__(str(cause))
        self.target = target
        self.cause = cause


REFUSED_FIELDS = {
    "identified_on": "included_on",
    "category": "category",
    "care_tier": "care_tier",
    "person": "beneficiary",
    "type": "category",
}


@dataclass
class _Plan:
    group: Any
    targets: list[Target]
    existing: _Existing | None = None
    household: Household | None = None


def _check_existing(checker: _Checker, plan: _Plan) -> None:
    """Rows must be the household's current members; statuses already current are dropped; a
    status may only follow the open record (the registry keeps history in date order)."""
    found = plan.existing
    assert found is not None
    for row in plan.group.rows:
        if row.id_number and identity.blind_index(row.id_number) not in found.members:
            checker.problem(row.number, "id_number", row.raw["id_number"], NOT_A_MEMBER)
    pending = []
    for target in plan.targets:
        current, since = _current(found, target)
        if current == target.status:
            continue
        if target.category and TYPE_OF_CATEGORY[target.category] in found.open_types:
            checker.problem(
                target.row,
                "head_id",
                plan.group.head_id and plan.group.rows[0].raw.get("head_id", ""),
                "该户有一件办理中的同类申请，请办结或撤回后再直接纳入",
            )
        if since is not None and target.effective_from <= since:
            checker.problem(
                target.row,
                "included_on",
                target.effective_from.isoformat(),
                f"纳入日期须晚于该户当前记录的生效日期 {since.isoformat()}",
            )
        pending.append(target)
    plan.targets = pending


@dataclass
class _Batch:
    """A register's writes, split for the two services, with the row each one came from."""

    inclusions: list[Inclusion] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    watches: list[WatchInclusion] = field(default_factory=list)
    watch_targets: list[Target] = field(default_factory=list)


def _batch(pending: list[_Plan], result: InclusionResult) -> _Batch:
    hashes = {
        identity.blind_index(t.member_id_number)
        for plan in pending
        for t in plan.targets
        if t.member_id_number
    }
    persons = {p.id_number_hash: p for p in Person.objects.filter(id_number_hash__in=hashes)}
    batch = _Batch()
    for plan in pending:
        household = plan.household
        assert household is not None
        for target in plan.targets:
            if target.watch_type:
                batch.watches.append(
                    WatchInclusion(
                        household=household,
                        watch_type=target.watch_type,
                        identified_on=target.effective_from,
                    )
                )
                batch.watch_targets.append(target)
                continue
            person = (
                persons[identity.blind_index(target.member_id_number)]
                if target.member_id_number
                else None
            )
            batch.inclusions.append(
                Inclusion(
                    household=household,
                    type=TYPE_OF_CATEGORY[target.category],
                    identified_on=target.effective_from,
                    person=person,
                    category=target.category,
                    care_tier=target.care_tier,
                    monthly_amount=target.monthly_amount,
                )
            )
            batch.targets.append(target)
        result.included.append(household)
    return batch


def _write(
    *,
    actor: User,
    kind: str,
    plans: list[_Plan],
    new_households: list[HouseholdInput],
    result: InclusionResult,
    client: Client | None,
    channel: str | None,
) -> None:
    created = (
        registry_services.households_create(
            actor=actor, households=new_households, client=client, audit_each=False
        ).households
        if new_households
        else []
    )
    fresh = iter(created)
    for plan in plans:
        plan.household = next(fresh) if plan.existing is None else plan.existing.household
    batch = _batch([plan for plan in plans if plan.targets], result)
    source = f"{REASON[kind]}（{result.file_name}）"[:200]
    try:
        result.statuses += watch_inclusion_many(
            actor=actor, inclusions=batch.watches, source=source, client=client, channel=channel
        )
    except InclusionRefused as exc:
        raise _Refused(batch.watch_targets[exc.index], exc) from exc
    try:
        direct_inclusion_many(
            actor=actor,
            inclusions=batch.inclusions,
            source=source,
            client=client,
            channel=channel,
        )
    except InclusionRefused as exc:
        raise _Refused(batch.targets[exc.index], exc) from exc
    result.statuses += len(batch.inclusions)
    result.created = created
    _audit_import(actor, kind, result, client=client, channel=channel)


def _audit_import(
    actor: User,
    kind: str,
    result: InclusionResult,
    *,
    client: Client | None,
    channel: str | None,
) -> None:
    audit_record(
        actor=actor,
        action=Action.IMPORT,
        object_type="register_inclusion",
        object_id=result.sha256[:16],
        region_code=getattr(actor, "scope_region_id", "") or "",
        summary=(
            f"直接纳入{RegisterKind(kind).label}：{len(result.included)} 户"
            f"（新建档 {len(result.created)} 户，{result.file_name}）"
        )[:300],
        detail={
            "kind": kind,
            "file_name": result.file_name,
            "sha256": result.sha256,
            "rows": result.rows,
            "included": len(result.included),
            "created": len(result.created),
            "unchanged": len(result.unchanged),
            "statuses": result.statuses,
            "household_ids": [h.pk for h in result.included],
        },
        client=client,
        channel=channel,
    )


def _plans(
    actor: User, checker: _Checker, parsed: Any
) -> tuple[list[_Plan], list[Any], list[HouseholdInput]]:
    """Per household of the register what is to be done, and the households to create (checked
    by the registry's own validation, its problems named on their rows)."""
    existing = _existing(actor=actor, head_ids=[g.head_id for g in parsed.groups])
    plans: list[_Plan] = []
    new_groups: list[Any] = []
    new_households: list[HouseholdInput] = []
    for group in parsed.groups:
        plan = _Plan(group=group, targets=checker.targets(group))
        plan.existing = existing.get(group.head_id)
        plans.append(plan)
        if plan.existing is not None:
            _check_existing(checker, plan)
        elif plan.targets:
            new_groups.append(group)
            new_households.append(checker.new_household(group))
    if new_households:
        _map_service_problems(
            checker,
            new_groups,
            registry_services.households_validate(actor=actor, households=new_households),
        )
    return plans, new_groups, new_households


def _write_or_name(checker: _Checker, new_groups: list[Any], **write: Any) -> bool:
    """Write in one transaction; on what only the write can tell, name the row and say so."""
    try:
        with transaction.atomic():
            _write(**write)
    except registry_services.HouseholdValidationError as exc:
        # Someone registered one of these people between validation and writing.
        _map_service_problems(checker, new_groups, exc.problems)
    except (_Refused, registry_services.RegistryError, DeterminationError) as exc:
        # What only the write can tell (a status recorded or an application opened meanwhile,
        # no time limits in force today): everything is rolled back and the row is named.
        target = exc.target if isinstance(exc, _Refused) else None
        cause = exc.cause if isinstance(exc, _Refused) else exc
        key = REFUSED_FIELDS.get(getattr(cause, "field", None) or "", "included_on")
        checker.problem(
            target.row if target else None,
            key,
            target.effective_from.isoformat() if target and key == "included_on" else "",
            str(cause),
        )
    else:
        return True
    return False


def registers_include(
    *,
    actor: User,
    kind: str,
    content: bytes,
    file_name: str,
    client: Client | None = None,
    today: dt.date | None = None,
    on_progress: Callable[[int], None] | None = None,
    on_write: Callable[[int], None] | None = None,
    channel: str | None = None,
) -> InclusionResult:
    """Validate the whole register; if it is clean, create the households not yet registered and
    include every household directly. Nothing is written when there is any problem.

    ``on_progress(rows)`` is told while the file is read, ``on_write(households)`` once before
    the write (which is one transaction: nothing of it is visible until it commits). ``channel``
    names where the import came from in the audit records when there is no ``request``."""
    require_inclusion(actor)
    if kind not in RegisterKind.values:
        raise ValueError(f"unknown register kind {kind!r}")
    today = today or timezone.localdate()
    result = InclusionResult(
        file_name=file_name, sha256=hashlib.sha256(content).hexdigest(), kind=kind
    )
    parsed = parse_file(content=content, file_name=file_name, on_progress=on_progress)
    extras = _read_extras(content, file_name, parsed)
    checker = _Checker(kind=kind, parsed=parsed, extras=extras, today=today)
    if parsed.groups:
        checker.missing_columns(extras.header_row)
    if checker.problems:
        _finish(checker, result)
        return result
    plans, new_groups, new_households = _plans(actor, checker, parsed)
    _finish(checker, result)
    if result.problems:
        return result
    result.unchanged = [p.existing.household.pk for p in plans if p.existing and not p.targets]
    if not any(plan.targets for plan in plans):
        return result
    if on_write is not None:
        on_write(sum(1 for plan in plans if plan.targets))
    written = _write_or_name(
        checker,
        new_groups,
        actor=actor,
        kind=kind,
        plans=[p for p in plans if p.targets],
        new_households=new_households,
        result=result,
        client=client,
        channel=channel,
    )
    if written:
        return result
    result.included, result.created, result.statuses = [], [], 0
    _finish(checker, result)
    return result


# --- the web page's import, as a background job --------------------------------------------------

INCLUSION_JOB_KIND = "determination.register_inclusion"
UPLOADS_DIR = "inclusion-uploads"
# An upload holds plain ID numbers: it is deleted when its job ends, and anything a crashed
# runner left behind goes after a day.
UPLOAD_KEPT = dt.timedelta(days=1)
UPLOAD_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt")
SHOWN = 200  # households and problems listed on the page; the report has every problem
STAGE_READING = "正在读取和校验名册"


def _uploads_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / UPLOADS_DIR


def upload_save(upload: UploadedFile) -> str:
    """Keep an uploaded register for its job under a name nobody can guess; returns its path
    relative to the uploads folder. Uploads older than a day are removed first."""
    folder = _uploads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - UPLOAD_KEPT.total_seconds()
    for old in folder.iterdir():
        if old.is_file() and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ValueError(f"unexpected register suffix {suffix!r}")
    name = f"{uuid.uuid4().hex}{suffix}"
    with (folder / name).open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return name


def registers_include_submit(*, actor: User, kind: str, upload_name: str, file_name: str) -> Job:
    """Queue the inclusion of a saved upload (``upload_save``) and start it in the background;
    the job's result is what the page shows (``inclusion_job_result``)."""
    require_inclusion(actor)
    if kind not in RegisterKind.values:
        raise ValueError(f"unknown register kind {kind!r}")
    job = job_create(
        task=registers_include_task,
        args={"kind": kind, "upload_name": upload_name, "file_name": file_name},
        actor=actor,
    )
    job_run_in_background(job, registers_include_task)
    return job


def inclusion_job_result(*, result: InclusionResult, report_token: str = "") -> dict[str, Any]:
    """The job's result (JSON) from which the page renders the outcome."""
    return {
        "kind": result.kind,
        "kind_label": str(RegisterKind(result.kind).label),
        "file_name": result.file_name,
        "ok": result.ok,
        "rows": result.rows,
        "included": len(result.included),
        "created": len(result.created),
        "unchanged": len(result.unchanged),
        "households": [
            {
                "id": household.pk,
                "name": household.head.name if household.head else "",
                "members": household.member_count,
            }
            for household in result.included[:SHOWN]
        ],
        "unchanged_ids": result.unchanged[:SHOWN],
        "problem_count": len(result.problems),
        "problems": [
            {"row": p.row_label, "column": p.column, "value": p.value, "reason": p.reason}
            for p in result.problems[:SHOWN]
        ],
        "report_token": report_token,
        "ignored_columns": list(result.ignored_columns),
    }


@task(kind=INCLUSION_JOB_KIND, result_template="determination/inclusion_result.html")
def registers_include_task(
    *, job: Job, progress: ProgressFn, kind: str, upload_name: str, file_name: str
) -> dict[str, Any]:
    path = _uploads_dir() / Path(upload_name).name
    try:
        if not path.is_file():
            raise JobError("上传的名册文件已不存在（可能已超过保留期限被删除），请重新上传")
        actor = job.created_by
        if actor is None or not actor.is_active:
            raise JobError("提交该导入的账号已不存在或已停用，请重新上传")
        content = path.read_bytes()
        progress(0, 0, STAGE_READING)
        result = registers_include(
            actor=actor,
            kind=kind,
            content=content,
            file_name=file_name,
            on_progress=lambda rows: progress(rows, 0, f"{STAGE_READING}（已读取 {rows} 行）"),
            on_write=lambda households: progress(0, households, f"正在写入 {households} 户"),
            channel="web",  # run by a job, without the request: the upload came from the page
        )
    except PermissionDenied as exc:
        raise JobError(str(exc)) from exc
    finally:
        path.unlink(missing_ok=True)
    token = ""
    if not result.ok:
        report = imports.error_report_workbook(file_name=file_name, problems=result.problems)
        token = imports.report_save(user=actor, content=report)
    return inclusion_job_result(result=result, report_token=token)
