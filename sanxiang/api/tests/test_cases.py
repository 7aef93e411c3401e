"""/api/v1/cases: the case page's operations for machines. The rules are the pages' services;
these tests check that the API offers and refuses exactly what the page does."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.test import Client

from sanxiang.api import formschema
from sanxiang.api.routers import cases as api_cases
from sanxiang.cases.tests.conftest import flow, items, p  # noqa: F401  (fixtures)
from sanxiang.cases.tests.test_views_forms import FORMS
from sanxiang.cases.views.ops import OPS

from .support import as_user

pytestmark = pytest.mark.django_db


SETUPS = {form.op: form for form in FORMS}


def post(client, path, body):
    return client.post(f"/api/v1{path}", body, content_type="application/json")


def _kind(field) -> str:
    from django import forms

    if isinstance(field, forms.ModelMultipleChoiceField):
        return "ids"
    if isinstance(field, forms.ModelChoiceField):
        return "id"
    return type(field).__name__


def test_every_action_body_has_exactly_the_fields_of_the_pages_form(flow, p):  # noqa: F811
    from django import forms

    """The bodies are built from the forms' declared fields plus what ``setup()`` adds; this
    compares them with each form as instantiated on a real case, so they cannot drift."""
    f = flow().investigated()
    for op in OPS.values():
        declared = api_cases._form_fields(op.form)
        form = op.form(case=f.case, user=p.zhangming)
        assert set(declared) == set(form.fields), op.name
        for name, field in form.fields.items():
            # A placeholder (plain ``forms.Field``) stands for a single choice: an id.
            kind = "id" if type(declared[name]) is forms.Field else _kind(declared[name])
            if _kind(field) in ("id", "ids"):
                assert kind == _kind(field), (op.name, name)
        schema_fields = formschema.schema_for("Probe", declared).model_fields
        assert set(schema_fields) == set(form.fields), op.name


def test_a_blocked_action_answers_409_with_every_reason_and_writes_nothing(flow, p):  # noqa: F811
    f = flow().registered(party=False, cause=False)
    before = f.case.state
    response = post(as_user(p.wangqiang), f"/cases/{f.case.pk}/actions/file", {})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "blocked"
    assert any("当事人" in r for r in body["reasons"])
    assert any("案由" in r for r in body["reasons"])
    assert body["message"] == "；".join(body["reasons"])
    f.case.refresh_from_db()
    assert f.case.state == before


def test_action_in_the_wrong_state_is_409_and_without_the_role_is_403(flow, p):  # noqa: F811
    f = flow().registered()
    decide = post(as_user(p.liujuzhang), f"/cases/{f.case.pk}/actions/decide", {})
    assert decide.status_code == 409 and "只能在" in decide.json()["reasons"][0]
    file = post(as_user(p.zhangming), f"/cases/{f.case.pk}/actions/file", {})
    assert file.status_code == 403 and file.json()["message"] == "您没有“受理并立案”的权限"


def test_a_value_the_service_refuses_names_its_field(flow, p):  # noqa: F811
    f = flow().registered().assigned()
    response = post(
        as_user(p.wangqiang), f"/cases/{f.case.pk}/actions/file", {"filed_on": "2099-01-01"}
    )
    assert response.status_code in (409, 422)
    assert (
        "2099" not in str(response.json())
        or response.json()["reasons"]
        or response.json()["fields"]
    )


def test_actions_list_shows_what_the_case_page_offers_with_reasons(flow, p):  # noqa: F811
    f = flow().registered().assigned()
    items_ = (
        as_user(p.wangqiang)
        .get(f"/api/v1/cases/{f.case.pk}/actions", {"limit": 100})
        .json()["items"]
    )
    by_name = {a["name"]: a for a in items_}
    assert set(by_name) == set(OPS)
    assert by_name["file"]["allowed"] and by_name["file"]["kind"] == "transition"
    assert not by_name["decide"]["allowed"] and by_name["decide"]["reasons"]
    assert by_name["assign"]["allowed"]


def test_case_from_another_agency_is_403_like_the_page(flow, p):  # noqa: F811
    from sanxiang.registry.models import Agency, Unit

    f = flow().registered()
    other = Agency.objects.create(
        name="外县人社局", short_name="外人社", uscc="", legal_basis="条例", jurisdiction="外县"
    )
    unit = Unit.objects.create(agency=other, name="外县监察大队", kind=Unit.Kind.ENFORCEMENT)
    p.lihua.unit = unit
    p.lihua.save(update_fields=["unit"])
    api = as_user(p.lihua).get(f"/api/v1/cases/{f.case.pk}")
    browser = Client()
    browser.force_login(p.lihua)
    page = browser.get(f"/cases/{f.case.pk}/")
    assert api.status_code == page.status_code == 403


def test_missing_case_is_404(p):  # noqa: F811
    response = as_user(p.zhangming).get("/api/v1/cases/999999")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_lists_are_paginated_with_stable_ids(flow, p):  # noqa: F811
    ids = [flow().registered().case.pk for _ in range(3)]
    api = as_user(p.zhangming)
    first = api.get("/api/v1/cases", {"limit": 2}).json()
    assert first["count"] == 3 and len(first["items"]) == 2 and first["next"]
    second = api.get(first["next"]).json()
    assert sorted(i["id"] for i in first["items"] + second["items"]) == sorted(ids)
    assert api.get("/api/v1/cases", {"limit": 0}).status_code == 422
    assert api.get("/api/v1/cases", {"limit": 101}).status_code == 422


def test_list_query_count_does_not_grow_with_the_page(flow, p, django_assert_max_num_queries):  # noqa: F811
    for _ in range(5):
        flow().registered()
    api = as_user(p.zhangming)
    api.get("/api/v1/cases")  # warm the token's last-used stamp
    with django_assert_max_num_queries(12):
        assert len(api.get("/api/v1/cases", {"limit": 5}).json()["items"]) == 5


# --- 403 from the API exactly where the page refuses: roles × operations ----------------------

PERSONAS = [
    "zhangming",
    "lihua",
    "wangqiang",
    "zhaomin",
    "chenlvshi",
    "liujuzhang",
    "zhougongshi",
    "sundangan",
    "xitong",
    "anquan",
    "shenji",
    "wuquanxian",
]


def _bodies(p):  # noqa: F811
    return {
        # (case fixture, operation, body)
        "lead": [
            ("file", {"filed_on": "2026-03-03"}),
            (
                "decline",
                {"disposition": "not_accepted", "reason": "超过二年", "decided_on": "2026-03-03"},
            ),
            ("request_supplement", {"items": "身份证明", "notified_on": "2026-03-03"}),
            ("assign", {"user": p.zhaoliu.pk, "role": "assist", "on": "2026-03-02"}),
            ("flag", {"kind": "major", "reason": "人数多", "on": "2026-03-03"}),
        ],
        "investigating": [
            ("conclude", {"concluded_on": "2026-03-25"}),
            (
                "issue_order",
                {
                    "content": "改正",
                    "legal_basis": "条例",
                    "due_on": "2026-04-20",
                    "issued_on": "2026-03-25",
                },
            ),
            ("extend_investigation", {"reason": "复杂", "approved_on": "2026-03-25"}),
            (
                "transfer",
                {"transfer_to": "公安局", "reason": "涉嫌犯罪", "transferred_on": "2026-03-25"},
            ),
        ],
        "pending": [
            ("decide", {"decided_on": "2026-04-07"}),
            ("reopen", {"reason": "补充证据", "on": "2026-04-07"}),
            ("record_defence", {"form": "written", "content": "申辩", "received_on": "2026-04-07"}),
        ],
    }


def _generated_body(op, model, fields, p) -> dict:  # noqa: F811
    """A body of the right *shape* for an operation without a hand-written one: the API then
    reaches its permission check (a wrong shape would be 422 before it, the page never
    parses before its own check). Required members only, one plausible value each."""
    from django import forms

    body: dict = {}
    for name, info in model.model_fields.items():
        if not info.is_required():
            continue
        field = fields[name]
        if isinstance(field, forms.ModelMultipleChoiceField):
            value = [p.zhaoliu.pk]
        elif isinstance(field, forms.ModelChoiceField) or type(field) is forms.Field:
            value = p.zhaoliu.pk if name in ("user", "presider", "chair") else 1
        elif formschema._is_yes_no(field) or isinstance(field, forms.BooleanField):
            value = True
        elif isinstance(field, forms.MultipleChoiceField):
            value = list(formschema._choices(field))[:1]
        elif isinstance(field, forms.ChoiceField):
            value = formschema._choices(field)[0]
        elif isinstance(field, forms.DateTimeField):
            value = "2026-03-25T10:00:00+08:00"
        elif isinstance(field, forms.DateField):
            value = "2026-03-25"
        elif isinstance(field, forms.DecimalField) or (
            isinstance(field, forms.CharField) and field.widget.attrs.get("inputmode") == "decimal"
        ):
            value = "100.00"
        elif isinstance(field, forms.IntegerField):
            value = max(field.min_value or 1, 1)
        else:
            value = "说明"
        body[name] = value
    model.model_validate_json(json.dumps(body))  # the shape is right: never a schema 422
    return body


def _target(op, candidates, flow) -> tuple:  # noqa: F811
    """Where ``op`` can be tried: the first candidate case in a state that allows it (and, for
    an operation on a record, the path suffix of a record the page offers it on). An operation
    the shared cases cannot reach — a supplement asked for, a hearing, a preservation awaiting
    approval, an unchecked order, a payment plan, a court application, a paused clock — gets
    the cases app's own set-up for that form (``test_views_forms.FORMS``)."""
    if op.show is None:
        for case in candidates:
            if case.state not in _states_of(op):
                continue
            if op.model is None:
                return case, ""
            for obj in op.model.objects.filter(case=case).order_by("pk"):
                if op.when is None or op.when(obj):
                    return case, f"/{obj.pk}"
    form = SETUPS[op.name]
    f = form.setup(flow())
    f.case.refresh_from_db()
    assert f.case.state in _states_of(op), (op.name, f.case.state)
    if op.model is None:
        return f.case, ""
    obj = form.obj(f)
    assert op.when is None or op.when(obj), op.name
    return f.case, f"/{obj.pk}"


