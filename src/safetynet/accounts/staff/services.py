"""Writes of system management (系统设置 › 用户、接口令牌、部门单位): an administrator manages the
accounts, tokens and department offices of their own region.

The rules, in one place for the pages and the console:
- the actor needs ``MANAGE_USERS``; an account, token or office outside the actor's region is
  refused exactly as one that does not exist (404, ADR 0002);
- an account may be given only a region inside the actor's region and only a role whose
  capabilities the actor holds (no one hands out more than they have);
- nobody disables their own account or changes their own role or region here (another
  administrator does), and technical accounts (Django superusers, the system account) are left
  to 技术管理;
- a new account and a reset password get a one-time password, shown once to the administrator
  and never stored or logged in clear; it must be changed at the next login;
- every change is one audit record naming what changed (never a password).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404

from safetynet.accounts.models import ApiToken, Office, User
from safetynet.accounts.permissions import NOT_FOUND, PermissionDenied, require
from safetynet.accounts.roles import ROLE_CAPABILITIES, Capability, Department, Role
from safetynet.accounts.scope import in_scope
from safetynet.accounts.services import (
    SYSTEM_USERNAME,
    AccountError,
    api_token_create,
    api_token_revoke,
    demo_password,
)
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.regions.models import Region

USERNAME_MAX = 150
# Fields an administrator edits, with the labels the audit record uses.
EDITABLE = {
    "real_name": "姓名",
    "post": "职务(岗位)",
    "phone": "联系电话",
    "role": "角色",
    "department": "所属部门",
    "scope_region": "管辖区域",
}


def one_time_password() -> str:
    """A readable random password (``Kotabe-4821-mu``) the administrator hands over once."""
    return demo_password()


def _technical(user: User) -> bool:
    return user.is_superuser or user.username == SYSTEM_USERNAME


def require_manageable(actor: Any, user: User) -> None:
    """Refuse unless ``actor`` may manage ``user``: capability, region, not a technical account."""
    require(actor, Capability.MANAGE_USERS)
    code = user.scope_region_id
    if not code or not in_scope(code, user=actor):
        raise Http404(NOT_FOUND)
    if _technical(user) and not getattr(actor, "is_superuser", False):
        raise PermissionDenied("技术管理员账号和系统账号由技术人员在“技术管理”中维护。")


def _check_grant(actor: Any, role: str, region: Region | None) -> None:
    if role not in Role.values:
        raise AccountError("请选择角色")
    if not all(actor.has_capability(c) for c in ROLE_CAPABILITIES.get(role, frozenset())):
        raise AccountError(f"不能授予比本人权限更多的角色：{Role(role).label}")
    if region is None:
        raise AccountError("请选择管辖区域")
    if not in_scope(region.code, user=actor):
        raise AccountError("管辖区域须在本人管辖范围之内")


def _check_department(department: str) -> None:
    if department not in Department.values:
        raise AccountError("请选择所属部门")


def _label(name: str, value: Any) -> str:
    if name == "role":
        return str(Role(value).label) if value in Role.values else str(value)
    if name == "department":
        return str(Department(value).label) if value in Department.values else str(value)
    if name == "scope_region":
        return f"{value.full_name or value.name}（{value.code}）" if value else "—"
    return str(value or "—")


def user_create(
    *,
    actor: User,
    username: str,
    real_name: str,
    post: str,
    role: str,
    department: str,
    scope_region: Region | None,
    phone: str = "",
    client: Client | None = None,
) -> tuple[User, str]:
    """Create an account; returns it and its one-time password (to be shown once)."""
    require(actor, Capability.MANAGE_USERS)
    username = username.strip()
    if not username:
        raise AccountError("请填写登录账号")
    if len(username) > USERNAME_MAX or not all(c.isalnum() or c in "@.+-_" for c in username):
        raise AccountError("登录账号只能由字母、数字和 @ . + - _ 组成")
    if not real_name.strip():
        raise AccountError("请填写姓名")
    _check_grant(actor, role, scope_region)
    _check_department(department)
    assert scope_region is not None
    password = one_time_password()
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise AccountError(f"登录账号 {username} 已被使用，请换一个")
        user = User(
            username=username,
            real_name=real_name.strip(),
            post=post.strip(),
            phone=phone.strip(),
            role=role,
            department=department,
            scope_region=scope_region,
            must_change_password=True,
        )
        user.set_password(password)
        user.save()
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="user",
            object_id=user.pk,
            region_code=scope_region.code,
            summary=f"新增账号：{user.signature}（{username}，{Role(role).label}）",
            detail={name: _label(name, getattr(user, name)) for name in EDITABLE},
            client=client,
        )
    return user, password


def user_update(
    *, actor: User, user: User, changes: dict[str, Any], client: Client | None = None
) -> list[str]:
    """Change name, post, telephone, role, department or region; returns what changed."""
    require_manageable(actor, user)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise AccountError("不能修改：" + "、".join(sorted(unknown)))
    own = user.pk == actor.pk
    if own and any(
        name in changes and changes[name] != getattr(user, name)
        for name in ("role", "department", "scope_region")
    ):
        raise AccountError("不能修改本人的角色、部门或管辖区域，请由其他管理员办理")
    role = changes.get("role", user.role)
    region = changes.get("scope_region", user.scope_region)
    if not own:
        _check_grant(actor, role, region)
    _check_department(changes.get("department", user.department))
    if "real_name" in changes and not str(changes["real_name"]).strip():
        raise AccountError("请填写姓名")
    changed: dict[str, tuple[str, str]] = {}
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        for name, value in changes.items():
            if isinstance(value, str):
                value = value.strip()
            if getattr(locked, name) != value:
                changed[EDITABLE[name]] = (_label(name, getattr(locked, name)), _label(name, value))
                setattr(locked, name, value)
        if not changed:
            return []
        locked.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="user",
            object_id=locked.pk,
            region_code=locked.scope_region_id or "",
            summary=f"修改账号 {locked.username}："
            + "；".join(f"{k} {old} → {new}" for k, (old, new) in changed.items()),
            detail={k: {"old": old, "new": new} for k, (old, new) in changed.items()},
            client=client,
        )
    for name, value in changes.items():
        setattr(user, name, value.strip() if isinstance(value, str) else value)
    return list(changed)


def user_set_active(
    *, actor: User, user: User, active: bool, reason: str = "", client: Client | None = None
) -> User:
    """Enable or disable an account. A disabled account cannot log in, its open sessions end
    at the next request and its API tokens are refused (they stay listed)."""
    require_manageable(actor, user)
    if user.pk == actor.pk and not active:
        raise AccountError("不能停用本人的账号")
    if not active and not reason.strip():
        raise AccountError("请填写停用原因")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.is_active == active:
            return locked
        locked.is_active = active
        locked.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="user",
            object_id=locked.pk,
            region_code=locked.scope_region_id or "",
            summary=("启用账号 " if active else "停用账号 ")
            + locked.username
            + (f"：{reason.strip()}" if reason.strip() else ""),
            detail={"is_active": active},
            client=client,
        )
    user.is_active = active
    return locked


def user_password_reset(*, actor: User, user: User, client: Client | None = None) -> str:
    """A new one-time password for ``user``, to be changed at the next login. Returns it once."""
    require_manageable(actor, user)
    if user.pk == actor.pk:
        raise AccountError("本人的密码请在“修改密码”中修改")
    password = one_time_password()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.set_password(password)
        locked.must_change_password = True
        locked.save(update_fields=["password", "must_change_password"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="user",
            object_id=locked.pk,
            region_code=locked.scope_region_id or "",
            summary=f"重置账号 {locked.username} 的密码（一次性密码，下次登录须修改）",
            client=client,
        )
    return password


def user_second_factor_reset(*, actor: User, user: User, client: Client | None = None) -> None:
    """Withdraw the second factor of an account of the actor's region (a lost or changed
    phone): its recovery codes go too, and the user enrols again at the next sign-in. Audited."""
    from safetynet.accounts import second_factor

    require_manageable(actor, user)
    if user.pk == actor.pk:
        raise AccountError("本人的二次验证不能自行重置，请联系其他系统管理员")
    with transaction.atomic():
        second_factor.reset(user=user, actor=actor, client=client)


def password_changed(*, user: User, client: Client | None = None) -> None:
    """The user set their own password: the one-time password is gone."""
    if user.must_change_password:
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        user.must_change_password = False
    audit_record(
        actor=user,
        action=Action.UPDATE,
        object_type="user",
        object_id=user.pk,
        region_code=user.scope_region_id or "",
        summary=f"账号 {user.username} 修改了本人密码",
        client=client,
    )


# --- API tokens -------------------------------------------------------------------------------


def token_create(*, actor: User, user: User, name: str) -> str:
    """A token for an account in the actor's region (the console's service, scope-checked)."""
    require_manageable(actor, user)
    return api_token_create(user=user, name=name, actor=actor)


def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    require_manageable(actor, token.user)
    return api_token_revoke(token_id=token.pk, actor=actor)


# --- department offices -------------------------------------------------------------------------

OFFICE_FIELDS = {
    "name": "单位名称",
    "department": "部门",
    "phone": "联系电话",
    "address": "办公地址",
    "is_active": "启用",
}


def _check_office(actor: Any, region: Region | None, data: dict[str, Any]) -> None:
    if region is None or not in_scope(region.code, user=actor):
        raise AccountError("所在区划须在本人管辖范围之内")
    if not str(data.get("name", "")).strip():
        raise AccountError("请填写单位名称")
    _check_department(str(data.get("department", "")))


def office_save(
    *,
    actor: User,
    office: Office | None,
    region: Region | None,
    data: dict[str, Any],
    client: Client | None = None,
) -> Office:
    """Create (``office`` None) or change a department office of the actor's region."""
    require(actor, Capability.MANAGE_USERS)
    if office is not None and not in_scope(office.region_id, user=actor):
        raise Http404(NOT_FOUND)
    _check_office(actor, region, data)
    assert region is not None
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    with transaction.atomic():
        duplicate = Office.objects.filter(region=region, name=values["name"])
        if office is not None:
            duplicate = duplicate.exclude(pk=office.pk)
        if duplicate.exists():
            raise AccountError(f"{region.name}已有名为“{values['name']}”的单位")
        created = office is None
        target = office if office is not None else Office(region=region)
        before = {k: getattr(target, k, None) for k in OFFICE_FIELDS}
        target.region = region
        for key in OFFICE_FIELDS:
            if key in values:
                setattr(target, key, values[key])
        target.save()
        changed = {
            OFFICE_FIELDS[k]: str(getattr(target, k))
            for k in OFFICE_FIELDS
            if created or before[k] != getattr(target, k)
        }
        audit_record(
            actor=actor,
            action=Action.CREATE if created else Action.UPDATE,
            object_type="office",
            object_id=target.pk,
            region_code=region.code,
            summary=("新增部门单位：" if created else "修改部门单位：") + target.name,
            detail=changed,
            client=client,
        )
    return target
