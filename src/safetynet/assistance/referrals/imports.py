"""A department's feedback file (a list of people helped; CSV in UTF-8 or GBK, or XLSX) imported
like a batch with feeds' readers: each row matched to the household by the ID number's blind
index, then to the department's open referral of the same item (answered) or else recorded as
help reported without a referral. Unmatched rows are reported with their reason; each row's key
(a hash of its identifying values) is stored, so importing the same file again writes nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction

from safetynet.accounts.models import User
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.assistance import catalogue
from safetynet.assistance.models import (
    WAITING_STATUSES,
    AssistanceRecord,
    RecordSource,
    Referral,
)
from safetynet.assistance.referrals import selectors
from safetynet.assistance.referrals.services import (
    AssistanceError,
    Given,
    record_report,
    referral_answer,
)
from safetynet.audit.models import Action
from safetynet.audit.services import audit_record
from safetynet.core.dates import parse_date
from safetynet.feeds.catalogue import ID_ALIASES, ColumnKind, ColumnSpec, SourceSpec
from safetynet.feeds.importing.readers import read_table
from safetynet.registry import identity

FEEDBACK_SPEC = SourceSpec(
    code="assistance_feedback",
    name="部门救助帮扶反馈",
    department="civil_affairs",
    description="部门实施救助帮扶后反馈的受助人员名单（五(二)）",
    columns=(
        ColumnSpec("id_number", "身份证号", ColumnKind.ID_NUMBER, aliases=ID_ALIASES),
        ColumnSpec("name", "姓名", ColumnKind.TEXT, required=False),
        ColumnSpec("item", "帮扶项目", ColumnKind.TEXT, aliases=("救助项目", "项目")),
        ColumnSpec("kind", "帮扶内容", ColumnKind.TEXT, required=False, aliases=("救助内容",)),
        ColumnSpec(
            "amount", "金额", ColumnKind.DECIMAL, required=False, aliases=("金额(元)", "救助金额")
        ),
        ColumnSpec("given_on", "实施日期", ColumnKind.DATE, aliases=("发放日期", "救助日期")),
        ColumnSpec("period_from", "期间起", ColumnKind.DATE, required=False),
        ColumnSpec("period_to", "期间止", ColumnKind.DATE, required=False),
        ColumnSpec("referral", "转办编号", ColumnKind.TEXT, required=False),
        ColumnSpec("note", "备注", ColumnKind.TEXT, required=False, aliases=("说明",)),
    ),
    keeps_name=True,
)


@dataclass
class ImportResult:
    answered: int = 0
    reported: int = 0
    unchanged: int = 0
    unmatched: list[tuple[int, str]] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return (
            f"answered={self.answered} reported={self.reported} "
            f"unchanged={self.unchanged} unmatched={len(self.unmatched)}"
        )


def _item_of(text: str, department: str) -> str | None:
    text = text.strip()
    for entry in catalogue.items():
        if entry.department == department and text in (entry.code, entry.name):
            return entry.code
    for entry in catalogue.items():  # a short name: 医疗救助 for the full catalogue name
        if entry.department == department and text and entry.name.startswith(text):
            return entry.code
    return None


def _decimal(text: str) -> Decimal | None:
    text = text.replace(",", "").replace("，", "").strip()
    if not text:
        return None
    return Decimal(text)


def _row_key(department: str, id_hash: str, row: dict[str, Any]) -> str:
    parts = [department, id_hash] + [
        str(row.get(name, "")).strip() for name in ("item", "kind", "amount", "given_on")
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def feedback_import(*, actor: User, path: Path) -> ImportResult:
    """Import ``path`` as ``actor``'s department's feedback."""
    require(actor, Capability.HANDLE_REFERRALS)
    raw = read_table(path, FEEDBACK_SPEC)
    result = ImportResult()
    department = actor.department
    for row in raw.table.to_pylist():
        line = int(row["row_number"])
        try:
            _import_row(actor, department, row, result)
        except AssistanceError as exc:
            result.unmatched.append((line, exc.message))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=Action.IMPORT,
            object_type="assistance.AssistanceRecord",
            summary=f"导入部门帮扶反馈文件 {path.name}：{result.summary}",
            detail={"file": path.name, "unmatched": len(result.unmatched)},
        )
    return result


def _import_row(actor: User, department: str, row: dict[str, Any], result: ImportResult) -> None:
    number = identity.full_id_number(str(row.get("id_number") or ""))
    if not number:
        raise AssistanceError("身份证号无效")
    household = selectors.household_by_id_number(user=actor, number=number)
    if household is None:
        raise AssistanceError("未找到该身份证号的在库家庭，或不在管辖范围内")
    item = _item_of(str(row.get("item") or ""), department)
    if item is None:
        raise AssistanceError("帮扶项目不是本部门帮扶目录中的项目")
    try:
        amount = _decimal(str(row.get("amount") or ""))
    except InvalidOperation as exc:
        raise AssistanceError(f"金额无法识别：{row.get('amount')}") from exc
    try:
        given = Given(
            kind=str(row.get("kind") or "").strip() or catalogue.item_name(item),
            given_on=parse_date(str(row.get("given_on") or "")),
            amount=amount,
            period_from=parse_date(row["period_from"]) if row.get("period_from") else None,
            period_to=parse_date(row["period_to"]) if row.get("period_to") else None,
            note=str(row.get("note") or ""),
        )
    except ValueError as exc:
        raise AssistanceError(f"日期无法识别：{exc}") from exc
    key = _row_key(department, identity.blind_index(number), row)
    if AssistanceRecord.objects.filter(department=department, external_ref=key).exists():
        result.unchanged += 1
        return
    referrals = Referral.objects.filter(
        household=household, item=item, department=department, status__in=WAITING_STATUSES
    )
    wanted = str(row.get("referral") or "").strip().lstrip("#")
    if wanted.isdigit():
        referrals = referrals.filter(pk=int(wanted))
    referral = referrals.order_by("id").first()
    if referral is not None:
        referral_answer(
            actor=actor,
            referral=referral,
            given=given,
            on=given.given_on,
            source=RecordSource.IMPORT,
            external_ref=key,
        )
        result.answered += 1
    else:
        record_report(
            actor=actor,
            household=household,
            item=item,
            given=given,
            source=RecordSource.IMPORT,
            external_ref=key,
        )
        result.reported += 1
