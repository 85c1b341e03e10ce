"""Work at province scale (issue 15): after `safetynet seed --province` has loaded the register,
the province gets cases in every step of the procedure and its annual reviews, set-based in
PostgreSQL (a few INSERT … SELECT statements, not the services one case at a time: a
province has tens of thousands of each).

- **Reviews**: every open dibao household and every destitute or 单人保 member gets its annual
  review on the next anniversary of the category's date counted from 30 days ago, so about one
  in twelve is overdue (up to a month) and the rest fall due over the coming year.
- **Cases**: one household in ``CASE_EVERY`` of those without a category applies for dibao, in
  seven steps in turn — handed in, accepted (investigation due), visited with the economic
  check pending, reviewed by the township, in publicity, publicity closed (the county decides),
  and decided (the category from the first of the next month, as a decision takes effect,
  with its first annual review). Dates come from the province's time limits (working days,
  ``deadlines``) counted back from today; each step has the rows and timeline events the
  services would have written.

Runs inside the seed's transaction; the register's rows are synthetic, the work is placed around
the day it is loaded on (like ``web.demo``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.utils import timezone

from safetynet.determination import deadlines
from safetynet.determination.common import limits
from safetynet.determination.models import (
    Application,
    ApplicationType,
    CaseEvent,
    DataCheck,
    Decision,
    EventKind,
    HomeVisit,
    Publicity,
    ReviewSchedule,
    Status,
)
from safetynet.registry.models import CategoryStatus, Household

CASE_EVERY = 40
STEPS = [
    Status.SUBMITTED,
    "investigating_fresh",
    "data_check_pending",
    Status.REVIEWED,
    Status.PUBLICITY,
    Status.CONFIRMING,
    Status.CONFIRMED,
]
FINDINGS = "家中人口与登记一致，收入来源单一，住房简陋。"
STAFF = '[{"name": "王建华"}, {"name": "李秀英"}]'


def _plan(province_code: str, today: dt.date) -> list[dict[str, Any]]:
    """One row of dates per (step, variant): variants shift the dates by a day or two."""
    rules = limits(province_code.ljust(12, "0"), today)
    rows = []
    for step_index, step in enumerate(STEPS):
        for variant in range(3):
            back = {0: 0, 1: 2, 2: 8, 3: 14, 4: 12, 5: 22, 6: 34}[step_index] + variant
            applied = today - dt.timedelta(days=back)
            row: dict[str, Any] = {
                "step": step_index,
                "variant": variant,
                "status": Status.INVESTIGATING
                if step in ("investigating_fresh", "data_check_pending")
                else step,
                "applied_on": applied,
                "accepted_on": None,
                "step_due_on": None,
                "procedure_due_on": None,
                "visited_on": None,
                "check_requested_on": None,
                "check_due_on": None,
                "check_answered_on": None,
                "reviewed_on": None,
                "pub_starts": None,
                "pub_ends": None,
                "pub_closed": None,
                "confirmation_requested_on": None,
                "decided_on": None,
                "closed_on": None,
                "start_month": None,
                "review_due": None,
            }
            if step_index >= 1:
                row["accepted_on"] = applied
                row["procedure_due_on"] = deadlines.procedure_due(
                    applied, delegated=False, extended=False, limits=rules
                )
                row["step_due_on"] = deadlines.investigation_start_due(applied, rules)
            if step_index >= 2:
                row["visited_on"] = applied + dt.timedelta(days=1)
                row["check_requested_on"] = applied + dt.timedelta(days=1)
                row["check_due_on"] = deadlines.data_check_due(row["check_requested_on"], rules)
                row["step_due_on"] = row["check_due_on"]
            if step_index >= 3:
                row["check_answered_on"] = applied + dt.timedelta(days=4)
                row["reviewed_on"] = applied + dt.timedelta(days=6)
                row["step_due_on"] = row["procedure_due_on"]
            if step_index >= 4:
                row["pub_starts"] = applied + dt.timedelta(days=7)
                row["pub_ends"] = deadlines.publicity_end(row["pub_starts"], rules)
                row["step_due_on"] = row["pub_ends"]
            if step_index >= 5:
                row["pub_closed"] = min(row["pub_ends"] + dt.timedelta(days=1), today)
                row["confirmation_requested_on"] = row["pub_closed"]
                row["step_due_on"] = deadlines.confirmation_due(
                    row["pub_closed"], ApplicationType.DIBAO, rules
                )
            if step_index >= 6:
                row["decided_on"] = min(row["pub_closed"] + dt.timedelta(days=3), today)
                row["closed_on"] = row["decided_on"]
                row["step_due_on"] = None
                row["start_month"] = deadlines.start_month(row["decided_on"])
                row["review_due"] = deadlines.annual_review_due(row["decided_on"], rules)
            rows.append(row)
    return rows


def province_work_seed(
    *, province_code: str, actor: Any, today: dt.date | None = None, case_every: int = CASE_EVERY
) -> str:
    """Place the province's reviews and cases (see the module docstring); a summary line."""
    today = today or timezone.localdate()
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    actor_name = getattr(actor, "username", "")
    prefix = province_code[:2] + "%"
    t = {
        m.__name__: m._meta.db_table
        for m in (
            Application,
            CaseEvent,
            DataCheck,
            Decision,
            HomeVisit,
            Publicity,
            ReviewSchedule,
            CategoryStatus,
            Household,
        )
    }
    plan = _plan(province_code, today)
    columns = list(plan[0])
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE seed_case_plan ("
            "step int, variant int, status varchar(16), applied_on date, accepted_on date, "
            "step_due_on date, procedure_due_on date, visited_on date, check_requested_on date, "
            "check_due_on date, check_answered_on date, reviewed_on date, pub_starts date, "
            "pub_ends date, pub_closed date, confirmation_requested_on date, decided_on date, "
            "closed_on date, start_month date, review_due date) ON COMMIT DROP"
        )
        cursor.executemany(
            f"INSERT INTO seed_case_plan ({', '.join(columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            [[row[c] for c in columns] for row in plan],
        )
        # Reviews of the categories the seed registered.
        since = today - dt.timedelta(days=30)
        cursor.execute(
            f"""
            INSERT INTO {t["ReviewSchedule"]} (household_id, region_id, person_id, kind, category,
                due_on, outcome, notes, new_category, created_at)
            SELECT cs.household_id, h.region_id, cs.person_id, 'annual_review', cs.category,
                   (cs.effective_from
                    + make_interval(years => date_part('year', age(%s::date,
                                                                  cs.effective_from))::int + 1)
                   )::date,
                   '', '', '', %s
              FROM {t["CategoryStatus"]} cs JOIN {t["Household"]} h ON h.id = cs.household_id
             WHERE cs.effective_to IS NULL AND cs.effective_from <= %s
               AND cs.category IN ('dibao', 'destitute', 'individual_dibao')
               AND h.region_id LIKE %s
            """,
            [since, now, since, prefix],
        )
        reviews = cursor.rowcount
        cursor.execute(
            f"""
            CREATE TEMP TABLE seed_cases ON COMMIT DROP AS
            SELECT nextval(pg_get_serial_sequence('{t["Application"]}', 'id')) AS app_id,
                   h.id AS household_id, h.region_id, h.head_id,
                   (h.id / {case_every}) %% {len(STEPS)} AS step,
                   (h.id / {case_every * len(STEPS)}) %% 3 AS variant
              FROM {t["Household"]} h
             WHERE h.category = '' AND h.id %% {case_every} = {7 % case_every}
               AND h.region_id LIKE %s
               AND h.head_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM {t["CategoryStatus"]} cs
                                WHERE cs.household_id = h.id AND cs.effective_to IS NULL)
             ORDER BY h.id
            """,
            [prefix],
        )
        cursor.execute(
            f"""
            INSERT INTO {t["Application"]} (id, type, reason, applied_on, status, version,
                step_due_on, procedure_due_on, missing_items, accepted_on, township_opinion,
                township_reviewed_on, confirmation_requested_on, delegated, spot_check_required,
                extension_reason, direct_inclusion, closed_on, created_at, updated_at,
                accepted_by_id, applicant_id, entered_by_id, household_id, region_id)
            SELECT c.app_id, 'dibao', '家庭收入低于当地低保标准，申请最低生活保障。',
                   p.applied_on, p.status, 1 + c.step, p.step_due_on, p.procedure_due_on, '[]',
                   p.accepted_on,
                   CASE WHEN p.reviewed_on IS NULL THEN '' ELSE '符合条件，建议纳入。' END,
                   p.reviewed_on, p.confirmation_requested_on, false, false, '', false,
                   p.closed_on, %s, %s,
                   CASE WHEN p.accepted_on IS NULL THEN NULL ELSE %s END,
                   c.head_id, %s, c.household_id, c.region_id
              FROM seed_cases c JOIN seed_case_plan p USING (step, variant)
            """,
            [now, now, actor_id, actor_id],
        )
        cases = cursor.rowcount
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{t['Application']}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {t['Application']}))"
        )
        # The timeline of each case: one event per step it has passed.
        events = [
            (EventKind.SUBMITTED, "applied_on", "", Status.SUBMITTED, 0),
            (EventKind.ACCEPTED, "accepted_on", Status.SUBMITTED, Status.INVESTIGATING, 1),
            (EventKind.HOME_VISIT, "visited_on", "", "", 2),
            (EventKind.DATA_CHECK_REQUESTED, "check_requested_on", "", "", 2),
            (EventKind.DATA_CHECK_ANSWERED, "check_answered_on", "", "", 3),
            (EventKind.TOWNSHIP_REVIEW, "reviewed_on", Status.INVESTIGATING, Status.REVIEWED, 3),
            (EventKind.PUBLICITY_STARTED, "pub_starts", Status.REVIEWED, Status.PUBLICITY, 4),
            (EventKind.PUBLICITY_CLOSED, "pub_closed", Status.PUBLICITY, Status.CONFIRMING, 5),
            (EventKind.CONFIRMED, "decided_on", Status.CONFIRMING, Status.CONFIRMED, 6),
        ]
        for kind, day, from_status, to_status, from_step in events:
            cursor.execute(
                f"""
                INSERT INTO {t["CaseEvent"]} (kind, from_status, to_status, actor_name, at, "on",
                    note, data, actor_id, application_id, household_id, region_id)
                SELECT %s, %s, %s, %s, p.{day}::timestamp + interval '9 hours', p.{day}, '', '{{}}',
                       %s, c.app_id, c.household_id, c.region_id
                  FROM seed_cases c JOIN seed_case_plan p USING (step, variant)
                 WHERE c.step >= %s
                """,
                [kind, from_status, to_status, actor_name, actor_id, from_step],
            )
        cursor.execute(
            f"""
            INSERT INTO {t["HomeVisit"]} (visited_on, staff, findings, recorded_at,
                application_id, recorded_by_id)
            SELECT p.visited_on, %s, %s, %s, c.app_id, %s
              FROM seed_cases c JOIN seed_case_plan p USING (step, variant) WHERE c.step >= 2
            """,
            [STAFF, FINDINGS, now, actor_id],
        )
        cursor.execute(
            f"""
            INSERT INTO {t["DataCheck"]} (requested_on, due_on, answered_on, answer,
                answered_by_id, application_id, requested_by_id)
            SELECT p.check_requested_on, p.check_due_on, p.check_answered_on,
                   CASE WHEN p.check_answered_on IS NULL THEN '' ELSE '未发现不一致。' END,
                   CASE WHEN p.check_answered_on IS NULL THEN NULL ELSE %s END, c.app_id, %s
              FROM seed_cases c JOIN seed_case_plan p USING (step, variant) WHERE c.step >= 2
            """,
            [actor_id, actor_id],
        )
        cursor.execute(
            f"""
            INSERT INTO {t["Publicity"]} (starts_on, ends_on, place, closed_on, interrupted,
                application_id, started_by_id)
            SELECT p.pub_starts, p.pub_ends, '村(居)务公开栏', p.pub_closed, false, c.app_id, %s
              FROM seed_cases c JOIN seed_case_plan p USING (step, variant) WHERE c.step >= 4
            """,
            [actor_id],
        )
        cursor.execute(
            f"""
            INSERT INTO {t["Decision"]} (outcome, level, category, care_tier, amount_basis,
                start_month, reasons, decided_on, application_id, decided_by_id)
            SELECT 'confirmed', 'county', 'dibao', '', '{{}}', p.start_month,
                   '经审核，符合最低生活保障条件。', p.decided_on, c.app_id, %s
              FROM seed_cases c JOIN seed_case_plan p USING (step, variant) WHERE c.step = 6
            """,
            [actor_id],
        )
        # The decision's category from its month (recorded ahead when that is still to come,
        # ADR 0011) and its first annual review.
        cursor.execute(
            f"""
            INSERT INTO {t["CategoryStatus"]} (household_id, person_id, category, effective_from,
                reason, decided_by_id, created_at)
            SELECT c.household_id, NULL, 'dibao', p.start_month, '审核确认（合成数据）', %s, %s
              FROM seed_cases c JOIN seed_case_plan p USING (step, variant) WHERE c.step = 6
            """,
            [actor_id, now],
        )
        cursor.execute(
            f"""
            UPDATE {t["Household"]} h SET category = 'dibao', updated_at = %s
              FROM seed_cases c JOIN seed_case_plan p USING (step, variant)
             WHERE c.step = 6 AND h.id = c.household_id AND p.start_month <= %s
            """,
            [now, today],
        )
        cursor.execute(
            f"""
            INSERT INTO {t["ReviewSchedule"]} (household_id, region_id, application_id, person_id,
                kind, category, due_on, outcome, notes, new_category, created_at)
            SELECT c.household_id, c.region_id, c.app_id, NULL, 'annual_review', 'dibao',
                   p.review_due, '', '', '', %s
              FROM seed_cases c JOIN seed_case_plan p USING (step, variant) WHERE c.step = 6
            """,
            [now],
        )
        for table in (t["Application"], t["CaseEvent"], t["ReviewSchedule"]):
            cursor.execute(f'ANALYZE "{table}"')
    return f"province_work reviews={reviews} cases={cases} steps={len(STEPS)}"
