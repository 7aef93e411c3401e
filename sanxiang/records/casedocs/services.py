"""Making a case's documents from its data (the write side of casedocs)."""

from __future__ import annotations

from django.db import transaction

from sanxiang.lib.errors import DomainError, NotPermitted

from .. import services as records_services
from ..models import DocumentScan, GeneratedDocument
from . import builders, locks, selectors


def _same(a, b) -> bool:
    return type(a) is type(b) and a.pk == b.pk


@transaction.atomic
def case_document_generate(*, actor, case, doc_type: str, obj=None) -> GeneratedDocument:
    """Fill ``doc_type`` from ``case``'s data (for ``obj``: the interview record, service
    record, hearing … it documents; None when the case has exactly one) and issue it with
    ``records.services.document_generate``.

    The 文号 is the one the case service already allocated (立案号, the order's, the notice's,
    the decision's, the reminder's) — never a second one; a document with its own number
    (听证通知书, 先行登记保存通知书) gets one on first generation and keeps it. Making it again
    replaces the current version (a correction before sealing, with the same number) unless
    its signed and sealed scan was uploaded. Refused on a sealed case file (``locks``).
    """
    builder = builders.get(doc_type)
    if actor is None or not actor.is_authenticated:
        raise NotPermitted("请先登录")
    from sanxiang.cases.models import Case

    case = Case.objects.select_for_update(of=("self",)).select_related("agency").get(pk=case.pk)
    locked = locks.lock_reasons(case)
    if locked:
        raise DomainError("；".join(locked), code="read_only")
    reasons = selectors.generate_problems(case, actor, builder, include_locks=False)
    if reasons:
        raise NotPermitted("；".join(reasons))
    data = builders.CaseData(case)
    objects = builder.objects(data)
    if not objects:
        raise DomainError(builder.waiting or "本案尚无可制作该文书的记录", field="doc_type")
    if obj is None:
        if len(objects) > 1:
            raise DomainError("本案有多份该类文书，请指定所依据的记录", field="obj")
        obj = objects[0]
    elif not any(_same(o, obj) for o in objects):
        raise DomainError("所选记录不属于本案或尚不能制作该文书", field="obj")
    documents = selectors.case_documents(case)
    current = dict(
        zip(
            [(type(o), o.pk) for o in objects],
            selectors.match_documents(builder, objects, documents),
            strict=True,
        )
    )[(type(obj), obj.pk)]
    if current is not None and DocumentScan.objects.filter(document=current).exists():
        raise DomainError(
            f"{current.doc_name}（{current.number or current.grouped_code}）已上传签章扫描件，"
            "不能重新生成；如需更正，请依法另行作出更正",
            field="doc_type",
        )
    context = builder.build(data, obj)
    number = builder.number(data, obj) if builder.number else None
    if current is not None:
        if number and current.number and number != current.number:
            raise DomainError(f"文号不一致：已生成的文书为“{current.number}”，现为“{number}”")
        return records_services.document_generate(
            actor=actor,
            doc_type=doc_type,
            subject=case,
            context=context,
            agency=case.agency,
            replaces=current,
        )
    return records_services.document_generate(
        actor=actor,
        doc_type=doc_type,
        subject=case,
        context=context,
        agency=case.agency,
        number=number or None,
        allocate_number=builder.allocate and not number,
    )
