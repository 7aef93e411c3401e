"""Service, payment, the late surcharge, reminders, court applications, closing, and the
read-only closed case."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import IntegrityError, transaction

from sanxiang.cases import gates, selectors, services
from sanxiang.cases.choices import ClosingReason, DeadlineKind, PaymentKind, ServiceMethod, State
from sanxiang.cases.models import Deadline, ServiceRecord
from sanxiang.lib.errors import Blocked, DomainError

from .conftest import SERVED, ledger_size

DIRECT = {"method": ServiceMethod.DIRECT, "receiver_name": "钱某", "receiver_relation": "legal_rep"}


def clock(case, kind, ref=None):
    qs = Deadline.objects.filter(case=case, kind=kind)
    if ref is not None:
        qs = qs.filter(ref=ref)
    return qs.order_by("-pk").first()


def serve(f, on=SERVED, **service):
    services.case_transition(
        case=f.case, action="serve", actor=f.p.zhangming, served_on=on, service=service or DIRECT
    )


def remind(f, on=dt.date(2026, 4, 24)):
    services.case_transition(
        case=f.case,
        action="remind",
        actor=f.p.zhangming,
        served_on=on,
        content="请于收到本催告书之日起十日内缴纳罚款及加处罚款；可以陈述和申辩。",
        service=DIRECT,
    )


def close(f, on=dt.date(2026, 5, 6), reason=ClosingReason.PERFORMED):
    services.case_transition(
        case=f.case,
        action="close",
        actor=f.p.wangqiang,
        closed_on=on,
        closing_reason=reason,
        evidence="缴款凭证",
    )


# --- service ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "message"),
    [
        ({"method": "direct"}, "请填写签收人"),
        ({"method": "left", "refusal_reason": "拒收"}, "见证人签名，或者采用拍照、录像"),
        ({"method": "left", "witnesses": "村委会主任"}, "拒收事由"),
        ({"method": "post"}, "邮件号码"),
        (
            {"method": "entrusted", "receiver_name": "钱某", "receiver_relation": "self"},
            "受委托机关",
        ),
        ({"method": "electronic"}, "确认书"),
        ({"method": "carrier pigeon"}, "请选择送达方式"),
    ],
)
def test_service_receipt_needs_the_fields_of_its_method(flow, service, message):
    f = flow().decided()
    before = ledger_size()
    with pytest.raises(DomainError) as exc:
        serve(f, **service)
    assert message in exc.value.message
    assert ledger_size() == before and f.refresh().state == State.DECIDED


def test_left_service_with_a_recording_and_postal_service_are_accepted(flow):
    # Whether the recording really exists is the records app's recording gate (tested
    # there); here the slot is neutral.
    f = flow().decided()
    with gates.overridden(recordings=[]):
        serve(
            f,
            method="left",
            refusal_reason="法定代表人拒绝签收",
            recording_ref="LCRS-ZFJLY-001-20260408-01",
        )
    assert f.refresh().state == State.SERVED


def test_electronic_service_only_with_a_signed_consent(flow):
    # 行政处罚法第六十一条第二款
    f = flow().decided()
    party = f.case.parties.get()
    with pytest.raises(DomainError, match="确认书"):
        serve(f, method="electronic")
    consent = services.service_consent_record(
        actor=f.p.zhangming,
        case=f.case,
        party=party,
        signed_on=dt.date(2026, 4, 9),
        address="hr@example.com",
    )
    with pytest.raises(DomainError, match="确认书签署日期晚于送达日期"):
        serve(f, on=SERVED, method="electronic", consent=consent.pk)
    serve(f, on=dt.date(2026, 4, 10), method="electronic", consent=consent.pk)
    assert f.case.service_records.get(purpose="decision").consent == consent
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRecord.objects.filter(purpose="decision").update(consent=None)


def test_public_notice_is_deemed_served_30_days_after_publication_rolled_past_holidays(flow):
    # 民事诉讼法第九十五条: published 1 Sep + 30 days = 1 Oct, a holiday → 8 Oct.
    f = flow().decided()
    serve(
        f,
        method="public",
        published_on=dt.date(2026, 9, 1),
        public_reason="下落不明，邮寄被退回",
        publication_medium="陵川县人民政府网站",
    )
    rec = f.case.service_records.get(purpose="decision")
    assert rec.served_on == dt.date(2026, 10, 8)
    assert clock(f.case, DeadlineKind.PAYMENT).start == dt.date(2026, 10, 8)


def test_public_notice_cannot_be_confirmed_before_the_30_days_have_passed(flow):
    from django.utils import timezone

    f = flow().decided()
    with pytest.raises(DomainError, match="经过三十日视为送达"):
        serve(
            f,
            method="public",
            published_on=timezone.localdate() - dt.timedelta(days=5),
            public_reason="下落不明",
            publication_medium="网站",
        )


def test_service_clock_is_met_when_served(flow):
    f = flow().served()
    c = clock(f.case, DeadlineKind.SERVICE)
    assert c.status == "met" and c.due == dt.date(2026, 4, 16) and c.closed_on == SERVED


def test_revocation_needs_no_service_and_closes_directly(flow):
    f = flow().investigated(
        kind="revoke",
        penalty_types=[],
        fine_amount=None,
        tier_level="",
        item_version=None,
        facts_found="情节轻微且已改正（劳动保障监察条例第十八条第一款第（三）项）",
    )
    f.concluded()
    services.case_transition(
        case=f.case, action="submit", actor=f.p.zhangming, on=dt.date(2026, 3, 26)
    )
    services.case_transition(
        case=f.case, action="decide", actor=f.p.liujuzhang, decided_on=dt.date(2026, 3, 27)
    )
    with pytest.raises(Blocked, match="无需送达"):
        serve(f)
    assert clock(f.case, DeadlineKind.SERVICE) is None
    close(f, on=dt.date(2026, 3, 30), reason=ClosingReason.REVOKED)
    assert f.refresh().state == State.CLOSED


# --- payment and surcharge --------------------------------------------------------------------


def test_payment_is_due_15_calendar_days_after_service_rolled_past_holidays(flow):
    # 行政处罚法第六十七条; DOMAIN.md §9.3: served Wed 16 Sep → 1 Oct is a holiday → Thu 8 Oct.
    f = flow().decided()
    serve(f, on=dt.date(2026, 9, 16))
    assert clock(f.case, DeadlineKind.PAYMENT).due == dt.date(2026, 10, 8)


def test_surcharge_is_three_percent_a_day_and_capped_at_the_fine(flow):
    f = flow().served()  # 900 yuan due 23 Apr
    facts = selectors.case_facts(f.case, on=dt.date(2026, 4, 25))
    assert facts.payment.surcharge_owed == D("54.00")  # 2 days × 27
    facts = selectors.case_facts(f.case, on=dt.date(2026, 6, 30))
    assert facts.payment.surcharge_owed == D("900.00")  # capped (行政处罚法第七十二条)


def test_payments_are_checked_against_what_is_owed(flow):
    f = flow().served()
    with pytest.raises(DomainError, match="超过未缴罚款900.00元"):
        f.paid(amount="1000")
    f.paid(amount="900", paid_on=dt.date(2026, 4, 25))
    with pytest.raises(DomainError, match="超过应缴加处罚款54.00元"):
        services.payment_record(
            actor=f.p.zhangming,
            case=f.case,
            kind=PaymentKind.SURCHARGE,
            amount="60",
            paid_on=dt.date(2026, 4, 25),
            receipt_no="S1",
        )
    c = clock(f.case, DeadlineKind.PAYMENT)
    assert c.status == "met" and "加处罚款未缴清" in c.close_note


def test_closing_requires_the_fine_and_the_surcharge_paid(flow):
    f = flow().served()
    with pytest.raises(Blocked, match="罚款尚有900.00元未缴纳"):
        close(f)
    f.paid(amount="900", paid_on=dt.date(2026, 4, 25))
    with pytest.raises(Blocked, match="加处罚款尚有54.00元未缴纳"):
        close(f)
    services.payment_record(
        actor=f.p.zhangming,
        case=f.case,
        kind=PaymentKind.SURCHARGE,
        amount="54",
        paid_on=dt.date(2026, 4, 28),
        receipt_no="S1",
    )
    close(f)
    assert f.refresh().state == State.CLOSED


def test_closing_needs_written_execution_evidence(flow):
    f = flow().served().paid()
    with pytest.raises(Blocked, match="执行情况及证据"):
        services.case_transition(
            case=f.case,
            action="close",
            actor=f.p.wangqiang,
            closed_on=dt.date(2026, 4, 21),
            closing_reason=ClosingReason.PERFORMED,
            evidence="",
        )


def test_closing_a_penalty_needs_the_order_to_correct_complied(flow):
    f = flow().filed().recorded().ordered(check=False).proposed()
    f.served().paid()
    with pytest.raises(Blocked, match="责令改正尚未复查"):
        close(f)


def test_instalments_replace_the_payment_clock_and_accrue_surcharge_per_instalment(flow):
    f = flow().served()
    with pytest.raises(DomainError, match="应等于未缴罚款900.00元"):
        services.payment_plan_apply(
            actor=f.p.zhangming,
            case=f.case,
            kind="instalments",
            reason="经营困难",
            schedule=[
                {"due": "2026-05-15", "amount": "400"},
                {"due": "2026-06-15", "amount": "400"},
            ],
            applied_on=dt.date(2026, 4, 10),
        )
    plan = services.payment_plan_apply(
        actor=f.p.zhangming,
        case=f.case,
        kind="instalments",
        reason="经营困难，提供财务报表",
        schedule=[{"due": "2026-05-15", "amount": "450"}, {"due": "2026-06-15", "amount": "450"}],
        applied_on=dt.date(2026, 4, 10),
    )
    services.payment_plan_decide(
        actor=f.p.liujuzhang, plan=plan, approved=True, decided_on=dt.date(2026, 4, 13)
    )
    refs = sorted(
        Deadline.objects.filter(case=f.case, kind="payment", status="open").values_list(
            "ref", "due"
        )
    )
    assert refs == [
        (f"plan:{plan.pk}:1", dt.date(2026, 5, 15)),
        (f"plan:{plan.pk}:2", dt.date(2026, 6, 15)),
    ]
    f.paid(amount="450", paid_on=dt.date(2026, 5, 14))
    facts = selectors.case_facts(f.case, on=dt.date(2026, 6, 17))
    assert facts.payment.surcharge_owed == D("27.00")  # 2 days × 3 % × 450 on the second instalment
    assert facts.payment.next_due == dt.date(2026, 6, 15)


# --- reminder and court -----------------------------------------------------------------------


def test_reminder_only_after_the_payment_period_and_runs_10_working_days(flow):
    f = flow().served()
    with pytest.raises(Blocked, match="尚未逾期"):
        remind(f, on=dt.date(2026, 4, 23))
    remind(f, on=dt.date(2026, 4, 24))
    case = f.refresh()
    reminder = case.reminders.get()
    assert case.state == State.ENFORCEMENT and reminder.number == "陵人社监催字〔2026〕第1号"
    assert reminder.surcharge == D("27.00")
    # Fri 24 Apr + 10 working days (1–5 May holiday, Sat 9 May make-up) → Tue 12 May.
    assert clock(case, DeadlineKind.REMINDER).due == dt.date(2026, 5, 12)


def test_court_application_only_after_the_litigation_period_and_the_reminder(flow):
    f = flow().served()
    remind(f)
    court = clock(f.case, DeadlineKind.COURT)
    # Served 8 Apr: 6 months → 8 Oct; then 3 months → 8 Jan 2027, whose holidays are not entered.
    assert court.start == dt.date(2026, 10, 8)
    assert court.due is None and "2027年" in court.due_unknown_reason
    with pytest.raises(Blocked, match="尚未届满"):
        services.court_application_record(
            actor=f.p.zhangming,
            case=f.case,
            court="陵川县人民法院",
            applied_on=dt.date(2026, 10, 8),
        )
    app = services.court_application_record(
        actor=f.p.zhangming, case=f.case, court="陵川县人民法院", applied_on=dt.date(2026, 10, 9)
    )
    assert clock(f.case, DeadlineKind.COURT).status == "met"
    services.court_application_update(
        actor=f.p.zhangming,
        application=app,
        status="executed",
        status_on=dt.date(2026, 11, 20),
        note="（2026）晋0524行审1号",
    )
    close(f, on=dt.date(2026, 11, 23), reason=ClosingReason.COURT_EXECUTED)
    assert f.refresh().state == State.CLOSED


def test_court_application_needs_the_10_days_after_the_reminder(flow):
    f = flow().decided()
    serve(f, on=dt.date(2026, 4, 8))
    remind(f, on=dt.date(2026, 10, 5))  # reminder runs to 21 Oct
    with pytest.raises(Blocked, match="催告书送达十日后"):
        services.court_application_record(
            actor=f.p.zhangming,
            case=f.case,
            court="陵川县人民法院",
            applied_on=dt.date(2026, 10, 20),
        )


# --- the closed case is read-only ---------------------------------------------------------------


def _calls(f):
    case, p = f.case, f.p
    party = case.parties.first()
    return {
        "case_update_intake": lambda: services.case_update_intake(
            actor=p.zhangming, case=case, summary="改"
        ),
        "complainant_add": lambda: services.complainant_add(
            actor=p.zhangming, case=case, data={"name": "某", "role": "complainant"}
        ),
        "party_add": lambda: services.party_add(
            actor=p.zhangming,
            case=case,
            data={"kind": "natural_person", "name": "某", "id_number": "11010519491231002X"},
        ),
        "cause_add": lambda: services.cause_add(
            actor=p.zhangming, case=case, item_version=f.items.obstruction
        ),
        "case_assign": lambda: services.case_assign(actor=p.wangqiang, case=case, user=p.zhaoliu),
        "case_release": lambda: services.case_release(
            actor=p.wangqiang, case=case, user=p.lihua, reason="x"
        ),
        "recusal_file": lambda: services.recusal_file(
            actor=p.lihua, case=case, person=p.lihua, kind="declaration", grounds="x"
        ),
        "case_flag": lambda: services.case_flag(
            actor=p.wangqiang, case=case, kind="major", reason="x"
        ),
        "investigation_record_add": lambda: f.recorded(),
        "preservation_request": lambda: services.preservation_request(
            actor=p.zhangming,
            case=case,
            items=[{"name": "a", "quantity": "1"}],
            place_kept="x",
            reason="x",
        ),
        "correction_order_issue": lambda: services.correction_order_issue(
            actor=p.zhangming, case=case, content="x", legal_basis="y", due_on=dt.date(2026, 12, 31)
        ),
        "investigation_extend": lambda: services.investigation_extend(
            actor=p.liujuzhang, case=case, reason="x"
        ),
        "proposal_make": lambda: f.proposed(fine_amount=D("600")),
        "defence_record": lambda: services.defence_record(
            actor=p.zhangming, case=case, content="x"
        ),
        "notice_waive": lambda: services.notice_waive(
            actor=p.zhangming, case=case, defence=True, note="x"
        ),
        "hearing_forgo": lambda: services.hearing_forgo(
            actor=p.zhangming, case=case, outcome="waived", note="x"
        ),
        "discussion_record": lambda: services.discussion_record(
            actor=p.liujuzhang,
            case=case,
            held_on=dt.date(2026, 5, 1),
            opinions=[(p.liujuzhang, "x"), (p.wangqiang, "y")],
            conclusion_kind="agree",
            conclusion="x",
        ),
        "decision_extend": lambda: services.decision_extend(
            actor=p.liujuzhang, case=case, days=10, reason="x"
        ),
        "decision_clock_pause": lambda: services.decision_clock_pause(
            actor=p.liujuzhang, case=case, period="audit", note="x"
        ),
        "decision_clock_resume": lambda: services.decision_clock_resume(
            actor=p.liujuzhang, case=case, last_excluded=dt.date(2026, 5, 1)
        ),
        "service_consent_record": lambda: services.service_consent_record(
            actor=p.zhangming,
            case=case,
            party=party,
            signed_on=dt.date(2026, 5, 1),
            address="a@b.cn",
        ),
        "payment_record": lambda: f.paid(amount="1", paid_on=dt.date(2026, 5, 1)),
        "payment_plan_apply": lambda: services.payment_plan_apply(
            actor=p.zhangming,
            case=case,
            kind="deferral",
            reason="x",
            schedule=[{"due": "2026-12-01", "amount": "900"}],
        ),
        "court_application_record": lambda: services.court_application_record(
            actor=p.zhangming, case=case, court="x"
        ),
        **{
            f"case_transition:{action}": (
                lambda a=action: services.case_transition(case=case, action=a, actor=p.wangqiang)
            )
            for action in ("file", "close", "reopen", "transfer")
        },
    }


CALLS = [
    "case_update_intake",
    "complainant_add",
    "party_add",
    "cause_add",
    "case_assign",
    "case_release",
    "recusal_file",
    "case_flag",
    "investigation_record_add",
    "preservation_request",
    "correction_order_issue",
    "investigation_extend",
    "proposal_make",
    "defence_record",
    "notice_waive",
    "hearing_forgo",
    "discussion_record",
    "decision_extend",
    "decision_clock_pause",
    "decision_clock_resume",
    "service_consent_record",
    "payment_record",
    "payment_plan_apply",
    "court_application_record",
    "case_transition:file",
    "case_transition:close",
    "case_transition:reopen",
    "case_transition:transfer",
]


@pytest.mark.parametrize("name", CALLS)
def test_a_closed_case_is_read_only_for_every_service(flow, name):
    f = flow().closed()
    calls = _calls(f)
    assert set(calls) == set(CALLS)
    before = (ledger_size(), Deadline.objects.filter(case=f.case).count())
    with pytest.raises(DomainError) as exc:
        calls[name]()
    assert "已结案" in exc.value.message
    assert (ledger_size(), Deadline.objects.filter(case=f.case).count()) == before


def test_every_writing_service_is_covered_by_the_read_only_test():
    import inspect

    from sanxiang.cases import services as module

    case_services = {
        n
        for n, fn in inspect.getmembers(module, inspect.isfunction)
        if "case" in inspect.signature(fn).parameters
        and n not in ("complainant_reveal",)  # a read, recorded as a security event
    }
    covered = {c.split(":")[0] for c in CALLS}
    # Services that take a child object (a recusal, an order …) reach the case through it and
    # lock it the same way (common.locked_case); they are listed here to keep the list honest.
    via_child = {
        "cause_remove",
        "case_unflag",
        "hearing_schedule",
        "hearing_record",
        "case_register",
    }
    # Recorded on a closed case on purpose: 复议 or a court may revoke a decision after closing
    # (test_decision_change.py).
    after_closing = {"decision_change_record"}
    assert case_services - covered - after_closing <= via_child, case_services - covered
