"""tools/sanxiang-verify: run as the public would run it, against proofs and checkpoints built
with sanxiang.lib, and cross-checked against sanxiang.lib's own verifiers."""

from __future__ import annotations

import ast
import base64
import importlib.machinery
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.lib import merkle, notes

TOOL = Path(__file__).resolve().parents[1] / "sanxiang-verify"
ORIGIN = "sanxiang.example/ledger"
LOG = notes.Signer.from_seed(ORIGIN, bytes(range(32)))
MALLORY = notes.Signer.from_seed(ORIGIN, bytes(range(1, 33)))  # same name, another key
WITNESS = notes.Signer.from_seed("witness.example/w1", bytes(range(64, 96)))
ENTRIES = [
    json.dumps(
        {"seq": i, "type": "case.filed", "subject": f"ref-{i}", "说明": "立案登记"},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    for i in range(9)
]
TREE = merkle.InMemoryTree.from_entries(ENTRIES)


def load_tool():
    loader = importlib.machinery.SourceFileLoader("sanxiang_verify_tool", str(TOOL))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


tool = load_tool()


def checkpoint(size: int, *signers: notes.Signer, origin: str = ORIGIN) -> str:
    return notes.sign_note(
        notes.format_checkpoint(origin, size, TREE.root(size)), *signers or (LOG,)
    )


def proof_text(index: int = 4, size: int = 9) -> str:
    return notes.format_tlog_proof(
        index, TREE.inclusion_proof(index, size), checkpoint(size), ENTRIES[index]
    )


def run(*args: str, cwd: Path | None = None, tool_path: Path = TOOL) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(tool_path), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=60,
    )


