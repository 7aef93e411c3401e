"""Evidence ingest: hashed while streaming, content-addressed, recorded in the ledger in the
upload's transaction; type, size, duplicates, permissions, devices; the plain (no-JavaScript)
form and bounded memory while a large body streams through the WSGI handler."""

# ruff: noqa: F811  (pytest fixtures imported from evidence_support are parameters)

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tracemalloc

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import ClientHandler, RequestFactory
from django.urls import reverse

from sanxiang.ledger.models import Event
from sanxiang.lib.errors import DomainError, NotPermitted
from sanxiang.records.evidence.hashing import upload_dir
from sanxiang.records.models import Evidence

from .evidence_support import (  # noqa: F401  (fixtures)
    SERVED,
    add,
    at,
    device,
    digests_of,
    flow,
    items,
    jpeg_bytes,
    left_served,
    mp4_bytes,
    p,
)

pytestmark = pytest.mark.django_db


def ledger_size() -> int:
    return Event.objects.count()


def test_ingest_stores_by_hash_and_records_both_hashes_in_the_same_transaction(
    flow, device, tmp_path, settings
):
    f = left_served(flow)
    data = mp4_bytes(300_000)
    expected = digests_of(data)
    ev = add(f, tmp_path, data, device=device)
    assert (ev.sha256, ev.sm3, ev.size) == (expected.sha256, expected.sm3, expected.size)
    assert ev.storage_name == (f"records/evidence/{ev.sha256[:2]}/{ev.sha256[2:4]}/{ev.sha256}.mp4")
    assert default_storage.open(ev.storage_name).read() == data
    assert ev.content_type == "video/mp4" and ev.via == "form"
    assert ev.device_holder == f.p.zhangming  # who held the camera when it recorded
    event = Event.objects.get(seq=ev.ledger_seq)
    payload = json.loads(event.payload)
    assert event.type == "evidence.added" and payload["subject"]["kind"] == "cases.case"
    assert payload["data"]["files"] == [
        {
            "path": ev.storage_name,
            "role": "evidence",
            "sha256": expected.sha256,
            "sm3": expected.sm3,
            "size": len(data),
        }
    ]
    assert payload["data"]["device"] == {"id": device.pk, "asset_no": "LCRS-ZFJLY-001"}
    # The temporary file was moved into storage, not copied.
    assert list(tmp_path.glob("*.upload")) == []


def test_a_failed_ingest_writes_nothing(flow, device, tmp_path):
    f = left_served(flow)
    before = ledger_size()
    with pytest.raises(DomainError, match="录像须为以下格式之一"):
        add(f, tmp_path, jpeg_bytes(), name="photo.mp4")  # a JPEG renamed .mp4
    assert ledger_size() == before and not Evidence.objects.exists()
    assert not default_storage.exists("records/evidence")


def test_the_same_bytes_twice_in_one_case_is_refused_with_the_first_number(flow, device, tmp_path):
    f = left_served(flow)
    first = add(f, tmp_path)
    with pytest.raises(DomainError, match=f"已作为本案证据{first.number}上传") as exc:
        add(f, tmp_path, description="又传了一次")
    assert exc.value.code == "duplicate"
    assert Evidence.objects.count() == 1


def test_the_same_bytes_in_two_cases_are_one_stored_object_and_two_rows(flow, device, tmp_path):
    a, b = left_served(flow), left_served(flow)
    one, two = add(a, tmp_path), add(b, tmp_path)
    assert one.storage_name == two.storage_name and one.pk != two.pk
    assert default_storage.open(one.storage_name).read() == mp4_bytes()


def test_a_stored_object_is_never_overwritten(flow, device, tmp_path, settings):
    f = left_served(flow)
    data = mp4_bytes(seed=7)
    name = f"records/evidence/{digests_of(data).sha256[:2]}"
    sha = digests_of(data).sha256
    path = settings.MEDIA_ROOT / name / sha[2:4] / f"{sha}.mp4"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"other bytes under this name")
    before = ledger_size()
    with pytest.raises(DomainError, match="与其内容哈希不符"):
        add(f, tmp_path, data)
    assert path.read_bytes() == b"other bytes under this name"
    assert ledger_size() == before


