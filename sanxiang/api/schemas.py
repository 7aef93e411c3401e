"""Output pieces shared by several routers."""

from __future__ import annotations

from ninja import Schema


class UserRef(Schema):
    id: int
    name: str


def user_ref(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "name": getattr(user, "real_name", "") or user.get_username()}


class Choice(Schema):
    value: str
    label: str


def choice_of(obj, field: str) -> dict:
    """``{"value": "lead", "label": "待受理"}`` of a choices field."""
    value = getattr(obj, field)
    label = getattr(obj, f"get_{field}_display")()
    return {"value": value or "", "label": label or ""}


def money(value) -> str | None:
    return None if value is None else f"{value:.2f}"
