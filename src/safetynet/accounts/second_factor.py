"""Second factor (TOTP, RFC 6238) and password expiry (ADR 0017; GB/T 22239-2019 第三级
8.1.4.1: 两种或两种以上组合的鉴别技术, 口令定期更换).

- Who: accounts holding ``Capability.SECOND_FACTOR`` (administrators, county officers), when
  ``settings.SECOND_FACTOR_REQUIRED`` is on (production; off in demo and tests, where a test
  turns it on). Such an account without a confirmed secret is sent to enrol on its first
  sign-in: a QR code (segno, inline SVG), a code typed back, then ten recovery codes shown once.
- Each sign-in then asks for a 6-digit code (±1 step of 30 s, never the same step twice) or a
  recovery code (each once). The session remembers the verification until it ends.
- ``settings.PASSWORD_MAX_AGE_DAYS`` (0: never) sends an account whose password is older to the
  password change page before anything else.
- API calls with a bearer token are not concerned (department systems); session API calls are
  held to the same rule as pages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
from collections.abc import Callable

import pyotp
import segno
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone

from safetynet.accounts.models import Credential, User
from safetynet.accounts.roles import Capability
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record

ISSUER = "低收入人口监测平台"
VERIFIED = "second_factor_verified"
PASSWORD_CHECKED = "password_age_checked_on"
RECOVERY_CODES = 10
STEP = 30
EXEMPT_PREFIXES = ("/accounts/", "/static/", "/favicon")


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().replace("-", "").lower().encode()).hexdigest()


def required(user: User) -> bool:
    return bool(settings.SECOND_FACTOR_REQUIRED) and user.has_capability(Capability.SECOND_FACTOR)


def credential(user: User) -> Credential:
    found, _ = Credential.objects.get_or_create(user=user)
    return found


def enrolled(user: User) -> bool:
    return Credential.objects.filter(user=user, totp_confirmed_at__isnull=False).exists()


def enrolment_start(user: User) -> tuple[str, str]:
    """A new (unconfirmed) secret: (secret, QR code as inline SVG of its otpauth:// URI)."""
    found = credential(user)
    if found.totp_confirmed_at is None or not found.totp_secret:
        found.totp_secret = pyotp.random_base32()
        found.save(update_fields=["totp_secret"])
    uri = pyotp.TOTP(found.totp_secret).provisioning_uri(name=user.username, issuer_name=ISSUER)
    svg = segno.make(uri, error="m").svg_inline(scale=4, title="二次验证二维码")
    return found.totp_secret, svg


def _step_accepted(found: Credential, code: str, now: float) -> bool:
    totp = pyotp.TOTP(found.totp_secret)
    current = int(now // STEP)
    for step in (current - 1, current, current + 1):
        if step > found.totp_last_step and secrets.compare_digest(
            totp.at(step * STEP), code.strip()
        ):
            found.totp_last_step = step
            found.save(update_fields=["totp_last_step"])
            return True
    return False


def enrolment_confirm(user: User, code: str, *, now: float | None = None) -> list[str] | None:
    """Confirm the secret with a code from the app: the recovery codes (shown once), or None."""
    found = credential(user)
    if not found.totp_secret or not _step_accepted(found, code, now or time.time()):
        return None
    codes = [f"{secrets.token_hex(2)}-{secrets.token_hex(2)}" for _ in range(RECOVERY_CODES)]
    found.recovery_hashes = [_hash(c) for c in codes]
    found.totp_confirmed_at = timezone.now()
    found.save(update_fields=["recovery_hashes", "totp_confirmed_at"])
    audit_record(
        actor=user,
        action=Action.UPDATE,
        object_type="user",
        object_id=user.pk,
        summary="启用二次验证（动态口令）",
    )
    return codes


def verify(user: User, code: str, *, now: float | None = None) -> str:
    """'' when ``code`` is neither a current TOTP code nor an unused recovery code; else which."""
    found = credential(user)
    if found.totp_confirmed_at is None:
        return ""
    text = code.strip()
    if text.isdigit() and len(text) == 6:
        return "totp" if _step_accepted(found, text, now or time.time()) else ""
    hashed = _hash(text)
    if hashed in found.recovery_hashes:
        found.recovery_hashes = [h for h in found.recovery_hashes if h != hashed]
        found.save(update_fields=["recovery_hashes"])
        audit_record(
            actor=user,
            action=Action.UPDATE,
            object_type="user",
            object_id=user.pk,
            summary=f"使用恢复码登录，剩余 {len(found.recovery_hashes)} 个",
        )
        return "recovery"
    return ""


def reset(*, user: User, actor: User, client: Client | None = None) -> None:
    """Withdraw a user's second factor (a lost phone): they enrol again at the next sign-in."""
    Credential.objects.filter(user=user).update(
        totp_secret="", totp_confirmed_at=None, recovery_hashes=[], totp_last_step=0
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="user",
        object_id=user.pk,
        region_code=user.scope_region_id or "",
        summary=f"重置账号 {user.username} 的二次验证（下次登录重新绑定）",
        client=client,
    )


def password_changed(user: User) -> None:
    Credential.objects.update_or_create(user=user, defaults={"password_changed_at": timezone.now()})


def password_expired(user: User) -> bool:
    days = int(getattr(settings, "PASSWORD_MAX_AGE_DAYS", 0) or 0)
    if days <= 0:
        return False
    changed = (
        Credential.objects.filter(user=user).values_list("password_changed_at", flat=True).first()
    )
    return (changed or user.date_joined) < timezone.now() - dt.timedelta(days=days)


class SecondFactorMiddleware:
    """After authentication: a signed-in session goes to the password change page when the
    password has expired, to enrolment or to the code page when a second factor is required and
    not yet given in this session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or request.path.startswith(EXEMPT_PREFIXES)
            or not (settings.SECOND_FACTOR_REQUIRED or settings.PASSWORD_MAX_AGE_DAYS)
        ):
            return self.get_response(request)
        target = ""
        if required(user) and not request.session.get(VERIFIED):
            target = "/accounts/second-factor/" if enrolled(user) else "/accounts/enrol/"
        elif request.session.get(PASSWORD_CHECKED) != timezone.localdate().isoformat():
            if password_expired(user):
                target = "/accounts/password/"
            else:  # checked once a day per session, not a query on every request
                request.session[PASSWORD_CHECKED] = timezone.localdate().isoformat()
        if not target:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "请先在网页上完成登录验证"}, status=403)
        return redirect(f"{target}?next={request.get_full_path()}")