def test_size_limits_are_per_kind(flow, device, tmp_path, settings):
    settings.RECORDS_EVIDENCE_MAX_BYTES = {"photo": 1000}
    f = left_served(flow)
    with pytest.raises(DomainError, match="照片文件不能超过"):
        add(f, tmp_path, jpeg_bytes() + bytes(2000), kind="photo", name="a.jpg")
    add(f, tmp_path, mp4_bytes(5000))  # video keeps its default limit


def test_only_the_case_team_uploads(flow, device, tmp_path, p):
    f = left_served(flow)
    with pytest.raises(NotPermitted, match="本案办案人员"):
        add(f, tmp_path, actor=p.zhaoliu)  # an officer, not on this case
    with pytest.raises(NotPermitted, match="上传证据的权限"):
        add(f, tmp_path, actor=p.liujuzhang)
    with pytest.raises(DomainError, match="记录人须为本案办案人员"):
        add(f, tmp_path, recorded_by=p.zhaoliu)


def test_a_closed_case_takes_no_more_evidence(flow, device, tmp_path):
    f = flow().closed()
    with pytest.raises(DomainError, match="结案后只读"):
        add(f, tmp_path, scene="other", step="other")


def test_recordings_name_a_device_in_service_on_the_day(flow, device, tmp_path, p):
    f = left_served(flow)
    with pytest.raises(DomainError, match="须注明记录设备"):
        add(f, tmp_path, device=None)
    with pytest.raises(DomainError, match="早于启用日期"):
        add(
            f,
            tmp_path,
            device=device,
            started_at=at(dt.date(2024, 6, 1)),
            ended_at=at(dt.date(2024, 6, 1), 11),
        )
    photo = add(f, tmp_path, jpeg_bytes(), kind="photo", name="IMG_1.jpg", device=None)
    assert photo.device is None and photo.content_type == "image/jpeg"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ended_at": at(SERVED, 9)}, "结束时间不能早于开始时间"),
        ({"ended_at": at(dt.date(2030, 1, 1))}, "不能晚于现在"),
        ({"place": "  "}, "请填写地点"),
        ({"description": ""}, "请填写内容说明"),
        ({"kind": "hologram"}, "请选择证据形式"),
        ({"scene": "nowhere"}, "请选择记录场景"),
        ({"step": "nowhere"}, "请选择办案环节"),
    ],
)
def test_bad_input_gets_a_chinese_message(flow, device, tmp_path, change, message):
    f = left_served(flow)
    with pytest.raises(DomainError, match=message):
        add(f, tmp_path, device=device, **change)


def test_a_record_of_another_case_is_refused(flow, device, tmp_path):
    a, b = left_served(flow), left_served(flow)
    other = b.case.service_records.get(purpose="decision")
    with pytest.raises(DomainError, match="不属于本案"):
        add(a, tmp_path, device=device, record=other)


# --- the plain form (works without JavaScript) -------------------------------------------------


def form_data(f, device, **kw):
    service = f.case.service_records.get(purpose="decision")
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(service).pk
    data = {
        "ref": f"rec:{ct}:{service.pk}",
        "kind": "video",
        "scene": "service_left",
        "device": device.pk,
        "recorded_by": f.p.zhangming.pk,
        "started_at": "2026-04-08T09:30",
        "ended_at": "2026-04-08T09:42",
        "place": "陵川县崇文镇该公司办公室门口",
        "description": "受送达人拒收，留置决定书，全程录像",
    }
    data.update(kw)
    return data


def test_the_plain_form_uploads_through_the_hashing_handler(client, flow, device, settings):
    f = left_served(flow)
    client.force_login(f.p.zhangming)
    url = reverse("records:evidence_new", args=[f.case.pk])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'enctype="multipart/form-data"' in body and 'name="file"' in body
    data = mp4_bytes(200_000)
    response = client.post(
        url, form_data(f, device, file=SimpleUploadedFile("执法记录仪 0408.MP4", data))
    )
    ev = Evidence.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/evidence/{ev.pk}/")
    assert ev.sha256 == hashlib.sha256(data).hexdigest()
    assert ev.record == f.case.service_records.get(purpose="decision") and ev.step == "service"
    assert ev.original_name == "执法记录仪 0408.MP4" and ev.via == "form"
    assert [p.name for p in upload_dir().iterdir()] == []  # the temporary file was moved


