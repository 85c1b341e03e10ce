"""The REST API (django-ninja): one NinjaAPI with a router per app, OpenAPI at /api/docs.

Every endpoint requires a signed-in caller: a bearer token (department systems) or the browser's
login session (with the CSRF check on writes). Errors are JSON with a Chinese ``detail``;
validation errors list each problem by member, field, value and reason.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.views import defaults
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from safetynet.accounts.api_auth import API_AUTH
from safetynet.api_errors import ErrorOut, ValidationErrorOut, problems_from_validation
from safetynet.assistance.api import router as assistance_router
from safetynet.determination.api import router as cases_router
from safetynet.feeds.importing.api import router as feeds_router
from safetynet.jobs.api import router as jobs_router
from safetynet.monitoring.api import router as monitoring_router
from safetynet.oversight.api import router as oversight_router
from safetynet.policy.assessment.api import router as assessment_router
from safetynet.policy.standards.api import router as standards_router
from safetynet.regions.api import router as regions_router
from safetynet.registry import services as registry_services
from safetynet.registry.api import households_router, persons_router
from safetynet.reports.api import router as reports_router


class UnicodeJSONRenderer(JSONRenderer):
    """Chinese text as itself, not as \\u escapes, so that responses read as they mean."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="低收入人口动态监测和救助帮扶平台 API",
    version="1.0",
    description=(
        "家庭、人员与行政区划接口。浏览器使用会话认证（写操作需携带 CSRF 令牌）；部门系统使用 "
        "Bearer 令牌（由管理员以 `safetynet api_token create 账号 --name 用途` 创建）。"
        "每个账号只能看到其管辖区域内的家庭与人员；区域外的记录与不存在的记录一样返回 404。"
        "身份证号一律脱敏显示。"
    ),
    urls_namespace="api",
    auth=API_AUTH,
    renderer=UnicodeJSONRenderer(),
)

api.add_router("/households", households_router)
api.add_router("/cases", cases_router)
api.add_router("/persons", persons_router)
api.add_router("/regions", regions_router)
api.add_router("/feeds", feeds_router)
api.add_router("/jobs", jobs_router)
api.add_router("/standards", standards_router)
api.add_router("/monitoring", monitoring_router)
api.add_router("/reports", reports_router)
api.add_router("/oversight", oversight_router)
api.add_router("/assistance", assistance_router)
api.add_router("", assessment_router)


def _detail(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return api.create_response(request, {"detail": message}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _detail(
        request,
        "未认证：请先登录，或在请求头中提供有效的接口令牌（Authorization: Bearer <令牌>）",
        401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if exc.status_code == 403 and "CSRF" in message:
        message = "CSRF 校验失败：请刷新页面后重试（部门系统请使用 Bearer 令牌）"
    return _detail(request, message, exc.status_code)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _detail(request, str(exc) or "未找到该记录，或不在您的管辖范围内。", 404)


@api.exception_handler(registry_services.PermissionDenied)
def _forbidden(request: HttpRequest, exc: registry_services.PermissionDenied) -> HttpResponse:
    return _detail(request, str(exc), 403)


@api.exception_handler(PermissionDenied)
def _refused_by_permission(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """The one permission layer (``accounts.permissions.require``) raises Django's exception."""
    return _detail(request, str(exc) or "您没有执行此操作的权限。", 403)


@api.exception_handler(registry_services.HouseholdValidationError)
def _household_invalid(
    request: HttpRequest, exc: registry_services.HouseholdValidationError
) -> HttpResponse:
    errors = [
        {"member": p.member, "member_name": "", "field": p.field, "value": "", "reason": p.reason}
        for p in exc.problems
    ]
    return api.create_response(
        request, {"detail": f"有 {len(errors)} 处错误，未保存", "errors": errors}, status=422
    )


@api.exception_handler(registry_services.RegistryError)
def _refused(request: HttpRequest, exc: registry_services.RegistryError) -> HttpResponse:
    return _detail(request, str(exc), 400)


def _json_body(request: HttpRequest) -> Any:
    """The submitted fields, to name the value of each problem: JSON, or the form fields of a
    multipart request (whose body has been read as a stream and is no longer available)."""
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return request.POST.dict()
    try:
        return json.loads(request.body or b"null")
    except (ValueError, RawPostDataException):
        return None


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: under /api/ a path no operation matches (``/api/households/abc``) answers
    JSON like every other API error, not the HTML page."""
    if request.path.startswith("/api/"):
        return _detail(request, "未找到该接口或记录，或不在您的管辖范围内。", 404)
    return defaults.page_not_found(request, exception)


def _document_common_errors() -> None:
    """Any operation can answer 401 (no caller), 403, 404 and 422 (ninja's validation of the
    path, query or body): documented on each operation that did not already say so, so that the
    OpenAPI document holds every status the API answers with."""
    common: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
    routers = [router for _prefix, router in api._routers]
    while routers:
        router = routers.pop()
        routers.extend(child for _prefix, child, _tags in router._routers)
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                if (
                    list(operation.response_models) not in ([200],)
                    and len(operation.response_models) == 1
                ):
                    # One non-200 status (201, 202) is what a plain return answers with; a second
                    # entry would turn that into 200. Such operations list their errors themselves.
                    continue
                for status, schema in common.items():
                    if status not in operation.response_models:
                        operation.response_models[status] = operation._create_response_model(schema)


_document_common_errors()


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = problems_from_validation(
        exc.errors, body=_json_body(request), query=request.GET.dict()
    )
    return api.create_response(
        request,
        {
            "detail": f"请求有 {len(problems)} 处错误",
            "errors": [problem.model_dump() for problem in problems],
        },
        status=422,
    )
