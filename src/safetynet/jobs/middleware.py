"""The daily tasks in the embedded default, where no `safetynet jobs work` runs: the first
request of each local day queues them and starts them in a thread of the web process, like any
other job. With ``JOBS_WORKER`` the worker does it and this middleware does nothing."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from safetynet.jobs.runner import daily_jobs_queue, job_run_in_background

logger = logging.getLogger(__name__)

# After a failure (the database away for a moment), the next try waits this long, so that a
# broken database does not cost every request a failed attempt.
RETRY_SECONDS = 300.0


class DailyJobsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._checked: dt.date | None = None
        self._retry_at = 0.0
        self._lock = threading.Lock()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.JOBS_DAILY and not settings.JOBS_WORKER:
            self._daily()
        return self.get_response(request)

    def _daily(self) -> None:
        today = timezone.localdate()
        if self._checked == today or time.monotonic() < self._retry_at:
            return  # the common case: one comparison per request
        with self._lock:
            if self._checked == today:
                return
            try:
                for job in daily_jobs_queue():
                    job_run_in_background(job)
            except Exception:  # the user's request must not fail for the daily tasks
                logger.exception("daily jobs could not be queued")
                self._retry_at = time.monotonic() + RETRY_SECONDS
            else:
                self._checked = today
