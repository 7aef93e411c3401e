"""Pure rules of the records app (no database): verification codes, file kinds, storage names.

Verification codes (验证码) are 10 symbols of Crockford's base32 (https://www.crockford.com/
base32.html): 50 random bits, no I, L, O or U, so a code read aloud or typed from paper is
unambiguous; typed input is normalised the Crockford way (case-insensitive, O→0, I/L→1,
hyphens and spaces ignored). Printed in groups of 4-4-2: ``K7QM-3XTA-9P``.
"""

from __future__ import annotations

import re
import secrets

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10  # 10 × 5 = 50 bits
_TRANSLATE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-‐‑–—_.·]+")


def new_code() -> str:
    """A fresh random code (50 bits from the OS CSPRNG)."""
    value = secrets.randbits(5 * CODE_LENGTH)
    return "".join(CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(CODE_LENGTH)))


def normalize_code(raw: str) -> str | None:
    """The canonical code for what someone typed, or None if it cannot be one."""
    if not isinstance(raw, str):
        return None
    # Full-width letters and digits (typed with a Chinese IME) count as their ASCII forms.
    value = "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in raw.strip())
    value = _SEPARATORS.sub("", value).upper().translate(_TRANSLATE)
    if len(value) != CODE_LENGTH or any(c not in CROCKFORD for c in value):
        return None
    return value


def group_code(code: str) -> str:
    """``K7QM3XTA9P`` → ``K7QM-3XTA-9P`` (how it is printed)."""
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


# --- files -----------------------------------------------------------------------------------

# What a scan of the signed and sealed paper may be, by its first bytes (never by its name).
SCAN_KINDS = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"II*\x00", "image/tiff", "tif"),
    (b"MM\x00*", "image/tiff", "tif"),
]
SNIFF_BYTES = 8


def scan_kind(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a scan from its first bytes, or None if not allowed."""
    for magic, content_type, ext in SCAN_KINDS:
        if head.startswith(magic):
            return content_type, ext
    return None


def content_name(prefix: str, sha256_hex: str, ext: str) -> str:
    """Storage name of a content-addressed file: ``records/documents/ab/cd/<sha256>.pdf``.

    The name is the file's own hash, so a name is never reused for other bytes and a file is
    never overwritten (ARCHITECTURE.md invariant 6)."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256_hex):
        raise ValueError("sha256_hex must be 64 lower-case hex digits")
    return f"records/{prefix}/{sha256_hex[:2]}/{sha256_hex[2:4]}/{sha256_hex}.{ext}"
