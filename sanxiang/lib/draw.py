"""Verifiable random draw for 双随机、一公开 — algorithm ``sanxiang-draw-v1``.

Pure Python, no Django. The same algorithm is implemented a second time, independently, in
``tools/sanxiang-verify draw``; docs/random-inspections.md §4 is the specification both follow.
In short:

1. **Pools.** Each pool (targets 检查对象, inspectors 执法检查人员) is a *pool file*: one
   canonical JSON object per line (``sanxiang.lib.canonical``), every line ending in ``\\n``,
   lines in ascending order of the entry's ``id`` (code-point order), ids unique. Target
   entries are ``{"id": 统一社会信用代码, "name": ..., "weight": 1..1000}``; inspector entries
   ``{"id": 执法证号, "name": ...}``. The pool hash is SHA-256 of the file's bytes.
2. **Key.** ``K = SHA-256(canonical JSON of {"algorithm", "conflicts", "inspectors": hash,
   "parameters", "seed": hex, "targets": hash})`` — every input of the draw except the redraw
   requests made afterwards.
3. **Stream.** Block *i* = SHA-256(K ‖ i as 8-byte big-endian), i = 0, 1, …; the stream is
   the blocks concatenated, read as 64-bit big-endian unsigned words.
4. **uniform(n)** (0 ≤ result < n, 1 ≤ n ≤ 2⁵³): take words until one is below
   ``2⁶⁴ − (2⁶⁴ mod n)`` (rejection sampling, no modulo bias); return it mod n.
5. **Targets** — weighted sampling without replacement, successive draws: ``target_count``
   times, ``r = uniform(W)`` where W is the total weight of the targets not yet drawn, and the
   drawn target is the first remaining one (pool order) whose running weight sum exceeds r.
6. **Inspectors** — a queue of inspector "cards" dealt to the drawn targets in drawing order.
   Whenever a scan reaches the end of the queue, a new round is appended: the whole inspector
   pool in pool order shuffled by Fisher–Yates (for i = m−1 … 1: j = uniform(i + 1); swap).
   For each target, scan the queue from its front and take (remove) the first cards that are
   eligible until ``inspectors_per_target`` are taken; an ineligible card stays where it is
   for the next target. Ineligible: already on this target, or in a declared conflict with it
   (logged as a recusal 回避), or made unavailable by an earlier redraw.
7. **Redraws** after the draw (a conflict declared late, a certificate no longer valid) are
   processed in order, continuing the same queue and stream: the inspector leaves the target
   and the slot is refilled by the scan of step 6.

Every step uses integers only, so any language reproduces the result bit for bit.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sanxiang.lib.canonical import canonical_json

ALGORITHM = "sanxiang-draw-v1"
MAX_WEIGHT = 1000
MIN_INSPECTORS_PER_TARGET = 2  # DOMAIN.md §6 rule 5: 每个检查对象至少随机抽取2名执法检查人员
MAX_UNIFORM = 2**53
_TWO64 = 2**64

# Redraw reasons (docs/random-inspections.md §4.7).
CONFLICT = "conflict"  # 利益冲突回避: the inspector leaves this target only
UNAVAILABLE = "unavailable"  # 证件失效、离岗等: the inspector takes no further targets
REDRAW_REASONS = (CONFLICT, UNAVAILABLE)


class DrawError(ValueError):
    """The inputs cannot be drawn from; the message is Chinese and says why."""


# --- pools -----------------------------------------------------------------------------------

_POOL_LABEL = {"targets": "检查对象库", "inspectors": "执法检查人员库"}


@dataclass(frozen=True)
class Pool:
    kind: str  # "targets" | "inspectors"
    data: bytes  # the pool file
    entries: tuple[dict, ...]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def ids(self) -> list[str]:
        return [e["id"] for e in self.entries]


def normalise_text(value: str) -> str:
    """NFKC, whitespace runs → one space, trimmed: how names and seed texts enter a pool."""
    return " ".join(unicodedata.normalize("NFKC", str(value)).split())


def target_entry(*, id: str, name: str, weight: int) -> dict:  # noqa: A002
    return {"id": str(id), "name": normalise_text(name), "weight": weight}


def inspector_entry(*, id: str, name: str) -> dict:  # noqa: A002
    return {"id": str(id), "name": normalise_text(name)}


_enc = json.encoder.encode_basestring  # JSON string literal, non-ASCII kept as is
_FIELDS = {"targets": ("id", "name", "weight"), "inspectors": ("id", "name")}


def _line(kind: str, entry: dict) -> bytes:
    """One canonical JSON line (lib.canonical) of a pool entry: short strings, small integers."""
    if not isinstance(entry, dict) or tuple(sorted(entry)) != _FIELDS[kind]:
        raise DrawError(
            f"{_POOL_LABEL[kind]}的条目应恰好包含 {'、'.join(_FIELDS[kind])}：{entry!r}"
        )
    if not isinstance(entry["id"], str) or not entry["id"] or not isinstance(entry["name"], str):
        raise DrawError(f"{_POOL_LABEL[kind]}的条目编号和名称应为非空字符串：{entry!r}")
    if kind == "targets":
        w = entry["weight"]
        if not isinstance(w, int) or isinstance(w, bool) or not 1 <= w <= MAX_WEIGHT:
            raise DrawError(f"检查对象 {entry['id']} 的权重应为 1 至 {MAX_WEIGHT} 的整数")
    # Members in key order (id, name, weight), strings escaped exactly as json.dumps does with
    # ensure_ascii=False: the canonical JSON of the entry, without the general encoder's cost.
    text = '{"id":' + _enc(entry["id"]) + ',"name":' + _enc(entry["name"])
    if kind == "targets":
        text += ',"weight":' + str(entry["weight"])
    return (text + "}\n").encode("utf-8")


def pool_build(kind: str, entries: Iterable[dict]) -> Pool:
    """The canonical pool file of ``entries`` (sorted by id; duplicate ids refused)."""
    if kind not in _FIELDS:
        raise DrawError(f"未知的库：{kind}")
    rows = sorted(entries, key=lambda e: e["id"])
    for a, b in zip(rows, rows[1:], strict=False):
        if a["id"] == b["id"]:
            raise DrawError(f"{_POOL_LABEL[kind]}中编号 {a['id']} 重复")
    data = b"".join(_line(kind, e) for e in rows)
    return Pool(kind=kind, data=data, entries=tuple(rows))


def pool_parse(kind: str, data: bytes, *, canonical: bool = True) -> Pool:
    """Read a pool file and check that it is in canonical form (what the hash was taken of).
    ``canonical=False`` skips that check for files this module wrote itself (the server's
    frozen copy, whose hash the caller compares): half the time for 100,000 entries."""
    label = _POOL_LABEL.get(kind, kind)
    if data and not data.endswith(b"\n"):
        raise DrawError(f"{label}文件的最后一行缺少换行符")
    try:
        text = data.decode("utf-8")
        entries = json.loads("[" + ",".join(text.split("\n")[:-1]) + "]") if text else []
    except (UnicodeDecodeError, ValueError) as exc:
        raise DrawError(f"{label}文件不是逐行 JSON：{exc}") from None
    if not canonical:
        return Pool(kind=kind, data=data, entries=tuple(entries))
    pool = pool_build(kind, entries)
    if pool.data != data:
        raise DrawError(f"{label}文件不是规范格式（按编号排序、规范 JSON、每行一个对象）")
    return pool


# --- the stream ------------------------------------------------------------------------------


class Stream:
    """SHA-256 in counter mode, read as 64-bit big-endian words (§4.3), with rejection
    sampling for unbiased integers (§4.4)."""

    __slots__ = ("key", "block", "words", "used")

    def __init__(self, key: bytes):
        self.key = key
        self.block = 0
        self.words: list[int] = []
        self.used = 0  # words consumed, published with the result for cross-checking

    def word(self) -> int:
        if not self.words:
            digest = hashlib.sha256(self.key + self.block.to_bytes(8, "big")).digest()
            self.block += 1
            # reversed so that pop() yields them in stream order
            self.words = [int.from_bytes(digest[i : i + 8], "big") for i in (24, 16, 8, 0)]
        self.used += 1
        return self.words.pop()

    def uniform(self, n: int) -> int:
        if not 1 <= n <= MAX_UNIFORM:
            raise DrawError(f"随机整数的范围 {n} 超出 1 至 2^53")
        limit = _TWO64 - _TWO64 % n
        while True:
            x = self.word()
            if x < limit:
                return x % n


# --- inputs and key --------------------------------------------------------------------------


@dataclass(frozen=True)
class Parameters:
    target_count: int
    inspectors_per_target: int = MIN_INSPECTORS_PER_TARGET
    ratio_basis_points: int = 500  # 5.00 % (DOMAIN.md §6 rule 4: 全年抽查比例不低于5%)

    def as_json(self) -> dict:
        return {
            "inspectors_per_target": self.inspectors_per_target,
            "ratio_basis_points": self.ratio_basis_points,
            "target_count": self.target_count,
        }


def target_count_for(pool_size: int, ratio_basis_points: int) -> int:
    """⌈pool size × ratio⌉, at least 1 — "不低于" the ratio (integer arithmetic only)."""
    return max(1, -(-pool_size * ratio_basis_points // 10000)) if pool_size else 0


def seed_from_text(text: str) -> str:
    """Seed of a value entered by hand (e.g. 彩票开奖号码): SHA-256 of its normalised text."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def conflicts_canonical(pairs: Iterable[tuple[str, str]]) -> list[dict]:
    """Declared conflicts as published: unique (inspector, target) pairs, sorted."""
    return [{"inspector": i, "target": t} for i, t in sorted(set(pairs))]


