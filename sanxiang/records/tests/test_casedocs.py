"""Case documents filled from real case data: every standard document of a case driven through
the case services, checked with pdftotext for what the law requires it to say; the 文号 reused
from the case services (never allocated twice); corrections replace; sealed scans freeze."""

# ruff: noqa: F811  (pytest fixtures imported from other conftest modules are parameters)

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sanxiang.cases import services as case_services
from sanxiang.cases.choices import PenaltyType, RecordKind
from sanxiang.cases.models import IssuedNumber
from sanxiang.cases.tests.conftest import (  # noqa: F401 (fixtures)
    RECORDED,
    _skip_postgres_only,
    at,
    flow,
    items,
    p,
)
from sanxiang.lib.errors import DomainError, NotPermitted
from sanxiang.records import services as records_services
from sanxiang.records.casedocs import builders, locks, selectors, services
from sanxiang.records.documents.registry import squash
from sanxiang.records.models import GeneratedDocument

from .conftest import pdf_text

FINE_ACCOUNT = {
    "bank": "中国工商银行陵川县支行",
    "account_name": "陵川县财政局非税收入汇缴结算户",
    "account_no": "0508 0000 0000 0000 123",
}


@pytest.fixture(autouse=True)
def _fine_account(settings):
    settings.RECORDS_FINE_ACCOUNT = FINE_ACCOUNT


def _text(doc: GeneratedDocument, tmp_path) -> str:
    with doc.pdf.open("rb") as fh:
        return squash(pdf_text(fh.read(), tmp_path, name=f"d{doc.pk}"))


def _gen(p, case, doc_type, obj=None):
    return services.case_document_generate(actor=p.zhangming, case=case, doc_type=doc_type, obj=obj)


@pytest.fixture
def closed_case(flow, p):
    """A penalty case from complaint to closing, with an inspection as well as the interview."""
    f = flow().filed()
    f.recorded()
    case_services.investigation_record_add(
        actor=p.zhangming,
        case=f.case,
        kind=RecordKind.INSPECTION,
        started_at=at(RECORDED, 14),
        ended_at=at(RECORDED, 15),
        place="陵川县崇文镇示例工地",
        officers=f.team,
        person={"name": "刘某", "post": "项目经理", "relation": "现场负责人"},
        ids_shown=True,
        recusal_asked=True,
        recusal_answer="不申请回避",
        content="查看考勤机记录：每日工作11小时。",
        person_signed=True,
        officers_signed=True,
    )
    f.ordered().proposed().closed()
    return f.refresh()


def test_every_document_of_a_closed_penalty_case_holds_its_items(closed_case, p, tmp_path):
    case = closed_case
    made = {}
    for builder in builders.all_builders():
        objects = builder.objects(builders.CaseData(case))
        for obj in objects:
            made.setdefault(builder.doc_type, []).append(_gen(p, case, builder.doc_type, obj))
    assert set(made) >= {
        "filing_approval",
        "interview_record",
        "inspection_record",
        "correction_order",
        "investigation_report",
        "advance_notice",
        "penalty_decision",
        "service_receipt",
        "closing_approval",
    }
    party = case.parties.get()
    decision = case.decision
    notice = case.notices.get()
    order = case.correction_orders.get()

    filing = _text(made["filing_approval"][0], tmp_path)
    assert case.case_no in filing and party.name in filing and party.uscc in filing
    assert "投诉" in filing and "审批人：王强" in filing and "立案日期：2026年3月3日" in filing

    interview = _text(made["interview_record"][0], tmp_path)
    for item in ["钱某", "陵川县人社局询问室", "2026年3月10日9时00分", "申请回避", "如实回答"]:
        assert item in interview, item
    assert "被询问人签名" in interview and "第1页" in interview
    certs = [o.certificate_number for o in case.investigation_records.first().officers.all()]
    assert all(c in interview for c in certs)

    inspection = _text(made["inspection_record"][0], tmp_path)
    assert "刘某" in inspection and "查看考勤机记录" in inspection and "在场人签名" in inspection

    order_text = _text(made["correction_order"][0], tmp_path)
    assert order.number in order_text and "于2026年3月20日前" in order_text
    assert "二千元以上二万元以下的罚款" in order_text and "陵川县人民政府" in order_text

    report = _text(made["investigation_report"][0], tmp_path)
    assert "经查，该公司安排3名劳动者" in report and "行政处罚" in report

    notice_text = _text(made["advance_notice"][0], tmp_path)
    assert notice.number in notice_text and "有权进行陈述和申辩" in notice_text

    decision_text = _text(made["penalty_decision"][0], tmp_path)
    # 行政处罚法 第五十九条: the six items.
    for item in [
        party.name,  # (一)
        party.address,
        "经查，该公司安排3名劳动者",  # (二)
        "罚款人民币玖佰元整",  # (三)
        "自收到本决定书之日起十五日内",  # (四)
        "中国工商银行陵川县支行",
        "六十日内向陵川县人民政府申请行政复议",  # (五)
        "六个月内直接向陵川县人民法院提起行政诉讼",
        "陵川县人力资源和社会保障局",  # (六)
        "2026年4月7日",
    ]:
        assert item in decision_text, item
    assert decision.number in decision_text and notice.number in decision_text

    receipts = [_text(d, tmp_path) for d in made["service_receipt"]]
    assert any(decision.number in t and "■直接送达" in t for t in receipts)
    assert any(notice.number in t for t in receipts)

    closing = _text(made["closing_approval"][0], tmp_path)
    assert "决定已履行完毕" in closing and "R0420900" in closing and "审批人：王强" in closing


