"""Resumable uploads (tus 1.0.0 core + creation, expiration, checksum, termination): status
codes per the protocol, ownership, CSRF, an interrupted upload that resumes to the same hashes,
registration through the evidence form, expiry of abandoned parts."""

# ruff: noqa: F811  (pytest fixtures imported from evidence_support are parameters)

from __future__ import annotations

import base64
import datetime as dt
import fcntl
import hashlib
import io

import pytest
from django.test import Client
from django.test.client import ClientHandler, RequestFactory
from django.urls import reverse
from django.utils import timezone

from sanxiang.records.evidence import sweeps, tus
from sanxiang.records.evidence.choices import UploadStatus
from sanxiang.records.evidence.hashing import upload_dir
from sanxiang.records.models import Evidence, UploadSession

from .evidence_support import (  # noqa: F401  (fixtures)
    device,
    flow,
    items,
    left_served,
    mp4_bytes,
    p,
)

pytestmark = pytest.mark.django_db

TUS = {"Tus-Resumable": "1.0.0"}
ENDPOINT = "/records/evidence/uploads/"


@pytest.fixture
def served(flow):
    return left_served(flow)


@pytest.fixture
def officer(client, served):
    client.force_login(served.p.zhangming)
    return client


def create(client, case, length: int, **meta) -> str:
    values = {"filename": "执法记录仪 0408.mp4", "filetype": "video/mp4", "case": str(case.pk)}
    values.update(meta)
    response = client.post(
        ENDPOINT,
        headers={
            **TUS,
            "Upload-Length": str(length),
            "Upload-Metadata": tus.encode_metadata(values),
        },
    )
    assert response.status_code == 201, response.content.decode()
    return response["Location"]


def patch(client, url: str, data: bytes, offset: int, **headers):
    return client.generic(
        "PATCH",
        url,
        data=data,
        content_type=headers.pop("content_type", "application/offset+octet-stream"),
        headers={**TUS, "Upload-Offset": str(offset), **headers},
    )


def head(client, url: str):
    return client.head(url, headers=TUS)


def test_options_announce_version_extensions_and_limits(client):
    response = client.options(ENDPOINT)
    assert response.status_code == 204
    assert response["Tus-Resumable"] == "1.0.0" and response["Tus-Version"] == "1.0.0"
    assert set(response["Tus-Extension"].split(",")) == {
        "creation",
        "expiration",
        "checksum",
        "termination",
    }
    assert int(response["Tus-Max-Size"]) >= 4 * 1024**3
    assert "sha1" in response["Tus-Checksum-Algorithm"]


def test_requests_without_the_protocol_version_get_412(officer, served):
    response = officer.post(ENDPOINT, headers={"Upload-Length": "10"})
    assert response.status_code == 412 and response["Tus-Version"] == "1.0.0"


def test_creation_gives_a_location_an_expiry_and_an_empty_part(officer, served):
    location = create(officer, served.case, 1000)
    session = UploadSession.objects.get()
    assert location.endswith(f"{ENDPOINT}{session.pk}")
    assert session.owner == served.p.zhangming and session.case == served.case
    assert session.filename == "执法记录仪 0408.mp4" and session.length == 1000
    assert tus.part_path(session.pk).stat().st_size == 0
    response = head(officer, location)
    assert response.status_code == 200
    assert (response["Upload-Offset"], response["Upload-Length"]) == ("0", "1000")
    assert (
        response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    )
    assert "GMT" in response["Upload-Expires"]


@pytest.mark.parametrize(
    ("headers", "status", "message"),
    [
        ({"Upload-Length": "-5"}, 400, "非负整数"),
        ({"Upload-Length": "10", "Upload-Metadata": "filename ***"}, 400, "base64"),
        ({"Upload-Length": "10", "Upload-Metadata": ""}, 400, "案件"),
        ({"Upload-Length": "10", "Upload-Defer-Length": "1"}, 400, "Upload-Defer-Length"),
    ],
)
def test_bad_creation_requests(officer, served, headers, status, message):
    response = officer.post(ENDPOINT, headers={**TUS, **headers})
    assert response.status_code == status and message in response.content.decode()


