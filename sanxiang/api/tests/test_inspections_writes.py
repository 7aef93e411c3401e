"""/api/v1/inspections writes: a plan from draft to drawn through the API alone — created,
edited, published with its seed rule, pools frozen, seed fixed, drawn — a late conflict
redraws, and the target pool imported all or nothing, with the page's services and refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sanxiang.catalog.models import ItemVersion
from sanxiang.inspections.models import Plan, Target, Task
from sanxiang.inspections.tests.conftest import advance_ledger_to, csv_bytes, employer_rows
from sanxiang.ledger.selectors import tree_size
from sanxiang.ledger.services import checkpoint_issue

from .support import as_user, load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(personas, agency):
    return load_demo(personas, agency, "inspections")


def post(client, path, body=None):
    return client.post(f"/api/v1/inspections{path}", body or {}, content_type="application/json")


def plan_body(**overrides) -> dict:
    today = timezone.localdate()
    items = ItemVersion.objects.filter(random_inspection=True).order_by("pk")
    body = {
        "code": "2026-09",
        "title": "2026年第二批双随机抽查计划",
        "period_start": today.isoformat(),
        "period_end": (today + dt.timedelta(days=60)).isoformat(),
        "items": [v.pk for v in items[:2]],
        "scope": "检查劳动合同签订和工资支付情况。",
        "ratio": "5.00",
        "inspectors_per_target": 2,
        "exclude_drawn_this_year": False,
        "seed_source": "ledger_checkpoint",
        "seed_tree_size": tree_size() + 20,
        "weight_wage_arrears": 5,
    }
    body.update(overrides)
    return body


def test_a_plan_goes_from_draft_to_drawn_through_the_api(demo):
    head = as_user(demo.wangqiang)
    # A wrong shape is refused before anything runs; an unknown field too.
    bad = post(head, "/plans", {**plan_body(), "period_start": 20260301, "surprise": 1})
    assert bad.status_code == 422
    assert set(bad.json()["fields"]) == {"period_start", "surprise"}
    # The service's rules: below 5% needs a reason (a field error).
    low = post(head, "/plans", plan_body(ratio="3.00"))
    assert low.status_code == 422 and "ratio" in low.json()["fields"], low.json()

    created = post(head, "/plans", plan_body())
    assert created.status_code == 201, created.json()
    plan_id = created.json()["id"]
    assert created.json()["state"] == "draft"
    assert created.json()["weights"] == {"wage_arrears": 5}

    edited = head.put(
        f"/api/v1/inspections/plans/{plan_id}",
        plan_body(title="2026年第二批抽查计划（修订）"),
        content_type="application/json",
    )
    assert edited.status_code == 200, edited.json()
    assert edited.json()["title"] == "2026年第二批抽查计划（修订）"

    # Nothing can be frozen before publication: 409 with the service's reason.
    early = post(head, f"/plans/{plan_id}/freeze")
    assert early.status_code == 409
    assert early.json()["reasons"] == ["计划当前为“草稿”，不能冻结名录库"]

    published = post(head, f"/plans/{plan_id}/publish")
    assert published.status_code == 200, published.json()
    assert published.json()["state"] == "published"
    again = head.put(
        f"/api/v1/inspections/plans/{plan_id}", plan_body(), content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["message"] == "计划公布后不能修改。"

    frozen = post(head, f"/plans/{plan_id}/freeze")
    assert frozen.status_code == 200, frozen.json()
    assert frozen.json()["targets"]["count"] == 200 and frozen.json()["seed"] is None

    # The seed checkpoint does not exist yet: 409, nothing drawn.
    waiting = post(head, f"/plans/{plan_id}/draw")
    assert waiting.status_code == 409
    assert waiting.json()["code"] == "seed_not_ready"
    assert "约定的检查点尚未签发" in waiting.json()["reasons"][0]
    assert Plan.objects.get(pk=plan_id).state == "frozen"

    advance_ledger_to(Plan.objects.get(pk=plan_id).seed_tree_size)
    checkpoint_issue()
    seeded = post(head, f"/plans/{plan_id}/seed")
    assert seeded.status_code == 200, seeded.json()
    assert seeded.json()["seed"]["source"] == "ledger_checkpoint"
    drawn = post(head, f"/plans/{plan_id}/draw")
    assert drawn.status_code == 200, drawn.json()
    assert drawn.json()["result"] and drawn.json()["result_sha256"]
    assert Task.objects.filter(plan_id=plan_id).count() == drawn.json()["target_count"] == 10
    twice = post(head, f"/plans/{plan_id}/draw")
    assert twice.status_code == 409 and "已抽取" in twice.json()["message"]

    # A conflict declared after the draw by the drawn officer himself: his seat is redrawn.
    task = Task.objects.filter(plan_id=plan_id).order_by("number").first()
    seat = task.inspectors.filter(active=True).select_related("officer__user").first()
    officer = seat.officer
    declared = post(
        as_user(officer.user),
        "/conflicts",
        {"officer": officer.pk, "uscc": task.target.uscc, "reason": "近亲属在该单位任职"},
    )
    assert declared.status_code == 201, declared.json()
    assert declared.json()["redrawn_tasks"] == [task.pk]
    seat.refresh_from_db()
    assert seat.active is False
    assert task.inspectors.filter(active=True).count() == 2
    redraws = post(head, f"/plans/{plan_id}/draw").json()
    assert redraws["code"] == "wrong_state"
    assert head.get(f"/api/v1/inspections/plans/{plan_id}/draw").json()["redraws"]
    # Declared twice: the service's field error.
    dup = post(
        as_user(officer.user),
        "/conflicts",
        {"officer": officer.pk, "uscc": task.target.uscc, "reason": "近亲属在该单位任职"},
    )
    assert dup.status_code == 422 and "已申报" in dup.json()["message"]


def test_only_the_head_who_runs_plans_writes_them_and_officers_declare_only_their_own(demo):
    officer = as_user(demo.zhangming)
    assert post(officer, "/plans", plan_body()).status_code == 403
    plan = Plan.objects.get(code="2026-01")
    for step in ("publish", "freeze", "seed", "draw"):
        refused = post(officer, f"/plans/{plan.pk}/{step}")
        assert refused.status_code == 403, step
        assert refused.json()["message"] == "您没有办理抽查计划的权限"
    from sanxiang.registry.models import Officer

    other = Officer.objects.get(user=demo.lihua)
    target = Target.objects.order_by("pk").first()
    body = {"officer": other.pk, "uscc": target.uscc, "reason": "亲属"}
    # Someone else's officer is not among the choices offered to 张明.
    assert post(officer, "/conflicts", body).status_code == 422
    assert post(as_user(demo.wuquanxian), "/conflicts", body).status_code == 403
    bad = post(as_user(demo.wangqiang), "/conflicts", {**body, "uscc": "91140524MA0000000X"})
    assert bad.status_code == 422 and set(bad.json()["fields"]) == {"uscc"}


def _upload(client, content: bytes, name: str = "名录.csv", **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"file": SimpleUploadedFile(name, content, content_type="text/csv"), **extra}
    return client.post("/api/v1/inspections/target-imports", data)


def test_the_target_import_is_all_or_nothing_with_every_bad_row_named(demo):
    head = as_user(demo.wangqiang)
    rows = employer_rows(5, seed=77)
    rows[2]["统一社会信用代码"] = "91140524MA0000000X"  # a wrong checksum
    rows[4]["单位名称"] = ""
    before = Target.objects.count()
    rejected = _upload(head, csv_bytes(rows))
    assert rejected.status_code == 422, rejected.json()
    body = rejected.json()
    assert body["code"] == "import_rejected"
    assert set(body["fields"]) == {"file", "第4行", "第6行"}, body["fields"]
    assert all(body["fields"][k] for k in ("第4行", "第6行"))
    assert Target.objects.count() == before

    good = employer_rows(5, seed=78)
    checked = _upload(head, csv_bytes(good), dry_run="true")
    assert checked.status_code == 200, checked.json()
    assert checked.json()["dry_run"] is True and checked.json()["created"] == 5
    assert Target.objects.count() == before
    imported = _upload(head, csv_bytes(good))
    assert imported.status_code == 201, imported.json()
    assert imported.json()["batch_id"] and imported.json()["created"] == 5
    assert [r["status"] for r in imported.json()["report"]] == ["新增"] * 5
    assert Target.objects.count() == before + 5

    assert _upload(as_user(demo.zhangming), csv_bytes(good)).status_code == 403
    assert _upload(head, b"", name="empty.csv").status_code == 422
