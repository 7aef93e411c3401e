"""sanxiang.lib.draw (sanxiang-draw-v1): the exact algorithm on small vectors worked by hand
with hashlib, statistics with fixed seeds, recusal and redraws, pool files."""

from __future__ import annotations

import hashlib
import json
import struct
from collections import Counter

import pytest

from sanxiang.lib import draw
from sanxiang.lib.canonical import canonical_json

SEED = hashlib.sha256(b"sanxiang test seed").hexdigest()


def targets(weights):
    return draw.pool_build(
        "targets",
        [
            draw.target_entry(id=f"T{i:03d}", name=f"单位{i}", weight=w)
            for i, w in enumerate(weights)
        ],
    )


def inspectors(m):
    return draw.pool_build(
        "inspectors", [draw.inspector_entry(id=f"C{i:02d}", name=f"人员{i}") for i in range(m)]
    )


def params(n, bp=500, k=2):
    return draw.Parameters(
        target_count=draw.target_count_for(n, bp), inspectors_per_target=k, ratio_basis_points=bp
    )


# --- the stream and uniform integers -----------------------------------------------------------


def test_the_stream_is_sha256_of_key_and_a_big_endian_counter_read_as_64_bit_words():
    key = bytes(range(32))
    stream = draw.Stream(key)
    words = [stream.word() for _ in range(8)]
    expected = []
    for counter in range(2):
        block = hashlib.sha256(key + struct.pack(">Q", counter)).digest()
        expected += struct.unpack(">4Q", block)
    assert words == expected


def test_uniform_rejects_words_above_the_largest_multiple_so_there_is_no_modulo_bias():
    class Fixed(draw.Stream):
        def __init__(self, values):
            super().__init__(b"")
            self.values = list(values)

        def word(self):
            self.used += 1
            return self.values.pop(0)

    n = 3
    limit = 2**64 - 2**64 % n  # 2**64 - 1: the single word 2**64 - 1 is rejected
    stream = Fixed([2**64 - 1, 7])
    assert stream.uniform(n) == 7 % 3 and stream.used == 2
    assert Fixed([limit - 1]).uniform(n) == (limit - 1) % 3


def test_uniform_is_even_over_many_draws():
    stream = draw.Stream(b"k" * 32)
    counts = Counter(stream.uniform(6) for _ in range(60_000))
    assert all(abs(c - 10_000) < 450 for c in counts.values())  # ~4.5 sigma


# --- the whole algorithm on a small vector, recomputed step by step -------------------------


def test_the_exact_algorithm_on_a_small_known_vector():
    """Recompute the draw of §4 with nothing but hashlib and integers, step by step."""
    t = targets([1, 3, 1, 5])  # 4 targets, 100 % → all drawn, order by weight
    i = inspectors(3)
    p = draw.Parameters(target_count=4, inspectors_per_target=2, ratio_basis_points=10000)
    result = draw.run(targets=t, inspectors=i, parameters=p, seed=SEED)

    material = {
        "algorithm": "sanxiang-draw-v1",
        "conflicts": [],
        "inspectors": hashlib.sha256(i.data).hexdigest(),
        "parameters": {"inspectors_per_target": 2, "ratio_basis_points": 10000, "target_count": 4},
        "seed": SEED,
        "targets": hashlib.sha256(t.data).hexdigest(),
    }
    key = hashlib.sha256(
        json.dumps(material, sort_keys=True, separators=(",", ":")).encode()
    ).digest()
    assert result.document["key"] == key.hex()

    def words():
        counter = 0
        while True:
            yield from struct.unpack(
                ">4Q", hashlib.sha256(key + struct.pack(">Q", counter)).digest()
            )
            counter += 1

    w = words()

    def below(n):
        while True:
            x = next(w)
            if x < 2**64 - 2**64 % n:
                return x % n

    remaining = [("T000", 1), ("T001", 3), ("T002", 1), ("T003", 5)]
    order = []
    while remaining:
        r = below(sum(weight for _, weight in remaining))
        running = 0
        for index, (tid, weight) in enumerate(remaining):
            running += weight
            if running > r:
                order.append(tid)
                del remaining[index]
                break
    queue, teams = [], []
    for _ in order:
        team = []
        pos = 0
        while len(team) < 2:
            if pos == len(queue):
                cards = [0, 1, 2]
                for a in range(2, 0, -1):
                    b = below(a + 1)
                    cards[a], cards[b] = cards[b], cards[a]
                queue += cards
            if queue[pos] in team:
                pos += 1
            else:
                team.append(queue.pop(pos))
        teams.append([f"C{x:02d}" for x in team])
    assert [task["target"] for task in result.tasks] == order
    assert [task["inspectors"] for task in result.tasks] == teams


