"""Signed notes, checkpoints and transparency-log proofs of the C2SP specifications.

* c2sp.org/signed-note — text signed by Ed25519 keys, keys written as
  ``<name>+<key id>+<base64(0x01 ‖ public key)>`` (verifier) and
  ``PRIVATE+KEY+<name>+<key id>+<base64(0x01 ‖ seed)>`` (signer, Go's sumdb/note form);
* c2sp.org/tlog-checkpoint — the note text ``origin\\nsize\\nbase64(root)\\n[extension\\n…]``;
* c2sp.org/tlog-proof@v1 — a self-contained inclusion proof: an optional ``extra`` line
  (for us the public ledger entry itself), the leaf index, the audit path and the checkpoint.

Parsing is strict (as Go's golang.org/x/mod/sumdb/note and filippo.io/torchwood), and stricter
where the specifications leave room: base64 must be canonical (RFC 4648 §3.5 allows rejecting
non-zero pad bits), so every one-byte change of a signed note is refused, and every signature
of a known key is verified — one that fails rejects the whole note.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sanxiang.lib import merkle

ALG_ED25519 = 0x01  # signed-note signature type for Ed25519
SIGNATURE_LINE_PREFIX = "\u2014 "  # EM DASH, SPACE
MAX_SIGNATURES = 100  # Go's sumdb/note limit; the spec says accept at least 16
MAX_TREE_SIZE = 2**63 - 1  # sizes and indexes are int64 in Go's tlog and torchwood
TLOG_PROOF_HEADER = "c2sp.org/tlog-proof@v1"

# Unicode White_Space (Go's unicode.IsSpace): signed-note key names must contain none.
_UNICODE_SPACES = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")  # ASCII controls other than newline
_DECIMAL = re.compile(r"0|[1-9][0-9]*")
_KEY_ID = re.compile(r"[0-9a-f]{8}")


class NoteError(ValueError):
    """Base class of every error raised here."""


class MalformedError(NoteError):
    """Text that does not follow the format (note, key, checkpoint, proof)."""


class InvalidSignatureError(NoteError):
    """A signature by a known key failed to verify."""

    def __init__(self, name: str, key_id: int) -> None:
        super().__init__(f"签名无效 (invalid signature) for key {name}+{key_id:08x}")
        self.name = name
        self.key_id = key_id


class UnverifiedNoteError(NoteError):
    """The note is well formed but carries no valid signature by any known key."""


class VerificationError(NoteError):
    """A well-formed, correctly signed object does not prove what was asked (origin, proof)."""


# --- encodings ------------------------------------------------------------------------------


def b64encode(data: bytes) -> str:
    """Standard base64 (RFC 4648 §4) with padding, as every C2SP format uses."""
    return base64.b64encode(data).decode("ascii")


def b64decode(text: str) -> bytes:
    """Strict standard base64: alphabet, padding and zero pad bits (canonical form only)."""
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise MalformedError(f"base64 无效 (invalid base64): {text[:60]!r}") from exc
    if base64.b64encode(data).decode("ascii") != text:
        raise MalformedError(f"base64 非规范形式 (non-canonical base64): {text[:60]!r}")
    return data


def _decimal(text: str, what: str) -> int:
    if not _DECIMAL.fullmatch(text) or int(text) > MAX_TREE_SIZE:
        raise MalformedError(f"{what} 不是规范十进制数 (not a canonical decimal): {text[:40]!r}")
    return int(text)


def _check_hash(value: bytes, what: str) -> None:
    if not isinstance(value, bytes) or len(value) != merkle.HASH_SIZE:
        raise ValueError(f"{what} must be a {merkle.HASH_SIZE}-byte hash")


# --- keys -----------------------------------------------------------------------------------


def is_valid_name(name: str) -> bool:
    """signed-note key name: non-empty, no Unicode space, no ``+``.

    ASCII control characters are refused too: a note containing one is malformed, so a key
    with one in its name could never sign a note that opens.
    """
    return (
        isinstance(name, str)
        and name != ""
        and "+" not in name
        and not any(c in _UNICODE_SPACES for c in name)
        and not _CONTROL.search(name)
        and _encodable(name)
    )


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates
        return False
    return True


def key_id(name: str, public_key: bytes) -> int:
    """Key ID = first 4 bytes (big-endian) of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ Ed25519 key)."""
    digest = hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([ALG_ED25519]) + public_key)
    return int.from_bytes(digest.digest()[:4], "big")


@dataclass(frozen=True)
class Verifier:
    """An Ed25519 verifier key of a named signer (公钥)."""

    name: str
    key_id: int
    public_key: bytes

    @classmethod
    def from_public_key(cls, name: str, public_key: bytes) -> Verifier:
        """The verifier for a raw 32-byte Ed25519 public key."""
        if not is_valid_name(name):
            raise MalformedError(f"密钥名称无效 (invalid key name): {name!r}")
        if len(public_key) != 32:
            raise MalformedError("Ed25519 public key must be 32 bytes")
        return cls(name, key_id(name, public_key), bytes(public_key))

    def verify(self, message: bytes, signature: bytes) -> bool:
        """True iff ``signature`` is this key's Ed25519 signature of ``message``."""
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True

    def encode(self) -> str:
        """``<name>+<8 hex key id>+<base64(0x01 ‖ public key)>``."""
        key = b64encode(bytes([ALG_ED25519]) + self.public_key)
        return f"{self.name}+{self.key_id:08x}+{key}"

    def __str__(self) -> str:
        return self.encode()


