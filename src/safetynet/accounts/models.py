from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from safetynet.accounts.roles import ROLE_CAPABILITIES, Department, Role


class User(AbstractUser):
    # Administrators manage the accounts of their own region (accounts.staff): the one scope
    # filter reads the account's region like a household's village.
    SCOPE_FIELD = "scope_region_id"

    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    department = models.CharField(
        _("所属部门"), max_length=32, choices=Department.choices, default=Department.CIVIL_AFFAIRS
    )
    scope_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("管辖区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("用户只能查看和处理本区域内的家庭与人员。未设置则看不到任何人员数据。"),
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    # Screens and documents name people by their real name and post, never by the login name.
    real_name = models.CharField(_("姓名"), max_length=50, blank=True)
    post = models.CharField(_("职务(岗位)"), max_length=50, blank=True)
    # Set when an administrator creates the account or resets its password: the one-time
    # password shown to the administrator must be replaced at the next login.
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]

    def get_full_name(self) -> str:
        """The real name; the Western first/last pair only for accounts made before it existed."""
        return self.real_name or f"{self.last_name}{self.first_name}".strip()

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def signature(self) -> str:
        """Name and post as documents print them: 张丽（乡镇民政专干）."""
        name = self.display_name
        return f"{name}（{self.post}）" if self.post else name

    def has_capability(self, capability: str) -> bool:
        if not self.is_active:
            return False
        return capability in ROLE_CAPABILITIES.get(self.role, frozenset())


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for a department system. Only the SHA-256 of the token is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user.username}: {self.name}"

    @staticmethod
    def generate() -> tuple[str, str]:
        raw = secrets.token_urlsafe(32)
        return raw, _hash_token(raw)

    @staticmethod
    def hash(raw: str) -> str:
        return _hash_token(raw)


class Office(models.Model):
    """A department's office in a region (兰考县民政局, 城关镇社会救助窗口): its name, telephone and
    address, kept by the region's administrator. Documents print the civil-affairs office's
    telephone where the deployment sets none (the publicity list's objection telephone)."""

    SCOPE_FIELD = "region_id"

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.CharField(_("部门"), max_length=32, choices=Department.choices)
    name = models.CharField(_("单位名称"), max_length=100)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("部门单位")
        verbose_name_plural = _("部门单位")
        ordering = ["region", "department", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="office_one_name_per_region")
        ]
        indexes = [models.Index(fields=["department", "region"], name="office_department_idx")]

    def __str__(self) -> str:
        return self.name


class Credential(models.Model):
    """A user's second factor and password age (ADR 0017): the TOTP secret (RFC 6238), confirmed
    once the user has typed a code from the app; recovery codes, SHA-256 hashed, each usable
    once; the last time step accepted (a code is not accepted twice); when the password was
    last changed, for ``PASSWORD_MAX_AGE_DAYS``."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="credential")
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_confirmed_at = models.DateTimeField(null=True, blank=True)
    totp_last_step = models.BigIntegerField(default=0)
    recovery_hashes = models.JSONField(default=list)
    password_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("登录凭据")
        verbose_name_plural = _("登录凭据")

    def __str__(self) -> str:
        return str(self.user_id)
