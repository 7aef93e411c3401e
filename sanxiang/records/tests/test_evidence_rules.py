"""Pure rules of evidence: type sniffing by content, safe names, tus headers, byte ranges."""

from __future__ import annotations

import base64
import io
import zipfile

import pytest

from sanxiang.records.evidence import rules

from .evidence_support import jpeg_bytes, mp4_bytes


def sniff(tmp_path, data: bytes, name: str = "f"):
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    return rules.sniff(path, original_name=name)


def zip_with(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for n in names:
            z.writestr(n, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2", rules.MP4),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ", rules.MOV),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42", rules.M4A),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", rules.HEIC),
        (b"\x00\x00\x00\x08wide\x00\x00\x00\x00mdat", rules.MOV),
        (b"RIFF\x00\x00\x00\x00AVI LIST", rules.AVI),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", rules.WAV),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01webm", rules.WEBM),
        (b"#!AMR\n\x3c", rules.AMR),
        (b"ID3\x04\x00\x00", rules.MP3),
        (b"\xff\xfb\x90\x00", rules.MP3),
        (b"\xff\xf1\x50\x80", rules.AAC),
        (b"%PDF-1.7\n", rules.PDF),
        (b"\x89PNG\r\n\x1a\n....", rules.PNG),
        (bytes([0x47]) + bytes(187) + bytes([0x47]) + bytes(187) + bytes([0x47]) + bytes(10), rules.MPEG_TS),
    ],
)  # fmt: skip
def test_type_is_read_from_the_first_bytes(tmp_path, data, expected):
    assert sniff(tmp_path, data) == expected


def test_a_real_jpeg_and_the_sample_mp4_are_recognised(tmp_path):
    assert sniff(tmp_path, jpeg_bytes()) == rules.JPEG
    assert sniff(tmp_path, mp4_bytes()) == rules.MP4


def test_office_and_ofd_files_are_told_apart_by_their_zip_directory(tmp_path):
    assert sniff(tmp_path, zip_with("[Content_Types].xml", "word/document.xml")) == rules.DOCX
    assert sniff(tmp_path, zip_with("xl/workbook.xml")) == rules.XLSX
    assert sniff(tmp_path, zip_with("OFD.xml", "Doc_0/Document.xml")) == rules.OFD
    # Any other ZIP (an archive of who knows what) is not evidence.
    assert sniff(tmp_path, zip_with("payload.exe")) is None


def test_old_office_files_need_a_matching_extension(tmp_path):
    cfb = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(100)
    assert sniff(tmp_path, cfb, "询问笔录.doc") == rules.DOC
    assert sniff(tmp_path, cfb, "工资表.XLS") == rules.XLS
    assert sniff(tmp_path, cfb, "macro.msi") is None


@pytest.mark.parametrize(
    "data",
    [b"MZ\x90\x00\x03", b"<!DOCTYPE html><script>", b"<svg xmlns=", b"#!/bin/sh\n", b""],
)
def test_executables_markup_and_scripts_are_refused(tmp_path, data):
    assert sniff(tmp_path, data) is None


def test_each_kind_has_its_own_allow_list():
    assert rules.MP4 in rules.ALLOWED["video"] and rules.MP4 not in rules.ALLOWED["photo"]
    assert rules.JPEG in rules.ALLOWED["photo"] and rules.JPEG in rules.ALLOWED["document"]
    assert rules.PDF not in rules.ALLOWED["video"]


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("VID_0001.MP4", "VID_0001.MP4"),
        ("..\\..\\windows\\system32\\执法记录.mp4", "执法记录.mp4"),
        ("/etc/passwd", "passwd"),
        ('留置送达<录像>:"1"?.mp4', "留置送达_录像___1__.mp4"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),  # right-to-left override removed
        ("CON.mp4", "_CON.mp4"),
        ("...", "file"),
        ("", "file"),
    ],
)
def test_file_names_are_made_safe(raw, safe):
    assert rules.safe_filename(raw) == safe


def test_long_names_keep_their_extension():
    name = rules.safe_filename("录" * 300 + ".mp4")
    assert len(name) == 150 and name.endswith(".mp4")


def test_download_name_uses_the_extension_of_the_type_found():
    assert rules.download_name("现场.MP4", "mp4", "ZJ000001") == "现场.MP4"
    assert rules.download_name("现场.mp4", "mov", "ZJ000001") == "现场.mov"
    assert rules.download_name("", "jpg", "ZJ000001") == "ZJ000001.jpg"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_upload_metadata_is_parsed():
    header = f"filename {b64('留置送达.mp4')},case {b64('12')},is_confidential"
    assert rules.parse_upload_metadata(header) == {
        "filename": "留置送达.mp4",
        "case": "12",
        "is_confidential": "",
    }
    assert rules.parse_upload_metadata("") == {}


@pytest.mark.parametrize(
    "header", ["filename !!!notbase64", "a b c", "k v1,k v2".replace("v1", b64("x")).replace("v2", b64("y")), " ,"]
)  # fmt: skip
def test_bad_upload_metadata_is_refused(header):
    with pytest.raises(rules.TusError):
        rules.parse_upload_metadata(header)


@pytest.mark.parametrize("value", [None, "", "-1", "+5", "1.0", "1 2", "12a"])
def test_offsets_and_lengths_are_plain_non_negative_integers(value):
    with pytest.raises(rules.TusError):
        rules.parse_non_negative(value, "Upload-Offset")
    assert rules.parse_non_negative("0", "x") == 0


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 999)),
        ("bytes=-100", (900, 999)),
        ("bytes=900-5000", (900, 999)),
        ("bytes=1000-", "unsatisfiable"),
        ("bytes=5-2", "unsatisfiable"),
        ("bytes=0-1,5-9", None),  # several ranges: the whole file
        ("items=0-1", None),
    ],
)
def test_byte_ranges(header, expected):
    assert rules.parse_range(header, 1000) == expected
