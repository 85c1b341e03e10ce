"""The roll-ups count what the registry's category history says, and every figure equals its
drill-down list, at every level and filter."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Sum

from safetynet.audit.models import AuditRecord
from safetynet.jobs.exports import export_submit
from safetynet.regions.models import Region
from safetynet.registry.choices import Category, Residence
from safetynet.registry.models import Household
from safetynet.reports import figures as registry
from safetynet.reports import monthly
from safetynet.reports.figures import Query, in_category_on
from safetynet.reports.models import MonthlyRollup
from safetynet.reports.rollups import refresh_month, snapshot_day
from safetynet.reports.services import drill_export_write

pytestmark = pytest.mark.django_db


def _row(world: Any, region: str, **filters: str) -> dict[str, int]:
    rows = MonthlyRollup.objects.filter(month=world.month, region_code=region, **filters)
    return rows.aggregate(
        households=Sum("households"),
        persons=Sum("persons"),
        inflow=Sum("inflow"),
        outflow=Sum("outflow"),
    )


def test_counts_and_flows_follow_the_dated_history(world: Any) -> None:
    county = "410105000000"
    dibao = _row(world, county, level="county", category="dibao")
    # kept + new (in at the month's end); ended and moved went out; new came in.
    assert dibao == {"households": 2, "persons": 4, "inflow": 1, "outflow": 2}
    near = _row(world, county, level="county", category="near_dibao")
    assert near == {"households": 2, "persons": 4, "inflow": 2, "outflow": 0}
    destitute = _row(world, county, level="county", category="destitute")
    assert destitute == {"households": 1, "persons": 1, "inflow": 1, "outflow": 0}
    # The month before: kept, ended, moved in dibao, all three new then.
    before = MonthlyRollup.objects.filter(
        month=world.before, level="county", region_code=county, category="dibao"
    ).aggregate(households=Sum("households"), inflow=Sum("inflow"))
    assert before == {"households": 3, "inflow": 3}
    # 中原区 is not in 金水区's rows, but in the city's and the province's.
    city = _row(world, "410100000000", level="city", category="dibao")
    assert city["households"] == 3


def test_levels_add_up_by_code_prefix(world: Any) -> None:
    for level, below in (("township", "village"), ("county", "township"), ("city", "county")):
        for row in MonthlyRollup.objects.filter(month=world.month, level=level):
            digits = {"township": 9, "county": 6, "city": 4}[level]
            prefix = row.region_code[:digits]
            parts = MonthlyRollup.objects.filter(
                month=world.month,
                level=below,
                region_code__startswith=prefix,
                category=row.category,
                residence=row.residence,
            ).aggregate(n=Sum("households"))
            assert parts["n"] == row.households


def _queries(user: Any, world: Any, region: Region) -> list[Query]:
    base = Query(user=user, region=region, month=world.month)
    found = [base, replace(base, month=world.before), replace(base, month=world.current)]
    for category in ["", *Category.values]:
        for residence in ["", *Residence.values]:
            found.append(replace(base, category=category, residence=residence))
    return found


@pytest.mark.parametrize("code", ["410105000000", "township", "410100000000"])
def test_every_figure_equals_the_count_of_its_drill_down(
    world: Any, county_officer: Any, supervisor: Any, code: str
) -> None:
    user = supervisor if code == "410100000000" else county_officer
    region = world.townships[0] if code == "township" else Region.objects.get(code=code)
    checked = 0
    for figure in registry.available():
        for q in _queries(user, world, region):
            rows = figure.drill(q)
            value = figure.value(q)
            if figure.drill_measure == "count":
                assert value == rows.count(), (figure.key, q.params())
            elif figure.drill_measure == "member_count" and q.category not in (
                "destitute",
                "individual_dibao",
                "",
            ):
                members = rows.aggregate(n=Sum("member_count"))["n"] or 0
                assert value == members, (figure.key, q.params())
            elif figure.drill_measure == "amount":
                paid = rows.aggregate(n=Sum("amount"))["n"] or 0
                assert value == paid, (figure.key, q.params())
            # the figure of each region below is that region's own figure
            for child_code, child_value in figure.by_region(q).items():
                child = Region.objects.get(code=child_code)
                assert figure.value(replace(q, region=child)) == child_value
            checked += 1
    assert checked > 100


def test_the_amounts_paid_are_the_issued_rolls_lines(
    world: Any, county_officer: Any, supervisor: Any
) -> None:
    """The world's 金水区 roll of the month: 500 + 300 (dibao) + 800 (destitute); 中原区's 400
    is the city's, not the county's; no roll in the month before."""
    county = Region.objects.get(code="410105000000")
    q = Query(user=county_officer, region=county, month=world.month)
    paid_amount, paid_households = registry.get("paid_amount"), registry.get("paid_households")
    assert paid_amount is not None and paid_households is not None
    assert paid_amount.value(q) == Decimal("1600.00")
    assert paid_households.value(q) == 3
    assert paid_amount.value(replace(q, category="dibao")) == Decimal("800.00")
    assert paid_amount.value(replace(q, month=world.before)) == 0
    city = Query(user=supervisor, region=Region.objects.get(code="410100000000"), month=world.month)
    assert paid_amount.by_region(city)["410105000000"] == Decimal("1600.00")
    assert paid_amount.by_region(city)["410102000000"] == Decimal("400.00")


def test_checks_and_reviews_on_time_are_counted_and_listed(world: Any, county_officer: Any) -> None:
    import datetime as dt

    from safetynet.determination.models import ReviewSchedule
    from safetynet.monitoring.models import HomeCheck, Visit

    household = world.households["kept"]
    due = world.month.replace(day=12)
    on_time = HomeCheck.objects.create(
        kind="periodic",
        household=household,
        region_code=household.region_id,
        township_code=household.region_id[:9] + "000",
        created_on=world.month,
        due_on=due,
        status="done",
    )
    Visit.objects.create(home_check=on_time, visited_on=due, findings="无变化", outcome="no_change")
    HomeCheck.objects.create(
        kind="periodic",
        household=household,
        region_code=household.region_id,
        township_code=household.region_id[:9] + "000",
        created_on=world.month,
        due_on=due,
    )
    ReviewSchedule.objects.create(
        household=household,
        region=household.region,
        kind="annual_review",
        category="dibao",
        due_on=due,
        done_on=due + dt.timedelta(days=3),
    )
    q = Query(
        user=county_officer, region=Region.objects.get(code="410105000000"), month=world.month
    )
    values = {f.key: f.value(q) for f in registry.available()}
    assert values["checks_due"] == 2
    assert values["checks_on_time"] == 1
    assert values["reviews_due"] == 1
    assert values["reviews_on_time"] == 0
    assert registry.get("checks_on_time").drill(q).get() == on_time  # type: ignore[union-attr]


def test_the_monthly_report_reconciles_with_the_registry(world: Any, county_officer: Any) -> None:
    county = Region.objects.get(code="410105000000")
    report = monthly.build(user=county_officer, region=county, month=world.current)
    today = snapshot_day(world.current)
    households = Household.objects.filter(
        region_id__gte="410105000000", region_id__lte="410105999999"
    )
    for table in report.tables:
        if table.category in ("destitute", "individual_dibao"):
            statuses = in_category_on(today, table.category).filter(
                household__region_id__gte="410105000000", household__region_id__lte="410105999999"
            )
            expected_households = statuses.values("household_id").distinct().count()
            expected_persons = statuses.values("person_id").distinct().count()
        else:
            listed = households.filter(category=table.category)
            expected_households = listed.count()
            expected_persons = listed.aggregate(n=Sum("member_count"))["n"] or 0
        assert table.total.total("households") == expected_households, table.category
        assert table.total.total("persons") == expected_persons, table.category
        # the lines of the townships add up to the total
        assert sum(line.total("households") for line in table.lines) == expected_households
    assert any(t.total.total("households") for t in report.tables)
    content = monthly.workbook(report)
    assert content.startswith(b"PK")


def test_the_command_refreshes_a_month_and_ends_with_rows(world: Any) -> None:
    out = io.StringIO()
    call_command(
        "reports", "refresh", "--month", f"{world.month:%Y-%m}", stdout=out, stderr=io.StringIO()
    )
    last = out.getvalue().strip().splitlines()[-1]
    assert last == f"rows={MonthlyRollup.objects.filter(month=world.month).count()}"
    assert last != "rows=0"
    # idempotent
    again = refresh_month(world.month)
    assert again.rows == MonthlyRollup.objects.filter(month=world.month).count()


def test_a_drill_down_export_is_audited(world: Any, county_officer: Any) -> None:
    q = Query(
        user=county_officer,
        region=Region.objects.get(code="410105000000"),
        month=world.month,
        category="dibao",
    )
    job = export_submit(
        write=drill_export_write,
        user=county_officer,
        params={**q.params(), "figure": "households"},
        client=None,
    )
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["rows"] == 2, job.error
    assert job.region_code == "410105000000"
    assert AuditRecord.objects.filter(
        object_type="reports.DrillDown", actor=county_officer, detail__job=job.pk
    ).exists()


def test_the_daily_run_refreshes_this_month_and_the_last(world: Any, settings: Any) -> None:
    from config.settings import base
    from safetynet.jobs.models import Job, JobStatus
    from safetynet.reports.models import RefreshRun
    from safetynet.reports.tasks import REFRESH_KIND

    assert "safetynet.reports.tasks.refresh_task" in base.JOBS_DAILY
    settings.JOBS_INLINE = False
    settings.JOBS_WORKER = True
    settings.JOBS_DAILY = ["safetynet.reports.tasks.refresh_task"]
    MonthlyRollup.objects.all().delete()
    out = io.StringIO()
    call_command("jobs", "work", "--once", stdout=out)
    assert out.getvalue().splitlines()[-1] == "ran=1"
    job = Job.objects.get(kind=REFRESH_KIND)
    assert job.status == JobStatus.SUCCEEDED
    assert job.result["months"] == [f"{world.month:%Y-%m}", f"{world.current:%Y-%m}"]
    assert job.result["rows"] == MonthlyRollup.objects.count() > 0
    assert RefreshRun.objects.filter(trigger="daily").count() == 2
