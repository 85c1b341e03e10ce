"""Marking functions as job tasks and finding them again by their dotted path.

A job row names its task by path, so a worker in another process can run it. Only functions
marked with ``@task`` resolve: a job row can never make a runner import and call anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.module_loading import import_string


class ProgressFn(Protocol):
    def __call__(self, done: int, total: int, stage: str) -> None: ...


# A task is called as ``func(job=job, progress=progress, **job.args)`` and returns the result as
# a JSON-serialisable dict.
TaskFunc = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class TaskInfo:
    kind: str
    # Renders ``job`` and ``result`` when the job has finished (the polling partial includes it).
    result_template: str = ""


class UnknownTask(LookupError):
    pass


_MARK = "_safetynet_job_task"


def task(*, kind: str, result_template: str = "") -> Callable[[TaskFunc], TaskFunc]:
    def mark(func: TaskFunc) -> TaskFunc:
        setattr(func, _MARK, TaskInfo(kind=kind, result_template=result_template))
        return func

    return mark


def task_info(func: TaskFunc) -> TaskInfo:
    info = getattr(func, _MARK, None)
    if not isinstance(info, TaskInfo):
        raise UnknownTask(f"{func!r} is not marked with @task")
    return info


def task_path(func: TaskFunc) -> str:
    task_info(func)
    if "<locals>" in func.__qualname__:
        raise UnknownTask(f"{func.__qualname__} is not importable by a worker")
    return f"{func.__module__}.{func.__qualname__}"


def task_resolve(path: str) -> TaskFunc:
    try:
        func = import_string(path)
    except ImportError as exc:
        raise UnknownTask(f"task {path} cannot be imported") from exc
    task_info(func)
    return func
