"""Reads for the case page's 文书 section: which documents each case produces, which exist,
who may make them now and why not."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType

from .. import documents
from ..models import GeneratedDocument
from . import builders, locks

STAGES = [
    "立案",
    "调查取证",
    "告知与听证",
    "法制审核",
    "决定与送达",
    "执行",
    "结案",
    "归档",
    "其他",
]
# Documents made by other features, by the stage the section shows them in.
OTHER_STAGES = {
    "legal_review_opinion": "法制审核",
    "review_accountability": "法制审核",
    "archive_cover": "归档",
    "archive_note": "归档",
    "file_index": "归档",
}
# Documents that are not signed and sealed on paper (the archive's own forms).
NO_SCAN_TYPES = frozenset({"archive_cover", "archive_note", "file_index"})


def case_documents(case) -> list[GeneratedDocument]:
    """Every document of the case, current and replaced, oldest first (one query)."""
    return list(
        GeneratedDocument.objects.filter(
            subject_type=ContentType.objects.get_for_model(type(case)), subject_id=str(case.pk)
        )
        .select_related("final_scan", "replaced_by", "created_by")
        .order_by("created_at", "pk")
    )


def _current(docs: list[GeneratedDocument], doc_type: str) -> list[GeneratedDocument]:
    out = []
    for d in docs:
        if d.doc_type != doc_type:
            continue
        try:
            d.replaced_by  # noqa: B018 (reverse one-to-one: raises when not replaced)
        except GeneratedDocument.DoesNotExist:
            out.append(d)
    return out


def match_documents(
    builder: builders.Builder, objects: list, docs: list[GeneratedDocument]
) -> list[GeneratedDocument | None]:
    """The current document of each object (None where none was made), in the objects' order.

    Numbered documents are found by their 文号; others by the fragment of their title that
    names the object (time of an interview, date of a discussion, the served document); where
    several objects share a fragment (a document served twice) they pair up in order."""
    current = _current(docs, builder.doc_type)
    if builder.match == "single":
        return [current[-1] if current else None for _ in objects[:1]] + [None] * max(
            0, len(objects) - 1
        )
    if builder.match == "number":
        by_number = {d.number: d for d in current if d.number}
        return [by_number.get(builder.key(o)) for o in objects]
    queues: dict[str, list[GeneratedDocument]] = defaultdict(list)
    keys = [builder.key(o) for o in objects]
    for key in dict.fromkeys(keys):
        queues[key] = [d for d in current if key in d.title]
    return [queues[k].pop(0) if queues[k] else None for k in keys]


def document_for(case, doc_type: str, obj) -> GeneratedDocument | None:
    """The current document made for ``obj`` (a case object, or the case itself)."""
    builder = builders.get(doc_type)
    data = builders.CaseData(case)
    objects = builder.objects(data)
    for o, d in zip(objects, match_documents(builder, objects, case_documents(case)), strict=True):
        if type(o) is type(obj) and o.pk == obj.pk:
            return d
    return None


def generate_problems(
    case, user, builder: builders.Builder, *, include_locks: bool = True
) -> list[str]:
    """Why ``user`` may not make this kind of document for ``case`` now ([] = may)."""
    reasons = list(locks.lock_reasons(case)) if include_locks else []
    if builder.may is not None:
        reason = builder.may(case, user)
        return reasons + ([reason] if reason else [])
    from sanxiang.cases.selectors import is_on_team

    if not user.has_perm("records.add_generateddocument"):
        reasons.append("您没有制作执法文书的权限")
    elif not is_on_team(case=case, user=user):
        reasons.append("只有本案办案人员可以制作本案文书")
    return reasons


@dataclass
class DocRow:
    doc_type: str
    name: str
    label: str  # the case object, e.g. "钱某 2026年3月10日9时00分"
    obj_id: int | None
    document: GeneratedDocument | None
    versions: int = 1  # how many versions were made (corrections before sealing)
    reasons: list[str] = field(default_factory=list)  # why it cannot be (re)made now
    waiting: str = ""  # no object yet

    @property
    def has_scan(self) -> bool:
        return self.document is not None and hasattr(self.document, "final_scan")

    @property
    def needs_scan(self) -> bool:
        return self.doc_type not in NO_SCAN_TYPES

    @property
    def may_generate(self) -> bool:
        return not self.reasons and not self.waiting and not self.has_scan


@dataclass
class StageGroup:
    stage: str
    rows: list[DocRow]  # documents made or makeable from an existing record
    waiting: list[DocRow] = field(default_factory=list)  # no record yet ("尚未安排听证")


@dataclass
class CaseDocuments:
    groups: list[StageGroup]
    notices: list[str]  # why nothing can be made now (sealed file; not on the team), once


def case_document_section(case, *, user) -> CaseDocuments:
    """What the case page's 文书 section shows: the groups of :func:`case_document_rows`, the
    rows without a record yet set apart, and the reasons nobody may make documents now
    (shown once, not on every row)."""
    groups = [
        StageGroup(
            g.stage,
            [r for r in g.rows if not r.waiting],
            [r for r in g.rows if r.waiting],
        )
        for g in case_document_rows(case, user=user)
    ]
    # The officers' documents all share one rule (builders without their own ``may``).
    common = next((b for b in builders.all_builders() if b.may is None), None)
    notices = generate_problems(case, user, common) if common is not None else []
    return CaseDocuments(groups, notices)


def case_document_rows(case, *, user) -> list[StageGroup]:
    """The case page's document section: for each document type the case produces, each
    object it is made from with its current document (or none yet), grouped by stage; then
    documents made elsewhere (法制审核意见书 …). A fixed number of queries per case."""
    data = builders.CaseData(case)
    docs = case_documents(case)
    matched: set[int] = set()
    groups: dict[str, list[DocRow]] = defaultdict(list)
    can_cache: dict[str, list[str]] = {}
    for builder in builders.all_builders():
        spec = documents.get(builder.doc_type)
        try:
            objects = builder.objects(data)
        except Exception as exc:  # noqa: BLE001 - a broken builder must not break the case page
            groups[builder.stage].append(
                DocRow(builder.doc_type, spec.name, "", None, None, reasons=[str(exc)])
            )
            continue
        # Builders without their own rule share the officers' one: asked once.
        rule = builder.doc_type if builder.may is not None else ""
        if rule not in can_cache:
            can_cache[rule] = generate_problems(case, user, builder)
        can_cache[builder.doc_type] = can_cache[rule]
        if not objects:
            groups[builder.stage].append(
                DocRow(builder.doc_type, spec.name, "", None, None, waiting=builder.waiting)
            )
            continue
        for obj, doc in zip(objects, match_documents(builder, objects, docs), strict=True):
            versions = 1
            if doc is not None:
                matched.add(doc.pk)
                prev = doc
                while prev.replaces_id:
                    versions += 1
                    matched.add(prev.replaces_id)
                    prev = next((d for d in docs if d.pk == prev.replaces_id), None)
                    if prev is None:
                        break
            groups[builder.stage].append(
                DocRow(
                    doc_type=builder.doc_type,
                    name=spec.name,
                    label=builder.label(obj),
                    obj_id=getattr(obj, "pk", None) if obj is not case else None,
                    document=doc,
                    versions=versions,
                    reasons=list(can_cache[builder.doc_type]),
                )
            )
    for d in docs:
        if d.pk in matched:
            continue
        try:
            d.replaced_by  # noqa: B018
            continue  # an older version of a document shown elsewhere
        except GeneratedDocument.DoesNotExist:
            pass
        groups[OTHER_STAGES.get(d.doc_type, "其他")].append(
            DocRow(d.doc_type, d.doc_name, d.title, None, d, reasons=["由其他功能制作"])
        )
    return [StageGroup(s, groups[s]) for s in STAGES if groups.get(s)]


def case_documents_panel(case, *, user, today=None) -> dict | None:
    """Context of the case page's 执法文书 panel (``cases.gates.register_case_panel``); None
    hides it from users who may not read documents."""
    if not user.has_perm("records.view_generateddocument"):
        return None
    section = case_document_section(case, user=user)
    return {"groups": section.groups, "notices": section.notices}
