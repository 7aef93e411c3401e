"""The log's Ed25519 signing key (c2sp.org/signed-note), created on first use.

The key file holds one line, the signer key in Go sumdb/note form
``PRIVATE+KEY+<name>+<key id>+<base64(0x01 ‖ seed)>`` (docs/transparency-formats.md §5).
It is created with mode 0600 in a 0700 directory (LEDGER_KEY_FILE, default
``var/ledger/log.key``) and must be backed up: without it no further checkpoint can be
signed under the published verifier key.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from sanxiang.lib import notes

_lock = threading.Lock()
_cache: dict[tuple[str, str], notes.Signer] = {}


def key_path() -> Path:
    return Path(settings.LEDGER_KEY_FILE)


def key_name() -> str:
    return settings.LEDGER_KEY_NAME


def _create(path: Path, name: str) -> None:
    """Write a new key without ever exposing a half-written or world-readable file.

    The key goes to a private temporary file that is then hard-linked into place: link()
    fails if another process created the key first, and then we use theirs.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    signer_text, _ = notes.generate_key(name)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(signer_text + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)


def _load(path: Path, name: str) -> notes.Signer:
    mode = path.stat().st_mode
    if stat.S_IMODE(mode) & 0o077:
        raise ImproperlyConfigured(
            f"账本签名密钥文件 {path} 的权限过宽（应为 0600，仅属主可读写）；请执行 chmod 600"
        )
    try:
        signer = notes.parse_signer_key(path.read_text(encoding="ascii").strip())
    except (notes.NoteError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"账本签名密钥文件 {path} 格式错误：{exc}") from None
    if signer.name != name:
        raise ImproperlyConfigured(
            f"账本签名密钥文件 {path} 的密钥名称为 {signer.name!r}，"
            f"与 LEDGER_KEY_NAME={name!r} 不一致"
        )
    return signer


def log_signer() -> notes.Signer:
    """The log's signer, creating the key file on first use."""
    path, name = key_path(), key_name()
    cache_key = (str(path), name)
    with _lock:
        signer = _cache.get(cache_key)
        if signer is not None and path.exists():
            return signer
        if not path.exists():
            _create(path, name)
        signer = _load(path, name)
        _cache[cache_key] = signer
        return signer


def log_verifier() -> notes.Verifier:
    """The verifier key anyone uses to check our checkpoints (served at /transparency/key)."""
    return log_signer().verifier
