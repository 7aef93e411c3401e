"""Who an API request acts for: personal tokens (created and revoked on the settings page,
shown once, stored hashed, optional expiry), the signed-in session with CSRF, and failed
authentication — refused, rate-limited and recorded in the audit log."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from sanxiang.api import services
from sanxiang.api.models import ApiToken, AuthThrottle
from sanxiang.ledger.models import Event

pytestmark = pytest.mark.django_db

PAGE = "/settings/api-tokens/"


def bearer(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def audit(type_: str) -> int:
    return Event.objects.filter(type=type_).count()


def test_token_is_shown_once_and_only_its_hash_is_stored(personas):
    browser = Client()
    browser.force_login(personas.zhangming)
    response = browser.post(PAGE, {"name": "省平台对接", "expires_on": ""})
    assert response.status_code == 201
    token = ApiToken.objects.get(user=personas.zhangming)
    raw = response.context["created"]["raw"]
    assert raw.startswith("sx_") and raw in response.content.decode()
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert not any(raw in v or raw[3:] in v for v in stored)
    again = browser.get(PAGE).content.decode()
    assert "省平台对接" in again and f"sx_{token.prefix}" in again and raw not in again
    assert audit("security.api_token_created") == 1
    me = bearer(raw).get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["username"] == "zhangming" and me.json()["via"] == "token"


def test_revoked_token_stops_working_at_once_and_only_its_holder_may_revoke(personas):
    token, raw = services.token_create(actor=personas.zhangming, name="移动终端")
    assert bearer(raw).get("/api/v1/me").status_code == 200
    other = Client()
    other.force_login(personas.lihua)
    assert other.post(f"{PAGE}{token.pk}/revoke/").status_code == 404
    owner = Client()
    owner.force_login(personas.zhangming)
    assert owner.post(f"{PAGE}{token.pk}/revoke/").status_code == 302
    refused = bearer(raw).get("/api/v1/me")
    assert refused.status_code == 401
    assert refused.json()["message"] == "令牌已撤销" and refused.json()["code"] == "unauthenticated"
    assert refused["WWW-Authenticate"].startswith("Bearer")
    assert audit("security.api_token_revoked") == 1


def test_token_expires_at_the_end_of_its_last_day(personas):
    browser = Client()
    browser.force_login(personas.zhangming)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    bad = browser.post(PAGE, {"name": "x", "expires_on": yesterday.isoformat()})
    assert bad.status_code == 400 and "有效期不能早于今天" in bad.content.decode()
    today = timezone.localdate()
    token, raw = services.token_create(actor=personas.zhangming, name="今天", expires_on=today)
    assert timezone.localtime(token.expires_at).date() == today + dt.timedelta(days=1)
    assert bearer(raw).get("/api/v1/me").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = bearer(raw).get("/api/v1/me")
    assert response.status_code == 401 and response.json()["message"] == "令牌已过期"


def test_a_token_acts_with_exactly_its_holders_permissions(personas):
    _t, raw = services.token_create(actor=personas.wuquanxian, name="无权限")
    me = bearer(raw).get("/api/v1/me").json()
    assert me["permissions"] == sorted(personas.wuquanxian.get_all_permissions())
    refused = bearer(raw).get("/api/v1/cases")
    assert refused.status_code == 403
    assert refused.json() == {
        "code": "forbidden",
        "message": "您没有查看案件的权限",
        "fields": {},
        "reasons": [],
    }
    _t, raw = services.token_create(actor=personas.zhangming, name="执法人员")
    assert bearer(raw).get("/api/v1/cases").status_code == 200


def test_a_deactivated_users_token_is_refused(personas):
    _t, raw = services.token_create(actor=personas.lihua, name="x")
    personas.lihua.is_active = False
    personas.lihua.save(update_fields=["is_active"])
    response = bearer(raw).get("/api/v1/me")
    assert response.status_code == 401 and "停用" in response.json()["message"]


def test_no_credentials_is_401_in_the_error_schema(db):
    response = Client().get("/api/v1/cases")
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"code", "message", "fields", "reasons"}
    assert body["code"] == "unauthenticated" and "令牌" in body["message"]


def test_failed_token_checks_are_audited_and_rate_limited(personas, settings):
    settings.API_AUTH_FAILURES_PER_PREFIX = 3
    settings.API_AUTH_FAILURES_PER_IP = 50
    guess = Client(HTTP_AUTHORIZATION="Bearer sx_AAAAAAAAwrong-guess-1", REMOTE_ADDR="10.0.0.9")
    for _ in range(2):
        assert guess.get("/api/v1/me").status_code == 401
    blocked = guess.get("/api/v1/me")
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "rate_limited" and int(blocked["Retry-After"]) > 0
    assert audit("security.api_auth_failed") == 3
    assert audit("security.api_auth_blocked") == 1
    event = Event.objects.filter(type="security.api_auth_failed").order_by("seq").last()
    assert '"prefix":"AAAAAAAA"' in event.payload.replace(" ", "")
    assert '"ip":"10.0.0.9"' in event.payload.replace(" ", "")
    # While blocked, the prefix is refused without being checked or logged again.
    assert guess.get("/api/v1/me").status_code == 429
    assert audit("security.api_auth_failed") == 3
    row = AuthThrottle.objects.get(scope="prefix", key="AAAAAAAA")
    assert row.refused == 1
    # Another prefix from the same address still gets its answer.
    _t, raw = services.token_create(actor=personas.zhangming, name="x")
    ok = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", REMOTE_ADDR="10.0.0.9")
    assert ok.get("/api/v1/me").status_code == 200


def test_an_address_that_keeps_failing_is_blocked_for_every_token(personas, settings):
    settings.API_AUTH_FAILURES_PER_IP = 2
    _t, raw = services.token_create(actor=personas.zhangming, name="x")
    for n in range(2):
        bad = Client(HTTP_AUTHORIZATION=f"Bearer sx_guess{n:04d}zzzz", REMOTE_ADDR="10.0.0.7")
        bad.get("/api/v1/me")
    good_elsewhere = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", REMOTE_ADDR="10.0.0.8")
    assert good_elsewhere.get("/api/v1/me").status_code == 200
    good_here = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", REMOTE_ADDR="10.0.0.7")
    assert good_here.get("/api/v1/me").status_code == 429


def test_session_calls_need_the_csrf_token_for_unsafe_methods(personas):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas.zhangming)
    me = browser.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["via"] == "session"
    body = {"source": "patrol", "channel": "window", "summary": "巡视发现", "facts": "现场检查"}
    refused = browser.post("/api/v1/cases", body, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["message"]
    token = browser.get("/accounts/login/").cookies.get("csrftoken") or browser.cookies.get(
        "csrftoken"
    )
    if token is None:
        from django.middleware.csrf import _get_new_csrf_string

        token = _get_new_csrf_string()
        browser.cookies["csrftoken"] = token
    token = token.value if hasattr(token, "value") else token
    accepted = browser.post(
        "/api/v1/cases", body, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201, accepted.content


def test_types_are_strict_and_unknown_fields_are_refused(personas):
    _t, raw = services.token_create(actor=personas.zhangming, name="x")
    api = bearer(raw)
    base = {"source": "complaint", "channel": "window", "summary": "拖欠工资", "facts": "……"}

    def post(**extra):
        return api.post("/api/v1/cases", {**base, **extra}, content_type="application/json")

    response = post(received_on=20260302)
    assert response.status_code == 422
    assert response.json()["fields"]["received_on"] == ["请按“年-月-日”填写日期，如 2026-03-01"]
    response = post(received_on="2026-02-30")
    assert response.json()["fields"]["received_on"] == ["日期不存在，请检查月份和日期"]
    response = post(surprise="x")
    assert response.status_code == 422 and response.json()["fields"] == {
        "surprise": ["不允许的字段"]
    }
    response = post(violation_continuing="true")
    assert response.status_code == 422 and "violation_continuing" in response.json()["fields"]
    response = post(workers_affected="3")
    assert response.status_code == 422 and "workers_affected" in response.json()["fields"]
    response = post(source="telepathy")
    assert response.status_code == 422 and response.json()["fields"]["source"][0].startswith("应为")
    response = api.post("/api/v1/cases", "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "bad_request"
    from sanxiang.cases.models import Case

    assert not Case.objects.exists()  # a refused request wrote nothing


def test_a_method_the_path_does_not_have_is_405_with_allow(personas):
    _t, raw = services.token_create(actor=personas.zhangming, name="x")
    response = bearer(raw).delete("/api/v1/cases")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST" and response.json()["code"] == "method_not_allowed"


def test_openapi_document_is_3_1_and_declares_every_error(db):
    import json

    duplicates = []

    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        duplicates.extend(k for k in set(keys) if keys.count(k) > 1)
        return dict(pairs)

    text = Client().get("/api/v1/openapi.json").content.decode()
    doc = json.loads(text, object_pairs_hook=no_duplicates)
    # Swagger UI parses the document as YAML, which refuses a key given twice.
    assert duplicates == []
    assert doc["openapi"].startswith("3.1")
    assert "Error" in doc["components"]["schemas"]
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            codes = set(op["responses"])
            assert {"401", "403", "422", "429"} <= codes, (method, path)
    bodies = [
        s
        for name, s in doc["components"]["schemas"].items()
        if name.startswith("Case") and s.get("type") == "object" and "additionalProperties" in s
    ]
    assert bodies and all(s["additionalProperties"] is False for s in bodies)
