"""/api/v1/cases/{id}/documents and /api/v1/documents: the case's documents, making one from
the case's data as the case page's 文书 section does, and downloads recorded in the ledger
like the page's (``security.document_downloaded``)."""

from __future__ import annotations

import hashlib
import json

import pytest

from sanxiang.cases.demo import MARK
from sanxiang.cases.models import Case
from sanxiang.ledger.models import Event
from sanxiang.records.models import GeneratedDocument

from .support import as_user, load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(personas, agency):
    return load_demo(personas, agency, "cases")


def patrol_case() -> Case:
    """Demo case 4: under investigation, 张明 and 李华 on the team, an inspection record."""
    return Case.objects.get(summary__startswith=MARK, summary__contains="日常巡查发现超时加班")


def generate_first(client, case: Case, preferred=("filing_approval", "inspection_record")) -> dict:
    slots = client.get(f"/api/v1/cases/{case.pk}/documents/slots", {"limit": 100}).json()
    slot = next(
        s for t in preferred for s in slots["items"] if s["doc_type"] == t and s["may_generate"]
    )
    body = {"doc_type": slot["doc_type"]}
    if slot["obj_id"] is not None:
        body["obj"] = slot["obj_id"]
    response = client.post(
        f"/api/v1/cases/{case.pk}/documents", body, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_an_officer_of_the_case_makes_a_document_and_it_is_listed(demo):
    case = patrol_case()
    client = as_user(demo.zhangming)
    before = client.get(f"/api/v1/cases/{case.pk}/documents").json()["count"]
    made = generate_first(client, case)
    assert made["case_id"] == case.pk and made["current"] is True
    assert made["files"][0]["kind"] == "pdf" and len(made["files"][0]["sha256"]) == 64
    listed = client.get(f"/api/v1/cases/{case.pk}/documents", {"limit": 100}).json()
    assert listed["count"] == before + 1
    assert made["id"] in [d["id"] for d in listed["items"]]
    # The ledger names the same hash the API shows.
    event = Event.objects.get(seq=made["ledger_seq"])
    files = json.loads(event.payload)["data"]["files"]
    assert files[0]["sha256"] == made["files"][0]["sha256"]
    assert client.get(f"/api/v1/documents/{made['id']}").json()["number"] == made["number"]


def test_download_is_recorded_in_the_ledger_before_the_file_leaves(demo):
    case = patrol_case()
    made = generate_first(as_user(demo.zhangming), case)
    reader = as_user(demo.wangqiang)
    downloads = Event.objects.filter(type="security.document_downloaded")
    count = downloads.count()
    response = reader.get(f"/api/v1/documents/{made['id']}/files/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    assert hashlib.sha256(body).hexdigest() == made["files"][0]["sha256"]
    assert downloads.count() == count + 1
    last = downloads.order_by("-seq").first()
    assert last.actor_id == demo.wangqiang.pk
    assert json.loads(last.payload)["data"]["document"] == made["id"]
    # No scan uploaded yet: 404, and nothing recorded.
    missing = reader.get(f"/api/v1/documents/{made['id']}/files/scan")
    assert missing.status_code == 404 and missing.json()["message"] == "该文书没有此文件"
    assert downloads.count() == count + 1


def test_only_the_case_team_may_make_documents(demo):
    """王强 (unit head) reads the case but is not on its team: 403 with the reason the case page
    shows; 无权限用户 may not even see the case."""
    case = patrol_case()
    head = as_user(demo.wangqiang)
    slots = head.get(f"/api/v1/cases/{case.pk}/documents/slots", {"limit": 100}).json()
    row = next(s for s in slots["items"] if s["doc_type"] == "filing_approval")
    assert row["may_generate"] is False and row["reasons"]
    refused = head.post(
        f"/api/v1/cases/{case.pk}/documents",
        {"doc_type": "filing_approval"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert (
        refused.json()["message"] == "；".join(row["reasons"]) == "只有本案办案人员可以制作本案文书"
    )

    made = generate_first(as_user(demo.zhangming), case)
    nobody = as_user(demo.wuquanxian)
    refused = nobody.get(f"/api/v1/cases/{case.pk}/documents")
    assert refused.status_code == 403 and refused.json()["message"] == "您没有查看案件的权限"
    for path in (f"/api/v1/documents/{made['id']}", f"/api/v1/documents/{made['id']}/files/pdf"):
        refused = nobody.get(path)
        assert (
            refused.status_code == 403 and refused.json()["message"] == "您没有查看执法文书的权限"
        )


def test_unknown_objects_404_and_bad_input_422(demo):
    case = patrol_case()
    client = as_user(demo.zhangming)
    documents = GeneratedDocument.objects.count()
    assert client.get("/api/v1/cases/999999/documents").status_code == 404
    assert client.get("/api/v1/documents/999999").status_code == 404
    assert client.get("/api/v1/documents/999999/files/pdf").status_code == 404
    for body, field in (
        ({"doc_type": "no_such_document"}, "doc_type"),
        ({"doc_type": "filing_approval", "obj": "1"}, "obj"),
        ({"doc_type": "filing_approval", "colour": "red"}, "colour"),
        ({}, "doc_type"),
    ):
        response = client.post(
            f"/api/v1/cases/{case.pk}/documents", body, content_type="application/json"
        )
        assert response.status_code == 422, body
        assert field in response.json()["fields"], response.json()
    assert GeneratedDocument.objects.count() == documents  # bad input changes nothing
    bad_kind = client.get("/api/v1/documents/1/files/exe")
    assert bad_kind.status_code == 422
    not_json = client.post(
        f"/api/v1/cases/{case.pk}/documents", "doc_type=x", content_type="application/json"
    )
    assert not_json.status_code == 400


def test_case_documents_page(demo):
    case = patrol_case()
    client = as_user(demo.zhangming)
    generate_first(client, case)
    total = client.get(f"/api/v1/cases/{case.pk}/documents").json()["count"]
    page = client.get(f"/api/v1/cases/{case.pk}/documents", {"limit": 1, "offset": 0}).json()
    assert page["count"] == total and len(page["items"]) == 1
    assert (page["next"] is None) == (total == 1)
