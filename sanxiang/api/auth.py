"""How an API request says who it acts for.

1. ``Authorization: Bearer sx_…`` — a personal token (``services.token_check``). The request
   then acts as the token's holder, with exactly the holder's permissions.
2. The Django session of a signed-in user (same-site browser calls, the docs page), with
   Django's CSRF check on unsafe methods (``X-CSRFToken`` header).

A presented token that does not work is a failed authentication: counted per client address
and per token prefix and recorded in the audit log (``security.api_auth_failed``); past the
limit, token checks from that address (or naming that prefix) are refused with 429 for a
while (``security.api_auth_blocked``, recorded once).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError, Throttled
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from sanxiang.ledger.audit import client_ip

from . import services


class TokenAuth(HttpBearer):
    """Personal API token: ``Authorization: Bearer sx_…``."""

    openapi_bearerFormat = "sx_ token"  # noqa: N815 — OpenAPI's name

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization")
        if header is None:
            return None
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer":
            return self._fail(request, raw="", reason="malformed")
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str):
        ip = client_ip(request)
        prefix = services.prefix_of(token)
        wait = services.blocked_for(ip=ip, prefix=prefix)
        if wait is not None:
            raise Throttled(wait=int(wait.total_seconds()) + 1)
        check = services.token_check(token)
        if check.user is None:
            return self._fail(request, raw=token, reason=check.reason)
        request.user = check.user
        request.api_token = check.token
        return check.user

    def _fail(self, request: HttpRequest, *, raw: str, reason: str):
        ip = client_ip(request)
        prefix = services.prefix_of(raw)
        blocked = services.auth_failure_record(request=request, ip=ip, prefix=prefix, reason=reason)
        request._api_auth_message = services.REASONS.get(reason, "令牌无效")
        if blocked:
            wait = int(services.config.block().total_seconds())
            raise Throttled(wait=wait)
        return None


class SessionAuth(APIKeyCookie):
    """The signed-in user's Django session; unsafe methods need the CSRF token. A request
    without a session is simply not authenticated by this (401, not a CSRF error)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed")
        return user
