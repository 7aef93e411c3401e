"""A decision revoked, confirmed illegal or void, to be remade, or changed (行政复议、诉讼、自行
纠正) is recorded on its case — also after closing — and a decision that no longer binds is no
longer enforced (行政强制法 第四十条第四项). Real database; the services write nothing when they
refuse."""

from __future__ import annotations

import datetime as dt

import pytest

from sanxiang.cases import selectors, services
from sanxiang.cases.choices import ClosingReason, State
from sanxiang.cases.models import DecisionChange
from sanxiang.ledger.models import Event
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted

pytestmark = pytest.mark.django_db

REVIEW = dict(
    authority="review",
    authority_name="陵川县人民政府",
    document="行政复议决定书 陵政复决字〔2026〕3号",
    reason="认定事实不清，证据不足",
)


def change(f, actor=None, *, kind="revoked", on=dt.date(2026, 4, 20), **kw):
    return services.decision_change_record(
        actor=actor or f.p.zhaomin,
        case=f.case,
        kind=kind,
        happened_on=on,
        **(REVIEW | kw),
    )


def test_a_revocation_stops_enforcement_and_lets_the_case_close_on_it(flow):
    f = flow().served()
    recorded = change(f)
    event = Event.objects.get(type="case.decision_changed")
    assert recorded.ledger_seq == event.seq and str(recorded.pk) in event.payload
    reason = selectors.decision_voided_reason(f.case.decision)
    assert reason == (
        "执法决定已于2026年4月20日被依法撤销"
        "（陵川县人民政府：行政复议决定书 陵政复决字〔2026〕3号），不再执行"
    )

    # Nothing of it is enforced: no payment, no deferral, no reminder.
    with pytest.raises(Blocked, match="不能登记缴款"):
        f.paid()
    with pytest.raises(Blocked, match="不能登记暂缓或分期缴纳申请"):
        services.payment_plan_apply(
            actor=f.p.zhangming,
            case=f.case,
            kind="deferral",
            reason="经营困难",
            schedule=[{"due": "2026-06-30", "amount": "900"}],
            applied_on=dt.date(2026, 4, 21),
        )
    with pytest.raises(Blocked, match="被依法撤销"):
        services.case_transition(
            case=f.case,
            action="remind",
            actor=f.p.zhangming,
            issued_on=dt.date(2026, 4, 24),
            served_on=dt.date(2026, 4, 24),
            content="请于十日内缴纳",
            service={"method": "direct", "receiver_name": "钱某", "receiver_relation": "legal_rep"},
        )
    # Closing needs no payment now: the case ends on the revocation.
    services.case_transition(
        case=f.case,
        action="close",
        actor=f.p.wangqiang,
        closed_on=dt.date(2026, 4, 21),
        closing_reason=ClosingReason.DECISION_VOIDED,
        evidence="原处罚决定已被行政复议决定撤销（陵政复决字〔2026〕3号）",
    )
    assert f.refresh().state == State.CLOSED


def test_a_change_can_be_recorded_after_closing_and_confirmed_illegal_stays_in_force(flow):
    f = flow().closed()
    kept = change(f, kind="confirmed_illegal", authority="court", authority_name="陵川县人民法院")
    assert f.refresh().state == State.CLOSED  # recorded, the case stays closed and read-only
    assert selectors.decision_voided_reason(f.case.decision) == ""  # 行政诉讼法 第七十四条
    assert kept.voids_decision is False
    voided = change(f, kind="void", on=dt.date(2026, 5, 6))
    assert voided.voids_decision and selectors.decision_voided_reason(f.case.decision)
    # Revoking what no longer binds is refused, with why.
    before = (Event.objects.count(), DecisionChange.objects.count())
    with pytest.raises(Blocked, match="不需再次登记"):
        change(f, on=dt.date(2026, 5, 7))
    assert (Event.objects.count(), DecisionChange.objects.count()) == before


def test_only_the_legal_unit_and_the_heads_record_it_and_bad_input_writes_nothing(flow):
    f = flow().decided()
    before = (Event.objects.count(), DecisionChange.objects.count())
    for intruder in (f.p.zhangming, f.p.zhougongshi):
        with pytest.raises(NotPermitted):
            change(f, intruder)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    for kw, message, field in [
        ({"on": tomorrow}, "不能晚于今天", "happened_on"),
        ({"on": dt.date(2026, 4, 1)}, "不能早于原执法决定的日期", "happened_on"),
        ({"on": "2026-04-20"}, "请填写作出日期", "happened_on"),
        ({"kind": "annulled"}, "请选择变更情形", "kind"),
        ({"authority": "mayor"}, "请选择作出机关类别", "authority"),
        ({"document": "  "}, "请填写文书名称及文号", "document"),
        ({"reason": ""}, "请填写理由", "reason"),
    ]:
        with pytest.raises(DomainError, match=message) as caught:
            change(f, **kw)
        assert caught.value.field == field
    assert (Event.objects.count(), DecisionChange.objects.count()) == before
    # 刘局长 and 王强 may.
    change(f, f.p.liujuzhang, kind="changed")
    change(f, f.p.wangqiang, kind="remake", on=dt.date(2026, 4, 21))
    assert DecisionChange.objects.filter(decision__case=f.case).count() == 2


def test_before_a_decision_there_is_nothing_to_change(flow):
    f = flow().pending()
    with pytest.raises(DomainError, match="登记执法决定变更只能在"):
        change(f)


def test_the_case_page_shows_the_change_and_offers_it_on_a_closed_case(flow, client):
    f = flow().closed()
    client.force_login(f.p.zhaomin)
    page = client.get(f"/cases/{f.case.pk}/").content.decode()
    assert "登记决定被撤销、变更或确认违法" in page
    change(f, on=dt.date(2026, 5, 6))
    page = client.get(f"/cases/{f.case.pk}/").content.decode()
    assert "决定变更记录" in page and "陵政复决字〔2026〕3号" in page and "不再执行" in page
    client.force_login(f.p.zhangming)  # an officer: read-only, no button
    page = client.get(f"/cases/{f.case.pk}/").content.decode()
    assert "决定变更记录" in page and "登记决定被撤销、变更或确认违法" not in page
