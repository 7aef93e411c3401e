"""The numbering service (文号): gap-free, unique numbers per (agency, document type, year).

    from sanxiang.cases.numbering import number_next
    n, text = number_next(agency=agency, doc_type="penalty", year=2026)

Call it inside the transaction that stores the document: the counter row is locked
(``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite the IMMEDIATE transaction already holds the
database write lock), so concurrent callers are serialised and each sees the previous one's
number; if the transaction rolls back, so does the counter, and the number is used by the next
document — no gaps, no duplicates (ARCHITECTURE.md invariant 5). Every number is also written to
``IssuedNumber``, whose unique constraints are the database's own guarantee.

Other apps (records) add their document types at start-up with :func:`register_doc_type`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from sanxiang import ledger
from sanxiang.lib import docno
from sanxiang.lib.errors import DomainError, NotPermitted

from .models import IssuedNumber, NumberCounter, NumberPattern


@dataclass(frozen=True)
class DocType:
    code: str
    label: str
    default_pattern: str


_DOC_TYPES: dict[str, DocType] = {}


def register_doc_type(code: str, label: str, default_pattern: str) -> None:
    """Declare a document type and its default pattern (idempotent for the same values)."""
    docno.validate_pattern(default_pattern)
    existing = _DOC_TYPES.get(code)
    if existing is not None and existing != DocType(code, label, default_pattern):
        raise ValueError(f"document type {code!r} is already registered differently")
    _DOC_TYPES[code] = DocType(code, label, default_pattern)


def doc_types() -> list[DocType]:
    return list(_DOC_TYPES.values())


# The case documents numbered by this app. Patterns follow the brief's examples; the agency's
# 系统管理员 may change any of them (number_pattern_set).
for _code, _label, _pattern in [
    ("registration", "投诉举报及案件线索登记", "{short}监登字〔{year}〕第{n}号"),
    ("filing", "立案审批表", "{short}监立字〔{year}〕第{n}号"),
    ("order", "劳动保障监察限期改正指令书", "{short}监令字〔{year}〕第{n}号"),
    ("notice", "行政处罚（处理）事先告知书", "{short}监告字〔{year}〕第{n}号"),
    ("penalty", "行政处罚决定书", "{short}监罚字〔{year}〕第{n}号"),
    ("handling", "劳动保障监察行政处理决定书", "{short}监理字〔{year}〕第{n}号"),
    ("no_penalty", "不予行政处罚决定书", "{short}监不罚字〔{year}〕第{n}号"),
    ("on_spot", "当场行政处罚决定书", "{short}监简罚字〔{year}〕第{n}号"),
    ("transfer", "案件移送书", "{short}监移字〔{year}〕第{n}号"),
    ("reminder", "履行催告书", "{short}监催字〔{year}〕第{n}号"),
]:
    register_doc_type(_code, _label, _pattern)


def _doc_type(code: str) -> DocType:
    try:
        return _DOC_TYPES[code]
    except KeyError:
        raise DomainError(f"未知的文书种类：{code}", field="doc_type") from None


def pattern_for(*, agency, doc_type: str) -> NumberPattern:
    """The agency's pattern for ``doc_type``, created from the default on first use."""
    kind = _doc_type(doc_type)
    pattern = NumberPattern.objects.filter(agency=agency, doc_type=doc_type).first()
    if pattern is None:
        try:
            with transaction.atomic():
                pattern = NumberPattern.objects.create(
                    agency=agency, doc_type=doc_type, label=kind.label, pattern=kind.default_pattern
                )
        except IntegrityError:  # created meanwhile by a concurrent caller
            pattern = NumberPattern.objects.get(agency=agency, doc_type=doc_type)
    return pattern


def number_patterns_ensure(*, agency) -> list[NumberPattern]:
    """Seed the default pattern of every registered document type for ``agency``."""
    return [pattern_for(agency=agency, doc_type=t.code) for t in doc_types()]


def _locked_counter(*, agency, doc_type: str, year: int) -> NumberCounter:
    qs = NumberCounter.objects.select_for_update()
    counter = qs.filter(agency=agency, doc_type=doc_type, year=year).first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():  # savepoint: a concurrent creator wins, we then lock its row
            return NumberCounter.objects.create(agency=agency, doc_type=doc_type, year=year, last=0)
    except IntegrityError:
        return qs.get(agency=agency, doc_type=doc_type, year=year)


def number_next(*, agency, doc_type: str, year: int) -> tuple[int, str]:
    """Allocate the next number: ``(n, text)``, e.g. ``(7, "陵人社监罚字〔2026〕第7号")``.

    Must run inside the caller's transaction (the document and its number commit together).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("number_next must run inside the transaction that stores the document")
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2999:
        raise DomainError("文号年份无效", field="year")
    if not agency.short_name:
        raise DomainError(f"{agency.name}未设置用于文号的简称（机关代字）")
    pattern = pattern_for(agency=agency, doc_type=doc_type)
    counter = _locked_counter(agency=agency, doc_type=doc_type, year=year)
    n = counter.last + 1
    text = docno.format_docno(pattern.pattern, short=agency.short_name, year=year, n=n)
    counter.last = n
    counter.save(update_fields=["last"])
    try:
        with transaction.atomic():
            IssuedNumber.objects.create(
                agency=agency,
                doc_type=doc_type,
                year=year,
                n=n,
                text=text,
                issued_at=timezone.now(),
            )
    except IntegrityError:
        raise DomainError(
            f"文号“{text}”已被使用：请检查“{pattern.label}”的文号格式是否与其他文书种类相同"
        ) from None
    return n, text


@transaction.atomic
def number_pattern_set(*, actor, agency, doc_type: str, pattern: str) -> NumberPattern:
    """Change an agency's pattern for a document type (recorded in the ledger)."""
    if actor is None or not actor.has_perm("cases.configure_cases"):
        raise NotPermitted("您没有设置文号格式的权限")
    problems = docno.pattern_problems(pattern)
    if problems:
        raise DomainError("；".join(problems), field="pattern")
    row = NumberPattern.objects.select_for_update().get(
        pk=pattern_for(agency=agency, doc_type=doc_type).pk
    )
    before = row.pattern
    row.pattern, row.updated_at, row.updated_by = pattern, timezone.now(), actor
    row.save(update_fields=["pattern", "updated_at", "updated_by"])
    ledger.record(
        actor=actor,
        subject=row,
        type="cases.number_pattern_set",
        data={"agency": agency.pk, "doc_type": doc_type, "before": before, "after": pattern},
    )
    return row
