"""Recording rules and the gate: a 留置送达 without photo or video blocks the case's next steps
(and, when the transition hands the gate the receipt it is about to enter, the service itself)
until the recording exists or the head approves a reason; rules are configurable."""

# ruff: noqa: F811  (pytest fixtures imported from evidence_support are parameters)

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from sanxiang.cases import selectors as case_selectors
from sanxiang.cases import services as case_services
from sanxiang.cases.choices import ServiceMethod, State
from sanxiang.cases.models import ServiceRecord
from sanxiang.ledger.models import Event
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted
from sanxiang.records.evidence import gate, requirements, selectors, services
from sanxiang.records.evidence.choices import RuleMode
from sanxiang.records.evidence.defaults import DEFAULT_RULES
from sanxiang.records.models import RecordingRule

from .evidence_support import (  # noqa: F401  (fixtures)
    SERVED,
    add,
    at,
    device,
    flow,
    items,
    jpeg_bytes,
    left_served,
    p,
)

pytestmark = pytest.mark.django_db

LEFT_REASON = "留置送达须有拍照或录像记录（实施方案：受送达人拒绝接受行政执法文书的"


def close(f):
    return case_services.case_transition(
        case=f.case,
        action="close",
        actor=f.p.wangqiang,
        closed_on=dt.date(2026, 4, 21),
        closing_reason="performed",
        evidence="罚款已缴清",
    )


def pay(f):
    return f.paid()


def test_the_defaults_are_seeded_and_only_the_refused_service_blocks():
    rules = {r.target: r for r in RecordingRule.objects.all()}
    assert set(rules) == {r["target"] for r in DEFAULT_RULES}
    assert [t for t, r in rules.items() if r.mode == RuleMode.BLOCK] == ["service_left"]
    assert rules["service_left"].kinds == ["photo", "video"]
    assert rules["hearing"].kinds == ["audio", "video"] and rules["hearing"].mode == "prompt"


def test_a_left_service_without_photo_or_video_blocks_the_next_steps(flow, device, tmp_path):
    f = left_served(flow)
    pay(f)
    with pytest.raises(Blocked) as exc:
        close(f)
    reason = next(r for r in exc.value.reasons if "留置送达须有" in r)
    assert reason.startswith("行政处罚决定书（2026年4月8日留置送达）：")
    assert LEFT_REASON in reason
    actions = {a.action: a for a in case_selectors.available_actions(f.case, user=f.p.wangqiang)}
    assert not actions["close"].allowed and any(LEFT_REASON in r for r in actions["close"].reasons)
    # The video of leaving the decision, bound to the receipt, unblocks the step.
    add(f, tmp_path, record=f.case.service_records.get(purpose="decision"), device=device)
    close(f)
    assert f.refresh().state == State.CLOSED


def test_a_video_uploaded_for_the_step_on_the_day_counts_too(flow, device, tmp_path):
    f = left_served(flow)
    pay(f)
    # Not bound to the receipt, but to the 送达 step, recorded on the day of service.
    add(f, tmp_path, device=device, step="service", record=None)
    close(f)


def test_a_recording_of_another_day_or_kind_does_not_count(flow, device, tmp_path):
    f = left_served(flow)
    pay(f)
    add(
        f,
        tmp_path,
        device=device,
        started_at=at(SERVED.replace(day=7)),
        ended_at=at(SERVED.replace(day=7), 11),
    )
    add(f, tmp_path, b"ID3" + bytes(4000), kind="audio", name="a.mp3", device=device)
    with pytest.raises(Blocked, match="留置送达须有拍照或录像记录"):
        close(f)
    add(f, tmp_path, jpeg_bytes(), kind="photo", name="门口.jpg", device=None)  # a photo does
    close(f)


def test_an_exemption_approved_by_the_unit_head_unblocks(flow, tmp_path, p):
    f = left_served(flow)
    pay(f)
    rule = RecordingRule.objects.get(target="service_left")
    service = f.case.service_records.get(purpose="decision")
    exemption = services.exemption_request(
        actor=f.p.zhangming,
        case=f.case,
        rule=rule,
        step="service",
        record=service,
        reason="执法记录仪电池耗尽未能录像，由村委会主任赵某见证并在送达回证上签名",
    )
    with pytest.raises(Blocked):  # pending is not enough
        close(f)
    for officer in (f.p.zhangming, p.zhaoliu):  # officers do not approve
        with pytest.raises(NotPermitted, match="审批免于音像记录的权限"):
            services.exemption_decide(actor=officer, exemption=exemption, approve=True)
    # 王强 (承办机构负责人) assigned the team but is not on it: he decides.
    services.exemption_decide(actor=p.wangqiang, exemption=exemption, approve=True, note="同意")
    close(f)
    types = list(
        Event.objects.filter(type__startswith="evidence.exemption").values_list("type", flat=True)
    )
    assert types == ["evidence.exemption_requested", "evidence.exemption_decided"]


