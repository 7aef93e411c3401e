"""Case test helpers: officers with certificates, a small catalogue, and ``Flow``, which drives a
case through the services to any state on fixed 2026 dates (DOMAIN.md §9.3 calendar)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from sanxiang.accounts import roles
from sanxiang.accounts.models import User
from sanxiang.cases import services
from sanxiang.cases.choices import (
    ClosingReason,
    CorrectionResult,
    OutcomeKind,
    PartyKind,
    PenaltyType,
    RecordKind,
    ServiceMethod,
    State,
)
from sanxiang.cases.models import Case
from sanxiang.catalog import rules as C
from sanxiang.catalog import services as catalog_services
from sanxiang.ledger.models import Event
from sanxiang.lib import codes
from sanxiang.registry import services as registry_services

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _skip_postgres_only(request):
    """``postgres_only`` tests (marker declared in pyproject) are skipped on SQLite."""
    if request.node.get_closest_marker("postgres_only") and connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL：设置 DATABASE_URL=postgres://… 后运行")


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def ledger_size() -> int:
    return Event.objects.count()


# --- people ------------------------------------------------------------------------------------


_cert_numbers = iter(range(5000, 10**6))


def certify(
    keeper, user, agency, *, valid_from=dt.date(2024, 1, 1), valid_until=dt.date(2029, 12, 31)
):
    officer = registry_services.officer_register(
        actor=keeper, user=user, agency=agency, post="劳动保障监察员"
    )
    registry_services.certificate_record(
        actor=keeper,
        officer=officer,
        kind="enforcement",
        number=f"晋C{next(_cert_numbers)}",
        issuer="山西省人民政府",
        valid_from=valid_from,
        valid_until=valid_until,
    )
    return officer


@pytest.fixture
def p(personas, agency):
    """The personas, with 张明, 李华 and 王强 on the officer roster holding certificates valid
    for all of 2026, plus 赵六 — a third 执法人员 used as a replacement."""
    keeper = personas.xitong
    for user in (personas.zhangming, personas.lihua, personas.wangqiang):
        certify(keeper, user, agency)
    zhaoliu = User.objects.create_user(username="zhaoliu", real_name="赵六", password="x")
    zhaoliu.groups.add(Group.objects.get(name=roles.OFFICER))
    certify(keeper, zhaoliu, agency)
    personas.zhaoliu = User.objects.get(pk=zhaoliu.pk)
    return personas


# --- catalogue -----------------------------------------------------------------------------------


def _content(**kw) -> C.VersionContent:
    return C.VersionContent(**kw)


@pytest.fixture
def items(agency, personas):
    """Three demo items: 条例第二十五条 overtime (per worker, with 首违不罚), 条例第三十条 obstruction
    (fixed 2,000–20,000) and 条例第二十八条 job agencies (10,000–50,000 and licence revocation)."""
    keeper = personas.xitong
    overtime = catalog_services.item_create(
        actor=keeper,
        agency=agency,
        code="T-CF-025",
        effective_from=dt.date(2020, 1, 1),
        change_note="测试",
        content=_content(
            name="用人单位违法延长劳动者工作时间",
            category=C.PENALTY,
            amount_nature=C.FINE,
            statutory_kind=C.PER_WORKER,
            statutory_low=D("100"),
            statutory_high=D("500"),
            benchmark_status=C.BENCHMARK_DRAFT,
            bases=(C.BasisData(C.BASIS_PENALTY, "《劳动保障监察条例》", "第二十五条"),),
            tiers=(
                C.TierData(C.NO_PENALTY, "首违不罚", "不予处罚"),
                C.TierData(C.LENIENT, "5人以下", "警告"),
                C.TierData(C.GENERAL, "一般", "警告并罚款", C.PER_WORKER, D("100"), D("300")),
                C.TierData(C.SEVERE, "20人以上", "警告并罚款", C.PER_WORKER, D("300"), D("500")),
            ),
            first_offence=C.FirstOffenceData(
                conditions="初次违法，2人以下，限期内改正",
                legal_basis="行政处罚法第三十三条第一款",
                measures=("education",),
                max_affected_workers=2,
            ),
        ),
    )
    obstruction = catalog_services.item_create(
        actor=keeper,
        agency=agency,
        code="T-CF-030",
        effective_from=dt.date(2020, 1, 1),
        change_note="测试",
        content=_content(
            name="无理抗拒、阻挠劳动保障监察",
            category=C.PENALTY,
            amount_nature=C.FINE,
            statutory_kind=C.FIXED,
            statutory_low=D("2000"),
            statutory_high=D("20000"),
            benchmark_status=C.BENCHMARK_DRAFT,
            bases=(C.BasisData(C.BASIS_PENALTY, "《劳动保障监察条例》", "第三十条"),),
            tiers=(
                C.TierData(C.LENIENT, "从轻", "罚款", C.FIXED, D("2000"), D("5000")),
                C.TierData(C.GENERAL, "一般", "罚款", C.FIXED, D("5000"), D("10000")),
                C.TierData(C.SEVERE, "从重", "罚款", C.FIXED, D("10000"), D("20000")),
            ),
        ),
    )
    agency_item = catalog_services.item_create(
        actor=keeper,
        agency=agency,
        code="T-CF-028",
        effective_from=dt.date(2020, 1, 1),
        change_note="测试",
        content=_content(
            name="职业介绍机构违反职业介绍规定",
            category=C.PENALTY,
            amount_nature=C.FINE,
            statutory_kind=C.FIXED,
            statutory_low=D("10000"),
            statutory_high=D("50000"),
            bases=(C.BasisData(C.BASIS_PENALTY, "《劳动保障监察条例》", "第二十八条"),),
        ),
    )
    return type(
        "Items",
        (),
        {
            "overtime": overtime.versions.get(),
            "obstruction": obstruction.versions.get(),
            "job_agency": agency_item.versions.get(),
        },
    )


# --- the flow ----------------------------------------------------------------------------------

RECEIVED = dt.date(2026, 3, 2)  # Mon
FILED = dt.date(2026, 3, 3)
RECORDED = dt.date(2026, 3, 10)
ORDERED = dt.date(2026, 3, 10)
ORDER_DUE = dt.date(2026, 3, 20)
CHECKED = dt.date(2026, 3, 20)
PROPOSED = dt.date(2026, 3, 24)
CONCLUDED = dt.date(2026, 3, 25)
NOTIFIED = dt.date(2026, 3, 26)  # Thu: defence to 03-31, hearing request to 04-02
SUBMITTED = dt.date(2026, 4, 3)
DECIDED = dt.date(2026, 4, 7)  # 4–6 Apr is 清明 holiday
SERVED = dt.date(2026, 4, 8)  # payment due 04-23
PAID = dt.date(2026, 4, 20)
CLOSED = dt.date(2026, 4, 21)

ORG = {
    "kind": PartyKind.ORGANISATION,
    "name": "陵川县示例建筑劳务有限公司",
    "legal_representative": "钱某",
    "address": "陵川县崇文镇",
}


def org_party():
    return dict(ORG, uscc=codes.make_uscc(random.Random(7), region="140524"))


class Flow:
    """Drives one case forward through the services. Each step returns the flow; ``case`` is
    the case. Defaults give a penalty case (overtime, 3 workers, 900 yuan) that needs no hearing
    and is not major."""

    def __init__(self, p, items, agency):
        self.p, self.items, self.agency = p, items, agency
        self.case: Case | None = None
        self.team = [p.zhangming, p.lihua]

    # lead
    def registered(self, *, source="complaint", complainant=True, party=True, cause=True, **kw):
        data = dict(
            actor=self.p.zhangming,
            agency=self.agency,
            source=source,
            channel="window",
            received_on=RECEIVED,
            summary="反映拖欠工资、超时加班",
            facts="投诉人反映公司安排每日加班4小时，连续两个月。",
            request="依法查处",
            workers_affected=3,
            violation_from=dt.date(2026, 1, 1),
            violation_until=dt.date(2026, 2, 28),
            complainants=[
                {"role": "complainant", "name": "孙某", "phone": "13903560101", "id_number": ""}
            ]
            if complainant
            else [],
            parties=[org_party()] if party else [],
            causes=[self.items.overtime] if cause else [],
        )
        data.update(kw)
        self.case = services.case_register(**data)
        return self

    def assigned(self, *officers):
        for i, officer in enumerate(officers or self.team):
            services.case_assign(
                actor=self.p.wangqiang,
                case=self.case,
                user=officer,
                role="lead" if i == 0 else "assist",
                on=RECEIVED,
            )
        return self

    def filed(self):
        if self.case is None:
            self.registered()
        if not self.case.assignments.exists():
            self.assigned()
        services.case_transition(
            case=self.case, action="file", actor=self.p.wangqiang, filed_on=FILED
        )
        return self

    # investigation
    def recorded(self, *, signed=True):
        services.investigation_record_add(
            actor=self.p.zhangming,
            case=self.case,
            kind=RecordKind.INTERVIEW,
            started_at=at(RECORDED, 9),
            ended_at=at(RECORDED, 10),
            place="陵川县人社局询问室",
            officers=self.team,
            person={"name": "钱某", "post": "法定代表人", "relation": "被调查单位法定代表人"},
            ids_shown=True,
            recusal_asked=True,
            recusal_answer="不申请回避",
            truth_duty_told=True,
            content="问：……答：……",
            person_signed=signed,
            officers_signed=signed,
        )
        return self

    def ordered(self, *, check=True):
        order = services.correction_order_issue(
            actor=self.p.zhangming,
            case=self.case,
            content="立即停止违法延长工作时间",
            legal_basis="《劳动保障监察条例》第二十五条",
            due_on=ORDER_DUE,
            issued_on=ORDERED,
        )
        if check:
            services.correction_order_check(
                actor=self.p.zhangming,
                order=order,
                result=CorrectionResult.COMPLIED,
                note="已调整排班",
                checked_on=CHECKED,
            )
        return self

    def proposed(self, **kw):
        data = dict(
            actor=self.p.zhangming,
            case=self.case,
            kind=OutcomeKind.PENALTY,
            facts_found="经查，该公司安排3名劳动者每月延长工作时间超过36小时。",
            item_version=self.items.overtime,
            tier_level=C.GENERAL,
            penalty_types=[PenaltyType.WARNING, PenaltyType.FINE],
            fine_amount=D("900"),
            affected_workers=3,
            on=PROPOSED,
        )
        if self.case.proposals.exists():
            data["change_reason"] = "修改"
        data.update(kw)
        services.proposal_make(**data)
        return self

    def investigated(self, **proposal):
        return self.filed().recorded().ordered().proposed(**proposal)

    def concluded(self, **proposal):
        if self.case is None or self.case.state == State.LEAD:
            self.investigated(**proposal)
        services.case_transition(
            case=self.case, action="conclude", actor=self.p.zhangming, concluded_on=CONCLUDED
        )
        return self

    def notified(self, *, served_on=NOTIFIED, **proposal):
        if self.case is None or self.case.state != State.CONCLUDED:
            self.concluded(**proposal)
        services.case_transition(
            case=self.case,
            action="notify",
            actor=self.p.zhangming,
            served_on=served_on,
            service={
                "method": ServiceMethod.DIRECT,
                "receiver_name": "钱某",
                "receiver_relation": "legal_rep",
            },
        )
        return self

    def pending(self, **proposal):
        if self.case is None or self.case.state not in (State.NOTIFIED, State.CONCLUDED):
            self.notified(**proposal)
        services.case_transition(
            case=self.case, action="submit", actor=self.p.zhangming, on=SUBMITTED
        )
        return self

    def decided(self, **proposal):
        if self.case is None or self.case.state != State.PENDING_DECISION:
            self.pending(**proposal)
        services.case_transition(
            case=self.case, action="decide", actor=self.p.liujuzhang, decided_on=DECIDED
        )
        return self

    def served(self, **proposal):
        if self.case is None or self.case.state != State.DECIDED:
            self.decided(**proposal)
        services.case_transition(
            case=self.case,
            action="serve",
            actor=self.p.zhangming,
            served_on=SERVED,
            service={
                "method": ServiceMethod.DIRECT,
                "receiver_name": "钱某",
                "receiver_relation": "legal_rep",
            },
        )
        return self

    def paid(self, amount="900", paid_on=PAID):
        services.payment_record(
            actor=self.p.zhangming,
            case=self.case,
            amount=amount,
            paid_on=paid_on,
            receipt_no=f"R{paid_on:%m%d}{amount}",
        )
        return self

    def closed(self):
        if self.case is None or self.case.state != State.SERVED:
            self.served()
            self.paid()
        services.case_transition(
            case=self.case,
            action="close",
            actor=self.p.wangqiang,
            closed_on=CLOSED,
            closing_reason=ClosingReason.PERFORMED,
            evidence="罚款900元已于2026年4月20日缴清，凭证R0420900",
        )
        return self

    def refresh(self):
        self.case.refresh_from_db()
        return self.case


@pytest.fixture
def flow(p, items, agency):
    def make() -> Flow:
        return Flow(p, items, agency)

    return make
