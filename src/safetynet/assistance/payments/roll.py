"""The monthly payment roll (发放名册) of a county: every dibao, 单人保 and destitute household's
amount for the month from its decision and reviews (determination's ``amount_history``), with
the change since the month before, and totals that reconcile: this month = last month + new −
ended ± changed. Set-based: a handful of queries for the whole county, none per household.

The bank file (一卡通) carries the whole account number; the Excel roll only the masked one.
Both are background jobs (``roll_xlsx_export``, ``roll_bank_export``) written by streaming
writers: openpyxl's write-only roll took 101 s for 100,000 households.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.assistance.models import PaidLine, PaidRoll, PaymentAccount
from safetynet.audit.models import Action
from safetynet.audit.services import audit_record
from safetynet.core.chunks import chunked
from safetynet.determination.selectors import AmountChange, amount_history
from safetynet.jobs.exports import Written, export
from safetynet.jobs.tasks import ProgressFn
from safetynet.regions.codes import prefix_bounds
from safetynet.regions.models import Level, Region
from safetynet.registry import keyring
from safetynet.registry.choices import Category
from safetynet.registry.models import Household
from safetynet.spreadsheets import StreamingCsv, StreamingXlsx, exporter_label

ZERO = Decimal("0.00")


class Change:
    NEW = "new"
    ENDED = "ended"
    CHANGED = "changed"
    SAME = "same"
    LABELS = {"new": "新增", "ended": "停发", "changed": "金额变更", "same": "无变化"}


@dataclass
class RollRow:
    household_id: int
    region_code: str
    payee: str
    account_masked: str
    bank: str
    amount: Decimal
    previous: Decimal
    category: str
    change: str

    @property
    def category_label(self) -> str:
        return str(Category(self.category).label) if self.category in Category.values else ""

    @property
    def change_label(self) -> str:
        return Change.LABELS[self.change]


@dataclass
class PaymentRoll:
    county: Region
    month: dt.date
    rows: list[RollRow] = field(default_factory=list)
    previous_total: Decimal = ZERO
    total: Decimal = ZERO
    new: Decimal = ZERO
    ended: Decimal = ZERO
    changed: Decimal = ZERO
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def reconciles(self) -> bool:
        return self.previous_total + self.new - self.ended + self.changed == self.total


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def previous_month(month: dt.date) -> dt.date:
    return (month - dt.timedelta(days=1)).replace(day=1)


def amounts_on(
    changes: Iterable[AmountChange], months: tuple[dt.date, ...]
) -> dict[dt.date, dict[int, tuple[Decimal, str]]]:
    """Household → (amount, category) in force in each of ``months`` (changes sorted by
    household, date, order: the last one starting on or before the month wins)."""
    found: dict[dt.date, dict[int, tuple[Decimal, str]]] = {m: {} for m in months}
    for change in changes:
        for month in months:
            if change.starts <= month:
                if change.amount is None:
                    found[month].pop(change.household_id, None)
                else:
                    found[month][change.household_id] = (change.amount, change.category)
    return found


def payment_roll(*, actor: User, county: Region, month: dt.date) -> PaymentRoll:
    require(actor, Capability.VIEW_PAYMENTS, county)
    if county.level != Level.COUNTY:
        raise ValueError("发放名册按县(市、区)编制")
    month = first_of_month(month)
    before = previous_month(month)
    changes = amount_history(prefix=county.prefix, until=month)
    amounts = amounts_on(changes, (month, before))
    now, then = amounts[month], amounts[before]
    roll = PaymentRoll(county=county, month=month)
    ids = sorted(set(now) | set(then))
    wanted = set(ids)
    households: dict[int, tuple[str, str]] = {}
    accounts: dict[int, tuple[str, str, str]] = {}
    if ids:
        # By the county's code range (and the ids' range), not by lists of ids: one pass each.
        lo, hi = prefix_bounds(county.prefix)
        rows = Household.objects.filter(
            region_id__gte=lo, region_id__lte=hi, pk__gte=ids[0], pk__lte=ids[-1]
        ).values_list("id", "region_id", "head__name")
        households = {
            pk: (region, name or "")
            for pk, region, name in rows.iterator(chunk_size=10000)
            if pk in wanted
        }
        held = PaymentAccount.objects.filter(region_code__gte=lo, region_code__lte=hi)
        accounts = {
            pk: (payee, masked, bank)
            for pk, payee, masked, bank in held.values_list(
                "household_id", "payee_name", "account_masked", "bank"
            ).iterator(chunk_size=10000)
            if pk in wanted
        }
    counts = dict.fromkeys(Change.LABELS, 0)
    for pk in ids:
        amount, category = now.get(pk, (ZERO, ""))
        previous, old_category = then.get(pk, (ZERO, ""))
        if pk not in then:
            change = Change.NEW
            roll.new += amount
        elif pk not in now:
            change = Change.ENDED
            roll.ended += previous
        elif amount != previous:
            change = Change.CHANGED
            roll.changed += amount - previous
        else:
            change = Change.SAME
        counts[change] += 1
        region, head = households.get(pk, ("", ""))
        payee, masked, bank = accounts.get(pk, (head, "", ""))
        roll.rows.append(
            RollRow(
                household_id=pk,
                region_code=region,
                payee=payee,
                account_masked=masked,
                bank=bank,
                amount=amount,
                previous=previous,
                category=category or old_category,
                change=change,
            )
        )
        roll.total += amount
        roll.previous_total += previous
    roll.counts = counts
    roll.rows.sort(key=lambda r: (r.region_code, r.household_id))
    return roll


HEADERS = [
    "家庭编号",
    "所属村(居)",
    "收款人",
    "开户银行",
    "账号",
    "救助类别",
    "本月金额(元)",
    "上月金额(元)",
    "变化",
]


def _cells(row: RollRow, categories: dict[str, str]) -> list[object]:
    return [
        row.household_id,
        row.region_code,
        row.payee,
        row.bank,
        row.account_masked,
        categories.get(row.category, ""),
        row.amount,
        row.previous,
        Change.LABELS[row.change],
    ]


def roll_write_xlsx(
    *, roll: PaymentRoll, out: IO[bytes] | str, exported_by: str | None = None
) -> int:
    """The Excel roll (streamed, write-only): the paid households, the reconciliation, the
    households ended this month. Returns the rows of the roll."""
    categories = {value: str(label) for value, label in Category.choices}
    with StreamingXlsx(
        out, title=f"{roll.month:%Y年%m月}发放名册", exported_by=exported_by
    ) as book:
        book.append(
            [
                f"{roll.county.full_name} {roll.month:%Y年%m月} "
                "最低生活保障、特困人员救助供养金发放名册"
            ]
        )
        book.append(HEADERS)
        paid = 0
        for row in roll.rows:
            if row.change != Change.ENDED:
                paid += 1
                book.append(_cells(row, categories))
        book.add_sheet("对账")
        book.append(["上月合计", roll.previous_total])
        book.append([f"新增（{roll.counts.get(Change.NEW, 0)} 户）", roll.new])
        book.append([f"停发（{roll.counts.get(Change.ENDED, 0)} 户）", -roll.ended])
        book.append([f"金额变更（{roll.counts.get(Change.CHANGED, 0)} 户）", roll.changed])
        book.append(["本月合计", roll.total])
        book.add_sheet("本月停发")
        book.append(HEADERS)
        for row in roll.rows:
            if row.change == Change.ENDED:
                book.append(_cells(row, categories))
    return paid


def roll_write_bank(*, actor: User, roll: PaymentRoll, out: str | Path) -> int:
    """The bank's file: payee, whole account number, amount; only households paid this month,
    only those with an account (the rest are listed on the page to be completed). GBK, no
    footer and no formula escaping: the bank's system reads it back as it is. Returns the
    households in it."""
    require(actor, Capability.EXPORT_PAYMENTS, roll.county)
    paid = [r.household_id for r in roll.rows if r.amount > 0]
    numbers: dict[int, str] = {}
    for chunk in chunked(paid, 5000):
        numbers.update(
            (pk, keyring.decrypt(token))
            for pk, token in PaymentAccount.objects.filter(household_id__in=chunk).values_list(
                "household_id", "account_encrypted"
            )
        )
    categories = {value: str(label) for value, label in Category.choices}
    number = 0
    with StreamingCsv(
        out, encoding="gbk", errors="replace", watermark=False, escape_text=False
    ) as sheet:
        sheet.append(["序号", "收款人", "账号", "金额", "摘要"])
        for row in roll.rows:
            if row.amount <= 0 or row.household_id not in numbers:
                continue
            number += 1
            sheet.append(
                [
                    number,
                    row.payee,
                    numbers[row.household_id],
                    f"{row.amount:.2f}",
                    f"{roll.month:%Y年%m月}{categories.get(row.category, '')}金",
                ]
            )
    return number


def roll_for(user: User, params: dict[str, str]) -> PaymentRoll:
    """The roll of ``params`` (county: 6 digits, month: YYYY-MM), checked as the page checks it."""
    code = str(params.get("county", ""))
    county = Region.objects.filter(code=code.ljust(12, "0"), level=Level.COUNTY).first()
    if not code.isdigit() or len(code) != 6 or county is None:
        raise Http404("未找到该县(市、区)。")
    month = dt.date.fromisoformat(f"{params.get('month', '')}-01")
    return payment_roll(actor=user, county=county, month=month)


def _written(roll: PaymentRoll, rows: int, what: str, name: str) -> Written:
    return Written(
        rows=rows,
        filename=f"{name}-{roll.county.code[:6]}-{roll.month:%Y%m}",
        summary=f"{what}：{roll.county.full_name} {roll.month:%Y年%m月}",
        detail={"county": roll.county.code, "month": f"{roll.month:%Y-%m}"},
        region_code=roll.county.code,
        object_id=f"{roll.county.code}:{roll.month:%Y-%m}",
    )


@export(
    kind="assistance.payment_roll_xlsx",
    label="发放名册",
    suffix="xlsx",
    object_type="assistance.PaymentRoll",
)
def roll_xlsx_export(
    *, user: User, params: dict[str, str], out: Path, progress: ProgressFn | None = None
) -> Written:
    """导出 Excel 名册, as a job."""
    roll = roll_for(user, params)
    if progress is not None:
        progress(0, len(roll.rows), "正在写入发放名册")
    rows = roll_write_xlsx(roll=roll, out=str(out), exported_by=exporter_label(user))
    written = _written(roll, rows, "导出发放名册（Excel）", "发放名册")
    return replace(written, filename=written.filename + ".xlsx")


@export(
    kind="assistance.payment_roll_bank",
    label="银行发放文件",
    suffix="csv",
    object_type="assistance.PaymentRoll",
)
def roll_bank_export(
    *, user: User, params: dict[str, str], out: Path, progress: ProgressFn | None = None
) -> Written:
    """导出银行发放文件, as a job: the whole account numbers, to holders of EXPORT_PAYMENTS."""
    roll = roll_for(user, params)
    if progress is not None:
        progress(0, len(roll.rows), "正在写入银行发放文件")
    number = roll_write_bank(actor=user, roll=roll, out=out)
    written = _written(roll, number, f"导出银行发放文件（{number} 户）", "银行发放")
    return replace(written, filename=written.filename + ".csv")


def issued_roll(*, county: Region, month: dt.date) -> PaidRoll | None:
    """The roll of the county and month as issued for payment, if it was."""
    return (
        PaidRoll.objects.filter(county_code=county.code, month=first_of_month(month))
        .select_related("issued_by")
        .first()
    )


def roll_issue(*, actor: User, county: Region, month: dt.date) -> PaidRoll:
    """Issue the county's roll of the month for payment (定稿发放): its lines (every household
    paid this month, with amount and category) and its reconciliation are stored and become the
    month's amounts paid in the statistics (ADR 0013, 0014). Once per county and month; a
    correction of the history afterwards is paid or recovered in a later month."""
    require(actor, Capability.EXPORT_PAYMENTS, county)
    month = first_of_month(month)
    if month > first_of_month(timezone.localdate()):
        raise ValueError("该月份尚未开始，不能定稿发放名册")
    roll = payment_roll(actor=actor, county=county, month=month)
    if not roll.reconciles:
        raise ValueError("名册对账不平衡，不能定稿")
    paid = [row for row in roll.rows if row.amount > 0]
    # A household moved out of the county since: its line is filed under its village now.
    moved = dict(
        Household.objects.filter(
            pk__in=[row.household_id for row in paid if not row.region_code]
        ).values_list("id", "region_id")
    )
    try:
        with transaction.atomic():
            issued = PaidRoll.objects.create(
                county_code=county.code,
                month=month,
                households=len(paid),
                total=roll.total,
                previous_total=roll.previous_total,
                new=roll.new,
                ended=roll.ended,
                changed=roll.changed,
                counts=roll.counts,
                issued_by=actor,
            )
            PaidLine.objects.bulk_create(
                (
                    PaidLine(
                        roll=issued,
                        month=month,
                        household_id=row.household_id,
                        region_code=row.region_code or moved[row.household_id],
                        category=row.category,
                        amount=row.amount,
                    )
                    for row in paid
                ),
                batch_size=5000,
            )
            audit_record(
                actor=actor,
                action=Action.CREATE,
                object_type="assistance.PaidRoll",
                object_id=issued.pk,
                region_code=county.code,
                summary=(
                    f"发放名册定稿：{county.full_name} {month:%Y年%m月} "
                    f"{len(paid)} 户 {roll.total} 元"
                ),
            )
    except IntegrityError:
        raise ValueError(f"{county.full_name} {month:%Y年%m月} 的发放名册已经定稿") from None
    return issued


def payment_account_set(
    *, actor: User, household: Household, payee_name: str, bank: str, account: str
) -> PaymentAccount:
    require(actor, Capability.EDIT_HOUSEHOLDS, household)
    digits = account.replace(" ", "").strip()
    if not digits.isdigit() or not 8 <= len(digits) <= 30:
        raise ValueError("账号应为 8 至 30 位数字")
    if not payee_name.strip() or not bank.strip():
        raise ValueError("请填写收款人和开户银行")
    masked = f"{digits[:4]}{'*' * (len(digits) - 8)}{digits[-4:]}"
    account_row, _created = PaymentAccount.objects.update_or_create(
        household=household,
        defaults={
            "region_code": household.region_id,
            "payee_name": payee_name.strip()[:50],
            "bank": bank.strip()[:60],
            "account_encrypted": keyring.encrypt(digits),
            "account_masked": masked,
            "updated_by": actor,
        },
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="assistance.PaymentAccount",
        object_id=account_row.pk,
        region_code=household.region_id,
        summary=f"登记发放账户：{masked}",
    )
    return account_row
