"""The household economic-status verification (核对): what departments hold about a household's
co-residing members, from the latest stored batch of each source, compared with what the family
declared in the registry, each difference stated in Chinese with the figures compared.

``verification_assemble`` is a pure read (the caller has checked scope); ``content.report_content``
turns its result into the plain texts that both the PDF and the web page show.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from safetynet.feeds.catalogue import DEPARTMENT_LABELS, source_get
from safetynet.feeds.importing import selectors as batch_selectors
from safetynet.feeds.models import FeedBatch
from safetynet.registry.choices import AssetKind, DisabilityType, IncomeKind
from safetynet.registry.models import Asset, Household, Income, Membership, Person

# The sources a verification consults, in the order the report lists them.
SOURCES: tuple[str, ...] = (
    "vehicles",
    "real_estate",
    "businesses",
    "payroll",
    "pensions",
    "provident_fund",
    "unemployment",
    "disability_certificates",
    "deaths",
)
NO_DATA = "暂无该部门数据"
ZERO = Decimal("0.00")
GRADES = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}


def yuan(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def day(value: dt.date | None) -> str:
    return "—" if value is None else value.isoformat()


def disability_text(kind: str, grade: int | None) -> str:
    if not kind:
        return "无残疾"
    label = str(DisabilityType(kind).label) if kind in DisabilityType.values else kind
    return f"{label}{GRADES.get(grade or 0, '')}"


@dataclass(frozen=True)
class SourceUse:
    """One consulted source and the batch it was read from (None: the source has no batch)."""

    code: str
    name: str
    department: str
    batch: FeedBatch | None

    def as_json(self) -> dict[str, Any] | None:
        if self.batch is None:
            return None
        return {
            "batch": self.batch.pk,
            "period": self.batch.period,
            "imported_at": self.batch.imported_at.isoformat(),
        }


@dataclass(frozen=True)
class Holding:
    """One thing a department holds about a member."""

    source: str
    person_id: int
    text: str


@dataclass(frozen=True)
class Difference:
    source: str
    person_id: int | None  # None: the whole household (e.g. more vehicles declared than held)
    text: str
    declared: str
    held: str


@dataclass
class MemberCheck:
    person: Person
    membership: Membership
    incomes: list[Income]
    applicant: bool = False

    def income_of(self, *kinds: str) -> Decimal:
        return sum((i.monthly_amount for i in self.incomes if i.kind in kinds), ZERO)


@dataclass
class VerificationResult:
    household: Household
    members: list[MemberCheck]
    assets: list[Asset]
    sources: list[SourceUse]
    holdings: list[Holding] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)

    def sources_json(self) -> dict[str, Any]:
        """What ``VerificationReport.sources`` records: the batch of each source consulted."""
        return {use.code: use.as_json() for use in self.sources if use.batch is not None}


class _Comparison:
    """Collects holdings and differences for one household; one method per source."""

    def __init__(self, result: VerificationResult, rows: dict[str, list[dict[str, Any]]]):
        self.result = result
        self.by_hash = {m.person.id_number_hash: m for m in result.members}
        self.rows: dict[str, dict[int, list[dict[str, Any]]]] = {}
        for source, source_rows in rows.items():
            grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
            for row in source_rows:
                member = self.by_hash.get(row.get("id_hash", ""))
                if member is not None:
                    grouped[member.person.pk].append(row)
            self.rows[source] = grouped

    def held(self, source: str, member: MemberCheck) -> list[dict[str, Any]]:
        return self.rows[source].get(member.person.pk, [])

    def hold(self, source: str, member: MemberCheck, text: str) -> None:
        self.result.holdings.append(Holding(source, member.person.pk, text))

    def differ(
        self, source: str, member: MemberCheck | None, text: str, *, declared: str, held: str
    ) -> None:
        self.result.differences.append(
            Difference(source, member.person.pk if member else None, text, declared, held)
        )

    # --- property: vehicles, real estate, businesses --------------------------------------

    def _count_assets(
        self,
        source: str,
        kind: str,
        unit: str,
        label: str,
        department: str,
        describe: Callable[[dict[str, Any]], str],
        counts: Callable[[dict[str, Any]], bool] = lambda row: True,
    ) -> None:
        """Department rows against declared assets of ``kind``: a member's own declared assets
        match their rows first, assets declared without an owner match any member's rows."""
        declared = [a for a in self.result.assets if a.kind == kind]
        member_ids = {m.person.pk for m in self.result.members}
        # Declared without an owner, or for someone no longer living in the household.
        unowned = sum(1 for a in declared if a.person_id not in member_ids)
        for member in self.result.members:
            name = member.person.name
            rows = sorted(self.held(source, member), key=lambda r: r.get("row_number") or 0)
            for row in rows:
                self.hold(source, member, describe(row))
            counted = [r for r in rows if counts(r)]
            own = sum(1 for a in declared if a.person_id == member.person.pk)
            if len(counted) < own:
                self.differ(
                    source,
                    member,
                    f"家庭申报{name}名下{label}{own}{unit}，{department}登记{len(counted)}{unit}",
                    declared=f"{own}{unit}",
                    held=f"{len(counted)}{unit}",
                )
                continue
            covered = min(len(counted) - own, unowned)
            unowned -= covered
            undeclared = len(counted) - own - covered
            if undeclared:
                self.differ(
                    source,
                    member,
                    f"{department}登记{name}名下{label}{len(counted)}{unit}，"
                    f"家庭申报{own + covered}{unit}，{undeclared}{unit}未申报",
                    declared=f"{own + covered}{unit}",
                    held="；".join(describe(r) for r in counted),
                )
        if unowned:
            self.differ(
                source,
                None,
                f"家庭申报{label}{unowned}{unit}（未注明所有人），{department}无对应登记",
                declared=f"{unowned}{unit}",
                held=f"0{unit}",
            )

    def vehicles(self) -> None:
        def describe(row: dict[str, Any]) -> str:
            value = f"，价值 {yuan(row['value'])} 元" if row.get("value") is not None else ""
            return (
                f"{row.get('plate') or '—'}（{row.get('vehicle_type') or '—'}，"
                f"{day(row.get('register_date'))} 初次登记{value}）"
            )

        self._count_assets("vehicles", AssetKind.VEHICLE, "辆", "机动车", "公安交管部门", describe)

    def real_estate(self) -> None:
        use_column = source_get("real_estate").column("use_type")

        def describe(row: dict[str, Any]) -> str:
            use = use_column.choice_label(row.get("use_type") or "")
            return (
                f"{row.get('location') or '—'}（{use}，{yuan(row.get('area_m2'))} 平方米，"
                f"{day(row.get('register_date'))} 登记）"
            )

        self._count_assets(
            "real_estate", AssetKind.REAL_ESTATE, "处", "不动产", "不动产登记部门", describe
        )
        declared = [a for a in self.result.assets if a.kind == AssetKind.REAL_ESTATE]
        held_area = sum(
            (
                row.get("area_m2") or ZERO
                for member in self.result.members
                for row in self.held("real_estate", member)
            ),
            ZERO,
        )
        # Areas are comparable only when every declared property states its area.
        if declared and all(a.area_m2 is not None for a in declared):
            declared_area = sum((a.area_m2 or ZERO for a in declared), ZERO)
            if held_area > declared_area:
                self.differ(
                    "real_estate",
                    None,
                    f"不动产登记建筑面积合计 {yuan(held_area)} 平方米，"
                    f"家庭申报 {yuan(declared_area)} 平方米",
                    declared=f"{yuan(declared_area)} 平方米",
                    held=f"{yuan(held_area)} 平方米",
                )

    def businesses(self) -> None:
        def describe(row: dict[str, Any]) -> str:
            status = "存续" if row.get("status") == "active" else "已注销"
            capital = (
                f"，注册资本 {yuan(row['registered_capital'])} 元"
                if row.get("registered_capital") is not None
                else ""
            )
            return (
                f"{row.get('company_name') or '—'}（{status}，"
                f"{day(row.get('established_date'))} 成立{capital}）"
            )

        self._count_assets(
            "businesses",
            AssetKind.BUSINESS,
            "户",
            "存续市场主体",
            "市场监管部门",
            describe,
            counts=lambda row: row.get("status") == "active",
        )

    # --- employment and income ----------------------------------------------------------------

    def payroll(self) -> None:
        for member in self.result.members:
            rows = self.held("payroll", member)
            if not rows:
                continue
            employers = "、".join(sorted({str(r.get("employer") or "—") for r in rows}))
            self.hold("payroll", member, f"财政供养人员，工作单位：{employers}")
            wages = member.income_of(IncomeKind.WAGES)
            if wages == ZERO:
                self.differ(
                    "payroll",
                    member,
                    f"{member.person.name}系财政供养人员（工作单位：{employers}），"
                    "家庭未申报其工资性收入",
                    declared="工资性收入 0.00 元/月",
                    held=f"财政供养（{employers}）",
                )

    @staticmethod
    def _latest_month(rows: list[dict[str, Any]], amount: str) -> tuple[str, Decimal]:
        month = max(str(r.get("month") or "") for r in rows)
        total = sum((r.get(amount) or ZERO for r in rows if r.get("month") == month), ZERO)
        return month, total

    def pensions(self) -> None:
        for member in self.result.members:
            rows = self.held("pensions", member)
            if not rows:
                continue
            month, amount = self._latest_month(rows, "amount")
            self.hold("pensions", member, f"{month} 发放养老金 {yuan(amount)} 元")
            declared = member.income_of(IncomeKind.TRANSFER)
            if amount > declared:
                self.differ(
                    "pensions",
                    member,
                    f"{member.person.name} {month} 领取养老金 {yuan(amount)} 元，"
                    f"家庭申报其转移净收入 {yuan(declared)} 元/月",
                    declared=f"转移净收入 {yuan(declared)} 元/月",
                    held=f"养老金 {yuan(amount)} 元/月",
                )

    def provident_fund(self) -> None:
        for member in self.result.members:
            rows = self.held("provident_fund", member)
            if not rows:
                continue
            month, deposit = self._latest_month(rows, "deposit")
            self.hold("provident_fund", member, f"{month} 缴存住房公积金 {yuan(deposit)} 元")
            if member.income_of(IncomeKind.WAGES) == ZERO:
                self.differ(
                    "provident_fund",
                    member,
                    f"{member.person.name} {month} 有住房公积金缴存 {yuan(deposit)} 元"
                    "（有单位就业），家庭未申报其工资性收入",
                    declared="工资性收入 0.00 元/月",
                    held=f"公积金缴存 {yuan(deposit)} 元/月",
                )

    def unemployment(self) -> None:
        for member in self.result.members:
            rows = self.held("unemployment", member)
            if not rows:
                continue
            latest = max(rows, key=lambda r: r.get("registered_date") or dt.date.min)
            registered = latest.get("status") == "registered"
            state = "登记失业（在册）" if registered else "失业登记已注销"
            self.hold("unemployment", member, f"{state}，{day(latest.get('registered_date'))} 登记")
            wages = member.income_of(IncomeKind.WAGES)
            if registered and wages > ZERO:
                self.differ(
                    "unemployment",
                    member,
                    f"{member.person.name}在人社部门登记失业（在册），"
                    f"家庭申报其工资性收入 {yuan(wages)} 元/月",
                    declared=f"工资性收入 {yuan(wages)} 元/月",
                    held=f"登记失业（{day(latest.get('registered_date'))}）",
                )

    # --- circumstances ------------------------------------------------------------------------

    def disability_certificates(self) -> None:
        for member in self.result.members:
            person = member.person
            declared = disability_text(person.disability_type, person.disability_grade)
            rows = self.held("disability_certificates", member)
            if not rows:
                if person.disability_type:
                    self.differ(
                        "disability_certificates",
                        member,
                        f"家庭申报{person.name}为{declared}，残联无其残疾人证记录",
                        declared=declared,
                        held="无持证记录",
                    )
                continue
            latest = max(rows, key=lambda r: r.get("issue_date") or dt.date.min)
            held = disability_text(latest.get("disability_type") or "", latest.get("grade"))
            valid = (latest.get("status") or "valid") == "valid"
            issued = day(latest.get("issue_date"))
            self.hold(
                "disability_certificates",
                member,
                f"残疾人证：{held}（{issued} 发证{'' if valid else '，已注销'}）",
            )
            if valid and (
                latest.get("disability_type") != person.disability_type
                or latest.get("grade") != person.disability_grade
            ):
                self.differ(
                    "disability_certificates",
                    member,
                    f"残联登记{person.name}持证{held}（{issued} 发证），家庭申报为{declared}",
                    declared=declared,
                    held=held,
                )
            elif not valid and person.disability_type:
                self.differ(
                    "disability_certificates",
                    member,
                    f"{person.name}的残疾人证（{held}）已注销，家庭申报为{declared}",
                    declared=declared,
                    held=f"{held}（已注销）",
                )

    def deaths(self) -> None:
        for member in self.result.members:
            rows = self.held("deaths", member)
            if not rows:
                continue
            dates: list[dt.date] = [r["death_date"] for r in rows if r.get("death_date")]
            died = min(dates, default=None)
            self.hold("deaths", member, f"死亡/火化记录，死亡日期 {day(died)}")
            self.differ(
                "deaths",
                member,
                f"{member.person.name}有死亡/火化记录（死亡日期 {day(died)}），"
                "仍登记为共同生活家庭成员",
                declared="共同生活家庭成员",
                held=f"死亡（{day(died)}）",
            )