def test_a_head_on_the_case_team_does_not_decide_its_exemptions(flow, p):
    """When the unit head works on the case himself, the 局负责人 decides."""
    f = left_served(flow)
    case_services.case_assign(
        actor=p.wangqiang, case=f.case, user=p.wangqiang, role="assist", on=SERVED
    )
    rule = RecordingRule.objects.get(target="service_left")
    exemption = services.exemption_request(
        actor=f.p.zhangming, case=f.case, rule=rule, step="service", reason="执法记录仪故障，已报修"
    )
    with pytest.raises(NotPermitted, match="本案办案人员不能审批"):
        services.exemption_decide(actor=p.wangqiang, exemption=exemption, approve=True)
    services.exemption_decide(actor=p.liujuzhang, exemption=exemption, approve=True)
    assert gate.blocking_reasons(f.case) == []


def test_a_refused_exemption_keeps_the_block_and_needs_a_reason(flow, p):
    f = left_served(flow)
    rule = RecordingRule.objects.get(target="service_left")
    exemption = services.exemption_request(
        actor=f.p.zhangming, case=f.case, rule=rule, step="service", reason="忘记开机录像了"
    )
    with pytest.raises(DomainError, match="请写明理由"):
        services.exemption_decide(actor=p.liujuzhang, exemption=exemption, approve=False)
    services.exemption_decide(
        actor=p.liujuzhang, exemption=exemption, approve=False, note="应补充见证人书面证明"
    )
    assert gate.blocking_reasons(f.case)
    with pytest.raises(DomainError, match="至少5个字"):
        services.exemption_request(
            actor=f.p.zhangming, case=f.case, rule=rule, step="service", reason="没录"
        )


def test_the_gate_checks_the_receipt_a_transition_is_about_to_enter(flow, device, tmp_path):
    """With ``case.pending_service`` (the unsaved receipt the cases transition service builds
    for notify/serve/remind) the 留置送达 itself is blocked until its video is uploaded."""
    f = flow().decided()
    pending = ServiceRecord(
        case=f.case,
        purpose="decision",
        document_name="行政处罚决定书",
        method=ServiceMethod.LEFT,
        served_on=SERVED,
        refusal_reason="拒收",
        witnesses="赵某",
        server=f.p.zhangming,
    )
    f.case.pending_service = pending
    assert any(LEFT_REASON in r for r in gate.recording_check(f.case, "serve"))
    add(f, tmp_path, device=device, step="service")
    gate.changed()
    assert gate.recording_check(f.case, "serve") == []
    f.case.pending_service = ServiceRecord(
        case=f.case, method=ServiceMethod.DIRECT, served_on=SERVED
    )
    assert gate.recording_check(f.case, "serve") == []


def test_a_left_service_cannot_be_entered_before_its_video_and_can_after(flow, device, tmp_path):
    """Through the real serve transition (the cases service hands the gate the receipt)."""
    from .evidence_support import _serve_left

    f = flow().decided()
    events = Event.objects.count()
    with pytest.raises(Blocked) as caught:
        _serve_left(f)
    assert any(LEFT_REASON in r for r in caught.value.reasons)
    assert f.refresh().state == State.DECIDED and Event.objects.count() == events
    add(f, tmp_path, device=device, step="service")
    _serve_left(f)
    assert f.refresh().state == State.SERVED


def test_a_rule_made_blocking_by_the_administrator_blocks_its_step(flow, device, tmp_path, p):
    """The hearing rule is a prompt by default; made 必须记录 it blocks the end of a held
    hearing until the audio or video is there."""
    from sanxiang.cases.tests.test_outcome import held

    f = held(flow)
    with pytest.raises(NotPermitted):
        services.recording_rule_set(
            actor=p.zhangming, target="hearing", mode="block", kinds=["audio"], reason="须录音录像"
        )
    services.recording_rule_set(
        actor=p.xitong,
        target="hearing",
        mode="block",
        kinds=["audio", "video"],
        reason="举行听证须全程录音录像（本局规定）",
        basis="局务会2026年第3次会议",
    )
    with pytest.raises(Blocked, match="举行听证须全程录音录像"):
        case_services.case_transition(
            case=f.case, action="end_hearing", actor=f.p.zhangming, ended_on=dt.date(2026, 4, 20)
        )
    hearing = f.case.hearings.get()
    add(
        f,
        tmp_path,
        b"ID3" + bytes(5000),
        kind="audio",
        scene="hearing",
        name="听证.mp3",
        record=hearing,
        device=device,
    )
    case_services.case_transition(
        case=f.case, action="end_hearing", actor=f.p.zhangming, ended_on=dt.date(2026, 4, 20)
    )
    assert Event.objects.filter(type="records.recording_rule_set").count() == 1


