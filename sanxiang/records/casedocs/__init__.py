"""Case documents (案件文书): every standard document of a case filled from the case's own
data — the case page's 文书 section.

    from sanxiang.records.casedocs import services, selectors
    doc = services.case_document_generate(actor=user, case=case, doc_type="interview_record",
                                          obj=record)
    groups = selectors.case_document_rows(case, user=user)   # what the section shows

``builders`` maps each document type to the case objects it is made from and fills its
context; ``locks`` is the slot through which the archive freezes a sealed case's documents.
The case page includes the section with ``{% load casedocs %}{% case_documents case %}``.
"""
