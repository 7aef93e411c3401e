"""Walk the transition table: for every (state, action) pair the action is either allowed (and
then does what the row says) or refused with its Chinese reason, writing nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from sanxiang.cases import selectors, services, workflow
from sanxiang.cases.choices import (
    ClosingReason,
    Disposition,
    HearingOutcome,
    PenaltyType,
    ServiceMethod,
    State,
)
from sanxiang.cases.models import Case, Deadline
from sanxiang.lib.errors import Blocked, DomainError

from .conftest import FILED, NOTIFIED, SUBMITTED, ledger_size

DIRECT = {"method": ServiceMethod.DIRECT, "receiver_name": "钱某", "receiver_relation": "legal_rep"}
LATER = dt.date(2026, 4, 27)  # after the payment due date of the default flow (04-23)


def build(flow, state: str):
    f = flow()
    if state == State.LEAD:
        f.registered().assigned()
    elif state == State.SUPPLEMENT:
        f.registered().assigned()
        services.case_transition(
            case=f.case,
            action="request_supplement",
            actor=f.p.zhangming,
            items="劳动合同复印件",
            notified_on=dt.date(2026, 3, 3),
        )
    elif state == State.NOT_FILED:
        f.registered()
        services.case_transition(
            case=f.case,
            action="decline",
            actor=f.p.wangqiang,
            disposition=Disposition.LABOUR_DISPUTE,
            reason="属于劳动争议，告知申请仲裁",
            decided_on=dt.date(2026, 3, 3),
            notified_on=dt.date(2026, 3, 3),
        )
    elif state == State.INVESTIGATING:
        f.investigated()
    elif state == State.CONCLUDED:
        f.concluded()
    elif state == State.NOTIFIED:
        f.notified()
    elif state == State.HEARING:
        # 条例第二十八条: 吊销许可证 always gives the right to a hearing (行政处罚法第六十三条).
        f.registered(causes=[f.items.job_agency])
        f.notified(
            item_version=f.items.job_agency,
            tier_level="",
            fine_amount=D("20000"),
            penalty_types=[PenaltyType.FINE, PenaltyType.REVOKE_LICENCE],
        )
        services.case_transition(
            case=f.case,
            action="request_hearing",
            actor=f.p.zhangming,
            requested_on=dt.date(2026, 3, 30),
        )
        services.hearing_forgo(
            actor=f.p.zhangming,
            case=f.case,
            outcome=HearingOutcome.WITHDRAWN,
            note="当事人书面撤回听证申请",
            on=dt.date(2026, 3, 31),
        )
    elif state == State.PENDING_DECISION:
        f.pending()
    elif state == State.DECIDED:
        f.decided()
    elif state == State.SERVED:
        f.served()
    elif state == State.ENFORCEMENT:
        f.served()
        services.case_transition(
            case=f.case,
            action="remind",
            actor=f.p.zhangming,
            served_on=LATER,
            content="请于十日内缴纳罚款及加处罚款",
            service=DIRECT,
        )
    elif state == State.CLOSED:
        f.closed()
    f.case.refresh_from_db()
    assert f.case.state == state
    return f


def actor_for(f, action: str):
    t = workflow.TRANSITIONS[action]
    if t.permission == "cases.decide_case":
        return f.p.liujuzhang
    if t.permission in ("cases.file_case", "cases.close_case"):
        return f.p.wangqiang
    return f.p.zhangming


PARAMS = {
    "file": {"filed_on": FILED},
    "request_supplement": {"items": "劳动合同复印件", "notified_on": dt.date(2026, 3, 3)},
    "supplement_received": {"received_on": dt.date(2026, 3, 5)},
    "decline": {
        "disposition": Disposition.NOT_ACCEPTED,
        "reason": "超过两年",
        "decided_on": dt.date(2026, 3, 5),
        "notified_on": dt.date(2026, 3, 5),
    },
    "conclude": {"concluded_on": dt.date(2026, 3, 25)},
    "reopen": {"reason": "需补充询问", "on": dt.date(2026, 4, 8)},
    "notify": {"served_on": NOTIFIED, "service": DIRECT},
    "request_hearing": {"requested_on": dt.date(2026, 3, 30)},
    "end_hearing": {"ended_on": dt.date(2026, 4, 1)},
    "submit": {"on": SUBMITTED},
    "decide": {"decided_on": dt.date(2026, 4, 9)},
    "serve": {"served_on": dt.date(2026, 4, 10), "service": DIRECT},
    "remind": {"served_on": LATER, "content": "请履行", "service": DIRECT},
    "close": {
        "closed_on": dt.date(2026, 5, 6),
        "closing_reason": ClosingReason.PERFORMED,
        "evidence": "已缴清",
    },
    "transfer": {
        "transfer_to": "晋城市人社局",
        "reason": "上级指定管辖",
        "materials": "案卷一宗",
        "transferred_on": dt.date(2026, 4, 8),
    },
    "decide_on_spot": {
        "decided_on": dt.date(2026, 3, 3),
        "penalty_types": [PenaltyType.WARNING],
        "facts": "当场发现未公示工时制度",
        "legal_basis": "《劳动保障监察条例》第二十五条",
        "place": "公司办公室",
        "party_signed": True,
    },
}
assert set(PARAMS) == set(workflow.TRANSITIONS)

# Pairs that succeed with the default flow and the parameters above.
EXPECTED_ALLOWED = {
    (State.LEAD, "file"),
    (State.LEAD, "request_supplement"),
    (State.LEAD, "decline"),
    (State.LEAD, "decide_on_spot"),
    (State.SUPPLEMENT, "supplement_received"),
    (State.SUPPLEMENT, "decline"),
    (State.INVESTIGATING, "conclude"),
    (State.INVESTIGATING, "transfer"),
    (State.CONCLUDED, "notify"),
    (State.CONCLUDED, "reopen"),
    (State.CONCLUDED, "transfer"),
    (State.NOTIFIED, "submit"),
    (State.HEARING, "end_hearing"),
    (State.PENDING_DECISION, "decide"),
    (State.PENDING_DECISION, "reopen"),
    (State.DECIDED, "serve"),
    (State.SERVED, "remind"),
}

PAIRS = [(s, a) for s in State.values for a in workflow.TRANSITIONS]


@pytest.mark.parametrize(("state", "action"), PAIRS, ids=[f"{s}-{a}" for s, a in PAIRS])
def test_every_state_action_pair_is_allowed_or_refused_with_a_reason(flow, state, action):
    f = build(flow, state)
    t = workflow.TRANSITIONS[action]
    actor = actor_for(f, action)
    case = Case.objects.get(pk=f.case.pk)
    params = dict(PARAMS[action])
    on = params.get(t.date_param)
    listed = {a.action: a for a in selectors.available_actions(case, user=actor, on=on)}[action]
    before_events, before_clocks = ledger_size(), list(Deadline.objects.filter(case=case).values())
    if action == "decide_on_spot":
        params["officers"] = [f.p.lihua]
    try:
        services.case_transition(case=case, action=action, actor=actor, **params)
    except (Blocked, DomainError) as exc:
        reasons = getattr(exc, "reasons", [exc.message])
        assert reasons and all(isinstance(r, str) and r for r in reasons)
        assert (state, action) not in EXPECTED_ALLOWED, reasons
        if state not in t.sources:
            assert isinstance(exc, Blocked)
            assert f"“{t.label}”只能在" in reasons[0] or "已结案" in reasons[0]
            assert not listed.allowed and listed.reasons == tuple(reasons)
        # Nothing written: no event, same state, same clocks.
        assert ledger_size() == before_events
        case.refresh_from_db()
        assert case.state == state
        assert list(Deadline.objects.filter(case=case).values()) == before_clocks
    else:
        assert (state, action) in EXPECTED_ALLOWED, f"{state}/{action} was expected to be refused"
        assert listed.allowed, listed.reasons
        case.refresh_from_db()
        assert case.state == t.target
        assert ledger_size() > before_events
        # The clocks the row declares are the only kinds opened or closed.
        after = {(d["id"], d["status"]) for d in Deadline.objects.filter(case=case).values()}
        changed_kinds = {
            d.kind
            for d in Deadline.objects.filter(case=case)
            if (d.pk, d.status) not in {(c["id"], c["status"]) for c in before_clocks}
        }
        declared = set(t.opens) | set(t.closes) | set(t.suspends) | set(t.resumes)
        if action not in ("close", "transfer", "decline"):  # these cancel every open clock
            assert changed_kinds <= declared, (changed_kinds, declared)
        assert after


def test_table_is_complete_and_every_target_is_a_state():
    for t in workflow.TRANSITIONS.values():
        assert t.target in State.values
        assert t.sources <= set(State.values)
        assert t.permission.startswith("cases.")
        assert t.label and t.basis
    # Closed and not-filed cases have no way out.
    assert not any(
        State.CLOSED in t.sources or State.NOT_FILED in t.sources
        for t in workflow.TRANSITIONS.values()
    )
    # Every non-terminal state has at least one action.
    for s in State.values:
        if s not in (State.CLOSED, State.NOT_FILED):
            assert any(s in t.sources for t in workflow.TRANSITIONS.values()), s


def test_mermaid_diagram_lists_every_row():
    text = workflow.mermaid()
    for t in workflow.TRANSITIONS.values():
        assert t.label in text
