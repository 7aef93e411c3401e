"""Reads for the public portal — the only module public views read publicity data through.

It touches ``PortalEntry``, ``PortalVersion`` and ``AnnualReport`` (masked, published data) and
the public selectors of other apps (registry's roster and certificate check, the catalogue, the
records verification). It never imports ``sources`` or the case models: ARCHITECTURE.md
invariant 8, checked by a test that records every SQL query the portal pages make.

``search_decisions(q, filters)`` is the one search selector (TECH-NOTES §6):
- SQLite: an FTS5 ``trigram`` external-content table over ``PortalEntry.search_text`` of
  published rows (maintained by triggers, migration 0002) answers every term of 3+ characters
  with MATCH; terms of 1–2 characters use LIKE (trigram finds nothing shorter);
- PostgreSQL: a ``pg_trgm`` GIN index (partial: published rows) serves ``LIKE '%term%'`` for
  3+ characters; shorter terms are a filtered scan.
Rows are read by one raw statement per page (``_list_rows``): on the busiest page the ORM's
query building would cost several times the query.
Order is stable — decision date, newest first, then publication — through ``sort_key`` (date
ordinal × 10⁹ + sequence), which is also the FTS rowid, so results come out of the index in
order; pages are keyset ("after this key"), never OFFSET, so page 5,000 costs what page 1 costs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection

from . import rules
from .models import AnnualReport, PortalEntry, PortalPage, PortalSnapshot, PortalVersion, State

PAGE_SIZE = 20
LIST_COLUMNS = (
    "id",
    "sort_key",
    "title",
    "doc_number",
    "party_name",
    "item_name",
    "category",
    "main_penalty",
    "decided_on",
    "summary",
    "agency_name",
)
CATEGORY_LABELS = rules.CATEGORY_LABELS
FTS_TABLE = "publicity_entry_fts"


@dataclass(frozen=True)
class Filters:
    category: str = ""
    penalty: str = ""  # main (heaviest) penalty type
    item: str = ""  # item code
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass
class Row:
    id: int
    sort_key: int
    title: str
    doc_number: str
    party_name: str
    item_name: str
    category: str
    main_penalty: str
    decided_on: dt.date
    summary: str
    agency_name: str

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS.get(self.category, self.category)

    @property
    def penalty_label(self) -> str:
        return rules.PENALTY_LABELS.get(self.main_penalty, "")

    @property
    def url(self) -> str:
        return f"/gongkai/decisions/{self.id}/"


@dataclass
class SearchPage:
    q: str
    rows: list[Row] = field(default_factory=list)
    next_cursor: str = ""
    first_page: bool = True


@dataclass
class SearchInput:
    """What a visitor asked for, checked. ``errors`` maps a field to its Chinese messages;
    when there are any, no search is run."""

    q: str = ""
    filters: Filters = field(default_factory=Filters)
    after: str | None = None
    values: dict[str, str] = field(default_factory=dict)  # as typed, to refill the form
    errors: dict[str, list[str]] = field(default_factory=dict)


DATE_MIN, DATE_MAX = dt.date(1990, 1, 1), dt.date(2100, 12, 31)


def parse_search(params) -> SearchInput:
    """Read ``q``, ``category``, ``penalty``, ``item``, ``date_from``, ``date_to`` and
    ``after`` from a query dict (a Django form would do the same at ten times the cost on the
    portal's busiest page)."""
    out = SearchInput()
    get = lambda k: (params.get(k) or "").strip()  # noqa: E731
    out.values = {k: get(k) for k in ("q", "category", "penalty", "item", "date_from", "date_to")}
    v = out.values
    if len(v["q"]) > rules.MAX_QUERY:
        out.errors["q"] = [f"关键词不能超过{rules.MAX_QUERY}个字"]
    if v["category"] and v["category"] not in CATEGORY_LABELS:
        out.errors["category"] = ["请选择有效的决定类别"]
    if v["penalty"] and v["penalty"] not in rules.PENALTY_LABELS:
        out.errors["penalty"] = ["请选择有效的处罚种类"]
    if len(v["item"]) > 40:
        out.errors["item"] = ["请选择有效的执法事项"]
    dates: dict[str, dt.date | None] = {}
    for key in ("date_from", "date_to"):
        dates[key] = None
        if v[key]:
            try:
                value = dt.date.fromisoformat(v[key])
            except ValueError:
                out.errors[key] = ["请输入有效的日期，如 2026-04-07"]
                continue
            if not DATE_MIN <= value <= DATE_MAX:
                out.errors[key] = ["日期超出范围"]
                continue
            dates[key] = value
    if dates["date_from"] and dates["date_to"] and dates["date_from"] > dates["date_to"]:
        out.errors.setdefault("date_to", []).append("结束日期不能早于开始日期")
    out.q = v["q"][: rules.MAX_QUERY]
    out.filters = Filters(
        category=v["category"],
        penalty=v["penalty"],
        item=v["item"],
        date_from=dates["date_from"],
        date_to=dates["date_to"],
    )
    out.after = params.get("after") or None
    return out


def _short_summary(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[:n] + "…"


def search_decisions(
    q: str | None,
    filters: Filters | None = None,
    *,
    after: str | None = None,
    limit: int = PAGE_SIZE,
    today: dt.date,
) -> SearchPage:
    """Published decisions still in their publicity period that contain every term of ``q``
    and match ``filters``, newest first; ``after`` is the cursor of the previous page."""
    filters = filters or Filters()
    q = rules.clean_query(q)
    terms = rules.query_terms(q)
    cursor = rules.parse_cursor(after)
    upper = cursor
    if filters.date_to is not None:
        bound = rules.date_floor(filters.date_to + dt.timedelta(days=1))
        upper = bound if upper is None else min(upper, bound)
    lower = rules.date_floor(filters.date_from) if filters.date_from else None
    long_terms = [t for t in terms if rules.uses_trigram_index(t)]
    if connection.vendor == "sqlite" and long_terms:
        fts = long_terms
        like = [t for t in terms if not rules.uses_trigram_index(t)]
    else:
        # PostgreSQL: LIKE '%term%' — the pg_trgm GIN index serves it for 3+ characters.
        fts, like = [], terms
    raw = _list_rows(fts, like, filters, upper, lower, limit + 1, today)
    rows = [Row(**r) for r in raw[:limit]]
    for r in rows:
        r.summary = _short_summary(r.summary)
    page = SearchPage(q=q, rows=rows, first_page=cursor is None)
    if len(raw) > limit:
        page.next_cursor = rules.cursor_text(rows[-1].sort_key)
    return page


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _list_rows(fts_terms, like_terms, filters, upper, lower, limit, today) -> list[dict]:
    """The rows of one list page in one raw statement. Raw because the ORM's query building
    costs several times what SQLite takes to answer (0.7 ms against 0.1 ms a page at a million
    rows) on the portal's busiest page. With ``fts_terms`` (SQLite): walk the FTS5 trigram
    index in rowid (= sort_key) order, newest first, reading the list columns in the same
    statement; otherwise the (state, sort_key) index, filtered."""
    if fts_terms:
        source = f"{FTS_TABLE} JOIN publicity_portalentry e ON e.sort_key = {FTS_TABLE}.rowid"
        key = f"{FTS_TABLE}.rowid"
        where = [f"{FTS_TABLE} MATCH %s"]
        params: list = [" AND ".join(rules.fts_phrase(t) for t in fts_terms)]
    else:
        source, key, where, params = "publicity_portalentry e", "e.sort_key", [], []
    where += ["e.state = 'published'", "e.period_end >= %s"]
    params.append(connection.ops.adapt_datefield_value(today))
    if upper is not None:
        where.append(f"{key} < %s")
        params.append(upper)
    if lower is not None:
        where.append(f"{key} >= %s")
        params.append(lower)
    for column, value in (
        ("category", filters.category),
        ("main_penalty", filters.penalty),
        ("item_code", filters.item),
    ):
        if value:
            where.append(f"e.{column} = %s")
            params.append(value)
    for term in like_terms:
        where.append("e.search_text LIKE %s ESCAPE '\\'")
        params.append(_like(term))
    columns = ", ".join(f"e.{c}" for c in LIST_COLUMNS)
    sql = f"SELECT {columns} FROM {source} WHERE {' AND '.join(where)} ORDER BY {key} DESC LIMIT %s"
    params.append(limit)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = [dict(zip(LIST_COLUMNS, row, strict=True)) for row in cur.fetchall()]
    for r in rows:
        if not isinstance(r["decided_on"], dt.date):
            r["decided_on"] = dt.date.fromisoformat(str(r["decided_on"]))
    return rows


# --- one decision ----------------------------------------------------------------------------------

DETAIL_COLUMNS = (
    "id",
    "title",
    "agency_name",
    "agency_uscc",
    "category",
    "doc_name",
    "doc_number",
    "party_name",
    "party_kind",
    "party_code",
    "legal_representative",
    "item_code",
    "item_name",
    "penalty_types",
    "main_penalty",
    "fine_amount",
    "confiscation_amount",
    "decided_on",
    "summary",
    "facts",
    "basis",
    "body",
    "state",
    "version",
    "period_end",
    "published_at",
    "publish_seq",
    "updated_at",
    "update_seq",
    "ended_at",
    "end_seq",
    "end_reason",
    "pdf",
    "pdf_sha256",
    "pdf_sm3",
    "pdf_size",
    "original_code",
    "original_sha256",
)


@dataclass(frozen=True)
class PublicDecision:
    entry: PortalEntry
    expired: bool  # the publicity period is over (derived at read time)

    @property
    def showing(self) -> bool:
        return self.entry.state == State.PUBLISHED and not self.expired


def decision_get(pk: int, *, today: dt.date) -> PublicDecision | None:
    entry = PortalEntry.objects.filter(pk=pk).only(*DETAIL_COLUMNS).first()
    if entry is None:
        return None
    return PublicDecision(entry=entry, expired=entry.period_end < today)


def decision_versions(entry: PortalEntry) -> list[PortalVersion]:
    return list(
        PortalVersion.objects.filter(entry=entry)
        .only("number", "note", "published_at", "seq", "pdf_sha256", "entry_id")
        .order_by("number")
    )


def decision_version(entry: PortalEntry, number: int) -> PortalVersion | None:
    return PortalVersion.objects.filter(entry=entry, number=number).first()


def latest_decisions(*, today: dt.date, n: int = 6) -> list[Row]:
    return search_decisions("", limit=n, today=today).rows


def recent_withdrawals(*, n: int = 5) -> list[PortalEntry]:
    return list(
        PortalEntry.objects.filter(state=State.WITHDRAWN)
        .only("id", "doc_number", "decided_on", "ended_at", "end_reason")
        .order_by("-ended_at")[:n]
    )


def item_choices() -> list[tuple[str, str]]:
    """Items of the current catalogue for the filter (code, name)."""
    from django.utils import timezone

    from sanxiang.catalog.selectors import item_list_on

    return [(v.item.code, f"{v.item.code} {v.name}") for v in item_list_on(on=timezone.localdate())]


# --- annual reports ------------------------------------------------------------------------------


def reports() -> list[AnnualReport]:
    return list(
        AnnualReport.objects.only("id", "year", "agency_id", "published_at").order_by("-year")
    )


def report_get(year: int) -> AnnualReport | None:
    return AnnualReport.objects.select_related("agency").filter(year=year).first()


# --- 事前公开: agency, catalogue, procedure, officers ----------------------------------------------


def agency_public():
    from sanxiang.registry.models import Agency, Unit

    agency = Agency.objects.filter(is_active=True).order_by("pk").first()
    units = (
        list(Unit.objects.filter(agency=agency, is_active=True).order_by("name")) if agency else []
    )
    return agency, units


def procedure_steps() -> tuple[list[dict], list[dict]]:
    """The case procedure drawn from ``cases.workflow.TRANSITIONS``: the main chain of states
    (each with the action that leads on and the other actions possible there) and every
    transition as a table row."""
    from sanxiang.cases.choices import State as CaseState
    from sanxiang.cases.workflow import TRANSITIONS

    chain = [
        "lead",
        "investigating",
        "concluded",
        "notified",
        "hearing",
        "pending_decision",
        "decided",
        "served",
        "enforcement",
        "closed",
    ]
    steps = []
    for i, state in enumerate(chain):
        nxt = chain[i + 1] if i + 1 < len(chain) else None
        outgoing = [t for t in TRANSITIONS.values() if state in t.sources]
        main = next((t for t in outgoing if t.target == nxt), None)
        others = [f"{t.label} → {CaseState(t.target).label}" for t in outgoing if t is not main]
        steps.append(
            {
                "state": state,
                "label": CaseState(state).label,
                "next_action": main.label if main else "",
                "others": others,
            }
        )
    rows = [
        {
            "action": t.label,
            "from": "、".join(
                CaseState(s).label for s in sorted(t.sources, key=list(CaseState.values).index)
            ),
            "to": CaseState(t.target).label,
            "basis": t.basis,
        }
        for t in TRANSITIONS.values()
    ]
    return steps, rows


# --- 事前公开: the content of each versioned page -------------------------------------------------
#
# 国办发〔2018〕118号 (事前公开): the agency and its duties, the officers, the procedure, the
# remedies and the random-inspection items are published before enforcement, kept current, and
# every change is traceable. Each function returns a page's content as plain JSON (no dates as
# objects, nothing that changes by itself from one day to the next): the live page renders it,
# ``services.portal_snapshot_take`` stores and hashes it, and a /v<n>/ page renders the stored
# copy through the same partial — so an archived version looks exactly as it did.


def agency_content(*, on: dt.date) -> dict | None:
    agency, units = agency_public()
    if agency is None:
        return None
    return {
        "name": agency.name,
        "uscc": agency.uscc,
        "jurisdiction": agency.jurisdiction,
        "address": agency.address,
        "phone": agency.phone,
        "legal_basis": agency.legal_basis,
        "units": [
            {"name": u.name, "kind": u.get_kind_display(), "duties": u.duties} for u in units
        ],
    }


def officers_content(*, on: dt.date) -> dict | None:
    """The roster: name, unit, post (岗位), certificate kind and number, status — nothing else
    about a person (DOMAIN.md §12 A2: 国办发〔2018〕118号 publishes 姓名、执法证件号码, 山西 adds
    单位 and 岗位). Every listed certificate is valid on ``on`` (the roster leaves out suspended,
    expired and ended ones); "即将到期" is shown as 有效 so that a version is not cut every day.
    A version kept before the post was listed has no "post" key; its page shows no 岗位 column."""
    from sanxiang.registry.selectors import public_roster

    agency, _units = agency_public()
    if agency is None:
        return None
    return {
        "officers": [
            {
                "name": r["name"],
                "unit": r["unit"],
                "post": r["post"],
                "kind": r["kind"],
                "number": r["number"],
                "status": "有效" if r["valid"] else r["status"],
            }
            for r in public_roster(agency=agency, on=on)
        ]
    }


def remedies_content(*, on: dt.date) -> dict | None:
    agency, _units = agency_public()
    name = agency.name if agency else "本机关"
    phone = f"（联系电话：{agency.phone}）" if agency and agency.phone else ""
    return {
        "sections": [
            {
                "heading": "行政复议",
                "text": "公民、法人或者其他组织认为行政处罚、行政处理决定侵犯其合法权益的，可以"
                f"自知道或者应当知道该决定之日起{rules.REVIEW_DAYS}日内提出行政复议申请"
                "（《中华人民共和国行政复议法》第二十条）。",
            },
            {
                "heading": "行政诉讼",
                "text": "也可以自知道或者应当知道作出行政行为之日起"
                f"{rules.LITIGATION_MONTHS}个月内直接向人民法院提起行政诉讼"
                "（《中华人民共和国行政诉讼法》第四十六条）。",
            },
            {
                "heading": "陈述、申辩和听证",
                "text": "作出行政处罚决定前，当事人有权进行陈述和申辩；拟作出较大数额罚款、"
                "吊销许可证件等处罚的，有权要求听证（《中华人民共和国行政处罚法》第四十四条、"
                "第四十五条、第六十三条）。申辩不加重处罚。",
            },
            {
                "heading": "投诉、举报和信用修复",
                "text": f"对执法人员的执法行为有异议的，可以向{name}或者本级人民政府司法行政部门"
                f"投诉、举报{phone}。公示的行政处罚信息有误的，当事人可以申请更正；已履行处罚"
                "决定的，可以在最短公示期届满后申请信用修复、提前终止公示。",
            },
        ]
    }


PROCEDURE_TIME_LIMITS = (
    "时限：受理投诉 5 个工作日；调查 60 个工作日（可延长 30 个工作日）；作出行政处罚决定 90 日；"
    "陈述、申辩 3 个工作日；申请听证 5 个工作日；送达决定书 7 个工作日；缴纳罚款 15 日。"
)


def procedure_content(*, on: dt.date) -> dict | None:
    steps, rows = procedure_steps()
    return {"steps": steps, "rows": rows, "time_limits": PROCEDURE_TIME_LIMITS}


def random_items_content(*, on: dt.date) -> dict | None:
    """一单 of 双随机、一公开: the items in force on ``on`` (the inspections app's list)."""
    from django.db.models import Prefetch

    from sanxiang.catalog.models import LegalBasis
    from sanxiang.inspections.selectors import item_list

    agency, _units = agency_public()
    if agency is None:
        return None
    versions = item_list(agency=agency, on=on).prefetch_related(
        Prefetch("bases", queryset=LegalBasis.objects.order_by("position"))
    )
    return {
        "items": [
            {
                "code": v.item.code,
                "name": v.name,
                "description": v.description,
                "bases": [f"《{b.law}》{b.article}" for b in v.bases.all()],
            }
            for v in versions
        ]
    }


PAGE_CONTENT = {
    PortalPage.AGENCY: agency_content,
    PortalPage.OFFICERS: officers_content,
    PortalPage.REMEDIES: remedies_content,
    PortalPage.PROCEDURE: procedure_content,
    PortalPage.RANDOM_ITEMS: random_items_content,
}


# Their addresses: /gongkai/<prefix>/ (live), <prefix>/history/ and <prefix>/v<n>/.
PAGE_PREFIXES = {
    PortalPage.AGENCY: "agency",
    PortalPage.OFFICERS: "officers",
    PortalPage.REMEDIES: "remedies",
    PortalPage.PROCEDURE: "procedure",
    PortalPage.RANDOM_ITEMS: "random-items",
}


def page_content(page: str, *, on: dt.date) -> dict | None:
    """The live content of ``page`` as of ``on`` (None: nothing to show, no agency yet)."""
    return PAGE_CONTENT[PortalPage(page)](on=on)


def snapshots(page: str) -> list[PortalSnapshot]:
    """Every version of ``page``, newest first (without the content)."""
    return list(PortalSnapshot.objects.filter(page=page).defer("content").order_by("-number"))


def snapshot_get(page: str, number: int) -> PortalSnapshot | None:
    return PortalSnapshot.objects.filter(page=page, number=number).first()


def snapshot_get_next(page: str, number: int) -> PortalSnapshot | None:
    """The version that replaced version ``number`` (None: it is the latest)."""
    return (
        PortalSnapshot.objects.filter(page=page, number__gt=number)
        .only("number", "published_at")
        .order_by("number")
        .first()
    )


def snapshot_latest(page: str) -> PortalSnapshot | None:
    return PortalSnapshot.objects.filter(page=page).defer("content").order_by("-number").first()


def snapshot_number_on(page: str, day: dt.date) -> int | None:
    """The version that was public at the end of ``day`` (Asia/Shanghai), or None."""
    from django.utils import timezone

    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    found = (
        PortalSnapshot.objects.filter(page=page, published_at__lt=end)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return found


# --- 事中公示: the certificate an officer shows ------------------------------------------------------


STATUS_LABELS = {
    "valid": "有效",
    "expiring": "有效",
    "expired": "已过期",
    "suspended": "暂扣中（不得从事执法活动）",
    "pending": "尚未生效",
    "ended": "已注销或收回",
}


def officer_status(*, number: str, on: dt.date) -> list[dict]:
    """What /verify/officer/<number> shows: name, unit, post, certificate number and kind, and
    the live status — nothing else about the person (the post is on the public roster too)."""
    import unicodedata

    from sanxiang.registry import rules as registry_rules
    from sanxiang.registry.models import Certificate

    number = "".join(unicodedata.normalize("NFKC", number or "").split()).upper()
    if not number or len(number) > 40:
        return []
    out = []
    for c in (
        Certificate.objects.filter(number=number)
        .select_related("officer__user__unit")
        .prefetch_related("suspensions")
        .order_by("kind")
    ):
        code, _label = registry_rules.certificate_state(c.facts(), on)
        out.append(
            {
                "name": c.officer.name,
                "unit": c.officer.user.unit.name if c.officer.user.unit else "",
                "post": c.officer.post,
                "number": c.number,
                "kind": c.get_kind_display(),
                "status": code if code != "expiring" else "valid",
                "status_label": STATUS_LABELS.get(code, code),
                "valid": code in ("valid", "expiring"),
            }
        )
    return out
