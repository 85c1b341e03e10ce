"""The conditions the scan evaluates, one SQL statement per indicator, generated from the
indicator's rule and thresholds (``Indicator.rule`` / ``params``).

Every statement reads the registry snapshot (``persons``, ``households``: hashed IDs only) and
the source tables ``src_<code>``: the stored Parquet batches (with ``batch_id``; the macro
``batch_period_of(batch_id)`` gives its period) read once by the engine, each row matched once
to its registry person by ID hash and carrying the person's integer key and groups
(``PERSON_COLUMNS``). A statement filters and groups on
those integers and joins the subject's hash and region back for the rows that fired only. It
returns the same columns: ``subject_hash, person_id, household_id, region_code, subject_name,
period, evidence`` (a list of structs: the rows that fired it). ``scan.reference`` is the plain
per-person twin of each rule; the tests prove both agree.

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


# One evidence row: the source, batch and row it comes from, and what it says.
EVIDENCE_TYPE = (
    "STRUCT(source VARCHAR, batch BIGINT, period VARCHAR, row BIGINT, date VARCHAR, "
    "amount VARCHAR, detail VARCHAR)[]"
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


# What the rules read of each source besides the batch columns (``batch_id``, ``row_number``):
# the engine keeps only these when it loads a source.
SOURCE_COLUMNS: dict[str, tuple[str, ...]] = {
    "medical_claims": ("settle_date", "visit_type", "out_of_pocket"),
    "medical_assistance": ("paid_date",),
    "deaths": ("death_date",),
    "disability_certificates": ("issue_date", "grade", "disability_type", "status"),
    "unemployment": ("registered_date", "status"),
    "disasters": ("event_date", "loss_amount", "house_damage"),
    "students": ("enrolled_date", "stage"),
    "pensions": ("month", "amount"),
    "wages": ("month", "amount"),
    "vehicles": ("register_date", "value", "vehicle_type"),
    "businesses": ("established_date", "registered_capital", "status"),
    "real_estate": ("register_date", "area_m2", "use_type"),
    "payroll": ("employer",),
}
# Sources read as stored, without matching their rows to the registry (relapse_new is about the
# people who are *not* in it).
RAW_SOURCES = frozenset({"relapse_watch"})
# What a matched source row carries of its registry person (column → snapshot column): the
# integer key, the household, the person's and the household's monitoring group, and for the
# rules that need them the birth date and the registered disability grade.
PERSON_COLUMNS = {"pk": "person_id", "p_hh": "household_id", "p_grp": "grp", "p_hh_grp": "hh_grp"}
PERSON_EXTRA: dict[str, dict[str, str]] = {
    "unemployment": {"p_birth": "birth_date"},
    "disability_certificates": {"p_dgrade": "disability_grade"},
}


# The monitoring groups as the scan's tables hold them (1 the strongest: a household's group is
# its strongest member's).
GROUP_CODES = {"assisted": 1, "focus": 2, "anti_relapse": 3, "registered": 4}
ASSISTED = GROUP_CODES["assisted"]


def watch_sql(watches: str, alias: str = "s") -> str:
    """The watch condition on a matched source row: its household's monitoring group."""
    if watches == "all":
        return "TRUE"
    return f"{alias}.p_hh_grp = {GROUP_CODES.get(watches, 0)}"


def evidence(
    source: str, alias: str, *, date: str = "NULL", amount: str = "NULL", detail: str = "NULL"
) -> str:
    """One evidence row as a struct: where it came from and what it says."""
    return (
        f"{{'source': '{source}', 'batch': CAST({alias}.batch_id AS BIGINT), "
        f"'period': batch_period_of({alias}.batch_id), "
        f"'row': CAST({alias}.row_number AS BIGINT), "
        f"'date': CAST({date} AS VARCHAR), "
        f"'amount': CAST({amount} AS VARCHAR), 'detail': CAST({detail} AS VARCHAR)}}"
    )


def ev_list(items: str, order: str) -> str:
    """The evidence rows of a group as a list of structs in ``order`` (Arrow hands it to Python
    as a list of dicts: no JSON text is built per row, which costs ~1 µs a row in DuckDB).
    Collected with their sort key and sorted per list (``list_sort``): an ordered aggregate
    (``list(... ORDER BY ...)``) costs twice as much on a million rows."""
    keys = ", ".join(f"'k{i}': {key.strip()}" for i, key in enumerate(order.split(",")))
    return f"list_transform(list_sort(list({{'k': {{{keys}}}, 'e': {items}}})), lambda x: x.e)"


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


