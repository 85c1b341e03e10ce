"""REST endpoints of the determination procedure: the work queue, one case with its timeline, one
POST per procedure action and attachments (the reviews: ``after.api``). Thin shells over
``determination.selectors`` (scoped reads) and ``determination.services`` (audited actions).

Every action carries the ``version`` of the case the caller saw: if someone acted in between the
answer is 409 with "该案件已被他人更新，请刷新后重试". A case outside the caller's scope answers 404
like one that does not exist; an action the caller's role may not take answers 403; an input the
service refuses answers 422 naming the field; an action the case's step does not allow, 400.
"""

# No `from __future__ import annotations` here: ninja reads the endpoint parameter types
# (``Query[...]``, ``Form[...]``) when the routes are declared.
import datetime as dt
from typing import Any

from ninja import Field, File, Form, Query, Schema
from ninja.errors import HttpError, ValidationError
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import access_scoped
from safetynet.api_errors import ErrorOut
from safetynet.api_pages import Pages
from safetynet.audit.services import client_of
from safetynet.determination import selectors, services
from safetynet.determination.models import (
    ApplicationType,
    AttachmentKind,
    Status,
)
from safetynet.determination.procedure.api_common import (
    ACTION_ERRORS,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    READ_ERRORS,
    AttachmentOut,
    CaseDetailOut,
    CaseOut,
    _case_out,
    _detail_out,
    _fresh,
    api_today,
    refusals,
    router,
)
from safetynet.determination.procedure.application import MAX_ATTACHMENT_BYTES
from safetynet.registry.models import Household, Person

# --- reads -------------------------------------------------------------------------------------


class CaseFilterIn(Schema):
    region: str = Field("", max_length=12, description="区划代码（2、4、6、9 或 12 位），含下级")
    step: Status | None = Field(None, description="办理环节")
    type: ApplicationType | None = Field(None, description="申请类型")
    overdue: bool | None = Field(None, description="true 只看已超期，false 只看未超期")


@router.get(
    "",
    response={200: list[CaseOut], **READ_ERRORS},
    summary="办理中的案件（工作队列）",
    description="管辖范围内办理中的案件，按本环节办理时限先后；可按区划、环节、类型、是否超期"
    f"筛选。每页默认 {PAGE_SIZE} 条，page_size 最大 {MAX_PAGE_SIZE}。",
)
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def case_list(request: AuthenticatedRequest, filters: Query[CaseFilterIn]) -> Any:
    require(request.user, Capability.VIEW_CASES)
    today = api_today()
    rows = selectors.case_queue(
        user=request.user,
        today=today,
        region_code=filters.region or None,
        step=filters.step.value if filters.step else None,
        overdue=filters.overdue,
        type=filters.type.value if filters.type else None,
    )
    heads = Person.objects.in_bulk({row.application.household.head_id for row in rows})
    return [
        _case_out(row.application, today, _name(heads, row.application.household.head_id))
        for row in rows
    ]


def _name(people: dict[int, Person], pk: int | None) -> str:
    person = people.get(pk) if pk is not None else None
    return person.name if person else ""


@router.get(
    "/{int:case_id}",
    response={200: CaseDetailOut, **READ_ERRORS},
    summary="案件详情",
    description="案件的当前环节与时限、办理记录（时间线）、材料（含 SHA-256）、核对请求、决定、"
    "转介，以及您在当前环节可以办理的操作。每次读取记入审计日志。",
)
def case_detail(request: AuthenticatedRequest, case_id: int) -> Any:
    require(request.user, Capability.VIEW_CASES)
    application = selectors.case_get(user=request.user, pk=case_id)
    services.case_viewed(actor=request.user, application=application, client=client_of(request))
    return _detail_out(request.user, application)


# --- the application ---------------------------------------------------------------------------


class CaseCreateIn(Schema):
    household_id: int = Field(description="家庭编号（须在您的管辖范围内）")
    type: ApplicationType
    applicant_id: int | None = Field(None, description="申请人（本户现有成员），默认户主")
    reason: str = Field("", max_length=2000, description="申请理由")
    applied_on: dt.date | None = Field(None, description="申请日期，默认今天")


@router.post(
    "",
    response={201: CaseDetailOut, **ACTION_ERRORS},
    summary="提出申请",
    description="乡镇(街道)受理窗口登记申请，或村(居)协理员代为录入；家庭须已建档。"
    "核对授权书随后以 POST /api/cases/{id}/attachments 上传，受理前必须上传。",
)
def case_create(request: AuthenticatedRequest, payload: CaseCreateIn) -> Any:
    household = access_scoped(
        Household.objects.select_related("head"), user=request.user, pk=payload.household_id
    )
    applicant = None
    if payload.applicant_id is not None:
        applicant = Person.objects.filter(pk=payload.applicant_id).first()
        if applicant is None:
            raise ValidationError(
                [
                    {
                        "loc": ("body", "payload", "applicant_id"),
                        "type": "value_error",
                        "msg": "申请人不存在",
                        "ctx": {"error": "申请人须是本户现有成员"},
                    }
                ]
            )
    with refusals():
        application = services.application_submit(
            actor=request.user,
            household=household,
            type=payload.type.value,
            applicant=applicant,
            reason=payload.reason,
            applied_on=payload.applied_on,
            client=client_of(request),
        )
    return HttpStatus(201, _fresh(request, application.pk))


@router.post(
    "/{int:case_id}/attachments",
    response={201: AttachmentOut, **ACTION_ERRORS, 413: ErrorOut},
    summary="上传材料",
    description="multipart/form-data：kind（authorisation 核对授权书 / photo 照片 / id_copy "
    "身份证件复印件 / other 其他）、file（PDF、JPEG 或 PNG，不超过 20 MB）。保存 SHA-256。"
    "上传材料不改变案件环节，不需要版本号。",
)
def attachment_upload(
    request: AuthenticatedRequest,
    case_id: int,
    kind: Form[AttachmentKind],
    file: File[UploadedFile],
) -> Any:
    application = selectors.case_get(user=request.user, pk=case_id)
    if (file.size or 0) > MAX_ATTACHMENT_BYTES:
        raise HttpError(413, "文件超过 20 MB，请压缩后再上传")
    with refusals():
        attachment = services.attachment_add(
            actor=request.user,
            application=application,
            kind=kind.value,
            content=file.read(),
            filename=file.name or "upload",
            content_type=file.content_type or "",
            client=client_of(request),
        )
    return HttpStatus(
        201,
        {
            "id": attachment.pk,
            "kind": attachment.kind,
            "kind_display": str(attachment.get_kind_display()),
            "original_name": attachment.original_name,
            "sha256": attachment.sha256,
            "size": attachment.size,
            "content_type": attachment.content_type,
            "uploaded_at": attachment.uploaded_at,
        },
    )


# The actions register themselves on the router when their module is imported.
from safetynet.determination.procedure import api_actions  # noqa: E402, F401

__all__ = ["router"]
