"""Pure rules of 案卷评查 (no database): grading, score totals, deduction checks and the
verifiable sampling of closed case files. Tested without Django (DOMAIN.md §7.1, §12 items
74–75).

Sampling — algorithm ``sanxiang-evaluation-sample-v1``, built on the primitives of
``sanxiang.lib.draw`` (docs/random-inspections.md §4):

1. **Pool.** The closed cases of the agency whose closing date falls in the period, as a
   ``lib.draw`` target pool file: one canonical JSON line ``{"id": 案号, "name": 案情摘要,
   "weight": 1}`` per case, sorted by id. The pool hash is SHA-256 of the file.
2. **Key.** ``K = SHA-256(canonical JSON of {"algorithm", "count", "pool": hash, "seed"})``.
3. **Draw.** ``count`` cases by ``lib.draw.select_targets`` on ``lib.draw.Stream(K)`` with equal
   weights: sampling without replacement, integers only, reproducible in any language.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sanxiang.lib import draw
from sanxiang.lib.canonical import canonical_json

ALGORITHM = "sanxiang-evaluation-sample-v1"
FAIL_GRADE = "不合格"
# DOMAIN.md §7.1: 优秀 ≥ 90, 合格 ≥ 60 are common cut-offs, not verified — configurable
# (settings.EVALUATION_GRADES, see config.py).
DEFAULT_GRADES: tuple[tuple[str, int], ...] = (("优秀", 90), ("合格", 60))
MAX_NOTE = 500


# --- grades ------------------------------------------------------------------------------------


def check_grades(grades: Sequence[tuple[str, int | Decimal]]) -> list[str]:
    """Reasons why a grade table is unusable (empty list when it is fine): names non-empty and
    distinct from 不合格, cut-offs strictly descending within 0–100."""
    reasons = []
    if not grades:
        reasons.append("至少应设置一个等次")
    names = set()
    previous = None
    for entry in grades:
        try:
            name, cut = entry
            cut = Decimal(str(cut))
        except (TypeError, ValueError, InvalidOperation):
            reasons.append(f"等次设置 {entry!r} 应为（名称, 分数线）")
            continue
        if not isinstance(name, str) or not name.strip() or name == FAIL_GRADE or name in names:
            reasons.append(f"等次名称 {name!r} 不能为空、重复或为“{FAIL_GRADE}”")
        names.add(name)
        if not Decimal(0) <= cut <= Decimal(100):
            reasons.append(f"等次“{name}”的分数线 {cut} 应在 0 至 100 之间")
        if previous is not None and cut >= previous:
            reasons.append(f"等次“{name}”的分数线应低于上一等次（{previous}）")
        previous = cut
    return reasons


def grade_for(total: Decimal, *, vetoed: bool, grades: Sequence[tuple[str, int]]) -> str:
    """The grade of a file: any veto item → 不合格 regardless of points (DOMAIN.md §7.1);
    otherwise the first grade whose cut-off the total reaches, else 不合格."""
    if vetoed:
        return FAIL_GRADE
    for name, cut in grades:
        if total >= Decimal(str(cut)):
            return name
    return FAIL_GRADE


def grade_names(grades: Sequence[tuple[str, int]]) -> list[str]:
    return [name for name, _ in grades] + [FAIL_GRADE]


def show(points: Decimal) -> str:
    """Points as people write them: 3, 1.5 (not 3.0)."""
    return f"{Decimal(points).normalize():f}"


# --- scores ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRule:
    code: str
    text: str
    points: Decimal


@dataclass(frozen=True)
class Deduction:
    code: str
    amount: Decimal
    note: str


def parse_points(value) -> Decimal | None:
    """A deduction as entered: blank → 0; one decimal place at most; None if not a number."""
    text = str(value if value is not None else "").strip()
    if not text:
        return Decimal(0)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.1")):
        return None
    return amount.quantize(Decimal("0.1"))


def check_deductions(items: Iterable[ItemRule], deductions: Mapping[str, Deduction]) -> list[str]:
    """Reasons why the deductions cannot be accepted: unknown item, negative or more than the
    item's points, or a deduction without a note (每一处扣分都要写明理由)."""
    by_code = {i.code: i for i in items}
    reasons = []
    for code, d in deductions.items():
        item = by_code.get(code)
        if item is None:
            reasons.append(f"评查标准中没有细目 {code}")
            continue
        if d.amount < 0:
            reasons.append(f"{code}「{item.text}」扣分不能为负数")
        elif d.amount > item.points:
            reasons.append(
                f"{code}「{item.text}」最多扣 {show(item.points)} 分，不能扣 {show(d.amount)} 分"
            )
        if d.amount > 0 and not d.note.strip():
            reasons.append(f"{code}「{item.text}」扣 {show(d.amount)} 分，须写明扣分理由")
        if len(d.note) > MAX_NOTE:
            reasons.append(f"{code}「{item.text}」的扣分理由不能超过 {MAX_NOTE} 字")
    return reasons


def total_score(items: Iterable[ItemRule], deductions: Mapping[str, Deduction]) -> Decimal:
    """Full points of the standard minus every deduction (never below 0)."""
    full = sum((i.points for i in items), Decimal(0))
    lost = sum((d.amount for d in deductions.values()), Decimal(0))
    return max(full - lost, Decimal(0)).quantize(Decimal("0.1"))


# --- sampling ------------------------------------------------------------------------------------


def sample_pool(cases: Iterable[tuple[str, str]]) -> draw.Pool:
    """The pool file of (case number, summary) pairs, each with weight 1."""
    return draw.pool_build(
        "targets",
        (draw.target_entry(id=number, name=summary or "—", weight=1) for number, summary in cases),
    )


def sample_key(*, pool_sha256: str, seed: str, count: int) -> bytes:
    material = {"algorithm": ALGORITHM, "count": count, "pool": pool_sha256, "seed": seed}
    return hashlib.sha256(canonical_json(material)).digest()


def sample_draw(pool: draw.Pool, *, seed: str, count: int) -> list[str]:
    """The case numbers drawn, in drawing order. Raises ``draw.DrawError`` (Chinese) for a bad
    seed or a count larger than the pool."""
    if not (isinstance(seed, str) and len(seed) == 64 and set(seed) <= set("0123456789abcdef")):
        raise draw.DrawError("种子应为 64 位小写十六进制（32 字节）")
    size = len(pool.entries)
    if count < 1:
        raise draw.DrawError("抽查数量应至少为 1 件")
    if count > size:
        raise draw.DrawError(f"抽查数量 {count} 件超过可抽取的已结案案件数 {size} 件")
    stream = draw.Stream(sample_key(pool_sha256=pool.sha256, seed=seed, count=count))
    chosen = draw.select_targets(stream, [e["weight"] for e in pool.entries], count)
    return [pool.entries[i]["id"] for i in chosen]
