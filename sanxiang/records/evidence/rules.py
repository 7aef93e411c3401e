"""Pure rules of evidence (no database): what a file is by its first bytes, which types each kind
of evidence may be, safe file names, the tus 1.0 header grammar and HTTP byte ranges.

A file's type is decided by its content, never by the name or the type the browser claims:
a renamed ``.exe`` is refused, a body-camera ``.MP4`` with an upper-case name is accepted.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

SNIFF_BYTES = 4096


@dataclass(frozen=True)
class FileType:
    mime: str
    ext: str
    label: str

    @property
    def playable(self) -> str:
        """ "image", "audio", "video" when browsers show it inline, else ""."""
        if self.mime in ("image/jpeg", "image/png", "image/webp"):
            return "image"
        if self.mime in ("video/mp4", "video/webm", "video/quicktime"):
            return "video"
        if self.mime in ("audio/mpeg", "audio/mp4", "audio/wav", "audio/ogg", "audio/aac",
                         "audio/flac"):  # fmt: skip
            return "audio"
        if self.mime == "application/pdf":
            return "pdf"
        return ""


JPEG = FileType("image/jpeg", "jpg", "JPEG 图片")
PNG = FileType("image/png", "png", "PNG 图片")
TIFF = FileType("image/tiff", "tif", "TIFF 图片")
WEBP = FileType("image/webp", "webp", "WebP 图片")
HEIC = FileType("image/heic", "heic", "HEIC 图片")
MP4 = FileType("video/mp4", "mp4", "MP4 视频")
MOV = FileType("video/quicktime", "mov", "QuickTime 视频")
THREE_GP = FileType("video/3gpp", "3gp", "3GP 视频")
AVI = FileType("video/x-msvideo", "avi", "AVI 视频")
MKV = FileType("video/x-matroska", "mkv", "MKV 视频")
WEBM = FileType("video/webm", "webm", "WebM 视频")
ASF = FileType("video/x-ms-asf", "asf", "ASF（WMV/WMA）音视频")
FLV = FileType("video/x-flv", "flv", "FLV 视频")
MPEG_TS = FileType("video/mp2t", "ts", "MPEG-TS 视频")
MPEG_PS = FileType("video/mpeg", "mpg", "MPEG 视频")
MP3 = FileType("audio/mpeg", "mp3", "MP3 录音")
AAC = FileType("audio/aac", "aac", "AAC 录音")
M4A = FileType("audio/mp4", "m4a", "M4A 录音")
WAV = FileType("audio/wav", "wav", "WAV 录音")
AMR = FileType("audio/amr", "amr", "AMR 录音")
OGG = FileType("audio/ogg", "ogg", "Ogg 录音")
FLAC = FileType("audio/flac", "flac", "FLAC 录音")
PDF = FileType("application/pdf", "pdf", "PDF 文件")
OFD = FileType("application/ofd", "ofd", "OFD 版式文件")
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word 文档"
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel 表格"
)
DOC = FileType("application/msword", "doc", "Word 97-2003 文档")
XLS = FileType("application/vnd.ms-excel", "xls", "Excel 97-2003 表格")

# What each kind of evidence may be (allow-list; everything else is refused).
ALLOWED: dict[str, frozenset[FileType]] = {
    "photo": frozenset({JPEG, PNG, TIFF, WEBP, HEIC}),
    "audio": frozenset({MP3, AAC, M4A, WAV, AMR, OGG, FLAC, ASF}),
    "video": frozenset({MP4, MOV, THREE_GP, AVI, MKV, WEBM, ASF, FLV, MPEG_TS, MPEG_PS}),
    "document": frozenset({PDF, OFD, DOCX, XLSX, DOC, XLS, JPEG, PNG, TIFF}),
}

_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_M4A_BRANDS = {b"M4A ", b"M4B ", b"M4P "}
_3GP_BRANDS = {b"3gp4", b"3gp5", b"3gp6", b"3gp7", b"3g2a", b"3g2b", b"3g2c"}
_OLD_QT_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}
_ASF_GUID = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")
_CFB = bytes.fromhex("d0cf11e0a1b11ae1")


def _sniff_head(head: bytes) -> FileType | str | None:
    """The type from the first bytes; "zip" or "cfb" when the container must be opened."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if head.startswith(b"%PDF-"):
        return PDF
    if len(head) >= 12 and head.startswith(b"RIFF"):
        form = head[8:12]
        return {b"WEBP": WEBP, b"WAVE": WAV, b"AVI ": AVI}.get(form)
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIC_BRANDS:
            return HEIC
        if brand in _M4A_BRANDS:
            return M4A
        if brand in _3GP_BRANDS:
            return THREE_GP
        if brand == b"qt  ":
            return MOV
        return MP4
    if len(head) >= 8 and head[4:8] in _OLD_QT_ATOMS:
        return MOV
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM if b"webm" in head[:64] else MKV
    if head.startswith(_ASF_GUID):
        return ASF
    if head.startswith(b"FLV\x01"):
        return FLV
    if len(head) > 376 and head[0] == head[188] == head[376] == 0x47:
        return MPEG_TS
    if head.startswith(b"\x00\x00\x01\xba"):
        return MPEG_PS
    if head.startswith(b"#!AMR"):
        return AMR
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"fLaC"):
        return FLAC
    if head.startswith(b"ID3"):
        return MP3
    if len(head) >= 2 and head[0] == 0xFF:
        if head[1] & 0xF6 == 0xF0:  # ADTS sync word, layer 0
            return AAC
        if head[1] & 0xE0 == 0xE0 and head[1] & 0x06:  # MPEG audio frame, layer I–III
            return MP3
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(_CFB):
        return "cfb"
    return None


