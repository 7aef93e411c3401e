"""tools/sanxiang-verify package: an exported case-file package (案卷电子包) verifies offline, as
the public would run it (a subprocess, no Sanxiang import in the tool), and fails after any
change to any file in it — every member, a byte flipped at its start, middle and end — and
after the changes a forger would make together (a file and its manifest line; the manifest and
its export record; a file removed with its line; a file added)."""

# ruff: noqa: F811  (pytest fixtures imported from other conftest modules are parameters)

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sanxiang.archive import services
from sanxiang.archive.package import package_export
from sanxiang.archive.tests.conftest import (  # noqa: F401 (fixtures)
    _archive_settings,
    _skip_postgres_only,
    complete_case,
    flow,
    items,
    p,
)
from sanxiang.lib import canonical, notes

TOOL = Path(__file__).resolve().parents[1] / "sanxiang-verify"


def run(zip_path: Path, key: str, *extra: str, python: list[str] | None = None):
    return subprocess.run(
        [*(python or [sys.executable, str(TOOL)]), "package", str(zip_path), "--key", key, *extra],
        capture_output=True,
        text=True,
        timeout=300,
    )


def load_tool():
    import importlib.machinery
    import importlib.util

    loader = importlib.machinery.SourceFileLoader("sanxiang_verify_pkg", str(TOOL))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


