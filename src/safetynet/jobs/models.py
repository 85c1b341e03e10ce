from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


FINISHED = (JobStatus.SUCCEEDED, JobStatus.FAILED)


class Job(models.Model):
    """One piece of background work. ``task`` is the dotted path of a function marked with
    ``safetynet.jobs.tasks.task`` and ``args`` its JSON keyword arguments; whoever claims the
    job (a thread of the web process or a worker) calls it with them.

    Status moves queued → running → succeeded | failed, each step by a conditional UPDATE in
    ``safetynet.jobs.services`` so that two runners never both claim a job.
    """

    kind = models.CharField(_("任务类型"), max_length=40)
    task = models.CharField(_("任务函数"), max_length=200)
    args = models.JSONField(_("任务参数"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress_done = models.PositiveBigIntegerField(_("已处理"), default=0)
    progress_total = models.PositiveBigIntegerField(_("总数"), default=0)
    stage = models.CharField(_("当前步骤"), max_length=100, blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    # Chinese, for the user; the traceback goes to the log only.
    error = models.TextField(_("错误说明"), blank=True)
    # Who ran it: "thread:<host>:<pid>", "worker:<host>:<pid>" or "inline", for the administrator.
    runner = models.CharField(_("执行者"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The region whose work it is (the creator's scope when it was submitted; "" for the
    # system's own daily jobs): an administrator sees only the jobs of its own region.
    region_code = models.CharField(_("所属区划"), max_length=12, blank=True, default="")
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    # Moves with every progress write: a running job whose heartbeat stops has lost its runner.
    heartbeat_at = models.DateTimeField(_("最近进展时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The worker's claim: the oldest queued job; the stale check: running by heartbeat.
            models.Index(fields=["status", "created_at"], name="job_status_created_idx"),
            models.Index(fields=["created_by", "created_at"], name="job_creator_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))
