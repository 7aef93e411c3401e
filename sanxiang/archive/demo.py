"""Demo data: the demo's closed cases filed — every document generated from the case data, the
generated PDF uploaded as its "scan" (a demo stand-in for the signed and sealed paper),
assembled and sealed by 孙档案 — so the archive pages, borrowing and the export package have
something to show. Runs after the cases demo; idempotent."""

from __future__ import annotations

from django.core.files.base import ContentFile

from sanxiang.cases.models import Case
from sanxiang.lib.errors import DomainError

from . import services
from .models import CaseFile


def _scan(doc, actor) -> None:
    from sanxiang.records import services as records_services

    if hasattr(doc, "final_scan"):
        return
    with doc.pdf.open("rb") as fh:
        upload = ContentFile(fh.read(), name=f"demo-scan-{doc.pk}.pdf")
    records_services.document_attach_scan(actor=actor, document=doc, uploaded_file=upload)


def load(*, context: dict, stdout) -> None:
    from sanxiang.cases.demo import MARK
    from sanxiang.records.casedocs import builders, config
    from sanxiang.records.casedocs import services as casedocs

    agency, users = context["agency"], context["users"]
    if CaseFile.objects.filter(agency=agency).exists():
        stdout.write("演示案卷：已存在，未重复载入")
        return
    officer, archivist = users["zhangming"], users["sundangan"]
    sealed = []
    with config.demo_mode():
        for case in Case.objects.filter(agency=agency, summary__startswith=MARK).order_by("pk"):
            if case.state not in ("closed", "enforcement", "served"):
                continue
            made = []
            for builder in builders.all_builders():
                if builder.may is not None:
                    continue
                for obj in builder.objects(builders.CaseData(case)):
                    try:
                        made.append(
                            casedocs.case_document_generate(
                                actor=officer, case=case, doc_type=builder.doc_type, obj=obj
                            )
                        )
                    except DomainError as exc:
                        stdout.write(f"演示文书未生成（{case.number} {builder.doc_type}）：{exc}")
            if case.state != "closed":
                continue
            for doc in made:
                _scan(doc, officer)
            case_file = services.casefile_assemble(actor=officer, case=case)
            try:
                sealed.append(services.casefile_seal(actor=archivist, case_file=case_file))
            except DomainError as exc:
                stdout.write(f"演示案卷未封存（{case.number}）：{exc}")
    stdout.write(
        "演示案卷：" + ("；".join(f"{f.archive_no} {f.title}" for f in sealed) or "无已结案案件")
    )
