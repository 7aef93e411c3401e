"""``manage.py ledger verify``: recompute the whole log from what is stored and compare.

For every event, in sequence order and in constant memory (batches of rows):

1. the payload ends with its row's seq, subject, time and type (``formats.payload_suffix``)
   — the payload belongs to this row;
2. the public entry rebuilt from the row's columns and the commitment SHA-256(salt ‖
   payload) equals the stored entry — the payload and salt are unchanged and no column was
   changed (time back-dated, type or subject swapped);
3. leaf hash = SHA-256(0x00 ‖ entry) (RFC 9162 §2.1.1);
4. the tree is rebuilt leaf by leaf (``tree.TreeBuilder``) and every stored node compared;
5. sequence numbers run 0, 1, 2, … with no gap (a deleted row) and nothing beyond the head.

Every stored checkpoint must carry a valid signature of the log key, repeat its size and
root, and its root must equal the rebuilt root at its size; as all are roots of one
rebuilt sequence, they are mutually consistent (each a prefix of the next). A checkpoint
larger than the log means entries were removed from the end.

With ``files=True``, every file an event names (``data["files"]``, see docs/ledger.md) is
re-hashed from storage and compared with the SHA-256 (and SM3, if recorded) and size.

Failures raise :class:`LedgerBroken` naming the first bad sequence number; file problems are
collected and all reported.

Speed. Each batch of entries is first checked by a fast loop (:func:`_fast_batch`) that
makes exactly the checks above, with the same byte-for-byte comparisons, but reads the rows in
small slices that stay in the CPU cache, rebuilds the tree a level at a time and compares the
batch's stored nodes in one go. It reports no details: at the first discrepancy it gives up,
and the batch is checked again row by row by :func:`_exact_batch` (the reference loop), which
names the first bad entry. So both paths accept exactly the same ledgers, and a broken one is
always described by the reference loop.
"""

from __future__ import annotations

import functools
import hashlib
import json
import uuid
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from sanxiang.lib import merkle, notes
from sanxiang.records.storage import iter_chunks

from . import formats, keys
from .tree import node_key, node_keys_before, split_node_key

BATCH = 1 << 14  # entries per batch: aligned batches are perfect subtrees (see _key_levels)
FETCH = 1024  # rows per fetchmany: small enough that a slice stays in the CPU cache
FILE_CHUNK = 1 << 20

_sha256 = hashlib.sha256


class LedgerBroken(Exception):
    """The stored ledger does not verify. ``seq`` names the first bad entry (None if the
    problem is not one entry's, e.g. a checkpoint signature)."""

    def __init__(self, message: str, *, seq: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.seq = seq


@dataclass(frozen=True)
class FileProblem:
    seq: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"第 {self.seq} 条记录所载文件 {self.path}：{self.message}"


@dataclass
class Report:
    events: int = 0
    nodes: int = 0
    checkpoints: int = 0
    files: int = 0
    file_problems: list[FileProblem] = field(default_factory=list)
    root: bytes = merkle.EMPTY_ROOT
    size: int = 0
    rechecked: int = 0  # batches the reference loop checked again (0 for an intact ledger)


Progress = Callable[[int, int], None]


def _b(value) -> bytes:
    return value if isinstance(value, bytes) else bytes(value)


def _event_sql() -> str:
    """Rows of a batch of events. The database hands over salt ‖ payload as one byte string
    (the commitment's input) and the time already as canonical text, so the loop below does
    no per-row conversion."""
    if connection.vendor == "sqlite":
        # Django stores aware datetimes on SQLite as naive UTC text, str(datetime):
        # "YYYY-MM-DD HH:MM:SS.ffffff", without the fraction when it is zero.
        time = (
            "CASE WHEN length(e.at) = 19 THEN replace(e.at, ' ', 'T') || '.000000Z'"
            " ELSE replace(e.at, ' ', 'T') || 'Z' END"
        )
        salted = "CAST(e.salt || e.payload AS BLOB)"
        length = "length(CAST(e.payload AS BLOB))"
    else:
        time = """to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
        salted = "e.salt || convert_to(e.payload, 'UTF8')"
        length = "octet_length(e.payload)"
    return (
        f"SELECT e.seq, {time}, e.type, e.subject_id, {salted}, {length}, e.entry, e.leaf_hash"
        " FROM ledger_event e"
        " WHERE e.seq >= %s AND e.seq < %s ORDER BY e.seq"
    )


def _subjects(ids: set[int], cache: dict[int, tuple[str, str]]) -> None:
    """Add (entry subject text, payload subject text) of these subject ids to ``cache``."""
    if len(cache) > 100_000:  # bound the memory; clear before looking, so ids are kept
        cache.clear()
    missing = [i for i in ids if i not in cache]
    if not missing:
        return
    with connection.cursor() as cursor:
        for lo in range(0, len(missing), 500):
            chunk = missing[lo : lo + 500]
            cursor.execute(
                'SELECT id, ref, kind, "key" FROM ledger_subject'
                f" WHERE id IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            for sid, ref, kind, key in cursor.fetchall():
                ref_hex = ref.hex if isinstance(ref, uuid.UUID) else uuid.UUID(str(ref)).hex
                cache[sid] = (f'"{ref_hex}"', formats.subject_json(kind, key))


_NODE_SQL = "SELECT id, hash FROM ledger_node WHERE id >= %s AND id < %s ORDER BY id"


def _stored_checkpoints() -> list[tuple[int, bytes, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT size, root, note FROM ledger_checkpoint ORDER BY size")
        return [(size, _b(root), note) for size, root, note in cursor.fetchall()]


def _head() -> tuple[int, bytes]:
    """(size, frontier) of the head row, read together."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT size, frontier FROM ledger_head WHERE id = 1")
        row = cursor.fetchone()
    return (row[0], bytes(row[1] or b"")) if row else (0, b"")


