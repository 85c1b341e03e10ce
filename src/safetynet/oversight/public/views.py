"""Thin views of the public pages. Every submission is rate-limited per address (counted in the
database) and CSRF-protected; a filled honeypot gets the same-looking answer and stores nothing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safetynet.audit.services import Client, client_ip
from safetynet.oversight import selectors, services
from safetynet.oversight.common import (
    DECLARATION_PREFIX,
    TIPOFF_PREFIX,
    OversightError,
    attempt_record,
    case_number,
    rate_limited,
    settings_for,
)
from safetynet.oversight.notices import public as notices
from safetynet.oversight.public.forms import (
    DeclarationForm,
    FollowUpForm,
    PublicObjectionForm,
    TipOffForm,
)
from safetynet.regions.models import Region

TOO_MANY = "提交过于频繁，请一小时后再试，或拨打举报监督电话。"


def _client(request: HttpRequest) -> Client:
    return Client(ip=client_ip(request), channel="public")


def _base(request: HttpRequest) -> dict[str, Any]:
    return {
        "province_settings": settings_for(settings.PROVINCE_CODE),
        "province_code": settings.PROVINCE_CODE,
    }


# Reading the notice board is counted too (it names people): a resident reads a few boards, a
# harvester of the province's names many.
BOARD_READS_PER_SUBMISSION = 12


def _limited(request: HttpRequest, page: str, limit: int | None = None) -> bool:
    address = client_ip(request) or "unknown"
    if rate_limited(page=page, address=address, limit=limit):
        return True
    attempt_record(page=page, address=address)
    return False


def _field_error(form: Any, exc: OversightError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


def declare(request: HttpRequest) -> HttpResponse:
    """自主申报: the answer is a case number and when to expect the visit, nothing else."""
    form = DeclarationForm(request.POST or None)
    context = {**_base(request), "form": form}
    if request.method == "POST":
        if _limited(request, "declare"):
            return render(
                request, "oversight/public/limited.html", {"message": TOO_MANY}, status=429
            )
        if form.is_robot():
            number = case_number(DECLARATION_PREFIX, timezone.localdate())
            return render(request, "oversight/public/declared.html", {"number": number})
        if form.is_valid():
            data = form.cleaned_data
            try:
                declaration = services.declaration_file(
                    name=data["name"],
                    id_number=data["id_number"],
                    region_code=data["region_code"],
                    phone=data["phone"],
                    account=data["account"],
                    consent=data["consent"],
                    declarant=data["declarant"],
                    declarant_name=data["declarant_name"],
                    client=_client(request),
                )
            except OversightError as exc:
                _field_error(form, exc)
            else:
                return render(
                    request,
                    "oversight/public/declared.html",
                    {
                        "number": declaration.number,
                        "days": settings_for(declaration.region_code).declaration_visit_days,
                    },
                )
    return render(request, "oversight/public/declare.html", context)


def tipoff(request: HttpRequest) -> HttpResponse:
    form = TipOffForm(request.POST or None)
    context = {**_base(request), "form": form}
    if request.method == "POST":
        if _limited(request, "tipoff"):
            return render(
                request, "oversight/public/limited.html", {"message": TOO_MANY}, status=429
            )
        if form.is_robot():
            number = case_number(TIPOFF_PREFIX, timezone.localdate())
            return render(request, "oversight/public/tipped.html", {"number": number})
        if form.is_valid():
            data = form.cleaned_data
            try:
                filed = services.tipoff_file(
                    matter=data["matter"],
                    region_code=data["region_code"],
                    content=data["content"],
                    subject_name=data["subject_name"],
                    reporter_name=data["reporter_name"],
                    reporter_phone=data["reporter_phone"],
                    client=_client(request),
                )
            except OversightError as exc:
                _field_error(form, exc)
            else:
                return render(
                    request,
                    "oversight/public/tipped.html",
                    {"number": filed.number, "phone": settings_for(filed.region_code).tipoff_phone},
                )
    return render(request, "oversight/public/tipoff.html", context)


def follow_up(request: HttpRequest) -> HttpResponse:
    """A tip-off's status by its number (POST, so that numbers stay out of addresses and logs)."""
    form = FollowUpForm(request.POST or None)
    context: dict[str, Any] = {**_base(request), "form": form, "asked": False}
    if request.method == "POST":
        if _limited(request, "follow_up"):
            return render(
                request, "oversight/public/limited.html", {"message": TOO_MANY}, status=429
            )
        if form.is_valid() and not form.is_robot():
            context["asked"] = True
            context["answer"] = selectors.tipoff_follow_up(number=form.cleaned_data["number"])
    return render(request, "oversight/public/follow_up.html", context)


@require_GET
def places(request: HttpRequest) -> JsonResponse:
    """The region picker's children of a region of this province (public reference data)."""
    parent = request.GET.get("parent", "").strip()
    province = settings.PROVINCE_CODE
    if not (parent.isdigit() and len(parent) == 12 and parent[:2] == province[:2]):
        return JsonResponse({"error": "区划代码无效"}, status=400)
    rows = Region.objects.filter(parent_id=parent).order_by("code").only("code", "name", "level")
    return JsonResponse(
        {"children": [{"code": r.code, "name": r.name, "level": r.level} for r in rows]}
    )


@require_GET
def notice_board(request: HttpRequest) -> HttpResponse:
    """公示栏: choose a township or village, then read its notices (no login)."""
    context: dict[str, Any] = {**_base(request), "form": PublicObjectionForm()}
    raw = request.GET.get("region", "")
    if raw:
        limit = settings.OVERSIGHT_PUBLIC_LIMIT_PER_HOUR * BOARD_READS_PER_SUBMISSION
        if _limited(request, "notices", limit=limit):
            return render(
                request, "oversight/public/limited.html", {"message": TOO_MANY}, status=429
            )
        region = notices.board_region(raw)
        if region is None:
            context["error"] = "请选择乡镇(街道)或村(居)"
        else:
            context["board"] = notices.public_board(region)
    return render(request, "oversight/public/notices.html", context)


def notice_objection(request: HttpRequest) -> HttpResponse:
    """An objection to one notice: recorded against the case, answered with a number only."""
    if request.method != "POST":
        return render(request, "oversight/public/notices.html", _base(request))
    if _limited(request, "objection"):
        return render(request, "oversight/public/limited.html", {"message": TOO_MANY}, status=429)
    form = PublicObjectionForm(request.POST)
    if form.is_robot():
        number = case_number(notices.OBJECTION_PREFIX, timezone.localdate())
        return render(request, "oversight/public/objected.html", {"number": number})
    if form.is_valid():
        data = form.cleaned_data
        try:
            objection = notices.public_objection_file(
                publicity_id=data["publicity"],
                content=data["content"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                client=_client(request),
            )
        except OversightError as exc:
            return render(
                request,
                "oversight/public/objected.html",
                {"error": str(exc), **_base(request)},
                status=400,
            )
        return render(request, "oversight/public/objected.html", {"number": objection.number})
    return render(
        request,
        "oversight/public/objected.html",
        {"error": "请填写异议内容", **_base(request)},
        status=400,
    )
