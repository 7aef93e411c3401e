"""/verify/officer/<number> — the page the QR code on a 执法证 opens (事中公示): the live status
of the certificate (valid, suspended, expired, ended) and the holder's name, unit, post and
certificate number (what the public roster shows, DOMAIN.md §12 A2); nothing else about the
person. Statuses are set through the registry's
services; dates are relative to today so that one certificate has run out."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificates(personas):
    """张明 valid; 李华 expired 30 days ago; 王强 suspended today; 刘局长 cancelled today."""
    from sanxiang.registry import services as registry

    today = timezone.localdate()
    keeper = personas.xitong
    plan = {
        "zhangming": (
            "晋14052420240017",
            today - dt.timedelta(days=400),
            today + dt.timedelta(days=900),
        ),
        "lihua": (
            "晋14052420210033",
            today - dt.timedelta(days=1800),
            today - dt.timedelta(days=30),
        ),
        "wangqiang": (
            "晋14052420230005",
            today - dt.timedelta(days=500),
            today + dt.timedelta(days=600),
        ),
        "liujuzhang": (
            "晋14052420220001",
            today - dt.timedelta(days=700),
            today + dt.timedelta(days=300),
        ),
    }
    certs = {}
    for username, (number, valid_from, valid_until) in plan.items():
        user = getattr(personas, username)
        officer = registry.officer_register(
            actor=keeper, user=user, agency=user.unit.agency, post="劳动保障监察员"
        )
        certs[username] = registry.certificate_record(
            actor=keeper,
            officer=officer,
            kind="enforcement",
            number=number,
            issuer="山西省人民政府",
            scope="劳动保障监察 · 陵川县",
            valid_from=valid_from,
            valid_until=valid_until,
        )
    registry.certificate_suspend(
        actor=keeper, certificate=certs["wangqiang"], starts_on=today, reason="涉嫌违规执法"
    )
    registry.certificate_end(
        actor=keeper, certificate=certs["liujuzhang"], how="cancelled", on=today, reason="调离"
    )
    return personas


def facts(body: str) -> dict[str, str]:
    block = re.search(r'<dl class="facts">(.*?)</dl>', body, re.S).group(1)
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block, re.S)
    return {k: re.sub(r"<[^>]+>", "", v).strip() for k, v in pairs}


@pytest.mark.parametrize(
    ("number", "name", "status", "valid"),
    [
        ("晋14052420240017", "张明", "有效", True),
        ("晋14052420230005", "王强", "暂扣中（不得从事执法活动）", False),
        ("晋14052420210033", "李华", "已过期", False),
        ("晋14052420220001", "刘局长", "已注销或收回", False),
    ],
)
def test_the_verification_page_shows_the_live_status_and_only_name_unit_post_number(
    certificates, client, number, name, status, valid
):
    response = client.get(f"/verify/officer/{number}")
    assert response.status_code == 200
    body = response.content.decode()
    shown = facts(body)
    assert list(shown) == ["姓名", "单位", "岗位", "证件号码", "状态"]
    user = getattr(
        certificates,
        {"张明": "zhangming", "王强": "wangqiang", "李华": "lihua", "刘局长": "liujuzhang"}[name],
    )
    assert shown["姓名"] == name and shown["单位"] == user.unit.name
    assert shown["岗位"] == "劳动保障监察员"
    assert shown["证件号码"] == number and shown["状态"].startswith(status)
    if valid:
        assert "证件有效。" in body and "不得从事行政执法活动" not in body
    else:
        assert f"证件{status}。" in body and "请拒绝其执法" in body
    # Nothing else about the person or the certificate: no phone, login, issuer, scope,
    # validity dates, suspension or end reasons.
    for hidden in (
        user.phone,
        user.username,
        "山西省人民政府",
        "劳动保障监察 · 陵川县",
        "涉嫌违规执法",
        "调离",
    ):
        assert not hidden or hidden not in body, hidden
    assert not re.search(r"\d{4}-\d{2}-\d{2}", body)


def test_a_number_typed_with_spaces_is_found(certificates, client):
    response = client.get("/verify/officer/晋 1405 2420 2400 17")
    assert response.status_code == 200 and "张明" in response.content.decode()


def test_an_unknown_number_is_not_found_and_says_so(certificates, client):
    response = client.get("/verify/officer/晋99999999999999")
    assert response.status_code == 404
    assert "没有找到证件号码为" in response.content.decode()
