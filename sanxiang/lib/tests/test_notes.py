"""C2SP signed notes, checkpoints and tlog proofs: Go's test vectors, round trips, tampering."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.lib import merkle, notes
from sanxiang.lib.notes import (
    Checkpoint,
    InvalidSignatureError,
    MalformedError,
    NoteError,
    Signer,
    UnverifiedNoteError,
    VerificationError,
    Verifier,
    format_checkpoint,
    format_tlog_proof,
    open_note,
    parse_checkpoint,
    parse_signer_key,
    parse_tlog_proof,
    parse_verifier_key,
    sign_note,
)

# Test vectors of golang.org/x/mod/sumdb/note (note_test.go and the package documentation).
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_SIG = (
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotp"
    "RZb6KE6RyyBwJnAM=\n"
)
ENOCH_SIG = (
    "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox3"
    "3WWd1RvMc+QQ=\n"
)

PETER = parse_verifier_key(PETER_VKEY)
ENOCH = parse_verifier_key(ENOCH_VKEY)
LOG = Signer.from_seed("sanxiang.example/ledger", bytes(range(32)))
WITNESS = Signer.from_seed("witness.example/w1", bytes(range(32, 64)))


# --- keys -----------------------------------------------------------------------------------


def test_go_keys_parse_and_encode_back_identically():
    signer = parse_signer_key(PETER_SKEY)
    assert (signer.name, signer.key_id) == ("PeterNeumann", 0xC74F20A3)
    assert signer.encode() == PETER_SKEY
    assert signer.verifier == PETER
    assert PETER.encode() == PETER_VKEY
    assert str(ENOCH) == ENOCH_VKEY


@pytest.mark.parametrize("key", [PETER_VKEY, PETER_SKEY])
def test_every_substring_and_every_incremented_byte_of_a_key_is_refused(key):
    # The manglings of Go's TestNewVerifier / TestNewSigner.
    parse = parse_signer_key if key.startswith("PRIVATE") else parse_verifier_key
    for i in range(len(key) + 1):
        for j in range(i + 1, len(key) + 1):
            if (i, j) != (0, len(key)):
                with pytest.raises(MalformedError):
                    parse(key[i:j])
    for i in range(len(key)):
        mangled = key[:i] + chr(ord(key[i]) + 1) + key[i + 1 :]
        with pytest.raises(MalformedError):
            parse(mangled)


def test_keys_with_wrong_length_or_unknown_algorithm_are_refused_even_with_a_matching_id():
    # From Go's TestNewVerifier: the key ids are adjusted to match the bad key material.
    with pytest.raises(MalformedError):
        parse_verifier_key(
            "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="
        )
    with pytest.raises(MalformedError):
        parse_verifier_key("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")


def test_key_id_is_the_first_four_bytes_of_sha256_of_name_newline_type_and_key():
    import hashlib

    expected = hashlib.sha256(b"PeterNeumann\n\x01" + PETER.public_key).digest()[:4]
    assert notes.key_id("PeterNeumann", PETER.public_key) == int.from_bytes(expected, "big")


def test_generated_keys_round_trip_and_sign():
    skey, vkey = notes.generate_key("sanxiang.example/ledger")
    signer, verifier = parse_signer_key(skey), parse_verifier_key(vkey)
    assert signer.verifier == verifier
    assert open_note(sign_note("hi\n", signer), [verifier])[0] == "hi\n"
    assert skey.startswith("PRIVATE+KEY+sanxiang.example/ledger+")
    assert signer.seed.hex() not in repr(signer) and repr(signer.seed) not in repr(signer)


def test_ed25519_matches_rfc8032_test_1():
    seed = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    signer = Signer.from_seed("rfc8032", seed)
    assert signer.verifier.public_key.hex() == (
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    )
    assert signer.sign(b"").hex() == (
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    )


@pytest.mark.parametrize(
    "name",
    ["", "a+b", "a b", "a\tb", "a\u3000b", "a\u00a0b", "a\u2028b", "a\x01b", "\ud800"],
)
def test_invalid_key_names_are_refused(name):
    assert not notes.is_valid_name(name)
    with pytest.raises(MalformedError):
        Signer.from_seed(name, bytes(32))


def test_valid_key_names_include_urls_and_chinese():
    for name in ["PeterNeumann", "sanxiang.example/ledger", "人社局/执法日志", "a"]:
        assert notes.is_valid_name(name)


# --- signed notes ---------------------------------------------------------------------------


def test_signing_reproduces_gos_signed_note_byte_for_byte():
    assert sign_note(GO_TEXT, parse_signer_key(PETER_SKEY)) == GO_TEXT + "\n" + PETER_SIG


def test_open_returns_text_and_verified_signatures_ignoring_unknown_keys():
    note = GO_TEXT + "\n" + PETER_SIG + ENOCH_SIG
    text, sigs = open_note(note, [PETER])
    assert text == GO_TEXT
    assert [(s.name, s.key_id) for s in sigs] == [("PeterNeumann", 0xC74F20A3)]
    _, sigs = open_note(note.encode(), [PETER, ENOCH])
    assert [s.name for s in sigs] == ["PeterNeumann", "EnochRoot"]
    assert sigs[1].base64 == ENOCH_SIG.split()[-1]


def test_a_note_without_a_known_signature_is_refused():
    with pytest.raises(UnverifiedNoteError):
        open_note(GO_TEXT + "\n" + PETER_SIG + ENOCH_SIG, [])
    with pytest.raises(UnverifiedNoteError):
        open_note(GO_TEXT + "\n" + ENOCH_SIG, [PETER])


def test_a_bad_signature_by_a_known_key_rejects_the_whole_note():
    bad = PETER_SIG[:60] + "ABCD" + PETER_SIG[60:]  # Go's "Invalid signature" case
    with pytest.raises(InvalidSignatureError) as info:
        open_note(GO_TEXT + "\n" + bad, [PETER])
    assert (info.value.name, info.value.key_id) == ("PeterNeumann", 0xC74F20A3)
    # Even when another signature by the same key is good: every known signature is checked.
    with pytest.raises(InvalidSignatureError):
        open_note(GO_TEXT + "\n" + PETER_SIG + bad, [PETER])


def test_repeated_signatures_are_reported_once():
    _, sigs = open_note(GO_TEXT + "\n" + PETER_SIG + PETER_SIG + ENOCH_SIG, [PETER])
    assert len(sigs) == 1


@pytest.mark.parametrize(
    "note",
    [
        GO_TEXT,
        GO_TEXT + "\n",
        GO_TEXT + "\n" + PETER_SIG[:-1],
        "\x01" + GO_TEXT + "\n" + PETER_SIG,
        GO_TEXT
        + "\n"
        + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
        GO_TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
        GO_TEXT + "\n" + PETER_SIG.replace("—", "-"),
        GO_TEXT + "\n" + PETER_SIG.replace("=\n", "\n"),
        GO_TEXT + "\n" + "— PeterNeumann\n",
        GO_TEXT + "\n" + "— PeterNeumann AAAA\n",
        GO_TEXT.replace("\n", "\r\n", 1) + "\n" + PETER_SIG,
        GO_TEXT + "\n" + PETER_SIG * 101,
    ],
)
def test_malformed_notes_are_refused(note):
    # The first seven are Go's TestOpen "bad messages" and "too many signatures" cases.
    with pytest.raises(MalformedError):
        open_note(note, [PETER])


def test_invalid_utf8_is_refused():
    with pytest.raises(MalformedError):
        open_note(b"\xff" + (GO_TEXT + "\n" + PETER_SIG).encode(), [PETER])
    with pytest.raises(MalformedError):
        open_note("\ud800\n\n" + PETER_SIG, [PETER])


def one_byte_changes(data: bytes):
    for i in range(len(data)):
        for new in {data[i] ^ 0x01, data[i] ^ 0x20, data[i] ^ 0x80, (data[i] + 1) % 256}:
            yield data[:i] + bytes([new]) + data[i + 1 :]


@pytest.mark.parametrize(
    "note",
    [
        GO_TEXT + "\n" + PETER_SIG,
        sign_note(format_checkpoint("sanxiang.example/ledger", 7, bytes(range(32))), LOG),
        sign_note("案件登记\n\n多行\n", LOG),
    ],
)
def test_every_one_byte_change_of_a_signed_note_is_refused(note):
    verifiers = [PETER, LOG.verifier, WITNESS.verifier]
    open_note(note, verifiers)
    for changed in one_byte_changes(note.encode()):
        with pytest.raises(NoteError):
            open_note(changed, verifiers)


def test_a_one_byte_change_of_a_cosigned_note_never_passes_unnoticed():
    # Renaming one signer turns its line into an unknown key's signature, which the spec
    # says to ignore: the note still opens, but without that signer among the verified.
    note = sign_note("案件登记\n\n多行\n", LOG, WITNESS)
    verifiers = [LOG.verifier, WITNESS.verifier]
    for changed in one_byte_changes(note.encode()):
        try:
            text, sigs = open_note(changed, verifiers)
        except NoteError:
            continue
        assert text == "案件登记\n\n多行\n"
        assert len(sigs) == 1


note_texts = st.lists(
    st.text(st.characters(blacklist_categories=("Cs",), min_codepoint=0x20), max_size=30),
    min_size=1,
    max_size=6,
).map(lambda lines: "\n".join(lines) + "\n")


@settings(max_examples=80, deadline=None)
@given(note_texts, st.lists(st.sampled_from([LOG, WITNESS]), min_size=1, max_size=2, unique=True))
def test_sign_then_open_round_trips_any_text(text, signers):
    note = sign_note(text, *signers)
    opened, sigs = open_note(note, [LOG.verifier, WITNESS.verifier])
    assert opened == text
    assert [s.name for s in sigs] == [s.name for s in signers]


@pytest.mark.parametrize("text", ["no newline", "", "bell\x07\n", "cr\r\n"])
def test_signing_refuses_text_that_could_not_be_opened(text):
    with pytest.raises(MalformedError):
        sign_note(text, LOG)


def test_two_different_keys_with_the_same_name_and_id_are_ambiguous():
    impostor = Verifier(LOG.name, LOG.key_id, WITNESS.verifier.public_key)
    with pytest.raises(NoteError, match="ambiguous"):
        open_note(sign_note("x\n", LOG), [LOG.verifier, impostor])
    open_note(sign_note("x\n", LOG), [LOG.verifier, LOG.verifier])


def test_a_known_name_with_an_unknown_id_is_ignored():
    other = Signer.from_seed(LOG.name, bytes(32))  # same name, different key
    note = sign_note("x\n", other)
    with pytest.raises(UnverifiedNoteError):
        open_note(note, [LOG.verifier])


# --- checkpoints ----------------------------------------------------------------------------


def test_the_spec_example_checkpoint_parses():
    # c2sp.org/tlog-checkpoint, example body.
    text = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    cp = parse_checkpoint(text)
    assert (cp.origin, cp.size) == ("example.com/behind-the-sofa", 20852163)
    assert cp.root == base64.b64decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
    assert cp.extensions == ()
    assert cp.text() == text


@settings(max_examples=80, deadline=None)
@given(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40),
    st.integers(0, 2**63 - 1),
    st.binary(min_size=32, max_size=32),
    st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1), max_size=3),
)
def test_checkpoints_round_trip(origin, size, root, extensions):
    text = format_checkpoint(origin, size, root, extensions)
    assert parse_checkpoint(text) == Checkpoint(origin, size, root, tuple(extensions))


ROOT64 = base64.b64encode(bytes(range(32))).decode()


@pytest.mark.parametrize(
    "text",
    [
        f"log\n7\n{ROOT64}",  # no final newline
        "log\n7\n",  # too few lines
        f"\n7\n{ROOT64}\n",  # empty origin
        f"log\n07\n{ROOT64}\n",  # leading zero
        f"log\n-1\n{ROOT64}\n",
        f"log\n+7\n{ROOT64}\n",
        f"log\n 7\n{ROOT64}\n",
        f"log\n७\n{ROOT64}\n",  # a non-ASCII digit
        f"log\n{2**63}\n{ROOT64}\n",
        f"log\n7\n{ROOT64[:-4]}\n",  # root not 32 bytes
        f"log\n7\n{ROOT64.rstrip('=')}\n",  # missing padding
        f"log\n7\n{ROOT64[:-2]}F=\n",  # non-zero pad bits
        f"log\n7\n{ROOT64}\n\n",  # empty extension line
        f"log\n7\n{ROOT64}\next\n\n",
        f"log\r\n7\n{ROOT64}\n",
    ],
)
def test_malformed_checkpoints_are_refused(text):
    with pytest.raises(MalformedError):
        parse_checkpoint(text)


def test_open_checkpoint_checks_signature_and_origin():
    note = sign_note(format_checkpoint("sanxiang.example/ledger", 3, bytes(32)), LOG)
    cp = notes.open_checkpoint(note, [LOG.verifier], origin="sanxiang.example/ledger")
    assert cp.size == 3
    with pytest.raises(VerificationError):
        notes.open_checkpoint(note, [LOG.verifier], origin="other.example/log")
    with pytest.raises(UnverifiedNoteError):
        notes.open_checkpoint(note, [WITNESS.verifier])


# --- tlog proofs ----------------------------------------------------------------------------

SPEC_PROOF = """c2sp.org/tlog-proof@v1
extra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ
index 73894
gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=
B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=
EKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=
RoopEkOdqkYqMB4MJXrbt/hMjOxsVn0IrWjpz1ZMMes=
AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=

