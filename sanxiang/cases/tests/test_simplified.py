"""简易程序: on-the-spot warnings and small fines (行政处罚法第五十一条、第五十二条)."""

from __future__ import annotations

import datetime as dt

import pytest

from sanxiang.cases import services
from sanxiang.cases.choices import DeadlineKind, PenaltyType, Procedure, State
from sanxiang.cases.models import Deadline
from sanxiang.lib.errors import Blocked, DomainError
from sanxiang.registry import services as registry_services
from sanxiang.registry.models import Certificate

from .conftest import ledger_size

DAY = dt.date(2026, 3, 3)
PERSON = {
    "kind": "individual_business",
    "name": "陵川县老王饭店",
    "id_number": "11010519491231002X",
}


def on_spot(f, **kw):
    data = dict(
        case=f.case,
        action="decide_on_spot",
        actor=f.p.zhangming,
        decided_on=DAY,
        officers=[f.p.lihua],
        penalty_types=[PenaltyType.FINE],
        fine_amount="3000",
        facts="当场查实延长工作时间",
        place="公司办公室",
        legal_basis="《劳动保障监察条例》第二十五条",
        party_signed=True,
    )
    data.update(kw)
    return services.case_transition(**data)


@pytest.mark.parametrize(
    ("party", "fine", "allowed"),
    [
        ("org", "3000", True),
        ("org", "3000.01", False),
        ("person", "200", True),
        ("person", "201", False),
    ],
)
def test_on_the_spot_fine_limits(flow, party, fine, allowed):
    parties = [PERSON] if party == "person" else None
    f = flow().registered(
        source="patrol", complainant=False, **({"parties": parties} if parties else {})
    )
    if allowed:
        on_spot(f, fine_amount=fine)
        case = f.refresh()
        assert case.state == State.SERVED and case.procedure == Procedure.SIMPLIFIED
        assert case.decision.number == "陵人社监简罚字〔2026〕第1号" and case.decision.on_spot
        # Payment: 15 days from the day the decision was handed over → Wed 18 Mar.
        assert Deadline.objects.get(case=case, kind=DeadlineKind.PAYMENT).due == dt.date(
            2026, 3, 18
        )
    else:
        before = ledger_size()
        with pytest.raises(Blocked, match="应适用普通程序"):
            on_spot(f, fine_amount=fine)
        assert ledger_size() == before and f.refresh().state == State.LEAD


def test_only_warnings_and_fines_on_the_spot(flow):
    f = flow().registered(source="patrol", complainant=False)
    with pytest.raises(Blocked, match="只能作出警告或罚款"):
        on_spot(
            f, penalty_types=[PenaltyType.WARNING, PenaltyType.SUSPEND_BUSINESS], fine_amount=None
        )
    on_spot(f, penalty_types=[PenaltyType.WARNING], fine_amount=None)
    assert not Deadline.objects.filter(case=f.case, kind=DeadlineKind.PAYMENT).exists()


def test_on_the_spot_needs_two_officers_with_valid_certificates(flow):
    f = flow().registered(source="patrol", complainant=False)
    with pytest.raises(Blocked, match="两名以上"):
        on_spot(f, officers=[])
    cert = Certificate.objects.get(officer__user=f.p.lihua)
    registry_services.certificate_suspend(
        actor=f.p.xitong, certificate=cert, starts_on=dt.date(2026, 3, 1), reason="暂扣"
    )
    with pytest.raises(Blocked, match="暂扣"):
        on_spot(f)


def test_the_party_signs_or_the_refusal_is_noted(flow):
    f = flow().registered(source="patrol", complainant=False)
    with pytest.raises(DomainError, match="拒绝签收的，应当注明"):
        on_spot(f, party_signed=False)
    on_spot(f, party_signed=False, refusal_note="当事人拒绝签收，已录像")
    assert f.refresh().service_records.get().method == "left"
