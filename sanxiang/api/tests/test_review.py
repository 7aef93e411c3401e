"""/api/v1 legal review: status, 送审 by the case's officers, the opinion by a designated
reviewer — the review pages' checks and services, and the decision gate they feed."""

from __future__ import annotations

import pytest

from sanxiang.review import rules
from sanxiang.review.choices import Point
from sanxiang.review.tests.conftest import flow, items, major, p, r  # noqa: F401  (fixtures)

from .support import as_user

pytestmark = pytest.mark.django_db


def post(client, path, body):
    return client.post(f"/api/v1{path}", body, content_type="application/json")


SUBMIT = {"checklist": [k for k, _ in rules.MATERIALS], "attested": True, "note": ""}


def test_review_gate_through_the_api(major, r):  # noqa: F811
    case = major.case
    status = as_user(r.zhangming).get(f"/api/v1/cases/{case.pk}/review").json()
    assert status["required"] and status["code"] == "not_submitted" and status["reasons"]
    blocked = post(as_user(r.liujuzhang), f"/cases/{case.pk}/actions/decide", {})
    assert blocked.status_code == 409 and any("法制审核" in x for x in blocked.json()["reasons"])

    # Only the case's officers send the dossier; the attestation is required.
    assert (
        post(as_user(r.zhaomin), f"/cases/{case.pk}/review/submissions", SUBMIT).status_code == 403
    )
    unattested = post(
        as_user(r.lihua), f"/cases/{case.pk}/review/submissions", {**SUBMIT, "attested": False}
    )
    assert unattested.status_code in (409, 422) and unattested.json()["message"]
    sent = post(as_user(r.lihua), f"/cases/{case.pk}/review/submissions", SUBMIT)
    assert sent.status_code == 201
    submission = sent.json()["id"]

    body = {f"{code}_result": "pass" for code in Point.values}
    # An officer of the case may not review it; an opinion needs its reasons.
    assert (
        post(as_user(r.zhangming), f"/review/submissions/{submission}/conclusion", body).status_code
        == 403
    )
    no_reasons = post(
        as_user(r.zhaomin),
        f"/review/submissions/{submission}/conclusion",
        {**body, "opinion": "agree"},
    )
    assert no_reasons.status_code in (409, 422) and no_reasons.json()["message"]
    agreed = post(
        as_user(r.zhaomin),
        f"/review/submissions/{submission}/conclusion",
        {**body, "opinion": "agree", "reasons": "同意。"},
    )
    assert agreed.status_code == 200 and agreed.json()["review"]["document_number"]
    again = post(
        as_user(r.zhaomin),
        f"/review/submissions/{submission}/conclusion",
        {**body, "opinion": "agree", "reasons": "同意。"},
    )
    assert again.status_code == 409
    listed = as_user(r.zhangming).get(f"/api/v1/cases/{case.pk}/review/submissions").json()
    assert listed["count"] == 1 and listed["items"][0]["status"]["value"] == "concluded"
    decided = post(as_user(r.liujuzhang), f"/cases/{case.pk}/actions/decide", {})
    assert decided.status_code == 200, decided.content