@dataclass(frozen=True)
class Signer:
    """An Ed25519 signing key (私钥). Keep the encoded form secret."""

    name: str
    key_id: int
    seed: bytes = field(repr=False)

    @classmethod
    def from_seed(cls, name: str, seed: bytes) -> Signer:
        """The signer for a 32-byte Ed25519 seed (RFC 8032 private key)."""
        if not is_valid_name(name):
            raise MalformedError(f"密钥名称无效 (invalid key name): {name!r}")
        if len(seed) != 32:
            raise MalformedError("Ed25519 seed must be 32 bytes")
        public_key = _public_key(seed)
        return cls(name, key_id(name, public_key), bytes(seed))

    @property
    def verifier(self) -> Verifier:
        """The matching verifier key."""
        return Verifier(self.name, self.key_id, _public_key(self.seed))

    def sign(self, message: bytes) -> bytes:
        """Ed25519 signature (RFC 8032) of ``message``."""
        return Ed25519PrivateKey.from_private_bytes(self.seed).sign(message)

    def encode(self) -> str:
        """``PRIVATE+KEY+<name>+<8 hex key id>+<base64(0x01 ‖ seed)>`` (Go sumdb/note)."""
        key = b64encode(bytes([ALG_ED25519]) + self.seed)
        return f"PRIVATE+KEY+{self.name}+{self.key_id:08x}+{key}"