def test_numbers_come_from_the_case_services_and_are_never_allocated_again(closed_case, p):
    case = closed_case
    issued = IssuedNumber.objects.count()
    decision = _gen(p, case, "penalty_decision")
    filing = _gen(p, case, "filing_approval")
    assert decision.number == case.decision.number
    assert filing.number == case.case_no
    again = _gen(p, case, "penalty_decision")
    assert again.number == decision.number and again.replaces_id == decision.pk
    assert IssuedNumber.objects.count() == issued


def test_regenerating_replaces_the_current_version_and_the_section_shows_the_latest(closed_case, p):
    case = closed_case
    first = _gen(p, case, "interview_record")
    second = _gen(p, case, "interview_record")
    assert second.replaces_id == first.pk
    rows = [r for g in selectors.case_document_rows(case, user=p.zhangming) for r in g.rows]
    interview = next(r for r in rows if r.doc_type == "interview_record")
    assert interview.document.pk == second.pk and interview.versions == 2
    assert interview.may_generate


def test_a_document_with_its_sealed_scan_cannot_be_generated_again(closed_case, p):
    case = closed_case
    doc = _gen(p, case, "closing_approval")
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n% scan\n", content_type="application/pdf")
    records_services.document_attach_scan(actor=p.zhangming, document=doc, uploaded_file=scan)
    with pytest.raises(DomainError, match="已上传签章扫描件"):
        _gen(p, case, "closing_approval")


def test_documents_with_their_own_number_get_one_once(flow, p):
    """听证通知书 and 先行登记保存通知书 number themselves on first generation and keep it."""
    f = flow().filed()
    case_services.preservation_request(
        actor=p.zhangming,
        case=f.case,
        items=[{"name": "考勤原始记录", "spec": "纸质", "quantity": "3册"}],
        place_kept="陵川县人社局证据保管室",
        reason="单位有销毁考勤记录的可能",
        requested_on=RECORDED,
    )
    preservation = f.case.preservations.get()
    case_services.preservation_approve(
        actor=p.liujuzhang,
        preservation=preservation,
        approved=True,
        note="同意",
        approved_on=RECORDED,
        preserved_on=RECORDED,
    )
    first = _gen(p, f.case, "preservation_notice")
    assert "监保字〔2026〕第1号" in first.number
    second = _gen(p, f.case, "preservation_notice")
    assert second.number == first.number and second.replaces_id == first.pk


def test_only_officers_of_the_case_team_may_generate(closed_case, p):
    with pytest.raises(NotPermitted):
        services.case_document_generate(
            actor=p.zhaoliu, case=closed_case, doc_type="filing_approval"
        )
    with pytest.raises(NotPermitted):
        services.case_document_generate(
            actor=p.sundangan, case=closed_case, doc_type="filing_approval"
        )


def test_a_document_needs_its_record(flow, p):
    f = flow().filed()
    with pytest.raises(DomainError, match="尚无询问笔录"):
        _gen(p, f.case, "interview_record")
    with pytest.raises(DomainError, match="不能从案件数据生成"):
        _gen(p, f.case, "no_such_type")