def draw_key(
    *,
    parameters: Parameters,
    targets_sha256: str,
    inspectors_sha256: str,
    seed: str,
    conflicts: Sequence[dict],
) -> bytes:
    material = {
        "algorithm": ALGORITHM,
        "conflicts": list(conflicts),
        "inspectors": inspectors_sha256,
        "parameters": parameters.as_json(),
        "seed": seed,
        "targets": targets_sha256,
    }
    return hashlib.sha256(canonical_json(material)).digest()


# --- weighted selection ----------------------------------------------------------------------


class _Fenwick:
    """Prefix sums of the weights of targets not yet drawn (an implementation detail: the
    result is exactly that of the linear rule in §4.5)."""

    def __init__(self, weights: Sequence[int]):
        n = len(weights)
        tree = [0] * (n + 1)
        for i, w in enumerate(weights, start=1):
            tree[i] += w
            j = i + (i & -i)
            if j <= n:
                tree[j] += tree[i]
        self.tree, self.n = tree, n
        self.top = 1 << (n.bit_length() - 1) if n else 0

    def remove(self, index: int, weight: int) -> None:
        i, tree, n = index + 1, self.tree, self.n
        while i <= n:
            tree[i] -= weight
            i += i & -i

    def find(self, r: int) -> int:
        """Smallest 0-based index whose running sum exceeds r."""
        pos, step, tree, n = 0, self.top, self.tree, self.n
        while step:
            nxt = pos + step
            if nxt <= n and tree[nxt] <= r:
                pos = nxt
                r -= tree[nxt]
            step >>= 1
        return pos


