"""Guard slots filled by higher apps, ledger labels, and the rule that only the transition
service writes a case's state."""

from __future__ import annotations

import pathlib
import re

import pytest

from sanxiang.cases import gates, services
from sanxiang.cases.choices import State
from sanxiang.lib.errors import Blocked


def test_records_app_can_require_recordings_per_step(flow):
    f = flow().investigated()

    def need_video(case, action):
        return ["调查终结前须上传现场检查音像记录"] if action == "conclude" else []

    with gates.overridden(recordings=[need_video]):
        with pytest.raises(Blocked, match="音像记录"):
            services.case_transition(case=f.case, action="conclude", actor=f.p.zhangming)
    services.case_transition(
        case=f.case,
        action="conclude",
        actor=f.p.zhangming,
        concluded_on=f.case.filed_on.replace(day=25),
    )
    assert f.refresh().state == State.CONCLUDED


def test_default_review_gate_passes_non_major_cases():
    class Fake:
        is_major = False

    assert gates.default_review_gate(Fake()) == []
    Fake.is_major = True
    assert gates.default_review_gate(Fake()) == [gates.MAJOR_NEEDS_REVIEW]


def test_every_event_type_the_app_records_has_a_chinese_label():
    from django.apps import apps

    from sanxiang.cases import workflow

    labels = apps.get_app_config("cases").ledger_event_labels
    root = pathlib.Path(services.__file__).parent.parent
    found = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts:
            continue
        text = path.read_text()
        found |= set(re.findall(r'type="((?:case|cases)\.[a-z_]+)"', text))
        found |= set(re.findall(r'"(security\.[a-z_]+)"', text))
    found |= {f"case.{a}" for a in workflow.TRANSITIONS}
    assert found - set(labels) == set()


def test_only_the_transition_service_writes_the_state():
    root = pathlib.Path(services.__file__).parent.parent
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for line in path.read_text().splitlines():
            if re.search(r"\.state\s*=[^=]", line) and path.name != "transition.py":
                offenders.append(f"{path.name}: {line.strip()}")
    assert offenders == []
