"""Registry test helpers: the registry's URLs, and officers with certificates built through
the services (so every fixture row also has its ledger event)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sanxiang.registry import services
from sanxiang.registry.models import Certificate


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def keeper(personas):
    """系统管理员 keeps the registry."""
    return personas.xitong


_numbers = iter(range(1000, 10**6))


@pytest.fixture
def make_officer(agency, keeper, today):
    """make_officer(user, valid_from=..., valid_until=..., kind=...) → Officer with one
    certificate (pass certificate=False for none)."""

    def make(
        user,
        *,
        post: str = "劳动保障监察员",
        certificate: bool = True,
        kind: str = Certificate.Kind.ENFORCEMENT,
        valid_from: dt.date | None = None,
        valid_until: dt.date | None = None,
    ):
        officer = services.officer_register(actor=keeper, user=user, agency=agency, post=post)
        if certificate:
            services.certificate_record(
                actor=keeper,
                officer=officer,
                kind=kind,
                number=f"晋T{next(_numbers)}",
                issuer="山西省人民政府",
                valid_from=valid_from or today - dt.timedelta(days=365),
                valid_until=valid_until or today + dt.timedelta(days=3 * 365),
            )
        return officer

    return make
