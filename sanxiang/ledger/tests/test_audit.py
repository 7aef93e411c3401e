"""The audit log (等保 2.0 安全审计): security events in the ledger, a page for the
审计管理员 only, filters, constant query count, CSV export that is itself recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import timezone

from sanxiang.ledger import selectors
from sanxiang.ledger.audit import security_event
from sanxiang.ledger.models import Event
from sanxiang.ledger.services import LedgerUsageError

AUDIT = "/audit/"


def login(client, username, password="Sanxiang@2026", ip="10.0.0.8"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@pytest.fixture
def history(client, personas):
    login(client, "zhangming", ip="10.0.0.5")
    client.post("/accounts/logout/")
    login(client, "lihua", "wrong-password", ip="192.168.1.20")
    login(client, "wangqiang", ip="10.0.0.6")
    client.get(AUDIT)  # 王强 is no audit administrator: denied, and recorded
    client.post("/accounts/logout/")
    return personas


def test_audit_administrator_sees_the_audit_log(client, history):
    client.force_login(history.shenji)
    response = client.get(AUDIT)
    assert response.status_code == 200
    page = response.content.decode()
    for label in ("登录", "退出登录", "拒绝访问"):
        assert label in page
    assert "张明" in page and "lihua" in page and "192.168.1.20" in page
    assert "用户名或密码错误" in page


@pytest.mark.parametrize("username", ["anquan", "xitong", "zhangming", "wuquanxian"])
def test_other_roles_are_refused_and_the_refusal_is_recorded(client, personas, username):
    client.force_login(getattr(personas, username))
    response = client.get(AUDIT)
    assert response.status_code == 403
    denied = Event.objects.filter(type="security.permission_denied").last()
    assert denied.actor == getattr(personas, username) and "/audit/" in denied.payload
    assert client.get("/audit/export.csv").status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get(AUDIT)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_audit_log_is_in_the_audit_administrators_navigation(client, personas):
    client.force_login(personas.shenji)
    assert 'href="/audit/"' in client.get("/").content.decode()
    client.force_login(personas.anquan)
    assert 'href="/audit/"' not in client.get("/").content.decode()


def rows(client, **params):
    response = client.get(AUDIT, params)
    assert response.status_code == 200
    return response.context["rows"]


def test_filters(client, history):
    client.force_login(history.shenji)
    failures = rows(client, result="failure")
    assert [r.username for r in failures] == ["lihua"]
    assert {r.type for r in rows(client, type="security.logout")} == {"security.logout"}
    assert {r.username for r in rows(client, user="zhangming")} == {"zhangming"}
    assert {r.username for r in rows(client, user="张明")} == {"zhangming"}
    assert {r.ip for r in rows(client, ip="192.168.")} == {"192.168.1.20"}
    denied = rows(client, result="denied")
    assert denied and all(r.type == "security.permission_denied" for r in denied)
    assert all(r.result == "success" for r in rows(client, result="success"))
    today = timezone.localdate()
    assert rows(client, start=today.isoformat(), end=today.isoformat())
    assert not rows(client, end=(today - dt.timedelta(days=1)).isoformat())


def test_business_events_are_not_in_the_audit_log(client, personas, record):
    record(3, type="case.filed")
    client.force_login(personas.shenji)
    assert all(r.type.startswith(("security.", "account.")) for r in rows(client))


def test_bad_filters_show_a_message_not_an_error(client, personas):
    client.force_login(personas.shenji)
    response = client.get(AUDIT, {"start": "2026-13-40", "ip": "1.2.3.4'; --"})
    assert response.status_code == 200
    assert "IP地址只能包含" in response.content.decode()


def test_query_count_does_not_grow_with_the_log(client, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(personas.shenji)
    factory = RequestFactory()

    def add(n):
        for i in range(n):
            request = factory.get("/", REMOTE_ADDR=f"10.1.0.{i}")
            request.user = personas.zhangming if i % 2 else personas.lihua
            security_event(request, "security.exported", what="双公示", rows=i)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(AUDIT)
        assert response.status_code == 200
        return len(captured), len(response.context["rows"])

    add(3)
    few = queries()
    add(80)
    many = queries()
    assert many[1] == 50 and many[0] == few[0]


def test_csv_export_is_recorded_before_it_is_sent(client, history):
    client.force_login(history.shenji)
    response = client.get("/audit/export.csv", {"result": "failure"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff序号,时间,用户,账号,IP地址,事件,结果,详情")
    assert "lihua" in body and "失败" in body
    exported = Event.objects.filter(type="security.audit_exported").get()
    assert exported.actor == history.shenji and '"result":"failure"' in exported.payload


def test_security_event_helper_records_user_ip_and_result(rf, personas):
    request = rf.get("/parties/7/", REMOTE_ADDR="10.9.8.7")
    request.user = personas.zhangming
    event = security_event(
        request, "security.id_number_viewed", subject=("cases.party", "7"), field="id_number"
    )
    row = selectors.audit_row(Event.objects.get(seq=event.seq))
    assert (row.actor, row.ip, row.result, row.label) == (
        personas.zhangming,
        "10.9.8.7",
        "success",
        "查看完整身份证号码",
    )
    with pytest.raises(LedgerUsageError):
        security_event(request, "case.filed")
    with pytest.raises(LedgerUsageError):
        security_event(request, "security.exported", result="maybe")


def test_invalid_filters_show_no_rows_and_block_the_export(client, history):
    client.force_login(history.shenji)
    response = client.get(AUDIT, {"ip": "x'"})
    assert response.context["rows"] == [] and "筛选条件有误" in response.content.decode()
    assert client.get("/audit/export.csv", {"ip": "x'"}).status_code == 400
    assert not Event.objects.filter(type="security.audit_exported").exists()