def test_size_limits_apply_when_the_upload_is_created(officer, served, settings):
    settings.RECORDS_EVIDENCE_MAX_BYTES = {"video": 5000}
    meta = tus.encode_metadata({"case": str(served.case.pk), "kind": "video"})
    response = officer.post(
        ENDPOINT, headers={**TUS, "Upload-Length": "5001", "Upload-Metadata": meta}
    )
    assert response.status_code == 413 and "超过上限" in response.content.decode()


def test_only_the_case_team_may_create_and_only_the_owner_may_continue(client, served, p):
    client.force_login(p.zhaoliu)  # an officer, not on this case
    meta = tus.encode_metadata({"case": str(served.case.pk)})
    response = client.post(ENDPOINT, headers={**TUS, "Upload-Length": "9", "Upload-Metadata": meta})
    assert response.status_code == 403
    client.force_login(p.zhangming)
    location = create(client, served.case, 9)
    client.force_login(p.lihua)  # on the team, but not the uploader
    assert head(client, location).status_code == 404
    assert patch(client, location, b"123456789", 0).status_code == 404
    client.logout()
    assert head(client, location).status_code == 401
    client.force_login(p.wuquanxian)
    assert head(client, location).status_code == 403


def test_patch_needs_the_right_type_and_offset(officer, served):
    location = create(officer, served.case, 10)
    assert patch(officer, location, b"12345", 0, content_type="application/json").status_code == 415
    response = patch(officer, location, b"12345", 3)
    assert response.status_code == 409 and "（0）" in response.content.decode()
    assert patch(officer, location, b"12345", 0).status_code == 204
    response = patch(officer, location, b"12345", 0)  # repeated: the offset moved on
    assert response.status_code == 409
    response = patch(officer, location, b"1234567", 5)  # beyond Upload-Length
    assert response.status_code == 413
    assert head(officer, location)["Upload-Offset"] == "5"


def test_a_wrong_checksum_discards_that_request_with_460(officer, served):
    location = create(officer, served.case, 8)
    bad = "sha1 " + base64.b64encode(hashlib.sha1(b"xxxx").digest()).decode()
    response = patch(officer, location, b"abcd", 0, **{"Upload-Checksum": bad})
    assert response.status_code == 460
    assert head(officer, location)["Upload-Offset"] == "0"
    good = "sha256 " + base64.b64encode(hashlib.sha256(b"abcd").digest()).decode()
    response = patch(officer, location, b"abcd", 0, **{"Upload-Checksum": good})
    assert response.status_code == 204 and response["Upload-Offset"] == "4"
    response = patch(officer, location, b"efgh", 4, **{"Upload-Checksum": "crc32 AAAA"})
    assert response.status_code == 400


def test_two_connections_cannot_write_one_upload_at_once(officer, served):
    location = create(officer, served.case, 8)
    session = UploadSession.objects.get()
    with open(tus.part_path(session.pk), "ab") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        response = patch(officer, location, b"abcd", 0)
    assert response.status_code == 423


class DroppedConnection(io.RawIOBase):
    """A request body whose connection breaks after ``limit`` bytes."""

    def __init__(self, data: bytes, limit: int):
        self.data, self.limit, self.pos = data, limit, 0

    def readable(self):
        return True

    def read(self, n=-1):
        if self.pos >= self.limit:
            raise ConnectionResetError("connection reset by peer")
        n = len(self.data) - self.pos if n is None or n < 0 else n
        chunk = self.data[self.pos : min(self.pos + n, self.limit)]
        self.pos += len(chunk)
        return chunk


