"""The recording gate: registered with ``cases.gates.register_recording_check`` in
``RecordsConfig.ready()``, so every case transition asks it (ARCHITECTURE.md §3: the lower app
defines the slot, the higher app fills it).

A requirement of a rule in mode 必须记录 that is not met — no photo/video of a 留置送达, and no
approved reason for its absence — blocks every transition of the case: the case cannot move
on with a gap in its record (案卷评查: 全过程记录的真实性、完整性). When the transition itself
is about to record such an act (``case.pending_service``: the unsaved 送达回证 the ``serve``,
``notify`` or ``remind`` transition built, set by the cases transition service), that act is
checked too, so a 留置送达 cannot even be entered before its recording is uploaded.

``cases.selectors.case_facts`` asks the gate once per action of the table for the same case
object; the answer is computed once per such round (a few queries) and reused: a round ends
when an action is asked again, or when evidence, an exemption or a rule was written in this
process since.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import requirements

_generation = 0


def changed() -> None:
    """Forget computed answers (evidence, exemptions or rules were written)."""
    global _generation
    _generation += 1


@dataclass
class _Memo:
    generation: int
    pending: object
    reasons: list[str]
    asked: set[str] = field(default_factory=set)


def blocking_reasons(case) -> list[str]:
    """Why no transition of ``case`` may run as far as recordings are concerned."""
    rules = requirements.active_rules(blocking_only=True)
    if not rules:
        return []
    extra = []
    pending = getattr(case, "pending_service", None)
    if pending is not None:
        subject = requirements.pending_service_subject(case, pending)
        if subject is not None:
            extra.append(subject)
    found = requirements.requirements([case.pk], rules=rules, extra=extra).get(case.pk, [])
    return [r.reason for r in found if r.blocking]


def recording_check(case, action: str) -> list[str]:
    memo: _Memo | None = getattr(case, "_sanxiang_recording_memo", None)
    pending = getattr(case, "pending_service", None)
    if (
        memo is None
        or memo.generation != _generation
        or memo.pending is not pending
        or action in memo.asked
    ):
        memo = _Memo(generation=_generation, pending=pending, reasons=blocking_reasons(case))
        case._sanxiang_recording_memo = memo
    memo.asked.add(action)
    return list(memo.reasons)
