"""Publicity test helpers: the cases app's ``Flow`` (a case driven through the services to any
state on fixed 2026 dates) and ``decided`` — a penalty decision of 2026-04-07 (清明 is 4–6
April) collected into a masked draft."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from sanxiang.accounts import roles
from sanxiang.accounts.models import User
from sanxiang.cases.tests.conftest import (  # noqa: F401  (fixtures)
    Flow,
    _skip_postgres_only,
    flow,
    items,
    p,
)
from sanxiang.ledger.models import Event


def ledger_size() -> int:
    return Event.objects.count()


@pytest.fixture
def zhou2(db):
    """A second 公示管理员 (周二), for the cases where 周公示 edited the text himself."""
    user = User.objects.create_user(username="zhouer", real_name="周二", password="x")
    user.groups.add(Group.objects.get(name=roles.PUBLICITY_ADMIN))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def decided(flow):  # noqa: F811  (the imported fixture)
    """A decided penalty case (warning + 900 yuan, 3 workers) with its publication draft."""
    from sanxiang.publicity.handlers import collect_pending

    f = flow().decided()
    collect_pending()
    return f


def publication_of(f):
    from sanxiang.publicity.models import Publication

    return Publication.objects.get(decision__case=f.case)


def record_change(*, decision, actor, **fields):
    """A revocation or change recorded on the case (cases.services.decision_change_record), then
    noted by publicity as its ``case.decision_changed`` subscription does after commit (the
    tests run inside one transaction, so the sweep's safety net applies it here)."""
    from sanxiang.cases.services import decision_change_record
    from sanxiang.publicity.handlers import note_pending_changes

    change = decision_change_record(case=decision.case, actor=actor, **fields)
    note_pending_changes()
    return change
