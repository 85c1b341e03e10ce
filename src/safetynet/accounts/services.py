"""Writes to accounts: creating users, the system account that console jobs act as, and the
demo accounts of `make demo`. Every write records an audit entry."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safetynet.accounts.models import ApiToken, User
from safetynet.accounts.roles import Department, Role
from safetynet.audit.models import Action
from safetynet.audit.services import audit_record
from safetynet.regions.codes import prefix_bounds
from safetynet.regions.models import Level, Region
from safetynet.regions.selectors import county_get

if TYPE_CHECKING:
    from safetynet.accounts.models import User

SYSTEM_USERNAME = "system"


class AccountError(Exception):
    """A request about accounts that cannot be carried out, with a Chinese message."""


def _province() -> Region:
    code = settings.PROVINCE_CODE
    try:
        return Region.objects.get(code=code)
    except Region.DoesNotExist as exc:
        raise AccountError(f"省级区划 {code} 不存在，请先加载区划数据") from exc


def system_user() -> User:
    """The account console jobs (seed, scheduled scans) act as: an administrator scoped to the
    province who cannot log in. Created on first use."""
    user = User.objects.filter(username=SYSTEM_USERNAME).first()
    if user is not None:
        return user
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            username=SYSTEM_USERNAME,
            defaults={
                "role": Role.ADMINISTRATOR,
                "scope_region": _province(),
                "first_name": "系统",
                "real_name": "系统自动任务",
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            audit_record(
                actor=None,
                action=Action.CREATE,
                object_type="user",
                object_id=user.pk,
                region_code=user.scope_region_id or "",
                summary="创建系统账号（不可登录）",
            )
    return user


def user_create(
    *,
    actor: User,
    username: str,
    password: str,
    role: str,
    scope_region: Region,
    first_name: str = "",
    real_name: str = "",
    post: str = "",
    department: str = Department.CIVIL_AFFAIRS,
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create a user, or reset an existing one with that username to exactly these settings.

    The password must pass AUTH_PASSWORD_VALIDATORS; the error says why it does not.
    """
    if role not in Role.values:
        raise AccountError(f"角色无效：{role}")
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        created = user is None
        if user is None:
            user = User(username=username)
        user.role = role
        user.scope_region = scope_region
        user.first_name = first_name
        user.real_name = real_name
        user.post = post
        user.department = department
        user.is_staff = is_staff
        user.is_superuser = is_superuser
        user.is_active = True
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise AccountError(
                f"账号 {username} 的密码不符合要求：{'；'.join(exc.messages)}"
            ) from exc
        user.set_password(password)
        user.save()
        audit_record(
            actor=actor,
            action=Action.CREATE if created else Action.UPDATE,
            object_type="user",
            object_id=user.pk,
            region_code=scope_region.code,
            summary=("创建账号" if created else "重置账号")
            + f"：{username}（{user.get_role_display()}）",
        )
    return user


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role_label: str
    scope_name: str
    scope_code: str


# Syllables for readable random passwords: easy to type from the console, never the same twice.
_CONSONANTS = "bcdfghjkmnpqrstwxyz"
_VOWELS = "aeiou"


def demo_password() -> str:
    """A random password such as ``Kotabe-4821-mu``: 14 characters, letters and digits."""
    word = "".join(secrets.choice(_CONSONANTS) + secrets.choice(_VOWELS) for _ in range(3))
    tail = secrets.choice(_CONSONANTS) + secrets.choice(_VOWELS)
    return f"{word.capitalize()}-{secrets.randbelow(9000) + 1000}-{tail}"


def _county_of(code: str) -> Region:
    try:
        return county_get(code=code)
    except ValueError as exc:
        raise AccountError(str(exc)) from exc


def _first_below(region: Region, level: str) -> Region:
    lo, hi = prefix_bounds(region.prefix)
    found = (
        Region.objects.filter(code__gte=lo, code__lte=hi, level=level)
        .exclude(name__contains="虚拟")
        .order_by("code")
        .first()
    )
    if found is None:
        raise AccountError(f"{region.name}（{region.code}）下没有{Level(level).label}")
    return found


def demo_accounts_reset(*, county_code: str) -> list[DemoAccount]:
    """Create or reset the six demo accounts of a county with fresh random passwords.

    Village assistant of the county's first village, township officer of its first township,
    county officer of the county; supervisor, auditor and administrator of the province.
    """
    county = _county_of(county_code)
    township = _first_below(county, Level.TOWNSHIP)
    village = _first_below(township, Level.VILLAGE)
    province = _province()
    # username, role, scope, real name, post, is_staff and is_superuser
    plan: list[tuple[str, str, Region, str, str, bool]] = [
        ("demo_village", Role.VILLAGE_ASSISTANT, village, "王秀兰", "村(居)社会救助协理员", False),
        ("demo_township", Role.TOWNSHIP_OFFICER, township, "李建国", "乡镇民政专干", False),
        ("demo_county", Role.COUNTY_OFFICER, county, "张丽", "县民政局社会救助股股长", False),
        ("demo_province", Role.SUPERVISOR, province, "赵明", "省民政厅社会救助处督导", False),
        ("demo_auditor", Role.AUDITOR, province, "刘芳", "省民政厅审计员", False),
        ("demo_admin", Role.ADMINISTRATOR, province, "陈磊", "省民政厅信息中心管理员", True),
    ]
    actor = system_user()
    accounts: list[DemoAccount] = []
    with transaction.atomic():
        for username, role, scope, real_name, post, admin in plan:
            password = demo_password()
            user = user_create(
                actor=actor,
                username=username,
                password=password,
                role=role,
                scope_region=scope,
                real_name=real_name,
                post=post,
                is_staff=admin,
                is_superuser=admin,
            )
            accounts.append(
                DemoAccount(
                    username=username,
                    password=password,
                    role_label=str(user.get_role_display()),
                    scope_name=scope.full_name or scope.name,
                    scope_code=scope.code,
                )
            )
    return accounts


def api_token_create(*, user: User, name: str, actor: User) -> str:
    """Create a bearer token for a department system acting as ``user``.

    Returns the raw token; it is shown this once and only its SHA-256 is stored.
    """
    label = name.strip()
    if not label:
        raise AccountError("请填写令牌用途，如“医保局数据交换”")
    if len(label) > 100:
        raise AccountError("令牌用途过长，最多 100 个字符")
    if not user.is_active:
        raise AccountError(f"账号 {user.username} 已停用，不能创建接口令牌")
    raw, digest = ApiToken.generate()
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=label, token_hash=digest)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="api_token",
            object_id=token.pk,
            region_code=user.scope_region_id or "",
            summary=f"创建接口令牌：{user.display_name}（{label}）",
            detail={"username": user.username},
        )
    return raw


def api_token_revoke(*, token_id: int, actor: User) -> ApiToken:
    """Revoke a token; it is refused from then on. Revoking it again changes nothing."""
    with transaction.atomic():
        found = (
            ApiToken.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=token_id)
            .first()
        )
        if found is None:
            raise AccountError(f"接口令牌 #{token_id} 不存在")
        if found.revoked_at is not None:
            return found
        found.revoked_at = timezone.now()
        found.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="api_token",
            object_id=found.pk,
            region_code=found.user.scope_region_id or "",
            summary=f"撤销接口令牌：{found.user.display_name}（{found.name}）",
            detail={"username": found.user.username},
        )
    return found
