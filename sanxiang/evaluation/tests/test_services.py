"""Services of 案卷评查: who may evaluate, scoring rules, sampling, ledger events."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Group

from sanxiang.accounts import roles
from sanxiang.accounts.models import User
from sanxiang.cases import services as case_services
from sanxiang.evaluation import rules, services
from sanxiang.evaluation.models import Evaluation, Sample, Score, Status, VetoMark
from sanxiang.ledger.models import Event
from sanxiang.lib import draw
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def also_reviewer(user) -> User:
    user.groups.add(Group.objects.get(name=roles.REVIEWER))
    return User.objects.get(pk=user.pk)  # fresh permission cache


# --- who may evaluate ---------------------------------------------------------------------------


def test_the_reviewer_starts_an_evaluation_of_a_closed_case(closed_case, p):
    before = Event.objects.count()
    e = services.evaluation_start(actor=p.zhaomin, case=closed_case)
    assert e.status == Status.DRAFT
    assert e.standard.full_points == 100
    assert e.handler == p.zhangming  # the 主办人
    assert e.unit == p.zhangming.unit
    assert Event.objects.filter(seq__gte=before, type="evaluation.started").count() == 1


def test_the_bureau_head_may_evaluate_but_an_officer_may_not(closed_case, p):
    services.evaluation_start(actor=p.liujuzhang, case=closed_case)
    with pytest.raises(NotPermitted, match="没有评查案卷的权限"):
        services.evaluation_start(actor=p.zhaoliu, case=closed_case)


def test_an_evaluator_who_was_on_the_case_team_is_refused(closed_case, p):
    zhangming = also_reviewer(p.zhangming)
    with pytest.raises(Blocked) as exc:
        services.evaluation_start(actor=zhangming, case=closed_case)
    assert "您是本案的办案人员（主办）" in str(exc.value)
    assert not Evaluation.objects.exists()


def test_an_officer_released_from_the_team_is_still_refused(flow, p):
    f = flow().filed()
    case_services.case_assign(
        actor=p.wangqiang, case=f.case, user=p.zhaoliu, role="assist", on=dt.date(2026, 3, 3)
    )
    case_services.case_release(
        actor=p.wangqiang,
        case=f.case,
        user=p.zhaoliu,
        reason="工作调整",
        on=dt.date(2026, 3, 4),
    )
    f.recorded().ordered().proposed().closed()
    zhaoliu = also_reviewer(p.zhaoliu)
    with pytest.raises(Blocked, match="办案人员"):
        services.evaluation_start(actor=zhaoliu, case=f.refresh())


def test_an_open_case_cannot_be_evaluated(flow, p):
    case = flow().filed().refresh()
    with pytest.raises(Blocked, match="只能评查已结案的案件"):
        services.evaluation_start(actor=p.zhaomin, case=case)


def test_a_file_is_evaluated_once_under_a_standard(closed_case, p):
    services.evaluation_start(actor=p.zhaomin, case=closed_case)
    with pytest.raises(Blocked, match="已由赵敏按本标准评查"):
        services.evaluation_start(actor=p.liujuzhang, case=closed_case)


# --- scoring ------------------------------------------------------------------------------------


@pytest.fixture
def started(closed_case, p):
    return services.evaluation_start(actor=p.zhaomin, case=closed_case)


def test_deductions_and_total_and_grade(started, p):
    before = Event.objects.count()
    e = services.evaluation_score(
        actor=p.zhaomin,
        evaluation=started,
        deductions={
            "L5": ("2", "承办人未签名"),
            "T2": ("1.5", "决定书送达超期一日"),
            "D3": ("", ""),
        },
        vetoes={},
        summary="基本规范",
        finalise=True,
    )
    assert e.total == D("96.5") and e.grade == "优秀" and not e.vetoed
    assert e.status == Status.FINAL and e.finalised_at is not None
    assert sorted(Score.objects.values_list("item__code", flat=True)) == ["L5", "T2"]
    event = Event.objects.get(seq__gte=before, type="evaluation.finalised")
    assert '"grade":"优秀"' in event.payload


def test_a_veto_item_makes_the_file_fail_whatever_the_points(started, p):
    e = services.evaluation_score(
        actor=p.zhaomin,
        evaluation=started,
        deductions={},
        vetoes={"V8": "询问笔录仅一名执法人员签名"},
        finalise=True,
    )
    assert e.total == 100 and e.vetoed and e.grade == "不合格"
    assert VetoMark.objects.get().veto.code == "V8"


def test_the_grade_cut_offs_come_from_settings(started, p, settings):
    settings.EVALUATION_GRADES = [("优秀", 95), ("良好", 85), ("合格", 70)]
    e = services.evaluation_score(
        actor=p.zhaomin,
        evaluation=started,
        deductions={"C2": ("5", "决定书缺少救济途径"), "D6": ("5", "限期改正指令书无依据")},
        vetoes={},
        finalise=True,
    )
    assert (e.total, e.grade) == (D("90"), "良好")


def test_every_deduction_needs_a_reason_and_nothing_is_written_otherwise(started, p):
    events = Event.objects.count()
    with pytest.raises(Blocked) as exc:
        services.evaluation_score(
            actor=p.zhaomin,
            evaluation=started,
            deductions={"L5": ("2", ""), "L1": ("9", "缺少地址"), "L2": ("一分", "x")},
            vetoes={"V1": " "},
            finalise=True,
        )
    reasons = exc.value.reasons
    assert any("须写明扣分理由" in r for r in reasons)
    assert any("最多扣 3 分" in r for r in reasons)
    assert any("应为数字" in r for r in reasons)
    assert any("须写明认定理由" in r for r in reasons)
    started.refresh_from_db()
    assert started.status == Status.DRAFT and started.total is None
    assert not Score.objects.exists() and not VetoMark.objects.exists()
    assert Event.objects.count() == events


def test_a_draft_can_be_saved_and_changed_then_finalised_is_read_only(started, p):
    services.evaluation_score(
        actor=p.zhaomin, evaluation=started, deductions={"L5": ("2", "未签名")}, vetoes={}
    )
    started.refresh_from_db()
    assert started.total == 98 and started.grade == "" and started.status == Status.DRAFT
    services.evaluation_score(
        actor=p.zhaomin,
        evaluation=started,
        deductions={"L6": ("1", "审批日期缺")},
        vetoes={},
        finalise=True,
    )
    assert list(Score.objects.values_list("item__code", flat=True)) == ["L6"]
    with pytest.raises(DomainError, match="评查已完成"):
        services.evaluation_score(actor=p.zhaomin, evaluation=started, deductions={}, vetoes={})


def test_only_the_evaluator_scores_the_file(started, p):
    with pytest.raises(NotPermitted, match="由赵敏评查"):
        services.evaluation_score(actor=p.liujuzhang, evaluation=started, deductions={}, vetoes={})


# --- sampling -----------------------------------------------------------------------------------


@pytest.fixture
def three_closed(flow):
    return [flow().closed().refresh() for _ in range(3)]


def test_sampling_draws_closed_cases_and_is_reproducible_from_the_seed(three_closed, p, agency):
    open_case = three_closed[0].__class__.objects.exclude(state="closed").count()
    sample = services.sample_draw(
        actor=p.zhaomin,
        agency=agency,
        period_from=YEAR[0],
        period_to=YEAR[1],
        count=2,
        seed_text="双色球2026045期 05 12 19 23 27 31 + 08",
    )
    assert sample.pool_size == 3 and len(sample.drawn) == 2
    assert sample.seed == draw.seed_from_text("双色球2026045期 05 12 19 23 27 31 + 08")
    assert {c.number for c in sample.cases.all()} == set(sample.drawn)
    assert services.sample_verify(sample) == []
    # anyone re-runs it from the pool file and the seed
    pool = draw.pool_parse("targets", sample.pool.encode())
    assert pool.sha256 == sample.pool_sha256
    assert rules.sample_draw(pool, seed=sample.seed, count=2) == sample.drawn
    assert sorted(pool.ids) == sorted(c.number for c in three_closed)
    event = Event.objects.get(type="evaluation.sample_drawn")
    assert sample.seed in event.payload and sample.pool_sha256 in event.payload
    assert open_case == 0


def test_a_tampered_sample_no_longer_verifies(three_closed, p, agency):
    sample = services.sample_draw(
        actor=p.zhaomin, agency=agency, period_from=YEAR[0], period_to=YEAR[1], count=1
    )
    ids = draw.pool_parse("targets", sample.pool.encode()).ids
    sample.drawn = [n for n in ids if n not in sample.drawn][:1]
    assert services.sample_verify(sample) == ["按记录的种子重新抽取，结果与记录不符"]


def test_sampling_only_takes_closed_cases_of_the_period(three_closed, flow, p, agency):
    flow().filed()  # open: never in the pool
    with pytest.raises(DomainError, match="没有已结案的案件"):
        services.sample_draw(
            actor=p.zhaomin,
            agency=agency,
            period_from=dt.date(2025, 1, 1),
            period_to=dt.date(2025, 12, 31),
            count=1,
        )
    with pytest.raises(DomainError, match="超过可抽取的已结案案件数 3 件"):
        services.sample_draw(
            actor=p.zhaomin, agency=agency, period_from=YEAR[0], period_to=YEAR[1], count=4
        )
    assert not Sample.objects.exists()


def test_sampling_needs_the_permission_and_a_valid_period(three_closed, p, agency):
    with pytest.raises(NotPermitted):
        services.sample_draw(
            actor=p.zhangming, agency=agency, period_from=YEAR[0], period_to=YEAR[1], count=1
        )
    with pytest.raises(Blocked, match="截止日期不能早于起始日期"):
        services.sample_draw(
            actor=p.zhaomin, agency=agency, period_from=YEAR[1], period_to=YEAR[0], count=1
        )


def test_a_drawn_case_is_evaluated_within_its_sample(three_closed, p, agency):
    sample = services.sample_draw(
        actor=p.zhaomin, agency=agency, period_from=YEAR[0], period_to=YEAR[1], count=1
    )
    drawn = sample.cases.get()
    other = next(c for c in three_closed if c.pk != drawn.pk)
    e = services.evaluation_start(actor=p.zhaomin, case=drawn, sample=sample)
    assert e.sample == sample
    with pytest.raises(Blocked, match="不在所选抽查的抽中名单中"):
        services.evaluation_start(actor=p.zhaomin, case=other, sample=sample)


def test_a_bad_grade_table_stops_with_a_configuration_error_and_writes_nothing(
    started, p, settings
):
    from django.core.exceptions import ImproperlyConfigured

    settings.EVALUATION_GRADES = [("合格", 60), ("优秀", 90)]
    with pytest.raises(ImproperlyConfigured, match="EVALUATION_GRADES"):
        services.evaluation_score(
            actor=p.zhaomin,
            evaluation=started,
            deductions={"L5": ("1", "x")},
            vetoes={},
            finalise=True,
        )
    started.refresh_from_db()
    assert started.status == Status.DRAFT and not Score.objects.exists()
