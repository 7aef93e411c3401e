"""/api/v1 evidence: an upload slot on the tus endpoints, the bytes sent there (as the page's
script does), registration through the API, then metadata, custody and a recorded download."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanxiang.api import services as api_services
from sanxiang.cases.demo import MARK
from sanxiang.cases.models import Case
from sanxiang.ledger.models import Event
from sanxiang.records.evidence.models import Evidence, UploadSession

from .support import as_user, load_demo

pytestmark = pytest.mark.django_db


def session_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def demo(personas, agency):
    return load_demo(personas, agency, "cases")


def patrol_case() -> Case:
    """Demo case 4: under investigation, 张明 and 李华 on the team."""
    return Case.objects.get(summary__startswith=MARK, summary__contains="日常巡查发现超时加班")


def jpeg_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def upload_photo(user, case: Case, data: bytes) -> Evidence:
    """The whole journey of a machine client: slot (API) → bytes (tus) → registration (API)."""
    api = as_user(user)
    slot = api.post(
        f"/api/v1/cases/{case.pk}/evidence/uploads",
        {"length": len(data), "filename": "IMG_0001.jpg", "kind": "photo"},
        content_type="application/json",
    )
    assert slot.status_code == 201, slot.json()
    location = slot.json()["location"]
    assert "/records/evidence/uploads/" in location
    tus = session_client(user)
    sent = tus.generic(
        "PATCH",
        location.removeprefix("http://testserver"),
        data,
        content_type="application/offset+octet-stream",
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_OFFSET="0",
        HTTP_UPLOAD_CHECKSUM="sha256 " + base64.b64encode(hashlib.sha256(data).digest()).decode(),
    )
    assert sent.status_code == 204, sent.content.decode()
    now = timezone.now()
    registered = api.post(
        f"/api/v1/cases/{case.pk}/evidence",
        {
            "upload_id": slot.json()["upload_id"],
            "ref": "step:inspection",
            "kind": "photo",
            "scene": "on_site",
            "recorded_by": user.pk,
            "started_at": (now - dt.timedelta(minutes=30)).isoformat(),
            "ended_at": (now - dt.timedelta(minutes=29)).isoformat(),
            "place": "陵川县崇文镇该公司车间",
            "description": "车间排班表照片",
        },
        content_type="application/json",
    )
    assert registered.status_code == 201, registered.json()
    return Evidence.objects.get(pk=registered.json()["id"])


def test_a_token_alone_sends_the_bytes_to_the_resumable_endpoint(demo):
    """A machine client with only a personal token: slot, HEAD and PATCH on the tus endpoint with
    ``Authorization: Bearer`` (no session, no CSRF cookie), then registration."""
    user, case, data = demo.zhangming, patrol_case(), jpeg_bytes()
    _token, raw = api_services.token_create(actor=user, name="采集终端")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_TUS_RESUMABLE": "1.0.0"}
    machine = Client(enforce_csrf_checks=True)
    created = machine.post(
        "/records/evidence/uploads/",
        b"",
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_LENGTH=str(len(data)),
        HTTP_UPLOAD_METADATA=",".join(
            f"{k} {base64.b64encode(v.encode()).decode()}"
            for k, v in {"case": str(case.pk), "filename": "IMG_0002.jpg"}.items()
        ),
        **bearer,
    )
    assert created.status_code == 201, created.content.decode()
    path = created["Location"].removeprefix("http://testserver")
    assert machine.head(path, **bearer)["Upload-Offset"] == "0"
    sent = machine.generic(
        "PATCH",
        path,
        data,
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET="0",
        **bearer,
    )
    assert sent.status_code == 204, sent.content.decode()
    assert not sent.cookies  # no session was made for the machine
    registered = as_user(user).post(
        f"/api/v1/cases/{case.pk}/evidence",
        {
            "upload_id": path.rsplit("/", 1)[-1],
            "ref": "step:inspection",
            "kind": "photo",
            "scene": "on_site",
            "recorded_by": user.pk,
            "started_at": (timezone.now() - dt.timedelta(minutes=30)).isoformat(),
            "ended_at": (timezone.now() - dt.timedelta(minutes=29)).isoformat(),
            "place": "陵川县崇文镇该公司车间",
            "description": "车间排班表照片",
        },
        content_type="application/json",
    )
    assert registered.status_code == 201, registered.json()
    assert (
        Evidence.objects.get(pk=registered.json()["id"]).sha256 == hashlib.sha256(data).hexdigest()
    )

    # A wrong token is refused (401, in the tus endpoints' plain text) and audited.
    refused = machine.head(path, HTTP_AUTHORIZATION="Bearer sx_wrong", HTTP_TUS_RESUMABLE="1.0.0")
    assert refused.status_code == 401
    assert Event.objects.filter(type="security.api_auth_failed").exists()


def test_upload_through_the_resumable_endpoint_and_register_through_the_api(demo):
    case = patrol_case()
    data = jpeg_bytes()
    evidence = upload_photo(demo.zhangming, case, data)
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.via == "resumable" and evidence.content_type == "image/jpeg"
    added = Event.objects.get(seq=evidence.ledger_seq)
    assert json.loads(added.payload)["data"]["files"][0]["sha256"] == evidence.sha256

    client = as_user(demo.lihua)
    listed = client.get(f"/api/v1/cases/{case.pk}/evidence", {"kind": "photo"}).json()
    assert [e["id"] for e in listed["items"]] == [evidence.pk]
    one = client.get(f"/api/v1/evidence/{evidence.pk}").json()
    assert one["number"] == evidence.number and one["step"] == "inspection"
    assert one["recorded_by"]["name"] == "张明"


def test_download_needs_a_reason_and_is_in_the_chain_of_custody(demo):
    case = patrol_case()
    data = jpeg_bytes()
    evidence = upload_photo(demo.zhangming, case, data)
    client = as_user(demo.wangqiang)
    no_reason = client.post(
        f"/api/v1/evidence/{evidence.pk}/download", {"reason": ""}, content_type="application/json"
    )
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["fields"]
    response = client.post(
        f"/api/v1/evidence/{evidence.pk}/download",
        {"reason": "报送行政复议机关"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    custody = client.get(f"/api/v1/evidence/{evidence.pk}/custody").json()
    assert custody["count"] == 2
    assert custody["items"][0]["seq"] == evidence.ledger_seq
    assert custody["items"][1]["reason"] == "报送行政复议机关"
    assert custody["items"][1]["actor"]["name"] == "王强"


def test_only_the_case_team_uploads_and_others_get_403(demo):
    case = patrol_case()
    refused = as_user(demo.wangqiang).post(
        f"/api/v1/cases/{case.pk}/evidence/uploads",
        {"length": 10, "filename": "a.jpg"},
        content_type="application/json",
    )
    assert refused.status_code == 403 and refused.json()["message"] == "您没有上传证据的权限"
    assert not UploadSession.objects.exists()
    nobody = as_user(demo.wuquanxian)
    for response in (
        nobody.get(f"/api/v1/cases/{case.pk}/evidence"),
        nobody.get(f"/api/v1/cases/{case.pk}/evidence/records"),
    ):
        assert response.status_code == 403
        assert response.json()["message"] == "您没有查看证据的权限"
    evidence = upload_photo(demo.zhangming, case, jpeg_bytes())
    assert nobody.get(f"/api/v1/evidence/{evidence.pk}").status_code == 403
    assert nobody.get(f"/api/v1/evidence/{evidence.pk}/custody").status_code == 403


def test_unknown_objects_404_and_bad_input_422(demo):
    case = patrol_case()
    client = as_user(demo.zhangming)
    assert client.get("/api/v1/cases/999999/evidence").status_code == 404
    assert client.get("/api/v1/evidence/999999").status_code == 404
    too_big = client.post(
        f"/api/v1/cases/{case.pk}/evidence/uploads",
        {"length": 2**40, "filename": "huge.jpg", "kind": "photo"},
        content_type="application/json",
    )
    assert too_big.status_code == 413 and "上限" in too_big.json()["message"]
    for body, field in (
        ({"length": "10", "filename": "a.jpg"}, "length"),
        ({"length": 10, "filename": "a.jpg", "kind": "hologram"}, "kind"),
        ({"length": 10, "filename": "a.jpg", "case": 1}, "case"),
    ):
        response = client.post(
            f"/api/v1/cases/{case.pk}/evidence/uploads", body, content_type="application/json"
        )
        assert response.status_code == 422 and field in response.json()["fields"], body
    assert not UploadSession.objects.exists()
    unknown = client.post(
        f"/api/v1/cases/{case.pk}/evidence",
        {
            "upload_id": "00000000-0000-0000-0000-000000000000",
            "ref": "step:inspection",
            "kind": "photo",
            "scene": "on_site",
            "recorded_by": demo.zhangming.pk,
            "started_at": "2026-03-01T09:00:00+08:00",
            "ended_at": "2026-03-01",
            "place": "车间",
            "description": "照片",
        },
        content_type="application/json",
    )
    assert unknown.status_code == 422 and "ended_at" in unknown.json()["fields"]
    assert client.get(f"/api/v1/cases/{case.pk}/evidence", {"kind": "x"}).status_code == 422
    # An evidence number no id column can hold is refused, not looked up (no 500).
    huge = client.get(f"/api/v1/cases/{case.pk}/evidence", {"q": "ZJ" + "9" * 30})
    assert huge.status_code == 422 and huge.json()["fields"] == {"q": ["证据编号超出范围"]}


def test_records_to_bind_evidence_to_and_pagination(demo):
    case = patrol_case()
    client = as_user(demo.zhangming)
    refs = client.get(f"/api/v1/cases/{case.pk}/evidence/records").json()
    assert refs["items"] and all(r["ref"].startswith("rec:") for r in refs["items"])
    upload_photo(demo.zhangming, case, jpeg_bytes())
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (0, 90, 200)).save(buffer, "JPEG")
    upload_photo(demo.lihua, case, buffer.getvalue())
    page = client.get(f"/api/v1/cases/{case.pk}/evidence", {"limit": 1}).json()
    assert page["count"] == 2 and len(page["items"]) == 1 and page["next"]
    rest = client.get(page["next"]).json()
    assert rest["items"][0]["id"] != page["items"][0]["id"]
    counts = []
    for limit in (1, 100):
        with CaptureQueriesContext(connection) as ctx:
            client.get(f"/api/v1/cases/{case.pk}/evidence", {"limit": limit})
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