def select_targets(stream: Stream, weights: Sequence[int], count: int) -> list[int]:
    """Indexes (pool order) of ``count`` targets drawn without replacement, each draw with
    probability proportional to weight among those left (§4.5)."""
    fenwick = _Fenwick(weights)
    total = sum(weights)
    chosen = []
    for _ in range(count):
        index = fenwick.find(stream.uniform(total))
        chosen.append(index)
        fenwick.remove(index, weights[index])
        total -= weights[index]
    return chosen


# --- inspectors ------------------------------------------------------------------------------


@dataclass
class _Dealer:
    """The card queue of §4.6; state carries on from the draw into later redraws."""

    stream: Stream
    m: int
    conflicts: set[tuple[int, int]]  # (inspector index, target index)
    unavailable: set[int] = field(default_factory=set)
    queue: list[int] = field(default_factory=list)
    recusals: list[dict] = field(default_factory=list)

    def shuffled_round(self) -> list[int]:
        a = list(range(self.m))
        for i in range(self.m - 1, 0, -1):  # Fisher–Yates (Durstenfeld)
            j = self.stream.uniform(i + 1)
            a[i], a[j] = a[j], a[i]
        return a

    def fill(self, target: int, have: list[int], need: int, stage: str, ids, tids) -> list[int]:
        taken: list[int] = []
        logged: set[int] = set()
        i = 0
        queue = self.queue
        while len(taken) < need:
            if i == len(queue):
                queue.extend(self.shuffled_round())
            card = queue[i]
            if card in have or card in taken or card in self.unavailable:
                i += 1
            elif (card, target) in self.conflicts:
                if card not in logged:
                    logged.add(card)
                    self.recusals.append(
                        {"inspector": ids[card], "stage": stage, "target": tids[target]}
                    )
                i += 1
            else:
                taken.append(card)
                del queue[i]
        return taken


@dataclass(frozen=True)
class Result:
    document: dict  # the published result (canonical JSON → result hash)

    @property
    def data(self) -> bytes:
        return canonical_json(self.document)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def tasks(self) -> list[dict]:
        return self.document["tasks"]


