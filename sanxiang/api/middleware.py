"""Personal API tokens on the resumable-upload (tus) endpoints.

The tus endpoints (``/records/evidence/uploads/…``) are plain Django views shared by the pages'
upload script and machine clients; they act for ``request.user``. A machine client holding only
a personal token sends ``Authorization: Bearer sx_…``: this middleware checks it exactly as the
API does (``auth.TokenAuth``: counted, throttled and audited failures) and, when it is good,
makes the request act as the token's holder. Such a request carries no session cookie, so it is
not exposed to cross-site request forgery and Django's CSRF check is skipped for it (as for the
API's token requests). A bad token answers 401 in the tus endpoints' plain-text form; a
blocked address 429. Every other request passes untouched.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import Resolver404, resolve
from ninja.errors import Throttled

TUS_URL_NAMES = {"records:tus_uploads", "records:tus_upload"}


def _plain(status: int, message: str, **headers) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Tus-Resumable"] = "1.0.0"
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


class UploadTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if header[:7].lower() == "bearer " and self._is_tus(request.path_info):
            from .auth import TokenAuth

            auth = TokenAuth()
            try:
                user = auth.authenticate(request, header[7:].strip())
            except Throttled as exc:
                return _plain(429, "认证失败次数过多，请稍后再试", Retry_After=str(exc.wait or 60))
            if user is None:
                return _plain(401, getattr(request, "_api_auth_message", "令牌无效"))
            request._dont_enforce_csrf_checks = True
        return self.get_response(request)

    @staticmethod
    def _is_tus(path: str) -> bool:
        try:
            return resolve(path).view_name in TUS_URL_NAMES
        except Resolver404:
            return False
