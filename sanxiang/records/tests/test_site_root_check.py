"""``check --deploy`` refuses a SITE_ROOT the public cannot reach: it is printed on every
document (verification QR code) and on a penalty decision as where it will be published."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from sanxiang.records.checks import check_site_root


@pytest.mark.parametrize(
    ("root", "ids"),
    [
        ("http://127.0.0.1:8000", ["records.E010"]),
        ("http://localhost", ["records.E010"]),
        ("", ["records.E010"]),
        ("http://zhifa.example.gov.cn", ["records.W010"]),
        ("https://zhifa.example.gov.cn", []),
    ],
)
def test_site_root(settings, root, ids):
    settings.SITE_ROOT = root
    assert [m.id for m in check_site_root()] == ids


def test_the_deploy_check_fails_on_the_development_default(settings):
    settings.SITE_ROOT = "http://127.0.0.1:8000"
    with pytest.raises(SystemCheckError, match="SITE_ROOT"):
        call_command("check", "--deploy", "--fail-level", "ERROR")
