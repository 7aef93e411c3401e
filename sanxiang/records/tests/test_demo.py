"""The demo loader issues one document of each type, once."""

from __future__ import annotations

import io

import pytest

from sanxiang.records import demo
from sanxiang.records.models import GeneratedDocument

pytestmark = pytest.mark.django_db


def test_demo_issues_each_type_once(personas, agency, officers):
    context = {"agency": agency, "users": vars(personas)}
    demo.load(context=context, stdout=io.StringIO())
    docs = {d.doc_type: d for d in GeneratedDocument.objects.all()}
    assert set(docs) == {"penalty_decision", "advance_notice", "service_receipt", "file_index"}
    assert docs["penalty_decision"].number == "陵人社监罚字〔2026〕第1号"
    demo.load(context=context, stdout=io.StringIO())
    assert GeneratedDocument.objects.count() == 4
