"""The services' permission check (ARCHITECTURE.md §3: every service checks its actor)."""

from __future__ import annotations

from sanxiang.lib.errors import NotPermitted


def require(actor, perm: str, what: str, *, agency=None) -> None:
    """``actor`` is active and holds ``perm`` and — when ``agency`` is given — works for it (a
    user without a unit is not bound). Refuses with ``NotPermitted`` and a Chinese reason."""
    if actor is None or not actor.is_active or not actor.has_perm(perm):
        raise NotPermitted(f"您没有{what}的权限")
    unit = getattr(actor, "unit", None)
    if agency is not None and unit is not None and unit.agency_id != agency.pk:
        raise NotPermitted(f"您不属于该执法主体，不能{what}")
