"""Legal qualifications, review-staff designations and the 5% ratio."""

from __future__ import annotations

import datetime as dt

import pytest

from sanxiang.ledger.models import Event
from sanxiang.lib.errors import DomainError, NotPermitted
from sanxiang.registry import selectors, services
from sanxiang.registry.models import LegalQualification, ReviewerDesignation

D = dt.date


def qualify(keeper, user, number="A20191405240117", granted_on=D(2019, 12, 30)):
    return services.qualification_record(
        actor=keeper, holder=user, kind="legal_profession", number=number, granted_on=granted_on
    )


def designate(keeper, agency, user, kind="staff", on=D(2022, 1, 4), **kw):
    return services.reviewer_designate(
        actor=keeper, agency=agency, user=user, kind=kind, designated_on=on, **kw
    )


def test_designated_reviewer_with_qualification_may_review_penalties(
    personas, agency, keeper, today
):
    qualify(keeper, personas.zhaomin)
    designate(keeper, agency, personas.zhaomin)
    assert selectors.reviewer_problems(user=personas.zhaomin, agency=agency, on=today) == []
    assert Event.objects.filter(type="registry.qualification_recorded").exists()
    assert Event.objects.filter(type="registry.reviewer_designated").exists()


def test_first_time_penalty_reviewer_without_qualification_is_refused(
    personas, agency, keeper, today
):
    # 行政处罚法 第五十八条第二款
    designate(keeper, agency, personas.zhaomin)
    reasons = selectors.reviewer_problems(user=personas.zhaomin, agency=agency, on=today)
    assert "第五十八条第二款" in reasons[0]
    assert (
        selectors.reviewer_problems(user=personas.zhaomin, agency=agency, on=today, penalty=False)
        == []
    )


def test_person_who_is_not_designated_may_not_review(personas, agency, keeper, today):
    qualify(keeper, personas.zhangming)
    assert (
        "未被指定"
        in selectors.reviewer_problems(user=personas.zhangming, agency=agency, on=today)[0]
    )


def test_designation_ends_from_its_end_date(personas, agency, keeper, today):
    qualify(keeper, personas.zhaomin)
    d = designate(keeper, agency, personas.zhaomin)
    services.reviewer_end(actor=keeper, designation=d, on=today, reason="调任")
    assert selectors.reviewer_problems(user=personas.zhaomin, agency=agency, on=today)
    assert (
        selectors.reviewer_problems(
            user=personas.zhaomin, agency=agency, on=today - dt.timedelta(days=1)
        )
        == []
    )
    with pytest.raises(DomainError, match="已终止"):
        services.reviewer_end(actor=keeper, designation=d, on=today, reason="again")


def test_reviewer_can_be_designated_again_after_the_end(personas, agency, keeper, today):
    d = designate(keeper, agency, personas.zhaomin, on=today - dt.timedelta(days=30))
    services.reviewer_end(
        actor=keeper, designation=d, on=today - dt.timedelta(days=10), reason="借调"
    )
    with pytest.raises(DomainError, match="不能早于"):
        designate(keeper, agency, personas.zhaomin, on=today - dt.timedelta(days=20))
    designate(keeper, agency, personas.zhaomin, on=today)
    assert ReviewerDesignation.objects.filter(user=personas.zhaomin).count() == 2


def test_a_person_is_designated_once_at_a_time(personas, agency, keeper):
    designate(keeper, agency, personas.zhaomin)
    with pytest.raises(DomainError, match="已是") as exc:
        designate(keeper, agency, personas.zhaomin)
    assert exc.value.field == "user"


def test_qualification_number_is_unique_and_date_not_in_future(personas, keeper, today):
    qualify(keeper, personas.zhaomin)
    with pytest.raises(DomainError, match="已登记（持有人：赵敏）"):
        qualify(keeper, personas.chenlvshi)
    with pytest.raises(DomainError, match="不能晚于今天") as exc:
        qualify(keeper, personas.chenlvshi, number="B1", granted_on=today + dt.timedelta(days=1))
    assert exc.value.field == "granted_on"
    assert LegalQualification.objects.count() == 1


def test_withdrawn_qualification_no_longer_allows_penalty_review(personas, agency, keeper, today):
    q = qualify(keeper, personas.zhaomin)
    designate(keeper, agency, personas.zhaomin)
    services.qualification_withdraw(actor=keeper, qualification=q, on=today, reason="司法部撤销")
    assert selectors.reviewer_problems(user=personas.zhaomin, agency=agency, on=today)
    with pytest.raises(DomainError, match="已撤销"):
        services.qualification_withdraw(actor=keeper, qualification=q, on=today, reason="again")


def test_bad_designation_input_is_refused(personas, agency, keeper):
    with pytest.raises(DomainError, match="审核人员类别") as exc:
        designate(keeper, agency, personas.zhaomin, kind="judge")
    assert exc.value.field == "kind"
    with pytest.raises(DomainError, match="请填写指定日期"):
        designate(keeper, agency, personas.zhaomin, on="2026-01-01")
    assert not ReviewerDesignation.objects.exists()


def test_only_the_keeper_designates_reviewers(personas, agency):
    for who in (personas.zhaomin, personas.liujuzhang, personas.anquan):
        with pytest.raises(NotPermitted):
            designate(who, agency, personas.zhaomin)


def test_reviewer_ratio_counts_own_staff_against_certified_officers(
    personas, agency, keeper, make_officer, today
):
    for u in (personas.zhangming, personas.lihua, personas.wangqiang, personas.liujuzhang):
        make_officer(u)
    designate(keeper, agency, personas.chenlvshi, kind="legal_adviser")
    ratio = selectors.reviewer_ratio(agency=agency, on=today)
    assert (ratio.reviewers, ratio.officers, ratio.meets_target) == (0, 4, False)
    designate(keeper, agency, personas.zhaomin)
    ratio = selectors.reviewer_ratio(agency=agency, on=today)
    assert (ratio.reviewers, ratio.officers, ratio.meets_target) == (1, 4, True)
    assert ratio.percent == "25.0%"
