"""DOCX export with docxtpl, for staff who edit a document in WPS/Word before printing.

Filled from the same context and stamp as the PDF (same filters, see formatting.py); the
output is deterministic (fixed core properties and zip member times) so its hash can be
recorded beside the PDF's.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from typing import Any

import jinja2
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from sanxiang.lib.errors import DomainError

from . import registry
from .docx_build import normalized_zip
from .formatting import FILTERS
from .render import check_context
from .stamp import Stamp


@cache
def _env() -> jinja2.Environment:
    # Autoescape: the values are put into WordprocessingML; "&" or "<" in a party's name must
    # not break the XML.
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters.update(FILTERS)
    return env


def render_docx(code: str, context: Any, *, stamp: Stamp | None = None) -> bytes:
    doc_type = registry.get(code)
    if not doc_type.docx_template:
        raise DomainError(f"{doc_type.name}没有 DOCX 模板", field="doc_type")
    check_context(doc_type, context)
    template = DocxTemplate(str(registry.DOCX_DIR / doc_type.docx_template))
    qr = (
        InlineImage(template, image_descriptor=io.BytesIO(stamp.qr_png()), width=Mm(20))
        if stamp
        else None
    )
    issued_on = doc_type.issued_on(context)
    template.render(
        {"doc": context, "spec": doc_type, "stamp": stamp, "qr": qr, "issued_on": issued_on},
        jinja_env=_env(),
        autoescape=True,
    )
    props = template.docx.core_properties
    props.title = doc_type.name
    props.author = getattr(context, "agency_name", "") or "Sanxiang"
    props.last_modified_by = "Sanxiang"
    props.comments = f"{doc_type.code} {doc_type.version}"
    props.identifier = stamp.verification_code if stamp else ""
    moment = dt.datetime.combine(issued_on, dt.time()) if issued_on else dt.datetime(2026, 1, 1)
    props.created = props.modified = moment
    out = io.BytesIO()
    template.save(out)
    return normalized_zip(out.getvalue())
