"""Pure registry rules, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from sanxiang.registry import rules
from sanxiang.registry.rules import (
    CertificateFacts,
    DesignationFacts,
    QualificationFacts,
    ReviewerRatio,
    Suspension,
)

D = dt.date


@pytest.fixture(autouse=True)
def _fast_settings():
    """No Django needed here (shadows the root autouse fixture)."""


def cert(**kw) -> CertificateFacts:
    base = dict(
        kind="行政执法证", number="晋1", valid_from=D(2024, 3, 1), valid_until=D(2029, 2, 28)
    )
    return CertificateFacts(**(base | kw))


def test_certificate_is_valid_from_its_first_to_its_last_day_inclusive():
    c = cert()
    assert rules.certificate_problems(c, D(2024, 3, 1)) == []
    assert rules.certificate_problems(c, D(2029, 2, 28)) == []
    assert "尚未生效" in rules.certificate_problems(c, D(2024, 2, 29))[0]
    assert "已过期" in rules.certificate_problems(c, D(2029, 3, 1))[0]


def test_ended_certificate_is_invalid_from_the_end_date_but_valid_before():
    c = cert(ended="已吊销", ended_on=D(2026, 5, 10))
    assert rules.certificate_problems(c, D(2026, 5, 9)) == []
    assert rules.certificate_problems(c, D(2026, 5, 10)) == [
        "行政执法证（晋1）已于2026年5月10日吊销"
    ]


def test_suspended_certificate_is_invalid_during_the_suspension_only():
    c = cert(suspensions=(Suspension(D(2026, 1, 5), D(2026, 2, 1)), Suspension(D(2026, 6, 1))))
    assert rules.certificate_problems(c, D(2026, 1, 4)) == []
    assert "暂扣" in rules.certificate_problems(c, D(2026, 1, 5))[0]
    assert "暂扣" in rules.certificate_problems(c, D(2026, 1, 31))[0]
    assert rules.certificate_problems(c, D(2026, 2, 1)) == []
    assert "暂扣" in rules.certificate_problems(c, D(2027, 1, 1))[0]  # still open


@pytest.mark.parametrize(
    ("facts", "today", "state"),
    [
        (cert(), D(2026, 1, 1), "valid"),
        (cert(), D(2029, 1, 15), "expiring"),
        (cert(), D(2029, 3, 1), "expired"),
        (cert(), D(2024, 1, 1), "pending"),
        (cert(suspensions=(Suspension(D(2025, 1, 1)),)), D(2026, 1, 1), "suspended"),
        (cert(ended="已换发", ended_on=D(2025, 1, 1)), D(2026, 1, 1), "ended"),
    ],
)
def test_certificate_state_for_badges(facts, today, state):
    assert rules.certificate_state(facts, today)[0] == state


def test_expiring_label_counts_the_last_day():
    assert rules.certificate_state(cert(), D(2029, 2, 28))[1] == "即将到期（剩1天）"


def test_holder_without_certificate_may_not_enforce():
    assert rules.holder_problems([], D(2026, 1, 1)) == ["未登记执法证件"]


def test_holder_needs_only_one_valid_certificate_of_any_kind():
    expired = cert(number="晋0", valid_from=D(2019, 1, 1), valid_until=D(2023, 12, 31))
    inspection = cert(kind="劳动保障监察证", number="LD1")
    assert rules.holder_problems([expired, inspection], D(2026, 1, 1)) == []


def test_holder_problems_report_the_latest_certificate():
    old = cert(number="晋0", valid_from=D(2015, 1, 1), valid_until=D(2019, 12, 31))
    new = cert(number="晋9", valid_from=D(2020, 1, 1), valid_until=D(2024, 12, 31))
    assert rules.holder_problems([new, old], D(2026, 1, 1)) == [
        "行政执法证（晋9）有效期至2024年12月31日，已过期"
    ]


def test_valid_certificate_picks_the_latest_valid_one():
    a = cert(number="A", valid_from=D(2024, 1, 1))
    b = cert(kind="劳动保障监察证", number="B", valid_from=D(2025, 1, 1))
    assert rules.valid_certificate([a, b], D(2026, 1, 1)) == b
    assert rules.valid_certificate([a, b], D(2024, 6, 1)) == a
    assert rules.valid_certificate([a, b], D(2030, 1, 1)) is None


def test_investigation_needs_two_officers_with_valid_certificates():
    # 行政处罚法 第四十二条
    assert rules.team_problems([("张明", []), ("李华", [])]) == []
    reasons = rules.team_problems(
        [("张明", []), ("李华", ["行政执法证（晋1）有效期至2024年1月1日，已过期"])]
    )
    assert "两名以上" in reasons[0] and "只有1人" in reasons[0]
    assert reasons[1].startswith("李华：")
    assert "两名以上" in rules.team_problems([("张明", [])])[0]


def test_three_members_with_one_uncertified_still_meet_the_minimum_but_name_him():
    reasons = rules.team_problems([("张明", []), ("李华", []), ("王强", ["未登记执法证件"])])
    assert reasons == ["王强：未登记执法证件"]


# --- review staff -------------------------------------------------------------------------

STAFF = DesignationFacts(kind="staff", designated_on=D(2022, 1, 1))
QUAL = QualificationFacts(granted_on=D(2019, 12, 30))


def test_reviewer_must_be_designated_on_the_day():
    assert (
        "未被指定"
        in rules.reviewer_problems(designations=[], qualifications=[QUAL], on=D(2026, 1, 1))[0]
    )
    ended = DesignationFacts(kind="staff", designated_on=D(2022, 1, 1), ended_on=D(2025, 1, 1))
    assert (
        rules.reviewer_problems(designations=[ended], qualifications=[QUAL], on=D(2024, 12, 31))
        == []
    )
    assert rules.reviewer_problems(designations=[ended], qualifications=[QUAL], on=D(2025, 1, 1))


def test_first_time_penalty_reviewer_needs_a_legal_qualification():
    # 行政处罚法 第五十八条第二款
    reasons = rules.reviewer_problems(designations=[STAFF], qualifications=[], on=D(2026, 1, 1))
    assert reasons and "第五十八条" in reasons[0]
    assert (
        rules.reviewer_problems(designations=[STAFF], qualifications=[QUAL], on=D(2026, 1, 1)) == []
    )


def test_qualification_is_not_needed_for_non_penalty_reviews_by_staff():
    assert (
        rules.reviewer_problems(
            designations=[STAFF], qualifications=[], on=D(2026, 1, 1), penalty=False
        )
        == []
    )


def test_staff_who_reviewed_penalties_before_2021_are_not_first_time_reviewers():
    prior = DesignationFacts(kind="staff", designated_on=D(2018, 1, 1), prior_penalty_review=True)
    assert rules.reviewer_problems(designations=[prior], qualifications=[], on=D(2026, 1, 1)) == []


def test_withdrawn_or_later_qualification_does_not_count():
    withdrawn = QualificationFacts(granted_on=D(2019, 1, 1), withdrawn_on=D(2025, 6, 1))
    later = QualificationFacts(granted_on=D(2026, 3, 1))
    assert rules.reviewer_problems(
        designations=[STAFF], qualifications=[withdrawn, later], on=D(2026, 1, 1)
    )
    assert (
        rules.reviewer_problems(
            designations=[STAFF], qualifications=[withdrawn, later], on=D(2026, 3, 1)
        )
        == []
    )


def test_legal_adviser_must_have_a_qualification_on_record_for_any_review():
    adviser = DesignationFacts(kind="legal_adviser", designated_on=D(2020, 1, 1))
    assert rules.reviewer_problems(
        designations=[adviser], qualifications=[], on=D(2026, 1, 1), penalty=False
    )
    assert (
        rules.reviewer_problems(designations=[adviser], qualifications=[QUAL], on=D(2026, 1, 1))
        == []
    )


@pytest.mark.parametrize(
    ("reviewers", "officers", "meets", "needed"),
    [(1, 20, True, 1), (1, 21, False, 2), (0, 0, True, 0), (2, 40, True, 2), (0, 1, False, 1)],
)
def test_reviewers_should_be_at_least_five_percent_of_officers(reviewers, officers, meets, needed):
    ratio = ReviewerRatio(reviewers=reviewers, officers=officers)
    assert ratio.meets_target is meets
    assert ratio.needed == needed


def test_training_duty_is_met_by_a_three_systems_training_or_exchange_only():
    assert rules.training_duty_met(["law", "three_systems"])
    assert rules.training_duty_met(["exchange"])
    assert not rules.training_duty_met(["law", "business", "other"])
    assert not rules.training_duty_met([])
