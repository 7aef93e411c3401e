"""Demo data: one issued document of each registered type, so the document list and the public
verification page (/verify/document/<code>) have something to show. Idempotent: nothing is
generated when the demo agency already has documents. Runs after the registry's people loader
(it prints 张明's and 李华's certificate numbers on the 送达回证)."""

from __future__ import annotations

import dataclasses

from django.utils import timezone

from . import documents, selectors, services
from .documents.types.service_receipt import ServedDocument
from .models import GeneratedDocument


def load(*, context: dict, stdout) -> None:
    agency, users = context["agency"], context["users"]
    if GeneratedDocument.objects.filter(agency=agency).exists():
        return
    actor = users["zhangming"]

    def generate(code: str, sample) -> GeneratedDocument:
        spec = documents.get(code)
        return services.document_generate(
            actor=actor,
            doc_type=code,
            subject=agency,
            context=sample,
            allocate_number=bool(spec.number_code),
        )

    notice = generate("advance_notice", documents.get("advance_notice").sample())
    decision_sample = documents.get("penalty_decision").sample()
    decision_sample.notice_number = notice.number
    decision = generate("penalty_decision", decision_sample)
    receipt = generate(
        "service_receipt",
        dataclasses.replace(
            documents.get("service_receipt").sample(),
            documents=[ServedDocument(name=decision.doc_name, number=decision.number)],
            servers=selectors.officer_refs(
                users=[users["zhangming"], users["lihua"]], on=timezone.localdate()
            ),
        ),
    )
    index = generate("file_index", documents.get("file_index").sample())
    made = [notice, decision, receipt, index]
    stdout.write("示例执法文书：" + "；".join(f"{d.doc_name} {d.grouped_code}" for d in made))
