"""Home checks (三(三)): recording a visit and its one outcome, random survey draws, contracted
visits assigned to a social organisation, and the escalation of overdue checks to the county.

Outcomes:
- confirmed: the family was told the policies; if it wishes, an application opens for the
  household (determination's public service), its reason pre-filled from the alert;
- referred: to the department for the hardship type (recorded; delivery is the assistance work);
- no change;
- data wrong: the alert's evidence rows are flagged back to their source batch (``DataFlag``);
- may no longer qualify: a termination starts into the review procedure (determination);
- special: a county coordination case (一事一议).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.permissions import allowed, require
from safetynet.accounts.roles import Capability
from safetynet.audit.models import Action
from safetynet.audit.services import audit_record
from safetynet.monitoring.checks import handoff
from safetynet.monitoring.common import (
    REFERRAL_DEPARTMENTS,
    AlertStatus,
    CheckKind,
    CheckStatus,
    Outcome,
)
from safetynet.monitoring.models import (
    Alert,
    CoordinationCase,
    DataFlag,
    HomeCheck,
    SurveyDraw,
    Visit,
    VisitPhoto,
)
from safetynet.policy.calendar.workdays import add_working_days, working_days_between
from safetynet.regions.models import Level, Region
from safetynet.registry.models import Household

MAX_PHOTO_BYTES = 10 << 20
# A photo's type is read from its first bytes, as attachments' are (issue 12), never from the
# name or the browser's claim; the stored file is named by that type.
PHOTO_SIGNATURES = {b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}
PHOTO_TYPES = tuple(PHOTO_SIGNATURES)


def photo_extension(content: bytes) -> str | None:
    return next((ext for magic, ext in PHOTO_SIGNATURES.items() if content.startswith(magic)), None)


class CheckError(Exception):
    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class VisitInput:
    visited_on: dt.date
    staff: list[str]
    findings: str
    outcome: str
    referral_department: str = ""
    open_application: bool = False
    application_type: str = "dibao"
    termination_reason: str = ""
    special_summary: str = ""
    data_wrong_reason: str = ""
    photos: list[tuple[str, bytes]] = field(default_factory=list)


def may_record(actor: User, check: HomeCheck) -> bool:
    if check.assigned_to_id is not None and check.assigned_to_id == actor.pk:
        return allowed(actor, Capability.RECORD_CONTRACTED_VISITS)
    return allowed(actor, Capability.RECORD_HOME_CHECKS)


def _require_recorder(actor: User, check: HomeCheck) -> None:
    if check.assigned_to_id is not None and check.assigned_to_id == actor.pk:
        require(actor, Capability.RECORD_CONTRACTED_VISITS, check)
    else:
        require(actor, Capability.RECORD_HOME_CHECKS, check)


def _validate(data: VisitInput, check: HomeCheck) -> None:
    if data.outcome not in Outcome.values:
        raise CheckError("请选择核查结论", field="outcome")
    if data.visited_on > timezone.localdate():
        raise CheckError("走访日期不能晚于今天", field="visited_on")
    if data.visited_on < check.created_on:
        raise CheckError("走访日期不能早于派发日期", field="visited_on")
    if not [s for s in data.staff if s.strip()]:
        raise CheckError("请填写走访人员", field="staff")
    if not data.findings.strip():
        raise CheckError("请填写核查情况", field="findings")
    needs_household = data.outcome == Outcome.MAY_NOT_QUALIFY or (
        data.outcome == Outcome.CONFIRMED and data.open_application
    )
    if needs_household and check.household_id is None:
        raise CheckError("该对象尚未登记入库，请先登记家庭", field="outcome")
    if data.outcome == Outcome.MAY_NOT_QUALIFY and not data.termination_reason.strip():
        raise CheckError("请填写拟终止救助的理由", field="termination_reason")
    if data.outcome == Outcome.SPECIAL and not data.special_summary.strip():
        raise CheckError("请填写提请县级一事一议的情况", field="special_summary")
    if data.outcome == Outcome.DATA_WRONG:
        if check.alert_id is None:
            raise CheckError("只有预警核查可退回数据来源", field="outcome")
        if not data.data_wrong_reason.strip():
            raise CheckError("请说明数据错误之处", field="data_wrong_reason")
    for name, content in data.photos:
        if len(content) > MAX_PHOTO_BYTES or not content.startswith(PHOTO_TYPES):
            raise CheckError(f"照片须为 10MB 以内的 JPEG 或 PNG：{name}", field="photos")


def visit_record(*, actor: User, check: HomeCheck, data: VisitInput) -> Visit:
    """Record the visit of ``check`` and carry out its outcome, all in one transaction."""
    _require_recorder(actor, check)
    _validate(data, check)
    with transaction.atomic():
        locked = (
            HomeCheck.objects.select_for_update(of=("self",))
            .select_related("alert", "household")
            .get(pk=check.pk)
        )
        if locked.status != CheckStatus.DUE:
            raise CheckError("该核查已走访或已撤销")
        alert = locked.alert
        visit = Visit.objects.create(
            home_check=locked,
            visited_on=data.visited_on,
            staff=[s.strip() for s in data.staff if s.strip()],
            findings=data.findings.strip(),
            outcome=data.outcome,
            recorded_by=actor,
            working_days=working_days_between(alert.raised_on, data.visited_on) if alert else None,
        )
        for name, content in data.photos:
            photo = VisitPhoto(visit=visit, sha256=hashlib.sha256(content).hexdigest())
            stem = Path(name).stem[:60] or "photo"
            photo.file.save(f"{stem}.{photo_extension(content)}", ContentFile(content), save=True)
        _carry_out(actor, visit, locked, data)
        locked.status = CheckStatus.DONE
        locked.save(update_fields=["status"])
        if alert is not None:
            Alert.objects.filter(pk=alert.pk).update(
                status=AlertStatus.DONE, closed_on=data.visited_on
            )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="monitoring.Visit",
            object_id=visit.pk,
            region_code=locked.region_code,
            summary=f"入户核查：{visit.get_outcome_display()}",
            detail={"check": locked.pk, "outcome": data.outcome},
        )
    return visit


def _carry_out(actor: User, visit: Visit, check: HomeCheck, data: VisitInput) -> None:
    household: Household | None = check.household
    alert = check.alert
    reason = alert.summary if alert else "随机调查走访"
    fields: list[str] = []
    try:
        if data.outcome == Outcome.CONFIRMED and data.open_application and household:
            visit.application_id = handoff.application_open(
                actor=actor,
                household=household,
                type=data.application_type,
                reason=f"动态监测预警核查确有困难：{reason}",
            )
            fields.append("application_id")
        elif data.outcome == Outcome.MAY_NOT_QUALIFY and household:
            visit.termination_id = handoff.termination_propose(
                actor=actor, household=household, reason=data.termination_reason.strip()
            )
            fields.append("termination_id")
    except handoff.HandoffError as exc:
        raise CheckError(str(exc), field="outcome") from exc
    if data.outcome == Outcome.REFERRED:
        hardship = alert.hardship_type if alert else ""
        visit.referral_department = data.referral_department or REFERRAL_DEPARTMENTS.get(
            hardship, "civil_affairs"
        )
        fields.append("referral_department")
    elif data.outcome == Outcome.DATA_WRONG and alert is not None:
        DataFlag.objects.bulk_create(
            DataFlag(
                visit=visit,
                region_code=check.region_code,
                source=row["source"],
                batch_id=row["batch"],
                row_number=row["row"],
                reason=data.data_wrong_reason.strip(),
            )
            for row in alert.evidence
        )
    elif data.outcome == Outcome.SPECIAL:
        CoordinationCase.objects.create(
            visit=visit,
            region_code=check.region_code,
            county_code=check.region_code[:6].ljust(12, "0"),
            summary=data.special_summary.strip(),
        )
    if fields:
        visit.save(update_fields=fields)


# --- random surveys and contracted visits ---------------------------------------------------------


def survey_draw(
    *,
    actor: User,
    county: Region,
    per_township: int,
    seed: int,
    on: dt.date | None = None,
    working_days: int = 20,
) -> SurveyDraw:
    """A reproducible sample of watched households (any category or watch flag) per township of
    ``county``: the same seed over the same households draws the same sample."""
    require(actor, Capability.ASSIGN_HOME_CHECKS, county)
    if county.level != Level.COUNTY:
        raise CheckError("随机调查由县级抽取", field="county")
    if not 1 <= per_township <= 1000:
        raise CheckError("每乡镇抽取户数应在 1 至 1000 之间", field="per_township")
    on = on or timezone.localdate()
    lo, hi = county.prefix.ljust(12, "0"), county.prefix.ljust(12, "9")
    rows = (
        Household.objects.filter(region_id__gte=lo, region_id__lte=hi)
        .exclude(category="", relapse_watch="")
        .order_by("id")
        .values_list("id", "region_id")
    )
    by_township: dict[str, list[tuple[int, str]]] = {}
    for pk, region in rows.iterator(chunk_size=5000):
        by_township.setdefault(region[:9], []).append((pk, region))
    rng = random.Random(seed)
    chosen: list[tuple[int, str]] = []
    for township in sorted(by_township):
        households = by_township[township]
        chosen.extend(rng.sample(households, min(per_township, len(households))))
    due = add_working_days(on, working_days)
    with transaction.atomic():
        draw = SurveyDraw.objects.create(
            county_code=county.code,
            seed=seed,
            per_township=per_township,
            drawn_on=on,
            households=[pk for pk, _ in chosen],
            drawn_by=actor,
        )
        HomeCheck.objects.bulk_create(
            HomeCheck(
                kind=CheckKind.SURVEY,
                survey=draw,
                household_id=pk,
                region_code=region,
                township_code=region[:9].ljust(12, "0"),
                created_on=on,
                due_on=due,
            )
            for pk, region in chosen
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="monitoring.SurveyDraw",
            object_id=draw.pk,
            region_code=county.code,
            summary=f"随机调查抽样：{len(chosen)} 户（种子 {seed}）",
        )
    return draw


def check_assign(*, actor: User, check: HomeCheck, organisation: User) -> HomeCheck:
    """Hand a check to a contracted social organisation (政府购买服务); it then sees and
    records only the checks assigned to it."""
    require(actor, Capability.ASSIGN_HOME_CHECKS, check)
    if not organisation.has_capability(Capability.RECORD_CONTRACTED_VISITS):
        raise CheckError("只能委托给社会组织账号", field="organisation")
    if check.status != CheckStatus.DUE:
        raise CheckError("该核查已走访或已撤销")
    with transaction.atomic():
        check.assigned_to = organisation
        if check.kind == CheckKind.SURVEY:
            check.kind = CheckKind.CONTRACTED
        check.save(update_fields=["assigned_to", "kind"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="monitoring.HomeCheck",
            object_id=check.pk,
            region_code=check.region_code,
            summary=f"委托社会组织走访：{organisation.get_full_name() or organisation.username}",
        )
    return check


def escalate_overdue(*, on: dt.date) -> int:
    """Overdue checks go to the county's queue (and the workbench): marked once, on the day
    they were found overdue."""
    return HomeCheck.objects.filter(
        status=CheckStatus.DUE, due_on__lt=on, escalated_on__isnull=True
    ).update(escalated_on=on)


def periodic_checks_create(*, on: dt.date, months: int) -> int:
    """二(二): near-dibao and expenditure-hardship households get a periodic check every
    ``months`` months from their determination; creates those that have fallen due (one open
    check per household at a time)."""
    from safetynet.monitoring.scan.rules import months_back
    from safetynet.registry.models import CategoryStatus

    cutoff = months_back(on, months)
    open_checks = HomeCheck.objects.filter(kind=CheckKind.PERIODIC, status=CheckStatus.DUE)
    last_done = {
        pk: day
        for pk, day in HomeCheck.objects.filter(
            kind=CheckKind.PERIODIC, status=CheckStatus.DONE
        ).values_list("household_id", "created_on")
    }
    due = (
        CategoryStatus.objects.filter(
            category__in=("near_dibao", "expenditure_hardship"),
            effective_to__isnull=True,
            person__isnull=True,
            effective_from__lte=cutoff,
        )
        .exclude(household_id__in=open_checks.values("household_id"))
        .values_list("household_id", "household__region_id", "effective_from")
    )
    checks = []
    due_on = add_working_days(on, 20)
    for household_id, region, _since in due.iterator(chunk_size=5000):
        if last_done.get(household_id, dt.date.min) > cutoff:
            continue
        checks.append(
            HomeCheck(
                kind=CheckKind.PERIODIC,
                household_id=household_id,
                region_code=region,
                township_code=region[:9].ljust(12, "0"),
                created_on=on,
                due_on=due_on,
            )
        )
    HomeCheck.objects.bulk_create(checks, batch_size=1000)
    return len(checks)