# The comparison each source gets; a source without one cannot be consulted.
RULES: dict[str, Callable[[_Comparison], None]] = {
    "vehicles": _Comparison.vehicles,
    "real_estate": _Comparison.real_estate,
    "businesses": _Comparison.businesses,
    "payroll": _Comparison.payroll,
    "pensions": _Comparison.pensions,
    "provident_fund": _Comparison.provident_fund,
    "unemployment": _Comparison.unemployment,
    "disability_certificates": _Comparison.disability_certificates,
    "deaths": _Comparison.deaths,
}


def household_members(household: Household) -> list[tuple[Membership, Person]]:
    """The household's current co-residing members (head first)."""
    memberships = (
        Membership.objects.filter(household=household, left_on__isnull=True, co_resident=True)
        .select_related("person")
        .order_by("relation", "id")
    )
    return [(m, m.person) for m in memberships]


def verification_assemble(
    *, household: Household, applicant: Person | None = None, sources: Iterable[str] = SOURCES
) -> VerificationResult:
    """Compare the household's declarations with the latest batch of each source. The caller
    has checked that the user may see the household."""
    codes = list(sources)
    unknown = [code for code in codes if code not in RULES]
    if unknown:
        raise ValueError(f"no verification rule for {', '.join(unknown)}")
    pairs = household_members(household)
    incomes: dict[int, list[Income]] = defaultdict(list)
    for income in Income.objects.filter(household=household).order_by("id"):
        incomes[income.person_id].append(income)
    members = [
        MemberCheck(
            person=person,
            membership=membership,
            incomes=incomes.get(person.pk, []),
            applicant=applicant is not None and person.pk == applicant.pk,
        )
        for membership, person in pairs
    ]
    batches, rows = batch_selectors.rows_by_source(
        codes, id_hashes={m.person.id_number_hash for m in members}
    )
    uses = []
    for code in codes:
        spec = source_get(code)
        department = DEPARTMENT_LABELS.get(spec.department, spec.department)
        uses.append(SourceUse(code, spec.name, department, batches.get(code)))
    result = VerificationResult(
        household=household,
        members=members,
        assets=list(Asset.objects.filter(household=household).order_by("id")),
        sources=uses,
    )
    comparison = _Comparison(result, rows)
    for code in codes:
        if code in batches:
            RULES[code](comparison)
    return result
