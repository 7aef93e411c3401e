"""The on-site inspection of a task: the 现场检查笔录 made by the drawn officers through the records
document engine (subject = the task), its signed scan, evidence held by the task (plain and tus
uploads, hashes in the ledger), and — when the result is 立案 — the task's material listed with
the new case. Bad input is refused in Chinese and writes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanxiang.ledger.models import Event
from sanxiang.lib.errors import DomainError, NotPermitted
from sanxiang.records.evidence import tus
from sanxiang.records.evidence.hashing import file_digests
from sanxiang.records.evidence.services import Incoming
from sanxiang.records.models import DocumentScan, Evidence, GeneratedDocument, UploadSession

from .. import services
from ..models import Task, TaskRecord, TaskResult
from .conftest import plan_data

OFFICERS = ("zhangming", "lihua")  # 执法人员: they make documents and upload evidence


@pytest.fixture
def drawn(personas, agency, items, officers, pool, run_draw):
    plan = services.plan_create(actor=personas.wangqiang, agency=agency, data=plan_data(items))
    return run_draw(plan)


@pytest.fixture
def task(drawn):
    """A task drawn for exactly one of 张明 and 李华 (the other is an officer not drawn for it)."""
    for candidate in Task.objects.filter(plan=drawn).order_by("number"):
        names = set(
            candidate.inspectors.filter(active=True).values_list(
                "officer__user__username", flat=True
            )
        )
        if len(names & set(OFFICERS)) == 1:
            return candidate
    pytest.fail("no task drawn for exactly one of 张明 and 李华")


def officer_of(task):
    return (
        task.inspectors.filter(active=True, officer__user__username__in=OFFICERS)
        .select_related("officer__user")
        .first()
        .officer.user
    )


def outsider(task, personas):
    drawn_ids = {s.officer.user_id for s in task.inspectors.filter(active=True)}
    return next(u for u in (personas.zhangming, personas.lihua) if u.pk not in drawn_ids)


def data_of(event: Event) -> dict:
    return json.loads(event.payload)["data"]


def record_values(**overrides) -> dict:
    now = timezone.now().replace(microsecond=0)
    values = {
        "started_at": now - dt.timedelta(hours=2),
        "ended_at": now - dt.timedelta(hours=1),
        "place": "陵川县崇文镇测试路1号 该单位办公室",
        "person_name": "赵示例",
        "person_post": "人事主管",
        "person_phone": "13900000000",
        "witnesses": "",
        "ids_shown": True,
        "recusal_asked": True,
        "recusal_answer": "不申请回避",
        "content": "查阅劳动合同台账和2026年工资发放记录，抽查劳动者3名的考勤表。",
        "attachments_note": "现场照片1张",
        "refusal_note": "",
    }
    values.update(overrides)
    return values


def jpeg_bytes(color=(40, 120, 180)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, "JPEG")
    return buffer.getvalue()


def incoming(tmp_path, data: bytes, name: str = "IMG_0001.jpg") -> Incoming:
    path = tmp_path / f"in-{len(list(tmp_path.iterdir()))}.upload"
    path.write_bytes(data)
    return Incoming(path=path, original_name=name, digests=file_digests(path), via="form")


def evidence_values(user, **overrides) -> dict:
    now = timezone.now().replace(microsecond=0)
    values = {
        "kind": "photo",
        "recorded_by": user,
        "started_at": now - dt.timedelta(minutes=90),
        "ended_at": now - dt.timedelta(minutes=89),
        "place": "该单位办公室",
        "description": "墙上张贴的作息时间表",
    }
    values.update(overrides)
    return values


# --- 现场检查笔录 -------------------------------------------------------------------------------


def test_a_drawn_officer_makes_the_inspection_record_through_the_document_engine(task):
    user = officer_of(task)
    record = services.task_record_make(actor=user, task=task, **record_values())
    doc = record.document
    assert doc.doc_type == "inspection_record" and doc.subject == task
    assert doc.number == ""  # 现场检查笔录 carries no 文号
    assert len(doc.verification_code) == 10 and len(doc.pdf_sha256) == 64
    assert task.target.name in doc.title
    events = set(
        Event.objects.filter(
            subject__kind="inspections.task", subject__key=str(task.pk)
        ).values_list("type", flat=True)
    )
    assert {"document.generated", "inspection.onsite_recorded"} <= events


def test_the_record_is_filled_by_the_case_builder_from_task_target_and_officers(task):
    from sanxiang.records import selectors as records_selectors
    from sanxiang.records.casedocs.builders import inspection_context
    from sanxiang.records.services import context_digest

    from ..services.onsite import task_recorders, task_title

    user = officer_of(task)
    record = services.task_record_make(actor=user, task=task, **record_values())
    day = timezone.localtime(record.started_at).date()
    expected = inspection_context(
        record,
        agency_name=task.plan.agency.name,
        case_title=task_title(task),
        party_name=task.target.name,
        party_address=task.target.address,
        officers=records_selectors.officer_refs(users=task_recorders(task), on=day),
    )
    assert record.document.context_sha256 == context_digest(expected)
    assert len(expected.officers) == 2 and expected.recorder


@pytest.mark.parametrize(
    "change, message",
    [
        ({"ids_shown": False}, "出示执法证件"),
        ({"recusal_asked": False}, "回避"),
        ({"content": "  "}, "请填写检查情况"),
        ({"person_name": ""}, "请填写在场人姓名"),
        ({"place": "x" * 201}, "检查地点不能超过200个字"),
        ({"started_at": "明天"}, "请填写检查开始时间"),
    ],
)
def test_bad_record_input_is_refused_in_chinese_and_writes_nothing(task, change, message):
    with pytest.raises(DomainError, match=message):
        services.task_record_make(actor=officer_of(task), task=task, **record_values(**change))
    assert not TaskRecord.objects.exists() and not GeneratedDocument.objects.exists()


def test_record_times_must_be_ordered_and_past(task):
    now = timezone.now()
    for change, message in (
        (
            {"started_at": now - dt.timedelta(hours=1), "ended_at": now - dt.timedelta(hours=2)},
            "不能早于开始时间",
        ),  # fmt: skip
        ({"ended_at": now + dt.timedelta(hours=3)}, "不能晚于现在"),
        ({"started_at": now - dt.timedelta(days=40)}, "不能早于抽取日期|不能超过24小时"),
    ):
        with pytest.raises(DomainError, match=message):
            services.task_record_make(actor=officer_of(task), task=task, **record_values(**change))
    assert not GeneratedDocument.objects.exists()


def test_only_the_drawn_officers_make_the_record_and_upload_its_scan(task, personas):
    with pytest.raises(NotPermitted, match="抽中的检查人员"):
        services.task_record_make(actor=outsider(task, personas), task=task, **record_values())
    with pytest.raises(NotPermitted):
        services.task_record_make(actor=personas.zhougongshi, task=task, **record_values())
    assert not GeneratedDocument.objects.exists()

    record = services.task_record_make(actor=officer_of(task), task=task, **record_values())
    scan = SimpleUploadedFile("scan.jpg", jpeg_bytes(), content_type="image/jpeg")
    with pytest.raises(NotPermitted):
        services.task_record_scan_attach(
            actor=outsider(task, personas), record=record, uploaded_file=scan
        )
    bad = SimpleUploadedFile("scan.pdf", b"not a scan at all", content_type="application/pdf")
    with pytest.raises(DomainError, match="扫描件须为 PDF 或图片"):
        services.task_record_scan_attach(actor=officer_of(task), record=record, uploaded_file=bad)
    assert not DocumentScan.objects.exists()
    done = services.task_record_scan_attach(
        actor=officer_of(task), record=record, uploaded_file=scan
    )
    assert done.document == record.document and len(done.sha256) == 64


# --- evidence held by the task ------------------------------------------------------------------


def test_a_drawn_officer_adds_evidence_to_the_task_with_hashes_in_the_ledger(task, tmp_path):
    user = officer_of(task)
    data = jpeg_bytes()
    ev = services.task_evidence_add(
        actor=user, task=task, incoming=incoming(tmp_path, data), **evidence_values(user)
    )
    assert ev.case is None and ev.holder == task
    assert ev.step == "inspection" and ev.scene == "on_site"
    entry = Event.objects.select_related("subject").get(seq=ev.ledger_seq)
    assert entry.type == "evidence.added"
    assert (entry.subject.kind, entry.subject.key) == ("inspections.task", str(task.pk))
    assert data_of(entry)["files"][0]["sha256"] == ev.sha256 == hashlib.sha256(data).hexdigest()
    assert data_of(entry)["holder"] == "inspections.task"

    with pytest.raises(DomainError, match="已作为本检查任务证据"):
        services.task_evidence_add(
            actor=user, task=task, incoming=incoming(tmp_path, data), **evidence_values(user)
        )
    assert Evidence.objects.count() == 1


def test_task_evidence_is_refused_in_chinese_and_writes_nothing(task, personas, tmp_path):
    from sanxiang.records.evidence import services as evidence_services

    user = officer_of(task)
    with pytest.raises(NotPermitted, match="抽中的检查人员"):
        services.task_evidence_add(
            actor=outsider(task, personas),
            task=task,
            incoming=incoming(tmp_path, jpeg_bytes()),
            **evidence_values(outsider(task, personas)),
        )
    for change, message in (
        ({"kind": "video"}, "录音、录像须注明记录设备"),
        ({"place": ""}, "请填写地点"),
        ({"recorded_by": outsider(task, personas)}, "记录人须为本检查任务的检查人员"),
    ):
        with pytest.raises(DomainError, match=message):
            services.task_evidence_add(
                actor=user,
                task=task,
                incoming=incoming(tmp_path, jpeg_bytes()),
                **evidence_values(user, **change),
            )
    with pytest.raises(DomainError, match="照片须为以下格式之一"):
        services.task_evidence_add(
            actor=user,
            task=task,
            incoming=incoming(tmp_path, b"%PDF-1.4 not a photo", name="a.jpg"),
            **evidence_values(user),
        )
    with pytest.raises(DomainError, match="证据须属于一个案件或一个检查任务"):
        evidence_services.evidence_add(
            actor=user, incoming=incoming(tmp_path, jpeg_bytes()), scene="on_site",
            step="inspection", **evidence_values(user),
        )  # fmt: skip
    assert not Evidence.objects.exists()


def test_task_evidence_through_the_resumable_upload(client, task, personas):
    user = officer_of(task)
    client.force_login(user)
    data = jpeg_bytes((10, 200, 10))
    tus_headers = {"Tus-Resumable": "1.0.0"}
    # A task the officer was not drawn for: 403, as for a case outside the team.
    other = (
        Task.objects.filter(plan=task.plan)
        .exclude(inspectors__officer__user=user, inspectors__active=True)
        .first()
    )
    refused = client.post(
        "/records/evidence/uploads/",
        headers={
            **tus_headers,
            "Upload-Length": str(len(data)),
            "Upload-Metadata": tus.encode_metadata(
                {"filename": "p.jpg", "holder": f"inspections.task:{other.pk}"}
            ),
        },
    )
    assert refused.status_code == 403
    unknown = client.post(
        "/records/evidence/uploads/",
        headers={
            **tus_headers,
            "Upload-Length": str(len(data)),
            "Upload-Metadata": tus.encode_metadata({"filename": "p.jpg", "holder": "cases.case:1"}),
        },
    )
    assert unknown.status_code == 400
    created = client.post(
        "/records/evidence/uploads/",
        headers={
            **tus_headers,
            "Upload-Length": str(len(data)),
            "Upload-Metadata": tus.encode_metadata(
                {"filename": "现场.jpg", "kind": "photo", "holder": f"inspections.task:{task.pk}"}
            ),
        },
    )
    assert created.status_code == 201, created.content.decode()
    url = created["Location"]
    patched = client.generic(
        "PATCH",
        url,
        data=data,
        content_type="application/offset+octet-stream",
        headers={**tus_headers, "Upload-Offset": "0"},
    )
    assert patched.status_code == 204
    upload_id = url.rstrip("/").rsplit("/", 1)[-1]
    now = timezone.localtime().replace(second=0, microsecond=0)
    response = client.post(
        f"/inspections/tasks/{task.pk}/evidence/",
        {
            "kind": "photo",
            "recorded_by": user.pk,
            "started_at": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "ended_at": (now - dt.timedelta(minutes=59)).strftime("%Y-%m-%dT%H:%M"),
            "place": "该单位车间",
            "description": "车间考勤机",
            "upload_id": upload_id,
        },
    )
    assert response.status_code == 302, response.content.decode()
    ev = Evidence.objects.get()
    assert ev.holder == task and ev.via == "resumable"
    assert UploadSession.objects.get(pk=upload_id).status == "ingested"


def test_no_more_onsite_material_once_the_result_is_recorded(task, tmp_path):
    user = officer_of(task)
    services.task_result_record(
        actor=user,
        task=task,
        inspected_on=timezone.localdate(),
        result=TaskResult.NONE_FOUND,
        findings="未发现问题。",
    )
    with pytest.raises(DomainError, match="检查结果已登记"):
        services.task_record_make(actor=user, task=task, **record_values())
    with pytest.raises(NotPermitted, match="检查结果已登记"):
        services.task_evidence_add(
            actor=user,
            task=task,
            incoming=incoming(tmp_path, jpeg_bytes()),
            **evidence_values(user),
        )
    assert not Evidence.objects.exists() and not TaskRecord.objects.exists()


# --- 立案: the case file takes the inspection's material ----------------------------------------


def test_a_case_result_lists_the_tasks_record_and_evidence_with_the_case(
    client, task, personas, tmp_path
):
    from sanxiang.records.evidence.selectors import case_materials

    user = officer_of(task)
    record = services.task_record_make(actor=user, task=task, **record_values())
    ev = services.task_evidence_add(
        actor=user, task=task, incoming=incoming(tmp_path, jpeg_bytes()), **evidence_values(user)
    )
    services.task_result_record(
        actor=user,
        task=task,
        inspected_on=timezone.localdate(),
        result=TaskResult.CASE,
        findings="工资台账显示2026年9月工资未发放。",
        public_summary="涉嫌拖欠劳动报酬，已立案调查",
    )
    task.refresh_from_db()
    linked = case_materials(task.case).linked
    assert [m.holder for m in linked] == [task]
    assert linked[0].evidence == [ev] and linked[0].documents == [record.document]

    onsite = data_of(Event.objects.get(type="inspection.result_recorded"))["onsite"]
    assert onsite["evidence"][0]["sha256"] == ev.sha256
    assert onsite["records"][0]["pdf_sha256"] == record.document.pdf_sha256

    client.force_login(user)
    page = client.get(f"/records/evidence/cases/{task.case.pk}/").content.decode()
    assert ev.sha256 in page and record.document.pdf_sha256 in page and ev.number in page
    detail = client.get(f"/records/evidence/{ev.pk}/")
    assert detail.status_code == 200 and "检查任务" in detail.content.decode()

    # The case file binds them too (证据材料), with the hashes they were recorded with, so
    # the sealed file and its export package carry the on-site material.
    from sanxiang.archive import assembly

    planned = {i.key: i for i in assembly.plan(task.case)}
    doc_item, ev_item = planned[f"doc:{record.document.pk}"], planned[f"ev:{ev.pk}"]
    assert doc_item.section == ev_item.section == "evidence"
    assert (ev_item.sha256, ev_item.ledger_seq) == (ev.sha256, ev.ledger_seq)
    assert doc_item.sha256 == record.document.pdf_sha256  # no scan uploaded: the generated PDF


# --- pages --------------------------------------------------------------------------------------


def test_the_task_page_forms_write_through_the_services_and_show_chinese_errors(
    client, task, tmp_path
):
    user = officer_of(task)
    client.force_login(user)
    page = client.get(f"/inspections/tasks/{task.pk}/").content.decode()
    assert "制作现场检查笔录" in page and "上传现场检查证据" in page

    bad = {f"rec-{k}": v for k, v in record_values().items() if k != "ids_shown"}
    bad["rec-started_at"] = timezone.localtime(bad["rec-started_at"]).strftime("%Y-%m-%dT%H:%M")
    bad["rec-ended_at"] = timezone.localtime(bad["rec-ended_at"]).strftime("%Y-%m-%dT%H:%M")
    bad["rec-recusal_asked"] = "on"
    response = client.post(f"/inspections/tasks/{task.pk}/record/", bad)
    assert response.status_code == 400
    assert "现场检查应当出示执法证件" in response.content.decode()
    assert not GeneratedDocument.objects.exists()

    response = client.post(f"/inspections/tasks/{task.pk}/record/", {**bad, "rec-ids_shown": "on"})
    assert response.status_code == 302
    record = TaskRecord.objects.get()
    response = client.post(
        f"/inspections/tasks/{task.pk}/record/{record.pk}/scan/",
        {"file": SimpleUploadedFile("scan.txt", b"hello", content_type="text/plain")},
    )
    assert response.status_code == 400 and "扫描件须为 PDF 或图片" in response.content.decode()

    response = client.post(
        f"/inspections/tasks/{task.pk}/evidence/",
        {"kind": "photo", "recorded_by": user.pk, "place": "", "description": ""},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "请选择要上传的文件" in text and "请填写地点" in text
    assert not Evidence.objects.exists()
