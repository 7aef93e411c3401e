"""The demo loader files and seals the demo's closed cases, once."""

from __future__ import annotations

import io

from django.utils.module_loading import import_string

from sanxiang.archive.models import CaseFile, FileStatus

LOADERS = [
    "sanxiang.registry.demo.load",
    "sanxiang.accounts.demo.load",
    "sanxiang.registry.demo.load_people",
    "sanxiang.catalog.demo.load",
    "sanxiang.cases.demo.load",
    "sanxiang.review.demo.load",
    "sanxiang.records.demo.load",
    "sanxiang.archive.demo.load",
]


def load_all() -> str:
    out = io.StringIO()
    context: dict = {}
    for dotted in LOADERS:
        import_string(dotted)(context=context, stdout=out)
    return out.getvalue()


def test_the_demo_seals_its_closed_cases_once(db):
    text = load_all()
    sealed = list(CaseFile.objects.filter(status=FileStatus.SEALED))
    assert sealed, text
    assert all(f.archive_no and f.seal_ledger_seq for f in sealed)
    assert "演示案卷未封存" not in text, text
    assert "已存在" in load_all()
    assert CaseFile.objects.count() == len(sealed)