def _head_size() -> int:
    return _head()[0]


def _check_checkpoints(rows: list[tuple[int, bytes, str]], size: int) -> dict[int, bytes]:
    verifier = keys.log_verifier()
    roots: dict[int, bytes] = {}
    for cp_size, root, note in rows:
        try:
            signed = notes.open_checkpoint(note, [verifier], origin=settings.LEDGER_ORIGIN)
        except notes.NoteError as exc:
            raise LedgerBroken(f"检查点（树大小 {cp_size}）签名或格式无效：{exc}") from None
        if signed.size != cp_size or signed.root != root:
            raise LedgerBroken(
                f"检查点（树大小 {cp_size}）的记录与其签名内容不符（检查点表被改动）"
            )
        if cp_size > size:
            raise LedgerBroken(
                f"已签发树大小为 {cp_size} 的检查点，账本却只有 {size} 条记录："
                f"序号 {size} 起的记录被删除",
                seq=size,
            )
        roots[cp_size] = root
    return roots


def _start(from_seq: int) -> list[bytes]:
    """The compact range (perfect subtrees tiling [0, from_seq), largest first)."""
    if from_seq == 0:
        return []
    from .services import LedgerIntegrityError, fetch_nodes

    wanted = merkle.nodes_for_root(from_seq)
    try:
        stored = fetch_nodes(wanted)
    except LedgerIntegrityError as exc:
        raise LedgerBroken(str(exc), seq=from_seq) from None
    return [stored[node] for node in wanted]


def _fold(stack: list[bytes]) -> bytes:
    """MTH from the compact range (RFC 9162 §2.1.1): a right fold."""
    if not stack:
        return merkle.EMPTY_ROOT
    h = stack[-1]
    for left in reversed(stack[:-1]):
        h = merkle.node_hash(left, h)
    return h


def _entry_problem(seq: int, entry: bytes, expected: str) -> str:
    """Say which part of an entry is wrong (only on the failure path)."""
    try:
        stored = formats.entry_object(entry)
        wanted = formats.entry_object(expected.encode())
    except ValueError:
        return f"第 {seq} 条记录：公开条目格式错误（被改动）"
    if stored.get("commitment") != wanted["commitment"]:
        return f"第 {seq} 条记录：载荷与承诺值不符（载荷或盐被改动）"
    return f"第 {seq} 条记录：公开条目与记录的时间、类型或对象不符（记录字段或公开条目被改动）"


def _rows(sql: str, lo: int, hi: int) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, [lo, hi])
        rows = cursor.fetchall()
    if rows and connection.vendor != "sqlite":  # psycopg returns bytea as memoryview
        rows = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]
    return rows


