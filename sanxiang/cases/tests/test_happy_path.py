"""A penalty case from complaint to closing, through the services, on the 2026 calendar."""

from __future__ import annotations

import datetime as dt

from sanxiang.cases.choices import DeadlineKind, State
from sanxiang.cases.models import Deadline
from sanxiang.ledger.selectors import events_of_subject


def test_complaint_to_closed_case_records_every_step_in_the_ledger(flow):
    f = flow().closed()
    case = f.refresh()
    assert case.state == State.CLOSED
    assert case.case_no == "陵人社监立字〔2026〕第1号"
    assert case.decision.number == "陵人社监罚字〔2026〕第1号"
    types = [e.type for e in events_of_subject(case)]
    for action in (
        "registered",
        "file",
        "conclude",
        "notify",
        "submit",
        "decide",
        "serve",
        "close",
    ):
        assert f"case.{action}" in types
    clocks = {d.kind: d for d in Deadline.objects.filter(case=case)}
    assert clocks[DeadlineKind.ACCEPTANCE].due == dt.date(2026, 3, 9)
    assert clocks[DeadlineKind.DECISION].due == dt.date(2026, 6, 1)
    assert clocks[DeadlineKind.PAYMENT].due == dt.date(2026, 4, 23)
    assert all(d.status != "open" for d in clocks.values())
