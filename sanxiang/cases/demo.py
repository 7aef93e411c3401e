"""Demo cases: a dozen matters of 陵川县人社局 in every stage, from a complaint awaiting
acceptance to a closed case, built through the services (so the ledger holds their real
events and every guard was passed). Fictional employers get valid 统一社会信用代码 from
``lib.codes.make_uscc`` with a fixed seed; people are fictional.

Loader: ``sanxiang.cases.demo.load`` — after the registry's people (certificates) and the
catalogue. Idempotent: nothing is done when demo cases exist.

Dates are counted back from an anchor: today, or 20 Nov 2026 when the working-day calendar
does not cover the last 110 and the next 20 days (a year's holiday notice missing), so that every statutory
window the demo steps through can be computed.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal as D

from django.utils import timezone

from sanxiang.catalog import rules as C
from sanxiang.catalog.models import Item
from sanxiang.catalog.selectors import item_version_on
from sanxiang.lib import codes

from . import clocks, services
from .choices import (
    ClosingReason,
    CorrectionResult,
    Disposition,
    FlagKind,
    OutcomeKind,
    PartyKind,
    PenaltyType,
    RecordKind,
    ServiceMethod,
)
from .models import Case, Notice

MARK = "【演示】"
FALLBACK_ANCHOR = dt.date(2026, 11, 20)
TZ = timezone.get_fixed_timezone(8 * 60)

EMPLOYER_NAMES = [
    "陵川县太行山建筑劳务有限公司",
    "陵川县崇文商贸有限责任公司",
    "陵川县锡崖沟旅游开发有限公司",
    "陵川县棋子山食品加工有限公司",
    "晋城市凤城职业介绍服务有限公司",
    "陵川县礼义煤炭运销有限公司",
    "陵川县王莽岭酒店管理有限公司",
    "陵川县马圪当物流有限公司",
]
DIRECT = {"method": ServiceMethod.DIRECT, "receiver_name": "", "receiver_relation": "legal_rep"}


def employers() -> list[dict]:
    rng = random.Random(20261127)  # fixed seed: the same fictional codes on every install
    reps = ["赵建国", "钱立新", "孙志强", "李秀英", "周国华", "吴海涛", "郑丽华", "王振东"]
    return [
        {
            "kind": PartyKind.ORGANISATION,
            "name": name,
            "uscc": codes.make_uscc(rng, region="140524"),
            "legal_representative": rep,
            "representative_post": "法定代表人",
            "address": "山西省晋城市陵川县（示例地址）",
        }
        for name, rep in zip(EMPLOYER_NAMES, reps, strict=True)
    ]


class Builder:
    def __init__(self, *, agency, users, anchor: dt.date):
        self.agency, self.u, self.a = agency, users, anchor
        self.employers = employers()
        on = anchor
        self.versions = {
            code: item_version_on(Item.objects.get(agency=agency, code=code), on)
            for code in (
                "LCRS-CF-025-01",
                "LCRS-CF-030-01",
                "LCRS-CF-030-02",
                "LCRS-CL-026-01",
                "LCRS-CF-028-01",
            )
        }

    def d(self, days_before: int) -> dt.date:
        return self.a - dt.timedelta(days=days_before)

    def at(self, days_before: int, hour: int = 9) -> dt.datetime:
        day = self.d(days_before)
        return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)

    # --- steps -----------------------------------------------------------------------------

    def register(
        self, *, employer: int, code: str, days: int, source="complaint", summary, facts, **kw
    ):
        complainants = kw.pop("complainants", None)
        if complainants is None and source in ("complaint", "report"):
            complainants = [
                {
                    "role": "complainant" if source == "complaint" else "reporter",
                    "name": "王某某",
                    "sex": "M",
                    "age": 41,
                    "phone": "13903569001",
                    "occupation": "泥瓦工",
                    "employer": self.employers[employer]["name"],
                }
            ]
        return services.case_register(
            actor=self.u["zhangming"],
            agency=self.agency,
            source=source,
            channel="window"
            if source == "complaint"
            else ("onsite" if source == "patrol" else "phone"),
            received_on=self.d(days),
            summary=MARK + summary,
            facts=facts,
            request=kw.pop("request", "请求依法查处"),
            workers_affected=kw.pop("workers", 3),
            violation_from=self.d(days + 90),
            violation_until=self.d(days + 5),
            complainants=complainants or [],
            parties=[self.employers[employer]],
            causes=[self.versions[code]],
            **kw,
        )

    def file(self, case, days: int):
        services.case_assign(
            actor=self.u["wangqiang"],
            case=case,
            user=self.u["zhangming"],
            role="lead",
            on=self.d(days),
        )
        services.case_assign(
            actor=self.u["wangqiang"], case=case, user=self.u["lihua"], on=self.d(days)
        )
        services.case_transition(
            case=case, action="file", actor=self.u["wangqiang"], filed_on=self.d(days)
        )

    def record(self, case, days: int, *, kind=RecordKind.INTERVIEW, person="赵建国"):
        services.investigation_record_add(
            actor=self.u["zhangming"],
            case=case,
            kind=kind,
            started_at=self.at(days, 9),
            ended_at=self.at(days, 10),
            place="陵川县人社局询问室" if kind == RecordKind.INTERVIEW else "用人单位生产经营场所",
            officers=[self.u["zhangming"], self.u["lihua"]],
            person={"name": person, "post": "法定代表人", "relation": "被调查单位法定代表人"},
            ids_shown=True,
            recusal_asked=True,
            recusal_answer="不申请回避",
            truth_duty_told=True,
            content="问：你单位近三个月的工作时间如何安排？\n答：旺季每天加班三到四个小时。……",
            person_signed=True,
            officers_signed=True,
        )

    def order(self, case, days: int, *, checked: int | None):
        order = services.correction_order_issue(
            actor=self.u["zhangming"],
            case=case,
            content="限期改正违法行为，并将改正情况书面报告",
            legal_basis="《劳动保障监察条例》第十八条",
            issued_on=self.d(days),
            due_on=self.d(days - 10),
        )
        if checked is not None:
            services.correction_order_check(
                actor=self.u["zhangming"],
                order=order,
                result=CorrectionResult.COMPLIED,
                note="复查：已按要求改正",
                checked_on=self.d(checked),
            )
        return order

    def propose(self, case, days: int, **kw):
        data = dict(
            actor=self.u["zhangming"],
            case=case,
            kind=OutcomeKind.PENALTY,
            on=self.d(days),
            facts_found="经查，该单位安排劳动者每月延长工作时间超过法定上限。",
            evidence_summary="询问笔录、考勤记录、工资表",
            legal_basis="《劳动法》第四十一条；《劳动保障监察条例》第二十五条",
        )
        data.update(kw)
        return services.proposal_make(**data)

    def conclude(self, case, days: int):
        services.case_transition(
            case=case, action="conclude", actor=self.u["zhangming"], concluded_on=self.d(days)
        )

    def notify(self, case, days: int, employer: int):
        service = dict(DIRECT, receiver_name=self.employers[employer]["legal_representative"])
        services.case_transition(
            case=case,
            action="notify",
            actor=self.u["zhangming"],
            served_on=self.d(days),
            service=service,
        )

    def submit(self, case):
        notice = Notice.objects.filter(case=case).order_by("-pk").first()
        after = max(
            d for d in (notice.defence_due, notice.hearing_request_due) if d
        ) + dt.timedelta(days=1)
        services.case_transition(case=case, action="submit", actor=self.u["zhangming"], on=after)
        return after

    def decide(self, case, on: dt.date):
        services.case_transition(
            case=case, action="decide", actor=self.u["liujuzhang"], decided_on=on
        )

    def serve(self, case, on: dt.date, employer: int):
        service = dict(DIRECT, receiver_name=self.employers[employer]["legal_representative"])
        services.case_transition(
            case=case, action="serve", actor=self.u["zhangming"], served_on=on, service=service
        )

    def overtime_penalty(self, case, days: int, *, workers=3, fine="900"):
        self.propose(
            case,
            days,
            item_version=self.versions["LCRS-CF-025-01"],
            tier_level=C.GENERAL,
            penalty_types=[PenaltyType.WARNING, PenaltyType.FINE],
            fine_amount=D(fine),
            affected_workers=workers,
            discretion_reason="不具有从轻、从重情形，按一般档次裁量",
        )

    def investigated_penalty(
        self, *, employer, days, summary, workers=3, fine="900", source="complaint"
    ):
        case = self.register(
            employer=employer,
            code="LCRS-CF-025-01",
            days=days,
            source=source,
            summary=summary,
            facts="反映单位长期安排劳动者超时加班。",
            workers=workers,
        )
        self.file(case, days - 1)
        self.record(case, days - 3)
        self.order(case, days - 3, checked=days - 8)
        self.overtime_penalty(case, days - 9, workers=workers, fine=fine)
        self.conclude(case, days - 10)
        return case


def anchor_date() -> dt.date:
    today = timezone.localdate()
    if clocks.calendar_known(today - dt.timedelta(days=110), today + dt.timedelta(days=20)):
        return today
    return min(today, FALLBACK_ANCHOR)


def load(*, context: dict, stdout) -> None:
    agency, users = context["agency"], context["users"]
    if Case.objects.filter(agency=agency, summary__startswith=MARK).exists():
        stdout.write("演示案件：已存在，未重复载入")
        return
    b = Builder(agency=agency, users=users, anchor=anchor_date())
    u = users

    # 1. A complaint awaiting acceptance (5 working days, 若干规定第十八条).
    b.register(
        employer=0,
        code="LCRS-CL-026-01",
        days=2,
        summary="农民工投诉拖欠工资",
        facts="投诉人称在该公司承建的工地务工，2026年以来工资被拖欠共计38,600元。",
        request="要求支付被拖欠的工资",
        amount_claimed="38600",
        workers=6,
    )

    # 2. A complaint sent back for supplementary materials.
    c = b.register(
        employer=1,
        code="LCRS-CL-026-01",
        days=12,
        summary="投诉未支付解除劳动合同经济补偿",
        facts="投诉人称被辞退后未获经济补偿，但未提供劳动关系证明。",
        workers=1,
    )
    services.case_transition(
        case=c,
        action="request_supplement",
        actor=u["zhangming"],
        items="劳动合同或工资支付凭证等劳动关系证明材料",
        notified_on=b.d(10),
    )

    # 3. A labour dispute: not accepted, the complainant told to apply for arbitration.
    c = b.register(
        employer=2,
        code="LCRS-CL-026-01",
        days=30,
        summary="经济补偿金数额争议",
        facts="双方对经济补偿金计算基数有争议，单位已按其标准支付。",
        workers=1,
    )
    services.case_transition(
        case=c,
        action="decline",
        actor=u["wangqiang"],
        disposition=Disposition.LABOUR_DISPUTE,
        reason="属于劳动争议，依照劳动保障监察条例第二十一条告知向劳动人事争议仲裁委员会申请仲裁",
        decided_on=b.d(28),
        notified_on=b.d(28),
    )

    # 4. Under investigation, with a 先行登记保存 awaiting the bureau head's approval.
    c = b.register(
        employer=3,
        code="LCRS-CF-025-01",
        days=20,
        source="patrol",
        summary="日常巡查发现超时加班",
        facts="巡查发现车间排班表显示每日工作12小时。",
        complainants=[],
    )
    b.file(c, 19)
    b.record(c, 15, kind=RecordKind.INSPECTION, person="李秀英")
    b.order(c, 15, checked=None)
    services.preservation_request(
        actor=u["zhangming"],
        case=c,
        items=[{"name": "2026年考勤原始记录", "spec": "纸质", "quantity": "3册"}],
        place_kept="陵川县人社局证据保管室",
        reason="单位有销毁考勤记录的可能",
        requested_on=b.d(1),
    )

    # 5. Investigation concluded: penalty proposed, notice not yet served.
    b.investigated_penalty(employer=4, days=45, summary="超时加班（调查终结）")

    # 6. Notified: the defence period is running.
    c = b.register(
        employer=5,
        code="LCRS-CF-030-02",
        days=40,
        source="report",
        summary="拒不报送书面材料",
        facts="举报单位拒绝按要求报送工资支付台账。",
    )
    b.file(c, 39)
    b.record(c, 35)
    b.order(c, 35, checked=28)
    b.propose(
        c,
        27,
        item_version=b.versions["LCRS-CF-030-02"],
        tier_level=C.GENERAL,
        penalty_types=[PenaltyType.FINE],
        fine_amount=D("8000"),
        facts_found="该单位经两次书面要求仍未报送工资支付台账。",
        legal_basis="《劳动保障监察条例》第三十条第一款第（二）项",
    )
    b.conclude(c, 26)
    b.notify(c, 1, employer=5)

    # 7. Hearing requested (licence revocation: always a hearing; flagged major automatically).
    c = b.register(
        employer=4,
        code="LCRS-CF-028-01",
        days=60,
        source="report",
        summary="职业介绍机构收取押金",
        facts="举报该机构向求职者收取押金并扣押身份证。",
        workers=12,
    )
    b.file(c, 59)
    b.record(c, 55)
    b.order(c, 55, checked=48)
    b.propose(
        c,
        47,
        item_version=b.versions["LCRS-CF-028-01"],
        tier_level=C.SEVERE,
        penalty_types=[PenaltyType.FINE, PenaltyType.REVOKE_LICENCE],
        fine_amount=D("45000"),
        facts_found="该机构向12名求职者收取押金共计6,000元，情节严重。",
        legal_basis="《劳动保障监察条例》第二十八条第一款",
    )
    b.conclude(c, 46)
    b.notify(c, 20, employer=4)
    services.case_transition(
        case=c,
        action="request_hearing",
        actor=u["zhangming"],
        requested_on=b.d(18),
        note="当事人书面要求听证",
    )
    services.hearing_schedule(
        actor=u["wangqiang"],
        case=c,
        scheduled_at=b.at(-14, 9),
        place="陵川县人社局听证室",
        presider=u["zhaomin"],
        notice_served_on=b.d(3),
    )

    # 8. Pending decision, major (25 workers), discussed — and blocked by the review gate until
    #    the legal-review app is installed: the case page shows why.
    c = b.register(
        employer=6,
        code="LCRS-CF-025-01",
        days=70,
        summary="大面积超时加班（重大）",
        facts="25名劳动者联名投诉单位长期安排超时加班。",
        workers=25,
    )
    b.file(c, 69)
    b.record(c, 66)
    b.order(c, 66, checked=61)
    b.propose(
        c,
        60,
        item_version=b.versions["LCRS-CF-025-01"],
        tier_level=C.SEVERE,
        penalty_types=[PenaltyType.WARNING, PenaltyType.FINE],
        fine_amount=D("10000"),
        affected_workers=25,
        facts_found="经查，该单位安排25名劳动者每月延长工作时间超过36小时。",
        discretion_reason="受侵害劳动者20人以上，适用从重档次",
    )
    b.conclude(c, 59)
    services.case_flag(
        actor=u["wangqiang"],
        case=c,
        kind=FlagKind.MAJOR,
        reason="受侵害劳动者25人，社会影响较大",
        on=b.d(59),
    )
    b.notify(c, 55, employer=6)
    b.submit(c)
    services.discussion_record(
        actor=u["liujuzhang"],
        case=c,
        held_on=b.d(3),
        opinions=[(u["liujuzhang"], "同意按从重档次处罚"), (u["wangqiang"], "同意")],
        conclusion_kind="agree",
        conclusion="同意拟处理意见，待法制审核通过后作出决定",
    )

    # 9. Decided, awaiting service (the 7-working-day clock).
    c = b.investigated_penalty(employer=7, days=50, summary="超时加班（已决定）")
    b.notify(c, 38, employer=7)
    b.decide(c, b.submit(c) + dt.timedelta(days=1))

    # 10. Served: the 15-day payment period is running.
    c = b.investigated_penalty(employer=1, days=66, summary="超时加班（待缴款）")
    b.notify(c, 54, employer=1)
    decided = b.submit(c) + dt.timedelta(days=1)
    b.decide(c, decided)
    b.serve(c, b.d(5), employer=1)

    # 11. Unpaid after the period: reminder served, enforcement.
    c = b.investigated_penalty(employer=2, days=100, summary="超时加班（催告）")
    b.notify(c, 88, employer=2)
    decided = b.submit(c) + dt.timedelta(days=1)
    b.decide(c, decided)
    b.serve(c, decided + dt.timedelta(days=1), employer=2)
    pay_due = c.deadlines.get(kind="payment").due
    services.case_transition(
        case=c,
        action="remind",
        actor=u["zhangming"],
        served_on=pay_due + dt.timedelta(days=1),
        content="请于收到本催告书之日起十日内缴纳罚款及加处罚款；你单位有权陈述和申辩。",
        service=dict(DIRECT, receiver_name=b.employers[2]["legal_representative"]),
    )

    # 12. Closed: paid in time.
    c = b.investigated_penalty(employer=3, days=95, summary="超时加班（已结案）")
    b.notify(c, 83, employer=3)
    decided = b.submit(c) + dt.timedelta(days=1)
    b.decide(c, decided)
    served = decided + dt.timedelta(days=1)
    b.serve(c, served, employer=3)
    services.payment_record(
        actor=u["zhangming"],
        case=c,
        amount="900",
        paid_on=served + dt.timedelta(days=5),
        receipt_no="DEMO-20260001",
    )
    services.case_transition(
        case=c,
        action="close",
        actor=u["wangqiang"],
        closed_on=served + dt.timedelta(days=7),
        closing_reason=ClosingReason.PERFORMED,
        evidence="罚款900元已缴入国库（缴款凭证 DEMO-20260001）；责令改正已复查",
    )

    # 13. Summary procedure: a warning on the spot.
    c = b.register(
        employer=5,
        code="LCRS-CF-025-01",
        days=8,
        source="patrol",
        summary="巡查当场发现未按规定安排休息",
        facts="巡查发现门店员工连续工作未安排轮休。",
        complainants=[],
    )
    services.case_transition(
        case=c,
        action="decide_on_spot",
        actor=u["zhangming"],
        decided_on=b.d(8),
        officers=[u["lihua"]],
        penalty_types=[PenaltyType.WARNING],
        facts="门店安排员工连续工作7日未轮休，当场责令改正并给予警告。",
        legal_basis="《劳动保障监察条例》第二十五条",
        place="门店办公室",
        party_signed=True,
    )

    total = Case.objects.filter(agency=agency, summary__startswith=MARK).count()
    stdout.write(f"演示案件：{total} 件（截至{b.a.isoformat()}）")
