"""Every registered document type; importing this package registers them all.

To add a type: a module here with its context dataclass, ``sample()`` and one
``register(DocumentType(...))``; its HTML template under templates/records/documents/; an
import line below; a fingerprint in versions.json (docs/documents.md, "Adding a document type").
"""

from . import (  # noqa: F401
    advance_notice,
    file_index,
    legal_review_opinion,
    penalty_decision,
    review_accountability,
    service_receipt,
)
