"""The one region-scope filter.

Every model that holds people or households declares ``SCOPE_FIELD``, the name of its column
holding a 12-digit village code. ``scope_queryset`` restricts any queryset of such a model to the
user's region by a prefix match on that code; ``access_scoped`` fetches one object by id through
the same filter and raises 404 outside it, so that "not yours" and "does not exist" look the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from safetynet.regions.codes import prefix_bounds

if TYPE_CHECKING:
    from safetynet.accounts.models import User

M = TypeVar("M", bound=Model)


def scope_prefix(user: User) -> str | None:
    """The code prefix a user may see, or None if they may see nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    region = getattr(user, "scope_region", None)
    if region is None:
        return None
    prefix: str = region.prefix
    return prefix


def scope_queryset(queryset: QuerySet[M], *, user: User) -> QuerySet[M]:
    field = getattr(queryset.model, "SCOPE_FIELD", None)
    if field is None:
        raise TypeError(f"{queryset.model.__name__} has no SCOPE_FIELD; it cannot be scoped")
    prefix = scope_prefix(user)
    if prefix is None:
        return queryset.none()
    lo, hi = prefix_bounds(prefix)
    return queryset.filter(**{f"{field}__gte": lo, f"{field}__lte": hi})


def in_scope(code: str, *, user: User) -> bool:
    prefix = scope_prefix(user)
    return prefix is not None and code.startswith(prefix)


def access_scoped(queryset: QuerySet[M], *, user: User, pk: Any) -> M:
    try:
        return scope_queryset(queryset, user=user).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:  # type: ignore[attr-defined]
        raise Http404("未找到该记录，或不在您的管辖范围内。") from exc