def test_a_lock_refuses_new_documents(closed_case, p):
    def sealed(case):
        return ["案卷已封存"] if case.pk == closed_case.pk else []

    locks.register_lock(sealed)
    try:
        with pytest.raises(DomainError, match="案卷已封存"):
            _gen(p, closed_case, "filing_approval")
        rows = [
            r for g in selectors.case_document_rows(closed_case, user=p.zhangming) for r in g.rows
        ]
        assert rows and not any(r.may_generate for r in rows)
    finally:
        locks._locks.remove(sealed)


def test_hearing_notice_record_and_collective_discussion(flow, p, tmp_path):
    """A licence-revocation case (行政处罚法 第六十三条): the hearing notice, the hearing record
    and — the case now being major (第五十八条) — the collective discussion (第五十七条)."""
    f = flow().registered(causes=[flow().items.job_agency])
    f.notified(
        item_version=f.items.job_agency,
        tier_level="",
        penalty_types=[PenaltyType.FINE, PenaltyType.REVOKE_LICENCE],
        fine_amount=D("20000"),
    )
    case = f.case
    case_services.case_transition(
        case=case, action="request_hearing", actor=p.zhangming, requested_on=dt.date(2026, 3, 30)
    )
    case_services.hearing_schedule(
        actor=p.wangqiang,
        case=case,
        scheduled_at=at(dt.date(2026, 4, 20)),
        place="陵川县人社局听证室",
        presider=p.zhaomin,
        notice_served_on=dt.date(2026, 4, 8),
    )
    notice = _gen(p, case, "hearing_notice")
    text = _text(notice, tmp_path)
    for item in ["2026年4月20日10时00分", "陵川县人社局听证室", "主持人：赵敏", "委托一至二人代理"]:
        assert item in text, item
    assert "监听通字〔2026〕第1号" in notice.number
    case_services.hearing_record(
        actor=p.zhaomin,
        case=case,
        record_summary="调查人员陈述事实、证据和处罚建议。\n当事人申辩：收取的是服务费。",
        report="建议维持拟处理意见",
        party_attended=False,
        agents=["王代理"],
        party_signed=True,
    )
    case_services.case_transition(
        case=case, action="end_hearing", actor=p.zhangming, ended_on=dt.date(2026, 4, 20)
    )
    record = _text(_gen(p, case, "hearing_record"), tmp_path)
    assert "当事人申辩：收取的是服务费" in record and "建议维持拟处理意见" in record
    assert "主持人：赵敏" in record and "当事人（代理人）签名" in record
    assert "委托代理人王代理" in record and "未亲自参加" in record
    case_services.discussion_record(
        actor=p.liujuzhang,
        case=case,
        held_on=dt.date(2026, 4, 22),
        opinions=[(p.liujuzhang, "同意吊销"), (p.wangqiang, "同意")],
        conclusion_kind="agree",
        conclusion="同意拟处理意见",
    )
    discussion = _text(_gen(p, case, "discussion_record"), tmp_path)
    assert "刘局长" in discussion and "同意吊销" in discussion and "同意拟处理意见" in discussion
    assert "2026年4月22日" in discussion


def test_the_reminder_prints_the_amount_owed_and_the_ten_days(flow, p, tmp_path):
    """行政强制法 第三十五条、第五十四条: the 履行催告书 of an unpaid fine, with its number from
    the remind transition and its service receipt."""
    from sanxiang.cases.choices import ServiceMethod

    f = flow().served()
    case_services.case_transition(
        case=f.case,
        action="remind",
        actor=p.zhangming,
        served_on=dt.date(2026, 4, 24),
        content="请于收到本催告书之日起十日内缴纳罚款及加处罚款。",
        service={
            "method": ServiceMethod.DIRECT,
            "receiver_name": "钱某",
            "receiver_relation": "legal_rep",
        },
    )
    case = f.refresh()
    reminder = case.reminders.get()
    doc = _gen(p, case, "performance_reminder")
    assert doc.number == reminder.number
    text = _text(doc, tmp_path)
    for item in [
        "罚款人民币玖佰元整",
        "十日内",
        "陈述和申辩",
        "向陵川县人民法院申请强制执行",
        case.decision.number,
        "中国工商银行陵川县支行",
    ]:
        assert item in text, item
    receipts = [_gen(p, case, "service_receipt", s) for s in case.service_records.order_by("pk")]
    assert any(reminder.number in _text(r, tmp_path) for r in receipts)


