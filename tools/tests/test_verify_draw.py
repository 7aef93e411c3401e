"""tools/sanxiang-verify draw: the independent re-run agrees with sanxiang.lib.draw on random
inputs, accepts a directory, a ZIP or the input file, and fails (exit 1, naming the pool) when
a pool was changed against the published hash. The live end-to-end check (exported from the
database) is in sanxiang/inspections/tests/test_draw_flow.py."""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.lib import draw, notes
from sanxiang.lib.canonical import canonical_json

TOOL = Path(__file__).resolve().parents[1] / "sanxiang-verify"
LOG = notes.Signer.from_seed("sanxiang.example/ledger", bytes(range(32)))


def load_tool():
    loader = importlib.machinery.SourceFileLoader("sanxiang_verify_draw", str(TOOL))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


tool = load_tool()


def build(weights, m, *, bp=2000, k=2, seed=None, conflicts=(), redraws=()):
    targets = draw.pool_build(
        "targets",
        [
            draw.target_entry(id=f"91{i:016d}", name=f"单位{i}", weight=w)
            for i, w in enumerate(weights)
        ],
    )
    inspectors = draw.pool_build(
        "inspectors", [draw.inspector_entry(id=f"晋{i:04d}", name=f"人员{i}") for i in range(m)]
    )
    params = draw.Parameters(
        target_count=draw.target_count_for(len(weights), bp),
        inspectors_per_target=k,
        ratio_basis_points=bp,
    )
    text = seed or "2026-12-01 01 02 03 04 05 06 + 07"
    seed_doc = {
        "description": "双色球",
        "source": "manual",
        "text": text,
        "value": draw.seed_from_text(text),
    }
    conflicts = draw.conflicts_canonical(conflicts)
    result = draw.run(
        targets=targets,
        inspectors=inspectors,
        parameters=params,
        seed=seed_doc["value"],
        conflicts=conflicts,
        redraws=list(redraws),
    )
    doc = draw.input_document(
        plan={"code": "T-1", "title": "测试"},
        parameters=params,
        targets=targets,
        inspectors=inspectors,
        seed=seed_doc,
        conflicts=conflicts,
        redraws=list(redraws),
    )
    return {
        "draw-input.json": canonical_json(doc),
        "targets.jsonl": targets.data,
        "inspectors.jsonl": inspectors.data,
        "draw-result.json": result.data,
    }, result