def sniff(path: Path, *, original_name: str = "") -> FileType | None:
    """The file's type from its content (None: not a type evidence may have).

    Office Open XML and OFD files are ZIP containers: the central directory says which (a ZIP
    that is neither is refused). Old binary Office files (OLE compound files) look alike for
    Word and Excel; there the name's extension, checked against the magic, decides."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    found = _sniff_head(head)
    if found == "zip":
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
        if "OFD.xml" in names:
            return OFD
        return None
    if found == "cfb":
        ext = original_name.rsplit(".", 1)[-1].lower() if "." in original_name else ""
        return {"doc": DOC, "xls": XLS}.get(ext)
    return found


def allowed_labels(kind: str) -> str:
    return "、".join(sorted({t.label for t in ALLOWED.get(kind, ())}))


# --- names ------------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[<>:"/\\|?*]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}  # fmt: skip


def safe_filename(raw: str, *, max_length: int = 150) -> str:
    """A file name safe to show and to offer as a download name: no directories, no control or
    bidirectional-override characters, no characters Windows forbids, at most ``max_length``
    characters (the extension kept). Chinese names stay as they are."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name).strip().strip(".").strip()
    if not name:
        return "file"
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if stem.upper() in _RESERVED:
        stem = f"_{stem}"
    ext = ext[:10]
    room = max_length - (len(ext) + 1 if ext else 0)
    stem = stem[:room] or "file"
    return f"{stem}.{ext}" if ext else stem


def download_name(original: str, file_type_ext: str, fallback: str) -> str:
    """The name a download is offered under: the sanitised original name with the extension of
    the type actually found (a ``.mp4`` that is a MOV file is offered as ``.mov``)."""
    name = safe_filename(original) if original else fallback
    stem, dot, ext = name.rpartition(".")
    if dot and ext.lower() == file_type_ext:
        return name
    return f"{name if not dot else stem}.{file_type_ext}"


# --- tus 1.0 (https://tus.io/protocols/resumable-upload) ------------------------------------

TUS_VERSION = "1.0.0"
_META_KEY = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")


class TusError(ValueError):
    pass


def parse_upload_metadata(header: str) -> dict[str, str]:
    """``Upload-Metadata: filename d29ybGRfZG9taW5hdGlvbi5wZGY=,is_confidential`` → dict.

    Keys are ASCII tokens, unique; values base64 (may be absent: then ""), decoded as UTF-8."""
    result: dict[str, str] = {}
    if not header.strip():
        return result
    for pair in header.split(","):
        parts = pair.strip().split(" ")
        if not parts or not parts[0] or len(parts) > 2:
            raise TusError("Upload-Metadata 格式错误")
        key = parts[0]
        if not _META_KEY.match(key) or key in result:
            raise TusError(f"Upload-Metadata 键名无效或重复：{key[:40]}")
        value = ""
        if len(parts) == 2:
            try:
                value = base64.b64decode(parts[1], validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                raise TusError(f"Upload-Metadata 中 {key} 的值不是有效的 base64/UTF-8") from None
        result[key] = value
    return result


def parse_non_negative(value: str | None, name: str) -> int:
    """A header holding a non-negative decimal integer (no sign, no spaces)."""
    if value is None or not re.fullmatch(r"[0-9]{1,19}", value):
        raise TusError(f"{name} 须为非负整数")
    return int(value)


CHECKSUM_ALGORITHMS = ("sha1", "sha256", "md5")


def parse_checksum(header: str) -> tuple[str, bytes]:
    """``Upload-Checksum: sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0=`` → (algorithm, digest bytes)."""
    parts = header.strip().split(" ")
    if len(parts) != 2:
        raise TusError("Upload-Checksum 格式错误")
    algorithm = parts[0].lower()
    try:
        digest = base64.b64decode(parts[1], validate=True)
    except binascii.Error:
        raise TusError("Upload-Checksum 的摘要不是有效的 base64") from None
    return algorithm, digest


# --- HTTP byte ranges (RFC 9110 §14) ----------------------------------------------------------


def parse_range(header: str | None, size: int) -> tuple[int, int] | None | str:
    """One ``bytes=`` range of a file of ``size`` bytes → (first, last) inclusive.

    None: no (usable) Range header, send the whole file. "unsatisfiable": answer 416.
    Several ranges are answered with the whole file (allowed by RFC 9110)."""
    if not header:
        return None
    match = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", header)
    if not match:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":  # suffix: the last N bytes
        length = int(last)
        if length == 0:
            return "unsatisfiable"
        return max(size - length, 0), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if start >= size or (last and end < start):
        return "unsatisfiable"
    return start, min(end, size - 1)
