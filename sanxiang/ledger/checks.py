"""System checks of the ledger's settings."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register()
def tsa_not_implemented(app_configs=None, **kwargs):
    """RFC 3161 timestamps are not implemented yet: say so rather than ignore the setting."""
    if getattr(settings, "LEDGER_TSA_URL", ""):
        return [
            checks.Warning(
                "已设置 LEDGER_TSA_URL，但 RFC 3161 可信时间戳尚未实现：检查点不会加盖时间戳。",
                hint="见 docs/ledger.md 第 5 节；在实现之前请不要依赖该设置。",
                id="ledger.W001",
            )
        ]
    return []
