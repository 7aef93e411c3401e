"""Every registered document type; importing this package registers them all.

To add a type: a module here with its context dataclass, ``sample()`` and one
``register(DocumentType(...))``; its HTML template under templates/records/documents/; an
import line below; a fingerprint in versions.json (docs/documents.md, "Adding a document type").
"""

from . import (  # noqa: F401
    advance_notice,
    archive_cover,
    archive_note,
    closing_approval,
    correction_order,
    discussion_record,
    file_index,
    filing_approval,
    hearing_notice,
    hearing_record,
    inspection_record,
    interview_record,
    investigation_report,
    legal_review_opinion,
    not_accepted_notice,
    penalty_decision,
    performance_reminder,
    preservation_notice,
    review_accountability,
    service_receipt,
)
