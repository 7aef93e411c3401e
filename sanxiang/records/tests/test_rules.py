"""Pure rules: verification codes (Crockford base32), scan kinds, content-addressed names."""

from __future__ import annotations

import pytest

from sanxiang.records import rules


def test_new_codes_are_ten_crockford_symbols_and_differ():
    codes = {rules.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert len(code) == 10 and set(code) <= set(rules.CROCKFORD)
    # No ambiguous letters ever printed.
    assert not set("".join(codes)) & set("ILOU")


def test_codes_are_printed_in_groups():
    assert rules.group_code("K7QM3XTA9P") == "K7QM-3XTA-9P"


@pytest.mark.parametrize(
    "typed",
    [
        "K7QM3XTA9P",
        "k7qm-3xta-9p",
        " K7QM 3XTA 9P ",
        "K7QM—3XTA—9P",
        "Ｋ７ＱＭ－３ＸＴＡ－９Ｐ",  # typed with a Chinese IME (full-width)
    ],
)
def test_typed_codes_are_normalised(typed):
    assert rules.normalize_code(typed) == "K7QM3XTA9P"


def test_o_i_and_l_are_read_as_digits():
    # Crockford: O → 0, I and L → 1.
    assert rules.normalize_code("OILO-0000-01") == "0110000001"


@pytest.mark.parametrize(
    "typed", ["", "K7QM3XTA9", "K7QM3XTA9PX", "K7QM3XTA9U", "K7QM3XTA9*", None, 12]
)
def test_impossible_codes_are_none(typed):
    assert rules.normalize_code(typed) is None


@pytest.mark.parametrize(
    "head, kind",
    [
        (b"%PDF-1.7\n", ("application/pdf", "pdf")),
        (b"\x89PNG\r\n\x1a\n", ("image/png", "png")),
        (b"\xff\xd8\xff\xe0\x00\x10JF", ("image/jpeg", "jpg")),
        (b"II*\x00\x08\x00\x00\x00", ("image/tiff", "tif")),
        (b"MM\x00*\x00\x00\x00\x08", ("image/tiff", "tif")),
        (b"PK\x03\x04\x14\x00", None),  # a .docx is not a scan
        (b"<html>", None),
        (b"MZ\x90\x00", None),
    ],
)
def test_scans_are_recognised_by_content(head, kind):
    assert rules.scan_kind(head) == kind


def test_content_names_are_the_hash():
    sha = "ab" * 32
    assert rules.content_name("documents", sha, "pdf") == f"records/documents/ab/ab/{sha}.pdf"
    with pytest.raises(ValueError):
        rules.content_name("documents", "../../etc/passwd", "pdf")
