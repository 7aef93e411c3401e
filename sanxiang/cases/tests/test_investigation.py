"""Investigation: records, 先行登记保存 (7 working days), the investigation clock 60 + 30."""

from __future__ import annotations

import datetime as dt

import pytest

from sanxiang.cases import services
from sanxiang.cases.choices import DeadlineKind, PreservationDisposal, RecordKind, State
from sanxiang.cases.models import Deadline, InvestigationRecord
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted

from .conftest import CONCLUDED, RECORDED, at, ledger_size

ITEMS = [{"name": "2026年1-2月考勤记录", "spec": "纸质", "quantity": "2册"}]


def clock(case, kind, ref=""):
    return Deadline.objects.filter(case=case, kind=kind, ref=ref).order_by("-pk").first()


def interview(f, **kw):
    data = dict(
        actor=f.p.zhangming,
        case=f.case,
        kind=RecordKind.INTERVIEW,
        started_at=at(RECORDED, 14),
        ended_at=at(RECORDED, 15),
        place="询问室",
        officers=[f.p.zhangming, f.p.lihua],
        person={"name": "孙某", "id_number": "11010519491231002X"},
        ids_shown=True,
        recusal_asked=True,
        truth_duty_told=True,
        content="问：答：",
    )
    data.update(kw)
    return services.investigation_record_add(**data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ids_shown": False}, "出示执法证件"),
        ({"recusal_asked": False}, "申请回避的权利"),
        ({"truth_duty_told": False}, "如实陈述"),
        ({"ended_at": at(RECORDED, 13)}, "结束时间不能早于开始时间"),
        ({"started_at": at(dt.date(2026, 3, 1), 9)}, "不能早于立案日期"),
        ({"person": {"name": "孙某", "id_number": "123"}}, "身份证"),
        ({"content": " "}, "请填写询问内容"),
        (
            {"started_at": dt.datetime(2026, 3, 10, 9), "ended_at": dt.datetime(2026, 3, 10, 10)},
            "时区",
        ),
    ],
)
def test_bad_records_are_refused_in_chinese_and_write_nothing(flow, change, message):
    f = flow().filed()
    before = ledger_size()
    with pytest.raises(DomainError) as exc:
        interview(f, **change)
    assert message in exc.value.message
    assert ledger_size() == before and not InvestigationRecord.objects.exists()


def test_only_the_case_team_makes_records(flow):
    f = flow().filed()
    with pytest.raises(NotPermitted, match="本案办案人员"):
        interview(f, actor=f.p.zhaoliu)


def test_unsigned_record_blocks_the_conclusion_until_signed_or_refusal_noted(flow):
    f = flow().filed().recorded(signed=False).ordered().proposed()
    with pytest.raises(Blocked, match="签名不全"):
        services.case_transition(
            case=f.case, action="conclude", actor=f.p.zhangming, concluded_on=CONCLUDED
        )
    rec = f.case.investigation_records.get()
    services.investigation_record_sign(
        actor=f.p.zhangming,
        record=rec,
        person_signed=False,
        officers_signed=True,
        refusal_note="被询问人拒绝签名，见证人赵某在场",
    )
    services.case_transition(
        case=f.case, action="conclude", actor=f.p.zhangming, concluded_on=CONCLUDED
    )
    assert f.refresh().state == State.CONCLUDED


def test_conclusion_needs_at_least_one_record(flow):
    f = flow().filed().ordered().proposed()
    with pytest.raises(Blocked, match="尚无询问笔录"):
        services.case_transition(
            case=f.case, action="conclude", actor=f.p.zhangming, concluded_on=CONCLUDED
        )


def test_preservation_needs_the_agency_heads_approval_and_opens_a_7_working_day_clock(flow):
    f = flow().filed()
    day = dt.date(2026, 9, 18)
    pres = services.preservation_request(
        actor=f.p.zhangming,
        case=f.case,
        items=ITEMS,
        place_kept="局证据保管室",
        reason="单位可能销毁考勤记录",
        requested_on=day,
    )
    # 行政处罚法第五十六条: 经行政机关负责人批准 — neither the officer nor the unit head.
    for who in (f.p.zhangming, f.p.wangqiang):
        with pytest.raises(NotPermitted):
            services.preservation_approve(
                actor=who, preservation=pres, approved=True, approved_on=day
            )
    services.preservation_approve(
        actor=f.p.liujuzhang, preservation=pres, approved=True, approved_on=day
    )
    # 七日 = working days (第八十五条): Fri 18 Sep → Sun 20 Sep is a make-up day, 25 Sep holiday → 29 Sep.
    assert clock(f.case, DeadlineKind.PRESERVATION, f"preservation:{pres.pk}").due == dt.date(
        2026, 9, 29
    )
    f.recorded().ordered().proposed()
    with pytest.raises(Blocked, match="先行登记保存尚未"):
        services.case_transition(
            case=f.case, action="conclude", actor=f.p.zhangming, concluded_on=dt.date(2026, 9, 28)
        )
    services.preservation_decide(
        actor=f.p.zhangming,
        preservation=pres,
        disposal=PreservationDisposal.COPIED,
        note="复制后退还",
        decided_on=dt.date(2026, 9, 25),
    )
    c = clock(f.case, DeadlineKind.PRESERVATION, f"preservation:{pres.pk}")
    assert c.status == "met" and c.closed_on == dt.date(2026, 9, 25)
    services.case_transition(
        case=f.case, action="conclude", actor=f.p.zhangming, concluded_on=dt.date(2026, 9, 28)
    )


