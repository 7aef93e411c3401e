"""Helpers shared by the inspection services: permission, validation, plan locking."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sanxiang.accounts.guards import require as _require  # noqa: F401  (the services import it from here)
from sanxiang.lib.errors import DomainError
from sanxiang.registry import rules as registry_rules

from ..models import (
    Plan,
    PlanState,
)

# --- helpers ---------------------------------------------------------------------------------


def _text(value, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise DomainError(f"请填写{label}", field=field)
    if len(text) > max_length:
        raise DomainError(f"{label}不能超过{max_length}个字", field=field)
    return text


def _date(value, *, field: str, label: str) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise DomainError(f"请填写{label}", field=field)
    if abs(value.year - timezone.localdate().year) > 20:
        raise DomainError(f"{label}超出合理范围，请核对年份", field=field)
    return value


def _locked_plan(plan: Plan) -> Plan:
    return Plan.objects.select_for_update(of=("self",)).select_related("agency").get(pk=plan.pk)


def _require_state(plan: Plan, *states: str, what: str) -> None:
    if plan.state not in states:
        raise DomainError(
            f"计划当前为“{PlanState(plan.state).label}”，不能{what}", code="wrong_state"
        )


def _fmt(day: dt.date) -> str:
    return registry_rules.fmt(day)
