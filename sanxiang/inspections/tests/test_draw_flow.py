"""The verifiable draw through the services: order of steps, seed rules, pools, recusal,
inspectors, and the same result from tools/sanxiang-verify run as a subprocess."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from sanxiang.ledger.models import Event
from sanxiang.ledger.selectors import tree_size
from sanxiang.ledger.services import checkpoint_issue
from sanxiang.lib import draw as drawlib
from sanxiang.lib.errors import DomainError, NotPermitted
from sanxiang.registry import services as registry_services

from .. import selectors, services
from ..models import Draw, Plan, PlanState, Target, Task, TaskInspector
from .conftest import advance_ledger_to, plan_data

TOOL = Path(__file__).resolve().parents[3] / "tools" / "sanxiang-verify"


def export(plan: Plan, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in selectors.draw_files(Draw.objects.get(plan=plan)).items():
        (folder / name).write_bytes(data)
    return folder


def verify(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(TOOL), "draw", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


@pytest.fixture
def plan(personas, agency, items, officers, pool):
    return services.plan_create(actor=personas.wangqiang, agency=agency, data=plan_data(items))


# --- the whole path and the independent re-run -----------------------------------------------


def test_a_draw_gives_tasks_with_two_certified_officers_each_and_the_tool_reproduces_it(
    plan, run_draw, tmp_path, officers
):
    plan = run_draw(plan)
    draw = plan.draw
    assert plan.state == PlanState.DRAWN
    # ⌈200 × 5%⌉ = 10 targets, two distinct officers each, with their certificate numbers.
    tasks = list(Task.objects.filter(plan=plan).prefetch_related("inspectors"))
    assert len(tasks) == draw.target_count == 10
    numbers = {cert.number for _, cert in officers.values()}
    for task in tasks:
        seats = [s for s in task.inspectors.all() if s.active]
        assert len(seats) == 2 and seats[0].officer_id != seats[1].officer_id
        assert {s.certificate_number for s in seats} <= numbers
    # Workload balance: 20 seats over 4 officers → 5 each.
    load = Counter(s.officer_id for s in TaskInspector.objects.filter(task__plan=plan))
    assert sorted(load.values()) == [5, 5, 5, 5]

    result = verify(export(plan, tmp_path / "published"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "VERIFIED" in result.stdout
    assert draw.result_sha256 in result.stdout


def test_the_published_zip_verifies_with_the_pool_hashes_and_the_log_key(plan, run_draw, tmp_path):
    from sanxiang.ledger import keys

    plan = run_draw(plan)
    draw = plan.draw
    archive = tmp_path / "draw.zip"
    archive.write_bytes(selectors.draw_zip(draw))
    key = tmp_path / "log.vkey"
    key.write_text(keys.log_verifier().encode() + "\n")
    args = [archive, "--key", key, "--expect-targets", draw.targets_sha256]
    args += ["--expect-inspectors", draw.inspectors_sha256, "--expect-result", draw.result_sha256]
    result = verify(*args)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "签名已验证" in result.stdout
    # Another log's key does not vouch for the seed checkpoint.
    from sanxiang.lib import notes

    other = notes.Signer.from_seed(keys.key_name(), bytes(range(32)))
    key.write_text(other.verifier.encode() + "\n")
    assert verify(archive, "--key", key).returncode == 1


def test_changing_one_pool_entry_changes_the_hash_and_verification_fails_naming_the_pool(
    plan, run_draw, tmp_path
):
    plan = run_draw(plan)
    folder = export(plan, tmp_path / "published")
    lines = (folder / "targets.jsonl").read_bytes().split(b"\n")
    entry = json.loads(lines[3])
    entry["weight"] = entry["weight"] + 1  # one employer made more likely
    lines[3] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    tampered = b"\n".join(lines)
    assert drawlib.pool_parse("targets", tampered).sha256 != plan.draw.targets_sha256
    (folder / "targets.jsonl").write_bytes(tampered)
    result = verify(folder)
    assert result.returncode == 1
    assert "检查对象库" in result.stdout and "target" in result.stdout

    folder = export(plan, tmp_path / "second")
    text = (folder / "inspectors.jsonl").read_text(encoding="utf-8").replace("张明", "张朋")
    (folder / "inspectors.jsonl").write_text(text, encoding="utf-8")
    result = verify(folder)
    assert result.returncode == 1 and "执法检查人员库" in result.stdout


def test_a_changed_result_or_seed_fails_verification(plan, run_draw, tmp_path):
    plan = run_draw(plan)
    folder = export(plan, tmp_path / "published")
    result = json.loads((folder / "draw-result.json").read_text(encoding="utf-8"))
    a, b = result["tasks"][0], result["tasks"][1]
    a["target"], b["target"] = b["target"], a["target"]
    (folder / "draw-result.json").write_bytes(
        json.dumps(result, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    )
    outcome = verify(folder)
    assert outcome.returncode == 1 and "第 1 个任务不同" in outcome.stdout

    folder = export(plan, tmp_path / "again")
    doc = json.loads((folder / "draw-input.json").read_text(encoding="utf-8"))
    doc["seed"]["value"] = "00" * 32
    (folder / "draw-input.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert verify(folder).returncode == 1


def test_the_server_rerun_of_the_stored_pools_gives_the_stored_result(plan, run_draw):
    plan = run_draw(plan)
    draw = Draw.objects.get(plan=plan)
    assert services.draw_rerun(draw).sha256 == draw.result_sha256


def test_the_draw_is_recorded_in_the_ledger_step_by_step(plan, run_draw):
    plan = run_draw(plan)
    types = [e.type for e in selectors.plan_timeline(plan)]
    assert types == [
        "inspection.plan_created",
        "inspection.plan_published",
        "inspection.pools_frozen",
        "inspection.seed_fixed",
        "inspection.draw_executed",
    ]
    frozen = Event.objects.get(type="inspection.pools_frozen")
    payload = json.loads(frozen.payload)["data"]
    assert payload["targets"]["sha256"] == plan.draw.targets_sha256
    executed = Event.objects.get(type="inspection.draw_executed")
    assert json.loads(executed.payload)["data"]["result_sha256"] == plan.draw.result_sha256


# --- the seed must not exist when the plan and the pools are fixed ---------------------------


def test_the_seed_cannot_be_a_checkpoint_that_existed_when_the_plan_was_published(
    personas, agency, items, officers, pool
):
    checkpoint_issue()
    existing = tree_size()
    for stated in (existing - 1, existing, existing + 1):
        plan = services.plan_create(
            actor=personas.wangqiang,
            agency=agency,
            data=plan_data(items, code=f"P{stated}", seed_tree_size=stated),
        )
        with pytest.raises(DomainError, match="约定的账本树大小应大于当前树大小"):
            services.plan_publish(actor=personas.wangqiang, plan=plan)
        assert Plan.objects.get(pk=plan.pk).state == PlanState.DRAFT


def test_pools_cannot_be_frozen_once_the_log_reached_the_stated_size(plan, personas):
    plan = services.plan_publish(actor=personas.wangqiang, plan=plan)
    advance_ledger_to(plan.seed_tree_size)
    with pytest.raises(DomainError, match="种子可能已经产生"):
        services.pools_freeze(actor=personas.wangqiang, plan=plan)
    assert not Draw.objects.filter(plan=plan).exists()
    plan = services.plan_seed_restate(
        actor=personas.wangqiang,
        plan=plan,
        reason="冻结前账本已达约定大小",
        seed_tree_size=tree_size() + 5,
    )
    assert (
        services.pools_freeze(actor=personas.wangqiang, plan=plan).freeze_seq < plan.seed_tree_size
    )


def test_the_seed_is_the_first_checkpoint_at_or_after_the_stated_size(plan, run_draw):
    plan = run_draw(plan, upto="frozen")
    with pytest.raises(DomainError, match="尚未签发"):
        services.seed_fix(actor=plan.published_by, plan=plan)
    advance_ledger_to(plan.seed_tree_size + 3)
    first = checkpoint_issue()
    advance_ledger_to(plan.seed_tree_size + 6)
    checkpoint_issue()
    draw = services.seed_fix(actor=plan.published_by, plan=plan)
    assert draw.seed["value"] == bytes(first.root).hex()
    assert draw.seed["checkpoint"] == first.note


def test_a_manual_seed_is_entered_on_its_day_and_its_hash_is_the_seed(
    personas, agency, items, officers, pool, monkeypatch
):
    from django.utils import timezone

    today = timezone.localdate()
    data = plan_data(
        items,
        seed_source="manual",
        seed_tree_size=None,
        seed_description="中国福利彩票双色球开奖号码",
        seed_public_on=today + dt.timedelta(days=2),
    )
    head = personas.wangqiang
    plan = services.plan_create(actor=head, agency=agency, data=data)
    same_day = services.plan_create(
        actor=head, agency=agency, data={**data, "code": "X", "seed_public_on": today}
    )
    with pytest.raises(DomainError, match="应晚于今天"):
        services.plan_publish(actor=head, plan=same_day)
    services.plan_publish(actor=head, plan=plan)
    services.pools_freeze(actor=head, plan=plan)
    with pytest.raises(DomainError, match="请在该日及以后登记"):
        services.seed_fix(actor=head, plan=plan, text="01 02 03 04 05 06 + 07")
    monkeypatch.setattr(timezone, "localdate", lambda *a: today + dt.timedelta(days=2))
    with pytest.raises(DomainError, match="请填写"):
        services.seed_fix(actor=head, plan=plan, text="  ")
    draw = services.seed_fix(actor=head, plan=plan, text="０１ 02  03 04 05 06 + 07")
    assert draw.seed["text"] == "01 02 03 04 05 06 + 07"
    assert draw.seed["value"] == drawlib.seed_from_text("01 02 03 04 05 06 + 07")


# --- pools -----------------------------------------------------------------------------------


def test_expired_and_suspended_certificates_are_excluded_from_the_inspector_pool(
    plan, personas, make_officer, run_draw, today
):
    from sanxiang.accounts.models import User

    expired_user = User.objects.create(username="guoqi", real_name="过期")
    suspended_user = User.objects.create(username="zanko", real_name="暂扣")
    make_officer(
        expired_user,
        valid_from=today - dt.timedelta(days=800),
        valid_until=today - dt.timedelta(days=1),
    )
    _, cert = make_officer(suspended_user)
    registry_services.certificate_suspend(
        actor=personas.xitong, certificate=cert, starts_on=today, reason="违反执法纪律"
    )
    plan = run_draw(plan, upto="frozen")
    names = [
        e["name"]
        for e in drawlib.pool_parse("inspectors", plan.draw.inspectors_pool.encode()).entries
    ]
    assert sorted(names) == sorted(["张明", "李华", "王强", "刘局长"])


def test_inactive_targets_and_targets_drawn_this_year_are_left_out(
    plan, personas, agency, items, run_draw
):
    first = run_draw(plan)
    drawn = set(Task.objects.filter(plan=first).values_list("target__uscc", flat=True))
    off = Target.objects.exclude(uscc__in=drawn).first()
    services.target_update(actor=personas.wangqiang, target=off, data={"is_active": False})
    second = services.plan_create(
        actor=personas.wangqiang, agency=agency, data=plan_data(items, code="2026-02")
    )
    second = run_draw(second, upto="frozen")
    ids = {
        e["id"] for e in drawlib.pool_parse("targets", second.draw.targets_pool.encode()).entries
    }
    assert not ids & drawn and off.uscc not in ids
    assert len(ids) == 200 - len(drawn) - 1


def test_risk_tags_set_the_published_weight(plan, run_draw):
    plan = run_draw(plan, upto="frozen")
    entries = drawlib.pool_parse("targets", plan.draw.targets_pool.encode()).entries
    by_id = {t.uscc: t for t in Target.objects.all()}
    for e in entries:
        tags = by_id[e["id"]].risk_tags
        expected = max(
            [1] + [{"complaints": 3, "violations": 5, "wage_arrears": 5}[t] for t in tags]
        )
        assert e["weight"] == expected


def test_the_ratio_sets_the_number_drawn_rounded_up(
    personas, agency, items, officers, pool, run_draw
):
    plan = services.plan_create(
        actor=personas.wangqiang,
        agency=agency,
        data=plan_data(items, ratio="12.34"),
    )
    plan = run_draw(plan)
    assert plan.draw.target_count == 25  # ⌈200 × 12.34 %⌉ = ⌈24.68⌉
    assert Task.objects.filter(plan=plan).count() == 25


# --- recusal ---------------------------------------------------------------------------------


def test_conflicts_declared_before_the_freeze_are_inputs_and_the_officer_is_never_drawn_for_them(
    personas, agency, items, officers, pool, run_draw
):
    zhang, cert = officers["zhangming"]
    targets = list(Target.objects.order_by("uscc")[:40])
    plan = services.plan_create(
        actor=personas.wangqiang,
        agency=agency,
        data=plan_data(items, ratio="100", seed_tree_size=tree_size() + 100),
    )
    plan = run_draw(plan, conflicts=[(zhang, t, "亲属在该单位任职") for t in targets])
    declared = [{"inspector": cert.number, "target": t.uscc} for t in targets]
    assert plan.draw.conflicts == sorted(declared, key=lambda c: c["target"])
    for task in Task.objects.filter(plan=plan, target__in=targets):
        assert zhang.pk not in set(task.inspectors.values_list("officer_id", flat=True))
    # Each time his card came up for one of those targets it was set aside: logged recusals.
    recusals = plan.draw.result["recusals"]
    assert recusals and all(
        r["stage"] == "draw" and {"inspector": r["inspector"], "target": r["target"]} in declared
        for r in recusals
    )
    # Balance survives: he still takes his share of the other targets.
    load = Counter(s.officer_id for s in TaskInspector.objects.filter(task__plan=plan))
    assert max(load.values()) - min(load.values()) <= 2


def test_a_conflict_declared_after_the_draw_redraws_that_seat_deterministically_and_logs_it(
    plan, personas, run_draw, tmp_path
):
    plan = run_draw(plan)
    task = Task.objects.filter(plan=plan).order_by("number").first()
    seat = task.inspectors.filter(active=True).select_related("officer__user").first()
    officer = seat.officer
    services.conflict_declare(
        actor=officer.user,
        officer=officer,
        target=task.target,
        reason="曾在该单位任职，离职不满两年",
    )
    seats = list(task.inspectors.all())
    active = [s for s in seats if s.active]
    assert len(active) == 2 and officer.pk not in {s.officer_id for s in active}
    gone = next(s for s in seats if not s.active)
    assert "利益冲突" in gone.removed_reason
    draw = Draw.objects.get(plan=plan)
    assert draw.redraws == [
        {"inspector": seat.certificate_number, "reason": "conflict", "target": task.target.uscc}
    ]
    event = Event.objects.get(type="inspection.redrawn")
    assert (
        json.loads(event.payload)["data"]["replacement"] == draw.result["redraws"][0]["replacement"]
    )
    # Deterministic: the same inputs give the same replacement, here and in the tool.
    assert services.draw_rerun(draw).sha256 == draw.result_sha256
    assert verify(export(plan, tmp_path / "after")).returncode == 0


def test_an_officer_may_declare_only_their_own_conflict(plan, personas, officers, run_draw):
    plan = run_draw(plan, upto="published")
    target = Target.objects.first()
    with pytest.raises(NotPermitted):
        services.conflict_declare(
            actor=personas.zhangming, officer=officers["lihua"][0], target=target, reason="亲属"
        )
    with pytest.raises(NotPermitted):
        services.conflict_declare(
            actor=personas.wuquanxian, officer=officers["lihua"][0], target=target, reason="亲属"
        )


# --- permissions and bad input ---------------------------------------------------------------


def test_only_the_unit_head_plans_and_draws(plan, personas):
    for who in (personas.zhangming, personas.zhougongshi, personas.wuquanxian):
        with pytest.raises(NotPermitted):
            services.plan_publish(actor=who, plan=plan)
    assert Plan.objects.get(pk=plan.pk).state == PlanState.DRAFT


@pytest.mark.parametrize(
    "change, message",
    [
        ({"ratio": "3"}, "须说明理由"),
        ({"ratio": "0"}, "大于0%"),
        ({"ratio": "abc"}, "应为数字"),
        ({"inspectors_per_target": 1}, "至少抽取2名"),
        ({"weights": {"complaints": 0}}, "风险权重"),
        ({"period_end": dt.date(2020, 1, 1)}, "截止日期不能早于"),
        ({"code": ""}, "请填写计划编号"),
        ({"items": []}, None),
    ],
)
def test_bad_plans_are_refused_in_chinese_and_nothing_is_written(
    personas, agency, items, change, message
):
    before = Event.objects.count()
    data = plan_data(items, **change)
    if message is None:  # no items: saved as draft, refused at publication
        plan = services.plan_create(actor=personas.wangqiang, agency=agency, data=data)
        with pytest.raises(DomainError, match="请选择至少一个抽查事项"):
            services.plan_publish(actor=personas.wangqiang, plan=plan)
        assert Plan.objects.get(pk=plan.pk).state == PlanState.DRAFT
        return
    with pytest.raises(DomainError, match=message):
        services.plan_create(actor=personas.wangqiang, agency=agency, data=data)
    assert not Plan.objects.exists() and Event.objects.count() == before


def test_a_ratio_below_five_percent_needs_a_reason(personas, agency, items):
    plan = services.plan_create(
        actor=personas.wangqiang,
        agency=agency,
        data=plan_data(items, ratio="3", ratio_reason="本年度第二次抽查，两次合计不低于5%"),
    )
    assert plan.ratio_basis_points == 300


def test_steps_cannot_be_skipped(plan, personas):
    head = personas.wangqiang
    with pytest.raises(DomainError, match="不能冻结名录库"):
        services.pools_freeze(actor=head, plan=plan)
    with pytest.raises(DomainError, match="不能执行随机抽取"):
        services.draw_execute(actor=head, plan=plan)


# --- the same inputs give the same draw on every database ------------------------------------

# The result hash of the fixed inputs below. The same constant is asserted on SQLite and on
# PostgreSQL (CI runs the suite on both) and equals what the stand-alone tool computes.
FIXED_RESULT_SHA256 = "f4a5ff79a35adede7b7a0326c05285aa1b832f4987dadcfa5c2aa3c3b7adbe5b"


def test_the_same_inputs_give_the_same_draw_on_every_database(
    personas, agency, items, monkeypatch, tmp_path
):
    from django.utils import timezone

    day = dt.date(2026, 11, 2)
    monkeypatch.setattr(timezone, "localdate", lambda *a: day)
    for n, username in enumerate(("zhangming", "lihua", "wangqiang", "liujuzhang")):
        officer = registry_services.officer_register(
            actor=personas.xitong, user=getattr(personas, username), agency=agency, post="监察员"
        )
        registry_services.certificate_record(
            actor=personas.xitong,
            officer=officer,
            kind="enforcement",
            number=f"晋FIXED{n:04d}",
            issuer="山西省人民政府",
            valid_from=dt.date(2025, 1, 1),
            valid_until=dt.date(2029, 12, 31),
        )
    from .conftest import csv_bytes, employer_rows

    services.targets_import(
        actor=personas.wangqiang,
        agency=agency,
        file_name="a.csv",
        data=csv_bytes(employer_rows(200)),
    )
    head = personas.wangqiang
    plan = services.plan_create(
        actor=head,
        agency=agency,
        data=plan_data(
            items,
            period_start=day,
            period_end=dt.date(2026, 12, 31),
            ratio="7.5",
            seed_source="manual",
            seed_tree_size=None,
            seed_description="示例开奖号码",
            seed_public_on=dt.date(2026, 11, 3),
        ),
    )
    services.plan_publish(actor=head, plan=plan)
    services.pools_freeze(actor=head, plan=plan)
    day = dt.date(2026, 11, 3)
    services.seed_fix(actor=head, plan=plan, text="03 08 12 19 25 31 + 07")
    draw = services.draw_execute(actor=head, plan=plan)
    assert draw.target_count == 15
    assert draw.result_sha256 == FIXED_RESULT_SHA256
    assert verify(export(plan, tmp_path / "fixed")).returncode == 0
