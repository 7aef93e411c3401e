"""Leads and complaints: registration, acceptance clock, limitation, supplement, refusal."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from sanxiang.cases import services
from sanxiang.cases.choices import DeadlineKind, Disposition, State
from sanxiang.cases.models import Case, Deadline
from sanxiang.lib import codes
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted

from .conftest import FILED, ledger_size, org_party


def clock(case, kind):
    return Deadline.objects.filter(case=case, kind=kind).order_by("-pk").first()


def test_complaint_opens_the_5_working_day_acceptance_clock_over_national_day(flow):
    # 若干规定第十八条. Received Wed 30 Sep 2026: 1–7 Oct are holidays, Sat 10 Oct is a make-up
    # working day → 8, 9, 10, 12, 13 Oct.
    case = (
        flow()
        .registered(received_on=dt.date(2026, 9, 30), violation_until=dt.date(2026, 9, 1))
        .case
    )
    assert clock(case, DeadlineKind.ACCEPTANCE).due == dt.date(2026, 10, 13)
    assert case.registration_no == "陵人社监登字〔2026〕第1号"
    assert case.state == State.LEAD


def test_patrol_lead_opens_the_filing_check_clock_instead(flow):
    case = flow().registered(source="patrol", complainant=False).case
    assert clock(case, DeadlineKind.ACCEPTANCE) is None
    assert clock(case, DeadlineKind.VERIFICATION).due is not None


def test_filing_is_the_approval_date_and_opens_investigation_and_decision_clocks(flow):
    f = (
        flow()
        .registered(received_on=dt.date(2026, 1, 29), violation_until=dt.date(2026, 1, 20))
        .assigned()
    )
    services.case_transition(
        case=f.case, action="file", actor=f.p.wangqiang, filed_on=dt.date(2026, 1, 30)
    )
    case = f.refresh()
    assert case.filed_on == dt.date(2026, 1, 30)
    assert case.case_no == "陵人社监立字〔2026〕第1号"
    # 劳动保障监察条例第十七条: 60 working days; DOMAIN.md §9.3: Fri 30 Jan + 60 wd → Wed 6 May.
    assert clock(case, DeadlineKind.INVESTIGATION).due == dt.date(2026, 5, 6)
    # 行政处罚法第六十条: 90 days → 30 Apr (a working day).
    assert clock(case, DeadlineKind.DECISION).due == dt.date(2026, 4, 30)
    assert clock(case, DeadlineKind.ACCEPTANCE).status == "met"


def test_filing_a_violation_over_two_years_old_needs_a_written_reason(flow):
    # 劳动保障监察条例第二十条: ended 31 Dec 2023, complained of 2 Mar 2026.
    f = (
        flow()
        .registered(violation_from=dt.date(2023, 6, 1), violation_until=dt.date(2023, 12, 31))
        .assigned()
    )
    with pytest.raises(Blocked) as exc:
        services.case_transition(case=f.case, action="file", actor=f.p.wangqiang, filed_on=FILED)
    assert "已超过2年" in exc.value.message and "请写明理由" in exc.value.message
    assert f.refresh().state == State.LEAD
    services.case_transition(
        case=f.case,
        action="file",
        actor=f.p.wangqiang,
        filed_on=FILED,
        limitation_reason="该违法行为于2024年被举报，已在时效内发现（条例第二十条）",
    )
    case = f.refresh()
    assert case.state == State.INVESTIGATING
    assert "2024年被举报" in case.limitation_reason


def test_continuing_violation_counts_from_its_end(flow):
    f = (
        flow()
        .registered(
            violation_from=dt.date(2022, 1, 1), violation_until=None, violation_continuing=True
        )
        .assigned()
    )
    services.case_transition(case=f.case, action="file", actor=f.p.wangqiang, filed_on=FILED)
    assert f.refresh().state == State.INVESTIGATING


def test_filing_needs_a_violation_date_party_and_cause(flow):
    f = (
        flow()
        .registered(violation_from=None, violation_until=None, party=False, cause=False)
        .assigned()
    )
    with pytest.raises(Blocked) as exc:
        services.case_transition(case=f.case, action="file", actor=f.p.wangqiang, filed_on=FILED)
    reasons = " ".join(exc.value.reasons)
    assert "未登记当事人" in reasons and "未选择案由" in reasons and "两年查处时效" in reasons


def test_officer_cannot_approve_filing(flow):
    f = flow().registered().assigned()
    with pytest.raises(NotPermitted):
        services.case_transition(case=f.case, action="file", actor=f.p.zhangming, filed_on=FILED)


def test_supplement_restarts_the_acceptance_clock_from_receipt(flow):
    f = flow().registered()
    services.case_transition(
        case=f.case,
        action="request_supplement",
        actor=f.p.zhangming,
        items="工资条、考勤记录",
        notified_on=dt.date(2026, 3, 3),
    )
    assert f.refresh().state == State.SUPPLEMENT
    assert clock(f.case, DeadlineKind.ACCEPTANCE).status == "met"
    services.case_transition(
        case=f.case,
        action="supplement_received",
        actor=f.p.zhangming,
        received_on=dt.date(2026, 4, 30),
    )
    # 5 working days from Thu 30 Apr: 1–5 May holiday → 6, 7, 8, 9 (make-up Sat), 11 May.
    new = clock(f.case, DeadlineKind.ACCEPTANCE)
    assert new.status == "open" and new.due == dt.date(2026, 5, 11)
    assert f.refresh().state == State.LEAD


def test_only_a_workers_own_complaint_can_be_sent_back_for_supplement(flow):
    f = flow().registered(source="patrol", complainant=False)
    with pytest.raises(Blocked, match="补正"):
        services.case_transition(
            case=f.case,
            action="request_supplement",
            actor=f.p.zhangming,
            items="材料",
            notified_on=FILED,
        )


def test_refusal_to_accept_is_written_and_ends_the_lead(flow):
    f = flow().registered()
    with pytest.raises(Blocked, match="有管辖权的机关"):
        services.case_transition(
            case=f.case,
            action="decline",
            actor=f.p.wangqiang,
            disposition=Disposition.OTHER_JURISDICTION,
            reason="用工所在地在高平市",
            decided_on=FILED,
            notified_on=FILED,
        )
    services.case_transition(
        case=f.case,
        action="decline",
        actor=f.p.wangqiang,
        disposition=Disposition.OTHER_JURISDICTION,
        reason="用工所在地在高平市（劳动保障监察条例第十三条）",
        competent_body="高平市人力资源和社会保障局",
        decided_on=FILED,
        notified_on=FILED,
    )
    case = f.refresh()
    assert case.state == State.NOT_FILED and case.competent_body == "高平市人力资源和社会保障局"
    assert clock(case, DeadlineKind.ACCEPTANCE).status == "met"


def test_labour_dispute_is_routed_to_arbitration_advice(flow):
    # 劳动保障监察条例第二十一条第二款
    f = flow().registered()
    services.case_transition(
        case=f.case,
        action="decline",
        actor=f.p.wangqiang,
        disposition=Disposition.LABOUR_DISPUTE,
        reason="经济补偿金数额争议，告知向劳动人事争议仲裁委员会申请仲裁",
        decided_on=FILED,
        notified_on=FILED,
    )
    assert f.refresh().get_disposition_display() == "告知依照劳动争议处理程序办理"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"received_on": dt.date(2099, 1, 1)}, "不能晚于今天"),
        ({"source": "gossip"}, "请选择案件来源"),
        ({"summary": ""}, "请填写案情摘要"),
        ({"parties": [dict(org_party(), uscc="91140524MA0K12345X")]}, "统一社会信用代码"),
        (
            {
                "parties": [
                    {"kind": "natural_person", "name": "张三", "id_number": "140524199001011234"}
                ]
            },
            "身份证",
        ),
        ({"complainants": []}, "投诉须登记投诉人"),
        ({"complainants": [{"role": "complainant", "anonymous": True}]}, "投诉须署名"),
        ({"complainants": [{"role": "complainant", "name": "孙某", "phone": "1390356"}]}, "电话"),
        ({"violation_until": dt.date(2026, 5, 1)}, "不能晚于收到"),
        ({"amount_claimed": "-5"}, "负数"),
        ({"workers_affected": "三个"}, "整数"),
    ],
)
def test_bad_registration_is_refused_in_chinese_and_writes_nothing(flow, change, message):
    f = flow()
    before = (ledger_size(), Case.objects.count(), Deadline.objects.count())
    with pytest.raises(DomainError) as exc:
        f.registered(**change)
    assert message in exc.value.message
    assert (ledger_size(), Case.objects.count(), Deadline.objects.count()) == before


def test_registration_number_is_not_consumed_by_a_refused_registration(flow):
    f = flow()
    with pytest.raises(DomainError):
        f.registered(summary="")
    assert f.registered().case.registration_no.endswith("第1号")


def test_user_without_role_cannot_register(flow):
    f = flow()
    with pytest.raises(NotPermitted):
        f.registered(actor=f.p.wuquanxian)


def test_intake_corrections_are_recorded_with_old_and_new_values(flow):
    from sanxiang.ledger.selectors import events_of_subject

    f = flow().registered()
    services.case_update_intake(
        actor=f.p.zhangming, case=f.case, workers_affected=5, amount_claimed="12,000"
    )
    case = f.refresh()
    assert case.workers_affected == 5 and str(case.amount_claimed) == "12000.00"
    event = list(events_of_subject(case))[-1]
    assert event.type == "case.intake_updated" and '"before":{' in event.payload


def test_party_codes_are_validated_and_a_party_is_not_entered_twice(flow):
    f = flow().registered(party=False)
    party = services.party_add(actor=f.p.zhangming, case=f.case, data=org_party())
    with pytest.raises(DomainError, match="已登记"):
        services.party_add(actor=f.p.zhangming, case=f.case, data=org_party())
    person = services.party_add(
        actor=f.p.zhangming,
        case=f.case,
        data={
            "kind": "individual_business",
            "name": "陵川县老王饭店",
            "id_number": "11010519491231002X",
        },
    )
    assert party.uscc and person.id_number.endswith("X")
    with pytest.raises(DomainError, match="个体工商户"):
        services.party_add(
            actor=f.p.zhangming, case=f.case, data={"kind": "individual_business", "name": "某店"}
        )


def test_cause_must_come_from_the_agencys_own_catalogue(flow, agency):
    from sanxiang.registry.models import Agency

    f = flow().registered(cause=False)
    other = Agency.objects.create(
        name="高平市人社局",
        short_name="高人社",
        legal_basis="x",
        jurisdiction="高平市",
        uscc=codes.make_uscc(random.Random(3), department="1", category="1", region="140581"),
    )
    from sanxiang.catalog import rules as C
    from sanxiang.catalog import services as catalog_services

    from .conftest import _content

    item = catalog_services.item_create(
        actor=f.p.xitong,
        agency=other,
        code="X-1",
        effective_from=dt.date(2020, 1, 1),
        change_note="x",
        content=_content(
            name="外单位事项",
            category=C.INSPECTION,
            bases=(C.BasisData(C.BASIS_SETTING, "《劳动保障监察条例》", "第十条"),),
        ),
    )
    with pytest.raises(DomainError, match="不属于本执法主体"):
        services.cause_add(actor=f.p.zhangming, case=f.case, item_version=item.versions.get())
