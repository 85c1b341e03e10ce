"""The import of a checked register: households created where new, each one's category or
watch recorded from the register's date in batches, one audit record."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.determination.common import DeterminationError
from safetynet.determination.inclusion.checking import (
    _Checker,
    _current,
    _Existing,
    _existing,
    _read_extras,
)
from safetynet.determination.inclusion.columns import (
    EXTRA_COLUMNS,
    NOT_A_MEMBER,
    REASON,
    TYPE_OF_CATEGORY,
    InclusionResult,
    RegisterKind,
    Target,
    require_inclusion,
)
from safetynet.determination.inclusion.services import (
    Inclusion,
    InclusionRefused,
    direct_inclusion_many,
)
from safetynet.determination.inclusion.watches import WatchInclusion, watch_inclusion_many
from safetynet.registry import identity
from safetynet.registry import services as registry_services
from safetynet.registry.import_format import (
    COLUMN_BY_KEY,
    COLUMN_ORDER,
)
from safetynet.registry.imports import (
    parse_file,
)
from safetynet.registry.inputs import HouseholdInput
from safetynet.registry.models import (
    Household,
    Person,
)

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