def patch_over_a_breaking_connection(client, url: str, data: bytes, offset: int, limit: int):
    path = url.split("://", 1)[-1].split("/", 1)[-1]
    environ = RequestFactory()._base_environ(
        PATH_INFO="/" + path,
        REQUEST_METHOD="PATCH",
        CONTENT_TYPE="application/offset+octet-stream",
        CONTENT_LENGTH=str(len(data)),
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_OFFSET=str(offset),
        HTTP_COOKIE="; ".join(f"{k}={v.value}" for k, v in client.cookies.items()),
    )
    environ["wsgi.input"] = DroppedConnection(data, limit)
    return ClientHandler(enforce_csrf_checks=False)(environ)


def test_an_interrupted_upload_resumes_and_ends_with_the_hashes_of_the_raw_file(
    officer, served, device
):
    data = mp4_bytes(3 * 1024 * 1024 + 12345)
    location = create(officer, served.case, len(data), kind="video")
    # 1. The first PATCH carries 1 MB and then the connection breaks after 700 KB.
    patch_over_a_breaking_connection(officer, location, data[: 1024 * 1024], 0, 700 * 1024)
    # 2. The client asks where to go on: the bytes that did arrive count.
    offset = int(head(officer, location)["Upload-Offset"])
    assert offset == 700 * 1024
    # 3. It sends the rest in two more requests.
    middle = 2 * 1024 * 1024
    assert patch(officer, location, data[offset:middle], offset).status_code == 204
    response = patch(officer, location, data[middle:], middle)
    assert response.status_code == 204 and response["Upload-Offset"] == str(len(data))
    session = UploadSession.objects.get()
    assert session.status == UploadStatus.COMPLETE
    assert session.sha256 == hashlib.sha256(data).hexdigest()
    assert session.sm3 == hashlib.new("sm3", data).hexdigest()
    # 4. The form registers it as evidence: same hashes, the part moved into storage.
    service = served.case.service_records.get(purpose="decision")
    from django.contrib.contenttypes.models import ContentType

    response = officer.post(
        reverse("records:evidence_new", args=[served.case.pk]),
        {
            "ref": f"rec:{ContentType.objects.get_for_model(service).pk}:{service.pk}",
            "kind": "video",
            "scene": "service_left",
            "device": device.pk,
            "recorded_by": served.p.zhangming.pk,
            "started_at": "2026-04-08T09:30",
            "ended_at": "2026-04-08T10:05",
            "place": "该公司办公室门口",
            "description": "留置送达全程录像",
            "upload_id": str(session.pk),
        },
    )
    assert response.status_code == 302, response.content.decode()
    ev = Evidence.objects.get()
    assert (ev.sha256, ev.sm3, ev.size) == (session.sha256, session.sm3, len(data))
    assert ev.via == "resumable" and ev.original_name == "执法记录仪 0408.mp4"
    session.refresh_from_db()
    assert session.status == UploadStatus.INGESTED and session.evidence == ev
    assert not tus.part_path(session.pk).exists()
    # A finished upload cannot be registered twice, nor patched again.
    assert patch(officer, location, b"x", len(data)).status_code == 403


def test_an_upload_in_one_patch_is_hashed_as_it_is_written(officer, served):
    data = mp4_bytes(200_000)
    location = create(officer, served.case, len(data))
    assert patch(officer, location, data, 0).status_code == 204
    session = UploadSession.objects.get()
    assert (session.sha256, session.offset) == (hashlib.sha256(data).hexdigest(), len(data))


def test_termination_removes_the_part(officer, served):
    location = create(officer, served.case, 100)
    patch(officer, location, b"x" * 10, 0)
    response = officer.delete(location, headers=TUS)
    assert response.status_code == 204
    session = UploadSession.objects.get()
    assert session.status == UploadStatus.TERMINATED and not tus.part_path(session.pk).exists()
    assert head(officer, location).status_code == 410


