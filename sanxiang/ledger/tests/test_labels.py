"""Every event type a service records has a Chinese label for the timeline and the audit page
(declared as ``ledger_event_labels`` on the recording app's AppConfig)."""

from __future__ import annotations

import re
from pathlib import Path

import sanxiang
from sanxiang.ledger.labels import all_labels

# ``type="case.filed"`` or ``type = "registry.officer_registered"`` in a service's source.
_RECORDED = re.compile(r'\b(?:type\s*=\s*|event\s*=\s*|event,\s*)"([a-z_]+\.[a-z_]+)"')
_NOT_RECORDED_BY_SERVICES = {
    "demo.activity",  # the inspections demo's filler entries
    "case.filed",  # the example in ledger/__init__.py's docstring
}


def test_every_recorded_event_type_has_a_label():
    labels = all_labels()
    root = Path(sanxiang.__file__).parent
    missing = set()
    for source in root.rglob("*.py"):
        if "tests" in source.parts or "migrations" in source.parts:
            continue
        for event_type in _RECORDED.findall(source.read_text(encoding="utf-8")):
            if event_type not in labels and event_type not in _NOT_RECORDED_BY_SERVICES:
                missing.add(f"{event_type} ({source.relative_to(root)})")
    assert not missing, "没有中文名称的账本事件类型：" + "、".join(sorted(missing))
