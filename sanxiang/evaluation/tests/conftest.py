"""Evaluation test helpers: closed cases driven through the case services (cases' ``flow``)."""

# ruff: noqa: F811  (pytest fixtures imported from other conftest modules are parameters)

from __future__ import annotations

import pytest

from sanxiang.cases.tests.conftest import (  # noqa: F401 (fixtures)
    _skip_postgres_only,
    flow,
    items,
    p,
)


@pytest.fixture
def closed_case(flow):
    """A penalty case closed on 2026-04-21; team 张明 (主办) and 李华 (协办)."""
    return flow().closed().refresh()
