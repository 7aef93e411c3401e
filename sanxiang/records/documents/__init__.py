"""The document engine (文书): registry of document types, HTML/PDF and DOCX rendering.

    from sanxiang.records import documents
    spec = documents.get("penalty_decision")
    pdf = documents.render_pdf("penalty_decision", context, stamp=stamp)

Generating an *issued* document (stored, hashed, numbered, recorded in the ledger) is the
service ``sanxiang.records.services.document_generate``; these functions only render.
Rendering imports WeasyPrint, so it is loaded on first use, not at Django start-up.
"""

from __future__ import annotations

from typing import Any

from .registry import DocumentType, RequiredItem, all_types, get, register  # noqa: F401
from .stamp import Stamp  # noqa: F401


def render_pdf(code: str, context: Any, *, stamp: Stamp | None = None) -> bytes:
    from .render import render_pdf as _render_pdf

    return _render_pdf(code, context, stamp=stamp)


def render_html(code: str, context: Any, *, stamp: Stamp | None = None) -> str:
    from .render import render_html as _render_html

    return _render_html(code, context, stamp=stamp)


def render_docx(code: str, context: Any, *, stamp: Stamp | None = None) -> bytes:
    from .docx import render_docx as _render_docx

    return _render_docx(code, context, stamp=stamp)