def _person(hits: str, with_: str = "") -> str:
    """Person hits (``pk, period, evidence``, grouped on the integer key) with their subject
    columns, joined from the snapshot for the people who fired only."""
    return f"""
    {with_}
    SELECT {PERSON_OUT}, hit.period, hit.evidence
    FROM ({hits}) hit JOIN persons p ON p.person_id = hit.pk
    """


def _head(hits: str, with_: str = "", extra: str = "") -> str:
    """Household hits (``household_id, period, evidence``) as alerts on the household head."""
    return f"""
    {with_}
    SELECT {HEAD_OUT}, hit.period, hit.evidence
    FROM ({hits}) hit JOIN households h ON h.household_id = hit.household_id
    WHERE h.head_hash IS NOT NULL {extra}
    """


# --- the rules -----------------------------------------------------------------------------------
# A source table ``src_<code>`` holds the rows about the registry's people only, matched once by
# ID hash when the engine loads it (``pk`` and the ``p_*`` columns above). A rule filters and
# groups on the integer key and joins the subject's hash and region back for those who fired.


def medical_burden(params: dict[str, Any], ctx: Context, watch: str) -> str:
    start = months_back(ctx.on, int(params["months"]))
    ev = evidence(
        "medical_claims", "c", date="c.settle_date", amount="c.out_of_pocket", detail="c.visit_type"
    )
    # Sums first, evidence only for the people who pass: most people with a claim do not.
    with_ = f"""
    WITH c AS (
        SELECT * FROM src_medical_claims s
        WHERE {watch} AND s.settle_date > {_date(start)} AND s.settle_date <= {_date(ctx.on)}
    ),
    hit AS (
        SELECT pk FROM c
        GROUP BY pk
        HAVING sum(out_of_pocket) > {_dec(params["out_of_pocket_12m"])}
            OR max(CASE WHEN p_grp = {ASSISTED} AND visit_type = 'inpatient'
                THEN out_of_pocket END) > {_dec(params["assisted_inpatient_once"])}
    )"""
    hits = f"""
    SELECT c.pk, '{ctx.on.year}' AS period,
           {ev_list(ev, "c.settle_date, c.batch_id, c.row_number")} AS evidence
    FROM c SEMI JOIN hit ON hit.pk = c.pk
    GROUP BY c.pk
    """
    return _person(hits, with_)


def _deaths(watch: str, ctx: Context, extra: str) -> str:
    ev = evidence("deaths", "s", date="s.death_date")
    return _person(f"""
    SELECT s.pk, 'death' AS period,
           {ev_list(ev, "s.death_date, s.batch_id, s.row_number")} AS evidence
    FROM src_deaths s
    WHERE {watch} AND s.death_date <= {_date(ctx.on)} {extra}
    GROUP BY s.pk
    """)


def member_death(params: dict[str, Any], ctx: Context, watch: str) -> str:
    return _deaths(watch, ctx, "")


def deceased_still_assisted(params: dict[str, Any], ctx: Context, watch: str) -> str:
    return _deaths(watch, ctx, f"AND s.p_grp = {ASSISTED}")


def new_disability(params: dict[str, Any], ctx: Context, watch: str) -> str:
    ev = evidence(
        "disability_certificates",
        "s",
        date="s.issue_date",
        amount="s.grade",
        detail="s.disability_type",
    )
    return _person(f"""
    SELECT s.pk, strftime(s.issue_date, '%Y-%m') AS period,
           {ev_list(ev, "s.batch_id, s.row_number")} AS evidence
    FROM src_disability_certificates s
    WHERE {watch} AND coalesce(s.status, 'valid') = 'valid' AND s.issue_date <= {_date(ctx.on)}
      AND (s.grade <= {_int(params["max_grade"])}
           OR (s.grade <= {_int(params["intellectual_mental_max_grade"])}
           AND s.disability_type IN ('intellectual', 'mental')))
      AND (s.p_dgrade IS NULL OR s.p_dgrade > s.grade)
    GROUP BY ALL
    """)


