"""`safetynet jobs work [--once] [--poll SECONDS] [--stale-minutes N]`: the production worker that
runs queued jobs (with ``JOBS_WORKER`` set, the web process leaves them to it); `safetynet jobs
list [--limit N]`: the latest jobs.

`work` prints one line per job it ran: `job=ID kind=KIND status=STATUS`. It stops after the job
in hand on SIGTERM or SIGINT, so a deploy never cuts an import in half.
"""

from __future__ import annotations

import datetime as dt
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from safetynet.jobs.models import Job
from safetynet.jobs.runner import work


class Command(BaseCommand):
    help = "运行或查看后台任务"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        worker = sub.add_parser("work", help="持续领取并执行排队中的任务")
        worker.add_argument("--once", action="store_true", help="队列为空时退出")
        worker.add_argument("--poll", type=float, default=2.0, help="队列为空时的等待秒数")
        worker.add_argument(
            "--stale-minutes",
            type=int,
            default=30,
            help="进行中的任务超过该分钟数没有进展即视为中断，标记为失败",
        )
        listing = sub.add_parser("list", help="列出最近的任务")
        listing.add_argument("--limit", type=int, default=20)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self._list(options["limit"])
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        ran = work(
            stop=stop,
            poll_seconds=options["poll"],
            stale_after=dt.timedelta(minutes=options["stale_minutes"]),
            once=options["once"],
            report=lambda job: self.stdout.write(
                f"job={job.pk} kind={job.kind} status={job.status}"
            ),
        )
        self.stdout.write(f"ran={ran}")

    def _list(self, limit: int) -> None:
        for job in Job.objects.select_related("created_by").order_by("-created_at", "-id")[:limit]:
            created = timezone.localtime(job.created_at).strftime("%Y-%m-%d %H:%M:%S")
            who = job.created_by.username if job.created_by else "—"
            progress = f"{job.progress_done}/{job.progress_total}"
            line = f"{job.pk}\t{job.kind}\t{job.status}\t{progress}\t{who}\t{created}"
            self.stdout.write(line + (f"\t{job.error}" if job.error else ""))
