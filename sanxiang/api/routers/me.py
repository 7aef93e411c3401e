"""Who the request acts for."""

from __future__ import annotations

from ninja import Router, Schema

from .common import responses

router = Router(tags=["账号 Account"])


class Me(Schema):
    id: int
    username: str
    name: str
    unit: str | None
    agency: str | None
    roles: list[str]
    permissions: list[str]
    via: str  # "token" or "session"
    token_prefix: str | None


@router.get("", response=responses({200: Me}), operation_id="me", summary="当前用户")
def me(request):
    """令牌持有人（或登录用户）及其角色和权限。The user the request acts for."""
    user = request.user
    token = getattr(request, "api_token", None)
    return {
        "id": user.pk,
        "username": user.get_username(),
        "name": user.real_name or user.get_username(),
        "unit": user.unit.name if user.unit_id else None,
        "agency": user.unit.agency.name if user.unit_id else None,
        "roles": user.role_names,
        "permissions": sorted(user.get_all_permissions()),
        "via": "token" if token is not None else "session",
        "token_prefix": f"sx_{token.prefix}" if token is not None else None,
    }
