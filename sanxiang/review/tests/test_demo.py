"""The demo loader: the catalogue, and the demo's major case returned once and waiting in 赵敏's
queue for its second round; loading again changes nothing."""

from __future__ import annotations

import io

from django.db import transaction

from sanxiang.review import demo, selectors
from sanxiang.review.models import CatalogueEntry, Submission


def test_demo_loads_a_reviewed_major_case_once(db):
    from sanxiang.accounts import demo as accounts_demo
    from sanxiang.cases import demo as cases_demo
    from sanxiang.catalog import demo as catalog_demo
    from sanxiang.registry import demo as registry_demo

    out = io.StringIO()
    context: dict = {}
    with transaction.atomic():
        for loader in (
            registry_demo.load,
            accounts_demo.load,
            registry_demo.load_people,
            catalog_demo.load,
            cases_demo.load,
            demo.load,
        ):
            loader(context=context, stdout=out)
    rounds = list(Submission.objects.order_by("round").values_list("round", "status"))
    assert rounds == [(1, "concluded"), (2, "pending")]
    case = Submission.objects.first().case
    assert case.summary.endswith(demo.DEMO_CASE)
    assert [row.submission.case_id for row in selectors.queue(agency=context["agency"])] == [
        case.pk
    ]
    assert "法制审核尚未完成（第2轮" in selectors.review_gate(case)[0]
    entries = CatalogueEntry.objects.count()
    assert entries == len(demo.CATALOGUE)
    demo.load(context=context, stdout=out)
    assert Submission.objects.count() == 2 and CatalogueEntry.objects.count() == entries
    assert "未重复载入" in out.getvalue()