def test_a_frozen_vector_keeps_version_1_stable():
    """If this fails the algorithm changed: that is a new version (sanxiang-draw-v2), never an
    edit of v1 — published draws must stay re-runnable."""
    t = targets([1, 2, 3, 1, 1, 5, 1, 1, 2, 1])
    result = draw.run(
        targets=t,
        inspectors=inspectors(4),
        parameters=params(10, bp=3000),
        seed="00" * 32,
        conflicts=draw.conflicts_canonical([("C01", "T005")]),
    )
    assert [(x["target"], x["inspectors"]) for x in result.tasks] == VECTOR_V1


VECTOR_V1 = [
    ("T000", ["C01", "C03"]),
    ("T005", ["C02", "C00"]),
    ("T001", ["C00", "C03"]),
]


# --- properties ------------------------------------------------------------------------------


def test_same_inputs_same_draw_and_any_input_change_changes_it():
    t, i = targets([1] * 50), inspectors(6)
    a = draw.run(targets=t, inspectors=i, parameters=params(50, 2000), seed=SEED)
    assert draw.run(targets=t, inspectors=i, parameters=params(50, 2000), seed=SEED).data == a.data
    other_seed = draw.run(targets=t, inspectors=i, parameters=params(50, 2000), seed="11" * 32)
    assert other_seed.tasks != a.tasks
    renamed = draw.pool_build(
        "targets", [dict(e, name=e["name"] + "X") if e["id"] == "T000" else e for e in t.entries]
    )
    assert renamed.sha256 != t.sha256
    assert (
        draw.run(targets=renamed, inspectors=i, parameters=params(50, 2000), seed=SEED).tasks
        != a.tasks
    )


def test_the_ratio_draws_the_rounded_up_share_of_the_pool():
    assert draw.target_count_for(200, 500) == 10
    assert draw.target_count_for(201, 500) == 11  # 10.05 → 11: "不低于5%"
    assert draw.target_count_for(3, 500) == 1
    assert draw.target_count_for(100_000, 500) == 5000
    with pytest.raises(draw.DrawError, match="抽取数量"):
        draw.run(
            targets=targets([1] * 200),
            inspectors=inspectors(4),
            parameters=draw.Parameters(target_count=9, ratio_basis_points=500),
            seed=SEED,
        )


def test_single_picks_follow_the_weights():
    """With one target drawn, P(i) = w_i / W exactly; 20,000 seeds, chi-square with 3 d.f."""
    t, i = targets([1, 2, 3, 4]), inspectors(2)
    p = draw.Parameters(target_count=1, inspectors_per_target=2, ratio_basis_points=1)
    counts = Counter()
    for n in range(20_000):
        seed = hashlib.sha256(n.to_bytes(4, "big")).hexdigest()
        counts[draw.run(targets=t, inspectors=i, parameters=p, seed=seed).tasks[0]["target"]] += 1
    expected = {"T000": 2000, "T001": 4000, "T002": 6000, "T003": 8000}
    chi2 = sum((counts[k] - e) ** 2 / e for k, e in expected.items())
    assert chi2 < 16.27  # p = 0.001


def test_heavier_targets_are_drawn_more_often_in_a_large_pool():
    weights = [5] * 100 + [1] * 900
    t, i = targets(weights), inspectors(10)
    heavy = 0
    for n in range(20):
        seed = hashlib.sha256(b"w" + bytes([n])).hexdigest()
        result = draw.run(targets=t, inspectors=i, parameters=params(1000, 1000), seed=seed)
        heavy += sum(1 for x in result.tasks if int(x["target"][1:]) < 100)
    # 100 of 1,000 targets carry 500 of 1,400 weight: far above their 10 % share.
    assert 0.30 < heavy / (20 * 100) < 0.45


def test_each_target_gets_distinct_inspectors_and_the_load_is_balanced():
    t, i = targets([1] * 1000), inspectors(7)
    result = draw.run(targets=t, inspectors=i, parameters=params(1000, 2000, k=3), seed=SEED)
    load = Counter()
    for task in result.tasks:
        assert len(task["inspectors"]) == len(set(task["inspectors"])) == 3
        load.update(task["inspectors"])
    assert max(load.values()) - min(load.values()) <= 1  # 600 seats over 7 people


def test_fewer_than_two_inspectors_per_target_is_refused():
    with pytest.raises(draw.DrawError, match="至少抽取2名"):
        draw.run(
            targets=targets([1] * 10),
            inspectors=inspectors(3),
            parameters=params(10, k=1),
            seed=SEED,
        )
    with pytest.raises(draw.DrawError, match="少于每个检查对象所需"):
        draw.run(
            targets=targets([1] * 10), inspectors=inspectors(1), parameters=params(10), seed=SEED
        )


