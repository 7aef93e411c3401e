"""The portal: search (FTS5 trigram / pg_trgm, LIKE for 1–2 characters), filters, keyset pages,
Chinese errors, accessible markup — and the guard that public pages read no unmasked table."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanxiang.publicity import portal, rules, services
from sanxiang.publicity.models import PortalEntry

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)
_seq = iter(range(1, 10**6))


def make_entry(
    text: str, *, decided_on=dt.date(2026, 4, 7), state="published", **kw
) -> PortalEntry:
    """A public entry as ``publication_approve`` writes it (same ``search_text`` builder)."""
    fields = {
        "agency_name": "陵川县人力资源和社会保障局",
        "agency_uscc": "11140524MB1955939N",
        "category": kw.pop("category", "penalty"),
        "doc_name": "行政处罚决定书",
        "doc_number": kw.pop("doc_number", f"陵人社监罚字〔2026〕第{next(_seq)}号"),
        "title": kw.pop("title", "陵川县示例公司违法延长劳动者工作时间案"),
        "party_name": "陵川县示例公司",
        "party_kind": "法人及非法人组织",
        "item_code": kw.pop("item_code", "LCRS-CF-025-01"),
        "item_name": "违法延长劳动者工作时间",
        "penalty_types": kw.get("penalty_types", ["warning", "fine"]),
        "main_penalty": rules.heaviest(kw.pop("penalty_types", ["warning", "fine"])),
        "fine_amount": Decimal("900"),
        "decided_on": decided_on,
        "summary": "给予警告；罚款人民币900.00元",
        "facts": text,
        "body": f"违法事实：{text}",
        "period_end": rules.add_months(decided_on, 36),
    }
    fields["search_text"] = services.search_text(fields)
    seq = next(_seq)
    return PortalEntry.objects.create(
        sort_key=rules.sort_key(decided_on, seq),
        state=state,
        published_at=timezone.now(),
        **fields,
        **kw,
    )


def titles(page) -> list[str]:
    return [r.title for r in page.rows]


def test_four_character_search_finds_the_text_and_nothing_else():
    a = make_entry("拖欠农民工工资共计38,600元", title="甲公司拖欠工资案")
    make_entry("安排劳动者延长工作时间", title="乙公司超时加班案")
    page = portal.search_decisions("农民工工资", today=TODAY)
    assert titles(page) == [a.title]
    assert titles(portal.search_decisions("拖欠 农民工", today=TODAY)) == [a.title]
    assert titles(portal.search_decisions("不存在的词语", today=TODAY)) == []


def test_one_and_two_character_terms_use_like():
    a = make_entry("拖欠工资", title="甲案")
    make_entry("延长工作时间", title="乙案")
    assert titles(portal.search_decisions("工资", today=TODAY)) == [a.title]
    assert titles(portal.search_decisions("资", today=TODAY)) == [a.title]
    assert titles(portal.search_decisions("工资 拖欠工资", today=TODAY)) == [a.title]


def test_withdrawn_ended_and_expired_entries_are_not_found():
    make_entry("拖欠工资甲", title="已撤下", state="withdrawn")
    make_entry("拖欠工资乙", title="已终止", state="terminated")
    make_entry("拖欠工资丙", title="已期满", decided_on=dt.date(2020, 1, 2))
    live = make_entry("拖欠工资丁", title="公示中")
    assert titles(portal.search_decisions("拖欠工资", today=TODAY)) == [live.title]
    assert titles(portal.search_decisions("", today=TODAY)) == [live.title]


def test_withdrawal_removes_the_text_from_the_index_in_the_same_statement():
    e = make_entry("违法使用童工案情")
    assert titles(portal.search_decisions("使用童工", today=TODAY)) == [e.title]
    PortalEntry.objects.filter(pk=e.pk).update(state="withdrawn")
    assert titles(portal.search_decisions("使用童工", today=TODAY)) == []
    PortalEntry.objects.filter(pk=e.pk).update(state="published", search_text="已更正的文本")
    assert titles(portal.search_decisions("使用童工", today=TODAY)) == []
    assert titles(portal.search_decisions("已更正的", today=TODAY)) == [e.title]


def test_filters_by_category_penalty_item_and_date():
    a = make_entry("案情一", title="A", decided_on=dt.date(2026, 3, 1))
    b = make_entry(
        "案情二",
        title="B",
        decided_on=dt.date(2026, 5, 1),
        category="other",
        penalty_types=[],
        item_code="LCRS-CL-026-01",
    )
    c = make_entry(
        "案情三", title="C", decided_on=dt.date(2026, 6, 1), penalty_types=["revoke_licence"]
    )
    f = portal.Filters
    assert titles(portal.search_decisions("", f(category="other"), today=TODAY)) == [b.title]
    assert titles(portal.search_decisions("", f(penalty="revoke_licence"), today=TODAY)) == [
        c.title
    ]
    assert titles(portal.search_decisions("", f(item="LCRS-CL-026-01"), today=TODAY)) == [b.title]
    between = f(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 5, 1))
    assert titles(portal.search_decisions("", between, today=TODAY)) == [b.title, a.title]
    assert titles(portal.search_decisions("案情二", between, today=TODAY)) == [b.title]


def test_pages_are_keyset_in_a_stable_order_date_desc_then_id():
    made = [
        make_entry(f"拖欠工资第{i}件", title=f"T{i:02d}", decided_on=dt.date(2026, 1, 1 + i // 3))
        for i in range(25)
    ]
    expected = [e.title for e in sorted(made, key=lambda e: e.sort_key, reverse=True)]
    for q in ("", "拖欠工资", "工资"):
        seen, after = [], None
        while True:
            page = portal.search_decisions(q, after=after, limit=10, today=TODAY)
            seen += titles(page)
            if not page.next_cursor:
                break
            after = page.next_cursor
        assert seen == expected, q


def test_bad_filter_input_gets_chinese_errors_and_no_results(client):
    r = client.get("/gongkai/decisions/", {"date_from": "2026-13-40"})
    assert r.status_code == 400
    assert "请输入有效的日期" in r.content.decode()
    r = client.get("/gongkai/decisions/", {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert r.status_code == 400 and "结束日期不能早于开始日期" in r.content.decode()
    r = client.get("/gongkai/decisions/", {"category": "nonsense"})
    assert r.status_code == 400 and "请选择有效的决定类别" in r.content.decode()
    assert client.get("/gongkai/decisions/", {"after": "junk"}).status_code == 200


def test_search_page_through_the_client(client):
    make_entry("拖欠农民工工资", title="甲公司拖欠工资案")
    body = client.get("/gongkai/decisions/", {"q": "农民工工资"}).content.decode()
    assert "甲公司拖欠工资案" in body and "“农民工工资”的检索结果" in body


# --- the guard: public pages read published, masked data only ------------------------------------

FORBIDDEN_TABLES = re.compile(
    r'"?(cases_[a-z]+|publicity_publication|publicity_publicationversion|publicity_decisionchange'
    r'|publicity_creditrepair|records_evidence[a-z]*|accounts_user)"?\.',
)


def test_portal_pages_never_query_case_or_workflow_tables(decided, client):
    from .conftest import publication_of

    pub = publication_of(decided)
    services.publication_approve(publication=pub, actor=decided.p.zhougongshi)
    pub.refresh_from_db()
    pages = [
        "/gongkai/",
        "/gongkai/decisions/",
        "/gongkai/decisions/?q=延长工作时间",
        "/gongkai/decisions/?q=工作",
        f"/gongkai/decisions/{pub.entry_id}/",
        f"/gongkai/decisions/{pub.entry_id}/v1/",
        f"/gongkai/decisions/{pub.entry_id}/document.pdf",
        "/gongkai/reports/",
    ]
    for url in pages:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        touched = {
            m.group(1) for q in ctx.captured_queries for m in FORBIDDEN_TABLES.finditer(q["sql"])
        }
        assert touched == set(), (url, touched)


def test_the_portal_module_imports_nothing_unmasked():
    import inspect

    source = inspect.getsource(portal)
    assert "sources" not in re.findall(r"from \.(\w+)", source)
    assert "sanxiang.cases.models" not in source


def test_the_public_list_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for i in range(30):
        make_entry(f"案情{i}", title=f"案{i}")
    client.get("/gongkai/decisions/")  # warm the per-process site cache
    with django_assert_max_num_queries(4):
        client.get("/gongkai/decisions/?q=案情")


# --- accessibility basics -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/gongkai/",
        "/gongkai/decisions/",
        "/gongkai/items/",
        "/gongkai/procedure/",
        "/gongkai/officers/",
        "/gongkai/remedies/",
        "/gongkai/verify/",
        "/verify/officer/",
        "/gongkai/about/",
    ],
)
def test_public_pages_have_landmarks_one_h1_labels_and_no_outside_resources(client, agency, url):
    body = client.get(url).content.decode()
    assert '<html lang="zh-CN">' in body
    assert 'class="skip-link" href="#main"' in body and '<main id="main"' in body
    assert 'role="banner"' in body and 'role="contentinfo"' in body and "<nav" in body
    assert body.count("<h1") == 1
    for ident in re.findall(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"', body):
        assert f'for="{ident}"' in body, (url, ident)
    assert not re.search(r'(?:src|href)="(?:https?:)?//', body)
    for svg in re.findall(r"<svg[^>]*>", body):
        assert 'role="img"' in svg and "aria-labelledby" in svg


def test_procedure_chart_is_drawn_from_the_transition_table(client):
    from sanxiang.cases.workflow import TRANSITIONS

    body = client.get("/gongkai/procedure/").content.decode()
    for t in TRANSITIONS.values():
        assert t.label in body
