"""The REST API (django-ninja): one NinjaAPI with a router per app, OpenAPI at /api/docs."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="低收入人口动态监测和救助帮扶平台 API",
    version="1.0",
    description="家庭、人员与行政区划接口。浏览器使用会话认证；部门系统使用 Bearer 令牌。",
    urls_namespace="api",
)