@pytest.fixture
def files(tmp_path):
    """A verifier key file, a proof of entry 4 in the tree of 9, and checkpoints 5 and 9."""
    paths = {
        "key": tmp_path / "log.vkey",
        "proof": tmp_path / "entry4.tlog-proof",
        "old": tmp_path / "checkpoint-5",
        "new": tmp_path / "checkpoint-9",
        "consistency": tmp_path / "consistency-5-9",
    }
    paths["key"].write_text(LOG.verifier.encode() + "\n", encoding="utf-8")
    paths["proof"].write_text(proof_text(), encoding="utf-8")
    paths["old"].write_text(checkpoint(5), encoding="utf-8")
    paths["new"].write_text(checkpoint(9), encoding="utf-8")
    paths["consistency"].write_text(
        notes.format_hash_lines(TREE.consistency_proof(5, 9)), encoding="utf-8"
    )
    return paths


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def flip_b64(text: str, value: str) -> str:
    """Replace base64 ``value`` in ``text`` by the encoding of the same bytes with a bit flipped."""
    raw = bytearray(base64.b64decode(value))
    raw[len(raw) // 2] ^= 0x04
    assert text.count(value) == 1
    return text.replace(value, b64(bytes(raw)))


# --- proof ----------------------------------------------------------------------------------


def test_a_valid_proof_verifies_and_shows_the_entry(files):
    result = run("proof", str(files["proof"]), "--key", str(files["key"]))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "VERIFIED" in out and "验证通过" in out
    assert "树大小 tree size:   9" in out
    assert b64(TREE.root(9)) in out
    assert "条目序号 index:      4" in out
    assert "  说明: 立案登记" in out and "  subject: ref-4" in out and "  seq: 4" in out
    assert f"signed by:  {LOG.name}+{LOG.key_id:08x}" in out


def test_the_key_may_be_given_as_a_string_and_the_origin_may_be_required(files):
    result = run("proof", str(files["proof"]), "--key", LOG.verifier.encode(), "--origin", ORIGIN)
    assert result.returncode == 0, result.stderr
    result = run(
        "proof", str(files["proof"]), "--key", LOG.verifier.encode(), "--origin", "x.example/log"
    )
    assert result.returncode == 1
    assert "x.example/log" in result.stdout


def test_a_cosigned_checkpoint_verifies_with_only_the_log_key(tmp_path, files):
    proof = notes.format_tlog_proof(
        2, TREE.inclusion_proof(2, 9), checkpoint(9, LOG, WITNESS), ENTRIES[2]
    )
    path = tmp_path / "cosigned.tlog-proof"
    path.write_text(proof, encoding="utf-8")
    assert run("proof", str(path), "--key", str(files["key"])).returncode == 0
    both = run("proof", str(path), "--key", str(files["key"]), "--key", WITNESS.verifier.encode())
    assert both.returncode == 0 and WITNESS.name in both.stdout


def tampered_proofs() -> dict[str, tuple[str, str]]:
    """(changed proof text, words the one-line reason must contain) per kind of change."""
    text = proof_text()
    parsed = notes.parse_tlog_proof(text)
    cp = notes.parse_checkpoint(notes.open_note(parsed.checkpoint, [LOG.verifier])[0])
    entry = json.loads(ENTRIES[4])
    entry["说明"] = "撤销立案"
    changed_entry = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    signature = parsed.checkpoint.rstrip("\n").rsplit(" ", 1)[1]
    forged = notes.sign_note(notes.format_checkpoint(ORIGIN, 9, TREE.root(9)), MALLORY)
    return {
        "entry": (text.replace(b64(ENTRIES[4]), b64(changed_entry)), "inclusion proof failed"),
        "path hash": (flip_b64(text, b64(parsed.path[1])), "inclusion proof failed"),
        "index": (text.replace("index 4\n", "index 5\n"), "inclusion proof failed"),
        "index beyond size": (text.replace("index 4\n", "index 9\n"), "outside a tree of size 9"),
        "dropped path hash": (
            text.replace(b64(parsed.path[0]) + "\n", ""),
            "inclusion proof failed",
        ),
        "root": (flip_b64(text, b64(cp.root)), "signature"),
        "size": (text.replace(f"{ORIGIN}\n9\n", f"{ORIGIN}\n10\n"), "signature"),
        "origin": (text.replace(f"\n\n{ORIGIN}\n", "\n\nsanxiang.example/ledger2\n"), "signature"),
        "signature": (flip_b64(text, signature), "signature"),
        "re-signed by another key": (
            text.replace(parsed.checkpoint, forged),
            "not signed by the given key",
        ),
        "wrong root and matching path": (
            notes.format_tlog_proof(4, TREE.inclusion_proof(4, 8), checkpoint(9), ENTRIES[4]),
            "inclusion proof failed",
        ),
    }


@pytest.mark.parametrize("kind", list(tampered_proofs()))
def test_every_kind_of_change_makes_verification_fail_with_a_reason(tmp_path, files, kind):
    text, reason = tampered_proofs()[kind]
    path = tmp_path / "changed.tlog-proof"
    path.write_text(text, encoding="utf-8")
    result = run("proof", str(path), "--key", str(files["key"]))
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("验证失败 FAILED:")
    assert reason in lines[0]
    # sanxiang.lib reaches the same verdict.
    with pytest.raises(notes.NoteError):
        notes.verify_tlog_proof(text, [LOG.verifier])


def test_every_one_byte_change_of_a_proof_file_is_refused(tmp_path, files, capsys):
    data = files["proof"].read_bytes()
    path = tmp_path / "mutant.tlog-proof"
    key = LOG.verifier.encode()
    assert tool.main(["proof", str(files["proof"]), "--key", key]) == 0
    for i in range(len(data)):
        for new in {data[i] ^ 0x01, data[i] ^ 0x80}:
            path.write_bytes(data[:i] + bytes([new]) + data[i + 1 :])
            assert tool.main(["proof", str(path), "--key", key]) in (1, 2), (i, new)
    capsys.readouterr()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not a proof\n", "tlog-proof@v1"),
        ("c2sp.org/tlog-proof@v1\nindex 04\n\ncp\n", "canonical decimal"),
        ("c2sp.org/tlog-proof@v1\nindex 4\nAAAA\n\ncp\n", "32 bytes"),
    ],
)
def test_unparseable_proof_files_exit_2(tmp_path, files, content, message):
    path = tmp_path / "bad.tlog-proof"
    path.write_text(content, encoding="utf-8")
    result = run("proof", str(path), "--key", str(files["key"]))
    assert result.returncode == 2
    assert message in result.stderr and "错误 ERROR" in result.stderr


