"""403 parity beyond the case actions: for every demo persona, the API refuses with 403
exactly where the page does — legal review (送审, the opinion), publicity (approve, withdraw,
export), inspections (a task's result and its publication, the draw) and the reads of the
registry, documents, evidence and the ledger. One set-up per test; each call in a rolled-back
transaction, so every persona meets the same state."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.utils import timezone

from sanxiang.api import formschema
from sanxiang.api.routers import review as api_review
from sanxiang.review.tests.conftest import flow, items, major, p, r  # noqa: F401  (fixtures)

from .support import as_user, load_demo

pytestmark = pytest.mark.django_db


def _call(client, method: str, path: str, body, *, api: bool):
    with transaction.atomic():
        if method == "GET":
            response = client.get(path, body or {})
        elif api:
            response = client.post(path, body or {}, content_type="application/json")
        else:
            response = client.post(path, body or {})
        transaction.set_rollback(True)
    return response


def compare(rows) -> tuple[list, dict]:
    """rows: (label, method, api path, api body, page path, page data). Returns the
    mismatches and the count of each API status. A 403 on one side must be a 403 on the other
    (a page that only showed the refusal next to its form would be a mismatch)."""
    users = list(get_user_model().objects.filter(is_active=True).order_by("username"))
    assert len(users) >= 12
    mismatches, seen = [], {}
    for user in users:
        api = as_user(user)
        page = Client()
        page.force_login(user)
        for label, method, api_path, body, page_path, data in rows:
            a = _call(api, method, api_path, body, api=True)
            b = _call(page, method, page_path, data, api=False)
            seen[a.status_code] = seen.get(a.status_code, 0) + 1
            if (a.status_code == 403) == (b.status_code == 403):
                continue
            mismatches.append((label, user.username, a.status_code, b.status_code))
    return mismatches, seen


def _page_data(schema, fields, body) -> dict:
    return formschema.form_data(schema.model_validate_json(json.dumps(body)), fields)


def test_review_and_the_reads_refuse_exactly_where_the_pages_do(major, r):  # noqa: F811
    from sanxiang.review import rules
    from sanxiang.review.choices import Point

    case = major.case
    submit = {"checklist": [k for k, _ in rules.MATERIALS], "attested": True, "note": ""}
    conclude = {f"{c}_result": "pass" for c in Point.values} | {
        "opinion": "agree",
        "reasons": "同意。",
    }
    # A round in review, for the opinion (the submission stays: the reviewer acts on it).
    sent = as_user(r.lihua).post(
        f"/api/v1/cases/{case.pk}/review/submissions", submit, content_type="application/json"
    )
    assert sent.status_code == 201, sent.json()
    submission = sent.json()["id"]
    submit_fields = dict(api_review.review_forms.SubmitForm.base_fields)
    rows = [
        (
            "review submit",
            "POST",
            f"/api/v1/cases/{case.pk}/review/submissions",
            submit,
            f"/review/cases/{case.pk}/submit/",
            _page_data(api_review.SubmitBody, submit_fields, submit),
        ),
        (
            "review conclude",
            "POST",
            f"/api/v1/review/submissions/{submission}/conclusion",
            conclude,
            f"/review/submissions/{submission}/review/",
            _page_data(api_review.ConcludeBody, api_review._REVIEW_FIELDS, conclude),
        ),
        (
            "review read",
            "GET",
            f"/api/v1/review/submissions/{submission}",
            None,
            f"/review/submissions/{submission}/",
            None,
        ),
        (
            "registry officers",
            "GET",
            "/api/v1/registry/officers",
            None,
            "/registry/officers/",
            None,
        ),
        (
            "documents of a case",
            "GET",
            f"/api/v1/cases/{case.pk}/documents",
            None,
            "/records/documents/",
            None,
        ),
        (
            "evidence of a case",
            "GET",
            f"/api/v1/cases/{case.pk}/evidence",
            None,
            f"/records/evidence/cases/{case.pk}/",
            None,
        ),
        ("ledger audit", "GET", "/api/v1/ledger/audit", None, "/audit/", None),
        (
            "ledger events of a case",
            "GET",
            f"/api/v1/ledger/subjects/case/{case.pk}/events",
            None,
            f"/cases/{case.pk}/",
            None,
        ),
    ]
    mismatches, seen = compare(rows)
    assert mismatches == [], "\n".join(map(str, mismatches))
    assert seen.get(403, 0) and (seen.get(200, 0) + seen.get(201, 0)), seen


def test_publicity_refuses_exactly_where_the_pages_do(flow):  # noqa: F811
    from sanxiang.publicity.sweeps import collect_sweep

    flow().served(legal_basis="《劳动保障监察条例》第二十五条")
    flow().served(legal_basis="《劳动保障监察条例》第二十五条")
    collect_sweep(timezone.now())
    from sanxiang.publicity.models import Publication
    from sanxiang.publicity.services import publication_approve

    draft, published = list(Publication.objects.order_by("pk"))
    zhou = get_user_model().objects.get(username="zhougongshi")
    publication_approve(publication=published, actor=zhou, confidentiality_checked=True)
    withdraw = {"reason": "决定已被依法撤销"}
    rows = [
        (
            "approve",
            "POST",
            f"/api/v1/publicity/publications/{draft.pk}/approve",
            {"confidentiality_checked": True},
            f"/publicity/{draft.pk}/approve/",
            {"confidentiality_checked": "on"},
        ),
        (
            "withdraw",
            "POST",
            f"/api/v1/publicity/publications/{published.pk}/withdraw",
            withdraw,
            f"/publicity/{published.pk}/withdraw/",
            withdraw,
        ),
        (
            "withhold",
            "POST",
            f"/api/v1/publicity/publications/{draft.pk}/withhold",
            {"grounds": ["privacy"], "reason": "隐私"},
            f"/publicity/{draft.pk}/withhold/",
            {"grounds": ["privacy"], "reason": "隐私"},
        ),
        ("export", "GET", "/api/v1/publicity/export", None, "/publicity/export/", None),
        ("list", "GET", "/api/v1/publicity/publications", None, "/publicity/", None),
        (
            "detail",
            "GET",
            f"/api/v1/publicity/publications/{draft.pk}",
            None,
            f"/publicity/{draft.pk}/",
            None,
        ),
    ]
    mismatches, seen = compare(rows)
    assert mismatches == [], "\n".join(map(str, mismatches))
    assert seen.get(403, 0) and seen.get(200, 0), seen


def test_inspections_refuse_exactly_where_the_pages_do(personas, agency):
    from sanxiang.inspections.models import Plan, Task

    load_demo(personas, agency, "inspections")
    plan = Plan.objects.get(code="2026-01")
    open_task = Task.objects.filter(plan=plan, result="").order_by("number").first()
    done_task = Task.objects.filter(plan=plan, published_at=None).exclude(result="").first()
    result = {
        "inspected_on": timezone.localdate().isoformat(),
        "result": "none_found",
        "findings": "未发现违法行为。",
    }
    rows = [
        (
            "task result",
            "POST",
            f"/api/v1/inspections/tasks/{open_task.pk}/result",
            result,
            f"/inspections/tasks/{open_task.pk}/result/",
            result,
        ),
        (
            "task publish",
            "POST",
            f"/api/v1/inspections/tasks/{done_task.pk}/publish",
            None,
            f"/inspections/tasks/{done_task.pk}/publish/",
            None,
        ),
        (
            "plan draw",
            "POST",
            f"/api/v1/inspections/plans/{plan.pk}/draw",
            None,
            f"/inspections/plans/{plan.pk}/draw/",
            None,
        ),
        (
            "plan publish",
            "POST",
            f"/api/v1/inspections/plans/{plan.pk}/publish",
            None,
            f"/inspections/plans/{plan.pk}/publish/",
            None,
        ),
        (
            "plan freeze",
            "POST",
            f"/api/v1/inspections/plans/{plan.pk}/freeze",
            None,
            f"/inspections/plans/{plan.pk}/freeze/",
            None,
        ),
        ("plans", "GET", "/api/v1/inspections/plans", None, "/inspections/plans/", None),
        ("tasks", "GET", "/api/v1/inspections/tasks", None, "/inspections/tasks/", None),
        ("targets", "GET", "/api/v1/inspections/targets", None, "/inspections/targets/", None),
    ]
    mismatches, seen = compare(rows)
    assert mismatches == [], "\n".join(map(str, mismatches))
    assert seen.get(403, 0) and seen.get(200, 0), seen