def _states_of(op) -> frozenset:
    from sanxiang.cases import workflow
    from sanxiang.cases.choices import TERMINAL_STATES

    if op.transition:
        return frozenset(workflow.TRANSITIONS[op.transition].sources)
    return frozenset(op.states) - TERMINAL_STATES


@pytest.mark.parametrize("part", ["transitions", "services"])
def test_api_refuses_with_403_exactly_where_the_page_does(flow, p, part):  # noqa: F811
    """Every operation of the case page (``cases.views.ops.OPS``) × every persona, on a case in
    a state where the operation is possible (and, for an operation on a record, one of the
    case's records): the API answers 403 exactly where the page does. In two parts (the
    transition table, the other services) so that each stays within a minute."""
    cases = {
        "lead": flow().registered().assigned().case,
        "investigating": flow().investigated().case,
        "concluded": flow().concluded().case,
        "notified": flow().notified().case,
        "pending": flow().pending().case,
        "decided": flow().decided().case,
        "served": flow().served().case,
    }
    hand = {op: (state, body) for state, rows in _bodies(p).items() for op, body in rows}
    from django.contrib.auth import get_user_model

    users = {name: get_user_model().objects.get(username=name) for name in PERSONAS}
    tokens = {name: as_user(u) for name, u in users.items()}

    def make(state: str, op_name: str, body: dict) -> None:
        """A record for the operations on records, made through the API by whoever may."""
        for token in tokens.values():
            if post(token, f"/cases/{cases[state].pk}/actions/{op_name}", body).status_code == 200:
                return

    make("lead", "flag", {"kind": "major", "reason": "人数多", "on": "2026-03-03"})
    make(
        "lead",
        "recusal",
        {
            "person": p.zhangming.pk,
            "kind": "application",
            "applicant": "钱某",
            "grounds": "利害关系",
        },
    )
    make("pending", "record_defence", hand["record_defence"][1])
    for state in cases:
        cases[state].refresh_from_db()
    browsers = {}
    for name, user in users.items():
        browsers[name] = Client()
        browsers[name].force_login(user)
    mismatches = []
    checked = 0
    seen: dict[int, int] = {}
    ops = {n: op for n, op in OPS.items() if bool(op.transition) == (part == "transitions")}
    for op_name, op in ops.items():
        fields = api_cases._form_fields(op.form)
        model = formschema.schema_for("Probe", fields)
        if op_name in hand:
            state, body = hand[op_name]
            case, suffix = _target(op, [cases[state]], flow)
        else:
            body = _generated_body(op, model, fields, p)
            case, suffix = _target(op, list(cases.values()), flow)
        data = formschema.form_data(model.model_validate_json(json.dumps(body)), fields)
        for name in users:
            with transaction.atomic():
                api = post(tokens[name], f"/cases/{case.pk}/actions/{op_name}{suffix}", body)
                transaction.set_rollback(True)
            with transaction.atomic():
                page = browsers[name].post(f"/cases/{case.pk}/do/{op_name}{suffix}/", data)
                transaction.set_rollback(True)
            checked += 1
            seen[api.status_code] = seen.get(api.status_code, 0) + 1
            if (api.status_code == 403) != (page.status_code == 403):
                mismatches.append(
                    (case.state, op_name, name, api.status_code, page.status_code)
                    + (api.content.decode()[:200],)
                )
    assert mismatches == []
    assert checked == len(PERSONAS) * len(ops)  # every operation of the page, every persona
    # The table exercises both sides: refusals, and calls that reach the service.
    assert seen.get(403, 0) > checked // 3 and seen.get(200, 0) >= 5, seen


