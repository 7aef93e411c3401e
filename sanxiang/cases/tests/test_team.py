"""The case team: two officers with valid certificates (行政处罚法第四十二条), recusal
(第四十三条), who decides what."""

from __future__ import annotations

import datetime as dt

import pytest

from sanxiang.accounts.models import User
from sanxiang.cases import services
from sanxiang.cases.choices import RecordKind, RecusalKind, State
from sanxiang.cases.models import Assignment, InvestigationRecord
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted
from sanxiang.registry import services as registry_services
from sanxiang.registry.models import Certificate

from .conftest import FILED, RECEIVED, RECORDED, at, certify, ledger_size


def record(f, officers, day=RECORDED):
    return services.investigation_record_add(
        actor=f.p.zhangming,
        case=f.case,
        kind=RecordKind.INSPECTION,
        started_at=at(day, 9),
        ended_at=at(day, 11),
        place="公司车间",
        officers=officers,
        person={"name": "钱某"},
        ids_shown=True,
        recusal_asked=True,
        content="检查考勤记录",
        person_signed=True,
        officers_signed=True,
    )


def test_filing_needs_two_assigned_officers(flow):
    f = flow().registered().assigned(flow().p.zhangming)
    with pytest.raises(Blocked, match="两名以上持有有效执法证件的执法人员") as exc:
        services.case_transition(case=f.case, action="file", actor=f.p.wangqiang, filed_on=FILED)
    assert "只有1人" in exc.value.message


def test_an_expired_certificate_does_not_count(flow, p, agency):
    # Valid when assigned (20 Feb), expired on the filing date (3 Mar).
    short = User.objects.create_user(username="duanqi", real_name="段期", password="x")
    certify(
        p.xitong, short, agency, valid_from=dt.date(2024, 1, 1), valid_until=dt.date(2026, 2, 28)
    )
    f = flow().registered()
    services.case_assign(actor=p.wangqiang, case=f.case, user=p.zhangming, role="lead", on=RECEIVED)
    services.case_assign(actor=p.wangqiang, case=f.case, user=short, on=dt.date(2026, 2, 20))
    with pytest.raises(Blocked) as exc:
        services.case_transition(case=f.case, action="file", actor=p.wangqiang, filed_on=FILED)
    assert any("段期" in r and "已过期" in r for r in exc.value.reasons)


def test_a_suspended_certificate_does_not_count(flow, p):
    f = flow().registered().assigned()
    cert = Certificate.objects.get(officer__user=p.lihua)
    registry_services.certificate_suspend(
        actor=p.xitong, certificate=cert, starts_on=dt.date(2026, 3, 1), reason="涉嫌违纪，暂扣"
    )
    with pytest.raises(Blocked) as exc:
        services.case_transition(case=f.case, action="file", actor=p.wangqiang, filed_on=FILED)
    assert any("李华" in r and "暂扣" in r for r in exc.value.reasons)


def test_only_certified_officers_on_the_roster_can_be_assigned(flow, p):
    f = flow().registered()
    with pytest.raises(DomainError, match="不在本执法主体的执法人员名录中"):
        services.case_assign(actor=p.wangqiang, case=f.case, user=p.zhaomin)
    with pytest.raises(NotPermitted):
        services.case_assign(actor=p.zhangming, case=f.case, user=p.lihua)


def test_investigation_records_need_two_valid_officers_on_the_day(flow, p):
    f = flow().filed()
    with pytest.raises(Blocked, match="两名以上"):
        record(f, [p.zhangming])
    cert = Certificate.objects.get(officer__user=p.lihua)
    registry_services.certificate_suspend(
        actor=p.xitong, certificate=cert, starts_on=dt.date(2026, 3, 9), reason="暂扣"
    )
    before = ledger_size()
    with pytest.raises(Blocked, match="暂扣"):
        record(f, [p.zhangming, p.lihua])
    assert ledger_size() == before and not InvestigationRecord.objects.exists()