def test_the_section_reads_a_fixed_number_of_queries(closed_case, p, django_assert_max_num_queries):
    generate_all_for = [b for b in builders.all_builders() if b.may is None]
    for builder in generate_all_for:
        for obj in builder.objects(builders.CaseData(closed_case)):
            _gen(p, closed_case, builder.doc_type, obj)
    with django_assert_max_num_queries(40):
        section = selectors.case_document_section(closed_case, user=p.zhangming)
    assert sum(len(g.rows) for g in section.groups) >= 9 and section.notices == []


# 不予受理通知书 (若干规定 第十八条) ----------------------------------------------------------------

DISPUTE = "双方对经济补偿金的计算基数有争议，用人单位已按其标准支付，属于劳动争议"


def _declined(f, p, **kw):
    params = dict(
        disposition="labour_dispute",
        reason=DISPUTE,
        decided_on=dt.date(2026, 3, 4),
        notified_on=dt.date(2026, 3, 5),
    )
    params.update(kw)
    case_services.case_transition(case=f.case, action="decline", actor=p.wangqiang, **params)
    return f.refresh()


def test_a_refused_complaint_gets_its_not_accepted_notice(flow, p, tmp_path):
    f = flow().registered()
    with pytest.raises(DomainError, match="未对投诉作出不予受理决定"):
        services.case_document_generate(
            actor=p.wangqiang, case=f.case, doc_type="not_accepted_notice"
        )
    case = _declined(f, p)
    rows = [r for g in selectors.case_document_rows(case, user=p.wangqiang) for r in g.rows]
    row = next(r for r in rows if r.doc_type == "not_accepted_notice")
    assert row.may_generate and "告知依照劳动争议处理程序办理" in row.label

    # The unit head who refused makes it (no case team is needed for a lead).
    doc = services.case_document_generate(
        actor=p.wangqiang, case=case, doc_type="not_accepted_notice"
    )
    assert "监不受字〔2026〕第1号" in doc.number
    assert "孙某" not in doc.title and case.registration_no in doc.title  # 条例 第九条
    text = _text(doc, tmp_path)
    for item in [
        "孙某：",
        case.registration_no,
        "2026年3月2日收到",
        case.parties.get().name,  # the employer complained about
        "反映拖欠工资、超时加班",  # the matter
        DISPUTE,  # the reason, from the decline
        "不予受理，告知依照劳动争议处理程序办理",  # the decision, from the disposition
        "《关于实施〈劳动保障监察条例〉若干规定》第十八条",  # the basis
        "《劳动保障监察条例》第二十一条",
        "向劳动人事争议仲裁委员会申请仲裁",  # where to turn instead
        "2026年3月4日决定",
        "六十日内向陵川县人民政府申请行政复议",
        "陵川县人力资源和社会保障局",
        "2026年3月5日",  # the date of the written notice
        "（印章）",
    ]:
        assert squash(item) in text, item

    again = services.case_document_generate(
        actor=p.wangqiang, case=case, doc_type="not_accepted_notice"
    )
    assert again.number == doc.number and again.replaces_id == doc.pk


def test_the_notice_names_the_competent_bureau_and_the_article_of_the_refusal(flow, p, tmp_path):
    f = flow().registered()
    case = _declined(
        f,
        p,
        disposition="other_jurisdiction",
        reason="用工所在地在高平市，不属于本机关管辖",
        competent_body="高平市人力资源和社会保障局",
    )
    doc = services.case_document_generate(
        actor=p.wangqiang, case=case, doc_type="not_accepted_notice"
    )
    text = _text(doc, tmp_path)
    assert "用工所在地在高平市，不属于本机关管辖" in text
    assert "《劳动保障监察条例》第十三条" in text
    assert "请你向高平市人力资源和社会保障局提出投诉" in text


def test_only_those_who_may_see_the_complainant_make_the_notice(flow, p):
    case = _declined(flow().registered(), p)
    with pytest.raises(NotPermitted, match="投诉人身份保密"):
        services.case_document_generate(actor=p.zhaoliu, case=case, doc_type="not_accepted_notice")


def test_a_declined_lead_without_a_complainant_has_no_notice(flow, p):
    f = flow().registered(source="patrol", complainant=False)
    case = _declined(f, p, disposition="not_filed", reason="经核查已改正", notified_on=None)
    with pytest.raises(DomainError, match="未对投诉作出不予受理决定"):
        services.case_document_generate(
            actor=p.wangqiang, case=case, doc_type="not_accepted_notice"
        )