def test_a_proof_without_extra_entry_exits_2(tmp_path, files):
    path = tmp_path / "noextra.tlog-proof"
    path.write_text(
        notes.format_tlog_proof(4, TREE.inclusion_proof(4, 9), checkpoint(9)), encoding="utf-8"
    )
    assert run("proof", str(path), "--key", str(files["key"])).returncode == 2


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["proof"],
        ["proof", "missing.tlog-proof", "--key", LOG.verifier.encode()],
        ["proof", "{proof}"],
        ["proof", "{proof}", "--key", "not-a-key"],
        ["proof", "{proof}", "--key", LOG.verifier.encode().replace("+", "+0", 1)],
        ["proof", "{proof}", "--key", LOG.encode()],
        ["package", "case.zip"],
    ],
)
def test_usage_errors_exit_2(files, args):
    args = [a.replace("{proof}", str(files["proof"])) for a in args]
    assert run(*args).returncode == 2


def test_help_is_bilingual():
    result = run("--help")
    assert result.returncode == 0
    assert "离线验证" in result.stdout and "offline verifier" in result.stdout
    assert "proof" in result.stdout and "consistency" in result.stdout


# --- consistency ----------------------------------------------------------------------------


def test_a_later_checkpoint_that_extends_an_earlier_one_verifies(files):
    result = run(
        "consistency", str(files["old"]), str(files["new"]),
        "--key", str(files["key"]), "--proof", str(files["consistency"]),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "VERIFIED" in result.stdout and b64(TREE.root(5)) in result.stdout


def test_equal_checkpoints_are_consistent_without_a_proof(files):
    result = run("consistency", str(files["new"]), str(files["new"]), "--key", str(files["key"]))
    assert result.returncode == 0, result.stderr


def test_same_size_with_a_different_root_is_a_rewritten_log(tmp_path, files):
    other = merkle.InMemoryTree.from_entries([*ENTRIES[:8], b'{"seq":8,"type":"forged"}'])
    fork = tmp_path / "fork-9"
    fork.write_text(
        notes.sign_note(notes.format_checkpoint(ORIGIN, 9, other.root()), LOG), encoding="utf-8"
    )
    result = run("consistency", str(files["new"]), str(fork), "--key", str(files["key"]))
    assert result.returncode == 1 and "rewritten" in result.stdout


def test_a_history_rewrite_before_the_old_checkpoint_fails_the_consistency_proof(tmp_path, files):
    rewritten = merkle.InMemoryTree.from_entries([ENTRIES[0], b"{}", *ENTRIES[2:]])
    new = tmp_path / "rewritten-9"
    new.write_text(
        notes.sign_note(notes.format_checkpoint(ORIGIN, 9, rewritten.root()), LOG), encoding="utf-8"
    )
    proof = tmp_path / "proof"
    proof.write_text(notes.format_hash_lines(rewritten.consistency_proof(5, 9)), encoding="utf-8")
    result = run(
        "consistency",
        str(files["old"]),
        str(new),
        "--key",
        str(files["key"]),
        "--proof",
        str(proof),
    )
    assert result.returncode == 1 and "consistency proof failed" in result.stdout


def test_consistency_fails_for_changed_proofs_swapped_or_foreign_checkpoints(tmp_path, files):
    key = ["--key", str(files["key"])]
    hashes = TREE.consistency_proof(5, 9)
    changed = tmp_path / "changed"
    changed.write_text(flip_b64(notes.format_hash_lines(hashes), b64(hashes[-1])), encoding="utf-8")
    truncated = tmp_path / "truncated"
    truncated.write_text(notes.format_hash_lines(hashes[:-1]), encoding="utf-8")
    foreign = tmp_path / "foreign-9"
    foreign.write_text(checkpoint(9, origin="other.example/log"), encoding="utf-8")
    old, new = str(files["old"]), str(files["new"])
    for args in (
        [old, new, *key, "--proof", str(changed)],
        [old, new, *key, "--proof", str(truncated)],
        [new, old, *key, "--proof", str(files["consistency"])],
        [old, str(foreign), *key, "--proof", str(files["consistency"])],
        [old, new, "--key", MALLORY.verifier.encode(), "--proof", str(files["consistency"])],
    ):
        result = run("consistency", *args)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert len(result.stdout.strip().splitlines()) == 1


def test_consistency_with_different_sizes_needs_a_proof(files):
    result = run("consistency", str(files["old"]), str(files["new"]), "--key", str(files["key"]))
    assert result.returncode == 2 and "--proof" in result.stderr


def test_the_empty_tree_is_extended_by_every_tree(tmp_path, files):
    empty = tmp_path / "checkpoint-0"
    empty.write_text(
        notes.sign_note(notes.format_checkpoint(ORIGIN, 0, merkle.EMPTY_ROOT), LOG),
        encoding="utf-8",
    )
    assert (
        run("consistency", str(empty), str(files["new"]), "--key", str(files["key"])).returncode
        == 0
    )


# --- independence and agreement with sanxiang.lib -------------------------------------------


def test_the_tool_runs_alone_in_an_isolated_interpreter(tmp_path, files):
    alone = tmp_path / "elsewhere" / "sanxiang-verify"
    alone.parent.mkdir()
    shutil.copy(TOOL, alone)
    result = subprocess.run(
        [
            sys.executable,
            "-I",
            str(alone),
            "proof",
            str(files["proof"]),
            "--key",
            str(files["key"]),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=alone.parent,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_the_tool_imports_only_the_standard_library_and_cryptography():
    tree = ast.parse(TOOL.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    third_party = {name for name in imported if name not in sys.stdlib_module_names}
    assert third_party == {"cryptography"}
    assert "sanxiang" not in imported
    assert TOOL.read_text(encoding="utf-8").startswith("#!/usr/bin/env python3\n")
    assert TOOL.stat().st_mode & 0o111


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 300), st.data())
def test_tool_and_library_agree_on_inclusion_proofs(size, data):
    tree = merkle.InMemoryTree.from_entries(
        ENTRIES[i % 9] + bytes([i % 256, i // 256]) for i in range(size)
    )
    index = data.draw(st.integers(0, size - 1))
    leaf, root, path = tree.leaf_hash(index), tree.root(), tree.inclusion_proof(index)
    claimed_index = data.draw(st.one_of(st.just(index), st.integers(0, 2 * size)))
    claimed_size = data.draw(st.one_of(st.just(size), st.integers(1, 2 * size)))
    claimed_path = data.draw(st.one_of(st.just(path), st.permutations(path), st.just(path[:-1])))
    expected = merkle.verify_inclusion(claimed_index, claimed_size, leaf, claimed_path, root)
    assert tool.inclusion_holds(claimed_index, claimed_size, leaf, claimed_path, root) == expected
    assert tool.inclusion_holds(index, size, leaf, path, root)


@settings(max_examples=150, deadline=None)
@given(st.integers(2, 300), st.data())
def test_tool_and_library_agree_on_consistency_proofs(size, data):
    tree = merkle.InMemoryTree.from_entries(
        ENTRIES[i % 9] + bytes([i % 256, i // 256]) for i in range(size)
    )
    old = data.draw(st.integers(1, size - 1))
    path = tree.consistency_proof(old, size)
    claimed_old = data.draw(st.one_of(st.just(old), st.integers(1, size)))
    claimed_new = data.draw(st.one_of(st.just(size), st.integers(claimed_old, 2 * size)))
    claimed_path = data.draw(st.one_of(st.just(path), st.permutations(path), st.just(path[1:])))
    args = (claimed_old, claimed_new, tree.root(old), tree.root(), claimed_path)
    if 0 < claimed_old < claimed_new:
        assert tool.consistency_holds(*args) == merkle.verify_consistency(*args)
    assert tool.consistency_holds(old, size, tree.root(old), tree.root(), path)


def test_tool_reads_notes_and_keys_exactly_like_the_library():
    # Go's sumdb/note vectors, through the tool's own parser.
    key = tool.parse_log_key("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
    note = notes.sign_note(
        "If you think cryptography is the answer to your problem,\n"
        "then you don't know what your problem is.\n",
        notes.parse_signer_key(
            "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
        ),
    )
    text, signers = tool.open_signed_note(note.encode(), [key], "note")
    assert text.decode() == notes.open_note(note, [notes.parse_verifier_key(key_string(key))])[0]
    assert signers == ["PeterNeumann+c74f20a3"]


def key_string(key) -> str:
    return f"{key.name}+{key.key_id:08x}+{b64(bytes([1]) + key.public_key)}"
