"""One case from complaint to publication through /api/v1 alone, each step by the demo persona
whose job it is, each with a personal token — the API a provincial platform or a field app
would use. Reference data (certificates, the catalogue, reviewer designations) is set up as in
the cases and review tests; every step of the case itself is an HTTP call."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from sanxiang.api import services as api_services
from sanxiang.cases.models import Case
from sanxiang.ledger.selectors import events_of_subject
from sanxiang.lib import codes
from sanxiang.review import rules as review_rules
from sanxiang.review.choices import Point
from sanxiang.review.tests.conftest import items, p, r  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


class Api:
    """A machine calling as ``user`` with a personal token."""

    def __init__(self, user):
        _token, raw = api_services.token_create(actor=user, name="对接测试")
        self.user = user
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def get(self, path, expect=200, **params):
        response = self.client.get(f"/api/v1{path}", params)
        assert response.status_code == expect, (path, response.status_code, response.content)
        return (
            response.json() if response["Content-Type"].startswith("application/json") else response
        )

    def post(self, path, body=None, expect=200):
        response = self.client.post(f"/api/v1{path}", body or {}, content_type="application/json")
        assert response.status_code == expect, (
            self.user.username,
            path,
            response.status_code,
            response.content.decode(),
        )
        return response.json()


def act(client: Api, case_id: int, action: str, body=None, *, obj=None, expect=200):
    suffix = f"/{obj}" if obj is not None else ""
    return client.post(f"/cases/{case_id}/actions/{action}{suffix}", body, expect=expect)


def test_complaint_to_publication_through_the_api_as_the_personas(
    r,  # noqa: F811
    items,  # noqa: F811
    agency,
    django_capture_on_commit_callbacks,
):
    zhang, li, wang = Api(r.zhangming), Api(r.lihua), Api(r.wangqiang)
    zhaomin, liu, zhou = Api(r.zhaomin), Api(r.liujuzhang), Api(r.zhougongshi)
    uscc = codes.make_uscc(__import__("random").Random(9), region="140524")

    # 登记投诉 (张明): a job agency charging fees, the complainant's identity kept confidential.
    case = zhang.post(
        "/cases",
        {
            "source": "complaint",
            "channel": "window",
            "received_on": "2026-03-02",
            "summary": "反映职业介绍机构违规收费",
            "facts": "投诉人反映该机构收取押金后未介绍工作。",
            "request": "依法查处",
            "workers_affected": 3,
            "violation_from": "2026-01-05",
            "violation_until": "2026-02-27",
            "complainant_name": "孙某",
            "complainant_phone": "13903560101",
            "party_kind": "organisation",
            "party_name": "陵川县示例职业介绍有限公司",
            "party_uscc": uscc,
            "party_legal_representative": "钱某",
            "party_address": "陵川县崇文镇",
            "cause": items.job_agency.pk,
        },
        expect=201,
    )
    case_id = case["id"]
    assert case["state"]["value"] == "lead" and case["registration_no"]
    assert "孙某" not in str(case)  # complainants are not in the case record the API returns

    # Filing is blocked until two officers are assigned: 409 with the Chinese reasons.
    blocked = act(wang, case_id, "file", {"filed_on": "2026-03-03"}, expect=409)
    assert blocked["code"] == "blocked" and blocked["reasons"]
    assert any("执法人员" in reason for reason in blocked["reasons"])

    # 指派两名办案人员, 受理并立案 (王强).
    act(wang, case_id, "assign", {"user": r.zhangming.pk, "role": "lead", "on": "2026-03-02"})
    act(wang, case_id, "assign", {"user": r.lihua.pk, "role": "assist", "on": "2026-03-02"})
    filed = act(wang, case_id, "file", {"filed_on": "2026-03-03"})
    assert filed["case"]["state"]["value"] == "investigating"
    assert filed["case"]["case_no"].startswith("陵人社监立字〔2026〕")

    # 调查 (张明、李华): an interview record, an order to correct and its check, the proposal.
    act(
        zhang,
        case_id,
        "record_interview",
        {
            "started_at": "2026-03-10T09:00:00+08:00",
            "ended_at": "2026-03-10T10:00:00+08:00",
            "place": "陵川县人社局询问室",
            "officers": [r.zhangming.pk, r.lihua.pk],
            "person_name": "钱某",
            "person_post": "法定代表人",
            "person_relation": "被调查单位法定代表人",
            "ids_shown": True,
            "recusal_asked": True,
            "recusal_answer": "不申请回避",
            "truth_duty_told": True,
            "content": "问：……答：……",
            "pages": 2,
            "person_signed": True,
            "officers_signed": True,
        },
    )
    order = act(
        li,
        case_id,
        "issue_order",
        {
            "content": "立即退还违规收取的押金",
            "legal_basis": "《劳动保障监察条例》第二十八条",
            "due_on": "2026-03-20",
            "issued_on": "2026-03-10",
        },
    )
    act(
        li,
        case_id,
        "check_order",
        {"result": "complied", "note": "已退还", "checked_on": "2026-03-20"},
        obj=order["object"]["id"],
    )
    act(
        zhang,
        case_id,
        "propose",
        {
            "kind": "penalty",
            "item_version": items.job_agency.pk,
            "penalty_types": ["fine", "revoke_licence"],
            "fine_amount": "20000",
            "facts_found": "经查，该机构收取求职者押金共计3000元。",
            "legal_basis": "《劳动保障监察条例》第二十八条",
            "on": "2026-03-24",
        },
    )
    actions = zhang.get(f"/cases/{case_id}/actions", limit=100)["items"]
    assert next(a for a in actions if a["name"] == "conclude")["allowed"]
    act(zhang, case_id, "conclude", {"concluded_on": "2026-03-25"})

    # 事先告知 with the right to a hearing (licence revocation), 听证.
    act(
        zhang,
        case_id,
        "notify",
        {
            "served_on": "2026-03-26",
            "method": "direct",
            "receiver_name": "钱某",
            "receiver_relation": "legal_rep",
        },
    )
    act(zhang, case_id, "request_hearing", {"requested_on": "2026-03-30", "note": "申请听证"})
    act(
        wang,
        case_id,
        "schedule_hearing",
        {
            "scheduled_at": "2026-04-20T09:00:00+08:00",
            "place": "听证室",
            "presider": r.chenlvshi.pk,
            "notice_served_on": "2026-04-08",
        },
    )
    act(
        Api(r.chenlvshi),
        case_id,
        "record_hearing",
        {
            "party_attended": False,
            "agent_1": "钱某某（律师）",
            "record_summary": "调查人员陈述……当事人申辩……",
            "report": "建议维持",
            "party_signed": True,
        },
    )
    heard = act(zhang, case_id, "end_hearing", {"ended_on": "2026-04-20"})
    assert heard["case"]["state"]["value"] == "pending_decision" and heard["case"]["is_major"]

    # The major decision is blocked until the heads discuss it and legal review agrees.
    refused = act(liu, case_id, "decide", {}, expect=409)
    assert any("法制审核" in reason for reason in refused["reasons"])
    act(
        liu,
        case_id,
        "discuss",
        {
            "held_on": "2026-04-21",
            "chair": r.liujuzhang.pk,
            "attendee_1": r.liujuzhang.pk,
            "opinion_1": "同意拟处理意见",
            "attendee_2": r.wangqiang.pk,
            "opinion_2": "同意",
            "conclusion_kind": "agree",
            "conclusion": "同意拟处理意见",
        },
    )

    # 法制审核: 张明 submits the dossier, 赵敏 reviews it.
    status = zhang.get(f"/cases/{case_id}/review")
    assert status["required"] and status["code"] == "not_submitted"
    submission = zhang.post(
        f"/cases/{case_id}/review/submissions",
        {"checklist": [k for k, _ in review_rules.MATERIALS], "attested": True, "note": ""},
        expect=201,
    )
    assert submission["status"]["value"] == "pending" and len(submission["dossier_sha256"]) == 64
    conclusion = {f"{code}_result": "pass" for code in Point.values}
    conclusion.update(opinion="agree", reasons="经审核，事实清楚，证据确凿，同意。")
    reviewed = zhaomin.post(f"/review/submissions/{submission['id']}/conclusion", conclusion)
    assert reviewed["review"]["opinion"]["value"] == "agree"
    assert zhang.get(f"/cases/{case_id}/review")["code"] == "passed"

    # 作出决定 (刘局长), 送达 (张明), 缴款, 结案 (王强).
    # The test's transaction never commits: run what commits would run (the publicity app's
    # ledger subscription on case.decide collects the draft).
    with django_capture_on_commit_callbacks(execute=True):
        decided = act(liu, case_id, "decide", {})
    assert decided["case"]["state"]["value"] == "decided"
    assert "陵人社监罚字〔2026〕" in decided["message"]
    today = timezone.localdate().isoformat()
    act(
        zhang,
        case_id,
        "serve",
        {
            "served_on": today,
            "method": "direct",
            "receiver_name": "钱某",
            "receiver_relation": "legal_rep",
        },
    )
    act(
        zhang,
        case_id,
        "pay",
        {
            "kind": "fine",
            "amount": "20000.00",
            "paid_on": today,
            "receipt_no": "R-API-1",
            "channel": "bank",
        },
    )
    closed = act(
        wang,
        case_id,
        "close",
        {
            "closing_reason": "performed",
            "evidence": "罚款已缴清，凭证R-API-1；许可证已吊销",
            "closed_on": today,
        },
    )
    assert closed["case"]["state"]["value"] == "closed"
    # Closed cases are read-only, for the API as for the page.
    again = act(
        zhang,
        case_id,
        "pay",
        {"kind": "fine", "amount": "1.00", "receipt_no": "R2", "channel": "bank"},
        expect=409,
    )
    assert "只读" in again["message"]

    # 公示: the decision's draft was collected when the decision committed; 周公示 reviews the
    # masked text and publishes it.
    drafts = zhou.get("/publicity/publications", tab="draft")["items"]
    publication = next(d for d in drafts if d["case_id"] == case_id)
    detail = zhou.get(f"/publicity/publications/{publication['id']}")
    assert detail["approval_problems"] == [] and detail["text"]
    published = zhou.post(
        f"/publicity/publications/{publication['id']}/approve",
        {"confidentiality_checked": True, "confidentiality_note": "不涉密"},
    )
    assert published["state"]["value"] == "published"
    text = str(published["text"])
    # An organisation's name and code are public under 双公示; the complainant never is.
    assert uscc in text and "孙某" not in text and "13903560101" not in text

    # The timeline is the ledger's: every step above is in it, in order.
    timeline = zhang.get(f"/cases/{case_id}/timeline", limit=100)
    types = [e["type"] for e in timeline["items"]]
    for step in (
        "case.file",
        "case.conclude",
        "case.notify",
        "case.end_hearing",
        "case.decide",
        "case.serve",
        "case.close",
    ):
        assert step in types
    assert [e["seq"] for e in timeline["items"]] == sorted(e["seq"] for e in timeline["items"])
    assert timeline["count"] == events_of_subject(Case.objects.get(pk=case_id)).count()
    clocks = zhang.get(f"/cases/{case_id}/clocks", limit=100)["items"]
    assert {c["kind"]["value"] for c in clocks} >= {"acceptance", "investigation", "decision"}
    assert all(c["status"]["value"] != "open" for c in clocks)
    assert dt.date.fromisoformat(clocks[0]["start"]) >= dt.date(2026, 3, 2)
