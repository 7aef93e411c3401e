"""执法台账: the case register exported to XLSX with filters — Chinese headers, dates as dates,
amounts as numbers, one security event per export."""

# ruff: noqa: F811  (pytest fixtures imported from other conftest modules are parameters)

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sanxiang.archive import register
from sanxiang.ledger.models import Event


@pytest.fixture
def two_cases(flow):
    closed = flow().closed().refresh()
    open_case = flow().filed().refresh()
    return closed, open_case


def _export(client, **query):
    response = client.get(reverse("archive:register_export"), query)
    assert response.status_code == 200, response.content[:200]
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["执法台账"]
    rows = list(ws.iter_rows(values_only=True))
    return rows[0], rows[1:], ws


def test_the_register_exports_every_case_with_chinese_headers_and_numeric_amounts(
    two_cases, p, client
):
    closed, _open = two_cases
    client.force_login(p.sundangan)
    headers, rows, ws = _export(client)
    assert headers[:4] == ("序号", "登记号", "立案号", "案件来源")
    assert "罚款金额（元）" in headers and "已缴罚款（元）" in headers
    assert len(rows) == 2
    row = next(r for r in rows if r[headers.index("立案号")] == closed.case_no)
    fine = row[headers.index("罚款金额（元）")]
    assert isinstance(fine, int | float) and fine == 900  # a number, not text
    assert row[headers.index("已缴罚款（元）")] == 900
    assert row[headers.index("决定书文号")] == closed.decision.number
    assert row[headers.index("处理结果")] == "行政处罚"
    assert isinstance(row[headers.index("结案日期")], dt.datetime)  # a date cell
    fine_col = headers.index("罚款金额（元）") + 1
    assert ws.cell(row=2, column=fine_col).number_format == "#,##0.00"
    event = Event.objects.filter(type="security.exported").latest("seq")
    data = json.loads(event.payload)["data"]
    assert data["what"] == "执法台账" and data["rows"] == 2 and event.actor_id == p.sundangan.pk


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "closed"}, "closed"),
        ({"outcome": "none"}, "open"),
        ({"outcome": "penalty"}, "closed"),
        ({"source": "report"}, None),
        ({"date_field": "closed_on", "start": "2026-04-21", "end": "2026-04-21"}, "closed"),
        ({"date_field": "received_on", "end": "2026-03-01"}, None),
    ],
)
def test_the_register_filters(two_cases, p, client, query, expected):
    closed, open_case = two_cases
    client.force_login(p.sundangan)
    headers, rows, _ws = _export(client, **query)
    numbers = [r[headers.index("登记号")] for r in rows]
    want = {"closed": [closed.registration_no], "open": [open_case.registration_no], None: []}
    assert numbers == want[expected]


def test_the_officer_filter_finds_the_cases_an_officer_handled(two_cases, p):
    filters = register.RegisterFilters(officer=p.zhangming.pk)
    assert register.register_cases(filters).count() == 2
    filters = register.RegisterFilters(officer=p.zhaoliu.pk)
    assert register.register_cases(filters).count() == 0


def test_register_queries_do_not_grow_with_the_number_of_cases(flow, django_assert_max_num_queries):
    for _ in range(3):
        flow().closed()
    cases = register.register_cases(register.RegisterFilters())
    with django_assert_max_num_queries(6):
        rows = register.register_rows(cases)
    assert len(rows) == 3 and all(r[16] == Decimal("900.00") for r in rows)


def test_bad_filters_are_refused_in_chinese(p, client):
    client.force_login(p.sundangan)
    response = client.get(
        reverse("archive:register_export"), {"start": "2026-05-01", "end": "2026-04-01"}
    )
    assert response.status_code == 400 and "筛选条件有误" in response.content.decode()
    page = client.get(reverse("archive:register"), {"start": "2026-05-01", "end": "2026-04-01"})
    assert "起始日期不能晚于截止日期" in page.content.decode()


def test_only_heads_and_the_archivist_export_the_register(p, client):
    client.force_login(p.zhangming)
    assert client.get(reverse("archive:register_export")).status_code == 403
    client.force_login(p.wangqiang)
    assert client.get(reverse("archive:register_export")).status_code == 200
