"""End to end: a running instance serves proofs and checkpoints over HTTP, and the
stand-alone tools/sanxiang-verify (what a court or the public runs) accepts them — and
rejects them after any one-byte change."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.db import transaction

from sanxiang import ledger
from sanxiang.ledger import services

ROOT = Path(__file__).resolve().parents[2]
VERIFY = [sys.executable, str(ROOT / "tools" / "sanxiang-verify")]


def fetch(live_server, path: str) -> bytes:
    with urllib.request.urlopen(f"{live_server.url}{path}", timeout=30) as response:
        assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
        return response.read()


def record(n: int, start: int) -> None:
    for i in range(start, start + n):
        with transaction.atomic():
            ledger.record(
                actor=None,
                subject=("cases.case", str(i % 2)),
                type="case.step_recorded",
                data={"step": "调查询问", "i": i},
            )


def run(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([*VERIFY, *map(str, args)], capture_output=True, text=True, timeout=60)


@pytest.fixture
def served(live_server, settings, tmp_path):
    """Files downloaded from the running instance: key, proof of entry 3, checkpoints at 5
    and 9, and the consistency proof between them."""
    record(5, 0)
    services.checkpoint_issue()
    record(4, 5)
    services.checkpoint_issue()
    files = {
        "key": fetch(live_server, "/transparency/key"),
        "proof": fetch(live_server, "/transparency/proof/3"),
        "old": fetch(live_server, "/transparency/checkpoint/5"),
        "new": fetch(live_server, "/transparency/checkpoint"),
        "consistency": fetch(live_server, "/transparency/consistency?old=5&new=9"),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / name
        paths[name].write_bytes(data)
    return paths


def flipped(path: Path, offset: int, tmp_path: Path) -> Path:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    out = tmp_path / f"{path.name}-{offset}"
    out.write_bytes(bytes(data))
    return out


def test_verifier_accepts_what_the_instance_serves(served):
    done = run("proof", served["proof"], "--key", served["key"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "验证通过" in done.stdout and "case.step_recorded" in done.stdout
    done = run(
        "consistency",
        served["old"],
        served["new"],
        "--key",
        served["key"],
        "--proof",
        served["consistency"],
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_verifier_rejects_a_proof_after_any_one_byte_change(served, tmp_path):
    size = len(served["proof"].read_bytes())
    # every 7th byte, plus the first and last: entry, index, path, checkpoint and signature
    for offset in sorted({0, size - 1, *range(0, size, 7)}):
        done = run("proof", flipped(served["proof"], offset, tmp_path), "--key", served["key"])
        assert done.returncode != 0, f"byte {offset} changed but the proof still verified"


def test_verifier_rejects_a_checkpoint_after_any_one_byte_change(served, tmp_path):
    size = len(served["new"].read_bytes())
    for offset in sorted({0, size - 1, *range(0, size, 5)}):
        changed = flipped(served["new"], offset, tmp_path)
        done = run(
            "consistency",
            served["old"],
            changed,
            "--key",
            served["key"],
            "--proof",
            served["consistency"],
        )
        assert done.returncode != 0, f"byte {offset} changed but the checkpoint still verified"