def test_a_pending_recusal_does_not_stop_the_investigation(flow, p):
    # 行政处罚法第四十三条第三款: 决定作出之前, 不停止调查.
    f = flow().filed()
    services.recusal_file(
        actor=p.zhangming,
        case=f.case,
        person=p.lihua,
        kind=RecusalKind.APPLICATION,
        grounds="李华系公司法定代表人的表弟",
        applicant="陵川县示例建筑劳务有限公司",
        filed_on=dt.date(2026, 3, 5),
    )
    rec = record(f, [p.zhangming, p.lihua])
    assert rec.pk
    # …but the investigation cannot be concluded before the head decides.
    f.ordered().proposed()
    with pytest.raises(Blocked, match="回避申请尚未决定"):
        services.case_transition(
            case=f.case, action="conclude", actor=p.zhangming, concluded_on=dt.date(2026, 3, 25)
        )


def test_upheld_recusal_releases_the_officer_and_needs_a_replacement(flow, p):
    f = flow().filed()
    recusal = services.recusal_file(
        actor=p.lihua,
        case=f.case,
        person=p.lihua,
        kind=RecusalKind.DECLARATION,
        grounds="与当事人法定代表人系近亲属（劳动保障监察条例第十六条第二款）",
        filed_on=dt.date(2026, 3, 5),
    )
    # 行政处罚法第四十三条: 由行政机关负责人决定 — not the unit head.
    with pytest.raises(NotPermitted):
        services.recusal_decide(actor=p.wangqiang, recusal=recusal, upheld=True, reason="属实")
    services.recusal_decide(
        actor=p.liujuzhang,
        recusal=recusal,
        upheld=True,
        reason="属实，决定回避",
        decided_on=dt.date(2026, 3, 6),
    )
    assert not Assignment.objects.filter(
        case=f.case, user=p.lihua, released_on__isnull=True
    ).exists()
    with pytest.raises(Blocked, match="不是本案办案人员"):
        record(f, [p.zhangming, p.lihua])
    with pytest.raises(Blocked, match="两名以上"):
        record(f, [p.zhangming])
    with pytest.raises(DomainError, match="已被决定回避"):
        services.case_assign(actor=p.wangqiang, case=f.case, user=p.lihua)
    services.case_assign(actor=p.wangqiang, case=f.case, user=p.zhaoliu, on=dt.date(2026, 3, 9))
    assert record(f, [p.zhangming, p.zhaoliu]).officers.count() == 2


def test_a_rejected_recusal_keeps_the_officer(flow, p):
    f = flow().filed()
    recusal = services.recusal_file(
        actor=p.zhangming,
        case=f.case,
        person=p.lihua,
        kind=RecusalKind.APPLICATION,
        grounds="无具体理由",
        applicant="当事人",
    )
    services.recusal_decide(
        actor=p.liujuzhang, recusal=recusal, upheld=False, reason="申请理由不成立"
    )
    assert record(f, [p.zhangming, p.lihua]).pk


def test_the_record_keeps_each_officers_certificate_number(flow, p):
    f = flow().filed()
    rec = record(f, [p.zhangming, p.lihua])
    numbers = {o.user_id: o.certificate_number for o in rec.officers.all()}
    assert numbers[p.zhangming.pk] == Certificate.objects.get(officer__user=p.zhangming).number


def test_releasing_an_officer_is_recorded_and_the_next_act_needs_two_again(flow, p):
    f = flow().filed()
    services.case_release(
        actor=p.wangqiang, case=f.case, user=p.lihua, reason="调岗", on=dt.date(2026, 3, 5)
    )
    with pytest.raises(Blocked):
        record(f, [p.zhangming])
    assert f.refresh().state == State.INVESTIGATING


def test_staff_of_another_agency_cannot_act_on_the_case(flow, p):
    import random

    from sanxiang.lib import codes
    from sanxiang.registry.models import Agency, Unit

    other = Agency.objects.create(
        name="高平市人力资源和社会保障局",
        short_name="高人社",
        legal_basis="x",
        jurisdiction="高平市",
        uscc=codes.make_uscc(random.Random(9), department="1", category="1", region="140581"),
    )
    unit = Unit.objects.create(agency=other, name="监察大队", kind=Unit.Kind.ENFORCEMENT)
    head = User.objects.create_user(
        username="gaoping", real_name="高平负责人", password="x", unit=unit
    )
    from django.contrib.auth.models import Group

    from sanxiang.accounts import roles

    head.groups.add(Group.objects.get(name=roles.UNIT_HEAD))
    f = flow().registered().assigned()
    with pytest.raises(NotPermitted, match="不属于该执法主体"):
        services.case_transition(
            case=f.case, action="file", actor=User.objects.get(pk=head.pk), filed_on=FILED
        )