def test_a_conflict_skips_the_card_logs_the_recusal_and_keeps_it_for_the_next_target():
    t, i = targets([1] * 30), inspectors(6)
    pairs = [("C00", f"T{n:03d}") for n in range(0, 30, 3)]
    conflicts = draw.conflicts_canonical(pairs)
    result = draw.run(
        targets=t, inspectors=i, parameters=params(30, 10000), seed=SEED, conflicts=conflicts
    )
    load = Counter()
    for task in result.tasks:
        load.update(task["inspectors"])
        if ("C00", task["target"]) in pairs:
            assert "C00" not in task["inspectors"]
    recusals = result.document["recusals"]
    assert recusals and all(
        r["stage"] == "draw" and (r["inspector"], r["target"]) in pairs for r in recusals
    )
    # The skipped card waits at the front of the queue: C00 still gets (about) a full share.
    assert max(load.values()) - min(load.values()) <= 2
    # Deterministic: the same declared conflicts give the same draw again.
    again = draw.run(
        targets=t, inspectors=i, parameters=params(30, 10000), seed=SEED, conflicts=conflicts
    )
    assert again.data == result.data


def test_a_target_with_too_few_eligible_inspectors_is_refused():
    t, i = targets([1] * 2), inspectors(2)
    conflicts = draw.conflicts_canonical([("C00", "T000"), ("C00", "T001")])
    with pytest.raises(draw.DrawError, match="因回避只剩"):
        draw.run(
            targets=t, inspectors=i, parameters=params(2, 10000), seed=SEED, conflicts=conflicts
        )


def test_redraws_continue_the_stream_and_change_only_that_seat():
    t, i = targets([1] * 40), inspectors(5)
    base = draw.run(targets=t, inspectors=i, parameters=params(40, 2500), seed=SEED)
    task = base.tasks[2]
    request = {"inspector": task["inspectors"][1], "reason": "conflict", "target": task["target"]}
    after = draw.run(
        targets=t, inspectors=i, parameters=params(40, 2500), seed=SEED, redraws=[request]
    )
    changed = [(a, b) for a, b in zip(base.tasks, after.tasks, strict=True) if a != b]
    assert len(changed) == 1
    old, new = changed[0]
    assert old["inspectors"][0] == new["inspectors"][0]
    assert new["inspectors"][1] not in old["inspectors"]
    assert after.document["redraws"][0]["replacement"] == new["inspectors"][1]
    assert after.document["stream_words"]["draw"] == base.document["stream_words"]["draw"]
    # An unavailable officer takes no later replacement anywhere.
    gone = task["inspectors"][0]
    more = [request, {"inspector": gone, "reason": "unavailable", "target": task["target"]}]
    later = [t2 for t2 in base.tasks if gone not in t2["inspectors"]][:3]
    more += [
        {"inspector": x["inspectors"][0], "reason": "conflict", "target": x["target"]}
        for x in later
    ]
    result = draw.run(targets=t, inspectors=i, parameters=params(40, 2500), seed=SEED, redraws=more)
    assert all(r["replacement"] != gone for r in result.document["redraws"][1:])


# --- pool files --------------------------------------------------------------------------------


def test_pool_files_are_canonical_json_lines_sorted_by_id():
    pool = draw.pool_build(
        "targets",
        [
            draw.target_entry(id="B", name="乙 公司", weight=2),
            draw.target_entry(id="A", name='甲"', weight=1),
        ],
    )
    assert (
        pool.data
        == canonical_json({"id": "A", "name": '甲"', "weight": 1})
        + b"\n"
        + canonical_json({"id": "B", "name": "乙 公司", "weight": 2})
        + b"\n"
    )
    assert draw.pool_parse("targets", pool.data).entries == pool.entries


@pytest.mark.parametrize(
    "data, message",
    [
        (b'{"id":"B","name":"b","weight":1}\n{"id":"A","name":"a","weight":1}\n', "不是规范格式"),
        (b'{"id":"A","name":"a","weight":1}\n{"id":"A","name":"b","weight":1}\n', "重复"),
        (b'{"id":"A", "name":"a","weight":1}\n', "不是规范格式"),
        (b'{"id":"A","name":"a","weight":0}\n', "权重"),
        (b'{"id":"A","name":"a"}\n', "恰好包含"),
        (b'{"id":"A","name":"a","weight":1}', "换行"),
        (b"not json\n", "逐行 JSON"),
    ],
)
def test_non_canonical_or_bad_pool_files_are_refused(data, message):
    with pytest.raises(draw.DrawError, match=message):
        draw.pool_parse("targets", data)


def test_manual_seeds_are_the_hash_of_the_normalised_text():
    assert draw.seed_from_text(" ０１  02\t03 ") == hashlib.sha256(b"01 02 03").hexdigest()
