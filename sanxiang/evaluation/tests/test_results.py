"""Results per handler (主办人) and per unit: count, average, grade distribution and the most
frequent deductions (DOMAIN.md §12 item 75)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from sanxiang.evaluation import selectors, services
from sanxiang.registry.models import Unit

pytestmark = pytest.mark.django_db


def evaluate(p, case, deductions=None, vetoes=None, finalise=True):
    e = services.evaluation_start(actor=p.zhaomin, case=case)
    return services.evaluation_score(
        actor=p.zhaomin,
        evaluation=e,
        deductions=deductions or {},
        vetoes=vetoes or {},
        finalise=finalise,
    )


@pytest.fixture
def evaluated(flow, p, agency):
    """张明 handled two files (98 优秀, vetoed 不合格), 李华 — moved to 行政执法队 — one (85 合格);
    a fourth file is still a draft and does not count."""
    team_unit = Unit.objects.create(agency=agency, name="行政执法队", kind=Unit.Kind.ENFORCEMENT)
    a, b = flow().closed().refresh(), flow().closed().refresh()
    c = flow().registered().assigned(p.lihua, p.zhangming).closed().refresh()
    d = flow().closed().refresh()
    p.lihua.unit = team_unit
    p.lihua.save(update_fields=["unit"])
    evaluate(p, a, {"L5": ("2", "承办人未签名")})
    evaluate(p, b, {"L5": ("1", "签名不全")}, {"V8": "仅一名执法人员"})
    evaluate(
        p,
        c,
        {
            "C2": ("5", "决定书要素缺"),
            "D6": ("5", "指令书无依据"),
            "L5": ("2", "x"),
            "L1": ("3", "当事人信息缺"),
        },
    )
    evaluate(p, d, {"L1": ("1", "地址缺")}, finalise=False)
    return team_unit


def test_results_per_handler_and_unit(evaluated, p):
    results = selectors.evaluation_results()
    assert results.grade_names == ["优秀", "合格", "不合格"]
    assert results.overall.count == 3
    assert results.overall.average == D("94")  # (98 + 99 + 85) / 3
    assert results.overall.grade_counts(results.grade_names) == [1, 1, 1]
    assert results.overall.top_deductions(1) == [("L5 承办人意见明确并签名", 3)]

    handlers = {r.label: r for r in results.by_handler}
    assert set(handlers) == {"张明", "李华"}
    assert (handlers["张明"].count, handlers["张明"].average) == (2, D("98.5"))
    assert handlers["张明"].grade_counts(results.grade_names) == [1, 0, 1]
    assert ("否决项 V8 调查取证的执法人员少于两人", 1) in handlers["张明"].top_deductions()
    assert (handlers["李华"].count, handlers["李华"].average) == (1, D("85"))

    units = {r.label: r for r in results.by_unit}
    assert units["行政执法队"].count == 1
    assert units[str(p.zhangming.unit)].count == 2


def test_results_filter_by_closing_date(evaluated):
    assert selectors.evaluation_results(date_to=dt.date(2026, 1, 31)).overall.count == 0
    assert selectors.evaluation_results(date_from=dt.date(2026, 4, 1)).overall.count == 3


def test_the_results_page_shows_the_tables(evaluated, p, client):
    client.force_login(p.liujuzhang)
    page = client.get(reverse("evaluation:results")).content.decode()
    assert "按主办人" in page and "张明" in page and "行政执法队" in page
    assert "98.5" in page and "L5 承办人意见明确并签名（3次）" in page
    response = client.get(
        reverse("evaluation:results"), {"date_from": "2026-12-31", "date_to": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "起始日期不能晚于截止日期" in response.content.decode()
