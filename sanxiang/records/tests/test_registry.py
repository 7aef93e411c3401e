"""The document-type registry: versions, fingerprints, samples, extension points."""

from __future__ import annotations

import dataclasses

import pytest

from sanxiang.records import documents
from sanxiang.records.documents import context, registry, versions


def test_every_template_change_bumps_the_version():
    """versions.json holds the fingerprint of every issued template version; a template (or
    the shared stylesheet) changed without a version bump fails here. Fix: raise ``version``
    in the type's module, then run ``python -m sanxiang.records.documents.versions --record``."""
    assert versions.problems(registry.recorded_versions(), documents.all_types()) == []


def test_a_changed_fingerprint_is_reported():
    spec = documents.get("penalty_decision")
    recorded = {spec.code: {spec.version: "0" * 64}}
    (problem,) = versions.problems(recorded, [spec])
    assert "版本号未变" in problem


@pytest.mark.parametrize("spec", documents.all_types(), ids=lambda t: t.code)
def test_every_type_is_complete(spec):
    assert spec.name and spec.version and spec.basis
    for path in spec.template_files():
        assert path.exists(), path
    sample = spec.sample()
    assert isinstance(sample, spec.context_class)
    assert context.problems(sample) == []
    assert spec.title(sample)
    assert spec.issued_on(sample) is not None
    for item in spec.required_items:
        assert item.text(sample), item.label


def test_numbered_types_use_codes_the_numbering_service_knows():
    from sanxiang.cases.numbering import doc_types

    known = {t.code for t in doc_types()}
    for spec in documents.all_types():
        if spec.number_code:
            assert spec.number_code in known, spec.code


def test_a_type_code_cannot_be_registered_twice():
    spec = documents.get("service_receipt")
    with pytest.raises(ValueError, match="already registered"):
        registry.register(dataclasses.replace(spec))


def test_the_fingerprint_covers_the_shared_stylesheet():
    spec = documents.get("penalty_decision")
    assert registry.ASSETS_DIR / "gbt9704.css" in spec.template_files()
    assert registry.DOCX_DIR / "penalty_decision.docx" in spec.template_files()
