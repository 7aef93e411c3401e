"""HTTP side of the tus 1.0.0 endpoints (protocol rules in ``tus.py``). Answers are plain text
in Chinese with the tus headers; nothing redirects to the login page (a script is asking)."""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.utils.http import http_date
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import config, tus
from .rules import CHECKSUM_ALGORITHMS, TUS_VERSION, TusError, parse_non_negative

EXTENSIONS = "creation,expiration,checksum,termination"


def _response(status: int, message: str = "", **headers) -> HttpResponse:
    response = HttpResponse(
        message if status >= 400 else "", status=status, content_type="text/plain; charset=utf-8"
    )
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = str(value)
    return response


def _options() -> HttpResponse:
    return _response(
        204,
        Tus_Version=TUS_VERSION,
        Tus_Extension=EXTENSIONS,
        Tus_Max_Size=config.max_any(),
        Tus_Checksum_Algorithm=",".join(CHECKSUM_ALGORITHMS),
    )


def _precheck(request) -> HttpResponse | None:
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        return _response(412, "须使用 tus 1.0.0 协议", Tus_Version=TUS_VERSION)
    user = request.user
    if not user.is_authenticated:
        return _response(401, "请先登录")
    if not user.is_active or not user.has_perm("records.add_evidence"):
        return _response(403, "您没有上传证据的权限")
    return None


def _expires(session) -> str:
    return http_date(tus.expires_at(session).timestamp())


@never_cache
@require_http_methods(["OPTIONS", "POST"])
def uploads(request):
    """OPTIONS: capabilities. POST: create an upload (creation extension)."""
    if request.method == "OPTIONS":
        return _options()
    if (refused := _precheck(request)) is not None:
        return refused
    if request.headers.get("Upload-Defer-Length"):
        return _response(400, "不支持延后声明长度（Upload-Defer-Length）")
    try:
        length = parse_non_negative(request.headers.get("Upload-Length"), "Upload-Length")
    except TusError as exc:
        return _response(400, str(exc))
    try:
        metadata = tus.tus_metadata(request.headers.get("Upload-Metadata", ""))
        session = tus.upload_create(actor=request.user, length=length, metadata=metadata)
    except tus.TusFailure as failure:
        return _response(failure.status, failure.message)
    location = request.build_absolute_uri(f"{request.path.rstrip('/')}/{session.pk}")
    return _response(201, Location=location, Upload_Expires=_expires(session))


@never_cache
@require_http_methods(["OPTIONS", "HEAD", "PATCH", "DELETE"])
def upload(request, upload_id: uuid.UUID):
    if request.method == "OPTIONS":
        return _options()
    if (refused := _precheck(request)) is not None:
        return refused
    try:
        session = tus.session_for(actor=request.user, upload_id=upload_id)
        if request.method == "HEAD":
            return _response(
                200,
                Upload_Offset=tus.current_offset(session),
                Upload_Length=session.length,
                Upload_Expires=_expires(session),
            )
        if request.method == "DELETE":
            tus.upload_terminate(session=session)
            return _response(204)
        return _patch(request, session)
    except tus.TusFailure as failure:
        return _response(failure.status, failure.message)


def _patch(request, session) -> HttpResponse:
    content_type = request.content_type or ""
    if content_type != "application/offset+octet-stream":
        return _response(415, "PATCH 的 Content-Type 须为 application/offset+octet-stream")
    try:
        offset = parse_non_negative(request.headers.get("Upload-Offset"), "Upload-Offset")
        content_length = parse_non_negative(
            request.headers.get("Content-Length") or "0", "Content-Length"
        )
    except TusError as exc:
        return _response(400, str(exc))
    session = tus.upload_append(
        session=session,
        offset=offset,
        content_length=content_length,
        read=request.read,
        checksum_header=request.headers.get("Upload-Checksum"),
    )
    return _response(204, Upload_Offset=session.offset, Upload_Expires=_expires(session))
