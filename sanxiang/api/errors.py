"""The one error schema of the API and the handlers that produce it for every refusal —
ninja's own (validation, authentication, 404, 405, unparsable body) and the services'.

    {"code": "blocked", "message": "中文说明", "fields": {"filed_on": ["…"]}, "reasons": ["…"]}

Services raise ``DomainError`` (a value is wrong: 422, or the state forbids it: 409),
``Blocked`` (409 with every reason; 403 when the reasons are about who may act) and
``NotPermitted`` (403); a missing object is 404; the rate limit 429.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from pydantic import Field

from sanxiang.lib.errors import Blocked, DomainError, NotPermitted

logger = logging.getLogger("sanxiang.api")


class Error(Schema):
    """Every error answer of the API."""

    code: str = Field(
        description="机器可读的错误代码：invalid、unauthenticated、forbidden、not_found、"
        "method_not_allowed、blocked、conflict、rate_limited、bad_request、server_error 等"
    )
    message: str = Field(description="中文说明，可直接显示给用户")
    fields: dict[str, list[str]] = Field(
        default_factory=dict, description="按字段列出的错误（中文）；字段名为请求中的名称"
    )
    reasons: list[str] = Field(
        default_factory=list, description="操作被阻止的每一条原因（中文），如缺少的前置步骤"
    )


STATUS_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "rate_limited",
}


class ApiError(Exception):
    """Raised by endpoints for a refusal that is not a service's (a missing object, a wrong
    state seen before calling the service)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str = "",
        fields: dict[str, list[str]] | None = None,
        reasons: Iterable[str] = (),
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or STATUS_CODES.get(status, "error")
        self.fields = fields or {}
        self.reasons = list(reasons)
        self.headers = headers or {}


def not_found(what: str = "该资源") -> ApiError:
    return ApiError(404, f"没有找到{what}")


def body(
    code: str, message: str, *, fields: dict | None = None, reasons: Iterable[str] = ()
) -> dict:
    return {"code": code, "message": message, "fields": fields or {}, "reasons": list(reasons)}


# --- validation errors in Chinese --------------------------------------------------------------

_MESSAGES = {
    "missing": "必须填写",
    "extra_forbidden": "不允许的字段",
    "string_type": "应为字符串",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为数组",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": "不是有效的 JSON",
    "uuid_type": "应为 UUID",
    "uuid_parsing": "应为 UUID",
    "float_type": "应为数字",
    "decimal_type": "应为数字",
    "union_tag_invalid": "类型不正确",
    "union_tag_not_found": "缺少类型字段",
}


def _message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind == "literal_error":
        return f"应为以下之一：{ctx.get('expected', '')}".replace("'", "")
    if kind == "string_too_long":
        return f"不能超过{ctx.get('max_length')}个字"
    if kind == "string_too_short":
        return f"不能少于{ctx.get('min_length')}个字"
    if kind == "string_pattern_mismatch":
        return "格式不正确"
    if kind in ("greater_than_equal", "greater_than"):
        return f"不能小于{ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"不能大于{ctx.get('le', ctx.get('lt'))}"
    if kind in ("too_long", "too_short"):
        return "条目数量不符合要求"
    msg = str(error.get("msg") or "")
    # Our own validators (types.py) already speak Chinese.
    if any("\u4e00" <= ch <= "\u9fff" for ch in msg):
        return msg.removeprefix("Value error, ")
    return "格式不正确"


_SOURCES = ("body", "query", "path", "header", "cookie", "form", "file")


def _field_name(loc: Iterable) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    # ninja wraps the body in a parameter named after the function argument ("payload").
    if parts and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(parts) or "body"


def validation_fields(errors: list[dict]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        name = _field_name(error.get("loc") or ())
        message = _message(error)
        if message not in fields.setdefault(name, []):
            fields[name].append(message)
    return fields


# --- handlers ---------------------------------------------------------------------------------


def install(api) -> None:
    """Replace ninja's default handlers: every error answers with ``Error``."""

    def respond(request, status: int, data: dict, headers: dict | None = None) -> HttpResponse:
        response = api.create_response(request, data, status=status)
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    def on_validation(request: HttpRequest, exc: ValidationError):
        fields = validation_fields(exc.errors)
        summary = "；".join(f"{k}：{'、'.join(v)}" for k, v in fields.items())
        return respond(request, 422, body("invalid", f"请求参数不正确（{summary}）", fields=fields))

    def on_api_error(request, exc: ApiError):
        data = body(exc.code, exc.message, fields=exc.fields, reasons=exc.reasons)
        return respond(request, exc.status, data, exc.headers)

    def on_authentication(request, exc: AuthenticationError):
        message = getattr(request, "_api_auth_message", "") or (
            "请提供有效的接口令牌（Authorization: Bearer sx_…），或先登录"
        )
        response = respond(request, 401, body("unauthenticated", message))
        response["WWW-Authenticate"] = 'Bearer realm="sanxiang"'
        return response

    def on_throttled(request, exc: Throttled):
        wait = max(int(exc.wait or 1), 1)
        return respond(
            request,
            429,
            body("rate_limited", f"认证失败次数过多，请{wait}秒后再试"),
            {"Retry-After": str(wait)},
        )

    def on_http_error(request, exc: HttpError):
        status = exc.status_code
        if status == 400:
            message = "请求体不是有效的 JSON（Content-Type: application/json）"
        elif status == 403:
            message = "CSRF 校验失败：同站浏览器调用须带 X-CSRFToken 请求头"
        else:
            message = str(exc.message)
        return respond(request, status, body(STATUS_CODES.get(status, "error"), message))

    def on_404(request, exc: Http404):
        message = str(exc) if exc.args and str(exc) else "没有找到该资源"
        return respond(request, 404, body("not_found", message))

    def on_permission_denied(request, exc: PermissionDenied):
        message = str(exc) if exc.args and str(exc) else "您没有执行此操作的权限"
        return respond(request, 403, body("forbidden", message))

    def on_domain_error(request, exc: DomainError):
        if isinstance(exc, NotPermitted):
            return respond(request, 403, body("forbidden", exc.message))
        if isinstance(exc, Blocked):
            status = 403 if exc.code == "forbidden" else 409
            code = "forbidden" if status == 403 else "blocked"
            return respond(request, status, body(code, exc.message, reasons=exc.reasons))
        if exc.field:
            return respond(
                request,
                422,
                body(exc.code or "invalid", exc.message, fields={exc.field: [exc.message]}),
            )
        # No field at fault: the state of the case (or record) does not allow it now.
        return respond(request, 409, body("conflict", exc.message, reasons=[exc.message]))

    def on_exception(request, exc: Exception):
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return respond(request, 500, body("server_error", "服务器内部错误，请联系系统管理员"))

    api.add_exception_handler(Exception, on_exception)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Throttled, on_throttled)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(DomainError, on_domain_error)
