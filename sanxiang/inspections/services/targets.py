"""The target pool (检查对象名录库): import all or nothing, edits."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import transaction

from sanxiang import ledger
from sanxiang.lib.errors import DomainError

from .. import rules
from ..models import (
    RiskTag,
    Size,
    Target,
    TargetImport,
)
from .common import _require, _text

# --- the target pool (检查对象名录库) ------------------------------------------------------


class ImportRejected(DomainError):
    """The file has problems; ``parsed`` holds the per-row report. Nothing was written."""

    def __init__(self, parsed: rules.ParsedFile):
        self.parsed = parsed
        bad = len(parsed.bad_rows)
        message = "；".join(parsed.errors) or f"{bad}行有错误，整个文件未导入，请修改后重新导入"
        super().__init__(message, field="file")


@dataclass(frozen=True)
class ImportOutcome:
    parsed: rules.ParsedFile
    batch: TargetImport | None  # None for a dry run
    created: int
    updated: int
    unchanged: int


_TARGET_FIELDS = ("name", "address", "industry", "size", "risk_tags", "is_active")


@transaction.atomic
def targets_import(
    *, actor, agency, file_name: str, data: bytes, dry_run: bool = False
) -> ImportOutcome:
    """Import employers from CSV/XLSX, all or nothing: one bad row (bad credit code, duplicate,
    missing name…) and nothing is imported; the per-row report says what to fix. Rows whose
    credit code is already in the pool update it."""
    _require(actor, "inspections.manage_targets", "导入检查对象名录", agency=agency)
    file_name = _text(file_name, field="file", label="文件名", max_length=200)
    parsed = rules.read_file(file_name, data)
    if not parsed.ok:
        raise ImportRejected(parsed)
    existing = {t.uscc: t for t in Target.objects.select_for_update().filter(agency=agency)}
    new, changed, same = [], [], 0
    for row in parsed.rows:
        values = row.values
        target = existing.get(values["uscc"])
        if target is None:
            new.append(row)
            row.values["status"] = "新增"
        elif any(getattr(target, f) != values[f] for f in _TARGET_FIELDS):
            changed.append((target, row))
            row.values["status"] = "更新"
        else:
            same += 1
            row.values["status"] = "未变"
    if dry_run:
        return ImportOutcome(parsed, None, len(new), len(changed), same)
    batch = TargetImport.objects.create(
        agency=agency,
        file_name=file_name,
        file_sha256=hashlib.sha256(data).hexdigest(),
        rows=len(parsed.rows),
        created=len(new),
        updated=len(changed),
        unchanged=same,
        report=[dict(r.as_json(), status=r.values["status"]) for r in parsed.rows][:5000],
        imported_by=actor,
    )
    Target.objects.bulk_create(
        [
            Target(
                agency=agency,
                imported_by=batch,
                **{k: r.values[k] for k in ("uscc",) + _TARGET_FIELDS},
            )
            for r in new
        ],
        batch_size=1000,
    )
    for target, row in changed:
        for f in _TARGET_FIELDS:
            setattr(target, f, row.values[f])
        target.imported_by = batch
    Target.objects.bulk_update(
        [t for t, _ in changed], [*_TARGET_FIELDS, "imported_by", "updated_at"], batch_size=1000
    )
    ledger.record(
        actor=actor,
        subject=batch,
        type="inspection.targets_imported",
        data={
            "file": file_name,
            "sha256": batch.file_sha256,
            "rows": batch.rows,
            "created": batch.created,
            "updated": batch.updated,
            "unchanged": batch.unchanged,
        },
    )
    return ImportOutcome(parsed, batch, len(new), len(changed), same)


@transaction.atomic
def target_update(*, actor, target: Target, data: dict) -> Target:
    """Change a target's risk tags, size, address, industry or whether it is in the pool."""
    _require(actor, "inspections.manage_targets", "修改检查对象", agency=target.agency)
    target = Target.objects.select_for_update().get(pk=target.pk)
    values = {}
    if "name" in data:
        values["name"] = _text(data["name"], field="name", label="单位名称", max_length=200)
    if "address" in data:
        values["address"] = _text(
            data["address"], field="address", label="地址", max_length=200, required=False
        )
    if "industry" in data:
        values["industry"] = _text(
            data["industry"], field="industry", label="行业", max_length=100, required=False
        )
    if "size" in data:
        if data["size"] not in ("", *Size.values):
            raise DomainError("请选择有效的规模", field="size")
        values["size"] = data["size"]
    if "risk_tags" in data:
        tags = list(dict.fromkeys(data["risk_tags"] or []))
        if any(t not in RiskTag.values for t in tags):
            raise DomainError("风险标签无效", field="risk_tags")
        values["risk_tags"] = sorted(tags, key=rules.RISK_TAG_CODES.index)
    if "is_active" in data:
        values["is_active"] = bool(data["is_active"])
    changed = {k: {"before": getattr(target, k), "after": v} for k, v in values.items()}
    changed = {k: v for k, v in changed.items() if v["before"] != v["after"]}
    if not changed:
        return target
    for k, v in changed.items():
        setattr(target, k, v["after"])
    target.save()
    ledger.record(actor=actor, subject=target, type="inspection.target_updated", data=changed)
    return target
