"""Guard slots that higher apps fill at start-up (ARCHITECTURE.md §3: a lower app never
imports a higher one; when it must consult one, it defines a named slot).

- ``review_gate(case, *, actor=None, on=None) -> list[str]`` — asked by the ``decide``
  transition, with the person about to decide and the decision date (the reviewer may not be
  the approver). The legal-review app installs its gate in its ``AppConfig.ready()``::

      from sanxiang.cases import gates
      gates.set_review_gate(my_review_gate)   # callable(case, *, actor, on) -> Chinese reasons

  Until then the default blocks every case flagged major (行政处罚法 第五十八条: 未经法制审核
  或者审核未通过的, 不得作出决定).
- ``required_recordings(case, action) -> list[str]`` — asked by every transition; the records
  app registers checks (required audio/video or documents per step) with
  ``gates.register_recording_check(callable(case, action) -> list[str])``. Default: none.
- ``major_criteria(case, sanction) -> list[str]`` — extra criteria (the bureau's 重大执法决定法制
  审核目录清单) for flagging a case major automatically when a proposal is made, registered with
  ``gates.register_major_criterion(callable(case, sanction) -> list[str])``.

Gates are called by ``selectors.case_facts`` and their reasons become plain data in
``CaseFacts``, so the workflow guards stay pure.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

ReviewGate = Callable[..., list[str]]
RecordingCheck = Callable[[object, str], list[str]]
MajorCriterion = Callable[[object, object], list[str]]

MAJOR_NEEDS_REVIEW = (
    "重大执法决定须经法制审核通过后方可作出（行政处罚法第五十八条），法制审核功能尚未启用"
)


def default_review_gate(case, *, actor=None, on=None) -> list[str]:
    return [MAJOR_NEEDS_REVIEW] if case.is_major else []


_review_gate: ReviewGate = default_review_gate
_recording_checks: list[RecordingCheck] = []
_major_criteria: list[MajorCriterion] = []


def set_review_gate(gate: ReviewGate) -> None:
    global _review_gate
    _review_gate = gate


def review_gate(case, *, actor=None, on=None) -> list[str]:
    """Why ``case`` may not be decided yet (by ``actor`` on ``on``) as far as legal review is
    concerned ([] = may)."""
    return list(_review_gate(case, actor=actor, on=on))


def register_recording_check(check: RecordingCheck) -> None:
    if check not in _recording_checks:
        _recording_checks.append(check)


def required_recordings(case, action: str) -> list[str]:
    reasons: list[str] = []
    for check in _recording_checks:
        reasons.extend(check(case, action))
    return reasons


def register_major_criterion(criterion: MajorCriterion) -> None:
    if criterion not in _major_criteria:
        _major_criteria.append(criterion)


def major_criteria(case, sanction) -> list[str]:
    reasons: list[str] = []
    for criterion in _major_criteria:
        reasons.extend(criterion(case, sanction))
    return reasons


@contextlib.contextmanager
def overridden(
    *,
    review: ReviewGate | None = None,
    recordings: list[RecordingCheck] | None = None,
    major: list[MajorCriterion] | None = None,
) -> Iterator[None]:
    """Temporarily replace the slots (tests)."""
    global _review_gate, _recording_checks, _major_criteria
    saved = (_review_gate, list(_recording_checks), list(_major_criteria))
    try:
        if review is not None:
            _review_gate = review
        if recordings is not None:
            _recording_checks = list(recordings)
        if major is not None:
            _major_criteria = list(major)
        yield
    finally:
        _review_gate, _recording_checks, _major_criteria = saved


# --- case page panels --------------------------------------------------------------------
#
# Higher apps (legal review, documents, evidence, archive, publicity) show a section on the
# case page without cases importing them: each registers a template and a function building
# its context from the case and the viewing user, ordered by ``order`` (sections after 执行,
# before the timeline). A function returning None hides the panel for that case/user.

PanelContext = Callable[..., dict | None]
_panels: list[tuple[int, str, str, PanelContext]] = []


def register_case_panel(*, key: str, template: str, context: PanelContext, order: int = 50) -> None:
    """``context(case, *, user, today) -> dict | None``; ``template`` is rendered with it."""
    global _panels
    _panels = [p for p in _panels if p[1] != key]
    _panels.append((order, key, template, context))
    _panels.sort(key=lambda p: (p[0], p[1]))


def case_panels(case, *, user, today) -> list[dict]:
    shown = []
    for _, key, template, context in _panels:
        data = context(case, user=user, today=today)
        if data is not None:
            shown.append({"key": key, "template": template, "context": data})
    return shown
