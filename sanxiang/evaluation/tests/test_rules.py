"""Pure rules of 案卷评查: grades, totals, deduction checks and the verifiable sample draw."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from sanxiang.evaluation import rules
from sanxiang.evaluation.standards import XINJIANG_2010, total_points
from sanxiang.lib import draw

GRADES = rules.DEFAULT_GRADES
ITEMS = [rules.ItemRule("A1", "立案审批", D("4")), rules.ItemRule("A2", "送达回证", D("3"))]


def test_the_default_standard_is_worth_100_points_with_unique_codes():
    assert total_points(XINJIANG_2010) == 100
    codes = [c for _, items in XINJIANG_2010["sections"] for c, *_ in items]
    codes += [c for c, _ in XINJIANG_2010["vetoes"]]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (D("100"), "优秀"),
        (D("90"), "优秀"),
        (D("89.9"), "合格"),
        (D("60"), "合格"),
        (D("59.9"), "不合格"),
    ],
)
def test_grade_follows_the_cut_offs(total, expected):
    assert rules.grade_for(total, vetoed=False, grades=GRADES) == expected


def test_a_veto_item_makes_a_full_score_file_fail():
    assert rules.grade_for(D("100"), vetoed=True, grades=GRADES) == "不合格"


def test_grade_tables_are_checked():
    assert rules.check_grades(GRADES) == []
    assert rules.check_grades([("合格", 60), ("优秀", 90)])  # not descending
    assert rules.check_grades([("不合格", 50)])
    assert rules.check_grades([("优秀", 120)])
    assert rules.check_grades([])


def test_a_deduction_needs_a_note_and_stays_within_the_item_points():
    ok = {"A1": rules.Deduction("A1", D("2"), "审批表未签名")}
    assert rules.check_deductions(ITEMS, ok) == []
    [reason] = rules.check_deductions(ITEMS, {"A1": rules.Deduction("A1", D("2"), " ")})
    assert "须写明扣分理由" in reason
    [reason] = rules.check_deductions(ITEMS, {"A2": rules.Deduction("A2", D("3.5"), "缺")})
    assert "最多扣 3 分" in reason
    assert rules.check_deductions(ITEMS, {"Z9": rules.Deduction("Z9", D("1"), "x")})


def test_total_is_full_points_minus_deductions():
    d = {"A1": rules.Deduction("A1", D("1.5"), "x"), "A2": rules.Deduction("A2", D("3"), "y")}
    assert rules.total_score(ITEMS, d) == D("2.5")


@pytest.mark.parametrize(("raw", "expected"), [("", D(0)), ("2", D(2)), (" 1.5 ", D("1.5"))])
def test_points_as_entered(raw, expected):
    assert rules.parse_points(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "1.25", "NaN", "inf"])
def test_points_that_are_not_a_one_decimal_number_are_refused(raw):
    assert rules.parse_points(raw) is None


def _pool(n=30):
    return rules.sample_pool((f"陵人社监立〔2026〕{i}号", f"案件{i}") for i in range(1, n + 1))


def test_the_sample_is_reproducible_from_the_seed_and_changes_with_it():
    pool, seed = _pool(), draw.seed_from_text("2026001期 03 11 17 22 28 + 05 09")
    first = rules.sample_draw(pool, seed=seed, count=5)
    assert first == rules.sample_draw(draw.pool_parse("targets", pool.data), seed=seed, count=5)
    assert len(set(first)) == 5 and set(first) <= set(pool.ids)
    other = rules.sample_draw(pool, seed="0" * 64, count=5)
    assert other != first


def test_the_sample_draw_is_pinned():
    # Pins algorithm sanxiang-evaluation-sample-v1: a change here breaks published samples.
    assert rules.sample_draw(_pool(10), seed="ab" * 32, count=3) == PINNED


PINNED = ["陵人社监立〔2026〕7号", "陵人社监立〔2026〕10号", "陵人社监立〔2026〕3号"]


def test_bad_sample_inputs_are_refused_in_chinese():
    with pytest.raises(draw.DrawError, match="超过可抽取"):
        rules.sample_draw(_pool(3), seed="0" * 64, count=4)
    with pytest.raises(draw.DrawError, match="种子"):
        rules.sample_draw(_pool(3), seed="xyz", count=1)


def _independent_draw(pool_bytes: bytes, seed: str, count: int) -> list[str]:
    """docs/evaluation.md §3 written out with hashlib and json only (no lib.draw)."""
    import hashlib
    import json

    ids = [json.loads(line)["id"] for line in pool_bytes.decode().splitlines()]
    material = {
        "algorithm": "sanxiang-evaluation-sample-v1",
        "count": count,
        "pool": hashlib.sha256(pool_bytes).hexdigest(),
        "seed": seed,
    }
    key = hashlib.sha256(
        json.dumps(material, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).digest()

    def words():
        block = 0
        while True:
            digest = hashlib.sha256(key + block.to_bytes(8, "big")).digest()
            for i in range(0, 32, 8):
                yield int.from_bytes(digest[i : i + 8], "big")
            block += 1

    stream = words()

    def uniform(n):
        limit = 2**64 - 2**64 % n
        while (x := next(stream)) >= limit:
            pass
        return x % n

    remaining, drawn = list(ids), []
    for _ in range(count):
        drawn.append(remaining.pop(uniform(len(remaining))))
    return drawn


@pytest.mark.parametrize(("size", "count"), [(1, 1), (7, 7), (30, 5), (101, 10)])
def test_the_documented_algorithm_reproduces_the_sample(size, count):
    pool, seed = _pool(size), draw.seed_from_text(f"公开值{size}")
    assert rules.sample_draw(pool, seed=seed, count=count) == _independent_draw(
        pool.data, seed, count
    )
