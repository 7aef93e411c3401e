"""我的待办 from the case clocks: who sees what, with urgency normal / soon / overdue / unknown."""

from __future__ import annotations

import datetime as dt

from sanxiang.cases import selectors, services

from .conftest import RECEIVED


def titles(items):
    return {(i.title, i.urgency) for i in items}


def test_the_registering_officer_and_the_unit_head_see_the_acceptance_clock(flow):
    f = flow().registered()  # due Mon 9 Mar
    for user in (f.p.zhangming, f.p.wangqiang):
        items = selectors.todo_items_for(user=user, today=RECEIVED)
        assert ("决定是否受理投诉举报", "normal") in titles(items)
    assert selectors.todo_items_for(user=f.p.lihua, today=RECEIVED) == []
    soon = selectors.todo_items_for(user=f.p.wangqiang, today=dt.date(2026, 3, 5))
    assert ("决定是否受理投诉举报", "soon") in titles(soon)
    assert soon[0].note == "剩余2个工作日"  # Fri 6 and Mon 9 March
    overdue = [i for i in selectors.todo_items_for(user=f.p.wangqiang, today=dt.date(2026, 3, 10))]
    assert overdue[0].urgency == "overdue" and overdue[0].due == dt.date(2026, 3, 9)
    assert overdue[0].note == "已逾期1日"
    assert "若干规定" in overdue[0].basis


def test_team_members_see_their_cases_clocks_and_the_decision_maker_the_decision(flow):
    f = flow().pending()
    team = titles(selectors.todo_items_for(user=f.p.lihua, today=dt.date(2026, 4, 3)))
    assert ("复查责令改正情况", "normal") not in team  # checked already
    assert not any(t == "作出处理决定" for t, _ in team)
    head = selectors.todo_items_for(user=f.p.liujuzhang, today=dt.date(2026, 4, 3))
    assert [i.title for i in head] == ["作出处理决定"] and head[0].due == dt.date(2026, 6, 1)


def test_unknown_due_dates_are_listed_as_unknown_with_the_reason(flow):
    f = (
        flow()
        .registered(received_on=dt.date(2026, 11, 20), violation_until=dt.date(2026, 11, 1))
        .assigned()
    )
    services.case_transition(
        case=f.case, action="file", actor=f.p.wangqiang, filed_on=dt.date(2026, 11, 23)
    )
    items = [
        i
        for i in selectors.todo_items_for(user=f.p.zhangming, today=dt.date(2026, 11, 23))
        if i.title == "完成调查"
    ]
    assert items[0].urgency == "unknown" and "2027年" in items[0].note


def test_pending_approvals_reach_the_bureau_head(flow):
    f = flow().filed()
    services.preservation_request(
        actor=f.p.zhangming,
        case=f.case,
        items=[{"name": "账册", "quantity": "1"}],
        place_kept="保管室",
        reason="可能灭失",
    )
    assert "审批先行登记保存" in {
        i.title for i in selectors.todo_items_for(user=f.p.liujuzhang, today=dt.date(2026, 3, 5))
    }
    assert "审批先行登记保存" not in {
        i.title for i in selectors.todo_items_for(user=f.p.wangqiang, today=dt.date(2026, 3, 5))
    }


def test_heads_see_only_their_own_agencys_clocks(flow):
    from sanxiang.cases.models import Case
    from sanxiang.registry.models import Agency

    f = flow().registered()
    assert ("决定是否受理投诉举报", "normal") in titles(
        selectors.todo_items_for(user=f.p.wangqiang, today=RECEIVED)
    )
    other = Agency.objects.create(name="高平市人力资源和社会保障局", short_name="高人社")
    Case.objects.filter(pk=f.case.pk).update(agency=other)
    assert selectors.todo_items_for(user=f.p.wangqiang, today=RECEIVED) == []
