"""DOCX export (docxtpl): the same fields as the PDF, read back with python-docx; the committed
templates equal what the build script makes."""

from __future__ import annotations

import io

import docx
import pytest

from sanxiang.lib.errors import DomainError
from sanxiang.records import documents
from sanxiang.records.documents import docx_build
from sanxiang.records.documents.registry import DOCX_DIR, squash

TYPES = [t for t in documents.all_types() if t.docx_template]


def docx_text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_every_first_template_has_a_docx():
    assert {t.code for t in TYPES} >= {
        "penalty_decision",
        "advance_notice",
        "service_receipt",
        "file_index",
    }


@pytest.mark.parametrize("code", [t.code for t in TYPES])
def test_docx_renders_and_contains_the_required_items(code, stamp):
    spec = documents.get(code)
    context = spec.sample()
    data = documents.render_docx(code, context, stamp=stamp)
    d = docx.Document(io.BytesIO(data))
    text = squash(docx_text(data))
    missing = [i.label for i in spec.required_items if squash(i.text(context)) not in text]
    assert not missing, f"{spec.name} DOCX lacks {missing}"
    assert stamp.grouped_code in text
    assert len(d.inline_shapes) == 1, "the QR code"
    assert "{{" not in text and "{%" not in text, "no Jinja tag left over"
    assert d.core_properties.identifier == stamp.verification_code


def test_docx_output_is_deterministic(stamp):
    spec = documents.get("penalty_decision")
    assert documents.render_docx(spec.code, spec.sample(), stamp=stamp) == documents.render_docx(
        spec.code, spec.sample(), stamp=stamp
    )


def test_docx_uses_gbt9704_page_and_font_names(stamp):
    d = docx.Document(
        io.BytesIO(
            documents.render_docx(
                "penalty_decision", documents.get("penalty_decision").sample(), stamp=stamp
            )
        )
    )
    section = d.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    assert round(section.right_margin.mm) == 26 and round(section.bottom_margin.mm) == 35
    fonts = d.styles["Normal"].element.rPr.rFonts
    assert (
        fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "仿宋_GB2312"
    )
    assert d.styles["Normal"].font.size.pt == 16


def test_docx_escapes_markup_in_values(stamp):
    spec = documents.get("penalty_decision")
    context = spec.sample()
    context.party.name = "示例<公司>&合伙"
    data = documents.render_docx(spec.code, context, stamp=stamp)
    assert "当事人：示例<公司>&合伙" in docx_text(data)


def test_a_draft_docx_has_no_code():
    spec = documents.get("advance_notice")
    text = docx_text(documents.render_docx(spec.code, spec.sample()))
    assert "样稿" in text and "核验本文书" not in text


def test_docx_of_a_type_without_docx_template_is_refused(monkeypatch):
    import dataclasses

    from sanxiang.records.documents import registry

    spec = documents.get("file_index")
    monkeypatch.setitem(
        registry._TYPES, "file_index", dataclasses.replace(spec, docx_template=None)
    )
    with pytest.raises(DomainError, match="卷内目录没有 DOCX 模板"):
        documents.render_docx("file_index", spec.sample())


def test_docx_templates_match_the_build_script():
    """The committed .docx files are exactly what docx_build.py makes (part by part)."""
    for name, data in docx_build.build_all().items():
        committed = DOCX_DIR / name
        assert committed.exists(), (
            f"{name} missing: run python -m sanxiang.records.documents.docx_build"
        )
        assert docx_build.zip_parts(committed.read_bytes()) == docx_build.zip_parts(data), (
            f"{name} is stale: run python -m sanxiang.records.documents.docx_build"
        )
    assert docx_build.stale() == []
