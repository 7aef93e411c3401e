"""Admin (zh-hans) of the records app: the recording rules kept by the 系统管理员. Saving goes
through the service, so the ledger records every change; rules are never deleted (set
“不要求” instead)."""

from __future__ import annotations

from .evidence.admin import RecordingRuleAdmin  # noqa: F401  (registers itself)
