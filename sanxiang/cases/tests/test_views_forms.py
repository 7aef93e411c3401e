"""Every form of the case pages, through HTTP: a persona who may not act gets a 403 and
nothing changes; bad input comes back with a Chinese message next to its field (or the list of
reasons) and nothing is written; good input is written by the service. One setup per form."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from sanxiang.cases import services
from sanxiang.cases.choices import (
    CorrectionResult,
    DeadlineKind,
    PenaltyType,
    PlanStatus,
    PreservationStatus,
    RecusalStatus,
    State,
)
from sanxiang.cases.models import (
    Case,
    CaseFlag,
    CollectiveDiscussion,
    CorrectionOrder,
    CourtApplication,
    Deadline,
    Decision,
    DecisionChange,
    Defence,
    InvestigationRecord,
    Payment,
    PaymentPlan,
    Preservation,
    Proposal,
    Recusal,
    ServiceConsent,
)
from sanxiang.ledger.models import Event
from sanxiang.lib import codes

from .conftest import at


def d(month: int, day: int) -> str:
    return dt.date(2026, month, day).isoformat()


def future(days: int = 10) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


DIRECT = {"method": "direct", "receiver_name": "钱某", "receiver_relation": "legal_rep"}


# --- states to start from ---------------------------------------------------------------------


def lead(f):
    return f.registered()


def lead_team(f):
    return f.registered().assigned()


def lead_without_cause(f):
    return f.registered(cause=False)


def supplement(f):
    f.registered()
    services.case_transition(
        case=f.case,
        action="request_supplement",
        actor=f.p.zhangming,
        items="工资条",
        notified_on=dt.date(2026, 3, 3),
    )
    return f


def filed(f):
    return f.filed()


def unsigned_record(f):
    return f.filed().recorded(signed=False)


def preservation_requested(f):
    f.filed()
    services.preservation_request(
        actor=f.p.zhangming,
        case=f.case,
        items=[{"name": "考勤记录", "quantity": "1册"}],
        place_kept="证据保管室",
        reason="可能被销毁",
        requested_on=dt.date(2026, 3, 5),
    )
    return f


def preservation_approved(f):
    preservation_requested(f)
    services.preservation_approve(
        actor=f.p.liujuzhang,
        preservation=Preservation.objects.get(case=f.case),
        approved=True,
        approved_on=dt.date(2026, 3, 6),
    )
    return f


def order_unchecked(f):
    return f.filed().ordered(check=False)


def before_proposal(f):
    return f.filed().recorded().ordered()


def recusal_pending(f):
    f.filed()
    services.recusal_file(
        actor=f.p.zhangming,
        case=f.case,
        person=f.p.lihua,
        kind="application",
        applicant="当事人",
        grounds="与当事人有亲属关系",
        filed_on=dt.date(2026, 3, 5),
    )
    return f


def manual_flag(f):
    f.filed()
    services.case_flag(
        actor=f.p.wangqiang,
        case=f.case,
        kind="complex",
        reason="多个法律关系",
        on=dt.date(2026, 3, 5),
    )
    return f


def investigated(f):
    return f.investigated()


def concluded(f):
    return f.concluded()


def notified(f):
    return f.notified()


def with_defence(f):
    f.notified()
    services.defence_record(
        actor=f.p.zhangming,
        case=f.case,
        content="已改正，请求从轻",
        received_on=dt.date(2026, 3, 27),
    )
    return f


def hearing_notified(f):
    f.registered(causes=[f.items.job_agency])
    return f.notified(
        item_version=f.items.job_agency,
        tier_level="",
        penalty_types=[PenaltyType.FINE, PenaltyType.REVOKE_LICENCE],
        fine_amount="20000",
    )


def hearing_requested(f):
    hearing_notified(f)
    services.case_transition(
        case=f.case,
        action="request_hearing",
        actor=f.p.zhangming,
        requested_on=dt.date(2026, 3, 30),
    )
    return f


def hearing_scheduled(f):
    hearing_requested(f)
    services.hearing_schedule(
        actor=f.p.wangqiang,
        case=f.case,
        scheduled_at=at(dt.date(2026, 4, 20)),
        place="听证室",
        presider=f.p.zhaomin,
        notice_served_on=dt.date(2026, 4, 8),
    )
    return f


def hearing_held(f):
    hearing_scheduled(f)
    services.hearing_record(
        actor=f.p.zhaomin,
        case=f.case,
        record_summary="笔录",
        report="报告",
        party_attended=True,
        party_signed=True,
    )
    return f


def pending(f):
    return f.pending()


def paused(f):
    f.pending()
    services.decision_clock_pause(
        actor=f.p.liujuzhang,
        case=f.case,
        period="appraisal",
        note="委托鉴定",
        on=dt.date(2026, 4, 6),
    )
    return f


def decided(f):
    return f.decided()


def served(f):
    return f.served()


def paid(f):
    return f.served().paid()


def closed(f):
    return f.closed()


def plan_applied(f):
    f.served()
    services.payment_plan_apply(
        actor=f.p.zhangming,
        case=f.case,
        kind="deferral",
        reason="经营困难",
        schedule=[{"due": "2026-06-30", "amount": "900"}],
        applied_on=dt.date(2026, 4, 10),
    )
    return f


def enforcement(f):
    f.served()
    services.case_transition(
        case=f.case,
        action="remind",
        actor=f.p.zhangming,
        issued_on=dt.date(2026, 4, 24),
        served_on=dt.date(2026, 4, 24),
        content="请于十日内缴纳",
        service=DIRECT,
    )
    return f


def court_applied(f):
    enforcement(f)
    services.court_application_record(
        actor=f.p.zhangming, case=f.case, court="陵川县人民法院", applied_on=dt.date(2026, 10, 20)
    )
    return f


# --- the table ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Form:
    op: str
    setup: Callable
    actor: str
    good: Callable[[object], dict] | dict
    written: Callable[[object], bool]
    bad: Callable[[object], dict] | dict
    error: str  # Chinese text the refusal must show
    intruder: str = "zhaoliu"  # an officer of the bureau who is not on the case team
    obj: Callable[[object], object] | None = None


def _party_uscc():
    return codes.make_uscc(random.Random(99), region="140524")


FORMS = [
    # registration
    Form(
        "edit_intake",
        lead,
        "zhangming",
        {"summary": "反映拖欠工资（已核实）", "facts": "核实后的事实", "workers_affected": "3"},
        lambda f: f.refresh().summary == "反映拖欠工资（已核实）",
        {"summary": "反映拖欠工资", "facts": "事实", "violation_from": d(4, 1)},
        "违法行为发生日期不能晚于收到（发现）日期",
        intruder="liujuzhang",
    ),
    Form(
        "add_party",
        lead,
        "zhangming",
        lambda f: {
            "party_kind": "organisation",
            "party_name": "关联劳务公司",
            "party_uscc": _party_uscc(),
        },
        lambda f: f.case.parties.count() == 2,
        {"party_kind": "organisation", "party_name": "关联劳务公司", "party_uscc": "123"},
        "统一社会信用代码应为18位",
        intruder="liujuzhang",
    ),
    Form(
        "add_complainant",
        lead,
        "zhangming",
        {
            "complainant_role": "complainant",
            "complainant_name": "李某",
            "complainant_phone": "13903560102",
        },
        lambda f: f.case.complainants.count() == 2,
        {"complainant_role": "complainant", "complainant_anonymous": "on"},
        "投诉须署名",
        intruder="liujuzhang",
    ),
    Form(
        "add_cause",
        lead_without_cause,
        "zhangming",
        lambda f: {"item_version": f.items.overtime.pk, "note": "超时加班"},
        lambda f: f.case.causes.count() == 1,
        {"item_version": ""},
        "请选择执法事项清单中的事项",
        intruder="liujuzhang",
    ),
    Form(
        "remove_cause",
        lead,
        "zhangming",
        {"reason": "选错事项"},
        lambda f: f.case.causes.count() == 0,
        {"reason": ""},
        "请填写删除理由",
        intruder="liujuzhang",
        obj=lambda f: f.case.causes.get(),
    ),
    # team, recusal, flags
    Form(
        "assign",
        lead,
        "wangqiang",
        lambda f: {"user": f.p.zhangming.pk, "role": "lead", "on": d(3, 2)},
        lambda f: f.case.assignments.filter(user=f.p.zhangming).exists(),
        lambda f: {"user": f.p.zhangming.pk, "role": "lead", "on": future()},
        "指派日期不能晚于今天",
        intruder="zhangming",
    ),
    Form(
        "release",
        lead_team,
        "wangqiang",
        {"reason": "工作调整", "on": d(3, 2)},
        lambda f: f.case.assignments.get(user=f.p.lihua).released_on is not None,
        {"reason": "", "on": d(3, 2)},
        "请填写调出原因",
        intruder="zhangming",
        obj=lambda f: f.case.assignments.get(user=f.p.lihua),
    ),
    Form(
        "recusal",
        filed,
        "zhangming",
        lambda f: {
            "person": f.p.lihua.pk,
            "kind": "application",
            "applicant": "当事人钱某",
            "grounds": "亲属关系",
            "filed_on": d(3, 5),
        },
        lambda f: Recusal.objects.filter(case=f.case).exists(),
        lambda f: {
            "person": f.p.lihua.pk,
            "kind": "application",
            "grounds": "亲属关系",
            "filed_on": d(3, 5),
        },
        "请填写申请人",
    ),
    Form(
        "decide_recusal",
        recusal_pending,
        "liujuzhang",
        {"upheld": "0", "reason": "理由不成立", "decided_on": d(3, 6)},
        lambda f: Recusal.objects.get(case=f.case).status == RecusalStatus.REJECTED,
        {"upheld": "", "reason": "理由不成立", "decided_on": d(3, 6)},
        "请选择决定",
        intruder="wangqiang",
        obj=lambda f: Recusal.objects.get(case=f.case),
    ),
    Form(
        "flag",
        filed,
        "wangqiang",
        {"kind": "complex", "reason": "多个法律关系", "on": d(3, 5)},
        lambda f: f.refresh().is_complex,
        {"kind": "complex", "reason": "多个法律关系", "on": future()},
        "标记日期不能晚于今天",
        intruder="zhangming",
    ),
    Form(
        "unflag",
        manual_flag,
        "wangqiang",
        {"reason": "误标", "on": d(3, 6)},
        lambda f: not f.refresh().is_complex,
        {"reason": "", "on": d(3, 6)},
        "请填写撤销理由",
        intruder="zhangming",
        obj=lambda f: CaseFlag.objects.get(case=f.case),
    ),
    # investigation
    Form(
        "record_interview",
        filed,
        "zhangming",
        lambda f: {
            "started_at": "2026-03-10T09:00",
            "ended_at": "2026-03-10T10:00",
            "place": "询问室",
            "officers": [f.p.zhangming.pk, f.p.lihua.pk],
            "person_name": "钱某",
            "ids_shown": "on",
            "recusal_asked": "on",
            "truth_duty_told": "on",
            "content": "问：……答：……",
            "pages": "2",
            "person_signed": "on",
            "officers_signed": "on",
        },
        lambda f: InvestigationRecord.objects.filter(case=f.case, kind="interview").exists(),
        lambda f: {
            "started_at": "2026-03-10T09:00",
            "ended_at": "2026-03-10T10:00",
            "place": "询问室",
            "officers": [f.p.zhangming.pk, f.p.lihua.pk],
            "person_name": "钱某",
            "recusal_asked": "on",
            "truth_duty_told": "on",
            "content": "问答",
            "pages": "1",
        },
        "执法人员应当主动出示执法证件",
    ),
    Form(
        "record_inspection",
        filed,
        "lihua",
        lambda f: {
            "started_at": "2026-03-11T14:00",
            "ended_at": "2026-03-11T15:30",
            "place": "车间",
            "officers": [f.p.zhangming.pk, f.p.lihua.pk],
            "person_name": "钱某",
            "ids_shown": "on",
            "recusal_asked": "on",
            "content": "检查考勤",
            "pages": "1",
            "person_signed": "on",
            "officers_signed": "on",
        },
        lambda f: InvestigationRecord.objects.filter(case=f.case, kind="inspection").exists(),
        lambda f: {
            "started_at": "2026-03-11T14:00",
            "ended_at": "2026-03-11T15:30",
            "place": "车间",
            "officers": [f.p.lihua.pk],
            "person_name": "钱某",
            "ids_shown": "on",
            "recusal_asked": "on",
            "content": "检查",
            "pages": "1",
        },
        "两名以上持有有效执法证件",
    ),
    Form(
        "sign_record",
        unsigned_record,
        "zhangming",
        {"person_signed": "on", "officers_signed": "on"},
        lambda f: InvestigationRecord.objects.get(case=f.case).signatures_complete,
        {"person_signed": "on", "refusal_note": "拒" * 201},
        "拒绝签名情况不能超过200个字",
        obj=lambda f: InvestigationRecord.objects.get(case=f.case),
    ),
    Form(
        "request_preservation",
        filed,
        "zhangming",
        {
            "item_1_name": "工资表",
            "item_1_quantity": "1册",
            "place_kept": "证据保管室",
            "reason": "可能被销毁",
            "requested_on": d(3, 5),
        },
        lambda f: Preservation.objects.filter(case=f.case).exists(),
        {"place_kept": "证据保管室", "reason": "可能被销毁", "requested_on": d(3, 5)},
        "请填写登记保存的物品清单",
    ),
    Form(
        "approve_preservation",
        preservation_requested,
        "liujuzhang",
        {"approved": "1", "approved_on": d(3, 6)},
        lambda f: Preservation.objects.get(case=f.case).status == PreservationStatus.APPROVED,
        {"approved": "0", "approved_on": d(3, 6)},
        "请填写审批意见",
        intruder="wangqiang",
        obj=lambda f: Preservation.objects.get(case=f.case),
    ),
    Form(
        "decide_preservation",
        preservation_approved,
        "zhangming",
        {"disposal": "released", "note": "核对后解除", "decided_on": d(3, 9)},
        lambda f: Preservation.objects.get(case=f.case).status == PreservationStatus.DECIDED,
        {"disposal": "released", "note": "核对后解除", "decided_on": d(3, 1)},
        "处理决定日期不能早于登记保存日期",
        obj=lambda f: Preservation.objects.get(case=f.case),
    ),
    Form(
        "issue_order",
        filed,
        "zhangming",
        {
            "content": "立即停止违法延长工作时间",
            "legal_basis": "劳动保障监察条例第二十五条",
            "issued_on": d(3, 10),
            "due_on": d(3, 20),
        },
        lambda f: CorrectionOrder.objects.filter(case=f.case).exists(),
        {"content": "改正", "legal_basis": "条例", "issued_on": d(3, 10), "due_on": d(3, 10)},
        "改正期限应晚于下达日期",
    ),
    Form(
        "check_order",
        order_unchecked,
        "zhangming",
        {"result": "complied", "note": "已调整排班", "checked_on": d(3, 20)},
        lambda f: CorrectionOrder.objects.get(case=f.case).result == CorrectionResult.COMPLIED,
        {"result": "complied", "note": "已调整排班", "checked_on": d(3, 1)},
        "复查日期不能早于下达日期",
        obj=lambda f: CorrectionOrder.objects.get(case=f.case),
    ),
    Form(
        "extend_investigation",
        filed,
        "liujuzhang",
        {"reason": "涉及劳动者多、账目复杂", "approved_on": d(3, 20)},
        lambda f: Deadline.objects.get(
            case=f.case, kind=DeadlineKind.INVESTIGATION
        ).extensions.exists(),
        {"reason": "", "approved_on": d(3, 20)},
        "请填写延长理由",
        intruder="wangqiang",
    ),
    Form(
        "propose",
        before_proposal,
        "zhangming",
        lambda f: {
            "kind": "penalty",
            "item_version": f.items.overtime.pk,
            "tier_level": "general",
            "penalty_types": ["warning", "fine"],
            "fine_amount": "900",
            "affected_workers": "3",
            "facts_found": "经查，安排3名劳动者超时加班",
            "on": d(3, 24),
        },
        lambda f: Proposal.objects.filter(case=f.case).exists(),
        lambda f: {
            "kind": "penalty",
            "item_version": f.items.overtime.pk,
            "penalty_types": ["fine"],
            "fine_amount": "九百",
            "facts_found": "经查",
            "on": d(3, 24),
        },
        "罚款金额应为数字",
    ),
    # the transition table
    Form(
        "file",
        lead_team,
        "wangqiang",
        {"filed_on": d(3, 3)},
        lambda f: f.refresh().state == State.INVESTIGATING and bool(f.case.case_no),
        {"filed_on": d(2, 1)},
        "日期不能早于收到（发现）日期",
        intruder="zhangming",
    ),
    Form(
        "request_supplement",
        lead,
        "zhangming",
        {"items": "工资条", "notified_on": d(3, 3)},
        lambda f: f.refresh().state == State.SUPPLEMENT,
        {"items": "", "notified_on": d(3, 3)},
        "请填写需补正的材料",
        intruder="liujuzhang",
    ),
    Form(
        "supplement_received",
        supplement,
        "zhangming",
        {"received_on": d(3, 5)},
        lambda f: f.refresh().state == State.LEAD,
        {"received_on": "2026-13-01"},
        "请按“年-月-日”填写日期",
        intruder="liujuzhang",
    ),
    Form(
        "decline",
        lead,
        "wangqiang",
        {
            "disposition": "labour_dispute",
            "reason": "属于劳动争议，告知申请仲裁",
            "decided_on": d(3, 4),
            "notified_on": d(3, 4),
        },
        lambda f: f.refresh().state == State.NOT_FILED,
        {
            "disposition": "other_jurisdiction",
            "reason": "不属本局管辖",
            "decided_on": d(3, 4),
            "notified_on": d(3, 4),
        },
        "请写明有管辖权的机关",
        intruder="zhangming",
    ),
    Form(
        "conclude",
        investigated,
        "zhangming",
        {"concluded_on": d(3, 25)},
        lambda f: f.refresh().state == State.CONCLUDED,
        {"concluded_on": future()},
        "调查终结日期不能晚于今天",
    ),
    Form(
        "reopen",
        concluded,
        "wangqiang",
        {"reason": "需补充工资表", "on": d(3, 26)},
        lambda f: f.refresh().state == State.INVESTIGATING,
        {"reason": "", "on": d(3, 26)},
        "请填写补充调查的理由",
        intruder="zhangming",
    ),
    Form(
        "notify",
        concluded,
        "zhangming",
        {"served_on": d(3, 26), **DIRECT},
        lambda f: f.refresh().state == State.NOTIFIED,
        {"served_on": d(3, 26), "method": "post"},
        "邮寄送达请填写邮件号码",
        intruder="wangqiang",
    ),
    Form(
        "request_hearing",
        hearing_notified,
        "zhangming",
        {"requested_on": d(3, 30)},
        lambda f: f.refresh().state == State.HEARING,
        {"requested_on": d(4, 3)},
        "五日内提出",
    ),
    Form(
        "schedule_hearing",
        hearing_requested,
        "wangqiang",
        lambda f: {
            "scheduled_at": "2026-04-20T09:00",
            "place": "听证室",
            "presider": f.p.zhaomin.pk,
            "notice_served_on": d(4, 8),
            "public": "on",
        },
        lambda f: f.case.hearings.get().scheduled_at is not None,
        lambda f: {
            "scheduled_at": "2026-04-10T09:00",
            "place": "听证室",
            "presider": f.p.zhaomin.pk,
            "notice_served_on": d(4, 8),
            "public": "on",
        },
        "听证最早可安排在",
        intruder="zhangming",
    ),
    Form(
        "record_hearing",
        hearing_scheduled,
        "zhaomin",
        {
            "party_attended": "on",
            "agent_1": "王代理",
            "record_summary": "调查人员陈述……",
            "report": "建议维持",
            "party_signed": "on",
        },
        lambda f: f.case.hearings.get().outcome == "held",
        {"record_summary": "调查人员陈述……", "report": "建议维持"},
        "视为放弃听证",
    ),
    Form(
        "forgo_hearing",
        hearing_requested,
        "zhangming",
        {"outcome": "waived", "note": "当事人书面放弃听证", "on": d(4, 1)},
        lambda f: f.case.hearings.get().outcome == "waived",
        {"outcome": "", "note": "x", "on": d(4, 1)},
        "请选择情形",
    ),
    Form(
        "end_hearing",
        hearing_held,
        "zhangming",
        {"ended_on": d(4, 20)},
        lambda f: f.refresh().state == State.PENDING_DECISION,
        {"ended_on": future()},
        "听证结束日期不能晚于今天",
    ),
    Form(
        "record_defence",
        notified,
        "zhangming",
        {"form": "written", "content": "已改正，请求从轻", "received_on": d(3, 27)},
        lambda f: Defence.objects.filter(case=f.case).exists(),
        {"form": "written", "content": "申辩", "received_on": d(3, 20)},
        "提出日期不能早于告知书送达日期",
    ),
    Form(
        "recheck_defence",
        with_defence,
        "zhangming",
        {"result": "not_adopted", "reason": "理由不成立", "on": d(3, 30)},
        lambda f: Defence.objects.get(case=f.case).recheck_result == "not_adopted",
        {"result": "not_adopted", "reason": "", "on": d(3, 30)},
        "请填写复核意见",
        obj=lambda f: Defence.objects.get(case=f.case),
    ),
    Form(
        "waive",
        notified,
        "zhangming",
        {"defence": "on", "on": d(3, 27), "note": "书面放弃"},
        lambda f: f.case.notices.get().defence_waived_on is not None,
        {"on": d(3, 27), "note": "书面放弃"},
        "请选择当事人放弃的权利",
    ),
    Form(
        "submit",
        notified,
        "zhangming",
        {"on": d(4, 3)},
        lambda f: f.refresh().state == State.PENDING_DECISION,
        {"on": d(3, 27)},
        "陈述申辩期限至2026年3月31日",
    ),
    Form(
        "discuss",
        pending,
        "liujuzhang",
        lambda f: {
            "held_on": d(4, 6),
            "chair": f.p.liujuzhang.pk,
            "attendee_1": f.p.liujuzhang.pk,
            "opinion_1": "同意",
            "attendee_2": f.p.wangqiang.pk,
            "opinion_2": "同意",
            "conclusion_kind": "agree",
            "conclusion": "同意拟处理意见",
        },
        lambda f: CollectiveDiscussion.objects.filter(case=f.case).exists(),
        lambda f: {
            "held_on": d(4, 6),
            "chair": f.p.liujuzhang.pk,
            "attendee_1": f.p.liujuzhang.pk,
            "opinion_1": "同意",
            "conclusion_kind": "agree",
            "conclusion": "同意",
        },
        "两名以上负责人参加",
        intruder="wangqiang",
    ),
    Form(
        "extend_decision",
        pending,
        "liujuzhang",
        {"days": "30", "reason": "案情复杂", "approved_on": d(4, 6)},
        lambda f: Deadline.objects.get(case=f.case, kind=DeadlineKind.DECISION).extensions.exists(),
        {"days": "40", "reason": "案情复杂", "approved_on": d(4, 6)},
        "超过30日须经集体讨论决定",
        intruder="wangqiang",
    ),
    Form(
        "pause_decision",
        pending,
        "liujuzhang",
        {"period": "appraisal", "note": "委托鉴定工资数额", "on": d(4, 6)},
        lambda f: Deadline.objects.get(
            case=f.case, kind=DeadlineKind.DECISION
        ).suspensions.exists(),
        {"period": "", "note": "委托鉴定", "on": d(4, 6)},
        "请选择不计入期限的事项",
        intruder="wangqiang",
    ),
    Form(
        "resume_decision",
        paused,
        "liujuzhang",
        {"last_excluded": d(4, 10)},
        lambda f: Deadline.objects.get(case=f.case, kind=DeadlineKind.DECISION).due is not None,
        {"last_excluded": d(4, 1)},
        "不能早于中止日期",
        intruder="wangqiang",
    ),
    Form(
        "decide",
        pending,
        "liujuzhang",
        {"decided_on": d(4, 7)},
        lambda f: Decision.objects.get(case=f.case).number == "陵人社监罚字〔2026〕第1号",
        {"decided_on": future()},
        "决定日期不能晚于今天",
        intruder="wangqiang",
    ),
    Form(
        "consent",
        decided,
        "zhangming",
        lambda f: {
            "party": f.case.parties.get().pk,
            "signed_on": d(4, 7),
            "address": "hr@example.cn",
        },
        lambda f: ServiceConsent.objects.filter(case=f.case).exists(),
        lambda f: {"party": f.case.parties.get().pk, "signed_on": d(4, 7), "address": ""},
        "请填写电子送达地址",
    ),
    Form(
        "change_decision",
        closed,  # 复议 or a court may revoke a decision after the case was closed
        "zhaomin",
        {
            "kind": "revoked",
            "authority": "review",
            "authority_name": "陵川县人民政府",
            "document": "行政复议决定书 陵政复决字〔2026〕3号",
            "happened_on": d(5, 6),
            "reason": "认定事实不清",
        },
        lambda f: DecisionChange.objects.filter(decision__case=f.case, kind="revoked").exists(),
        {
            "kind": "revoked",
            "authority": "review",
            "authority_name": "陵川县人民政府",
            "document": "复议决定",
            "happened_on": d(4, 1),
            "reason": "认定事实不清",
        },
        "作出日期不能早于原执法决定的日期",
        intruder="zhangming",
    ),
    Form(
        "serve",
        decided,
        "zhangming",
        {"served_on": d(4, 8), **DIRECT},
        lambda f: f.refresh().state == State.SERVED,
        {"served_on": d(4, 8), "method": "left"},
        "留置送达请在送达回证上记明拒收事由",
    ),
    Form(
        "pay",
        served,
        "zhangming",
        {
            "kind": "fine",
            "amount": "900",
            "paid_on": d(4, 20),
            "receipt_no": "R0420",
            "channel": "bank",
        },
        lambda f: Payment.objects.filter(case=f.case).exists(),
        {
            "kind": "fine",
            "amount": "1000",
            "paid_on": d(4, 20),
            "receipt_no": "R0420",
            "channel": "bank",
        },
        "缴款金额超过未缴罚款",
    ),
    Form(
        "apply_plan",
        served,
        "zhangming",
        {
            "kind": "instalments",
            "reason": "经营困难",
            "applied_on": d(4, 10),
            "due_1": d(5, 10),
            "amount_1": "450",
            "due_2": d(6, 10),
            "amount_2": "450",
        },
        lambda f: PaymentPlan.objects.filter(case=f.case).exists(),
        {
            "kind": "instalments",
            "reason": "经营困难",
            "applied_on": d(4, 10),
            "due_1": d(5, 10),
            "amount_1": "400",
            "due_2": d(6, 10),
            "amount_2": "400",
        },
        "应等于未缴罚款",
    ),
    Form(
        "decide_plan",
        plan_applied,
        "liujuzhang",
        {"approved": "1", "decided_on": d(4, 12)},
        lambda f: PaymentPlan.objects.get(case=f.case).status == PlanStatus.APPROVED,
        {"approved": "0", "decided_on": d(4, 12)},
        "请填写审批意见",
        intruder="wangqiang",
        obj=lambda f: PaymentPlan.objects.get(case=f.case),
    ),
    Form(
        "remind",
        served,
        "zhangming",
        {"issued_on": d(4, 24), "served_on": d(4, 24), "content": "请于十日内缴纳罚款", **DIRECT},
        lambda f: f.refresh().state == State.ENFORCEMENT,
        {"issued_on": d(4, 20), "served_on": d(4, 20), "content": "请缴纳", **DIRECT},
        "尚未逾期",
    ),
    Form(
        "apply_court",
        enforcement,
        "zhangming",
        {"court": "陵川县人民法院", "applied_on": d(10, 20)},
        lambda f: CourtApplication.objects.filter(case=f.case).exists(),
        {"court": "陵川县人民法院", "applied_on": d(5, 1)},
        "尚未届满",
    ),
    Form(
        "update_court",
        court_applied,
        "zhangming",
        {"status": "accepted", "status_on": d(10, 25)},
        lambda f: CourtApplication.objects.get(case=f.case).status == "accepted",
        {"status": "accepted", "status_on": d(10, 1)},
        "进展日期不能早于申请日期",
        obj=lambda f: CourtApplication.objects.get(case=f.case),
    ),
    Form(
        "close",
        paid,
        "wangqiang",
        {"closing_reason": "performed", "evidence": "罚款900元已缴清", "closed_on": d(4, 21)},
        lambda f: f.refresh().state == State.CLOSED,
        {"closing_reason": "performed", "evidence": "", "closed_on": d(4, 21)},
        "请填写执行情况及证据",
        intruder="zhangming",
    ),
    Form(
        "transfer",
        filed,
        "wangqiang",
        {
            "transfer_to": "陵川县公安局",
            "reason": "涉嫌拒不支付劳动报酬罪",
            "transferred_on": d(3, 10),
        },
        lambda f: f.refresh().state == State.CLOSED,
        {"transfer_to": "", "reason": "涉嫌犯罪", "transferred_on": d(3, 10)},
        "请填写接收移送的机关",
        intruder="zhangming",
    ),
    Form(
        "decide_on_spot",
        lead,
        "zhangming",
        lambda f: {
            "penalty_types": ["warning"],
            "second_officer": f.p.lihua.pk,
            "facts": "未按规定安排休息",
            "legal_basis": "劳动保障监察条例第二十五条",
            "place": "用人单位车间",
            "party_signed": "on",
            "decided_on": d(3, 2),
        },
        lambda f: f.refresh().state == State.SERVED and f.case.procedure == "simplified",
        lambda f: {
            "penalty_types": ["fine"],
            "fine_amount": "5000",
            "second_officer": f.p.lihua.pk,
            "facts": "事实",
            "legal_basis": "依据",
            "place": "现场",
            "party_signed": "on",
            "decided_on": d(3, 2),
        },
        "当场处罚对",
        intruder="wangqiang",
    ),
]


def _value(x, f):
    return x(f) if callable(x) else dict(x)


def _url(form: Form, f) -> str:
    if form.obj is None:
        return reverse("cases:case_action", args=[f.case.pk, form.op])
    return reverse("cases:case_object_action", args=[f.case.pk, form.op, form.obj(f).pk])


def case_data(case: Case):
    """Every row of every case table, and the case itself (what a refusal must leave alone)."""
    counts = tuple(m.objects.count() for m in apps.get_app_config("cases").get_models())
    return counts, Case.objects.filter(pk=case.pk).values().get()


def test_every_operation_of_the_registry_has_a_form_test():
    from sanxiang.cases.views.ops import OPS

    assert {f.op for f in FORMS} == set(OPS)


@pytest.mark.parametrize("form", FORMS, ids=[f.op for f in FORMS])
def test_form(client, flow, form):
    f = form.setup(flow())
    url = _url(form, f)
    good = _value(form.good, f)

    # A persona who may not do this is refused; nothing about the case changes.
    before = case_data(f.case)
    client.force_login(getattr(f.p, form.intruder))
    assert client.get(url).status_code == 403
    assert client.post(url, good).status_code == 403
    assert case_data(f.case) == before

    # Bad input: Chinese message on the page, nothing written (not even a ledger event).
    actor = getattr(f.p, form.actor)
    client.force_login(actor)
    page = client.get(url)
    assert page.status_code == 200 and "<form" in page.content.decode()
    events = Event.objects.count()
    response = client.post(url, _value(form.bad, f))
    text = response.content.decode()
    assert response.status_code == 200, response.status_code
    assert form.error in text, text[text.find("<main") : text.find("</main>")][:3000]
    assert case_data(f.case) == before
    assert Event.objects.count() == events

    # Good input is written by the service and leads back to the case page.
    response = client.post(url, good)
    if response.status_code != 302:
        text = response.content.decode()
        pytest.fail(text[text.find("<main") : text.find("</main>")][:3000])
    assert response["Location"].startswith(reverse("cases:case_detail", args=[f.case.pk]))
    assert form.written(f)
    assert Event.objects.count() > events
