"""Bad input to the services is refused with a Chinese message naming the field, and nothing
is written."""

from __future__ import annotations

import datetime as dt

import pytest

from sanxiang.cases import services
from sanxiang.cases.models import Deadline, Proposal
from sanxiang.lib.errors import DomainError

from .conftest import FILED, ledger_size


def snapshot(case):
    case.refresh_from_db()
    return (
        ledger_size(),
        case.state,
        Deadline.objects.filter(case=case).count(),
        Proposal.objects.count(),
    )


@pytest.mark.parametrize(
    ("action", "params", "field", "message"),
    [
        ("file", {"filed_on": dt.date(2099, 1, 1)}, "filed_on", "不能晚于今天"),
        ("file", {"filed_on": "2026-03-03"}, "filed_on", "请填写立案日期"),
        (
            "decline",
            {"disposition": "maybe", "reason": "x", "decided_on": FILED, "notified_on": FILED},
            None,
            "请选择处理方式",
        ),
        (
            "decline",
            {
                "disposition": "not_accepted",
                "reason": "",
                "decided_on": FILED,
                "notified_on": FILED,
            },
            None,
            "请填写理由",
        ),
        (
            "decide_on_spot",
            {"penalty_types": ["fine"], "fine_amount": "两百"},
            "fine_amount",
            "应为数字",
        ),
        ("decide_on_spot", {"penalty_types": ["flogging"]}, "penalty_types", "请选择处罚种类"),
        ("nonsense", {}, "action", "未知的操作"),
    ],
)
def test_bad_transition_input(flow, action, params, field, message):
    f = flow().registered().assigned()
    before = snapshot(f.case)
    actor = f.p.wangqiang if action in ("file", "decline") else f.p.zhangming
    with pytest.raises(DomainError) as exc:
        services.case_transition(case=f.case, action=action, actor=actor, **params)
    assert message in exc.value.message
    if field:
        assert exc.value.field == field
    assert snapshot(f.case) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "banishment"}, "请选择处理意见"),
        ({"fine_amount": "1,2,3x"}, "应为数字"),
        ({"fine_amount": "0.001"}, "两位小数"),
        ({"penalty_types": ["warning"], "fine_amount": "900"}, "处罚种类中没有“罚款”"),
        ({"penalty_types": ["fine"], "fine_amount": None}, "请填写罚款金额"),
        ({"kind": "handling", "penalty_types": ["fine"]}, "只有行政处罚"),
        ({"facts_found": "  "}, "请填写认定的事实"),
        ({"affected_workers": 0}, "受侵害劳动者人数"),
        ({"no_penalty_ground": "first_offence"}, "只有不予行政处罚"),
    ],
)
def test_bad_proposals(flow, change, message):
    f = flow().filed()
    before = snapshot(f.case)
    with pytest.raises(DomainError) as exc:
        f.proposed(**change)
    assert message in exc.value.message
    assert snapshot(f.case) == before


def test_bad_service_receipt_on_notice_writes_no_notice(flow):
    f = flow().concluded()
    before = snapshot(f.case)
    with pytest.raises(DomainError, match="请选择送达方式"):
        services.case_transition(
            case=f.case, action="notify", actor=f.p.zhangming, served_on=dt.date(2026, 3, 26)
        )
    assert snapshot(f.case) == before and not f.case.notices.exists()


def test_bad_payment_plan_and_payment(flow):
    f = flow().served()
    before = snapshot(f.case)
    for kwargs, message in [
        ({"kind": "deferral", "schedule": []}, "请填写缴纳安排"),
        ({"kind": "deferral", "schedule": [{"due": "2026-13-01", "amount": "900"}]}, "格式不正确"),
        (
            {"kind": "instalments", "schedule": [{"due": "2026-06-01", "amount": "900"}]},
            "至少分两期",
        ),
        ({"kind": "whenever", "schedule": []}, "请选择方式"),
    ]:
        with pytest.raises(DomainError, match=message):
            services.payment_plan_apply(actor=f.p.zhangming, case=f.case, reason="困难", **kwargs)
    with pytest.raises(DomainError, match="缴款金额应大于0"):
        services.payment_record(
            actor=f.p.zhangming,
            case=f.case,
            amount="0",
            paid_on=dt.date(2026, 4, 9),
            receipt_no="X",
        )
    with pytest.raises(DomainError, match="不能早于决定日期"):
        services.payment_record(
            actor=f.p.zhangming,
            case=f.case,
            amount="10",
            paid_on=dt.date(2026, 4, 1),
            receipt_no="X",
        )
    assert snapshot(f.case) == before
