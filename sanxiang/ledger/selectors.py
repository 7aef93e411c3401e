"""Reads from the ledger: proofs and checkpoints for the public endpoints, a subject's
timeline for case pages, and the security audit log for the 审计管理员.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from sanxiang.lib import merkle, notes

from .labels import event_label
from .models import Checkpoint, Event, Head
from .services import fetch_nodes, subject_key

# --- tree and checkpoints -------------------------------------------------------------------


def tree_size() -> int:
    """Number of entries in the log."""
    return Head.objects.filter(pk=1).values_list("size", flat=True).first() or 0


def _getter(nodes: list[merkle.Node]):
    stored = fetch_nodes(list(dict.fromkeys(nodes)))
    return lambda level, index: stored[level, index]


def root_at(size: int) -> bytes:
    """MTH of the first ``size`` entries (RFC 9162 §2.1.1), from O(log n) stored nodes."""
    return merkle.root(size, _getter(merkle.nodes_for_root(size)))


def inclusion_proof(index: int, size: int) -> list[bytes]:
    """RFC 9162 §2.1.3.1 audit path of entry ``index`` in the tree of ``size`` entries."""
    return merkle.inclusion_proof(index, size, _getter(merkle.nodes_for_inclusion(index, size)))


def consistency_proof(old_size: int, new_size: int) -> list[bytes]:
    """RFC 9162 §2.1.4.1 consistency proof between two tree sizes."""
    nodes = merkle.nodes_for_consistency(old_size, new_size)
    return merkle.consistency_proof(old_size, new_size, _getter(nodes))


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


def checkpoint_at(size: int) -> Checkpoint | None:
    return Checkpoint.objects.filter(size=size).first()


def event_entry(index: int) -> bytes | None:
    """The public leaf entry of event ``index``."""
    entry = Event.objects.filter(seq=index).values_list("entry", flat=True).first()
    return bytes(entry) if entry is not None else None


@dataclass(frozen=True)
class ProofBundle:
    """What /transparency/proof/<index> serves: a c2sp.org/tlog-proof@v1 text."""

    index: int
    checkpoint: Checkpoint
    text: str


def proof_bundle(index: int, checkpoint: Checkpoint | None = None) -> ProofBundle | None:
    """tlog-proof of entry ``index`` against ``checkpoint`` (default: the latest), or None if
    no checkpoint covers the entry yet. Three queries, each O(log n) rows."""
    checkpoint = checkpoint or latest_checkpoint()
    if checkpoint is None or not 0 <= index < checkpoint.size:
        return None
    entry = event_entry(index)
    if entry is None:
        return None
    path = inclusion_proof(index, checkpoint.size)
    text = notes.format_tlog_proof(index, path, checkpoint.note, extra=entry)
    return ProofBundle(index=index, checkpoint=checkpoint, text=text)


# --- timeline --------------------------------------------------------------------------------


def events_of_subject(subject: Any) -> QuerySet[Event]:
    """The events of one subject in order (the case page timeline reads this)."""
    key = subject_key(subject)
    if key is None:
        return Event.objects.none()
    return (
        Event.objects.filter(subject__kind=key[0], subject__key=key[1])
        .select_related("actor")
        .order_by("seq")
    )


@dataclass(frozen=True)
class TimelineItem:
    seq: int
    at: dt.datetime
    type: str
    label: str
    actor: Any
    data: dict


def timeline_of_subject(subject: Any) -> list[TimelineItem]:
    """A subject's events for display: time, Chinese label, actor and the recorded data."""
    return [
        TimelineItem(
            seq=event.seq,
            at=event.at,
            type=event.type,
            label=event_label(event.type),
            actor=event.actor,
            data=json.loads(event.payload).get("data") or {},
        )
        for event in events_of_subject(subject)
    ]


# --- audit log (等保 2.0 安全审计) --------------------------------------------------------------

AUDIT_TYPE_PREFIXES = ("security.", "account.")
RESULTS = {"success": "成功", "failure": "失败", "denied": "拒绝"}


