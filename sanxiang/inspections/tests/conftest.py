"""Inspection test helpers: officers with certificates, a target pool imported from CSV, the
random-inspection items of the demo catalogue, and ``run_draw`` which takes a plan from draft
to drawn through the services (advancing the ledger to the stated size and signing the
checkpoint that becomes the seed)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from sanxiang.ledger.selectors import tree_size
from sanxiang.ledger.services import atomic_record, checkpoint_issue
from sanxiang.lib import codes
from sanxiang.registry import services as registry_services
from sanxiang.registry.models import Certificate

from .. import services
from ..models import Plan


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


_numbers = iter(range(5000, 10**6))


@pytest.fixture
def make_officer(agency, personas, today):
    def make(user, *, valid_until: dt.date | None = None, valid_from: dt.date | None = None):
        officer = registry_services.officer_register(
            actor=personas.xitong, user=user, agency=agency, post="劳动保障监察员"
        )
        cert = registry_services.certificate_record(
            actor=personas.xitong,
            officer=officer,
            kind=Certificate.Kind.ENFORCEMENT,
            number=f"晋1405242026{next(_numbers):04d}",
            issuer="山西省人民政府",
            valid_from=valid_from or today - dt.timedelta(days=365),
            valid_until=valid_until or today + dt.timedelta(days=3 * 365),
        )
        return officer, cert

    return make


@pytest.fixture
def officers(personas, make_officer):
    """张明、李华、王强、刘局长 hold valid certificates (the inspector pool)."""
    return {
        name: make_officer(getattr(personas, name))
        for name in ("zhangming", "lihua", "wangqiang", "liujuzhang")
    }


@pytest.fixture
def items(agency, personas):
    from sanxiang.catalog.demo import ensure_catalogue
    from sanxiang.catalog.models import ItemVersion

    ensure_catalogue(agency=agency, actor=personas.xitong)
    return list(ItemVersion.objects.filter(item__agency=agency, random_inspection=True))


def employer_rows(n: int, *, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    tags = ["", "", "", "投诉", "违法记录", "拖欠工资、投诉"]
    return [
        {
            "单位名称": f"陵川县测试用人单位{i:04d}有限公司",
            "统一社会信用代码": codes.make_uscc(rng, region="140524"),
            "地址": f"陵川县崇文镇测试路{i}号",
            "行业": rng.choice(["建筑业", "制造业", "餐饮业", "零售业"]),
            "规模": rng.choice(["微型", "小型", "中型"]),
            "风险标签": rng.choice(tags),
        }
        for i in range(n)
    ]


def csv_bytes(rows: list[dict], *, encoding: str = "utf-8-sig") -> bytes:
    import csv
    import io

    header = list(rows[0]) if rows else ["单位名称", "统一社会信用代码"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


@pytest.fixture
def pool(agency, personas):
    """200 employers imported by 王强 (承办机构负责人)."""
    outcome = services.targets_import(
        actor=personas.wangqiang,
        agency=agency,
        file_name="名录.csv",
        data=csv_bytes(employer_rows(200)),
    )
    return outcome.batch


def plan_data(all_items, /, **overrides) -> dict:
    today = timezone.localdate()
    data = {
        "code": "2026-01",
        "title": "2026年度劳动保障双随机抽查计划",
        "period_start": today,
        "period_end": today + dt.timedelta(days=60),
        "items": all_items[:2],
        "scope": "检查劳动合同签订、工资支付、工作时间和社会保险参保情况；现场检查与书面审查结合。",
        "ratio": "5.00",
        "weights": {"complaints": 3, "violations": 5, "wage_arrears": 5},
        "inspectors_per_target": 2,
        "seed_source": "ledger_checkpoint",
        "seed_tree_size": tree_size() + 10,
    }
    data.update(overrides)
    return data


def advance_ledger_to(size: int) -> None:
    """Other business goes on: record harmless events until the log reaches ``size``."""
    while tree_size() < size:
        atomic_record(actor=None, subject=None, type="test.filler", data={"n": tree_size()})


@pytest.fixture
def run_draw(personas, agency):
    def run(plan: Plan, *, upto: str = "drawn", conflicts=()) -> Plan:
        head = personas.wangqiang
        if plan.state == "draft":
            plan = services.plan_publish(actor=head, plan=plan)
        for officer, target, reason in conflicts:
            services.conflict_declare(actor=head, officer=officer, target=target, reason=reason)
        if upto == "published":
            return plan
        services.pools_freeze(actor=head, plan=plan)
        if upto == "frozen":
            return Plan.objects.get(pk=plan.pk)
        advance_ledger_to(plan.seed_tree_size)
        checkpoint_issue()
        services.seed_fix(actor=head, plan=plan)
        if upto == "seeded":
            return Plan.objects.get(pk=plan.pk)
        services.draw_execute(actor=head, plan=plan)
        return Plan.objects.get(pk=plan.pk)

    return run
