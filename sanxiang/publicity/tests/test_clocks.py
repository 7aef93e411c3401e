"""Publish and withdrawal deadlines on the working-day calendar across the 2026 holidays
(DOMAIN.md §9.3), through the services that store them."""

from __future__ import annotations

import datetime as dt

import pytest

from sanxiang.cases.models import Decision
from sanxiang.publicity import handlers, services
from sanxiang.publicity.models import Publication

from .conftest import publication_of, record_change

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "decided_on,kind,due",
    [
        (dt.date(2026, 9, 18), "penalty", dt.date(2026, 9, 29)),  # Sun 20 Sep works, 25 Sep off
        (dt.date(2026, 2, 12), "penalty", dt.date(2026, 2, 28)),  # 春节; Sat 28 Feb is a workday
        (dt.date(2026, 2, 12), "handling", dt.date(2026, 3, 18)),  # 20 working days
        (dt.date(2026, 9, 24), "penalty", dt.date(2026, 10, 12)),  # 中秋 + 国庆, Sat 10 Oct works
        (dt.date(2026, 9, 30), "penalty", dt.date(2026, 10, 15)),  # 国庆 1–7 Oct
        (dt.date(2026, 9, 30), "licensing", dt.date(2026, 10, 15)),  # 行政许可: also 7
        (
            dt.date(2026, 4, 30),
            "no_penalty",
            dt.date(2026, 6, 1),
        ),  # 劳动节 1–5 May; Sat 9 May works
    ],
)
def test_publication_deadline_across_the_2026_holidays(flow, decided_on, kind, due):
    f = flow().decided()
    Decision.objects.filter(case=f.case).update(decided_on=decided_on, kind=kind)
    handlers.collect_pending()
    pub = publication_of(f)
    assert pub.due_on == due
    assert pub.publish_workdays == (7 if kind in ("penalty", "licensing") else 20)


def test_a_decision_revoked_on_30_september_must_be_withdrawn_by_10_october(flow):
    f = flow().decided()
    Decision.objects.filter(case=f.case).update(decided_on=dt.date(2026, 9, 30))
    handlers.collect_pending()
    pub = publication_of(f)
    services.publication_approve(publication=pub, actor=f.p.zhougongshi)
    record_change(
        decision=Decision.objects.get(case=f.case),
        actor=f.p.zhaomin,
        kind="revoked",
        authority="self",
        authority_name="陵川县人力资源和社会保障局",
        document="撤销决定",
        happened_on=dt.date(2026, 9, 30),
        reason="自行纠正",
    )
    assert Publication.objects.get(pk=pub.pk).withdraw_due == dt.date(2026, 10, 10)


@pytest.mark.parametrize(
    "decided_on,revoked_on,due",
    [
        (dt.date(2026, 9, 18), dt.date(2026, 9, 30), dt.date(2026, 10, 10)),  # 国庆; Sat 10 Oct
        (dt.date(2026, 4, 7), dt.date(2026, 4, 30), dt.date(2026, 5, 8)),  # 劳动节 1–5 May
        (dt.date(2026, 2, 5), dt.date(2026, 2, 13), dt.date(2026, 2, 25)),  # 春节; Sat 14 Feb works
        (dt.date(2026, 4, 7), dt.date(2026, 6, 18), dt.date(2026, 6, 24)),  # 端午 19 June
    ],
)
def test_withdrawal_is_due_three_working_days_after_the_revocation(
    flow, decided_on, revoked_on, due
):
    # 行政处罚法 第四十八条第二款: 三日内撤回; seed 二（一）3: 3个工作日内撤下.
    f = flow().decided()
    Decision.objects.filter(case=f.case).update(decided_on=decided_on)
    handlers.collect_pending()
    pub = publication_of(f)
    services.publication_approve(publication=pub, actor=f.p.zhougongshi)
    record_change(
        decision=Decision.objects.get(case=f.case),
        actor=f.p.zhaomin,
        kind="confirmed_illegal",
        authority="court",
        authority_name="陵川县人民法院",
        document="行政判决书",
        happened_on=revoked_on,
        reason="确认违法",
    )
    assert Publication.objects.get(pk=pub.pk).withdraw_due == due


def test_an_unknown_year_leaves_the_deadline_open_with_the_reason(flow):
    f = flow().decided()
    # DOMAIN.md §9.3: 2026-12-21 + 20 working days needs the 2027 schedule — refused, not guessed.
    Decision.objects.filter(case=f.case).update(decided_on=dt.date(2026, 12, 21), kind="handling")
    handlers.collect_pending()
    pub = publication_of(f)
    assert pub.due_on is None and "2027" in pub.due_reason


def test_services_due_helper_matches_the_domain_examples():
    # DOMAIN.md §9.3 worked examples (the helper goes through workcalendar.selectors).
    assert services._due(dt.date(2026, 9, 30), 3)[0] == dt.date(2026, 10, 10)
    assert services._due(dt.date(2026, 2, 12), 7)[0] == dt.date(2026, 2, 28)
