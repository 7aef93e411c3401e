"""Pure rules of the archive (no database): the standard order of a case file, page numbering,
retention periods, archive numbers, page counts of PDF and image files.

DOMAIN.md §7.2 (typical order of a penalty file, generic 装订规范): cover → 卷内目录 → 立案审批表 →
decision + its service receipt → other documents to the party + their receipts → evidence
(interviews, inspections, documents, photos, A/V) → investigation closing report → review and
discussion records → execution documents → closing form → 备考表. Pages are numbered in Arabic
numerals across the file; the cover, the index and the note sheet are not numbered (DOMAIN.md
§7.2 [V S19 / L]). §7.3: general-procedure files 30 years, major cases permanent, summary
procedure 10 years (configurable, ``ARCHIVE_RETENTION``).
"""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass

# Sections in binding order (the cover, the index and the note sheet are added when sealing).
SECTIONS = [
    ("cover", "封面"),
    ("index", "卷内目录"),
    ("filing", "立案审批"),
    ("decision", "决定书及送达回证"),
    ("party", "送达当事人的其他文书及送达回证"),
    ("evidence", "证据材料"),
    ("report", "调查终结报告"),
    ("review", "审核、听证、讨论记录"),
    ("other", "其他材料"),
    ("execution", "执行文书"),
    ("closing", "结案审批"),
    ("note", "备考表"),
]
SECTION_RANK = {code: rank for rank, (code, _label) in enumerate(SECTIONS)}
SECTION_LABELS = dict(SECTIONS)
UNNUMBERED_SECTIONS = frozenset({"cover", "index", "note"})

# Where each document type goes.
DOC_SECTIONS = {
    "filing_approval": "filing",
    "penalty_decision": "decision",
    "advance_notice": "party",
    "hearing_notice": "party",
    "correction_order": "party",
    "preservation_notice": "party",
    "not_accepted_notice": "party",  # 若干规定 第十八条: served on the complainant
    "interview_record": "evidence",
    "inspection_record": "evidence",
    "investigation_report": "report",
    "legal_review_opinion": "review",
    "review_accountability": "review",
    "hearing_record": "review",
    "discussion_record": "review",
    "performance_reminder": "execution",
    "closing_approval": "closing",
}
# Made by the archive itself when sealing; never assembled from the case's documents.
ARCHIVE_DOC_TYPES = frozenset({"archive_cover", "file_index", "archive_note"})

# 保管期限 (DOMAIN.md §7.3 [L]): the kind of case → retention code.
DEFAULT_RETENTION = {"general": "30", "simplified": "10", "major": "permanent"}
RETENTION_LABELS = {"permanent": "永久", "30": "30年", "10": "10年"}


def retention_for(*, procedure: str, major: bool, policy: dict[str, str]) -> str:
    """The retention code of a case: major → policy["major"], summary procedure →
    policy["simplified"], otherwise policy["general"]."""
    if major:
        return policy["major"]
    if procedure == "simplified":
        return policy["simplified"]
    return policy["general"]


def archive_number(year: int, seq: int) -> str:
    """档号: the year and a four-digit sequence, 8 digits (DOMAIN.md §7.2: year + sequence)."""
    if not 1 <= seq <= 9999:
        raise ValueError("sequence out of range")
    return f"{year}{seq:04d}"


@dataclass
class Numbered:
    pages: int
    first: int | None
    last: int | None


def number_pages(page_counts: list[tuple[str, int]]) -> list[Numbered]:
    """Page ranges across a volume: ``[(section, pages), ...]`` in binding order → the first
    and last page number of each item; unnumbered sections and items without pages (audio,
    video) get none."""
    out, next_page = [], 1
    for section, pages in page_counts:
        if section in UNNUMBERED_SECTIONS or pages <= 0:
            out.append(Numbered(pages, None, None))
            continue
        out.append(Numbered(pages, next_page, next_page + pages - 1))
        next_page += pages
    return out


# --- page counts --------------------------------------------------------------------------------

_COUNT = re.compile(
    rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", re.S
)
_PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def _counts(data: bytes) -> list[int]:
    return [int(a or b) for a, b in _COUNT.findall(data)]


def pdf_page_count(data: bytes) -> int:
    """Number of pages of a PDF: the largest /Count of a /Pages node (the root's), else the
    number of /Page objects; object streams (PDF 1.5, as scanners and WeasyPrint write them)
    are inflated and searched too. 0 when the file is not a PDF we can read."""
    if not data.startswith(b"%PDF-"):
        return 0
    counts = _counts(data)
    pages = len(_PAGE.findall(data))
    if not counts and not pages:
        for raw in _STREAM.findall(data):
            try:
                inflated = zlib.decompress(raw)
            except zlib.error:
                continue
            counts += _counts(inflated)
            pages += len(_PAGE.findall(inflated))
    return max(counts) if counts else pages


def image_page_count(data: bytes) -> int:
    """Frames of a scanned image (a multi-page TIFF has several); 1 for JPEG/PNG."""
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            return max(1, getattr(image, "n_frames", 1))
    except Exception:  # noqa: BLE001 - unreadable image: count it as one sheet
        return 1


def page_count(data: bytes, content_type: str) -> int:
    if content_type == "application/pdf" or data.startswith(b"%PDF-"):
        return pdf_page_count(data)
    if content_type.startswith("image/"):
        return image_page_count(data)
    return 0
