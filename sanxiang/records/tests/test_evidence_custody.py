"""Chain of custody and the evidence pages: every view, download and export is a ledger event
(who, when, from where, why); files leave only through permission-checking views; text records
and recordings of one case and one enforcement target are retrieved together."""

# ruff: noqa: F811  (pytest fixtures imported from evidence_support are parameters)

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from sanxiang.cases import services as case_services
from sanxiang.ledger.models import Event
from sanxiang.lib.errors import DomainError, NotPermitted
from sanxiang.records.evidence import selectors, services

from .evidence_support import (  # noqa: F401  (fixtures)
    add,
    device,
    flow,
    items,
    jpeg_bytes,
    left_served,
    mp4_bytes,
    p,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ev(flow, device, tmp_path):
    f = left_served(flow)
    return add(
        f, tmp_path, mp4_bytes(100_000), record=f.case.service_records.get(purpose="decision")
    )


def events(type_: str) -> list[dict]:
    return [json.loads(e.payload) for e in Event.objects.filter(type=type_).order_by("seq")]


def test_opening_the_detail_page_is_a_recorded_view(client, ev, p):
    client.force_login(p.zhaomin)  # 法制审核员 reviewing the case
    response = client.get(reverse("records:evidence_detail", args=[ev.pk]), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    body = response.content.decode()
    assert ev.sha256 in body and ev.sm3 in body and "<video" in body
    assert "行政处罚决定书·留置送达" in body  # the receipt it documents
    (view,) = events("security.evidence_viewed")
    assert view["actor"]["username"] == "zhaomin"
    assert view["subject"] == {"kind": "records.evidence", "key": str(ev.pk)}
    assert view["data"]["ip"] == "10.1.2.3" and view["data"]["sha256"] == ev.sha256


def test_a_download_needs_a_reason_and_is_recorded_before_the_bytes(client, ev, p):
    client.force_login(p.zhangming)
    url = reverse("records:evidence_download", args=[ev.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and not events("security.evidence_downloaded")
    response = client.post(url, {"reason": "报送陵川县人民政府行政复议"})
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == mp4_bytes(100_000)
    assert 'attachment; filename="VID_20260408_093000.mp4"' in response["Content-Disposition"]
    (download,) = events("security.evidence_downloaded")
    assert download["data"]["reason"] == "报送陵川县人民政府行政复议"
    assert download["data"]["file"] == ev.storage_name


def test_the_custody_page_lists_upload_views_and_downloads(client, ev, p):
    client.force_login(p.zhangming)
    client.get(reverse("records:evidence_detail", args=[ev.pk]))
    client.post(reverse("records:evidence_download", args=[ev.pk]), {"reason": "提交人民法院"})
    rows = selectors.custody_log(ev)
    assert [r.label for r in rows] == [
        "登记证据（照片、录音、录像、书证电子件）",
        "查看证据",
        "下载证据文件",
    ]
    assert rows[2].reason == "提交人民法院"
    body = client.get(reverse("records:evidence_custody", args=[ev.pk])).content.decode()
    assert "提交人民法院" in body and "下载证据文件" in body


def test_media_is_served_only_with_the_token_of_a_recorded_view(client, ev, p):
    client.force_login(p.zhangming)
    media = reverse("records:evidence_media", args=[ev.pk])
    assert client.get(media).status_code == 403
    page = client.get(reverse("records:evidence_detail", args=[ev.pk]))
    token = page.context["token"]
    whole = client.get(media, {"t": token})
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == mp4_bytes(100_000)
    part = client.get(media, {"t": token}, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206 and part["Content-Range"] == "bytes 100-199/100000"
    assert b"".join(part.streaming_content) == mp4_bytes(100_000)[100:200]
    assert client.get(media, {"t": token}, HTTP_RANGE="bytes=100000-").status_code == 416
    # The token is this user's: another user (with the right to view) needs their own view.
    client.force_login(p.lihua)
    assert client.get(media, {"t": token}).status_code == 403
    # Playing a video (many range requests) is one recorded view, not one per request.
    assert len(events("security.evidence_viewed")) == 1


def test_evidence_files_are_not_public_media(client, ev, settings):
    assert client.get(f"/media/{ev.storage_name}").status_code == 404
    assert client.get(reverse("records:evidence_detail", args=[ev.pk])).status_code == 302


@pytest.mark.parametrize("who", ["zhougongshi", "xitong", "wuquanxian"])
def test_people_without_the_right_to_view_evidence_are_refused(client, ev, p, who):
    client.force_login(getattr(p, who))
    for name in ("evidence_detail", "evidence_download", "evidence_custody"):
        assert client.get(reverse(f"records:{name}", args=[ev.pk])).status_code == 403
    assert not events("security.evidence_viewed")


def test_exports_outside_a_request_are_recorded_with_their_purpose(ev, p):
    with pytest.raises(NotPermitted):
        services.evidence_export_record(actor=p.zhangming, evidence=ev, purpose="归档")
    with pytest.raises(DomainError, match="用途"):
        services.evidence_export_record(actor=p.sundangan, evidence=ev, purpose="")
    services.evidence_export_record(actor=p.sundangan, evidence=ev, purpose="一案一卷导出包")
    (export,) = events("security.evidence_exported")
    assert export["data"]["reason"] == "一案一卷导出包"
    assert [r.label for r in selectors.custody_log(ev)][-1] == "导出证据文件"


def test_text_records_and_recordings_of_a_case_are_together(client, ev, p, tmp_path):
    f_case = ev.case
    m = selectors.case_materials(f_case)
    service = next(g for g in m.groups if g.step == "service")
    assert [r.label for r in service.records] == [
        "行政处罚（处理）事先告知书·直接送达（2026-03-26）",
        "行政处罚决定书·留置送达（2026-04-08）",
    ]
    assert service.evidence == [ev]
    interview = next(g for g in m.groups if g.step == "interview")
    assert interview.records and not interview.evidence
    client.force_login(p.liujuzhang)
    body = client.get(reverse("records:case_materials", args=[f_case.pk])).content.decode()
    assert ev.number in body and "询问笔录（钱某" in body and "留置送达" in body


def test_an_enforcement_targets_records_across_cases_are_together(
    client, flow, device, tmp_path, p
):
    first = left_served(flow)
    party = first.case.parties.get()
    second = flow().registered(parties=[{**_party_data(party)}])
    case_services.case_assign(
        actor=p.wangqiang,
        case=second.case,
        user=p.zhangming,
        role="lead",
        on=second.case.received_on,
    )
    case_services.case_assign(
        actor=p.wangqiang, case=second.case, user=p.lihua, role="assist", on=second.case.received_on
    )
    one = add(first, tmp_path, device=device)
    two = add(
        second,
        tmp_path,
        jpeg_bytes(),
        kind="photo",
        scene="on_site",
        step="intake",
        name="车间.jpg",
        device=None,
    )
    rows = selectors.target_materials(party, user=p.zhangming)
    assert {r.case.pk for r in rows} == {first.case.pk, second.case.pk}
    assert {e.pk for r in rows for e in r.evidence} == {one.pk, two.pk}
    client.force_login(p.zhangming)
    body = client.get(reverse("records:target_materials", args=[party.pk])).content.decode()
    assert one.number in body and two.number in body


def _party_data(party) -> dict:
    return {
        "kind": party.kind,
        "name": party.name,
        "uscc": party.uscc,
        "legal_representative": party.legal_representative,
        "address": party.address,
    }


def test_the_evidence_list_filters_and_keeps_its_query_count(
    client, ev, p, django_assert_max_num_queries
):
    client.force_login(p.zhangming)
    url = reverse("records:evidence_list")
    body = client.get(url, {"kind": "video"}).content.decode()
    assert ev.number in body
    assert ev.number not in client.get(url, {"kind": "photo"}).content.decode()
    assert ev.number in client.get(url, {"q": ev.number}).content.decode()
    assert ev.number in client.get(url, {"q": ev.sha256}).content.decode()
    # Digits beyond the id column's range, or non-ASCII digits, are text, not a number.
    for q in ["ZJ" + "9" * 30, "²³", "9" * 19]:
        response = client.get(url, {"q": q})
        assert response.status_code == 200 and ev.number not in response.content.decode()
    with django_assert_max_num_queries(12):
        client.get(url, {"case": ev.case_id})


def test_the_recording_rules_page_lists_the_rules(client, p):
    client.force_login(p.zhangming)
    body = client.get(reverse("records:recording_rules")).content.decode()
    assert "留置送达" in body and "必须记录" in body and "提示记录" in body
    client.force_login(p.xitong)
    body = client.get(reverse("records:recording_rules")).content.decode()
    assert "在管理后台修改" in body


def test_the_admin_saves_a_rule_through_the_service(client, p):
    from sanxiang.records.models import RecordingRule

    rule = RecordingRule.objects.get(target="hearing")
    client.force_login(p.xitong)
    url = reverse("admin:records_recordingrule_change", args=[rule.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "mode": "block",
            "kinds": ["audio", "video"],
            "reason": "听证须全程录音录像",
            "basis": "本局规定",
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.mode == "block" and rule.updated_by == p.xitong
    assert Event.objects.filter(type="records.recording_rule_set").exists()
    response = client.post(url, {"mode": "block", "kinds": [], "reason": "x"})
    assert response.status_code == 200 and "请至少选择一种" in response.content.decode()


def test_every_event_type_has_a_chinese_label():
    from sanxiang.ledger.labels import all_labels

    labels = all_labels()
    for type_ in (
        "evidence.added",
        "evidence.exemption_requested",
        "evidence.exemption_decided",
        "evidence.fixity_failed",
        "evidence.fixity_restored",
        "security.evidence_viewed",
        "security.evidence_downloaded",
        "security.evidence_exported",
        "records.recording_rule_set",
    ):
        assert type_ in labels, type_


def test_the_case_page_can_include_the_recordings_section(rf, ev, p):
    from django.template import Context, Template

    template = Template("{% load evidence %}{% evidence_section case %}")
    request = rf.get("/cases/1/")
    request.user = p.zhangming
    html = template.render(Context({"case": ev.case, "request": request}))
    assert "全过程记录：证据与音像记录" in html and "上传证据" in html
    request.user = p.zhougongshi  # no right to view evidence: nothing shown
    assert "全过程记录" not in template.render(Context({"case": ev.case, "request": request}))