def test_the_form_shows_service_errors_on_the_file_field(client, flow, device):
    f = left_served(flow)
    client.force_login(f.p.zhangming)
    url = reverse("records:evidence_new", args=[f.case.pk])
    response = client.post(
        url, form_data(f, device, file=SimpleUploadedFile("x.mp4", b"MZ\x90\x00 not a video"))
    )
    assert response.status_code == 400
    assert "录像须为以下格式之一" in response.content.decode()
    response = client.post(url, form_data(f, device))
    assert "请选择要上传的文件" in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_form_limit_stops_a_too_large_plain_upload(client, flow, device, settings):
    settings.RECORDS_EVIDENCE_FORM_MAX_BYTES = 100_000
    f = left_served(flow)
    client.force_login(f.p.zhangming)
    response = client.post(
        reverse("records:evidence_new", args=[f.case.pk]),
        form_data(f, device, file=SimpleUploadedFile("big.mp4", mp4_bytes(300_000))),
    )
    assert response.status_code == 400
    assert "文件超过上传上限" in response.content.decode()
    assert [p.name for p in upload_dir().iterdir()] == []


def test_people_off_the_case_cannot_open_the_upload_form(client, flow, p):
    f = left_served(flow)
    url = reverse("records:evidence_new", args=[f.case.pk])
    client.force_login(p.zhaoliu)
    assert client.get(url).status_code == 403
    client.force_login(p.wuquanxian)
    assert client.get(url).status_code == 403


# --- memory stays bounded while a large body streams --------------------------------------------


def streamed_post(client, path: str, body_path, content_type: str):
    """POST a body read from a file, through Django's request handler (middleware, upload
    handlers, view), as a WSGI server would pass it: wsgi.input is the open file."""
    environ = RequestFactory()._base_environ(
        PATH_INFO=path,
        REQUEST_METHOD="POST",
        CONTENT_TYPE=content_type,
        CONTENT_LENGTH=str(body_path.stat().st_size),
        HTTP_COOKIE="; ".join(f"{k}={v.value}" for k, v in client.cookies.items()),
    )
    with open(body_path, "rb") as body:
        environ["wsgi.input"] = body
        return ClientHandler(enforce_csrf_checks=False)(environ)


def test_memory_stays_bounded_while_a_large_plain_upload_streams(
    client, flow, device, tmp_path, settings
):
    f = left_served(flow)
    client.force_login(f.p.zhangming)
    size = 48 * 1024 * 1024
    boundary = "----sanxiangboundary"
    body_path = tmp_path / "body.bin"
    sha, sm3 = hashlib.sha256(), hashlib.new("sm3")
    with open(body_path, "wb") as out:
        for name, value in form_data(f, device).items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="big.mp4"\r\nContent-Type: video/mp4\r\n\r\n'.encode()
        )
        head = mp4_bytes(4096)
        out.write(head)
        sha.update(head), sm3.update(head)
        block = hashlib.shake_256(b"block").digest(1024 * 1024)
        for _ in range((size - len(head)) // len(block)):
            out.write(block)
            sha.update(block), sm3.update(block)
        out.write(f"\r\n--{boundary}--\r\n".encode())
    tracemalloc.start()
    try:
        response = streamed_post(
            client,
            reverse("records:evidence_new", args=[f.case.pk]),
            body_path,
            f"multipart/form-data; boundary={boundary}",
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 302, response.content.decode()[:2000]
    ev = Evidence.objects.get()
    assert (ev.sha256, ev.sm3) == (sha.hexdigest(), sm3.hexdigest())
    # 48 MB went through; Python never held more than a few chunks of it.
    assert peak < 12 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