def unemployed(params: dict[str, Any], ctx: Context, watch: str) -> str:
    start = months_back(ctx.on, int(params["months"]))
    ev = evidence("unemployment", "s", date="s.registered_date", detail="s.status")
    age = age_sql("s.p_birth", ctx.on)
    return _person(f"""
    SELECT s.pk, strftime(s.registered_date, '%Y-%m') AS period,
           {ev_list(ev, "s.batch_id, s.row_number")} AS evidence
    FROM src_unemployment s
    WHERE {watch} AND s.status = 'registered'
      AND s.registered_date > {_date(start)} AND s.registered_date <= {_date(ctx.on)}
      AND {age} BETWEEN {_int(params["min_age"])} AND {_int(params["max_age"])}
    GROUP BY ALL
    """)


def disaster(params: dict[str, Any], ctx: Context, watch: str) -> str:
    start = months_back(ctx.on, int(params["months"]))
    ev = evidence(
        "disasters", "s", date="s.event_date", amount="s.loss_amount", detail="s.house_damage"
    )
    return _person(f"""
    SELECT s.pk, strftime(s.event_date, '%Y-%m') AS period,
           {ev_list(ev, "s.batch_id, s.row_number")} AS evidence
    FROM src_disasters s
    WHERE {watch} AND s.event_date > {_date(start)} AND s.event_date <= {_date(ctx.on)}
      AND (s.house_damage IN ('damaged', 'collapsed')
           OR s.loss_amount > {_dec(params["loss_over"])})
    GROUP BY ALL
    """)


def schooling(params: dict[str, Any], ctx: Context, watch: str) -> str:
    start = months_back(ctx.on, int(params["months"]))
    stages = ", ".join(_text(s) for s in params["stages"]) or "''"
    ev = evidence("students", "s", date="s.enrolled_date", detail="s.stage")
    return _person(f"""
    SELECT s.pk, strftime(s.enrolled_date, '%Y') AS period,
           {ev_list(ev, "s.batch_id, s.row_number")} AS evidence
    FROM src_students s
    WHERE {watch} AND s.stage IN ({stages})
      AND s.enrolled_date > {_date(start)} AND s.enrolled_date <= {_date(ctx.on)}
    GROUP BY ALL
    """)


def relapse_new(params: dict[str, Any], ctx: Context, watch: str) -> str:
    # The one rule about people *not* in the registry: it reads the batch rows as stored.
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


def _income(watch: str, months: str) -> str:
    """The watched households' income rows (pensions and wages) of the given months."""
    parts = [
        f"SELECT s.p_hh AS household_id, s.month, s.amount, '{source}' AS source, s.batch_id, "
        f"s.row_number FROM src_{source} s "
        f"WHERE {watch} AND s.p_hh IS NOT NULL AND {months}"
        for source in ("pensions", "wages")
    ]
    return f"income_rows AS MATERIALIZED ({' UNION ALL '.join(parts)})"


def _income_ev() -> str:
    return (
        "{'source': i.source, 'batch': CAST(i.batch_id AS BIGINT), "
        "'period': batch_period_of(i.batch_id), "
        "'row': CAST(i.row_number AS BIGINT), 'date': CAST(i.month AS VARCHAR), "
        "'amount': CAST(i.amount AS VARCHAR), 'detail': NULL::VARCHAR}"
    )


def income_drop(params: dict[str, Any], ctx: Context, watch: str) -> str:
    if ctx.income_month is None:
        return _empty()
    latest = ctx.income_month
    n = int(params["baseline_months"])
    first = month_shift(latest, -n)
    with_ = f"""
    WITH {_income(watch, f"s.month BETWEEN '{first}' AND '{latest}'")},
    hh AS (
        SELECT household_id,
            sum(CASE WHEN month = '{latest}' THEN amount ELSE 0 END) AS current,
            sum(CASE WHEN month < '{latest}' THEN amount ELSE 0 END) / {n} AS baseline
        FROM income_rows GROUP BY household_id
    ),
    hit AS (
        SELECT household_id FROM hh
        WHERE baseline > 0 AND current < baseline * (1 - {_ratio(params["share"])})
    )"""
    hits = f"""
    SELECT i.household_id, '{latest}' AS period,
        {ev_list(_income_ev(), "i.month, i.source, i.batch_id, i.row_number")} AS evidence
    FROM income_rows i SEMI JOIN hit ON hit.household_id = i.household_id
    GROUP BY i.household_id
    """
    return _head(hits, with_)


