"""Services of 双随机、一公开: the only writers of the target pool, plans, draws, tasks and
results. Keyword-only, ``actor`` first, one transaction each with its ledger event; bad input
raises a Chinese ``DomainError`` before anything is written (or inside the transaction, which
then rolls back).

The order that makes the draw verifiable (docs/random-inspections.md §3):
``plan_publish`` states the seed rule (a future checkpoint, or a public value of a later date)
→ ``pools_freeze`` fixes both pools and the conflicts and records their hashes, while the seed
does not exist yet → ``seed_fix`` reads the seed once it exists → ``draw_execute`` runs
``sanxiang.lib.draw`` and creates the tasks → late conflicts cause logged redraws.
"""

from .draws import (
    conflict_declare,
    draw_execute,
    draw_rerun,
    inspector_pool,
    pools_freeze,
    seed_checkpoint,
    seed_fix,
)
from .onsite import task_evidence_add, task_record_make, task_record_scan_attach
from .plans import plan_create, plan_publish, plan_seed_restate, plan_update
from .results import task_result_publish, task_result_record
from .targets import ImportOutcome, ImportRejected, target_update, targets_import

__all__ = [
    "ImportOutcome",
    "ImportRejected",
    "conflict_declare",
    "draw_execute",
    "draw_rerun",
    "inspector_pool",
    "plan_create",
    "plan_publish",
    "plan_seed_restate",
    "plan_update",
    "pools_freeze",
    "seed_checkpoint",
    "seed_fix",
    "target_update",
    "targets_import",
    "task_evidence_add",
    "task_record_make",
    "task_record_scan_attach",
    "task_result_publish",
    "task_result_record",
]