@dataclass
class Scan:
    """What checking the events [lo, hi) established (see :func:`_scan`)."""

    events: int = 0
    nodes: int = 0
    files: int = 0
    file_problems: list[FileProblem] = field(default_factory=list)
    # compact range of the scanned stack when the log reached each checkpoint size in (lo, hi]
    partials: dict[int, list[bytes]] = field(default_factory=dict)
    # stored nodes above the chunk (level > limit) completed by its last leaf: (key, hash)
    upper: list[tuple[int, bytes]] = field(default_factory=list)
    stack: list[bytes] = field(default_factory=list)
    # batches the fast loop handed to the reference loop (0 for an intact ledger)
    rechecked: int = 0


def _batches(lo: int, hi: int, batch: int):
    """[lo, hi) cut at the multiples of ``batch`` (so that aligned batches share one shape)."""
    while lo < hi:
        end = min(hi, (lo // batch + 1) * batch)
        yield lo, end
        lo = end


def _scan(
    lo: int,
    hi: int,
    *,
    stack: list[bytes],
    limit: int | None,
    checkpoint_sizes: frozenset[int] | set[int],
    files: bool,
    batch: int,
    progress: Callable[[int], None] | None = None,
    subjects: dict | None = None,
) -> Scan:
    """Check events [lo, hi) and the tree nodes they complete; raise LedgerBroken at the
    first problem.

    ``stack`` is the compact range before ``lo`` and is extended in place. With ``limit`` =
    k (parallel chunks: lo a multiple of 2**k, hi - lo <= 2**k, stack empty) only the nodes
    of levels <= k are computed and compared — the ones inside the chunk; stored nodes above
    them are handed back in ``Scan.upper`` for the caller, who has the hashes on their left.

    Each batch goes through :func:`_fast_batch`; if that finds anything amiss (or cannot
    tell), the batch is checked again by :func:`_exact_batch`, which raises LedgerBroken
    naming the first bad entry — or, if the fast loop was merely unable to follow, accepts it.
    """
    scan = Scan(stack=stack)
    if subjects is None:  # subject id -> (entry text, payload text), read as they turn up
        subjects = {}
    sizes = sorted(s for s in checkpoint_sizes if lo < s <= hi)
    base = lo if limit is not None else 0  # the stack is the compact range of [base, seq)
    fast_sql = _fast_event_sql()
    for batch_lo, batch_hi in _batches(lo, hi, batch):
        before = list(stack)
        cps = sizes[bisect_right(sizes, batch_lo) : bisect_right(sizes, batch_hi)]
        try:
            done = _fast_batch(
                scan, batch_lo, batch_hi, stack=stack, before=before, base=base, top=limit,
                sizes=cps, files=files, subjects=subjects, sql=fast_sql,
            )  # fmt: skip
        except Exception:  # noqa: BLE001 - anything odd in the rows: the reference loop decides
            done = False
        if not done:
            stack[:] = before
            scan.rechecked += 1
            _exact_batch(scan, batch_lo, batch_hi, stack=stack, limit=limit,
                         checkpoint_sizes=checkpoint_sizes, files=files, subjects=subjects)  # fmt: skip
        if progress is not None:
            progress(batch_hi - batch_lo)
    return scan


def _exact_batch(
    scan: Scan,
    batch_lo: int,
    batch_hi: int,
    *,
    stack: list[bytes],
    limit: int | None,
    checkpoint_sizes: frozenset[int] | set[int],
    files: bool,
    subjects: dict,
) -> None:
    """The reference loop: check events [batch_lo, batch_hi) row by row, every stored node as
    the leaf that completes it is reached; raise LedgerBroken at the first problem."""
    event_sql = _event_sql()
    sha256 = _sha256
    top = limit if limit is not None else 64
    seq = batch_lo
    events = _rows(event_sql, batch_lo, batch_hi)
    node_rows = _rows(_NODE_SQL, node_keys_before(batch_lo), node_keys_before(batch_hi))
    _subjects({row[3] for row in events if row[3] is not None}, subjects)
    nodes = iter(node_rows)
    key = node_keys_before(batch_lo)
    # The two format strings are formats.payload_suffix and formats.entry_bytes; the tests
    # check them against those functions and the canonical JSON encoder.
    for row_seq, time, type_, sid, salted, payload_len, entry, leaf in events:
        if row_seq != seq:
            if row_seq > seq:
                raise LedgerBroken(f"序号 {seq} 的记录缺失（被删除）", seq=seq)
            raise LedgerBroken(f"序号 {row_seq} 的记录重复或顺序错误", seq=row_seq)
        if sid is None:
            ref, subject = "null", "null"
        elif sid in subjects:
            ref, subject = subjects[sid]
        else:
            raise LedgerBroken(f"第 {seq} 条记录：所载对象（编号 {sid}）不存在", seq=seq)
        suffix = f',"seq":{seq},"subject":{subject},"time":"{time}","type":"{type_}"}}'
        # salted = salt ‖ payload, concatenated by the database (one object, no copy)
        if not salted.endswith(suffix.encode()) or len(salted) != payload_len + 32:
            raise LedgerBroken(
                f"第 {seq} 条记录：载荷所载的序号、对象、时间或类型与记录不符", seq=seq
            )
        expected = (
            f'{{"commitment":"{sha256(salted).hexdigest()}","seq":{seq},'
            f'"subject":{ref},"time":"{time}","type":"{type_}","v":1}}'
        )
        if entry != expected.encode():
            raise LedgerBroken(_entry_problem(seq, entry, expected), seq=seq)
        h = sha256(b"\x00" + entry).digest()
        if h != leaf:
            raise LedgerBroken(f"第 {seq} 条记录：叶哈希与公开条目不符", seq=seq)
        m = seq
        level = 0
        while m & 1:  # the nodes this leaf completes (RFC 9162 §2.1.1), lowest first
            stored = next(nodes, None)
            if level == top:  # above the chunk: the caller checks it
                if stored is None or stored[0] != key:
                    raise LedgerBroken(_node_problem(seq, key, "缺失"), seq=seq)
                scan.upper.append(stored)
            else:
                h = sha256(b"\x01" + stack.pop() + h).digest()
                if stored is None or stored[0] != key or stored[1] != h:
                    what = "缺失" if stored is None or stored[0] != key else "与重算结果不符"
                    raise LedgerBroken(_node_problem(seq, key, what), seq=seq)
                level += 1
            key += 1
            m >>= 1
        stack.append(h)
        seq += 1
        if seq in checkpoint_sizes:
            scan.partials[seq] = list(stack)
        if files and b'"files":' in salted:
            scan.files += _check_files(seq - 1, salted[32:], scan.file_problems)
    if seq != batch_hi:
        raise LedgerBroken(f"序号 {seq} 的记录缺失（被删除）", seq=seq)
    extra = next(nodes, None)
    if extra is not None:
        level, index = split_node_key(extra[0])
        raise LedgerBroken(f"多出的默克尔树节点（第 {level} 层第 {index} 个）", seq=batch_hi - 1)
    scan.events += len(events)
    scan.nodes += len(node_rows)


# --- the fast loop -------------------------------------------------------------------------

_NULL_SUBJECT = ("null", "null")


def _fast_event_sql() -> str:
    """Rows for :func:`_fast_batch`: the stored columns as they are — the little Python that
    turns the time into its canonical text costs less than the SQL expression — and the
    payload as its UTF-8 bytes (not decoded into a str)."""
    if connection.vendor == "sqlite":
        # Django stores naive UTC text "YYYY-MM-DD HH:MM:SS[.ffffff]" (see _event_sql); as
        # an expression it comes back as that text, not through Django's datetime converter.
        time = "CAST(e.at AS TEXT)"
        payload = "CAST(e.payload AS BLOB)"
    else:
        time = "to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
        payload = "convert_to(e.payload, 'UTF8')"
    return (
        f"SELECT e.seq, {time}, e.type, e.subject_id, e.salt, {payload}, e.entry, e.leaf_hash"
        " FROM ledger_event e WHERE e.seq >= %s AND e.seq < %s ORDER BY e.seq"
    )


def _fast_node_sql() -> str:
    """The stored nodes with keys in [first, last) as one row: how many; how many have an
    integer key and a 32-byte hash; the type of the least hash (SQLite sorts every text or
    number before any blob, so "blob" means all are blobs); the hashes concatenated in key
    order. (No typeof() per row on SQLite: that call alone costs more than the rest.)"""
    if connection.vendor == "sqlite":
        # Rows come in the order of the primary-key index that the range uses. Were they ever
        # not, the concatenation would differ and the reference loop would recheck the batch.
        return (
            "SELECT count(*), sum((id & -1) = id AND length(hash) = 32), typeof(min(hash)),"
            " CAST(group_concat(hash, '') AS BLOB) FROM ledger_node WHERE id >= %s AND id < %s"
        )
    return (
        "SELECT count(*), count(*) FILTER (WHERE octet_length(hash) = 32), 'blob',"
        " string_agg(hash, ''::bytea ORDER BY id) FROM ledger_node WHERE id >= %s AND id < %s"
    )


def _load_subjects(rows: list[tuple], cache: dict) -> None:
    _subjects({row[3] for row in rows if row[3] is not None}, cache)
    cache[None] = _NULL_SUBJECT


def _fast_batch(
    scan: Scan,
    lo: int,
    hi: int,
    *,
    stack: list[bytes],
    before: list[bytes],
    base: int,
    top: int | None,
    sizes: list[int],
    files: bool,
    subjects: dict,
    sql: str,
) -> bool:
    """Check events [lo, hi) and the nodes they complete like :func:`_exact_batch`, faster;
    True if every check passed (``scan`` and ``stack`` updated), False at the first one that
    did not (``scan`` untouched; the caller restores ``stack`` from ``before``).

    The checks per entry are the reference loop's, byte for byte: seq in order, payload suffix
    (the same format string; the time text made in Python from the stored column instead of
    by SQL), salt of 32 bytes, rebuilt entry = stored entry, leaf hash = stored leaf hash. The
    tree is then rebuilt a level at a time from the batch's leaf hashes and the compact range
    before it, and the batch's stored nodes must be exactly the keys [node_keys_before(lo),
    node_keys_before(hi)) holding exactly the rebuilt hashes in key order.
    """
    sha256 = _sha256
    S = subjects
    leaves: list[bytes] = []
    add_leaf = leaves.append
    with_files: list[tuple[int, bytes]] = []
    seq = lo
    with connection.cursor() as cursor:
        cursor.execute(sql, [lo, hi])
        while rows := cursor.fetchmany(FETCH):
            # The hot loop of a million-entry verify: plain locals, no calls but the hashes.
            # The format strings are formats.payload_suffix and formats.entry_bytes (as in
            # _exact_batch; the tests compare both loops with those functions).
            for row_seq, at, type_, sid, salt, payload, entry, leaf in rows:
                if row_seq != seq:
                    return False
                try:
                    ref, subject = S[sid]
                except KeyError:
                    _load_subjects(rows, S)
                    ref, subject = S[sid]
                time = at.replace(" ", "T")
                if len(at) == 19:  # SQLite stores a whole second without a fraction
                    time += ".000000"
                salted = salt + payload
                if len(salt) != 32 or not salted.endswith(
                    f',"seq":{seq},"subject":{subject},"time":"{time}Z","type":"{type_}"}}'.encode()
                ):
                    return False
                expected = (
                    f'{{"commitment":"{sha256(salted).hexdigest()}","seq":{seq},'
                    f'"subject":{ref},"time":"{time}Z","type":"{type_}","v":1}}'
                )
                if entry != expected.encode():
                    return False
                h = sha256(b"\x00" + entry).digest()
                if h != leaf:
                    return False
                add_leaf(h)
                if files and b'"files":' in salted:
                    with_files.append((seq, salted))
                seq += 1
    if seq != hi:
        return False

    # The tree, a level at a time: levels[L] holds the level-L hashes computed here, from index
    # lo >> L on. A run starting at an odd index takes its left sibling from the compact range;
    # a run of odd length leaves its last hash for the compact range.
    levels = [leaves]
    run = leaves
    start = lo
    kept: list[bytes] = []
    one = b"\x01"
    while run and len(levels) - 1 != top:
        if start & 1:
            run = [stack.pop(), *run]
        if len(run) & 1:
            kept.append(run[-1])
        pairs = iter(run)
        run = [
            sha256(one + left + right).digest() for left, right in zip(pairs, pairs, strict=False)
        ]
        levels.append(run)
        start >>= 1
    stack += run  # stopped at level ``top``: the chunk's root
    stack += reversed(kept)

    first = node_keys_before(lo)
    last = node_keys_before(hi)
    pattern, above = _key_levels(lo, hi, top)
    if len(pattern) + len(above) != last - first:
        return False
    streams = [iter(level) for level in levels]
    rebuilt = list(map(next, map(streams.__getitem__, pattern)))
    inside = len(rebuilt)
    if inside != len(pattern):
        return False
    with connection.cursor() as cursor:
        cursor.execute(_fast_node_sql(), [first, last])
        count, whole, least, stored = cursor.fetchone()
    # ``count`` rows, all with integer keys in [first, last) — unique, being the primary key —
    # so exactly those keys; each hash a 32-byte blob, so the concatenation in key order
    # equals the rebuilt one iff every stored node equals its rebuilt hash.
    if count != last - first:
        return False
    if count and (whole != count or least != "blob" or not stored.startswith(b"".join(rebuilt))):
        return False

    partials = {cp_size: _partial_at(cp_size, base, lo, before, levels) for cp_size in sizes}
    problems: list[FileProblem] = []
    checked = sum(_check_files(file_seq, salted[32:], problems) for file_seq, salted in with_files)
    # Only now, with every check passed, does the scan learn of this batch.
    scan.partials.update(partials)
    scan.upper += [(first + i, stored[32 * i : 32 * i + 32]) for i in range(inside, last - first)]
    scan.files += checked
    scan.file_problems += problems
    scan.events += hi - lo
    scan.nodes += count
    return True


def _trailing_ones(m: int) -> int:
    return (m ^ (m + 1)).bit_length() - 1


@functools.lru_cache(maxsize=4)
def _block_levels(k: int) -> tuple[int, ...]:
    """Levels of the nodes inside an aligned block of 2**k leaves, in key order: leaf i of the
    block completes levels 1 … (trailing 1-bits of i), the last leaf all of 1 … k."""
    pattern: list[int] = []
    for i in range((1 << k) - 1):
        pattern += range(1, _trailing_ones(i) + 1)
    pattern += range(1, k + 1)
    return tuple(pattern)


def _key_levels(lo: int, hi: int, top: int | None) -> tuple[tuple[int, ...] | list[int], list[int]]:
    """Levels of the nodes the leaves [lo, hi) complete, in key (= append) order: those at or
    below ``top``, and those above it (only the last leaf of a chunk completes any)."""
    n = hi - lo
    limit = top if top is not None else 64
    if n & (n - 1) == 0 and lo % n == 0:
        k = n.bit_length() - 1
        if k <= limit:
            pattern: tuple[int, ...] | list[int] = _block_levels(k)
            extra = range(k + 1, k + 1 + _trailing_ones(lo >> k))  # completed above the block
            inside = [level for level in extra if level <= limit]
            if inside:
                pattern = [*pattern, *inside]
            return pattern, [level for level in extra if level > limit]
    pattern = []
    above: list[int] = []
    for m in range(lo, hi):
        t = _trailing_ones(m)
        if above:
            raise ValueError("nodes above the chunk completed before its last leaf")
        pattern += range(1, min(t, limit) + 1)
        above = list(range(limit + 1, t + 1))
    return pattern, above


def _partial_at(size: int, base: int, lo: int, before: list[bytes], levels: list[list[bytes]]):
    """The compact range of [base, size) for lo < size <= (end of this batch): the perfect
    subtrees of the 1-bits of size - base, largest first, each either rebuilt in this batch
    (levels) or, lying wholly before lo, one of ``before`` (the compact range of [base, lo))."""
    width = size - base
    partial = []
    for level in range(width.bit_length() - 1, -1, -1):
        if width >> level & 1:
            index = (size >> level) - 1
            first = lo >> level
            if index >= first:
                partial.append(levels[level][index - first])
            else:
                partial.append(before[((lo - base) >> (level + 1)).bit_count()])
    return partial


def _node_problem(seq: int, key: int, what: str) -> str:
    level, index = split_node_key(key)
    return f"第 {seq} 条记录：默克尔树节点（第 {level} 层第 {index} 个）{what}"


def _check_partials(scan: Scan, base: list[bytes], cp_roots: dict[int, bytes]) -> None:
    for cp_size, partial in scan.partials.items():
        if _fold(base + partial) != cp_roots[cp_size]:
            raise LedgerBroken(
                f"检查点（树大小 {cp_size}）的根哈希与重算结果不符：前 {cp_size} 条记录在签发后被改动",
                seq=cp_size - 1,
            )


def _parallel_possible(workers: int, remaining: int) -> bool:
    if workers < 2 or remaining < 2 * CHUNK:
        return False
    if connection.in_atomic_block:  # uncommitted rows: other connections would not see them
        return False
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return False
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def verify_ledger(
    *,
    from_seq: int = 0,
    files: bool = False,
    progress: Progress | None = None,
    batch: int = BATCH,
    workers: int = 1,
) -> Report:
    """Verify the stored ledger; return a Report or raise LedgerBroken at the first bad spot.

    With ``workers`` > 1 (and a database other processes can open) the entries are checked
    in chunks of CHUNK = 2**CHUNK_LEVEL entries by that many worker processes; see
    :func:`_verify_chunks`. The result is the same as with one process.
    """
    checkpoint_rows = _stored_checkpoints()  # read before the head: the head only grows
    size, frontier = _head()
    if from_seq > size:
        raise LedgerBroken(f"起始序号 {from_seq} 超出账本大小 {size}")
    cp_roots = _check_checkpoints(checkpoint_rows, size)
    report = Report(checkpoints=len(checkpoint_rows), size=size)
    stack = _start(from_seq)
    if from_seq in cp_roots and _fold(stack) != cp_roots[from_seq]:
        raise LedgerBroken(f"检查点（树大小 {from_seq}）的根哈希与账本不符", seq=from_seq)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, size - from_seq)

    sizes = frozenset(cp_roots)
    seq = from_seq
    scans: list[Scan] = []
    if _parallel_possible(workers, size - from_seq):
        # Up to the first chunk boundary in this process, then aligned chunks in parallel.
        aligned = min(-(-from_seq // CHUNK) * CHUNK, size)
        if aligned > from_seq:
            scan = _scan(from_seq, aligned, stack=stack, limit=None, checkpoint_sizes=sizes,
                         files=files, batch=batch, progress=advance)  # fmt: skip
            _check_partials(scan, [], cp_roots)
            scans.append(scan)
        stack, chunk_scans = _verify_chunks(
            aligned, size, stack=stack, workers=workers, cp_roots=cp_roots, files=files,
            batch=batch, progress=advance,
        )  # fmt: skip
        scans += chunk_scans
    else:
        scan = _scan(seq, size, stack=stack, limit=None, checkpoint_sizes=sizes, files=files,
                     batch=batch, progress=advance)  # fmt: skip
        _check_partials(scan, [], cp_roots)
        scans.append(scan)
    for scan in scans:
        report.events += scan.events
        report.nodes += scan.nodes
        report.files += scan.files
        report.file_problems += scan.file_problems
        report.rechecked += scan.rechecked
    _check_nothing_beyond(size)
    if frontier != b"".join(stack):
        raise LedgerBroken("账本头的树右边界与重算结果不符（账本头被改动，后续追加将算错树节点）")
    report.root = _fold(stack)
    return report


# --- parallel verification -----------------------------------------------------------------

CHUNK_LEVEL = 14
CHUNK = 1 << CHUNK_LEVEL  # entries per parallel chunk: a perfect subtree of level 14


_worker_subjects: dict = {}  # a worker's subject texts, kept over its chunks (one verify)


def _worker_start() -> None:
    """Pool initializer: a fresh subject cache (filled once per worker, not once per chunk),
    and on SQLite a connection that cannot write. (A larger page cache or mmap_size made no
    measurable difference: the rows come from the operating system's cache either way.)"""
    global _worker_subjects
    _worker_subjects = {}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = 1")


def _chunk_job(args: tuple) -> tuple[str, object]:
    """Worker process: check one aligned chunk; exceptions come back as data."""
    lo, hi, sizes, files, batch = args
    try:
        return "ok", _scan(lo, hi, stack=[], limit=CHUNK_LEVEL, checkpoint_sizes=sizes,
                           files=files, batch=batch, subjects=_worker_subjects)  # fmt: skip
    except LedgerBroken as broken:
        return "broken", (broken.message, broken.seq)


def _verify_chunks(
    lo: int,
    hi: int,
    *,
    stack: list[bytes],
    workers: int,
    cp_roots: dict[int, bytes],
    files: bool,
    batch: int,
    progress: Callable[[int], None],
) -> tuple[list[bytes], list[Scan]]:
    """Check [lo, hi) (lo a multiple of CHUNK) in parallel; return the compact range of
    [0, hi) and the chunk scans.

    Chunk c covers leaves [c·CHUNK, (c+1)·CHUNK): a perfect subtree, so every node inside it
    depends on its own entries only and a worker checks them all. This process then appends
    each chunk's root to ``stack`` as one leaf of the tree above (RFC 9162 §2.1.1 nodes of
    level > CHUNK_LEVEL, compared with the stored ones the workers handed back) and checks
    the checkpoints: root at size s = fold(stack before the chunk + chunk's partial range).
    """
    import multiprocessing

    from django.db import connections

    sizes = frozenset(cp_roots)
    jobs = [(c, min(c + CHUNK, hi), sizes, files, batch) for c in range(lo, hi, CHUNK)]
    connections.close_all()  # each worker opens its own connection
    scans = []
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_worker_start) as pool:
        for (c_lo, c_hi, *_), (status, value) in zip(
            jobs, pool.imap(_chunk_job, jobs), strict=True
        ):
            if status == "broken":
                message, seq = value
                raise LedgerBroken(message, seq=seq)
            scan: Scan = value
            _check_partials(scan, stack, cp_roots)
            if c_hi - c_lo == CHUNK:
                (h,) = scan.stack
                chunk_index = c_lo >> CHUNK_LEVEL
                upper = iter(scan.upper)
                level = CHUNK_LEVEL
                while chunk_index & 1:
                    h = _sha256(b"\x01" + stack.pop() + h).digest()
                    level += 1
                    chunk_index >>= 1
                    key = node_key(level, chunk_index)
                    stored = next(upper, None)
                    if stored is None or stored[0] != key or stored[1] != h:
                        what = "缺失" if stored is None or stored[0] != key else "与重算结果不符"
                        raise LedgerBroken(_node_problem(c_hi - 1, key, what), seq=c_hi - 1)
                stack.append(h)
            else:  # the last, partial chunk: its compact range ends the tree
                stack.extend(scan.stack)
            scans.append(scan)
            progress(c_hi - c_lo)
    return stack, scans


def _check_nothing_beyond(size: int) -> None:
    """No event or node row lies outside the log (the head may have grown meanwhile)."""
    now = max(size, _head_size())
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(seq) FROM ledger_event WHERE seq >= %s OR seq < 0", [now])
        (bad,) = cursor.fetchone()
        if bad is not None:
            raise LedgerBroken(f"序号 {bad} 的记录超出账本大小 {now}（账本头被改动）", seq=bad)
        cursor.execute(
            "SELECT min(id) FROM ledger_node WHERE id >= %s OR id < 0", [node_keys_before(now)]
        )
        (bad,) = cursor.fetchone()
        if bad is not None:
            level, index = split_node_key(bad) if bad >= 0 else (None, bad)
            raise LedgerBroken(
                f"多出的默克尔树节点（第 {level} 层第 {index} 个），超出账本大小 {now}"
            )


# --- files ---------------------------------------------------------------------------------


def file_digests(name: str) -> tuple[int, str, str | None]:
    """(size, SHA-256 hex, SM3 hex or None if OpenSSL lacks SM3) of a stored file, streamed."""
    sha = hashlib.sha256()
    try:
        sm3 = hashlib.new("sm3")
    except ValueError:  # pragma: no cover - OpenSSL without SM3
        sm3 = None
    size = 0
    for chunk in iter_chunks(name, FILE_CHUNK):  # streamed on S3 too (not spooled whole)
        size += len(chunk)
        sha.update(chunk)
        if sm3 is not None:
            sm3.update(chunk)
    return size, sha.hexdigest(), sm3.hexdigest() if sm3 is not None else None


def _check_files(seq: int, payload: bytes, problems: list[FileProblem]) -> int:
    data = json.loads(payload).get("data")
    listed = data.get("files") if isinstance(data, dict) else None
    if not isinstance(listed, list):
        return 0
    count = 0
    for item in listed:
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            problems.append(FileProblem(seq, "?", "文件记录格式错误（缺少 path）"))
            continue
        count += 1
        path = item["path"]
        try:
            size, sha256, sm3 = file_digests(path)
        except (FileNotFoundError, OSError) as exc:
            problems.append(
                FileProblem(seq, path, f"文件缺失或无法读取（{exc.__class__.__name__}）")
            )
            continue
        if "size" in item and item["size"] != size:
            problems.append(FileProblem(seq, path, f"大小不符（记录 {item['size']}，实际 {size}）"))
        elif item.get("sha256") != sha256:
            problems.append(FileProblem(seq, path, "SHA-256 哈希不符（文件被改动）"))
        elif item.get("sm3") and sm3 is not None and item["sm3"] != sm3:
            problems.append(FileProblem(seq, path, "SM3 哈希不符（文件被改动）"))
    return count