def test_preservation_cannot_be_approved_by_its_requester_and_refusal_needs_a_reason(flow, p):
    f = flow().filed()
    pres = services.preservation_request(
        actor=p.zhangming, case=f.case, items=ITEMS, place_kept="保管室", reason="可能灭失"
    )
    with pytest.raises(DomainError, match="审批意见"):
        services.preservation_approve(actor=p.liujuzhang, preservation=pres, approved=False)
    services.preservation_approve(
        actor=p.liujuzhang, preservation=pres, approved=False, note="证据无灭失风险"
    )
    assert not Deadline.objects.filter(kind=DeadlineKind.PRESERVATION).exists()


def test_investigation_clock_can_be_extended_once_by_30_working_days_with_approval(flow):
    f = flow().filed()
    inv = clock(f.case, DeadlineKind.INVESTIGATION)
    original = inv.due
    with pytest.raises(NotPermitted):
        services.investigation_extend(actor=f.p.wangqiang, case=f.case, reason="情况复杂")
    with pytest.raises(DomainError, match="延长理由"):
        services.investigation_extend(
            actor=f.p.liujuzhang, case=f.case, reason="", approved_on=dt.date(2026, 5, 20)
        )
    services.investigation_extend(
        actor=f.p.liujuzhang,
        case=f.case,
        reason="涉及劳动者120人，需逐一核对工资",
        approved_on=dt.date(2026, 5, 20),
    )
    inv.refresh_from_db()
    from sanxiang.workcalendar.selectors import add_workdays

    assert inv.due == add_workdays(f.case.filed_on, 90) and inv.due > original
    with pytest.raises(DomainError, match="只能延长一次"):
        services.investigation_extend(
            actor=f.p.liujuzhang, case=f.case, reason="再延长", approved_on=dt.date(2026, 5, 21)
        )


def test_investigation_clock_cannot_be_extended_after_it_expired(flow):
    f = flow().filed()
    due = clock(f.case, DeadlineKind.INVESTIGATION).due
    with pytest.raises(DomainError, match="已于"):
        services.investigation_extend(
            actor=f.p.liujuzhang,
            case=f.case,
            reason="情况复杂",
            approved_on=due + dt.timedelta(days=1),
        )


def test_supplementary_investigation_reopens_the_clock_only_while_time_remains(flow):
    f = flow().concluded()
    due = clock(f.case, DeadlineKind.INVESTIGATION).due
    with pytest.raises(Blocked, match="调查期限已于"):
        services.case_transition(
            case=f.case,
            action="reopen",
            actor=f.p.wangqiang,
            reason="补充询问",
            on=due + dt.timedelta(days=1),
        )
    services.case_transition(
        case=f.case, action="reopen", actor=f.p.wangqiang, reason="补充询问", on=due
    )
    assert clock(f.case, DeadlineKind.INVESTIGATION).status == "open"


def test_order_to_correct_opens_a_clock_until_the_follow_up_check(flow):
    f = flow().filed().ordered(check=False)
    order = f.case.correction_orders.get()
    assert order.number == "陵人社监令字〔2026〕第1号"
    c = clock(f.case, DeadlineKind.CORRECTION, f"order:{order.pk}")
    assert c.due == order.due_on and c.status == "open"
    with pytest.raises(DomainError, match="改正期限应晚于"):
        services.correction_order_issue(
            actor=f.p.zhangming,
            case=f.case,
            content="x",
            legal_basis="y",
            due_on=dt.date(2026, 3, 10),
            issued_on=dt.date(2026, 3, 10),
        )
    services.correction_order_check(
        actor=f.p.zhangming,
        order=order,
        result="complied",
        note="已改正",
        checked_on=dt.date(2026, 3, 18),
    )
    c.refresh_from_db()
    assert c.status == "met"
