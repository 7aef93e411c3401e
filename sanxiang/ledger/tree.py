"""Where the ledger keeps its Merkle tree: one row per perfect subtree, keyed by a dense index.

RFC 9162 §2.1 defines the tree; ``sanxiang.lib.merkle`` computes with *perfect subtrees*
(level, index) — level 0 are the leaf hashes. Each one is stored once, when its last leaf is
appended. Level 0 is ``ledger_event.leaf_hash`` (the row of entry ``index``); levels >= 1 are
rows of ``ledger_node`` under a single integer key.

The key is the *stored hash index* of Go's ``golang.org/x/mod/sumdb/tlog``
(``StoredHashIndex``) in the tree whose leaves are the level-1 nodes: appending leaf m
completes the nodes (0, m), (1, m>>1), … (t, m>>t), t = number of trailing 1-bits of m, and
the ones from level 1 up get the next t integers. In a tree of n leaves there are
``nodes_before(n // 2)`` stored nodes, with nodes_before(k) = 2k − popcount(k), and

    node_key(level, index) = nodes_before(m) + level − 1,   m = (index + 1) · 2^(level−1) − 1.

The key is a bijection with (level >= 1, index), so the primary key is the uniqueness
constraint on (level, index); and rows sorted by key are in append order, which lets
``ledger verify`` stream the stored tree alongside the events in constant memory.
"""

from __future__ import annotations

import hashlib

from sanxiang.lib import merkle

_sha256 = hashlib.sha256


def nodes_before(leaves: int) -> int:
    """Go tlog's count of stored hashes of a tree of ``leaves`` leaves: 2n − popcount(n)."""
    return 2 * leaves - leaves.bit_count()


def stored_index(level: int, index: int) -> int:
    """Go tlog StoredHashIndex(level, index): the dense append-order number of a subtree."""
    last_leaf = ((index + 1) << level) - 1
    return nodes_before(last_leaf) + level


def split_stored_index(key: int) -> tuple[int, int]:
    """Inverse of :func:`stored_index` (Go tlog SplitStoredHashIndex)."""
    if key < 0:
        raise ValueError("stored index must be non-negative")
    # nodes_before(m) <= key < nodes_before(m + 1); nodes_before(m) is 2m minus a small
    # popcount, so start from key // 2 and step (at most log2 steps).
    m = key // 2
    while nodes_before(m) > key:
        m -= 1
    while nodes_before(m + 1) <= key:
        m += 1
    level = key - nodes_before(m)
    return level, m >> level


def node_key(level: int, index: int) -> int:
    """The ``ledger_node`` key of perfect subtree (level, index), level >= 1."""
    if level < 1:
        raise ValueError("level-0 hashes are ledger_event.leaf_hash, not ledger_node rows")
    return stored_index(level - 1, index)


def split_node_key(key: int) -> tuple[int, int]:
    """(level, index) of a ``ledger_node`` key."""
    level, index = split_stored_index(key)
    return level + 1, index


def node_keys_before(leaves: int) -> int:
    """Number of ``ledger_node`` rows of a tree of ``leaves`` leaves (first key of leaf n's)."""
    return nodes_before(leaves >> 1)


class TreeBuilder:
    """Rebuilds the tree leaf by leaf in O(log n) memory (a compact range of the right edge).

    ``append(leaf)`` returns the hashes of the perfect subtrees the leaf completes, lowest
    first — exactly the ``ledger_node`` rows the append stored, in key order.
    """

    __slots__ = ("size", "_stack")

    def __init__(self, size: int = 0, frontier: list[bytes] | None = None) -> None:
        # _stack holds the hashes of the perfect subtrees tiling [0, size), largest first
        # (one per 1-bit of size) — merkle.nodes_for_root(size) in order.
        self.size = size
        self._stack: list[bytes] = list(frontier or [])
        if len(self._stack) != size.bit_count():
            raise ValueError("frontier must hold one hash per 1-bit of size")

    def append(self, leaf: bytes) -> list[bytes]:
        completed = [leaf]
        h = leaf
        n = self.size
        stack = self._stack
        while n & 1:
            h = _sha256(b"\x01" + stack.pop() + h).digest()
            completed.append(h)
            n >>= 1
        stack.append(h)
        self.size += 1
        return completed

    @property
    def frontier(self) -> list[bytes]:
        """The compact range: hashes of the perfect subtrees tiling [0, size), largest first."""
        return list(self._stack)

    def root(self) -> bytes:
        """MTH of the leaves so far (RFC 9162 §2.1.1): the right fold of the compact range."""
        if not self._stack:
            return merkle.EMPTY_ROOT
        h = self._stack[-1]
        for left in reversed(self._stack[:-1]):
            h = _sha256(b"\x01" + left + h).digest()
        return h
