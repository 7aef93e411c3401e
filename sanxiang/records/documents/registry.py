"""The document-type registry: what each 文书 is, which template prints it, what it must say.

Each module in ``documents/types/`` declares one type and calls :func:`register` at import; the
package ``documents.types`` imports them all. docs/documents.md explains how to add one.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sanxiang.lib.errors import DomainError

PACKAGE_DIR = Path(__file__).resolve().parent
RECORDS_DIR = PACKAGE_DIR.parent
HTML_DIR = RECORDS_DIR / "templates"
DOCX_DIR = PACKAGE_DIR / "docx_templates"
ASSETS_DIR = PACKAGE_DIR / "assets"
VERSIONS_FILE = PACKAGE_DIR / "versions.json"
# Files every document's output depends on besides its own template and module: the
# stylesheet, the base template, every partial "_*.html", the filters and the QR stamp.
# (context.py is left out so that adding a shared dataclass does not re-version every type;
# a change to how an existing shared class prints needs a manual version bump.)
SHARED_FILES = [
    ASSETS_DIR / "gbt9704.css",
    HTML_DIR / "records/documents/base.html",
    *sorted((HTML_DIR / "records/documents").glob("_*.html")),
    PACKAGE_DIR / "formatting.py",
    PACKAGE_DIR / "stamp.py",
]


def squash(value: str) -> str:
    """Text without any whitespace (pdftotext breaks lines and spaces justified text)."""
    return "".join(str(value).split())


def snippet(value: str, length: int = 14) -> str:
    """The start of a long text: enough to identify it, short enough not to cross a page."""
    return squash(value)[:length]


@dataclass(frozen=True)
class RequiredItem:
    """Something the rendered PDF must contain (checked by pdftotext in the tests)."""

    label: str  # e.g. "当事人的名称" — says which legal item this is
    text: Callable[[Any], str]  # the text to find, from the context
    basis: str = ""  # the rule that requires it, e.g. "行政处罚法 第五十九条第一款第（一）项"


@dataclass(frozen=True)
class DocumentType:
    code: str  # "penalty_decision"
    name: str  # "行政处罚决定书"
    version: str  # bump on every change to the template or its shared files (versions.json)
    context_class: type  # the dataclass the document is filled from
    template: str  # Django template path of the HTML
    sample: Callable[[], Any]  # a complete example context (tests, benchmark, 样稿)
    title: Callable[[Any], str]  # the GeneratedDocument's title
    issued_on: Callable[[Any], Any]  # the date printed as 成文日期 (or the document's date)
    required_items: tuple[RequiredItem, ...] = ()
    docx_template: str | None = None  # file name in docx_templates/ (None: no DOCX)
    number_code: str | None = None  # document type in the numbering service (cases.numbering)
    red_head: bool = False  # 发文机关标志 in red with the red 分隔线 (GB/T 9704-2012 7.2)
    page_numbers: bool = True  # GB/T 9704-2012 7.5; off for forms filed with archive numbering
    # Where the verification QR code goes: "end" (closing band, letters) or "head" (top right,
    # with a one-line instruction at the foot: one-page forms such as the 送达回证).
    stamp_at: str = "end"
    sealed: bool = True  # closes with the agency's name, date and the seal area (GB/T 9704 7.3.5)
    basis: str = ""  # the rule that requires this document
    notes: tuple[str, ...] = field(default=())

    def template_files(self) -> list[Path]:
        module = Path(inspect.getfile(self.context_class))
        files = [module, HTML_DIR / self.template, *SHARED_FILES]
        if self.docx_template:
            files.append(DOCX_DIR / self.docx_template)
        return files

    def fingerprint(self) -> str:
        """SHA-256 over the files that decide this type's output; a change without a version
        bump fails ``test_template_versions``."""
        digest = hashlib.sha256()
        for path in self.template_files():
            digest.update(path.relative_to(RECORDS_DIR).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
        return digest.hexdigest()


_TYPES: dict[str, DocumentType] = {}


def register(doc_type: DocumentType) -> DocumentType:
    existing = _TYPES.get(doc_type.code)
    if existing is not None and existing is not doc_type:
        raise ValueError(f"document type {doc_type.code!r} is already registered")
    _TYPES[doc_type.code] = doc_type
    return doc_type


def _load() -> None:
    from . import types  # noqa: F401  (each module registers its type)


def get(code: str) -> DocumentType:
    """The registered type, or a Chinese DomainError for an unknown code."""
    _load()
    try:
        return _TYPES[code]
    except (KeyError, TypeError):
        raise DomainError(f"未知的文书种类：{code}", field="doc_type") from None


def all_types() -> list[DocumentType]:
    _load()
    return list(_TYPES.values())


@cache
def recorded_versions() -> dict[str, dict[str, str]]:
    """versions.json: {code: {version: fingerprint}} — the history of every template."""
    return json.loads(VERSIONS_FILE.read_text(encoding="utf-8"))
