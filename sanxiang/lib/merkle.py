"""Merkle hash trees of RFC 9162 §2.1 (Certificate Transparency v2) over SHA-256.

The ledger is an append-only list of entries d[0], d[1], … and its tree hash is RFC 9162's
MTH (§2.1.1): leaf = SHA-256(0x00 ‖ entry), node = SHA-256(0x01 ‖ left ‖ right), the left
subtree of a tree of n > 1 leaves holding the largest power of two k < n leaves, and the
empty tree's hash SHA-256("").

Storage model. A *perfect subtree* (level, index) covers the 2**level leaves starting at
index · 2**level; level 0 are the leaf hashes themselves. Once all its leaves exist its hash
never changes, so a store keeps one row per perfect subtree: :func:`append_nodes` returns the
rows that appending one leaf completes (one, plus one per trailing 1-bit of the old size —
two on average). Every hash RFC 9162 needs — the root at any size, an audit path, a
consistency proof — is then a fold of at most ~2·log2(n) stored hashes, never a rebuild.

Callers pass the store as ``get(level, index) -> bytes``. To batch reads (one SQL query
instead of one per node), ask first which nodes a computation reads with
:func:`nodes_for_root`, :func:`nodes_for_inclusion` or :func:`nodes_for_consistency`, fetch
them into a dict, and pass ``lambda level, index: rows[level, index]``.

Verification (:func:`verify_inclusion`, :func:`verify_consistency`) follows the algorithms
of RFC 9162 §2.1.3.2 and §2.1.4.2 step by step and needs no store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()  # RFC 9162 §2.1.1: MTH({}) = HASH()

SubtreeGetter = Callable[[int, int], bytes]
"""``get(level, index)`` returns the stored hash of perfect subtree (level, index)."""

Node = tuple[int, int]
"""(level, index) of a perfect subtree: leaves [index·2**level, (index+1)·2**level)."""

_Range = tuple[int, int]  # leaves [lo, hi)


def leaf_hash(entry: bytes) -> bytes:
    """RFC 9162 §2.1.1: MTH({d}) = SHA-256(0x00 ‖ d)."""
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 §2.1.1: interior node = SHA-256(0x01 ‖ left ‖ right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _largest_power_of_two_below(n: int) -> int:
    """k such that k < n <= 2k (RFC 9162 §2.1.1 split point); n must be > 1."""
    return 1 << ((n - 1).bit_length() - 1)


def _check_size(name: str, value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")


# --- building: which perfect subtrees make up a range ------------------------------------


def _perfect_subtrees(lo: int, hi: int) -> list[Node]:
    """Decompose leaves [lo, hi) into perfect subtrees, largest (leftmost) first.

    Every range the RFC 9162 recursion produces starts at a multiple of a power of two that
    is at least its width, so the greedy split below yields exactly the left subtrees that
    MTH(D[lo:hi])'s recursion splits off, each a stored perfect subtree.
    """
    nodes = []
    while lo < hi:
        level = (hi - lo).bit_length() - 1
        nodes.append((level, lo >> level))
        lo += 1 << level
    return nodes


def _range_hash(lo: int, hi: int, get: SubtreeGetter) -> bytes:
    """MTH(D[lo:hi]) from stored perfect subtrees: a right fold, as in RFC 9162 §2.1.1."""
    hashes = [get(level, index) for level, index in _perfect_subtrees(lo, hi)]
    h = hashes[-1]
    for left in reversed(hashes[:-1]):
        h = node_hash(left, h)
    return h


def _inclusion_ranges(index: int, size: int) -> list[_Range]:
    """Leaf ranges whose hashes form PATH(index, D[0:size]) (RFC 9162 §2.1.3.1), leaf first.

    PATH(m, D_n) = PATH(m, D[0:k]) : MTH(D[k:n])     if m < k
    PATH(m, D_n) = PATH(m - k, D[k:n]) : MTH(D[0:k]) if m >= k
    """
    ranges = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = _largest_power_of_two_below(hi - lo)
        if index < lo + k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo += k
    ranges.reverse()
    return ranges


def _consistency_ranges(old_size: int, new_size: int) -> list[_Range]:
    """Leaf ranges whose hashes form PROOF(m, D[0:n]) (RFC 9162 §2.1.4.1), in proof order.

    SUBPROOF(m, D_m, true) = {};  SUBPROOF(m, D_m, false) = {MTH(D_m)}
    SUBPROOF(m, D_n, b) = SUBPROOF(m, D[0:k], b) : MTH(D[k:n])         if m <= k
    SUBPROOF(m, D_n, b) = SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k]) if m > k

    RFC 9162 defines PROOF only for 0 < m < n; for m == n it is the empty list (as
    SUBPROOF(m, D_m, true) gives) and for m == 0 we also return the empty list, because
    every tree extends the empty tree.
    """
    if old_size == 0:
        return []
    ranges = []
    lo, hi, m = 0, new_size, old_size
    while m != hi - lo:
        k = _largest_power_of_two_below(hi - lo)
        if m <= k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo += k
            m -= k
    # The RFC's flag b stays true while the subtree starts at leaf 0: then it is the old tree
    # itself, whose hash the verifier already has.
    if lo > 0:
        ranges.append((lo, hi))
    ranges.reverse()
    return ranges


def _nodes_of(ranges: Iterable[_Range]) -> list[Node]:
    seen: dict[Node, None] = {}
    for lo, hi in ranges:
        for node in _perfect_subtrees(lo, hi):
            seen[node] = None
    return list(seen)


def nodes_for_append(size: int) -> list[Node]:
    """Stored nodes :func:`append_nodes` reads when leaf ``size`` is appended."""
    _check_size("size", size)
    nodes = []
    level, index = 0, size
    while index & 1:
        nodes.append((level, index - 1))
        level, index = level + 1, index >> 1
    return nodes


def nodes_for_root(size: int) -> list[Node]:
    """Stored nodes :func:`root` reads for a tree of ``size`` leaves (one per 1-bit of size)."""
    _check_size("size", size)
    return _perfect_subtrees(0, size)


def nodes_for_inclusion(index: int, size: int) -> list[Node]:
    """Stored nodes :func:`inclusion_proof` reads (O(log size) of them)."""
    _check_inclusion_args(index, size)
    return _nodes_of(_inclusion_ranges(index, size))


def nodes_for_consistency(old_size: int, new_size: int) -> list[Node]:
    """Stored nodes :func:`consistency_proof` reads (O(log new_size) of them)."""
    _check_consistency_args(old_size, new_size)
    return _nodes_of(_consistency_ranges(old_size, new_size))


def _check_inclusion_args(index: int, size: int) -> None:
    _check_size("index", index)
    _check_size("size", size)
    if index >= size:
        raise ValueError(f"index {index} is not in a tree of {size} leaves")


def _check_consistency_args(old_size: int, new_size: int) -> None:
    _check_size("old_size", old_size)
    _check_size("new_size", new_size)
    if old_size > new_size:
        raise ValueError(f"old size {old_size} is larger than new size {new_size}")


def append_nodes(size: int, leaf: bytes, get: SubtreeGetter) -> list[tuple[int, int, bytes]]:
    """Perfect subtrees completed when ``leaf`` (a leaf hash) becomes leaf number ``size``.

    ``size`` is the tree size before the append, i.e. the new leaf's 0-based index. Returns
    ``[(0, size, leaf), (1, size >> 1, h1), …]``: the leaf itself and one parent per trailing
    1-bit of ``size``. Store all of them in the transaction that stores the entry.
    """
    _check_size("size", size)
    if len(leaf) != HASH_SIZE:
        raise ValueError("leaf must be a 32-byte leaf hash")
    completed = [(0, size, leaf)]
    h, level, index = leaf, 0, size
    while index & 1:
        h = node_hash(get(level, index - 1), h)
        level, index = level + 1, index >> 1
        completed.append((level, index, h))
    return completed


def root(size: int, get: SubtreeGetter) -> bytes:
    """MTH(D[0:size]), the tree hash at ``size`` (EMPTY_ROOT for 0), from stored subtrees."""
    _check_size("size", size)
    if size == 0:
        return EMPTY_ROOT
    return _range_hash(0, size, get)


def inclusion_proof(index: int, size: int, get: SubtreeGetter) -> list[bytes]:
    """RFC 9162 §2.1.3.1 audit path PATH(index, D[0:size]), leaf's sibling first.

    Byte for byte the ``inclusion_path`` of RFC 9162 and Go's ``tlog.ProveRecord``.
    """
    _check_inclusion_args(index, size)
    return [_range_hash(lo, hi, get) for lo, hi in _inclusion_ranges(index, size)]


def consistency_proof(old_size: int, new_size: int, get: SubtreeGetter) -> list[bytes]:
    """RFC 9162 §2.1.4.1 consistency proof PROOF(old_size, D[0:new_size]).

    Byte for byte RFC 9162's ``consistency_path`` and Go's ``tlog.ProveTree``; empty when
    ``old_size`` is 0 or equals ``new_size``.
    """
    _check_consistency_args(old_size, new_size)
    return [_range_hash(lo, hi, get) for lo, hi in _consistency_ranges(old_size, new_size)]


# --- verification: RFC 9162 §2.1.3.2 and §2.1.4.2, literally -------------------------------


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes) and len(value) == HASH_SIZE


def _is_hash_list(value: object) -> bool:
    return isinstance(value, (list, tuple)) and all(_is_hash(p) for p in value)


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root_hash: bytes
) -> bool:
    """True iff ``proof`` shows leaf hash ``leaf`` at ``index`` in the tree ``root_hash`` of
    ``size`` leaves (RFC 9162 §2.1.3.2). Never raises; malformed input gives False.
    """
    if not (_is_count(index) and _is_count(size) and _is_hash(leaf) and _is_hash(root_hash)):
        return False
    if not _is_hash_list(proof):
        return False
    # 1. If leaf_index is greater than or equal to tree_size, fail.
    if index >= size:
        return False
    # 2. Set fn to leaf_index and sn to tree_size - 1.  3. Set r to hash.
    fn, sn, r = index, size - 1, leaf
    # 4. For each value p in the inclusion_path array:
    for p in proof:
        # a. If sn is 0, stop the iteration and fail.
        if sn == 0:
            return False
        # b. If LSB(fn) is set, or if fn is equal to sn, then:
        if fn & 1 or fn == sn:
            # i. Set r to HASH(0x01 || p || r).
            r = node_hash(p, r)
            # ii. If LSB(fn) is not set, right-shift fn and sn equally until either LSB(fn)
            #     is set or fn is 0.
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            # Otherwise: i. Set r to HASH(0x01 || r || p).
            r = node_hash(r, p)
        # c. Finally, right-shift both fn and sn one time.
        fn >>= 1
        sn >>= 1
    # 5. Compare sn to 0. Compare r against the root_hash.
    return sn == 0 and r == root_hash


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """True iff ``proof`` shows the tree ``old_root`` of ``old_size`` leaves is a prefix of
    the tree ``new_root`` of ``new_size`` leaves (RFC 9162 §2.1.4.2). Never raises.

    RFC 9162 gives the algorithm for 0 < old_size < new_size. The edge cases are decided
    here: equal sizes are consistent iff the roots are equal and the proof is empty; size 0
    is consistent with any later tree iff its root is EMPTY_ROOT and the proof is empty;
    old_size > new_size is never consistent.
    """
    if not (_is_count(old_size) and _is_count(new_size)):
        return False
    if not (_is_hash(old_root) and _is_hash(new_root) and _is_hash_list(proof)):
        return False
    if old_size > new_size:
        return False
    if old_size == new_size:
        return len(proof) == 0 and old_root == new_root and (old_size > 0 or old_root == EMPTY_ROOT)
    if old_size == 0:
        return len(proof) == 0 and old_root == EMPTY_ROOT
    first, second = old_size, new_size
    path = list(proof)
    # 1. If consistency_path is an empty array, stop and fail the proof verification.
    if not path:
        return False
    # 2. If first is an exact power of 2, then prepend first_hash to the consistency_path.
    if first & (first - 1) == 0:
        path.insert(0, old_root)
    # 3. Set fn to first - 1 and sn to second - 1.
    fn, sn = first - 1, second - 1
    # 4. If LSB(fn) is set, right-shift both fn and sn equally until LSB(fn) is not set.
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # 5. Set both fr and sr to the first value in the consistency_path array.
    fr = sr = path[0]
    # 6. For each subsequent value c in the consistency_path array:
    for c in path[1:]:
        # a. If sn is 0, then stop the iteration and fail the proof verification.
        if sn == 0:
            return False
        # b. If LSB(fn) is set, or if fn is equal to sn, then:
        if fn & 1 or fn == sn:
            # i. Set fr to HASH(0x01 || c || fr).  ii. Set sr to HASH(0x01 || c || sr).
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            # iii. If LSB(fn) is not set, right-shift both fn and sn equally until either
            #      LSB(fn) is set or fn is 0.
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            # Otherwise: i. Set sr to HASH(0x01 || sr || c).
            sr = node_hash(sr, c)
        # c. Finally, right-shift both fn and sn one time.
        fn >>= 1
        sn >>= 1
    # 7. Verify fr == first_hash, sr == second_hash and sn == 0.
    return fr == old_root and sr == new_root and sn == 0


# --- an in-memory store ---------------------------------------------------------------------


class InMemoryTree:
    """A tree whose perfect-subtree hashes live in a dict; the same code paths as the ledger.

    Used by tests, benchmarks and by exports that assemble proofs for a fixed set of entries.
    """

    def __init__(self) -> None:
        self._nodes: dict[Node, bytes] = {}
        self._size = 0

    @classmethod
    def from_entries(cls, entries: Iterable[bytes]) -> InMemoryTree:
        """A tree holding ``entries`` in order."""
        tree = cls()
        for entry in entries:
            tree.append(entry)
        return tree

    def __len__(self) -> int:
        return self._size

    @property
    def size(self) -> int:
        """Number of leaves."""
        return self._size

    def get(self, level: int, index: int) -> bytes:
        """Hash of perfect subtree (level, index); KeyError if it is not complete yet."""
        return self._nodes[level, index]

    def append(self, entry: bytes) -> int:
        """Append ``entry`` (hashed as a leaf) and return its 0-based index."""
        return self.append_leaf_hash(leaf_hash(entry))

    def append_leaf_hash(self, leaf: bytes) -> int:
        """Append an already computed leaf hash and return its 0-based index."""
        index = self._size
        for level, node_index, h in append_nodes(index, leaf, self.get):
            self._nodes[level, node_index] = h
        self._size = index + 1
        return index

    def leaf_hash(self, index: int) -> bytes:
        """Leaf hash of entry ``index``."""
        _check_inclusion_args(index, self._size)
        return self._nodes[0, index]

    def _size_or_current(self, size: int | None) -> int:
        if size is None:
            return self._size
        _check_size("size", size)
        if size > self._size:
            raise ValueError(f"size {size} exceeds the tree's {self._size} leaves")
        return size

    def root(self, size: int | None = None) -> bytes:
        """Tree hash at ``size`` (default: current size)."""
        return root(self._size_or_current(size), self.get)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """Audit path for leaf ``index`` in the tree of ``size`` leaves (default: current)."""
        return inclusion_proof(index, self._size_or_current(size), self.get)

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """Consistency proof from ``old_size`` to ``new_size`` (default: current size)."""
        return consistency_proof(old_size, self._size_or_current(new_size), self.get)
