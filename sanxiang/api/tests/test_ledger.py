"""/api/v1/ledger: a subject's events for whoever may see the subject (the rule of the page that
shows its timeline), and the audit log for the 审计管理员 only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from sanxiang.cases import selectors as case_selectors
from sanxiang.cases.demo import MARK
from sanxiang.cases.models import Case
from sanxiang.inspections.models import Plan
from sanxiang.ledger.selectors import events_of_subject

from .support import as_user, load_demo, query_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(personas, agency):
    return load_demo(personas, agency, "cases", "inspections")


def closed_case() -> Case:
    return Case.objects.filter(summary__startswith=MARK, state="closed").order_by("pk").first()


def test_a_case_s_events_are_its_timeline_paged_in_ledger_order(demo):
    case = closed_case()
    expected = [e.seq for e in case_selectors.timeline(case)]
    assert len(expected) > 5
    client = as_user(demo.zhaomin)
    seen, url = [], f"/api/v1/ledger/subjects/case/{case.pk}/events?limit=4"
    while url:
        page = client.get(url).json()
        assert page["count"] == len(expected)
        seen += [e["seq"] for e in page["items"]]
        url = page["next"]
    assert seen == expected
    first = client.get(f"/api/v1/ledger/subjects/case/{case.pk}/events").json()["items"][0]
    assert first["label"] and first["type"].startswith("case.")
    assert first["actor"]["name"]


def test_inspection_plan_events(demo):
    plan = Plan.objects.get(code="2026-01")
    body = as_user(demo.wangqiang).get(f"/api/v1/ledger/subjects/plan/{plan.pk}/events").json()
    assert [e["seq"] for e in body["items"]] == [e.seq for e in events_of_subject(plan)][:20]
    assert "inspection.draw_executed" in {e["type"] for e in body["items"]}


def test_who_may_not_see_the_subject_gets_403(demo):
    case = closed_case()
    plan = Plan.objects.get(code="2026-01")
    nobody = as_user(demo.wuquanxian)
    refused = nobody.get(f"/api/v1/ledger/subjects/case/{case.pk}/events")
    assert refused.status_code == 403 and refused.json()["message"] == "您没有查看案件的权限"
    refused = nobody.get(f"/api/v1/ledger/subjects/plan/{plan.pk}/events")
    assert refused.status_code == 403 and refused.json()["message"] == "您没有查看抽查计划的权限"
    # 法律顾问 may read cases but has no inspection role.
    adviser = as_user(demo.chenlvshi)
    assert adviser.get(f"/api/v1/ledger/subjects/case/{case.pk}/events").status_code == 200
    assert adviser.get(f"/api/v1/ledger/subjects/plan/{plan.pk}/events").status_code == 403


def test_the_audit_log_is_for_the_audit_administrator_only(demo):
    # A failed token check is a security event in the audit log.
    bad = Client(HTTP_AUTHORIZATION="Bearer sx_notarealtoken00000000000000000000000")
    assert bad.get("/api/v1/me").status_code == 401
    auditor = as_user(demo.shenji)
    today = timezone.localdate().isoformat()
    body = auditor.get(
        "/api/v1/ledger/audit",
        {"type": "security.api_auth_failed", "start": today, "end": today, "result": "failure"},
    ).json()
    assert body["count"] >= 1
    assert body["items"][0]["type"] == "security.api_auth_failed"
    assert body["items"][0]["result"] == "failure"
    for user in (demo.zhangming, demo.anquan, demo.liujuzhang):
        refused = as_user(user).get("/api/v1/ledger/audit")
        assert refused.status_code == 403
        assert refused.json()["message"] == "只有审计管理员可以查阅审计日志"


def test_unknown_subjects_404_and_bad_parameters_422(demo):
    client = as_user(demo.zhangming)
    assert client.get("/api/v1/ledger/subjects/case/999999/events").status_code == 404
    assert client.get("/api/v1/ledger/subjects/task/999999/events").status_code == 404
    assert client.get("/api/v1/ledger/subjects/user/1/events").status_code == 422
    assert client.get("/api/v1/ledger/subjects/case/abc/events").status_code == 422
    auditor = as_user(demo.shenji)
    reversed_dates = auditor.get(
        "/api/v1/ledger/audit", {"start": "2026-03-02", "end": "2026-03-01"}
    )
    assert reversed_dates.status_code == 422
    assert "起始日期不能晚于截止日期" in reversed_dates.json()["message"]
    for params in ({"start": "yesterday"}, {"result": "maybe"}, {"ip": "10.0.0.x"}):
        response = auditor.get("/api/v1/ledger/audit", params)
        assert response.status_code == 422, params


def test_a_subject_s_events_cost_the_same_queries_for_2_or_100_rows(demo):
    case = closed_case()
    client = as_user(demo.zhaomin)
    path = f"/api/v1/ledger/subjects/case/{case.pk}/events"
    client.get(path)
    assert query_count(client, path, {"limit": 2}) == query_count(client, path, {"limit": 100})
