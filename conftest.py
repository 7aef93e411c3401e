"""Test fixtures shared by every app: the named personas (STYLE.md) and fast settings."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM then refuses
# synchronous calls unless told this is intended (tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_settings(request, tmp_path):
    if not request.config.pluginmanager.hasplugin("django"):
        return  # pure-library tests may run with -p no:django
    settings = request.getfixturevalue("settings")
    # Password hashing dominates fixture time otherwise; production keeps PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LEDGER_KEY_FILE = tmp_path / "ledger" / "log.key"


@pytest.fixture
def agency(db):
    from sanxiang.registry.demo import ensure_agency

    return ensure_agency()


@pytest.fixture
def personas(agency):
    """张明 and 李华 (执法人员), 王强 (承办机构负责人), 赵敏 (法制审核员), 陈律师 (法律顾问),
    刘局长 (局负责人), 周公示 (公示管理员), 孙档案 (档案管理员), the three administrators,
    and 无权限用户 — attribute names are the login names (p.zhangming, p.wuquanxian, ...)."""
    from sanxiang.accounts.demo import ensure_personas

    return SimpleNamespace(**ensure_personas(agency, include_no_role=True))
