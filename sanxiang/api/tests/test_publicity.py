"""/api/v1/publicity: the publicity pages' workflow for machines — review and publish the masked
text, withdraw it, export 双公示 records — with the same permissions and the same services."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from sanxiang.cases.tests.conftest import flow, items, p  # noqa: F401  (fixtures)
from sanxiang.ledger.models import Event
from sanxiang.publicity.sweeps import collect_sweep

from .support import as_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(flow):  # noqa: F811
    f = flow().served(legal_basis="《劳动保障监察条例》第二十五条")
    collect_sweep(timezone.now())
    return f


def test_publish_withdraw_and_export_with_the_pages_permissions(draft, p):  # noqa: F811
    zhou, zhang = as_user(p.zhougongshi), as_user(p.zhangming)
    listed = zhou.get("/api/v1/publicity/publications", {"tab": "draft"}).json()
    assert listed["count"] == 1
    pub = listed["items"][0]
    assert pub["case_id"] == draft.case.pk and pub["state"]["value"] == "draft"
    path = f"/api/v1/publicity/publications/{pub['id']}"

    # An officer may read but not publish (the page's permission): 403.
    assert zhang.get(path).status_code == 200
    refused = zhang.post(f"{path}/approve", {}, content_type="application/json")
    assert refused.status_code == 403
    assert as_user(p.wuquanxian).get(path).status_code == 403

    published = zhou.post(
        f"{path}/approve", {"confidentiality_checked": True}, content_type="application/json"
    )
    assert published.status_code == 200, published.content
    assert published.json()["state"]["value"] == "published"
    again = zhou.post(f"{path}/approve", {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["reasons"]

    exported = zhou.get("/api/v1/publicity/export").json()
    assert [r["DQZT"] for r in exported["records"]] == ["0"]
    assert exported["records"][0]["CF_WSH"] == draft.case.decision.number
    assert {f["code"] for f in exported["fields"]} >= {"CF_XDR_MC", "CF_WSH", "CF_JDRQ"}
    assert Event.objects.filter(type="security.exported").count() == 1

    empty = zhou.post(f"{path}/withdraw", {"reason": ""}, content_type="application/json")
    assert empty.status_code == 422 and "reason" in empty.json()["fields"]
    withdrawn = zhou.post(
        f"{path}/withdraw", {"reason": "决定已被依法撤销"}, content_type="application/json"
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["state"]["value"] == "withdrawn"
    assert withdrawn.json()["end_reason"] == "决定已被依法撤销"

    sheet = zhou.get("/api/v1/publicity/export.csv", {"date_from": "2026-01-01"})
    assert sheet.status_code == 200 and sheet["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    assert rows[0][0] == "CF_XDR_MC" and len(rows) == 3
    assert rows[2][rows[0].index("DQZT")] == "1"
    xlsx = zhou.get("/api/v1/publicity/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert zhang.get("/api/v1/publicity/export").status_code == 403
    assert zhou.get("/api/v1/publicity/export", {"date_from": 20260101}).status_code == 422


def test_an_export_with_a_nonconforming_record_is_refused_with_every_problem(flow, p):  # noqa: F811
    flow().served()  # a proposal without its legal basis: CF_YJ would be empty
    collect_sweep(timezone.now())
    zhou = as_user(p.zhougongshi)
    pub = zhou.get("/api/v1/publicity/publications", {"tab": "draft"}).json()["items"][0]
    path = f"/api/v1/publicity/publications/{pub['id']}"
    zhou.post(f"{path}/approve", {"confidentiality_checked": True}, content_type="application/json")
    refused = zhou.get("/api/v1/publicity/export")
    assert refused.status_code == 409
    assert any("CF_YJ" in r for r in refused.json()["reasons"])
    failure = Event.objects.filter(type="security.exported").get()
    assert '"result":"failure"' in failure.payload.replace(" ", "")


def test_a_decision_change_sets_the_withdrawal_due_and_a_draft_can_be_withheld(
    flow,  # noqa: F811
    p,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    first = flow().served(legal_basis="《劳动保障监察条例》第二十五条")
    collect_sweep(timezone.now())
    zhou = as_user(p.zhougongshi)
    pub = zhou.get("/api/v1/publicity/publications", {"tab": "draft"}).json()["items"][0]
    path = f"/api/v1/publicity/publications/{pub['id']}"
    zhou.post(f"{path}/approve", {"confidentiality_checked": True}, content_type="application/json")
    decided = first.case.decision.decided_on
    change = {
        "kind": "revoked",
        "authority": "review",
        "authority_name": "陵川县人民政府",
        "document": "陵政复决字〔2026〕3号",
        "happened_on": decided.isoformat(),
        "reason": "行政复议决定撤销原处罚决定",
    }
    # The change is a fact of the case: recorded with the case action, by the legal-review
    # staff or the heads (the 公示管理员 and the officers get 403, as on the case page).
    action = f"/api/v1/cases/{first.case.pk}/actions/change_decision"
    for who in (p.zhangming, p.zhougongshi):
        refused = as_user(who).post(action, change, content_type="application/json")
        assert refused.status_code == 403, refused.json()
    zhaomin = as_user(p.zhaomin)
    wrong = zhaomin.post(action, {**change, "kind": "annulled"}, content_type="application/json")
    assert wrong.status_code == 422 and set(wrong.json()["fields"]) == {"kind"}
    # After commit the publicity subscription sets the 3-working-day withdrawal deadline.
    with django_capture_on_commit_callbacks(execute=True):
        recorded = zhaomin.post(action, change, content_type="application/json")
    assert recorded.status_code == 200, recorded.json()
    assert Event.objects.filter(type="case.decision_changed").count() == 1
    assert Event.objects.filter(type="publicity.decision_changed").count() == 1
    detail = zhou.get(path).json()
    assert detail["withdraw_due"], detail
    # A revoked decision is no longer enforced: registering a payment is refused with why.
    pay = as_user(p.zhangming).post(
        f"/api/v1/cases/{first.case.pk}/actions/pay",
        {
            "amount": "100.00",
            "paid_on": decided.isoformat(),
            "receipt_no": "R1",
            "kind": "fine",
            "channel": "bank",
        },
        content_type="application/json",
    )
    assert pay.status_code == 409 and "撤销" in pay.json()["message"], pay.json()

    # A draft withheld with its grounds, by a 公示管理员; it is then no longer a draft.
    flow().served(legal_basis="《劳动保障监察条例》第二十五条")
    collect_sweep(timezone.now())
    second = zhou.get("/api/v1/publicity/publications", {"tab": "draft"}).json()["items"][0]
    withhold = f"/api/v1/publicity/publications/{second['id']}/withhold"
    body = {"grounds": ["privacy"], "reason": "主要事实涉及劳动者个人隐私"}
    assert (
        as_user(p.zhangming).post(withhold, body, content_type="application/json").status_code
        == 403
    )
    empty = zhou.post(withhold, {**body, "grounds": []}, content_type="application/json")
    assert empty.status_code == 422 and "grounds" in empty.json()["fields"]
    done = zhou.post(withhold, body, content_type="application/json")
    assert done.status_code == 200, done.json()
    assert done.json()["state"]["value"] == "withheld"
    assert "个人隐私" in done.json()["end_reason"]
    again = zhou.post(withhold, body, content_type="application/json")
    assert again.status_code == 409 and again.json()["reasons"]