def _public_key(seed: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()


def _split_key(text: str, parts: int) -> list[str]:
    if not isinstance(text, str):
        raise MalformedError("key must be a string")
    fields = text.split("+", parts - 1)
    if len(fields) != parts:
        raise MalformedError("密钥格式错误 (malformed key)")
    return fields


def _key_material(name: str, hex_id: str, key64: str) -> tuple[int, bytes]:
    if not is_valid_name(name) or not _KEY_ID.fullmatch(hex_id):
        raise MalformedError("密钥格式错误 (malformed key)")
    key = b64decode(key64)
    if not key:
        raise MalformedError("密钥格式错误 (malformed key)")
    if key[0] != ALG_ED25519:
        raise MalformedError(f"不支持的签名算法 (unknown key algorithm {key[0]})")
    if len(key) != 33:
        raise MalformedError("Ed25519 key must be 32 bytes")
    return int(hex_id, 16), key[1:]


def parse_verifier_key(vkey: str) -> Verifier:
    """Parse ``<name>+<hex id>+<base64 key>``; the key id must match the key."""
    name, hex_id, key64 = _split_key(vkey, 3)
    kid, public_key = _key_material(name, hex_id, key64)
    if kid != key_id(name, public_key):
        raise MalformedError("密钥标识与公钥不符 (key id does not match the key)")
    return Verifier(name, kid, public_key)


def parse_signer_key(skey: str) -> Signer:
    """Parse ``PRIVATE+KEY+<name>+<hex id>+<base64 seed>``; the id must match the public key."""
    private, key, name, hex_id, key64 = _split_key(skey, 5)
    if private != "PRIVATE" or key != "KEY":
        raise MalformedError("密钥格式错误 (malformed signer key)")
    kid, seed = _key_material(name, hex_id, key64)
    if kid != key_id(name, _public_key(seed)):
        raise MalformedError("密钥标识与公钥不符 (key id does not match the key)")
    return Signer(name, kid, seed)


def generate_key(name: str) -> tuple[str, str]:
    """A new Ed25519 key pair for ``name``: (signer key string, verifier key string)."""
    signer = Signer.from_seed(name, secrets.token_bytes(32))
    return signer.encode(), signer.verifier.encode()


# --- signed notes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Signature:
    """One signature line of a note: key name, key id and the base64 of (id ‖ signature)."""

    name: str
    key_id: int
    base64: str


def _check_note_text(text: str) -> None:
    if not isinstance(text, str) or not text.endswith("\n"):
        raise MalformedError("签名文本必须以换行结尾 (note text must end with a newline)")
    if _CONTROL.search(text) or not _encodable(text):
        raise MalformedError("签名文本含控制字符 (note text contains control characters)")


def sign_note(text: str, *signers: Signer) -> str:
    """Sign ``text`` (ending in a newline) and return the signed note.

    Format (c2sp.org/signed-note): text, a blank line, then one line per signer:
    ``— <name> <base64(key id ‖ Ed25519 signature of text)>``.
    """
    _check_note_text(text)
    if not signers:
        raise ValueError("at least one signer is required")
    message = text.encode("utf-8")
    lines = []
    for signer in signers:
        if not is_valid_name(signer.name):
            raise MalformedError(f"密钥名称无效 (invalid key name): {signer.name!r}")
        raw = signer.key_id.to_bytes(4, "big") + signer.sign(message)
        lines.append(f"{SIGNATURE_LINE_PREFIX}{signer.name} {b64encode(raw)}\n")
    return text + "\n" + "".join(lines)


_AMBIGUOUS = object()


def open_note(note: str | bytes, verifiers: Iterable[Verifier]) -> tuple[str, list[Signature]]:
    """Verify a signed note; return its text and the signatures that verified.

    Signatures by keys not in ``verifiers`` are ignored (the spec's MUST); a signature by a
    known key that does not verify raises :class:`InvalidSignatureError`; a note with no
    verifying known signature raises :class:`UnverifiedNoteError`; anything not in the wire
    format raises :class:`MalformedError`.
    """
    if isinstance(note, str):
        if not _encodable(note):
            raise MalformedError("签名文件不是有效的 UTF-8 (not valid UTF-8)")
        data = note.encode("utf-8")
    else:
        data = bytes(note)
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedError("签名文件不是有效的 UTF-8 (not valid UTF-8)") from exc
    if _CONTROL.search(decoded):
        raise MalformedError("签名文件含控制字符 (note contains control characters)")

    # The text is separated from the signatures by the last empty line.
    split = data.rfind(b"\n\n")
    if split < 0:
        raise MalformedError("缺少签名分隔空行 (no blank line before the signatures)")
    text, block = data[: split + 1], data[split + 2 :]
    if not block or not block.endswith(b"\n"):
        raise MalformedError("签名块必须以换行结尾 (signature block must end with a newline)")
    lines = block[:-1].split(b"\n")
    if len(lines) > MAX_SIGNATURES:
        raise MalformedError(f"签名过多 (more than {MAX_SIGNATURES} signatures)")

    known: dict[tuple[str, int], object] = {}
    for v in verifiers:
        previous = known.get((v.name, v.key_id))
        known[v.name, v.key_id] = v if previous in (None, v) else _AMBIGUOUS

    verified: list[Signature] = []
    seen: set[tuple[str, int]] = set()
    prefix = SIGNATURE_LINE_PREFIX.encode("utf-8")
    for raw_line in lines:
        if not raw_line.startswith(prefix):
            raise MalformedError("签名行格式错误 (malformed signature line)")
        name, _, sig64 = raw_line[len(prefix) :].decode("utf-8").partition(" ")
        if not is_valid_name(name) or not sig64:
            raise MalformedError("签名行格式错误 (malformed signature line)")
        raw = b64decode(sig64)
        if len(raw) < 5:
            raise MalformedError("签名过短 (signature too short)")
        kid = int.from_bytes(raw[:4], "big")
        verifier = known.get((name, kid))
        if verifier is None:
            continue
        if verifier is _AMBIGUOUS:
            raise NoteError(f"密钥重复且不一致 (ambiguous key {name}+{kid:08x})")
        assert isinstance(verifier, Verifier)
        if not verifier.verify(text, raw[4:]):
            raise InvalidSignatureError(name, kid)
        if (name, kid) not in seen:
            seen.add((name, kid))
            verified.append(Signature(name, kid, sig64))
    if not verified:
        raise UnverifiedNoteError("没有受信任密钥的有效签名 (no valid signature by a known key)")
    return text.decode("utf-8"), verified


# --- checkpoints ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """A log's tree head (c2sp.org/tlog-checkpoint): origin, tree size, root hash (检查点)."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def text(self) -> str:
        """The note text of this checkpoint."""
        return format_checkpoint(self.origin, self.size, self.root, self.extensions)


def _check_line(value: str, what: str) -> None:
    if not isinstance(value, str) or value == "" or "\n" in value or _CONTROL.search(value):
        raise ValueError(f"{what} must be a non-empty single line without control characters")


def format_checkpoint(origin: str, size: int, root: bytes, extensions: Sequence[str] = ()) -> str:
    """Checkpoint note text: ``origin\\nsize\\nbase64(root)\\n`` plus extension lines."""
    _check_line(origin, "origin")
    if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= MAX_TREE_SIZE:
        raise ValueError("size must be an integer in [0, 2**63)")
    _check_hash(root, "root")
    for line in extensions:
        _check_line(line, "extension line")
    return "".join(line + "\n" for line in (origin, str(size), b64encode(root), *extensions))


def parse_checkpoint(text: str) -> Checkpoint:
    """Parse checkpoint note text strictly (c2sp.org/tlog-checkpoint "Note text")."""
    if not isinstance(text, str) or not text.endswith("\n") or _CONTROL.search(text):
        raise MalformedError("检查点格式错误 (malformed checkpoint)")
    lines = text[:-1].split("\n")
    if len(lines) < 3 or any(line == "" for line in lines):
        raise MalformedError("检查点须至少三行非空行 (checkpoint needs three non-empty lines)")
    origin, size, root64, *extensions = lines
    root = b64decode(root64)
    if len(root) != merkle.HASH_SIZE:
        raise MalformedError("检查点根哈希长度错误 (root hash is not 32 bytes)")
    return Checkpoint(origin, _decimal(size, "树大小 tree size"), root, tuple(extensions))


def open_checkpoint(
    note: str | bytes, verifiers: Iterable[Verifier], *, origin: str | None = None
) -> Checkpoint:
    """Verify a signed checkpoint and parse it; if ``origin`` is given it must match."""
    text, _ = open_note(note, verifiers)
    checkpoint = parse_checkpoint(text)
    if origin is not None and checkpoint.origin != origin:
        raise VerificationError(
            f"检查点来源不符 (checkpoint origin {checkpoint.origin!r}, expected {origin!r})"
        )
    return checkpoint


# --- hash lists (consistency proofs as served) ---------------------------------------------


def format_hash_lines(hashes: Iterable[bytes]) -> str:
    """One base64 hash per line, each line ending in a newline ("" for no hashes)."""
    out = []
    for h in hashes:
        _check_hash(h, "hash")
        out.append(b64encode(h) + "\n")
    return "".join(out)


def parse_hash_lines(text: str) -> list[bytes]:
    """Inverse of :func:`format_hash_lines`; strict (every line a canonical 32-byte hash)."""
    if text == "":
        return []
    if not text.endswith("\n"):
        raise MalformedError("哈希列表须以换行结尾 (hash list must end with a newline)")
    hashes = []
    for line in text[:-1].split("\n"):
        h = b64decode(line)
        if len(h) != merkle.HASH_SIZE:
            raise MalformedError("哈希长度错误 (hash is not 32 bytes)")
        hashes.append(h)
    return hashes


# --- tlog proofs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TlogProof:
    """A c2sp.org/tlog-proof@v1 proof (包含证明): entry index, audit path, signed checkpoint.

    ``extra`` is the optional opaque data of the ``extra`` line (None when absent); in
    Sanxiang it is the public ledger entry whose leaf hash the proof proves.
    """

    index: int
    path: tuple[bytes, ...]
    checkpoint: str
    extra: bytes | None = None


def format_tlog_proof(
    index: int, path: Sequence[bytes], checkpoint: str, extra: bytes | None = None
) -> str:
    """The c2sp.org/tlog-proof@v1 text; ``checkpoint`` is the signed checkpoint note."""
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index <= MAX_TREE_SIZE:
        raise ValueError("index must be an integer in [0, 2**63)")
    for h in path:
        _check_hash(h, "path hash")
    if not isinstance(checkpoint, str) or not checkpoint.endswith("\n"):
        raise ValueError("checkpoint must be a signed note ending in a newline")
    lines = [TLOG_PROOF_HEADER]
    if extra is not None:
        lines.append("extra " + b64encode(extra))
    lines.append(f"index {index}")
    lines.extend(b64encode(h) for h in path)
    return "\n".join(lines) + "\n\n" + checkpoint


def parse_tlog_proof(text: str | bytes) -> TlogProof:
    """Parse a c2sp.org/tlog-proof@v1 text strictly. The checkpoint is not verified here."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise MalformedError("证明文件不是有效的 UTF-8 (not valid UTF-8)") from exc
    header, sep, rest = text.partition("\n")
    if header != TLOG_PROOF_HEADER or not sep:
        raise MalformedError(f"缺少 {TLOG_PROOF_HEADER} 首行 (missing header line)")
    extra = None
    line, sep, rest = rest.partition("\n")
    if line.startswith("extra "):
        if not sep:
            raise MalformedError("证明文件不完整 (truncated proof)")
        extra = b64decode(line[len("extra ") :])
        line, sep, rest = rest.partition("\n")
    if not line.startswith("index ") or not sep:
        raise MalformedError("缺少 index 行 (missing index line)")
    index = _decimal(line[len("index ") :], "index")
    path = []
    while True:
        line, sep, rest = rest.partition("\n")
        if not sep:
            raise MalformedError("缺少检查点前的空行 (no blank line before the checkpoint)")
        if line == "":
            break
        h = b64decode(line)
        if len(h) != merkle.HASH_SIZE:
            raise MalformedError("包含路径哈希长度错误 (path hash is not 32 bytes)")
        path.append(h)
    if rest == "":
        raise MalformedError("缺少检查点 (missing checkpoint)")
    return TlogProof(index, tuple(path), rest, extra)


@dataclass(frozen=True)
class VerifiedEntry:
    """What a verified tlog proof establishes: ``entry`` is leaf ``index`` of ``checkpoint``."""

    checkpoint: Checkpoint
    index: int
    entry: bytes


def verify_tlog_proof(
    text: str | bytes, verifiers: Iterable[Verifier], *, origin: str | None = None
) -> VerifiedEntry:
    """Verify a Sanxiang tlog proof: checkpoint signature, then inclusion of the ``extra``
    entry (leaf hash SHA-256(0x00 ‖ entry)) at ``index`` under the checkpoint's root.
    """
    proof = parse_tlog_proof(text)
    if proof.extra is None:
        raise MalformedError("证明不含 extra 条目 (proof has no extra entry)")
    checkpoint = open_checkpoint(proof.checkpoint, verifiers, origin=origin)
    leaf = merkle.leaf_hash(proof.extra)
    if not merkle.verify_inclusion(proof.index, checkpoint.size, leaf, proof.path, checkpoint.root):
        raise VerificationError(
            "包含证明不成立 (inclusion proof does not lead to the checkpoint root)"
        )
    return VerifiedEntry(checkpoint, proof.index, proof.extra)
