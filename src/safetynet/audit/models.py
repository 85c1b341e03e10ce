from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("查看")
    REVEAL = "reveal", _("查看完整身份证号")
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    EXPORT = "export", _("导出")
    IMPORT = "import", _("导入")
    SEARCH = "search", _("按身份证号查询")


class AuditRecord(models.Model):
    """One audited event. ``hash`` covers every other field and the previous record's hash."""

    SCOPE_FIELD = "region_code"

    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Kept beside the key so that the record reads the same after a user is renamed.
    actor_username = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("对象类型"), max_length=40)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    region_code = models.CharField(_("所属区划"), max_length=12, blank=True)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    ip_address = models.CharField(_("来源地址"), max_length=45, blank=True)
    channel = models.CharField(_("渠道"), max_length=10, default="web")  # web | api | cli
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["actor", "at"], name="audit_actor_at_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["region_code", "at"], name="audit_region_at_idx"),
            models.Index(fields=["action", "at"], name="audit_action_at_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.actor_username} {self.action} {self.object_type}:{self.object_id}"

    @property
    def object_label(self) -> str:
        from safetynet.audit.object_types import object_label

        return object_label(self.object_type, self.object_id)

    @property
    def channel_label(self) -> str:
        from safetynet.audit.object_types import CHANNELS

        return CHANNELS.get(self.channel, self.channel)

    @property
    def actor_label(self) -> str:
        """The actor's real name and post; the stored username when the account is gone."""
        if self.actor is not None:
            return str(getattr(self.actor, "signature", "") or self.actor_username)
        return self.actor_username or "—"


class ChainHead(models.Model):
    """A single row holding the newest hash; locking it serialises appends to the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64)
    last_record_id = models.BigIntegerField(null=True)

    class Meta:
        verbose_name = _("审计链头")

    def __str__(self) -> str:
        return self.last_hash


class PendingAuditRecord(models.Model):
    """A read (view, search, reveal, export) waiting to be chained (ADR 0016).

    Reads are the bulk of the trail and change nothing, so they do not queue on ``ChainHead``'s
    lock: they insert here, and whoever next holds the lock (the next write, the worker every
    few seconds, ``audit verify``, the audit search page, or the read itself when the lock is
    free) moves every pending row into the chain in id order, with its own time, and deletes it.
    """

    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64, blank=True)
    region_code = models.CharField(max_length=12, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.CharField(max_length=45, blank=True)
    channel = models.CharField(max_length=10, default="web")

    objects: models.Manager[PendingAuditRecord] = models.Manager()

    class Meta:
        verbose_name = _("待入链审计记录")
        verbose_name_plural = _("待入链审计记录")

    def __str__(self) -> str:
        return f"待入链 #{self.pk} {self.actor_username} {self.action} {self.object_type}"