example.com/fancylog
109482
sFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=

— example.com/fancylog hI2DJw[...]1roloI=
"""


def test_the_spec_example_proof_parses():
    # c2sp.org/tlog-proof, example (its signature lines are elided, so only parse it).
    proof = parse_tlog_proof(SPEC_PROOF)
    assert proof.index == 73894
    assert proof.extra == base64.b64decode("YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ")
    assert len(proof.path) == 5
    assert proof.checkpoint.startswith("example.com/fancylog\n109482\n")
    assert format_tlog_proof(proof.index, proof.path, proof.checkpoint, proof.extra) == SPEC_PROOF


ENTRIES = [f'{{"seq":{i},"type":"case.filed"}}'.encode() for i in range(11)]
TREE = merkle.InMemoryTree.from_entries(ENTRIES)
CHECKPOINT = sign_note(format_checkpoint("sanxiang.example/ledger", 11, TREE.root()), LOG)


def proof_for(index: int, *, extra: bytes | None = None) -> str:
    entry = ENTRIES[index] if extra is None else extra
    return format_tlog_proof(index, TREE.inclusion_proof(index), CHECKPOINT, entry)


def test_tlog_proof_layout():
    text = proof_for(4)
    lines = text.split("\n")
    assert lines[0] == "c2sp.org/tlog-proof@v1"
    assert lines[1] == "extra " + base64.b64encode(ENTRIES[4]).decode()
    assert lines[2] == "index 4"
    assert lines[3 : 3 + 4] == [base64.b64encode(h).decode() for h in TREE.inclusion_proof(4)]
    assert lines[7] == ""
    assert text.endswith("\n\n" + CHECKPOINT)
    without_extra = format_tlog_proof(4, TREE.inclusion_proof(4), CHECKPOINT)
    assert without_extra.split("\n")[1] == "index 4"
    assert parse_tlog_proof(without_extra).extra is None
    assert parse_tlog_proof(format_tlog_proof(0, [], CHECKPOINT, b"")).extra == b""


@pytest.mark.parametrize("index", range(11))
def test_tlog_proofs_verify_and_round_trip(index):
    text = proof_for(index)
    parsed = parse_tlog_proof(text)
    assert parsed == parse_tlog_proof(text.encode())
    assert format_tlog_proof(parsed.index, parsed.path, parsed.checkpoint, parsed.extra) == text
    verified = notes.verify_tlog_proof(text, [LOG.verifier], origin="sanxiang.example/ledger")
    assert (verified.index, verified.entry, verified.checkpoint.size) == (index, ENTRIES[index], 11)


def test_tlog_proof_of_a_changed_entry_or_index_fails():
    with pytest.raises(VerificationError):
        notes.verify_tlog_proof(proof_for(3, extra=ENTRIES[4]), [LOG.verifier])
    moved = proof_for(3).replace("index 3\n", "index 2\n")
    with pytest.raises(VerificationError):
        notes.verify_tlog_proof(moved, [LOG.verifier])
    with pytest.raises(VerificationError):
        notes.verify_tlog_proof(proof_for(3), [LOG.verifier], origin="other.example/log")
    with pytest.raises(UnverifiedNoteError):
        notes.verify_tlog_proof(proof_for(3), [WITNESS.verifier])
    with pytest.raises(MalformedError):
        notes.verify_tlog_proof(
            format_tlog_proof(3, TREE.inclusion_proof(3), CHECKPOINT), [LOG.verifier]
        )


def test_every_one_byte_change_of_a_tlog_proof_is_refused():
    text = proof_for(6).encode()
    for changed in one_byte_changes(text):
        with pytest.raises(NoteError):
            notes.verify_tlog_proof(changed, [LOG.verifier])


H64 = base64.b64encode(bytes(32)).decode()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "c2sp.org/tlog-proof@v2\nindex 0\n\ncp\n",
        "index 0\n\ncp\n",
        "c2sp.org/tlog-proof@v1\n\ncp\n",
        "c2sp.org/tlog-proof@v1\nindex 01\n\ncp\n",
        "c2sp.org/tlog-proof@v1\nindex -1\n\ncp\n",
        "c2sp.org/tlog-proof@v1\nindex x\n\ncp\n",
        "c2sp.org/tlog-proof@v1\nindex 0\ncp\n",
        "c2sp.org/tlog-proof@v1\nindex 0\n\n",
        "c2sp.org/tlog-proof@v1\nindex 0",
        f"c2sp.org/tlog-proof@v1\nindex 0\n{H64[:-4]}\n\ncp\n",
        f"c2sp.org/tlog-proof@v1\nindex 0\n{H64} \n\ncp\n",
        "c2sp.org/tlog-proof@v1\nextra !!\nindex 0\n\ncp\n",
        "c2sp.org/tlog-proof@v1\nindex 0\nextra AA==\n\ncp\n",
        "c2sp.org/tlog-proof@v1\r\nindex 0\n\ncp\n",
        b"c2sp.org/tlog-proof@v1\nextra \xff\nindex 0\n\ncp\n",
    ],
)
def test_malformed_tlog_proofs_are_refused(text):
    with pytest.raises(MalformedError):
        parse_tlog_proof(text)


# --- hash lists -----------------------------------------------------------------------------


def test_hash_lines_round_trip():
    hashes = TREE.consistency_proof(3, 11)
    text = notes.format_hash_lines(hashes)
    assert text.count("\n") == len(hashes) and text.endswith("=\n")
    assert notes.parse_hash_lines(text) == hashes
    assert notes.format_hash_lines([]) == "" and notes.parse_hash_lines("") == []


@pytest.mark.parametrize("text", [H64, f"{H64}\n\n", f"\n{H64}\n", f"{H64[:-4]}\n", f"{H64}\r\n"])
def test_malformed_hash_lines_are_refused(text):
    with pytest.raises(MalformedError):
        notes.parse_hash_lines(text)


# --- the worked example of docs/transparency-formats.md -------------------------------------


def test_the_worked_example_in_the_format_document_is_what_the_code_produces():
    import hashlib
    import json
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "transparency-formats.md").read_text(
        encoding="utf-8"
    )
    origin = "sanxiang.example/ledger"
    signer = Signer.from_seed(
        origin, hashlib.sha256(b"sanxiang worked example - not a real key").digest()
    )
    events = ["case.registered", "case.filed", "evidence.added", "review.concluded", "case.decided"]
    entries = [
        json.dumps(
            {"at": f"2026-11-27T01:{5 * i:02d}:00.000000Z", "seq": i, "type": t},
            sort_keys=True,
            separators=(",", ":"),
        ).encode()
        for i, t in enumerate(events)
    ]
    tree = merkle.InMemoryTree.from_entries(entries)
    cp5 = sign_note(format_checkpoint(origin, 5, tree.root()), signer)
    cp3 = sign_note(format_checkpoint(origin, 3, tree.root(3)), signer)
    shown = [
        signer.encode(),
        signer.verifier.encode(),
        signer.verifier.public_key.hex(),
        cp5,
        cp3,
        format_tlog_proof(2, tree.inclusion_proof(2), cp5, entries[2]),
        notes.format_hash_lines(tree.consistency_proof(3, 5)),
        *(e.decode() for e in entries),
        *(tree.leaf_hash(i).hex() for i in range(5)),
        *(tree.root(n).hex() for n in (3, 4, 5)),
    ]
    for text in shown:
        assert text in doc, text