@dataclass(frozen=True)
class AuditFilters:
    start: dt.date | None = None
    end: dt.date | None = None
    user: str = ""
    type: str = ""
    result: str = ""
    ip: str = ""


def audit_events(filters: AuditFilters, *, tz: dt.tzinfo) -> QuerySet[Event]:
    """Security and account events, newest first, filtered.

    Result and IP live in the canonical payload; canonical JSON writes each member in exactly
    one way, so ``"result":"failure"`` and ``"ip":"10.0.`` substrings select them exactly.
    """
    events = Event.objects.filter(
        Q(type__startswith=AUDIT_TYPE_PREFIXES[0]) | Q(type__startswith=AUDIT_TYPE_PREFIXES[1])
    )
    if filters.start:
        events = events.filter(at__gte=dt.datetime.combine(filters.start, dt.time(), tz))
    if filters.end:
        events = events.filter(
            at__lt=dt.datetime.combine(filters.end + dt.timedelta(days=1), dt.time(), tz)
        )
    if filters.type:
        events = events.filter(type=filters.type)
    if filters.user:
        who = filters.user
        events = events.filter(
            Q(actor__username=who)
            | Q(actor__real_name=who)
            | Q(
                payload__contains=json.dumps(
                    {"username": who}, ensure_ascii=False, separators=(",", ":")
                )[1:-1]
            )
        )
    if filters.result == "success":
        # Events that record no result (logout, password change, role change) succeeded.
        events = events.exclude(payload__contains='"result":"failure"').exclude(
            payload__contains='"result":"denied"'
        )
    elif filters.result in RESULTS:
        events = events.filter(payload__contains=f'"result":"{filters.result}"')
    if filters.ip:
        events = events.filter(payload__contains=f'"ip":"{filters.ip}')
    return events.select_related("actor").order_by("-seq")


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: dt.datetime
    type: str
    label: str
    actor: Any
    username: str
    ip: str
    result: str
    result_label: str
    details: str


_DETAIL_NAMES = {
    "reason": "原因",
    "path": "地址",
    "locked": "已锁定",
    "before": "原角色",
    "after": "新角色",
    "filters": "筛选条件",
    "rows": "行数",
    "field": "字段",
    "file": "文件",
    "what": "内容",
}
_REASONS = {
    "bad_credentials": "用户名或密码错误",
    "inactive": "账号已停用",
    "locked": "账号已锁定",
    "user": "用户主动退出",
    "idle": "超时自动退出",
}


def _detail_text(data: dict) -> str:
    parts = []
    order = {"reason": 0, "path": 1}
    for key, value in sorted(data.items(), key=lambda item: (order.get(item[0], 2), item[0])):
        if key in ("ip", "result", "username") or value is False:
            continue
        if isinstance(value, bool):
            value = "是" if value else "否"
        elif isinstance(value, list):
            value = "、".join(str(v) for v in value) or "无"
        elif isinstance(value, dict):
            value = "，".join(f"{k}={v}" for k, v in value.items() if v not in ("", None)) or "无"
        elif key == "reason":
            value = _REASONS.get(value, value)
        parts.append(f"{_DETAIL_NAMES.get(key, key)}：{value}")
    return "；".join(parts)


def audit_row(event: Event) -> AuditRow:
    payload = json.loads(event.payload)
    data = payload.get("data") or {}
    result = data.get("result") or "success"
    actor = payload.get("actor") or {}
    return AuditRow(
        seq=event.seq,
        at=event.at,
        type=event.type,
        label=event_label(event.type),
        actor=event.actor,
        username=actor.get("username") or data.get("username") or "",
        ip=data.get("ip", ""),
        result=result,
        result_label=RESULTS.get(result, result),
        details=_detail_text(data),
    )


def audit_types() -> list[tuple[str, str]]:
    """(type, label) of the audit event types, for the filter menu."""
    from .labels import all_labels

    return sorted(
        ((t, label) for t, label in all_labels().items() if t.startswith(AUDIT_TYPE_PREFIXES)),
        key=lambda item: item[0],
    )