def write(folder: Path, files: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(TOOL), "draw", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


@pytest.fixture
def published(tmp_path):
    files, result = build([1, 1, 3, 5, 1, 2] * 20, 6, conflicts=[("晋0001", "91" + "0" * 16)])
    return write(tmp_path / "published", files), result


def test_an_unchanged_publication_verifies_from_a_directory_a_zip_or_the_input_file(
    published, tmp_path
):
    folder, result = published
    archive = tmp_path / "draw.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for p in folder.iterdir():
            z.write(p, f"draw-7/{p.name}")
    for where in (folder, archive, folder / "draw-input.json"):
        outcome = run(where)
        assert outcome.returncode == 0, outcome.stdout + outcome.stderr
        assert "VERIFIED" in outcome.stdout and result.sha256 in outcome.stdout


def test_a_changed_target_entry_fails_against_the_published_hash_naming_the_pool(published):
    folder, _ = published
    lines = (folder / "targets.jsonl").read_text(encoding="utf-8").split("\n")
    lines[5] = lines[5].replace('"weight":', '"weight":1')  # weight 2 → 12
    (folder / "targets.jsonl").write_text("\n".join(lines), encoding="utf-8")
    outcome = run(folder)
    assert outcome.returncode == 1
    assert "检查对象库" in outcome.stdout and "target pool" in outcome.stdout


def test_a_removed_inspector_fails_naming_the_inspector_pool(published):
    folder, _ = published
    lines = (folder / "inspectors.jsonl").read_bytes().split(b"\n")
    (folder / "inspectors.jsonl").write_bytes(b"\n".join(lines[1:]))
    outcome = run(folder)
    assert outcome.returncode == 1 and "执法检查人员库" in outcome.stdout


def test_a_pool_swapped_together_with_its_hash_is_caught_by_the_hash_published_before(published):
    folder, _ = published
    original = hashlib.sha256((folder / "targets.jsonl").read_bytes()).hexdigest()
    files, _ = build([1] * 120, 6)  # another pool, consistent in itself
    for name in ("targets.jsonl", "draw-input.json", "draw-result.json"):
        (folder / name).write_bytes(files[name])
    assert run(folder).returncode == 0
    outcome = run(folder, "--expect-targets", original)
    assert outcome.returncode == 1 and "--expect" in outcome.stdout


def test_a_result_that_is_not_the_draw_fails(published):
    folder, _ = published
    result = json.loads((folder / "draw-result.json").read_text(encoding="utf-8"))
    result["tasks"][2]["inspectors"].reverse()
    (folder / "draw-result.json").write_bytes(canonical_json(result))
    outcome = run(folder)
    assert outcome.returncode == 1 and "第 3 个任务不同" in outcome.stdout


def test_a_manual_seed_that_is_not_the_hash_of_its_text_fails(published):
    folder, _ = published
    doc = json.loads((folder / "draw-input.json").read_text(encoding="utf-8"))
    doc["seed"]["text"] = "2026-12-01 01 02 03 04 05 09 + 07"
    (folder / "draw-input.json").write_bytes(canonical_json(doc))
    outcome = run(folder)
    assert outcome.returncode == 1 and "种子" in outcome.stdout


def test_a_checkpoint_seed_is_checked_against_the_signed_root_and_the_stated_size(tmp_path):
    root = hashlib.sha256(b"root").digest()
    note = notes.sign_note(notes.format_checkpoint("sanxiang.example/ledger", 120, root), LOG)
    files, _ = build([1] * 60, 4, seed="x")
    doc = json.loads(files["draw-input.json"])
    doc["seed"] = {
        "checkpoint": note,
        "source": "ledger_checkpoint",
        "tree_size": 100,
        "value": root.hex(),
    }
    params = draw.Parameters(**doc["parameters"])
    targets = draw.pool_parse("targets", files["targets.jsonl"])
    inspectors = draw.pool_parse("inspectors", files["inspectors.jsonl"])
    result = draw.run(targets=targets, inspectors=inspectors, parameters=params, seed=root.hex())
    files["draw-input.json"], files["draw-result.json"] = canonical_json(doc), result.data
    folder = write(tmp_path / "cp", files)
    key = tmp_path / "log.vkey"
    key.write_text(LOG.verifier.encode() + "\n")
    outcome = run(folder, "--key", key)
    assert outcome.returncode == 0, outcome.stdout + outcome.stderr
    assert "签名已验证" in outcome.stdout
    doc["seed"]["tree_size"] = 121  # a checkpoint older than the one stated in advance
    (folder / "draw-input.json").write_bytes(canonical_json(doc))
    assert run(folder, "--key", key).returncode == 1


def test_unreadable_inputs_exit_2(tmp_path):
    (tmp_path / "draw-input.json").write_text("{", encoding="utf-8")
    assert run(tmp_path).returncode == 2
    assert run(tmp_path / "missing").returncode == 2


@settings(max_examples=60, deadline=None)
@given(
    weights=st.lists(st.integers(1, 20), min_size=1, max_size=80),
    m=st.integers(2, 9),
    bp=st.integers(1, 10000),
    k=st.integers(2, 3),
    seed=st.text(min_size=1, max_size=12),
    data=st.data(),
)
def test_tool_and_library_agree_on_random_draws(weights, m, bp, k, seed, data):
    if m < k:
        return
    n = len(weights)
    ids = [f"91{i:016d}" for i in range(n)]
    conflicts = data.draw(
        st.lists(st.tuples(st.integers(0, m - 1), st.integers(0, n - 1)), max_size=6, unique=True)
    )
    pairs = [(f"晋{a:04d}", ids[b]) for a, b in conflicts]
    try:
        files, result = build(weights, m, bp=bp, k=k, seed=seed, conflicts=pairs)
    except draw.DrawError:
        return  # e.g. too few eligible inspectors: both refuse (checked below)
    redraw_count = data.draw(st.integers(0, 3))
    redraws = []
    for _ in range(redraw_count):
        task = data.draw(st.sampled_from(result.tasks))
        who = data.draw(st.sampled_from(task["inspectors"]))
        reason = data.draw(st.sampled_from(["conflict", "unavailable"]))
        redraws.append({"inspector": who, "reason": reason, "target": task["target"]})
        try:
            files, result = build(
                weights, m, bp=bp, k=k, seed=seed, conflicts=pairs, redraws=redraws
            )
        except draw.DrawError:
            redraws.pop()
            files, result = build(
                weights, m, bp=bp, k=k, seed=seed, conflicts=pairs, redraws=redraws
            )
            break
    doc = json.loads(files["draw-input.json"])
    targets = [json.loads(x) for x in files["targets.jsonl"].decode().splitlines()]
    inspectors = [json.loads(x) for x in files["inspectors.jsonl"].decode().splitlines()]
    assert canonical_json(tool.rerun_draw(doc, targets, inspectors)) == result.data


def test_the_subcommand_is_listed_beside_the_existing_ones():
    assert list(tool.SUBCOMMANDS)[:2] == ["proof", "consistency"]
    assert "draw" in tool.SUBCOMMANDS
    help_text = subprocess.run(
        [sys.executable, str(TOOL), "draw", "--help"],
        capture_output=True,
        text=True,
        encoding="utf-8",
    ).stdout
    assert "draw-input.json" in help_text and "--expect-targets" in help_text