def test_turning_a_rule_off_lifts_its_block(flow, p):
    f = left_served(flow)
    assert gate.blocking_reasons(f.case)
    services.recording_rule_set(
        actor=p.xitong, target="service_left", mode="off", kinds=[], reason=""
    )
    assert gate.blocking_reasons(f.case) == []
    with pytest.raises(DomainError, match="至少选择一种"):
        services.recording_rule_set(
            actor=p.xitong,
            target="service_left",
            mode="block",
            kinds=["document"],
            reason="须录像记录",
        )


def test_prompts_are_shown_but_do_not_block(flow):
    f = flow().investigated()  # an interview and a correction check: both rules are prompts
    m = selectors.case_materials(f.case)
    assert {r.subject.target for r in m.prompts} == {"interview", "correction_check"}
    assert m.blocking == [] and gate.blocking_reasons(f.case) == []


def test_the_gate_adds_a_constant_handful_of_queries(flow, django_assert_max_num_queries):
    f = left_served(flow)
    f.case.refresh_from_db()
    with django_assert_max_num_queries(4):
        gate.recording_check(f.case, "close")
    # Asked for every action in one case_facts round: computed once.
    with django_assert_max_num_queries(0):
        for action in ("remind", "transfer", "decide_on_spot"):
            gate.recording_check(f.case, action)


def test_requirements_for_many_cases_at_once_take_constant_queries(flow, django_assert_num_queries):
    cases = [left_served(flow).case for _ in range(3)]
    rules = requirements.active_rules(blocking_only=True)
    with django_assert_num_queries(3):
        found = requirements.requirements([c.pk for c in cases], rules=rules)
    assert sorted(found) == sorted(c.pk for c in cases)


def test_the_case_page_shows_the_block_and_it_goes_away(client, flow, device, tmp_path):
    f = left_served(flow)
    client.force_login(f.p.zhangming)
    url = reverse("records:case_materials", args=[f.case.pk])
    body = client.get(url).content.decode()
    assert "缺少必须的音像记录" in body and LEFT_REASON in body
    assert "结案" in body and "催告履行" in body  # the blocked actions, by name
    service = f.case.service_records.get(purpose="decision")
    ct = ContentType.objects.get_for_model(service).pk
    assert f"ref=rec:{ct}:{service.pk}&amp;kind=photo" in body  # the upload link
    add(f, tmp_path, record=service, device=device)
    body = client.get(url).content.decode()
    assert "缺少必须的音像记录" not in body and "音像记录要求已满足" in body


def test_todo_lists_missing_recordings_exemptions_to_decide(flow, p):
    f = left_served(flow)
    mine = selectors.todo_items_for(user=p.zhangming, today=dt.date(2026, 4, 9))
    assert any("上传留置送达的照片或录像记录" in i.title for i in mine)
    rule = RecordingRule.objects.get(target="service_left")
    services.exemption_request(
        actor=p.zhangming, case=f.case, rule=rule, step="service", reason="执法记录仪故障，已报修"
    )
    heads = selectors.todo_items_for(user=p.wangqiang, today=dt.date(2026, 4, 9))
    assert [i.title for i in heads] == ["审批免于音像记录申请"]
    assert selectors.todo_items_for(user=p.lihua, today=dt.date(2026, 4, 9))[0].note.endswith(
        "（免于记录申请待审批）"
    )


def test_an_exemption_names_an_act_the_rule_covers(flow):
    f = left_served(flow)
    rule = RecordingRule.objects.get(target="service_left")
    notice = f.case.service_records.get(purpose="notice")  # served directly: nothing to excuse
    with pytest.raises(DomainError, match="不适用“留置送达”的音像记录要求"):
        services.exemption_request(
            actor=f.p.zhangming, case=f.case, rule=rule, step="service", record=notice,
            reason="执法记录仪故障，已报修",
        )  # fmt: skip
    with pytest.raises(DomainError, match="不适用于该办案环节"):
        services.exemption_request(
            actor=f.p.zhangming, case=f.case, rule=rule, step="hearing", reason="执法记录仪故障"
        )