def high_income(params: dict[str, Any], ctx: Context, watch: str) -> str:
    if ctx.income_month is None:
        return _empty()
    latest = ctx.income_month
    with_ = f"""
    WITH {_income(watch, f"s.month = '{latest}'")},
    hit AS (
        SELECT r.household_id FROM income_rows r
        JOIN households h ON h.household_id = r.household_id
        WHERE h.dibao_monthly IS NOT NULL AND h.members > 0
        GROUP BY r.household_id, h.dibao_monthly, h.members
        HAVING sum(r.amount) > h.dibao_monthly * h.members * {_ratio(params["multiplier"])}
    )"""
    hits = f"""
    SELECT i.household_id, '{latest}' AS period,
        {ev_list(_income_ev(), "i.source, i.batch_id, i.row_number")} AS evidence
    FROM income_rows i SEMI JOIN hit ON hit.household_id = i.household_id
    GROUP BY i.household_id
    """
    return _head(hits, with_)


def vehicle(params: dict[str, Any], ctx: Context, watch: str) -> str:
    ev = evidence(
        "vehicles", "s", date="s.register_date", amount="s.value", detail="s.vehicle_type"
    )
    return _person(f"""
    SELECT s.pk, strftime(max(s.register_date), '%Y-%m') AS period,
           {ev_list(ev, "s.batch_id, s.row_number")} AS evidence
    FROM src_vehicles s
    WHERE {watch} AND s.value > {_dec(params["value_over"])}
    GROUP BY s.pk
    """)


def business(params: dict[str, Any], ctx: Context, watch: str) -> str:
    ev = evidence(
        "businesses",
        "s",
        date="s.established_date",
        amount="s.registered_capital",
        detail="s.status",
    )
    return _person(f"""
    SELECT s.pk, strftime(max(s.established_date), '%Y-%m') AS period,
           {ev_list(ev, "s.batch_id, s.row_number")} AS evidence
    FROM src_businesses s
    WHERE {watch} AND s.status = 'active'
      AND coalesce(s.registered_capital, 0) >= {_dec(params["capital_from"])}
    GROUP BY s.pk
    """)


def real_estate(params: dict[str, Any], ctx: Context, watch: str) -> str:
    ev = evidence(
        "real_estate", "s", date="s.register_date", amount="s.area_m2", detail="s.use_type"
    )
    hits = f"""
    SELECT s.p_hh AS household_id, strftime(max(s.register_date), '%Y-%m') AS period,
        {ev_list(ev, "s.batch_id, s.row_number")} AS evidence, count(*) AS dwellings
    FROM src_real_estate s
    WHERE {watch} AND s.p_hh IS NOT NULL AND s.use_type = 'residential'
    GROUP BY s.p_hh
    """
    return _head(hits, extra=f"AND hit.dwellings > {_int(params['max_dwellings'])}")


def payroll(params: dict[str, Any], ctx: Context, watch: str) -> str:
    ev = evidence("payroll", "s", detail="s.employer")
    return _person(f"""
    SELECT s.pk, '{ctx.on.year}' AS period,
           {ev_list(ev, "s.batch_id, s.row_number")} AS evidence
    FROM src_payroll s
    WHERE {watch}
    GROUP BY s.pk
    """)


def medical_aid_missing(params: dict[str, Any], ctx: Context, watch: str) -> str:
    start = months_back(ctx.on, int(params["months"]))
    ev = evidence(
        "medical_claims", "s", date="s.settle_date", amount="s.out_of_pocket", detail="s.visit_type"
    )
    return _person(f"""
    SELECT s.pk, strftime(max(s.settle_date), '%Y-%m') AS period,
           {ev_list(ev, "s.settle_date, s.batch_id, s.row_number")} AS evidence
    FROM src_medical_claims s
    WHERE {watch} AND s.p_grp = {ASSISTED} AND s.visit_type = 'inpatient'
      AND s.settle_date > {_date(start)} AND s.settle_date <= {_date(ctx.on)}
      AND NOT EXISTS (
          SELECT 1 FROM src_medical_assistance m WHERE m.pk = s.pk
            AND m.paid_date > {_date(start)} AND m.paid_date <= {_date(ctx.on)})
    GROUP BY s.pk
    """)


def _empty() -> str:
    return (
        "SELECT NULL::VARCHAR AS subject_hash, NULL::BIGINT AS person_id, NULL::BIGINT AS "
        "household_id, NULL::VARCHAR AS region_code, NULL::VARCHAR AS subject_name, "
        f"NULL::VARCHAR AS period, NULL::{EVIDENCE_TYPE} AS evidence WHERE FALSE"
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