def test_reads_are_refused_exactly_where_the_pages_are(flow, p):  # noqa: F811
    case = flow().registered().case
    from django.contrib.auth import get_user_model

    pairs = [
        ("/api/v1/cases", "/cases/"),
        (f"/api/v1/cases/{case.pk}", f"/cases/{case.pk}/"),
        (f"/api/v1/cases/{case.pk}/timeline", f"/cases/{case.pk}/"),
        (f"/api/v1/cases/{case.pk}/clocks", f"/cases/{case.pk}/"),
    ]
    mismatches = []
    for name in PERSONAS:
        user = get_user_model().objects.get(username=name)
        api = as_user(user)
        browser = Client()
        browser.force_login(user)
        for api_path, page_path in pairs:
            a, b = api.get(api_path).status_code, browser.get(page_path).status_code
            if (a == 403) != (b == 403):
                mismatches.append((name, api_path, a, b))
    assert mismatches == []


def test_declining_a_complaint_needs_the_written_notice_date_as_on_the_page(flow, p):  # noqa: F811
    # 若干规定 第十八条: the same service as the page; missing date → 422 naming the field.
    f = flow().registered()
    url = f"/cases/{f.case.pk}/actions/decline"
    body = {"disposition": "not_accepted", "reason": "超过二年", "decided_on": "2026-03-03"}
    missing = post(as_user(p.wangqiang), url, body)
    assert missing.status_code == 422
    assert "书面通知投诉人" in missing.json()["fields"]["notified_on"][0]
    early = post(as_user(p.wangqiang), url, dict(body, notified_on="2026-03-02"))
    assert early.status_code == 422
    assert "不能早于决定日期" in early.json()["message"]
    f.case.refresh_from_db()
    assert f.case.state == "lead"
    elsewhere = dict(body, disposition="other_jurisdiction", notified_on="2026-03-03")
    blocked = post(as_user(p.wangqiang), url, elsewhere)
    assert blocked.status_code == 409 and "有管辖权的机关" in blocked.json()["reasons"][0]
    done = post(as_user(p.wangqiang), url, dict(body, notified_on="2026-03-03"))
    assert done.status_code == 200, done.json()
    f.case.refresh_from_db()
    assert f.case.state == "not_filed" and str(f.case.disposition_notified_on) == "2026-03-03"
