from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.jobs import selectors
from safetynet.jobs.models import Job

POLL_SECONDS = 1


def job_context(job: Job) -> dict[str, object]:
    """What ``jobs/_job.html`` needs; pages that show a job inline render it with this."""
    return {
        "job": job,
        "result": job.result,
        "result_template": selectors.job_result_template(job) if job.finished else "",
        "stalled": selectors.job_stalled(job),
        "poll_seconds": POLL_SECONDS,
    }


@login_required
@require_GET
def job_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The job's progress as an htmx partial that polls itself until the job ends; the whole
    page when opened directly."""
    job = selectors.job_access(user=request.user, pk=pk)
    template = "jobs/_job.html" if request.headers.get("HX-Request") else "jobs/job.html"
    response = render(request, template, job_context(job))
    response["Cache-Control"] = "no-store"
    return response
