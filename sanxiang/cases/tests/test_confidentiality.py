"""劳动保障监察条例第九条: the identity of complainants and reporters is kept confidential."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from sanxiang.cases import selectors, services
from sanxiang.cases.selectors import CONFIDENTIAL
from sanxiang.ledger.models import Event
from sanxiang.lib.errors import NotPermitted


def test_everyone_sees_confidential_by_default(flow):
    f = flow().registered()
    [view] = selectors.complainants_masked(f.case)
    assert view.name == view.phone == view.id_number == CONFIDENTIAL and view.role == "投诉人"


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("zhangming", True),  # registered it and is on the team
        ("lihua", True),  # team
        ("wangqiang", True),  # unit head
        ("liujuzhang", True),  # decision maker
        ("zhaoliu", False),  # an officer not on this case
        ("zhaomin", False),  # legal reviewer
        ("chenlvshi", False),
        ("zhougongshi", False),  # publicity administrator
        ("sundangan", False),
        ("xitong", False),
        ("wuquanxian", False),
    ],
)
def test_identity_is_visible_only_to_the_team_the_unit_head_and_the_decision_maker(
    flow, who, allowed
):
    f = flow().registered().assigned()
    user = getattr(f.p, who)
    assert selectors.may_see_complainant(case=f.case, user=user) is allowed
    before = Event.objects.filter(type__startswith="security.complainant").count()
    if allowed:
        [view] = services.complainant_reveal(actor=user, case=f.case, reason="核实投诉事项")
        assert view.name == "孙某" and view.phone == "13903560101"
        event = Event.objects.filter(type="security.complainant_revealed").last()
    else:
        with pytest.raises(NotPermitted, match="保密"):
            services.complainant_reveal(actor=user, case=f.case)
        event = Event.objects.filter(type="security.complainant_reveal_denied").last()
    assert event.actor_id == user.pk
    assert Event.objects.filter(type__startswith="security.complainant").count() == before + 1


def test_a_reveal_through_a_request_records_the_client_address(flow):
    f = flow().registered()
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    request.user = f.p.zhangming
    services.complainant_reveal(actor=f.p.zhangming, case=f.case, request=request)
    event = Event.objects.filter(type="security.complainant_revealed").last()
    assert "10.1.2.3" in event.payload


def test_released_officers_no_longer_see_the_identity(flow):
    f = flow().registered().assigned(flow().p.lihua, flow().p.zhaoliu)
    assert selectors.may_see_complainant(case=f.case, user=f.p.zhaoliu)
    from sanxiang.cases import services as s

    s.case_release(actor=f.p.wangqiang, case=f.case, user=f.p.zhaoliu, reason="调岗")
    assert not selectors.may_see_complainant(case=f.case, user=f.p.zhaoliu)


def test_identity_stays_out_of_the_ledger_and_the_to_do_list(flow):
    f = flow().registered()
    registered = Event.objects.get(type="case.registered")
    assert "孙某" not in registered.payload and "13903560101" not in registered.payload
    items = selectors.todo_items_for(user=f.p.zhangming, today=f.case.received_on)
    assert items and all("孙某" not in i.subject for i in items)


def test_anonymous_report_is_allowed_but_not_an_anonymous_complaint(flow):
    f = flow().registered(source="report", complainants=[{"role": "reporter", "anonymous": True}])
    [view] = services.complainant_reveal(actor=f.p.zhangming, case=f.case)
    assert view.name == "（匿名）"
