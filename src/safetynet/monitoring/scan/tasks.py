"""The scan as a background job: the scan button (progress polled by the page), after each
stored department batch (only the indicators that read its source), and the daily task that
escalates overdue home checks every day and scans the province once a month."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.services import system_user
from safetynet.jobs.runner import job_run_in_background
from safetynet.jobs.services import JobError, job_create
from safetynet.jobs.tasks import ProgressFn, task
from safetynet.monitoring.models import Scan
from safetynet.monitoring.scan.rules import RULES
from safetynet.monitoring.scan.services import ScanError, scan_run

SCAN_KIND = "monitoring.scan"
DAILY_KIND = "monitoring.daily"


def _actor(job: Any) -> User:
    return job.created_by if job.created_by_id else system_user()


@task(kind=SCAN_KIND, result_template="monitoring/scan_result.html")
def scan_task(
    *,
    job: Any,
    progress: ProgressFn,
    region: str = "",
    indicators: list[str] | None = None,
    trigger: str = "manual",
) -> dict[str, Any]:
    totals = {"alerts": 0, "new": 0, "closed": 0}
    codes: list[str | None] = list(indicators) if indicators else [None]
    try:
        for code in codes:
            result = scan_run(
                actor=_actor(job),
                region_code=region or None,
                indicator_code=code,
                trigger=trigger,
                progress=progress,
            )
            for key in totals:
                totals[key] += getattr(result, key)
    except ScanError as exc:
        raise JobError(str(exc)) from exc
    return totals


def scan_submit(*, actor: User, region: str = "") -> Any:
    """The scan button: a job the page polls for progress."""
    job = job_create(task=scan_task, args={"region": region}, actor=actor)
    job_run_in_background(job, scan_task)
    return job


def indicators_reading(source: str) -> list[str]:
    """The shipped rules (hence indicator codes using them) that read ``source``."""
    from safetynet.monitoring.models import Indicator

    rules = [name for name, rule in RULES.items() if source in rule.sources]
    return sorted(set(Indicator.objects.filter(rule__in=rules).values_list("code", flat=True)))


def scan_after_batch(*, source: str) -> None:
    """Queue a province-wide scan of the indicators reading ``source`` once the batch's
    transaction commits (``MONITORING_SCAN_AFTER_BATCH``)."""
    codes = indicators_reading(source)
    if not codes:
        return

    def queue() -> None:
        job = job_create(
            task=scan_task, args={"indicators": codes, "trigger": f"batch:{source}"}, actor=None
        )
        job_run_in_background(job, scan_task)

    transaction.on_commit(queue)


@task(kind=DAILY_KIND)
def daily_task(*, job: Any, progress: ProgressFn) -> dict[str, Any]:
    """Every day: escalate overdue home checks and create the periodic checks fallen due (二(二)).
    Once a month: scan the whole province."""
    from safetynet.monitoring.checks.services import escalate_overdue, periodic_checks_create

    today = timezone.localdate()
    escalated = escalate_overdue(on=today)
    periodic = periodic_checks_create(on=today, months=settings.MONITORING_PERIODIC_CHECK_MONTHS)
    result: dict[str, Any] = {"on": today.isoformat(), "escalated": escalated, "periodic": periodic}
    monthly = Scan.objects.filter(
        trigger="monthly", on__year=today.year, on__month=today.month
    ).exists()
    if not monthly and settings.MONITORING_MONTHLY_SCAN:
        scanned = scan_run(actor=system_user(), trigger="monthly", progress=progress)
        result.update(alerts=scanned.alerts, new=scanned.new, closed=scanned.closed)
    progress(1, 1, "完成")
    return result
