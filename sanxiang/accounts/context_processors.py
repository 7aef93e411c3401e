from __future__ import annotations

from django.apps import apps
from django.urls import NoReverseMatch, reverse


def navigation(request):
    """Navigation entries the current user may use, grouped; each app declares its own."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    groups: dict[str, list[dict]] = {}
    for config in apps.get_app_configs():
        for label, url_name, perm, group in getattr(config, "nav_items", []):
            if perm and not user.has_perm(perm):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            groups.setdefault(group, []).append(
                {"label": label, "url": url, "active": request.path.startswith(url) and url != "/"}
            )
    order = ["工作台", "办案", "记录", "审核", "公示", "检查", "档案", "基础数据", "管理"]
    nav = [{"group": g, "items": groups[g]} for g in order if g in groups]
    nav += [{"group": g, "items": items} for g, items in groups.items() if g not in order]
    return {"nav": nav}
