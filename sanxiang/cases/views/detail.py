"""The case page: everything about one case and — the point of it — what the user may do
now, and for each step that is blocked, why (the guards' Chinese reasons)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from sanxiang.catalog.rules import LEVEL_LABELS
from sanxiang.ledger.labels import all_labels
from sanxiang.lib.masking import mask_id_number

from .. import gates, rules, selectors, workflow
from ..choices import PRE_FILING_STATES, TERMINAL_STATES, FlagKind, State
from .common import case_for, who
from .ops import CASE_OPS, OBJECT_OPS, OPS, Who


@dataclass(frozen=True)
class Step:
    """A row of the transition table as the case page shows it."""

    action: str
    label: str
    url: str
    allowed: bool
    reasons: tuple[str, ...]
    mine: bool  # the user has the role (and team membership) the step needs


@dataclass(frozen=True)
class Button:
    label: str
    url: str
    danger: bool = False


def _url(case, op, obj=None) -> str:
    if obj is None:
        return reverse("cases:case_action", args=[case.pk, op.name])
    return reverse("cases:case_object_action", args=[case.pk, op.name, obj.pk])


def _steps(case, facts: workflow.CaseFacts) -> list[Step]:
    """The steps that lead on from the current state, allowed ones first."""
    steps = []
    for a in workflow.available_actions(facts):
        t = workflow.TRANSITIONS[a.action]
        if case.state not in t.sources:
            continue
        steps.append(
            Step(
                action=a.action,
                label=a.label,
                url=_url(case, OPS[a.action]),
                allowed=a.allowed,
                reasons=a.reasons,
                mine=workflow.permission_reason(t, facts) is None,
            )
        )
    return sorted(steps, key=lambda s: (not s.allowed, not s.mine))


def _case_buttons(case, asker: Who) -> dict[str, list[Button]]:
    out: dict[str, list[Button]] = {}
    for section, ops in CASE_OPS.items():
        out[section] = [
            Button(op.title, _url(case, op), op.danger) for op in ops if op.offered(asker)
        ]
    return out


def _with_buttons(case, asker: Who, objects) -> list[tuple]:
    """(object, [buttons]) for a list of objects of one model."""
    out = []
    for obj in objects:
        ops = OBJECT_OPS.get(type(obj), [])
        buttons = [
            Button(op.title, _url(case, op, obj), op.danger)
            for op in ops
            if op.offered(asker) and (op.when is None or op.when(obj))
        ]
        out.append((obj, buttons))
    return out


# A case's timeline past TIMELINE_FOLD entries shows the latest TIMELINE_SHOWN and folds the
# earlier ones into a <details> (a closed case runs to 60+ entries, most of the page).
TIMELINE_FOLD = 12
TIMELINE_SHOWN = 8

# Keys of an event's data worth showing on the timeline (never identities: registration events
# carry none, and the reveal events carry only who looked and why).
TIMELINE_KEYS = [
    ("registration_no", "登记号"),
    ("case_no", "立案号"),
    ("number", "文号"),
    ("notice", "告知书"),
    ("reminder", "催告书"),
    ("reason", "理由"),
    ("served_on", "送达日期"),
    ("paid_on", "缴款日期"),
    ("amount", "金额"),
]


@dataclass(frozen=True)
class TimelineRow:
    at: object
    type: str
    label: str
    actor: object
    details: tuple[tuple[str, str], ...]


def _timeline(case) -> list[TimelineRow]:
    labels = all_labels()
    rows = []
    for event in selectors.timeline(case):
        try:
            data = json.loads(event.payload).get("data") or {}
        except (ValueError, AttributeError):
            data = {}
        details = tuple(
            (label, str(data[key]))
            for key, label in TIMELINE_KEYS
            if data.get(key) not in (None, "", [], {}) and not isinstance(data[key], (dict, list))
        )
        rows.append(
            TimelineRow(
                at=event.at,
                type=event.type,
                label=labels.get(event.type, event.type),
                actor=event.actor,
                details=details[:3],
            )
        )
    return rows


@login_required
def case_detail(request, pk: int):
    case = case_for(request, pk)
    today = timezone.localdate()
    facts = selectors.case_facts(case, actor=request.user, on=today)
    asker = who(request, case)
    records = selectors.case_records(case)
    terminal = case.state in TERMINAL_STATES
    timeline = _timeline(case)
    steps = [] if terminal else _steps(case, facts)
    # On a closed case only what applies after closing (a revoked decision) is offered.
    buttons = _case_buttons(case, asker)

    def rows(objects):
        if terminal:
            return [(o, []) for o in objects]
        return _with_buttons(case, asker, objects)

    team = selectors.team_rows(case, on=today)
    for p in records.proposals:  # display text only
        p.penalty_text = rules.penalty_labels(p.penalty_types or ())
        p.tier_label = LEVEL_LABELS.get(p.tier_level, p.tier_level)
    for party in records.parties:  # the full number only on request (party_id_number_reveal)
        party.id_number_masked = mask_id_number(party.id_number)
    if records.decision is not None:
        records.decision.penalty_text = rules.penalty_labels(records.decision.penalty_types or ())
    current = records.proposals[0] if records.proposals else None
    flags = [f for f in records.flags if f.removed_on is None]
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "today": today,
            "terminal": terminal,
            "decision_changes": selectors.decision_changes(records.decision),
            "decision_voided": facts.decision.voided if facts.decision else "",
            "closed": case.state == State.CLOSED,
            # a lead has no investigation, proposal or decision yet (an on-the-spot decision
            # takes it straight to 已送达)
            "procedure": case.state not in PRE_FILING_STATES,
            "facts": facts,
            "steps": [s for s in steps if s.allowed or s.mine],
            "others": [s for s in steps if not s.allowed and not s.mine],
            "buttons": buttons,
            "flags": rows(flags),
            "removed_flags": [f for f in records.flags if f.removed_on is not None],
            "major_reasons": [f.reason for f in flags if f.kind == FlagKind.MAJOR],
            "records": records,
            "parties": records.parties,
            "complainants": selectors.complainants_masked(case),
            "may_reveal": selectors.may_see_complainant(case=case, user=request.user),
            "team": [
                (r, b) for r, (_, b) in zip(team, rows([r.assignment for r in team]), strict=True)
            ],
            "causes": rows(records.causes),
            "clocks": selectors.clocks_of(case, today=today),
            "panels": gates.case_panels(case, user=request.user, today=today),
            "investigation_records": rows(records.records),
            "preservations": rows(records.preservations),
            "orders": rows(records.orders),
            "recusals": rows(records.recusals),
            "proposal": current,
            "proposal_problems": workflow.proposal_problems(facts) if current else [],
            "older_proposals": records.proposals[1:],
            "defences": rows(records.defences),
            "plans": rows(records.plans),
            "court_applications": rows(records.court_applications),
            "timeline": timeline,
            "timeline_older": timeline[:-TIMELINE_SHOWN] if len(timeline) > TIMELINE_FOLD else [],
            "timeline_recent": (
                timeline[-TIMELINE_SHOWN:] if len(timeline) > TIMELINE_FOLD else timeline
            ),
        },
    )
