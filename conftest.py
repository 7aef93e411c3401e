"""Test fixtures shared by every app: the named personas (STYLE.md) and fast settings."""

from __future__ import annotations

import os
import shutil
from types import SimpleNamespace

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM then refuses
# synchronous calls unless told this is intended (tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The suite runs on shared 2-core CI machines with two pytest-xdist workers and browsers: a
# slow input draw there says nothing about our code. Properties are still checked on every
# example; only Hypothesis's timing health check and per-example deadline are off.
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

hypothesis_settings.register_profile(
    "sanxiang", suppress_health_check=[HealthCheck.too_slow], deadline=None
)
hypothesis_settings.load_profile("sanxiang")


def pytest_configure(config):
    # Django keeps database connections per thread, or per async context when an event loop
    # is running in the thread — and Playwright's session-wide browser keeps one running in
    # the test thread. Without this, every test after the first browser test would get fresh
    # connections that lack the test database's serialized contents (so transactional tests
    # would not restore roles and calendar data) and are never closed. Tests only: production
    # runs no event loop in request threads.
    import threading

    from django.db import connections

    connections._connections = threading.local()


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


def pytest_collection_modifyitems(config, items):
    """Transactional tests (live server, concurrency) end with a flush of every table; serialized
    rollback then puts back what migrations created — roles, the working-day calendar, the ledger
    head row — so that the tests after them still see a migrated database."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        names = getattr(item, "fixturenames", ())
        if (
            "transactional_db" in names
            or "live_server" in names
            or (marker is not None and marker.kwargs.get("transaction"))
        ):
            kwargs = dict(marker.kwargs) if marker is not None else {}
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


# --- browser tests: Playwright (pip) driving Debian's chromium, never a downloaded browser ---

CHROMIUM = os.environ.get("SANXIANG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (make system-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page against the live server; ``page.base_url`` is the server's URL."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    pg.base_url = live_server.url
    yield pg
    context.close()


@pytest.fixture
def login(page):
    """``login("zhangming", next_path="/cases/")`` signs in through the real login form."""

    def do_login(username: str, password: str = "Sanxiang@2026", next_path: str = "") -> None:
        suffix = f"?next={next_path}" if next_path else ""
        page.goto(f"{page.base_url}/accounts/login/{suffix}")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        if next_path and password == "Sanxiang@2026":
            page.wait_for_url(f"{page.base_url}{next_path}")

    return do_login
