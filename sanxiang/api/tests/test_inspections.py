"""/api/v1/inspections: the demo's 2026 plan, drawn — its pools and seed are enough to re-run
the draw outside the system; results are recorded by the drawn officers and published by the
publicity administrator, as on the pages."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.utils import timezone

from sanxiang.inspections.models import Plan, Task
from sanxiang.lib.canonical import canonical_json

from .support import as_user, load_demo, query_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(personas, agency):
    return load_demo(personas, agency, "inspections")


def the_plan() -> Plan:
    return Plan.objects.get(code="2026-01")


def test_plans_and_the_draw_with_its_verification_data(demo):
    client = as_user(demo.liujuzhang)
    plans = client.get("/api/v1/inspections/plans").json()
    plan = the_plan()
    assert [p["id"] for p in plans["items"]] == [plan.pk]
    assert plans["items"][0]["state"] == "drawn" and plans["items"][0]["task_total"] > 0

    detail = client.get(f"/api/v1/inspections/plans/{plan.pk}").json()
    assert detail["seed"]["source"] == "ledger_checkpoint" and detail["seed"]["ready"] is True
    assert detail["items"] and detail["has_draw"] is True

    draw = client.get(f"/api/v1/inspections/plans/{plan.pk}/draw").json()
    assert draw["files"] == [
        "draw-input.json",
        "targets.jsonl",
        "inspectors.jsonl",
        "draw-result.json",
    ]
    # The published files are what the hashes were computed over: anyone can check them.
    pool = client.get(f"/api/v1/inspections/plans/{plan.pk}/draw/files/targets.jsonl")
    assert pool.status_code == 200
    assert hashlib.sha256(pool.content).hexdigest() == draw["targets"]["sha256"]
    result = client.get(f"/api/v1/inspections/plans/{plan.pk}/draw/files/draw-result.json")
    assert hashlib.sha256(result.content).hexdigest() == draw["result_sha256"]
    assert json.loads(result.content) == draw["result"]
    assert canonical_json(draw["result"]) == result.content
    assert draw["input"]["pools"]["targets"]["sha256"] == draw["targets"]["sha256"]
    assert draw["seed"] is not None


def test_target_pool_pages_and_filters(demo):
    client = as_user(demo.wangqiang)
    first = client.get("/api/v1/inspections/targets", {"limit": 50}).json()
    assert first["count"] == 200 and len(first["items"]) == 50
    last = client.get("/api/v1/inspections/targets", {"limit": 50, "offset": 150}).json()
    assert last["next"] is None and len(last["items"]) == 50
    tagged = client.get("/api/v1/inspections/targets", {"tag": "wage_arrears", "limit": 100}).json()
    assert tagged["items"] and all("wage_arrears" in t["risk_tags"] for t in tagged["items"])
    one = first["items"][0]
    assert client.get(f"/api/v1/inspections/targets/{one['id']}").json()["uscc"] == one["uscc"]


def test_a_drawn_officer_records_the_result_and_the_publicity_admin_publishes_it(demo):
    task = (
        Task.objects.filter(plan=the_plan(), result="", inspectors__active=True)
        .order_by("number")
        .first()
    )
    officer = task.inspectors.filter(active=True).first().officer.user
    client = as_user(officer)
    body = {
        "inspected_on": timezone.localdate().isoformat(),
        "result": "none_found",
        "findings": "现场查阅劳动合同和工资发放记录，未发现违法行为。",
    }
    # A wrong shape changes nothing: a date as a number, an unknown field.
    bad = client.post(
        f"/api/v1/inspections/tasks/{task.pk}/result",
        {**body, "inspected_on": 20260301, "extra": 1},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert set(bad.json()["fields"]) == {"inspected_on", "extra"}
    done = client.post(
        f"/api/v1/inspections/tasks/{task.pk}/result", body, content_type="application/json"
    )
    assert done.status_code == 201, done.json()
    assert done.json()["result"] == "none_found"
    assert done.json()["publication"]["status"] in ("on_track", "due_soon", "unknown")
    again = client.post(
        f"/api/v1/inspections/tasks/{task.pk}/result", body, content_type="application/json"
    )
    assert again.status_code == 409
    assert again.json()["message"] == "该任务的检查结果已登记"

    # Only the publicity administrator publishes.
    refused = client.post(f"/api/v1/inspections/tasks/{task.pk}/publish")
    assert refused.status_code == 403 and refused.json()["message"] == "您没有公开检查结果的权限"
    published = as_user(demo.zhougongshi).post(f"/api/v1/inspections/tasks/{task.pk}/publish")
    assert published.status_code == 200 and published.json()["published_at"]

    mine = client.get("/api/v1/inspections/tasks", {"mine": "true", "state": "published"}).json()
    assert task.pk in [t["id"] for t in mine["items"]]


def test_without_the_inspection_permissions_403(demo):
    client = as_user(demo.wuquanxian)
    plan = the_plan()
    for path in (
        "/api/v1/inspections/plans",
        f"/api/v1/inspections/plans/{plan.pk}/draw",
        "/api/v1/inspections/targets",
        "/api/v1/inspections/tasks",
    ):
        response = client.get(path)
        assert response.status_code == 403, path
        assert response.json()["code"] == "forbidden" and "权限" in response.json()["message"]
    # 法律顾问 has no inspection role at all.
    assert as_user(demo.chenlvshi).get("/api/v1/inspections/plans").status_code == 403


def test_unknown_objects_404_and_bad_parameters_422(demo):
    client = as_user(demo.wangqiang)
    plan = the_plan()
    for path in (
        "/api/v1/inspections/plans/999999",
        "/api/v1/inspections/plans/999999/draw",
        "/api/v1/inspections/targets/999999",
        "/api/v1/inspections/tasks/999999",
    ):
        assert client.get(path).status_code == 404, path
    assert (
        client.get(f"/api/v1/inspections/plans/{plan.pk}/draw/files/secrets.txt").status_code == 422
    )
    assert client.get("/api/v1/inspections/tasks", {"state": "done"}).status_code == 422
    assert client.get("/api/v1/inspections/targets", {"tag": "rich"}).status_code == 422


def test_lists_cost_the_same_queries_for_2_or_100_rows(demo):
    client = as_user(demo.wangqiang)
    client.get("/api/v1/inspections/targets")
    for path in ("/api/v1/inspections/targets", "/api/v1/inspections/tasks"):
        few = query_count(client, path, {"limit": 2})
        assert few == query_count(client, path, {"limit": 100}), path
