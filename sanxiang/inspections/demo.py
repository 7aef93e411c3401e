"""Demo data for 双随机抽查 (``sanxiang.inspections.demo.load``, after the registry, personas and
catalogue loaders): ~200 fictional employers with valid credit codes imported from CSV, a 2026
plan published and drawn (seed: a signed ledger checkpoint), some results recorded and
published — everything through the services, so every step is in the ledger."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

from django.utils import timezone

from sanxiang.lib import codes

from . import services
from .models import Plan, PlanState, Target, TaskResult

PLAN_CODE = "2026-01"
EMPLOYERS = 200
# Fictional names only: "陵川县" + an invented trade name + a form of business.
_TRADES = "晋韵 太行 锡崖 王莽岭 崇文 礼义 平城 附城 杨村 潞城 马圪当 古郊 六泉 秦家庄 夺火".split()
_KINDS = [
    ("建筑工程有限公司", "建筑业"),
    ("煤业有限公司", "采矿业"),
    ("食品加工有限公司", "制造业"),
    ("农业开发有限公司", "农林牧渔业"),
    ("商贸有限公司", "批发和零售业"),
    ("餐饮管理有限公司", "住宿和餐饮业"),
    ("物业服务有限公司", "房地产业"),
    ("机械制造有限公司", "制造业"),
    ("旅游开发有限公司", "文化、体育和娱乐业"),
    ("运输有限公司", "交通运输业"),
]
_TAGS = ["", "", "", "", "", "投诉", "违法记录", "拖欠工资", "高风险行业", "投诉、拖欠工资"]
_TOWNS = "崇文镇 礼义镇 附城镇 西河底镇 平城镇 杨村镇 潞城镇 夺火乡 马圪当乡 古郊乡 六泉乡 秦家庄乡".split()


def employer_csv(n: int = EMPLOYERS, *, seed: int = 20260101) -> bytes:
    rng = random.Random(seed)  # fixed: the same fictional employers on every install
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["单位名称", "统一社会信用代码", "地址", "行业", "规模", "风险标签"])
    names = set()
    while len(names) < n:
        trade = rng.choice(_TRADES) + rng.choice(_TRADES)
        kind, industry = rng.choice(_KINDS)
        name = f"陵川县{trade}{kind}"
        if name in names:
            continue
        names.add(name)
        tags = rng.choice(_TAGS)
        if industry in ("建筑业", "采矿业") and "高风险" not in tags and rng.random() < 0.5:
            tags = "、".join(filter(None, [tags, "高风险行业"]))
        writer.writerow(
            [
                name,
                codes.make_uscc(rng, region="140524"),
                f"山西省晋城市陵川县{rng.choice(_TOWNS)}（示例地址）",
                industry,
                rng.choice(["微型", "小型", "小型", "中型"]),
                tags,
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def load(*, context: dict, stdout) -> None:
    from sanxiang.catalog.models import ItemVersion
    from sanxiang.ledger.selectors import tree_size
    from sanxiang.ledger.services import atomic_record, checkpoint_issue

    agency, users = context["agency"], context["users"]
    head = users["wangqiang"]
    if not Target.objects.filter(agency=agency).exists():
        outcome = services.targets_import(
            actor=head,
            agency=agency,
            file_name="陵川县用人单位名录（示例）.csv",
            data=employer_csv(),
        )
        stdout.write(f"检查对象名录：导入 {outcome.created} 个用人单位")
    if Plan.objects.filter(agency=agency, code=PLAN_CODE).exists():
        stdout.write("双随机抽查：演示计划已存在")
        return
    today = timezone.localdate()
    items = list(
        ItemVersion.objects.filter(item__agency=agency, random_inspection=True).order_by("pk")
    )
    start = dt.date(2026, 1, 1)
    plan = services.plan_create(
        actor=head,
        agency=agency,
        data={
            "code": PLAN_CODE,
            "title": "2026年度劳动保障监察“双随机、一公开”抽查计划",
            "period_start": start,
            "period_end": max(dt.date(2026, 12, 31), today + dt.timedelta(days=30)),
            "items": items,
            "scope": "检查劳动合同签订、工资支付、工作时间和休息休假、社会保险参保缴费、女职工和"
            "未成年工特殊保护等情况；现场检查与书面审查相结合。",
            "ratio": "5.00",
            "weights": {
                "complaints": 3,
                "violations": 5,
                "wage_arrears": 5,
                "high_risk_industry": 2,
            },
            "inspectors_per_target": 2,
            "seed_source": "ledger_checkpoint",
            "seed_tree_size": tree_size() + 8,
        },
    )
    services.plan_publish(actor=head, plan=plan)
    services.pools_freeze(actor=head, plan=plan)
    while tree_size() < plan.seed_tree_size:
        # Demo only: in service the bureau's daily work fills the log up to the stated size.
        atomic_record(actor=None, subject=None, type="demo.activity", data={"n": tree_size()})
    checkpoint_issue()
    services.seed_fix(actor=head, plan=plan)
    draw = services.draw_execute(actor=head, plan=plan)
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAWN
    results = [
        (TaskResult.NONE_FOUND, "", ""),
        (TaskResult.CORRECTION, "未依法与3名劳动者订立书面劳动合同，已责令限期改正", ""),
        (TaskResult.NONE_FOUND, "", ""),
        (TaskResult.TRANSFER, "发现疑似安全生产问题，已移送县应急管理局", "陵川县应急管理局"),
        (TaskResult.CASE, "涉嫌未按时足额支付劳动报酬，已立案调查", ""),
    ]
    tasks = list(plan.tasks.order_by("number").prefetch_related("inspectors__officer__user"))
    for task, (result, summary, transfer_to) in zip(tasks, results, strict=False):
        # 谁检查、谁录入: a drawn officer records it (one who may also register a case lead).
        recorder = next(
            (
                s.officer.user
                for s in task.inspectors.filter(active=True)
                if s.officer.user.has_perm("inspections.record_result")
                and s.officer.user.has_perm("cases.register_case")
            ),
            head,
        )
        services.task_result_record(
            actor=recorder,
            task=task,
            inspected_on=today,
            result=result,
            findings="现场查阅劳动合同、工资发放记录和考勤记录，询问劳动者和单位负责人。"
            + (summary or "未发现违法行为。"),
            public_summary=summary,
            transfer_to=transfer_to,
        )
    for task in tasks[:3]:
        services.task_result_publish(actor=users["zhougongshi"], task=task)
    stdout.write(
        f"双随机抽查：计划 {plan.code} 已抽取 {len(tasks)} 个检查对象（结果哈希 "
        f"{draw.result_sha256[:16]}…），登记结果 {min(len(tasks), len(results))} 项，公开 3 项"
    )
