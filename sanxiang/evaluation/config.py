"""Configurable values of 案卷评查, read from settings with the defaults of DOMAIN.md §7.1.

``EVALUATION_GRADES`` — the grades above 不合格 with their cut-offs, highest first: a list of
(name, minimum points). Default ``[("优秀", 90), ("合格", 60)]``; a total below the last cut-off
(or any veto item) is 不合格. A bad value stops the page or service with ``ImproperlyConfigured``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import rules


def grades() -> list[tuple[str, int]]:
    value = getattr(settings, "EVALUATION_GRADES", None) or rules.DEFAULT_GRADES
    try:
        table = [(name, cut) for name, cut in value]
    except (TypeError, ValueError):
        raise ImproperlyConfigured(
            'EVALUATION_GRADES 应为（等次名称, 分数线）的列表，如 [("优秀", 90), ("合格", 60)]'
        ) from None
    reasons = rules.check_grades(table)
    if reasons:
        raise ImproperlyConfigured("EVALUATION_GRADES：" + "；".join(reasons))
    return table
