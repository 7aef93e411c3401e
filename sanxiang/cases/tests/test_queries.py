"""CaseFacts (and so the action list of the case page) is built in a constant number of
queries, whatever the size of the case."""

from __future__ import annotations

import datetime as dt
import random

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanxiang.cases import selectors, services
from sanxiang.cases.choices import RecordKind
from sanxiang.lib import codes

from .conftest import at


def count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_case_facts_query_count_does_not_grow_with_the_case(flow):
    small = flow().served()
    big = flow().registered()
    for seed in range(3):
        services.party_add(
            actor=big.p.zhangming,
            case=big.case,
            data={
                "kind": "organisation",
                "name": f"关联公司{seed}",
                "uscc": codes.make_uscc(random.Random(seed + 50)),
            },
        )
    big.filed()
    for day in range(9, 14):
        services.investigation_record_add(
            actor=big.p.zhangming,
            case=big.case,
            kind=RecordKind.INSPECTION,
            started_at=at(dt.date(2026, 3, day)),
            ended_at=at(dt.date(2026, 3, day), 11),
            place="车间",
            officers=[big.p.zhangming, big.p.lihua],
            person={"name": "钱某"},
            ids_shown=True,
            recusal_asked=True,
            content="检查",
            person_signed=True,
            officers_signed=True,
        )
    big.ordered().ordered().proposed().proposed(fine_amount="800").concluded()
    big.notified().pending().decided().served()
    for i in range(3):
        big.paid(amount="100", paid_on=dt.date(2026, 4, 10 + i))
    actor = small.p.liujuzhang
    n_small = count_queries(lambda: selectors.case_facts(small.case, actor=actor))
    n_big = count_queries(lambda: selectors.case_facts(big.case, actor=actor))
    assert n_small == n_big
    assert n_big <= 30
