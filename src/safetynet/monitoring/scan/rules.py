"""The conditions the scan evaluates, one SQL statement per indicator, generated from the
indicator's rule and thresholds (``Indicator.rule`` / ``params``).

Every statement reads the registry snapshot (``persons``, ``households``: hashed IDs only) and
the source views ``src_<code>`` (the stored Parquet batches with ``batch_id``/``batch_period``),
and returns the same columns: ``subject_hash, person_id, household_id, region_code,
subject_name, period, evidence`` (JSON text: the rows that fired it). ``scan.reference`` is the
plain per-person twin of each rule; the tests prove both agree.

Thresholds reach the SQL as validated decimal or integer literals (``_dec``/``_int``), never as
text pasted from the indicator row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

OUTPUT = (
    "subject_hash",
    "person_id",
    "household_id",
    "region_code",
    "subject_name",
    "period",
    "evidence",
)


@dataclass(frozen=True)
class Context:
    """What a rule needs besides its thresholds: the scan date, the region's code range, and
    the latest income month in the batches (for the income rules)."""

    on: dt.date
    lo: str
    hi: str
    income_month: str | None = None


def months_back(on: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the last day of a shorter month)."""
    year, month = divmod(on.year * 12 + on.month - 1 - months, 12)
    month += 1
    for day in (on.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def month_shift(month: str, delta: int) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    year, mon0 = divmod(year * 12 + mon - 1 + delta, 12)
    return f"{year:04d}-{mon0 + 1:02d}"


def _dec(value: Any) -> str:
    return f"CAST('{Decimal(str(value))}' AS DECIMAL(18,2))"


def _ratio(value: Any) -> str:
    return f"CAST('{Decimal(str(value))}' AS DECIMAL(9,4))"


def _int(value: Any) -> str:
    return str(int(value))


def _date(day: dt.date) -> str:
    return f"DATE '{day.isoformat()}'"


def _text(value: str) -> str:
    if not value.replace("_", "").replace("-", "").isalnum():
        raise ValueError(f"unexpected literal {value!r}")
    return f"'{value}'"


def watch_sql(watches: str, alias: str = "p") -> str:
    return "TRUE" if watches == "all" else f"{alias}.hh_grp = {_text(watches)}"


def evidence(
    source: str, alias: str, *, date: str = "NULL", amount: str = "NULL", detail: str = "NULL"
) -> str:
    """One evidence row as a struct: where it came from and what it says."""
    return (
        f"{{'source': '{source}', 'batch': {alias}.batch_id, 'period': {alias}.batch_period, "
        f"'row': {alias}.row_number, 'date': CAST({date} AS VARCHAR), "
        f"'amount': CAST({amount} AS VARCHAR), 'detail': CAST({detail} AS VARCHAR)}}"
    )


def ev_list(items: str, order: str) -> str:
    return f"to_json(list({items} ORDER BY {order}))"


def age_sql(birth: str, on: dt.date) -> str:
    return (
        f"({on.year} - year({birth}) - CASE WHEN month({birth}) * 100 + day({birth}) > "
        f"{on.month * 100 + on.day} THEN 1 ELSE 0 END)"
    )


PERSON_OUT = (
    "p.id_hash AS subject_hash, p.person_id, p.household_id, p.region_id AS region_code, "
    "'' AS subject_name"
)
HEAD_OUT = (
    "h.head_hash AS subject_hash, h.head_id AS person_id, h.household_id, "
    "h.region_id AS region_code, '' AS subject_name"
)


# --- the rules -----------------------------------------------------------------------------------


def medical_burden(params: dict[str, Any], ctx: Context, watch: str) -> str:
    start = months_back(ctx.on, int(params["months"]))
    ev = evidence(
        "medical_claims", "c", date="c.settle_date", amount="c.out_of_pocket", detail="c.visit_type"
    )
    # Sums first, evidence only for the people who pass: most people with a claim do not.
    return f"""
    WITH c AS (
        SELECT * FROM src_medical_claims
        WHERE settle_date > {_date(start)} AND settle_date <= {_date(ctx.on)}
    ),
    hit AS (
        SELECT p.person_id
        FROM persons p JOIN c ON c.id_hash = p.id_hash
        WHERE {watch}
        GROUP BY p.person_id, p.grp
        HAVING sum(c.out_of_pocket) > {_dec(params["out_of_pocket_12m"])}
            OR (p.grp = 'assisted' AND max(CASE WHEN c.visit_type = 'inpatient'
                THEN c.out_of_pocket END) > {_dec(params["assisted_inpatient_once"])})
    )
    SELECT {PERSON_OUT}, '{ctx.on.year}' AS period,
           {ev_list(ev, "c.settle_date, c.batch_id, c.row_number")} AS evidence
    FROM hit JOIN persons p ON p.person_id = hit.person_id JOIN c ON c.id_hash = p.id_hash
    GROUP BY ALL
    """


def _deaths(watch: str, ctx: Context, extra: str) -> str:
    ev = evidence("deaths", "d", date="d.death_date")
    return f"""
    SELECT {PERSON_OUT}, 'death' AS period,
           {ev_list(ev, "d.death_date, d.batch_id, d.row_number")} AS evidence
    FROM persons p JOIN src_deaths d ON d.id_hash = p.id_hash
    WHERE {watch} AND d.death_date <= {_date(ctx.on)} {extra}
    GROUP BY ALL
    """


def member_death(params: dict[str, Any], ctx: Context, watch: str) -> str:
    return _deaths(watch, ctx, "")


def deceased_still_assisted(params: dict[str, Any], ctx: Context, watch: str) -> str:
    return _deaths(watch, ctx, "AND p.grp = 'assisted'")


def new_disability(params: dict[str, Any], ctx: Context, watch: str) -> str:
    ev = evidence(
        "disability_certificates",
        "d",
        date="d.issue_date",
        amount="d.grade",
        detail="d.disability_type",
    )
    return f"""
    SELECT {PERSON_OUT}, strftime(d.issue_date, '%Y-%m') AS period,
           {ev_list(ev, "d.batch_id, d.row_number")} AS evidence
    FROM persons p JOIN src_disability_certificates d ON d.id_hash = p.id_hash
    WHERE {watch} AND coalesce(d.status, 'valid') = 'valid' AND d.issue_date <= {_date(ctx.on)}
      AND (d.grade <= {_int(params["max_grade"])}
           OR (d.grade <= {_int(params["intellectual_mental_max_grade"])}
           AND d.disability_type IN ('intellectual', 'mental')))
      AND (p.disability_grade IS NULL OR p.disability_grade > d.grade)
    GROUP BY ALL
    """


def unemployed(params: dict[str, Any], ctx: Context, watch: str) -> str:
    start = months_back(ctx.on, int(params["months"]))
    ev = evidence("unemployment", "u", date="u.registered_date", detail="u.status")
    age = age_sql("p.birth_date", ctx.on)
    return f"""
    SELECT {PERSON_OUT}, strftime(u.registered_date, '%Y-%m') AS period,
           {ev_list(ev, "u.batch_id, u.row_number")} AS evidence
    FROM persons p JOIN src_unemployment u ON u.id_hash = p.id_hash
    WHERE {watch} AND u.status = 'registered'
      AND u.registered_date > {_date(start)} AND u.registered_date <= {_date(ctx.on)}
      AND {age} BETWEEN {_int(params["min_age"])} AND {_int(params["max_age"])}
    GROUP BY ALL
    """


def disaster(params: dict[str, Any], ctx: Context, watch: str) -> str:
    start = months_back(ctx.on, int(params["months"]))
    ev = evidence(
        "disasters", "x", date="x.event_date", amount="x.loss_amount", detail="x.house_damage"
    )
    return f"""
    SELECT {PERSON_OUT}, strftime(x.event_date, '%Y-%m') AS period,
           {ev_list(ev, "x.batch_id, x.row_number")} AS evidence
    FROM persons p JOIN src_disasters x ON x.id_hash = p.id_hash
    WHERE {watch} AND x.event_date > {_date(start)} AND x.event_date <= {_date(ctx.on)}
      AND (x.house_damage IN ('damaged', 'collapsed')
           OR x.loss_amount > {_dec(params["loss_over"])})
    GROUP BY ALL
    """


def schooling(params: dict[str, Any], ctx: Context, watch: str) -> str:
    start = months_back(ctx.on, int(params["months"]))
    stages = ", ".join(_text(s) for s in params["stages"]) or "''"
    ev = evidence("students", "s", date="s.enrolled_date", detail="s.stage")
    return f"""
    SELECT {PERSON_OUT}, strftime(s.enrolled_date, '%Y') AS period,
           {ev_list(ev, "s.batch_id, s.row_number")} AS evidence
    FROM persons p JOIN src_students s ON s.id_hash = p.id_hash
    WHERE {watch} AND s.stage IN ({stages})
      AND s.enrolled_date > {_date(start)} AND s.enrolled_date <= {_date(ctx.on)}
    GROUP BY ALL
    """


def relapse_new(params: dict[str, Any], ctx: Context, watch: str) -> str:
    ev = evidence("relapse_watch", "r", detail="r.watch_type")
    return f"""
    SELECT r.id_hash AS subject_hash, NULL::BIGINT AS person_id, NULL::BIGINT AS household_id,
           any_value(r.region_code ORDER BY r.batch_id, r.row_number) AS region_code,
           coalesce(any_value(r.name ORDER BY r.batch_id, r.row_number), '') AS subject_name,
           'list' AS period, {ev_list(ev, "r.batch_id, r.row_number")} AS evidence
    FROM src_relapse_watch r
    WHERE r.status = 'monitoring' AND r.region_code BETWEEN '{ctx.lo}' AND '{ctx.hi}'
      AND NOT EXISTS (SELECT 1 FROM persons p WHERE p.id_hash = r.id_hash)
    GROUP BY r.id_hash
    """


_INCOME = """
    income_rows AS (
        SELECT id_hash, month, amount, 'pensions' AS source, batch_id, batch_period, row_number
        FROM src_pensions
        UNION ALL
        SELECT id_hash, month, amount, 'wages' AS source, batch_id, batch_period, row_number
        FROM src_wages
    )"""


def _income_ev() -> str:
    return (
        "{'source': i.source, 'batch': i.batch_id, 'period': i.batch_period, 'row': i.row_number, "
        "'date': i.month, 'amount': CAST(i.amount AS VARCHAR), 'detail': NULL::VARCHAR}"
    )


def income_drop(params: dict[str, Any], ctx: Context, watch: str) -> str:
    if ctx.income_month is None:
        return _empty()
    latest = ctx.income_month
    n = int(params["baseline_months"])
    first = month_shift(latest, -n)
    return f"""
    WITH {_INCOME},
    rows AS (
        SELECT p.household_id, i.*
        FROM persons p JOIN income_rows i ON i.id_hash = p.id_hash
        WHERE {watch} AND p.household_id IS NOT NULL AND i.month BETWEEN '{first}' AND '{latest}'
    ),
    hh AS (
        SELECT household_id,
            sum(CASE WHEN month = '{latest}' THEN amount ELSE 0 END) AS current,
            sum(CASE WHEN month < '{latest}' THEN amount ELSE 0 END) / {n} AS baseline
        FROM rows GROUP BY household_id
    ),
    hit AS (
        SELECT household_id FROM hh
        WHERE baseline > 0 AND current < baseline * (1 - {_ratio(params["share"])})
    )
    SELECT {HEAD_OUT}, '{latest}' AS period,
        {ev_list(_income_ev(), "i.month, i.source, i.batch_id, i.row_number")} AS evidence
    FROM hit JOIN households h ON h.household_id = hit.household_id
    JOIN rows i ON i.household_id = hit.household_id
    WHERE h.head_hash IS NOT NULL
    GROUP BY ALL
    """


def high_income(params: dict[str, Any], ctx: Context, watch: str) -> str:
    if ctx.income_month is None:
        return _empty()
    latest = ctx.income_month
    return f"""
    WITH {_INCOME},
    rows AS (
        SELECT p.household_id, i.*
        FROM persons p JOIN income_rows i ON i.id_hash = p.id_hash
        WHERE {watch} AND p.household_id IS NOT NULL AND i.month = '{latest}'
    ),
    hit AS (
        SELECT r.household_id FROM rows r JOIN households h ON h.household_id = r.household_id
        WHERE h.dibao_monthly IS NOT NULL AND h.members > 0
        GROUP BY r.household_id, h.dibao_monthly, h.members
        HAVING sum(r.amount) > h.dibao_monthly * h.members * {_ratio(params["multiplier"])}
    )
    SELECT {HEAD_OUT}, '{latest}' AS period,
        {ev_list(_income_ev(), "i.source, i.batch_id, i.row_number")} AS evidence
    FROM hit JOIN households h ON h.household_id = hit.household_id
    JOIN rows i ON i.household_id = hit.household_id
    WHERE h.head_hash IS NOT NULL
    GROUP BY ALL
    """


def vehicle(params: dict[str, Any], ctx: Context, watch: str) -> str:
    ev = evidence(
        "vehicles", "v", date="v.register_date", amount="v.value", detail="v.vehicle_type"
    )
    return f"""
    SELECT {PERSON_OUT}, strftime(max(v.register_date), '%Y-%m') AS period,
           {ev_list(ev, "v.batch_id, v.row_number")} AS evidence
    FROM persons p JOIN src_vehicles v ON v.id_hash = p.id_hash
    WHERE {watch} AND v.value > {_dec(params["value_over"])}
    GROUP BY p.id_hash, p.person_id, p.household_id, p.region_id
    """


def business(params: dict[str, Any], ctx: Context, watch: str) -> str:
    ev = evidence(
        "businesses",
        "b",
        date="b.established_date",
        amount="b.registered_capital",
        detail="b.status",
    )
    return f"""
    SELECT {PERSON_OUT}, strftime(max(b.established_date), '%Y-%m') AS period,
           {ev_list(ev, "b.batch_id, b.row_number")} AS evidence
    FROM persons p JOIN src_businesses b ON b.id_hash = p.id_hash
    WHERE {watch} AND b.status = 'active'
      AND coalesce(b.registered_capital, 0) >= {_dec(params["capital_from"])}
    GROUP BY p.id_hash, p.person_id, p.household_id, p.region_id
    """


def real_estate(params: dict[str, Any], ctx: Context, watch: str) -> str:
    ev = evidence(
        "real_estate", "r", date="r.register_date", amount="r.area_m2", detail="r.use_type"
    )
    return f"""
    WITH hh AS (
        SELECT p.household_id, count(*) AS dwellings, max(r.register_date) AS latest,
            {ev_list(ev, "r.batch_id, r.row_number")} AS evidence
        FROM persons p JOIN src_real_estate r ON r.id_hash = p.id_hash
        WHERE {watch} AND p.household_id IS NOT NULL AND r.use_type = 'residential'
        GROUP BY p.household_id
    )
    SELECT {HEAD_OUT}, strftime(hh.latest, '%Y-%m') AS period, hh.evidence
    FROM hh JOIN households h USING (household_id)
    WHERE h.head_hash IS NOT NULL AND hh.dwellings > {_int(params["max_dwellings"])}
    """


def payroll(params: dict[str, Any], ctx: Context, watch: str) -> str:
    ev = evidence("payroll", "w", detail="w.employer")
    return f"""
    SELECT {PERSON_OUT}, '{ctx.on.year}' AS period,
           {ev_list(ev, "w.batch_id, w.row_number")} AS evidence
    FROM persons p JOIN src_payroll w ON w.id_hash = p.id_hash
    WHERE {watch}
    GROUP BY ALL
    """


def medical_aid_missing(params: dict[str, Any], ctx: Context, watch: str) -> str:
    start = months_back(ctx.on, int(params["months"]))
    ev = evidence(
        "medical_claims", "c", date="c.settle_date", amount="c.out_of_pocket", detail="c.visit_type"
    )
    return f"""
    SELECT {PERSON_OUT}, strftime(max(c.settle_date), '%Y-%m') AS period,
           {ev_list(ev, "c.settle_date, c.batch_id, c.row_number")} AS evidence
    FROM persons p JOIN src_medical_claims c ON c.id_hash = p.id_hash
    WHERE {watch} AND p.grp = 'assisted' AND c.visit_type = 'inpatient'
      AND c.settle_date > {_date(start)} AND c.settle_date <= {_date(ctx.on)}
      AND NOT EXISTS (
          SELECT 1 FROM src_medical_assistance m WHERE m.id_hash = p.id_hash
            AND m.paid_date > {_date(start)} AND m.paid_date <= {_date(ctx.on)})
    GROUP BY p.id_hash, p.person_id, p.household_id, p.region_id
    """


def _empty() -> str:
    return (
        "SELECT NULL::VARCHAR AS subject_hash, NULL::BIGINT AS person_id, NULL::BIGINT AS "
        "household_id, NULL::VARCHAR AS region_code, NULL::VARCHAR AS subject_name, "
        "NULL::VARCHAR AS period, NULL::VARCHAR AS evidence WHERE FALSE"
    )


@dataclass(frozen=True)
class Rule:
    sql: Callable[[dict[str, Any], Context, str], str]
    params: tuple[str, ...]
    sources: tuple[str, ...]
    label: str


RULES: dict[str, Rule] = {
    "medical_burden": Rule(
        medical_burden,
        ("months", "out_of_pocket_12m", "assisted_inpatient_once"),
        ("medical_claims",),
        "12个月内个人自付医疗费用超过阈值，或救助对象单次住院自付超过阈值",
    ),
    "member_death": Rule(member_death, (), ("deaths",), "在库成员有死亡(火化)记录"),
    "deceased_still_assisted": Rule(
        deceased_still_assisted, (), ("deaths",), "有死亡记录的人员仍在救助中"
    ),
    "new_disability": Rule(
        new_disability,
        ("max_grade", "intellectual_mental_max_grade"),
        ("disability_certificates",),
        "新办一、二级(或三级智力、精神)残疾证，登记中尚无",
    ),
    "unemployed": Rule(
        unemployed, ("months", "min_age", "max_age"), ("unemployment",), "劳动年龄成员失业登记"
    ),
    "disaster": Rule(disaster, ("months", "loss_over"), ("disasters",), "房屋受损或损失超过阈值"),
    "schooling": Rule(schooling, ("months", "stages"), ("students",), "升入高中、中职或高校"),
    "relapse_new": Rule(relapse_new, (), ("relapse_watch",), "防返贫监测对象尚未纳入低收入人口库"),
    "income_drop": Rule(
        income_drop,
        ("share", "baseline_months"),
        ("pensions", "wages"),
        "最近一月收入低于前几月平均的一定比例",
    ),
    "high_income": Rule(
        high_income, ("multiplier",), ("pensions", "wages"), "最近一月收入超过低保标准×人数×倍数"
    ),
    "vehicle": Rule(vehicle, ("value_over",), ("vehicles",), "有价值超过阈值的机动车"),
    "business": Rule(business, ("capital_from",), ("businesses",), "登记有存续的市场主体"),
    "real_estate": Rule(real_estate, ("max_dwellings",), ("real_estate",), "住宅套数超过上限"),
    "payroll": Rule(payroll, (), ("payroll",), "有财政供养人员"),
    "medical_aid_missing": Rule(
        medical_aid_missing,
        ("months",),
        ("medical_claims", "medical_assistance"),
        "住院后无医疗救助记录",
    ),
}