def test_csrf_token_is_required_for_writes(served):
    client = Client(enforce_csrf_checks=True)
    client.force_login(served.p.zhangming)
    page = client.get(reverse("records:evidence_new", args=[served.case.pk]))
    token = page.context["csrf_token"]
    meta = tus.encode_metadata({"case": str(served.case.pk)})
    headers = {**TUS, "Upload-Length": "4", "Upload-Metadata": meta}
    assert client.post(ENDPOINT, headers=headers).status_code == 403
    response = client.post(ENDPOINT, headers={**headers, "X-CSRFToken": str(token)})
    assert response.status_code == 201
    location = response["Location"]
    assert patch(client, location, b"abcd", 0).status_code == 403
    assert patch(client, location, b"abcd", 0, **{"X-CSRFToken": str(token)}).status_code == 204


def test_too_many_open_uploads_are_refused(officer, served, settings):
    settings.RECORDS_UPLOADS_PER_USER = 2
    create(officer, served.case, 10)
    create(officer, served.case, 10)
    meta = tus.encode_metadata({"case": str(served.case.pk)})
    response = officer.post(
        ENDPOINT, headers={**TUS, "Upload-Length": "10", "Upload-Metadata": meta}
    )
    assert response.status_code == 429


def test_abandoned_uploads_and_stray_parts_expire(officer, served):
    old = create(officer, served.case, 100)
    fresh = create(officer, served.case, 100)
    stale = UploadSession.objects.get(pk=old.rsplit("/", 1)[-1])
    UploadSession.objects.filter(pk=stale.pk).update(
        updated_at=timezone.now() - dt.timedelta(hours=73)
    )
    stray = upload_dir() / "00000000-0000-0000-0000-000000000000.part"
    stray.write_bytes(b"left by a crash")
    import os

    past = (timezone.now() - dt.timedelta(days=4)).timestamp()
    os.utime(stray, (past, past))
    message = sweeps.upload_expiry_sweep(timezone.now())
    assert message == "清除过期的未完成上传：2 个"
    stale.refresh_from_db()
    assert stale.status == UploadStatus.EXPIRED and not tus.part_path(stale.pk).exists()
    assert not stray.exists()
    assert head(officer, old).status_code == 410
    assert head(officer, fresh).status_code == 200
    assert sweeps.upload_expiry_sweep(timezone.now()) is None


def evidence_form(served, device, upload_id: str, **changes) -> dict:
    data = {
        "ref": "step:service",
        "kind": "video",
        "scene": "service_left",
        "device": device.pk,
        "recorded_by": served.p.zhangming.pk,
        "started_at": "2026-04-08T09:30",
        "ended_at": "2026-04-08T10:05",
        "place": "该公司办公室门口",
        "description": "留置送达全程录像",
        "upload_id": upload_id,
    }
    data.update(changes)
    return data


def test_a_finished_upload_survives_a_form_error(officer, served, device):
    data = mp4_bytes(50_000)
    location = create(officer, served.case, len(data))
    patch(officer, location, data, 0)
    upload_id = location.rsplit("/", 1)[-1]
    url = reverse("records:evidence_new", args=[served.case.pk])
    response = officer.post(url, evidence_form(served, device, upload_id, place=""))
    body = response.content.decode()
    assert response.status_code == 400 and "请填写地点" in body
    assert "已上传完成" in body and f'value="{upload_id}"' in body  # no need to send it again
    response = officer.post(url, evidence_form(served, device, upload_id))
    assert response.status_code == 302 and Evidence.objects.get().via == "resumable"


def test_an_upload_of_bytes_the_case_already_has_is_dropped(officer, served, device):
    data = mp4_bytes(50_000)
    url = reverse("records:evidence_new", args=[served.case.pk])
    for _attempt in range(2):
        location = create(officer, served.case, len(data))
        patch(officer, location, data, 0)
        response = officer.post(url, evidence_form(served, device, location.rsplit("/", 1)[-1]))
    assert response.status_code == 400 and "无需重复上传" in response.content.decode()
    dropped = UploadSession.objects.get(pk=location.rsplit("/", 1)[-1])
    assert dropped.status == UploadStatus.TERMINATED and not tus.part_path(dropped.pk).exists()
    assert Evidence.objects.count() == 1
