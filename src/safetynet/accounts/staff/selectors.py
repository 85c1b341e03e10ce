"""Reads of system management: accounts, tokens and offices of the actor's region, through the
one scope filter (``accounts.scope``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from safetynet.accounts.models import ApiToken, Office, User
from safetynet.accounts.permissions import NOT_FOUND, require
from safetynet.accounts.roles import Capability, Department
from safetynet.accounts.scope import access_scoped, scope_prefix, scope_queryset
from safetynet.accounts.services import SYSTEM_USERNAME
from safetynet.regions.codes import CODE_LENGTH, prefix_bounds
from safetynet.regions.models import Region


def users_list(
    *,
    actor: Any,
    q: str = "",
    role: str = "",
    department: str = "",
    active: str = "",
    region: str = "",
) -> QuerySet[User]:
    """Accounts of the actor's region (the system account aside), filtered."""
    require(actor, Capability.MANAGE_USERS)
    users = scope_queryset(User.objects.all(), user=actor).exclude(username=SYSTEM_USERNAME)
    if q.strip():
        text = q.strip()
        users = users.filter(
            Q(username__icontains=text) | Q(real_name__icontains=text) | Q(post__icontains=text)
        )
    if role:
        users = users.filter(role=role)
    if department:
        users = users.filter(department=department)
    if active in ("1", "0"):
        users = users.filter(is_active=active == "1")
    if region:
        found = Region.objects.filter(code=region).first()
        if found is not None:
            lo, hi = prefix_bounds(found.prefix)
            users = users.filter(scope_region_id__gte=lo, scope_region_id__lte=hi)
    return users.select_related("scope_region").order_by("scope_region_id", "username")


def user_get(*, actor: Any, pk: Any) -> User:
    require(actor, Capability.MANAGE_USERS)
    users = User.objects.exclude(username=SYSTEM_USERNAME).select_related("scope_region")
    return access_scoped(users, user=actor, pk=pk)


def tokens_list(*, actor: Any, user: User | None = None) -> QuerySet[ApiToken]:
    """Tokens of the accounts in the actor's region (never the token itself: only its hash is
    stored)."""
    require(actor, Capability.MANAGE_USERS)
    prefix = scope_prefix(actor)
    if prefix is None:
        return ApiToken.objects.none()
    lo, hi = prefix_bounds(prefix)
    tokens = ApiToken.objects.filter(
        user__scope_region_id__gte=lo, user__scope_region_id__lte=hi
    ).select_related("user")
    if user is not None:
        tokens = tokens.filter(user=user)
    return tokens.order_by("-created_at", "-id")


def token_get(*, actor: Any, pk: Any) -> ApiToken:
    try:
        return tokens_list(actor=actor).get(pk=pk)
    except (ApiToken.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(NOT_FOUND) from exc


def offices_list(*, actor: Any, department: str = "") -> QuerySet[Office]:
    require(actor, Capability.MANAGE_USERS)
    offices = scope_queryset(Office.objects.all(), user=actor).select_related("region")
    if department:
        offices = offices.filter(department=department)
    return offices.order_by("region_id", "department", "name")


def office_get(*, actor: Any, pk: Any) -> Office:
    require(actor, Capability.MANAGE_USERS)
    return access_scoped(Office.objects.select_related("region"), user=actor, pk=pk)


def department_counts(*, actor: Any) -> list[dict[str, Any]]:
    """Per department: accounts (enabled, disabled) and offices in the actor's region."""
    users = (
        users_list(actor=actor)
        .order_by()
        .values("department")
        .annotate(
            active=Count("id", filter=Q(is_active=True)),
            inactive=Count("id", filter=Q(is_active=False)),
        )
    )
    by_department: dict[str, dict[str, Any]] = {row["department"]: dict(row) for row in users}
    offices = dict(
        offices_list(actor=actor)
        .order_by()
        .values("department")
        .annotate(n=Count("id"))
        .values_list("department", "n")
    )
    return [
        {
            "code": code,
            "label": label,
            "active": by_department.get(code, {}).get("active", 0),
            "inactive": by_department.get(code, {}).get("inactive", 0),
            "offices": offices.get(code, 0),
        }
        for code, label in Department.choices
    ]


def civil_affairs_phone(region_code: str) -> str:
    """The telephone of the nearest enabled civil-affairs office above a village or township
    (township first, then county, city, province); empty when none is configured."""
    candidates = list(
        dict.fromkeys(region_code[:n].ljust(CODE_LENGTH, "0") for n in (CODE_LENGTH, 9, 6, 4, 2))
    )
    offices = {
        o.region_id: o.phone
        for o in Office.objects.filter(
            region_id__in=candidates,
            department=Department.CIVIL_AFFAIRS,
            is_active=True,
        )
        .exclude(phone="")
        .order_by("-id")
    }
    for code in candidates:
        if code in offices:
            return offices[code]
    return ""
