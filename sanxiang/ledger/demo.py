"""Demo data: sign a checkpoint over the demo's ledger, so /transparency/ works at once."""

from __future__ import annotations

from . import services


def load(*, context: dict, stdout) -> None:
    checkpoint = services.checkpoint_issue()
    stdout.write(f"账本检查点：树大小 {checkpoint.size}")
