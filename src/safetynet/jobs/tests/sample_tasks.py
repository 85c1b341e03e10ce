"""Tasks for the jobs tests: importable by path, like real ones."""

from __future__ import annotations

from typing import Any

from safetynet.jobs.services import JobError
from safetynet.jobs.tasks import ProgressFn, task

CALLS: list[dict[str, Any]] = []


@task(kind="test.echo")
def echo(*, job: Any, progress: ProgressFn, text: str, steps: int = 0) -> dict[str, Any]:
    CALLS.append({"job": job.pk, "text": text})
    for step in range(steps):
        progress(step + 1, steps, "处理中")
    return {"echo": text}


@task(kind="test.refuse")
def refuse(*, job: Any, progress: ProgressFn) -> dict[str, Any]:
    raise JobError("文件中没有数据")


@task(kind="test.crash")
def crash(*, job: Any, progress: ProgressFn) -> dict[str, Any]:
    raise RuntimeError("secret internal detail 410105199001011234")


def not_a_task(*, job: Any, progress: ProgressFn) -> dict[str, Any]:
    return {}


@task(kind="test.tick")
def tick(*, job: Any, progress: ProgressFn) -> dict[str, Any]:
    """A daily task: no arguments."""
    CALLS.append({"job": job.pk, "text": "tick"})
    return {"tick": True}
