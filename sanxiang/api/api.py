"""The integration API: one NinjaAPI at /api/v1/ assembled from the routers in ``routers/``.

OpenAPI 3.1 at /api/v1/openapi.json; interactive docs at /api/v1/docs from the Swagger UI files
django-ninja ships (served from our own static files — "ninja" is in INSTALLED_APPS; never a
CDN). See docs/api.md.
"""

from __future__ import annotations

import json

from django.http import HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.operation import PathView
from ninja.renderers import JSONRenderer

from . import errors
from .auth import SessionAuth, TokenAuth
from .routers import (
    cases,
    catalog,
    documents,
    evidence,
    inspections,
    ledger,
    me,
    publicity,
    registry,
    review,
    workdays,
)

DESCRIPTION = """\
三项（行政执法三项制度平台）的集成接口：省级平台、移动执法终端和其他业务系统通过本接口办理与页面相同的业务，\
遵守与页面相同的规则（接口只调用页面所用的同一套服务，没有第二份规则）。

Integration API of Sanxiang, the platform for China's administrative enforcement "three systems". \
Every endpoint calls the same services and selectors as the staff pages.

**认证 Authentication.** 个人接口令牌：登录后在“接口令牌”页面创建，只显示一次；请求头 \
`Authorization: Bearer sx_…`。请求以令牌持有人的身份和权限办理。同站浏览器调用可使用登录会话，\
非安全方法须带 `X-CSRFToken` 请求头。认证失败按来源地址和令牌前缀计数，超过次数在一段时间内返回 429，\
并记入审计日志。

**错误 Errors.** 所有错误使用同一结构 `Error`：`code`（机器可读）、`message`（中文）、`fields`（按字段的\
中文错误）、`reasons`（操作被阻止的每一条原因）。400 请求体不是 JSON；401 未认证；403 无权限；404 不存在；\
405 方法不允许；409 当前状态不允许（含被阻止的操作及原因）；422 参数不正确；429 认证失败次数过多。

**类型 Types.** 请求体按严格类型解析：日期为 `YYYY-MM-DD` 字符串（不接受整数），日期时间为带时区的 \
ISO 8601 字符串，金额为字符串（如 `"900.00"`），布尔值只能是 `true`/`false`，未知字段一律拒绝。

**分页 Pagination.** 每个列表都分页：`limit`（1–100，默认 20）和 `offset`；应答含总数 `count` 以及 \
`next`/`previous` 链接。标识为数据库编号，永不重复使用。
"""


class Renderer(JSONRenderer):
    """JSON with Chinese as characters, not ``\\u`` escapes (the same bytes on the wire,
    readable in logs and curl)."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=Renderer(),
    title="三项 行政执法三项制度平台接口 · Sanxiang integration API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=[TokenAuth(), SessionAuth()],
    docs=Swagger(
        settings={
            # Swagger UI would otherwise send the schema to validator.swagger.io.
            "validatorUrl": None,
            "tryItOutEnabled": False,
            "displayOperationId": True,
        }
    ),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)

api.add_router("/me", me.router)
api.add_router("/registry", registry.router)
api.add_router("/catalog", catalog.router)
api.add_router("/workdays", workdays.router)
api.add_router("/cases", cases.router)
api.add_router("/cases", cases.actions_router)
api.add_router("", documents.router)
api.add_router("", evidence.router)
api.add_router("", review.router)
api.add_router("/inspections", inspections.router)
api.add_router("/ledger", ledger.router)
api.add_router("/publicity", publicity.router)


class JsonPathView(PathView):
    """A method the path does not have: 405 in the API's error schema, with ``Allow``."""

    def clone(self) -> JsonPathView:
        # ninja clones each path view when it mounts a router (as a plain PathView).
        cloned = super().clone()
        cloned.__class__ = JsonPathView
        return cloned

    def _not_allowed(self) -> HttpResponse:
        allowed = sorted({m for op in self.operations for m in op.methods})
        data = errors.body(
            "method_not_allowed", f"该地址不支持此请求方法（支持：{'、'.join(allowed)}）"
        )
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False),
            status=405,
            content_type="application/json; charset=utf-8",
        )
        response["Allow"] = ", ".join(allowed)
        return response


def _json_405(router) -> None:
    for view in router.path_operations.values():
        view.__class__ = JsonPathView
    for _prefix, child in getattr(router, "_routers", []):
        _json_405(child)


for _prefix, _router in api._routers:
    _json_405(_router)
