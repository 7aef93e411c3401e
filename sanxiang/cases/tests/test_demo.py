"""The demo loader builds cases in every stage through the services, and runs only once."""

from __future__ import annotations

import io

from sanxiang.cases import demo
from sanxiang.cases.choices import State
from sanxiang.cases.models import Case
from sanxiang.ledger.models import Event


def load_all():
    from sanxiang.accounts import demo as accounts_demo
    from sanxiang.catalog import demo as catalog_demo
    from sanxiang.registry import demo as registry_demo

    out = io.StringIO()
    context: dict = {}
    for loader in (
        registry_demo.load,
        accounts_demo.load,
        registry_demo.load_people,
        catalog_demo.load,
        demo.load,
    ):
        loader(context=context, stdout=out)
    return out.getvalue()


def test_demo_cases_cover_the_stages_and_load_once(db):
    text = load_all()
    states = set(Case.objects.values_list("state", flat=True))
    assert {
        State.LEAD,
        State.SUPPLEMENT,
        State.NOT_FILED,
        State.INVESTIGATING,
        State.CONCLUDED,
        State.NOTIFIED,
        State.HEARING,
        State.PENDING_DECISION,
        State.DECIDED,
        State.SERVED,
        State.ENFORCEMENT,
        State.CLOSED,
    } <= states
    assert "演示案件：13 件" in text
    assert Event.objects.filter(type__startswith="case.").count() > 100
    before = Event.objects.count()
    assert "已存在" in load_all()
    assert Event.objects.count() == before
    major = Case.objects.get(summary__contains="（重大）")
    from sanxiang.cases import selectors

    listed = {a.action: a for a in selectors.available_actions(major, user=None)}
    assert any("法制审核" in r for r in listed["decide"].reasons)