def run(
    *,
    targets: Pool,
    inspectors: Pool,
    parameters: Parameters,
    seed: str,
    conflicts: Sequence[dict] = (),
    redraws: Sequence[dict] = (),
) -> Result:
    """The draw of §4: selected targets with their inspectors, recusals, redraws."""
    _check_seed(seed)
    tids, ids = targets.ids, inspectors.ids
    n, m, k = len(tids), len(ids), parameters.inspectors_per_target
    if parameters.ratio_basis_points < 1 or parameters.ratio_basis_points > 10000:
        raise DrawError("抽查比例应在 0.01% 至 100% 之间")
    if parameters.target_count != target_count_for(n, parameters.ratio_basis_points):
        raise DrawError(
            f"抽取数量 {parameters.target_count} 与检查对象数 {n} × 抽查比例不符"
            f"（应为 {target_count_for(n, parameters.ratio_basis_points)}）"
        )
    if n == 0:
        raise DrawError("检查对象库为空")
    if k < MIN_INSPECTORS_PER_TARGET:
        raise DrawError("每个检查对象至少抽取2名执法检查人员")
    if m < k:
        raise DrawError(f"执法检查人员库只有 {m} 人，少于每个检查对象所需的 {k} 人")
    tindex = {t: i for i, t in enumerate(tids)}
    iindex = {x: i for i, x in enumerate(ids)}
    pairs = set()
    for c in conflicts:
        if c.get("inspector") not in iindex or c.get("target") not in tindex:
            raise DrawError(f"利益冲突申报中的人员或检查对象不在库中：{c}")
        pairs.add((iindex[c["inspector"]], tindex[c["target"]]))
    if list(conflicts) != conflicts_canonical((c["inspector"], c["target"]) for c in conflicts):
        raise DrawError("利益冲突清单应按（人员、检查对象）排序且不重复")

    key = draw_key(
        parameters=parameters,
        targets_sha256=targets.sha256,
        inspectors_sha256=inspectors.sha256,
        seed=seed,
        conflicts=conflicts,
    )
    stream = Stream(key)
    weights = [e["weight"] for e in targets.entries]
    chosen = select_targets(stream, weights, parameters.target_count)

    recused_per_target = Counter(t for _, t in pairs)
    for t in chosen:
        eligible = m - recused_per_target[t]
        if eligible < k:
            raise DrawError(f"检查对象 {tids[t]} 因回避只剩 {eligible} 名可抽取的执法检查人员")

    dealer = _Dealer(stream=stream, m=m, conflicts=pairs)
    teams: dict[int, list[int]] = {}
    for t in chosen:
        teams[t] = dealer.fill(t, [], k, "draw", ids, tids)
    words_at_draw = stream.used

    done = []
    for number, r in enumerate(redraws, start=1):
        target, inspector, reason = r.get("target"), r.get("inspector"), r.get("reason")
        if target not in tindex or tindex[target] not in teams:
            raise DrawError(f"第{number}次重新抽取：检查对象 {target} 未被抽中")
        t = tindex[target]
        if inspector not in iindex or iindex[inspector] not in teams[t]:
            raise DrawError(f"第{number}次重新抽取：{inspector} 不是检查对象 {target} 的检查人员")
        if reason not in REDRAW_REASONS:
            raise DrawError(f"第{number}次重新抽取：原因应为 {'、'.join(REDRAW_REASONS)}")
        x = iindex[inspector]
        if reason == CONFLICT:
            pairs.add((x, t))
        else:
            dealer.unavailable.add(x)
        team = [y for y in teams[t] if y != x]
        remaining = [y for y in range(m) if y not in dealer.unavailable and (y, t) not in pairs]
        if len(remaining) < k:
            raise DrawError(f"第{number}次重新抽取：检查对象 {target} 已无足够的执法检查人员可抽取")
        new = dealer.fill(t, team, 1, "redraw", ids, tids)[0]
        teams[t] = team + [new]
        done.append(
            {"inspector": inspector, "reason": reason, "replacement": ids[new], "target": target}
        )

    document = {
        "algorithm": ALGORITHM,
        "key": key.hex(),
        "recusals": dealer.recusals,
        "redraws": done,
        "stream_words": {"draw": words_at_draw, "total": stream.used},
        "tasks": [
            {"inspectors": [ids[x] for x in teams[t]], "n": i, "target": tids[t]}
            for i, t in enumerate(chosen, start=1)
        ],
    }
    return Result(document)


def _check_seed(seed: str) -> None:
    if not (
        isinstance(seed, str) and len(seed) == 64 and all(c in "0123456789abcdef" for c in seed)
    ):
        raise DrawError("种子应为 64 位小写十六进制（32 字节）")


# --- the published input document --------------------------------------------------------


def input_document(
    *,
    plan: dict,
    parameters: Parameters,
    targets: Pool,
    inspectors: Pool,
    seed: dict,
    conflicts: Sequence[dict],
    redraws: Sequence[dict],
) -> dict:
    """draw-input.json: everything needed to re-run the draw (docs/random-inspections.md §5).
    ``seed`` holds "source", "value" and the source's own fields."""
    return {
        "algorithm": ALGORITHM,
        "conflicts": list(conflicts),
        "parameters": parameters.as_json(),
        "plan": plan,
        "pools": {
            "inspectors": {
                "count": len(inspectors.entries),
                "file": "inspectors.jsonl",
                "sha256": inspectors.sha256,
            },
            "targets": {
                "count": len(targets.entries),
                "file": "targets.jsonl",
                "sha256": targets.sha256,
            },
        },
        "redraws": list(redraws),
        "seed": seed,
    }
