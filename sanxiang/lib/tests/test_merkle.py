"""RFC 9162 Merkle tree: roots and proofs against the RFC's own definitions, published test
vectors, pymerkle 7.0.0 (dev-only oracle) and tampering."""

from __future__ import annotations

import base64
import hashlib
from functools import cache

import pymerkle
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.lib import merkle
from sanxiang.lib.merkle import (
    EMPTY_ROOT,
    InMemoryTree,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    verify_consistency,
    verify_inclusion,
)

# --- an independent reference, written from RFC 9162 §2.1 definitions ----------------------


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def split(n: int) -> int:
    """The largest power of two smaller than n (RFC 9162 §2.1.1: k < n <= 2k)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d: list[bytes]) -> bytes:
    """MTH(D_n), RFC 9162 §2.1.1."""
    if len(d) == 0:
        return sha256(b"")
    if len(d) == 1:
        return sha256(b"\x00" + d[0])
    k = split(len(d))
    return sha256(b"\x01" + mth(d[:k]) + mth(d[k:]))


def path(m: int, d: list[bytes]) -> list[bytes]:
    """PATH(m, D_n), RFC 9162 §2.1.3.1."""
    if len(d) == 1:
        return []
    k = split(len(d))
    if m < k:
        return path(m, d[:k]) + [mth(d[k:])]
    return path(m - k, d[k:]) + [mth(d[:k])]


def proof(m: int, d: list[bytes]) -> list[bytes]:
    """PROOF(m, D_n) = SUBPROOF(m, D_n, true), RFC 9162 §2.1.4.1."""
    return subproof(m, d, True)


def subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    if m == len(d):
        return [] if b else [mth(d)]
    k = split(len(d))
    if m <= k:
        return subproof(m, d[:k], b) + [mth(d[k:])]
    return subproof(m - k, d[k:], False) + [mth(d[:k])]


def reference_inclusion_ok(index: int, size: int, leaf: bytes, p: list[bytes], root: bytes):
    """A second verifier: run PATH's recursion backwards (as Go's tlog.runRecordProof)."""

    def run(p: list[bytes], lo: int, hi: int) -> bytes:
        if hi - lo == 1:
            if p:
                raise ValueError
            return leaf
        if not p:
            raise ValueError
        k = split(hi - lo)
        if index < lo + k:
            return sha256(b"\x01" + run(p[:-1], lo, lo + k) + p[-1])
        return sha256(b"\x01" + p[-1] + run(p[:-1], lo + k, hi))

    if not 0 <= index < size:
        return False
    try:
        return run(list(p), 0, size) == root
    except ValueError:
        return False


def reference_consistency_ok(m: int, n: int, old: bytes, new: bytes, p: list[bytes]) -> bool:
    """A second verifier: run SUBPROOF's recursion backwards (as Go's tlog.runTreeProof)."""

    def run(p: list[bytes], lo: int, hi: int) -> tuple[bytes, bytes]:
        if m == hi:
            if lo == 0:  # SUBPROOF(m, D_m, true): the old tree itself, known to the verifier
                if p:
                    raise ValueError
                return old, old
            if len(p) != 1:
                raise ValueError
            return p[0], p[0]
        if not p:
            raise ValueError
        k = split(hi - lo)
        if m <= lo + k:
            old_hash, new_hash = run(p[:-1], lo, lo + k)
            return old_hash, sha256(b"\x01" + new_hash + p[-1])
        old_hash, new_hash = run(p[:-1], lo + k, hi)
        return sha256(b"\x01" + p[-1] + old_hash), sha256(b"\x01" + p[-1] + new_hash)

    if not 0 < m < n:
        return False
    try:
        return run(list(p), 0, n) == (old, new)
    except ValueError:
        return False


# --- shared data ----------------------------------------------------------------------------

N = 3000
ENTRIES = [f"事件 {i}".encode() + i.to_bytes(4, "big") for i in range(N)]
TREE = InMemoryTree.from_entries(ENTRIES)
PYMERKLE = pymerkle.InmemoryTree()
for _entry in ENTRIES:
    PYMERKLE.append_entry(_entry)

INTERESTING_SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 1023, 1024, 1025, 2047]
sizes = st.one_of(st.integers(1, N), st.sampled_from(INTERESTING_SIZES))


@cache
def ref_root(n: int) -> bytes:
    return mth(ENTRIES[:n])


@st.composite
def leaf_in_tree(draw) -> tuple[int, int]:
    n = draw(sizes)
    return draw(st.integers(0, n - 1)), n


@st.composite
def two_sizes(draw) -> tuple[int, int]:
    n = draw(sizes)
    return draw(st.integers(1, n)), n


def flip(h: bytes, bit: int = 0) -> bytes:
    return bytes([h[0] ^ (1 << bit)]) + h[1:]


FAST = settings(max_examples=120, deadline=None)


# --- known answers --------------------------------------------------------------------------

# RFC 6962 test data as published by transparency-dev/merkle (testonly/constants.go and
# proof/verify_test.go): eight leaf inputs and the tree hash of every prefix.
CT_LEAVES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# (0-based index, size, audit path); transparency-dev lists 1-based leaf numbers.
CT_INCLUSION = [
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
CT_CONSISTENCY = [
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]


def test_roots_match_the_published_rfc6962_vectors():
    tree = InMemoryTree.from_entries(CT_LEAVES)
    assert EMPTY_ROOT.hex() == CT_ROOTS[0]
    assert [tree.root(n).hex() for n in range(9)] == CT_ROOTS


@pytest.mark.parametrize(("index", "size", "expected"), CT_INCLUSION)
def test_audit_paths_match_the_published_vectors(index, size, expected):
    tree = InMemoryTree.from_entries(CT_LEAVES)
    assert [h.hex() for h in tree.inclusion_proof(index, size)] == expected
    assert verify_inclusion(
        index, size, leaf_hash(CT_LEAVES[index]), tree.inclusion_proof(index, size), tree.root(size)
    )


@pytest.mark.parametrize(("old", "new", "expected"), CT_CONSISTENCY)
def test_consistency_proofs_match_the_published_vectors(old, new, expected):
    tree = InMemoryTree.from_entries(CT_LEAVES)
    assert [h.hex() for h in tree.consistency_proof(old, new)] == expected
    assert verify_consistency(
        old, new, tree.root(old), tree.root(new), [bytes.fromhex(h) for h in expected]
    )


# A real Certificate Transparency log: Google Argon 2020 responses stored by Go's
# golang.org/x/mod/sumdb/tlog (testdata/argon2020/*.json, used by its ct_test.go):
# entry 10000 of the tree of 961984013 leaves, and the consistency proof from 3654490.
ARGON_ROOT = "dwlueapdd7LaOEnX2W2Wp9v2XE+KzejHRQGHwEx0oaM="
ARGON_SIZE = 961984013
ARGON_LEAF_INPUT = (
    "AAAAAAFelPhqUwAAAAViMIIFXjCCBEagAwIBAgIRAOodHzZdqWIFzYyl/SovhCMwDQYJKoZIhvcNAQELBQAwgZAxCzAJ"
    "BgNVBAYTAkdCMRswGQYDVQQIExJHcmVhdGVyIE1hbmNoZXN0ZXIxEDAOBgNVBAcTB1NhbGZvcmQxGjAYBgNVBAoTEUNP"
    "TU9ETyBDQSBMaW1pdGVkMTYwNAYDVQQDEy1DT01PRE8gUlNBIERvbWFpbiBWYWxpZGF0aW9uIFNlY3VyZSBTZXJ2ZXIg"
    "Q0EwHhcNMTcwMjE1MDAwMDAwWhcNMjAwNDE2MjM1OTU5WjBfMSEwHwYDVQQLExhEb21haW4gQ29udHJvbCBWYWxpZGF0"
    "ZWQxHTAbBgNVBAsTFFBvc2l0aXZlU1NMIFdpbGRjYXJkMRswGQYDVQQDDBIqLmxhbmRsb3Jkcy5jb20uYXUwggEiMA0G"
    "CSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQCtPBKKHj4zdrGlCjgTHzb5gx9JCs97DwvBz60f14gDufF2haWbOxyJ0a3o"
    "pAMsZnOr8HkARVCwxdqG/PTfACcb0QM7FOlzvxGqxataTYiChwvkkif8F9GlJw69HuHgzhusPf1Ytfk3ps1PRC14Mkyr"
    "S4kwPrk/Le4XdkqRpRw62wG4V6IkbzsNMEOl1H8EgUbfyapdOcVxHjIzvBVy56fBRKG05Fr5wNq3Acak5kYZdNsLhhml"
    "rqAfAjiombW3hb3V5blJdRC0BDdYHv2+zKey6LqJ1FDoXo6IzbzPpC+aifZy47YX+/N1U64Qn5xlDg7mOP8JXfkNJHbU"
    "1TJZHif5AgMBAAGjggHhMIIB3TAfBgNVHSMEGDAWgBSQr2o6lFoL2JDqElZz30O0Oija5zAdBgNVHQ4EFgQUNQSLjkoz"
    "01I+iuuoC5lgEp0anhcwDgYDVR0PAQH/BAQDAgWgMAwGA1UdEwEB/wQCMAAwHQYDVR0lBBYwFAYIKwYBBQUHAwEGCCsG"
    "AQUFBwMCME8GA1UdIARIMEYwOgYLKwYBBAGyMQECAgcwKzApBggrBgEFBQcCARYdaHR0cHM6Ly9zZWN1cmUuY29tb2Rv"
    "LmNvbS9DUFMwCAYGZ4EMAQIBMFQGA1UdHwRNMEswSaBHoEWGQ2h0dHA6Ly9jcmwuY29tb2RvY2EuY29tL0NPTU9ET1JT"
    "QURvbWFpblZhbGlkYXRpb25TZWN1cmVTZXJ2ZXJDQS5jcmwwgYUGCCsGAQUFBwEBBHkwdzBPBggrBgEFBQcwAoZDaHR0"
    "cDovL2NydC5jb21vZG9jYS5jb20vQ09NT0RPUlNBRG9tYWluVmFsaWRhdGlvblNlY3VyZVNlcnZlckNBLmNydDAkBggr"
    "BgEFBQcwAYYYaHR0cDovL29jc3AuY29tb2RvY2EuY29tMC8GA1UdEQQoMCaCEioubGFuZGxvcmRzLmNvbS5hdYIQbGFu"
    "ZGxvcmRzLmNvbS5hdTANBgkqhkiG9w0BAQsFAAOCAQEACyHqxUzrexToY7tOv4+kyGPP2D27P1tQpyzeAl1bPObiMhNK"
    "2b9vvBLDWAaqm8c0YL1h+DBdLoWzf3xFsIkTCVCjWJTNSNlcYtgRk6or1s7jWsfXzWqsnPjPPmTIOCw7EfH7Yme3oxPs"
    "3UUsmShAgPwNohAtL9GqlqMiKM6v1WU3NHt01jEoNP23LRa6KeNK6AH6WHJykzL223IlhgXjHTeuQj6lR+TNrQXJuhwT"
    "XYe+20rrpPQxc1Pn7AqnvfWgmicRQ7gdIcr4V6+ecTvLfNOaJ0ZYe5G5giuAAdTm7F57pk04f4gyZNYKrj88mvbkoriN"
    "8b6jcWExtrYO6bm2TwAA"
)
ARGON_AUDIT_PATH = """
T46AmJsuOM/gFiGlUp+IJJebp+1Z5qratFNW7U0JyOQ= 9Jj1Feodn42uRYEfffkV4HF/EIPFQ5Zo9IwkxbQ2uhk=
D53/1oCNebF4J59HHgioovKZxrmrKcVuCVhy3Izg8Ck= wSFDgGSrsXRPA+1c8WHoAFCsWeUv8NDyP/Q/SgsyVyY=
516/RcwsgdwdzHn18v1dJHqBkgFUbNhmCIWOGjsMJaE= naTFY2ajLFgrgs5XUl+zJYZnnlJksLGsA1VYwpLfqbY=
mKBRJo6qao+0Kdh/rhGkZUbHUAxMhrtrclrTpIbNjIg= Co4ueOFE7lpifLio94irxxsv1wFMMaK3tPu2ZQkHlro=
yRgy800K6JMYCC05sWfqF2kvCg2riT/pVM+nEa6V5+0= n2O38XJZC8/Wpbwi9HhgVizlUyeUHVZvYyQB1607MRc=
go3tAjuNfNSCj87y2Rg1xOroDknGN1eaf3cgvzObf7Q= 8D0Mj3/J7ySSnFb0afIHYXv6rlOhECnsebY6XKi1IR8=
6rcez46ZU8M5vPiWVMAUfJfAOV0pPP/mch/lYzZhj/M= 2rtIeXrPvSdUyHc5maIgSAVB2BzaKaupWxSAiVayDE4=
nniW/IMFQPN5xw8UsHFn7CRStYbm1gLu7NNa6kkRqJQ= mRPPi7sQS22MduIEyvcNzCNFqIt6kLwYPkNKrVtIcu8=
JvTivzESNS9wHI8aph5a7uieVmtS/p9PciMZ5D6GyOo= UTyQd+Ym0wY4zG+qK806bBORwi1CSVvFQ/KknnqoZj8=
hXODrqN+ff+U6zPqRQ+ZQKs6im1fPcxIerDSfNwflhE= II6GE+WY/DrpZzfHztLwkR46o37zVkNLCyPYlf68zA0=
d609kWWcNBllbA8Jb/ad4XAVVGnScLRmtP8FYyr+Dck= rikBsP0G0gioXRpBFED2CzQdSLrGPvRd0bEcbEZw1rI=
GXIElfmnRuWfbA4z7ubV/UwlpSRUbUeec7oL5HDDnh0= pR0SH/NYP6s9+8azWwaeUXA4Ze/3WCIgMfh5YW6wvcE=
f3GuAKYVrF8RBg3s15jvA/YvV9oAliWtzP/imwPhQVA= WHn8zDxlVgkV+lSlmzaOdfSBrTHoRr5nT3d76q0KKWE=
f2uV2ZxVgULzLPKuZcowRY3ZY7fRlX59iDBjV1R8kNQ= NzQVjJsvQwbi7WStMr9oFkh9VbHfK7LB6o7WwAqwNTs=
C0LttBeYHZHgL+032JIcJC3CTBIyza/hsbmJUgJfmDI= nixU5CWTFVDlF4BGdcU6kA7WSYurEpe9jRWc+F/7sOc=
"""
ARGON_OLD_SIZE = 3654490
ARGON_OLD_ROOT = "AuIZ5V6sDUj1vn3Y1K85oOaQ7y+FJJKtyRTl1edIKBQ="
ARGON_CONSISTENCY = """
80Sfbj6UQEdVSZCSIgh9NMPj3vCBzcc1A48B2crJSWg= FZcrgAHUk6nNPviJZq8kEK6jCG1d18pJOFE45ZDc1TQ=
Q67reWXmPBo1UfmwBap4Xi9PMPfFdUSSw3WGlRZdG7k= eJ7CyhR4PxzBxDIsWgrVYW1eFUb9ndgf46tFmiqVrxA=
QrDwp062Grm5WY8KdrhFsBuuNjGzRox2Jb8PmVL5OYw= XM4YMjMEdLH/XJam/ZWyaP14k3cmsOtnPsOWQ54lW1s=
SGiBh+jOTGccXU48ZzgQ88lRcBmtB4wz4oSDndv2QTg= WAS6txqNLYKGL1GdBdpqmV42TTfn6cJsuDsqLXuTCNI=
QFmRS0rirUA7ZN3lxFjDncV+E1OCrn3NUB4RCp+5fzc= Hdbp7It2XBNZmNDBpCN/KPd7vfVqxgzwOosqVIaEA9E=
mxvHL0ZiblBdD7j7pIa1jlfB0gSqfJ6oX0UGo7L0VsU= q5hjyvoW6TL/PThgcitpDcSTrnKX2p1+aqscqH2euRA=
jTOWDqt3IHj2NVFeezyBz2ofpru+ztEywqKUAfFclKI= GIRn0w3HqJdvU9j1WVD//eR6lk2AaTVjyzjsJNP8U88=
x52GJvxG81fnQBrgOTbll1A5tz95/LXK0Ag1NhB0r1I= 6/0OqrcTgc3o5dD5PymmoC96lB9yLPFuTHVvLy8fSGk=
Gf+iKLfcXO5l4JEFmsZvSdG5q1uEeWPfYLrds6pmjz0= DGuaco+McyM3AfRSF6qX7RwSetwe2ieYJmxw5e9rVx0=
2tQJ9V32hnYp+fdpP6TcjmgJmLeNVOMKM0Ml1kk4cNU= 3PapK+IkyJr8I9yAErAmzuZezzLMzsg+PfeRCgNW8NQ=
s6xiYeejb+wtqHA+URJZ2I/SCPyIW8coP6aB00FJbMY= z9lSpmdTcr5M5ZzKlc4EPh3SrSypKFdk6JUF/UccaZU=
GXIElfmnRuWfbA4z7ubV/UwlpSRUbUeec7oL5HDDnh0= pR0SH/NYP6s9+8azWwaeUXA4Ze/3WCIgMfh5YW6wvcE=
f3GuAKYVrF8RBg3s15jvA/YvV9oAliWtzP/imwPhQVA= WHn8zDxlVgkV+lSlmzaOdfSBrTHoRr5nT3d76q0KKWE=
f2uV2ZxVgULzLPKuZcowRY3ZY7fRlX59iDBjV1R8kNQ= NzQVjJsvQwbi7WStMr9oFkh9VbHfK7LB6o7WwAqwNTs=
C0LttBeYHZHgL+032JIcJC3CTBIyza/hsbmJUgJfmDI= nixU5CWTFVDlF4BGdcU6kA7WSYurEpe9jRWc+F/7sOc=
"""


def b64_hashes(text: str) -> list[bytes]:
    return [base64.b64decode(h) for h in text.split()]


def test_real_certificate_transparency_inclusion_proof_verifies():
    leaf = leaf_hash(base64.b64decode(ARGON_LEAF_INPUT))
    root = base64.b64decode(ARGON_ROOT)
    audit_path = b64_hashes(ARGON_AUDIT_PATH)
    assert verify_inclusion(10000, ARGON_SIZE, leaf, audit_path, root)
    assert not verify_inclusion(10001, ARGON_SIZE, leaf, audit_path, root)
    assert not verify_inclusion(10000, ARGON_SIZE, leaf, audit_path, flip(root))


def test_real_certificate_transparency_consistency_proof_verifies():
    old, new = base64.b64decode(ARGON_OLD_ROOT), base64.b64decode(ARGON_ROOT)
    cons = b64_hashes(ARGON_CONSISTENCY)
    assert verify_consistency(ARGON_OLD_SIZE, ARGON_SIZE, old, new, cons)
    assert not verify_consistency(ARGON_OLD_SIZE + 1, ARGON_SIZE, old, new, cons)
    assert not verify_consistency(ARGON_OLD_SIZE, ARGON_SIZE, new, old, cons)


# --- agreement with the RFC definitions -----------------------------------------------------


def test_every_root_and_proof_of_small_trees_equals_the_rfc_definitions():
    entries = ENTRIES[:40]
    tree = InMemoryTree.from_entries(entries)
    for n in range(0, 41):
        assert tree.root(n) == mth(entries[:n])
        for i in range(n):
            assert tree.inclusion_proof(i, n) == path(i, entries[:n])
        for m in range(1, n):
            assert tree.consistency_proof(m, n) == proof(m, entries[:n])


@FAST
@given(leaf_in_tree())
def test_root_and_audit_path_equal_the_rfc_definitions(case):
    index, n = case
    assert TREE.root(n) == ref_root(n)
    assert TREE.inclusion_proof(index, n) == path(index, ENTRIES[:n])


@FAST
@given(two_sizes())
def test_consistency_proof_equals_the_rfc_definition(case):
    m, n = case
    expected = [] if m == n else proof(m, ENTRIES[:n])
    assert TREE.consistency_proof(m, n) == expected
    assert verify_consistency(m, n, ref_root(m), ref_root(n), expected)


@FAST
@given(leaf_in_tree())
def test_root_and_audit_path_equal_pymerkle(case):
    index, n = case
    assert TREE.root(n) == PYMERKLE.get_root(n)
    # pymerkle's path is [leaf hash] + the RFC 9162 audit path (its indexes are 1-based).
    assert PYMERKLE.prove_inclusion(index + 1, n).path == [
        TREE.leaf_hash(index),
        *TREE.inclusion_proof(index, n),
    ]


@FAST
@given(two_sizes())
def test_pymerkle_accepts_consistency_between_our_roots(case):
    # pymerkle's consistency path uses its own layout (not RFC 9162's), so it serves as an
    # oracle for the roots and the relation, the RFC definitions above for the bytes.
    m, n = case
    pymerkle.verify_consistency(TREE.root(m), TREE.root(n), PYMERKLE.prove_consistency(m, n))
    with pytest.raises(pymerkle.InvalidProof):
        pymerkle.verify_consistency(
            flip(TREE.root(m)), TREE.root(n), PYMERKLE.prove_consistency(m, n)
        )


# --- tampering ------------------------------------------------------------------------------


@FAST
@given(leaf_in_tree(), st.data())
def test_inclusion_proof_fails_for_anything_but_the_right_leaf_index_size_and_root(case, data):
    index, n = case
    leaf, root, p = TREE.leaf_hash(index), TREE.root(n), TREE.inclusion_proof(index, n)
    assert verify_inclusion(index, n, leaf, p, root)
    assert reference_inclusion_ok(index, n, leaf, p, root)

    assert not verify_inclusion(index, n, leaf_hash(b"other entry"), p, root)
    assert not verify_inclusion(index, n, flip(leaf), p, root)
    assert not verify_inclusion(index, n, leaf, p, flip(root))
    assert not verify_inclusion(index, n, leaf, p, EMPTY_ROOT)
    for wrong in {index - 1, index + 1, index ^ 1, index ^ 2, n, n + 1}:
        if wrong != index:
            assert not verify_inclusion(wrong, n, leaf, p, root)
    for wrong_size in {2 * n, n // 2, index}:
        if wrong_size != n:
            assert not verify_inclusion(index, wrong_size, leaf, p, root)
    # Any other size: the proof only fixes the shape of the path, so a size with the same
    # shape is accepted by RFC 9162's algorithm; the signed checkpoint binds the real size.
    other = data.draw(st.integers(index + 1, 2 * N))
    assert verify_inclusion(index, other, leaf, p, root) == reference_inclusion_ok(
        index, other, leaf, p, root
    )

    if p:
        assert not verify_inclusion(index, n, leaf, p[:-1], root)
        assert not verify_inclusion(index, n, leaf, p[1:], root)
        for k in range(len(p)):
            assert not verify_inclusion(index, n, leaf, [*p[:k], flip(p[k], 3), *p[k + 1 :]], root)
    assert not verify_inclusion(index, n, leaf, [*p, root], root)
    assert not verify_inclusion(index, n, leaf, [*p, leaf], root)
    assert not verify_inclusion(index, n, leaf, [root, *p], root)


@FAST
@given(two_sizes().filter(lambda c: c[0] < c[1]), st.data())
def test_consistency_proof_fails_for_anything_but_the_right_sizes_and_roots(case, data):
    m, n = case
    old, new, p = TREE.root(m), TREE.root(n), TREE.consistency_proof(m, n)
    assert verify_consistency(m, n, old, new, p)
    assert reference_consistency_ok(m, n, old, new, p)

    assert not verify_consistency(m, n, flip(old), new, p)
    assert not verify_consistency(m, n, old, flip(new), p)
    assert not verify_consistency(m, n, new, old, p)
    assert not verify_consistency(n, m, old, new, p)
    assert not verify_consistency(m, n, old, new, [])
    assert not verify_consistency(m, n, old, new, p[:-1])
    assert not verify_consistency(m, n, old, new, p[1:])
    for extra in (old, new, p[0]):
        assert not verify_consistency(m, n, old, new, [*p, extra])
        assert not verify_consistency(m, n, old, new, [extra, *p])
    for k in range(len(p)):
        assert not verify_consistency(m, n, old, new, [*p[:k], flip(p[k], 4), *p[k + 1 :]])
    assert not verify_consistency(m, 2 * n, old, new, p)
    # Other sizes: RFC 9162's algorithm and the recursive reference must agree.
    other_m = data.draw(st.integers(1, n))
    other_n = data.draw(st.integers(m, 2 * N))
    for mm, nn in ((other_m, n), (m, other_n)):
        assert verify_consistency(mm, nn, old, new, p) == reference_consistency_ok(
            mm, nn, old, new, p
        )


def test_consistency_edge_cases_outside_the_rfc_range():
    root5 = TREE.root(5)
    # Equal sizes: consistent iff the roots are equal and there is nothing to prove.
    assert verify_consistency(5, 5, root5, root5, [])
    assert not verify_consistency(5, 5, root5, TREE.root(6), [])
    assert not verify_consistency(5, 5, root5, root5, [root5])
    assert verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    assert not verify_consistency(0, 0, root5, root5, [])
    # The empty tree is a prefix of every tree, but only with the empty tree's hash.
    assert verify_consistency(0, 5, EMPTY_ROOT, root5, [])
    assert not verify_consistency(0, 5, root5, root5, [])
    assert not verify_consistency(0, 5, EMPTY_ROOT, root5, [root5])
    # Time does not run backwards.
    assert not verify_consistency(6, 5, TREE.root(6), root5, TREE.consistency_proof(5, 6))
    assert TREE.consistency_proof(0, 7) == []
    assert TREE.consistency_proof(7, 7) == []


@pytest.mark.parametrize(
    "args",
    [
        (-1, 5),
        (5, 5),
        (6, 5),
        (0, 0),
        (True, 5),
        ("0", 5),
        (0, 5.0),
    ],
)
def test_verify_inclusion_returns_false_for_impossible_positions(args):
    index, size = args
    assert not verify_inclusion(index, size, TREE.leaf_hash(0), [], TREE.leaf_hash(0))


@pytest.mark.parametrize(
    ("leaf", "p", "root"),
    [
        (b"short", [], leaf_hash(b"a")),
        (leaf_hash(b"a"), [], "not bytes"),
        (leaf_hash(b"a"), [b"\x00" * 31], leaf_hash(b"a")),
        (leaf_hash(b"a"), "not a list", leaf_hash(b"a")),
        (leaf_hash(b"a"), [None], leaf_hash(b"a")),
    ],
)
def test_verifiers_never_raise_on_malformed_hashes(leaf, p, root):
    assert verify_inclusion(0, 2, leaf, p, root) is False
    assert verify_consistency(1, 2, leaf, root, p) is False


# --- the stored-subtree model ---------------------------------------------------------------


def test_appending_stores_exactly_the_completed_perfect_subtrees():
    tree = InMemoryTree()
    for n in range(1, 130):
        tree.append(ENTRIES[n - 1])
        expected = {(lvl, i) for lvl in range(8) for i in range(n >> lvl)}
        assert set(tree._nodes) == expected
        assert tree._nodes[0, n - 1] == leaf_hash(ENTRIES[n - 1])


def test_append_nodes_reports_the_leaf_and_its_completed_parents():
    tree = InMemoryTree.from_entries(ENTRIES[:7])
    leaf = leaf_hash(ENTRIES[7])
    completed = merkle.append_nodes(7, leaf, tree.get)
    assert [(lvl, i) for lvl, i, _ in completed] == [(0, 7), (1, 3), (2, 1), (3, 0)]
    assert completed[-1][2] == mth(ENTRIES[:8])
    assert merkle.nodes_for_append(7) == [(0, 6), (1, 2), (2, 0)]
    assert merkle.append_nodes(8, leaf, tree.get) == [(0, 8, leaf)]


class CountingStore:
    """A getter that records what it was asked for; its hashes are made up, not computed."""

    def __init__(self) -> None:
        self.reads: list[tuple[int, int]] = []

    def __call__(self, level: int, index: int) -> bytes:
        self.reads.append((level, index))
        return sha256(f"{level}/{index}".encode())


@pytest.mark.parametrize("size", [1, 2, 3, 1000, 1_000_000, 10**12, 2**62 + 12345])
def test_root_and_proofs_read_only_logarithmically_many_stored_nodes(size):
    budget = 2 * size.bit_length() + 2
    for index in {0, size // 3, size - 1}:
        store = CountingStore()
        inclusion_proof(index, size, store)
        assert len(store.reads) <= budget
        assert set(store.reads) == set(merkle.nodes_for_inclusion(index, size))
    for old in {1, size // 2, size - 1, size}:
        store = CountingStore()
        consistency_proof(old, size, store)
        assert len(store.reads) <= budget
        assert set(store.reads) == set(merkle.nodes_for_consistency(old, size))
    store = CountingStore()
    merkle.root(size, store)
    assert store.reads == merkle.nodes_for_root(size)
    assert len(store.reads) == bin(size).count("1")


def test_proofs_from_a_prefetched_dict_equal_proofs_from_the_store():
    index, n = 1234, 2999
    rows = {node: TREE.get(*node) for node in merkle.nodes_for_inclusion(index, n)}
    assert inclusion_proof(index, n, lambda lvl, i: rows[lvl, i]) == TREE.inclusion_proof(index, n)
    rows = {node: TREE.get(*node) for node in merkle.nodes_for_consistency(1000, n)}
    assert consistency_proof(1000, n, lambda lvl, i: rows[lvl, i]) == TREE.consistency_proof(
        1000, n
    )
    rows = {node: TREE.get(*node) for node in merkle.nodes_for_root(n)}
    assert merkle.root(n, lambda lvl, i: rows[lvl, i]) == TREE.root(n)


@pytest.mark.parametrize(
    "call",
    [
        lambda: inclusion_proof(5, 5, TREE.get),
        lambda: inclusion_proof(-1, 5, TREE.get),
        lambda: inclusion_proof(0, 0, TREE.get),
        lambda: consistency_proof(6, 5, TREE.get),
        lambda: consistency_proof(-1, 5, TREE.get),
        lambda: merkle.root(-1, TREE.get),
        lambda: TREE.root(N + 1),
        lambda: TREE.inclusion_proof(0, N + 1),
        lambda: TREE.leaf_hash(N),
        lambda: merkle.append_nodes(0, b"short", TREE.get),
    ],
)
def test_proof_generation_refuses_impossible_requests(call):
    with pytest.raises(ValueError):
        call()


def test_hash_functions_use_the_rfc_domain_separation_prefixes():
    assert leaf_hash(b"x") == sha256(b"\x00x")
    assert node_hash(b"L" * 32, b"R" * 32) == sha256(b"\x01" + b"L" * 32 + b"R" * 32)
    assert EMPTY_ROOT == sha256(b"")
    assert len(TREE) == TREE.size == N