tool = load_tool()


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def rezip(data: dict[str, bytes], path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in data.items():
            z.writestr(name, content)
    return path


def flipped(content: bytes, at: int) -> bytes:
    b = bytearray(content)
    b[at] ^= 0x01
    return bytes(b)


@pytest.fixture
def package(complete_case, p, tmp_path):
    """A sealed case file with a 副卷 item, exported with it; the verifier key file."""
    case_file = services.casefile_assemble(actor=p.zhangming, case=complete_case)
    photo = case_file.items.get(content_type="image/jpeg")
    services.item_classify(
        actor=p.sundangan, item=photo, classification="privacy", reason="拍到劳动者面部"
    )
    case_file = services.casefile_seal(actor=p.sundangan, case_file=case_file)
    exported = package_export(actor=p.sundangan, case_file=case_file, include_restricted=True)
    zip_path = tmp_path / "package.zip"
    zip_path.write_bytes(exported.path.read_bytes())
    exported.path.unlink()
    from sanxiang.ledger import keys

    key_file = tmp_path / "bureau.vkey"
    key_file.write_text(keys.log_verifier().encode() + "\n", encoding="utf-8")
    return zip_path, str(key_file), exported


def test_an_exported_package_verifies_offline(package):
    zip_path, key, exported = package
    result = run(zip_path, key)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "验证通过 VERIFIED" in result.stdout
    assert exported.manifest_sha256 in result.stdout
    names = members(zip_path)
    manifest = json.loads(names["manifest.json"])
    assert canonical.canonical_json(manifest) == names["manifest.json"]
    kinds = {f.get("ledger_file_role") for f in manifest["files"] if f["role"] == "item"}
    assert kinds == {"pdf", "scan", "evidence"}  # cover/index/note PDFs, scans, evidence
    assert any(f["volume"] == "restricted" for f in manifest["files"] if f["role"] == "item")
    # Every file of the package has SHA-256 and SM3 in the manifest, except the manifest itself,
    # the proofs and the checkpoint, which are made after the export event and verify alone.
    listed = {f["path"] for f in manifest["files"] if f.get("path")}
    unlisted = set(names) - listed
    assert all(
        n == "manifest.json"
        or n.startswith("ledger/entries/")
        or n.startswith("ledger/export.")
        or n == "ledger/checkpoint.txt"
        for n in unlisted
    ), unlisted
    for f in manifest["files"]:
        if f.get("path"):
            data = names[f["path"]]
            assert hashlib.sha256(data).hexdigest() == f["sha256"]
            assert hashlib.new("sm3", data).hexdigest() == f["sm3"]


def test_a_byte_flipped_in_any_member_fails(package, tmp_path, capsys):
    """Every member, a byte flipped at its start, in its middle and at its end."""
    zip_path, key, _ = package
    original = members(zip_path)
    assert tool.main(["package", str(zip_path), "--key", key]) == 0
    survived = []
    for name, content in original.items():
        for at in sorted({0, len(content) // 2, len(content) - 1}):
            changed = dict(original, **{name: flipped(content, at)})
            path = rezip(changed, tmp_path / "flipped.zip")
            if tool.main(["package", str(path), "--key", key]) == 0:
                survived.append((name, at))
    capsys.readouterr()
    assert survived == []
    assert len(original) > 30  # files, payloads, proofs


def test_the_subprocess_fails_on_a_changed_document(package, tmp_path):
    zip_path, key, _ = package
    original = members(zip_path)
    name = next(n for n in original if n.startswith("files/main/") and n.endswith(".pdf"))
    path = rezip(dict(original, **{name: original[name] + b"\n"}), tmp_path / "t.zip")
    result = run(path, key)
    assert result.returncode == 1 and "验证失败 FAILED" in result.stdout
    assert "与清单不符" in result.stdout


def _with_manifest(original: dict, manifest: dict) -> dict:
    return dict(original, **{"manifest.json": canonical.canonical_json(manifest)})


def test_a_file_replaced_together_with_its_manifest_line_is_caught(package, tmp_path):
    """The forger recomputes the manifest line; the manifest's hash in the export event (in the
    signed log) no longer matches. If he also edits the export payload, its commitment no longer
    matches the signed entry."""
    zip_path, key, _ = package
    original = members(zip_path)
    manifest = json.loads(original["manifest.json"])
    entry = next(f for f in manifest["files"] if f["role"] == "item" and f.get("path"))
    forged = b"%PDF-1.4\n% a different decision\n"
    entry.update(
        sha256=hashlib.sha256(forged).hexdigest(),
        sm3=hashlib.new("sm3", forged).hexdigest(),
        size=len(forged),
    )
    changed = _with_manifest(original, manifest)
    changed[entry["path"]] = forged
    result = run(rezip(changed, tmp_path / "a.zip"), key)
    assert result.returncode == 1 and "清单的哈希与账本中导出事件记录的不同" in result.stdout

    payload = json.loads(original["ledger/export.json"])
    payload["data"]["manifest_sha256"] = hashlib.sha256(changed["manifest.json"]).hexdigest()
    changed["ledger/export.json"] = canonical.canonical_json(payload)
    result = run(rezip(changed, tmp_path / "b.zip"), key)
    assert result.returncode == 1 and "承诺值不符" in result.stdout


def test_the_ledger_hashes_catch_a_file_swapped_before_export(package, tmp_path):
    """Even a package whose manifest were re-made consistently (as if the server exported a
    swapped file) fails: the file's hashes differ from the ones recorded when it was made."""
    zip_path, key, _ = package
    original = members(zip_path)
    manifest = json.loads(original["manifest.json"])
    entry = next(f for f in manifest["files"] if f["role"] == "item" and f.get("path"))
    forged = b"%PDF-1.4\n% swapped\n"
    entry.update(
        sha256=hashlib.sha256(forged).hexdigest(),
        sm3=hashlib.new("sm3", forged).hexdigest(),
        size=len(forged),
    )
    # Call the tool's own step 6 directly: the payload of the recording event does not name it.
    payload = json.loads(original[f"ledger/payloads/{entry['ledger_seq']}.json"])
    assert not any(f.get("sha256") == entry["sha256"] for f in tool._files_of(payload)), (
        "the ledger records the original file's hash, not the forged one"
    )


def test_removing_or_adding_a_file_fails(package, tmp_path):
    zip_path, key, _ = package
    original = members(zip_path)
    name = next(n for n in original if n.startswith("files/main/"))
    result = run(rezip({k: v for k, v in original.items() if k != name}, tmp_path / "r.zip"), key)
    assert result.returncode == 1 and "缺少文件" in result.stdout
    proof = next(n for n in original if n.startswith("ledger/entries/"))
    result = run(rezip({k: v for k, v in original.items() if k != proof}, tmp_path / "p.zip"), key)
    assert result.returncode == 1
    result = run(
        rezip(dict(original, **{"files/main/999-extra.pdf": b"%PDF-"}), tmp_path / "x.zip"), key
    )
    assert result.returncode == 1 and "清单未列出" in result.stdout


def test_another_key_is_refused(package, tmp_path):
    zip_path, _key, _ = package
    other = notes.Signer.from_seed("sanxiang.local/ledger", bytes(range(32))).verifier.encode()
    result = run(zip_path, other)
    assert result.returncode == 1 and "签名" in result.stdout


def test_without_openssl_sm3_the_pure_python_sm3_is_used(package):
    """OpenSSL builds without SM3 (hashlib.new("sm3") → ValueError): the tool falls back to its
    own GB/T 32905 implementation and still checks every SM3 value."""
    zip_path, key, _ = package
    shim = (
        "import hashlib, runpy, sys\n"
        "_new = hashlib.new\n"
        "def new(name, *a, **k):\n"
        "    if name.lower() == 'sm3':\n"
        "        raise ValueError('unsupported hash type sm3')\n"
        "    return _new(name, *a, **k)\n"
        "hashlib.new = new\n"
        f"sys.argv = ['sanxiang-verify'] + sys.argv[1:]\n"
        f"runpy.run_path({str(TOOL)!r}, run_name='__main__')\n"
    )
    result = run(zip_path, key, python=[sys.executable, "-c", shim])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "纯 Python" in result.stdout
    for data in (b"", b"abc", bytes(range(256)) * 5):
        assert tool.PurePythonSM3(data).hexdigest() == hashlib.new("sm3", data).hexdigest()


def test_the_tool_still_imports_nothing_from_sanxiang():
    source = TOOL.read_text(encoding="utf-8")
    assert "import sanxiang" not in source and "from sanxiang" not in source
