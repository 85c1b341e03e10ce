"""The import itself: households already registered, the registry's validation, the write."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction

from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import scope_queryset
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.core.chunks import chunked
from safetynet.registry import identity, services
from safetynet.registry.import_format import (
    COLUMN_ORDER,
)
from safetynet.registry.imports.common import (
    ImportResult,
    ParsedFile,
    RowProblem,
    _Group,
)
from safetynet.registry.imports.parsing import (
    _check_group,
    _RowParser,
    parse_file,
)
from safetynet.registry.inputs import HouseholdInput
from safetynet.registry.models import Household, Membership
from safetynet.registry.relations import HEAD

if TYPE_CHECKING:
    from safetynet.accounts.models import User


ALREADY_REGISTERED = "该户已登记，如需修改请在系统中编辑"


def _existing_households(*, actor: User, groups: list[_Group]) -> dict[str, Household]:
    """Head ID number -> the in-scope current household that person already heads."""
    by_hash = {identity.blind_index(group.head_id): group.head_id for group in groups}
    heads: dict[int, str] = {}
    for chunk in chunked(list(by_hash)):
        for digest, household_id in Membership.objects.filter(
            left_on__isnull=True, relation=HEAD, person__id_number_hash__in=chunk
        ).values_list("person__id_number_hash", "household_id"):
            heads[household_id] = by_hash[digest]
    households = scope_queryset(Household.objects.filter(pk__in=list(heads)), user=actor)
    return {heads[household.pk]: household for household in households}


def _compare_existing(
    parser: _RowParser, group: _Group, household: Household, members: dict[str, str]
) -> bool:
    """True if every row of the file is already a current member with the same relation."""
    same = True
    head_rows = [row for row in group.rows if row.id_number == group.head_id]
    region = head_rows[0].region_code if head_rows else ""
    if region and region != household.region_id:
        parser.problem(head_rows[0].number, "region_code", region, ALREADY_REGISTERED)
        same = False
    for row in group.rows:
        if row.id_number is None:
            continue
        relation = members.get(identity.blind_index(row.id_number))
        if relation is None:
            parser.problem(row.number, "id_number", row.raw["id_number"], ALREADY_REGISTERED)
            same = False
        elif relation != row.member.relation:
            parser.problem(row.number, "relation", row.raw.get("relation", ""), ALREADY_REGISTERED)
            same = False
    return same


_SERVICE_FIELDS = {"members": "head_id", "income": "income_wages"}


def _map_service_problems(
    parsed: ParsedFile, groups: list[_Group], problems: list[services.Problem]
) -> list[RowProblem]:
    mapped = []
    for problem in problems:
        if problem.member is None and problem.field == "relation":
            continue  # "exactly one head": _check_group already named the row that is wrong
        group = groups[problem.household]
        row = group.rows[problem.member] if problem.member is not None else group.head_row
        row = row or group.rows[0]
        key = _SERVICE_FIELDS.get(problem.field, problem.field)
        value = row.raw.get(key) or problem.value
        mapped.append(RowProblem(row.number, parsed.header(key), value, problem.reason))
    return mapped


def _finish(parsed: ParsedFile, result: ImportResult, extra: list[RowProblem]) -> ImportResult:
    """One problem per cell (the first found, which is the most specific), in sheet order."""
    order = {parsed.header(key): COLUMN_ORDER[key] for key in COLUMN_ORDER}
    seen: set[tuple[int | None, str]] = set()
    problems = []
    for problem in [*parsed.problems, *extra]:
        if (problem.row, problem.column) in seen:
            continue
        seen.add((problem.row, problem.column))
        problems.append(problem)
    problems.sort(key=lambda p: (p.row or 0, order.get(p.column, len(order))))
    result.problems = problems
    result.rows = parsed.rows
    result.households_in_file = len(parsed.groups)
    result.ignored_columns = parsed.ignored_columns
    return result


def households_import(
    *,
    actor: User,
    content: bytes,
    file_name: str,
    client: Client | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Validate the whole file; if it is clean, create the new households and write one audit
    record. Nothing is written when there is any problem or when every household is unchanged."""
    services.require(actor, Capability.IMPORT_HOUSEHOLDS)
    result = ImportResult(file_name=file_name, sha256=hashlib.sha256(content).hexdigest())
    parsed = parse_file(content=content, file_name=file_name, on_progress=on_progress)
    parser = _RowParser(parsed, {})
    existing = _existing_households(actor=actor, groups=parsed.groups) if parsed.groups else {}
    members: dict[int, dict[str, str]] = {household.pk: {} for household in existing.values()}
    for household_id, digest, relation in Membership.objects.filter(
        household_id__in=list(members), left_on__isnull=True
    ).values_list("household_id", "person__id_number_hash", "relation"):
        members[household_id][digest] = relation
    new_groups: list[_Group] = []
    new_households: list[HouseholdInput] = []
    for group in parsed.groups:
        household = existing.get(group.head_id)
        if household is not None:
            if _compare_existing(parser, group, household, members[household.pk]):
                result.unchanged.append(household.pk)
            continue
        household_input = _check_group(parser, group)
        if household_input is not None:
            new_groups.append(group)
            new_households.append(household_input)
    service_problems = (
        services.households_validate(actor=actor, households=new_households)
        if new_households
        else []
    )
    _finish(parsed, result, _map_service_problems(parsed, new_groups, service_problems))
    if result.problems or not new_households:
        return result
    try:
        with transaction.atomic():
            created = services.households_create(
                actor=actor, households=new_households, client=client, audit_each=False
            ).households
            audit_record(
                actor=actor,
                action=Action.IMPORT,
                object_type="household_import",
                object_id=result.sha256[:16],
                region_code=getattr(actor, "scope_region_id", "") or "",
                summary=f"批量导入家庭：新建 {len(created)} 户（{file_name}）"[:300],
                detail={
                    "file_name": file_name,
                    "sha256": result.sha256,
                    "rows": parsed.rows,
                    "households_in_file": len(parsed.groups),
                    "created": len(created),
                    "unchanged": len(result.unchanged),
                    "persons": sum(len(h.members) for h in new_households),
                    "household_ids": [household.pk for household in created],
                },
                client=client,
            )
    except services.HouseholdValidationError as exc:
        # Someone registered one of these people between validation and writing.
        _finish(parsed, result, _map_service_problems(parsed, new_groups, exc.problems))
        return result
    result.created = created
    return result
