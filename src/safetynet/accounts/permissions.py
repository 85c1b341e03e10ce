"""The one permission layer: ``require(actor, capability, obj=None)``.

Every view, API endpoint, console command and service asks here, by capability (ADR 0003), never
by role name. A refusal is one exception, a subclass of Django's ``PermissionDenied``, so that the
web answers it with the Chinese 403 page and the API with its JSON error body. An object outside
the actor's region scope is refused with the same 404 as one that does not exist (ADR 0002).
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404

from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import in_scope

NOT_FOUND = "未找到该记录，或不在您的管辖范围内。"


@runtime_checkable
class Actor(Protocol):
    """Who acts: a signed-in user, a department system's token user, or a console operator.

    Services take an actor, never a request; what only the request knows (address, user agent)
    is passed to them as plain values."""

    pk: Any
    username: str
    role: str
    department: str
    is_active: bool

    @property
    def is_authenticated(self) -> bool: ...

    def has_capability(self, capability: str) -> bool: ...


class PermissionDenied(DjangoPermissionDenied):
    """A refusal with a Chinese message that says what is missing."""

    def __init__(self, message: str = "", *, capability: str = "") -> None:
        self.capability = capability
        super().__init__(message or default_message(capability))

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else default_message(self.capability)


def default_message(capability: str) -> str:
    if capability in Capability.values:
        label = Capability(capability).label
        return f"您没有“{label}”的权限。如需办理，请联系上级民政部门或系统管理员。"
    return "您没有执行此操作的权限。"


def allowed(actor: Any, capability: str) -> bool:
    return bool(
        actor is not None
        and getattr(actor, "is_active", False)
        and getattr(actor, "is_authenticated", False)
        and actor.has_capability(capability)
    )


def _scope_code(obj: Any) -> str | None:
    field = getattr(type(obj), "SCOPE_FIELD", None)
    if field is None:
        code = getattr(obj, "code", None)  # a Region
        return code if isinstance(code, str) else None
    value: Any = obj
    for part in field.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return str(value)


def require(actor: Any, capability: str, obj: Any = None, *, message: str = "") -> None:
    """Refuse unless ``actor`` holds ``capability`` (and, given ``obj``, may see it).

    ``obj`` is any model instance with a ``SCOPE_FIELD`` (a household, a case) or a region; out of
    scope it raises ``Http404``, exactly as if it did not exist."""
    if not allowed(actor, capability):
        raise PermissionDenied(message, capability=capability)
    if obj is not None:
        code = _scope_code(obj)
        if code is None or not in_scope(code, user=actor):
            raise Http404(NOT_FOUND)
