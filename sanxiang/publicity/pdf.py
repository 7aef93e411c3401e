"""The public rendition of a published decision (公开文本 PDF).

Why not publish the PDF that was served? The served 行政处罚决定书 carries what must not be
public (DOMAIN.md §5.3): a natural person's ID number and home address, names of workers and
witnesses in the facts and the evidence list, sometimes bank accounts. A PDF cannot be redacted
reliably — the text layer, font subsets and metadata keep what a black box hides — so the
portal never serves it. Instead the masked text that the 公示管理员 approved is rendered here
into its own PDF (same GB/T 9704 page geometry, marked 公开文本), stored content-addressed,
and its SHA-256 and SM3 go into the ``publicity.published`` ledger event. The served
original's hash (a hash reveals nothing) and its /verify/document/ page remain available for
the party to check their own copy.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from sanxiang.records import storage
from sanxiang.records.documents.render import html_to_pdf


def render_public_pdf(*, entry_fields: dict, fields: list[tuple[str, str]]) -> storage.StoredFile:
    html = render_to_string(
        "publicity/documents/public_text.html", {"e": entry_fields, "fields": fields}
    )
    return storage.store_bytes(html_to_pdf(html), prefix="publicity", ext="pdf")
