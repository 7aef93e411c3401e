"""Node keys (Go tlog stored hash index over level >= 1) and the streaming tree builder."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanxiang.ledger import tree
from sanxiang.lib import merkle


def test_node_keys_are_dense_and_in_append_order():
    key = 0
    for m in range(3000):
        parents = merkle.append_nodes(m, b"\x00" * 32, lambda level, index: b"\x00" * 32)[1:]
        for level, index, _ in parents:
            assert tree.node_key(level, index) == key
            assert tree.split_node_key(key) == (level, index)
            key += 1
        assert tree.node_keys_before(m + 1) == key


def test_go_stored_hash_index_matches_the_published_formula():
    # golang.org/x/mod/sumdb/tlog: StoredHashIndex(0, n) for n = 0..7 and a few higher levels
    assert [tree.stored_index(0, n) for n in range(8)] == [0, 1, 3, 4, 7, 8, 10, 11]
    assert tree.stored_index(1, 0) == 2 and tree.stored_index(2, 0) == 6
    assert tree.stored_index(1, 1) == 5 and tree.stored_index(3, 0) == 14


def test_level_zero_has_no_node_key():
    with pytest.raises(ValueError):
        tree.node_key(0, 5)


@given(st.lists(st.binary(max_size=40), max_size=300))
def test_builder_agrees_with_the_in_memory_tree(entries):
    builder = tree.TreeBuilder()
    reference = merkle.InMemoryTree()
    for n, entry in enumerate(entries):
        leaf = merkle.leaf_hash(entry)
        completed = builder.append(leaf)
        expected = merkle.append_nodes(n, leaf, reference.get)
        reference.append_leaf_hash(leaf)
        assert completed == [h for _, _, h in expected]
        assert builder.root() == reference.root()
    assert builder.root() == (reference.root() if entries else hashlib.sha256(b"").digest())


def test_builder_resumes_from_a_compact_range():
    reference = merkle.InMemoryTree.from_entries(bytes([i]) for i in range(13))
    frontier = [reference.get(*node) for node in merkle.nodes_for_root(13)]
    builder = tree.TreeBuilder(13, frontier)
    builder.append(merkle.leaf_hash(b"x"))
    reference.append(b"x")
    assert builder.root() == reference.root()
