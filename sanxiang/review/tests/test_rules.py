"""Pure rules (no database): the eight points and the opinion, the checklist, resubmission,
the manifest hash and its comparison, the gate's reasons, figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sanxiang.review import rules
from sanxiang.review.choices import Point

ALL_PASS = {code: ("pass", "") for code in Point.values}


def test_a_complete_agreeing_review_has_no_problems():
    assert rules.review_problems(ALL_PASS, opinion="agree", reasons="同意") == []


def test_each_missing_point_is_named():
    pts = dict(ALL_PASS)
    del pts["subject"], pts["documents"]
    (problem,) = rules.review_problems(pts, opinion="agree", reasons="同意")
    assert problem == (
        "请逐项审核并选择“符合”或“存在问题”：行政执法主体是否合法；行政执法文书是否完备、规范"
    )


def test_an_unknown_result_counts_as_missing():
    pts = dict(ALL_PASS, law=("maybe", ""))
    assert (
        "适用法律、法规、规章是否准确，裁量基准运用是否适当"
        in rules.review_problems(pts, opinion="agree", reasons="同意")[0]
    )


def test_opinion_and_points_must_agree():
    pts = dict(ALL_PASS, procedure=("problem", "未告知听证权利"))
    assert rules.review_problems(pts, opinion="revise", reasons="补正程序") == []
    assert rules.review_problems(pts, opinion="disagree", reasons="程序违法") == []
    (agree,) = rules.review_problems(pts, opinion="agree", reasons="同意")
    assert agree == "审核事项“行政执法程序是否合法”存在问题，审核意见不能为“同意”"
    crime = dict(ALL_PASS, crime=("problem", "涉嫌拒不支付劳动报酬罪"))
    assert rules.review_problems(crime, opinion="transfer", reasons="移送公安机关") == []


def test_checklist_needs_every_line_the_draft_decision_and_the_attestation():
    counts = {"draft_decision": 1}
    everything = [key for key, _ in rules.MATERIALS]
    assert rules.checklist_problems(confirmed=everything, counts=counts, attested=True) == []
    problems = rules.checklist_problems(confirmed=[], counts={}, attested=False)
    assert len(problems) == 3
    assert problems[1] == "尚无拟处理意见（拟作出的执法决定），不能送审"


def _round(**kw):
    data = dict(
        round=1,
        status="concluded",
        submitted_on=dt.date(2026, 11, 2),
        submitter_id=1,
        dossier_sha256="a" * 64,
        opinion="revise",
        reviewer_id=2,
        reviewer_name="赵敏",
        concluded_on=dt.date(2026, 11, 4),
    )
    data.update(kw)
    return rules.RoundFacts(**data)


def test_resubmission_rules():
    assert rules.resubmission_problems(None, current_sha256="a" * 64) == []
    assert (
        "正在审核中"
        in rules.resubmission_problems(
            _round(status="pending", opinion=""), current_sha256="b" * 64
        )[0]
    )
    assert (
        "案卷与第1轮退回时相同" in rules.resubmission_problems(_round(), current_sha256="a" * 64)[0]
    )
    assert rules.resubmission_problems(_round(), current_sha256="b" * 64) == []
    assert (
        "异议尚未经"
        in rules.resubmission_problems(_round(dispute_open=True), current_sha256="b" * 64)[0]
    )
    assert rules.resubmission_problems(_round(dispute_resolved=True), current_sha256="a" * 64) == []
    assert (
        "无需重新送审"
        in rules.resubmission_problems(_round(opinion="agree"), current_sha256="a" * 64)[0]
    )


def test_the_dossier_hash_is_over_canonical_json():
    manifest = {"format": rules.MANIFEST_FORMAT, "sections": {"case": []}, "case": {"id": 1}}
    reordered = {"case": {"id": 1}, "sections": {"case": []}, "format": rules.MANIFEST_FORMAT}
    assert rules.dossier_hashes(manifest) == rules.dossier_hashes(reordered)
    sha, sm3 = rules.dossier_hashes(manifest)
    assert len(sha) == len(sm3) == 64 and sha != sm3


def test_manifest_changes_name_what_was_added_removed_or_changed():
    def entry(key, label, sha):
        return {"key": key, "label": label, "sha256": sha}

    old = {
        "sections": {
            "records": [entry("record:1", "询问笔录（钱某）", "1")],
            "draft_decision": [entry("proposal", "拟处理意见（第1版）", "2")],
            "documents": [entry("document:3", "送达回证", "3")],
        }
    }
    new = {
        "sections": {
            "records": [
                entry("record:1", "询问笔录（钱某）", "1"),
                entry("record:4", "询问笔录（孙某）", "4"),
            ],
            "draft_decision": [entry("proposal", "拟处理意见（第2版）", "5")],
            "documents": [],
        }
    }
    changes = rules.manifest_changes(old, new)
    assert [str(c) for c in changes] == [
        "删除送达回证",
        "新增询问笔录（孙某）",
        "拟处理意见（第1版）变更为拟处理意见（第2版）",
    ]
    assert rules.changes_text(changes, limit=2) == "删除送达回证；新增询问笔录（孙某）等3项"
    assert rules.manifest_changes(old, old) == []


def test_the_gate_in_each_situation():
    facts = rules.GateFacts(required=False)
    assert rules.gate_reasons(facts) == []
    assert (
        "尚未送法制审核"
        in rules.gate_reasons(rules.GateFacts(required=True, why=("重大案件：x",)))[0]
    )
    passed = _round(opinion="agree")
    ok = rules.GateFacts(
        required=True, latest=passed, current_sha256="a" * 64, team_ids=frozenset({1})
    )
    assert rules.gate_reasons(ok) == []
    changed = rules.GateFacts(required=True, latest=passed, current_sha256="b" * 64)
    assert rules.gate_reasons(changed) == ["审核通过后案卷已变化，须重新送审"]
    same_person = rules.GateFacts(required=True, latest=passed, current_sha256="a" * 64, actor_id=2)
    assert "作出决定的负责人不得是本案的法制审核人员" in rules.gate_reasons(same_person)[0]
    forged = rules.GateFacts(required=True, latest=_round(opinion="agree", ledger_ok=False))
    assert "账本不一致" in rules.gate_reasons(forged)[0]


def test_catalogue_amounts_respect_the_party_scope():
    entries = [
        rules.CatalogueFacts(
            kind="amount", title="单位3万", threshold=Decimal("30000"), party_scope="organisation"
        ),
        rules.CatalogueFacts(
            kind="amount", title="个人5千", threshold=Decimal("5000"), party_scope="natural_person"
        ),
    ]
    kw = dict(
        outcome="penalty",
        penalty_types=frozenset({"fine"}),
        confiscation=None,
        item_ids=frozenset(),
    )
    assert rules.catalogue_reasons(entries, fine=Decimal("6000"), natural_person=False, **kw) == []
    assert rules.catalogue_reasons(entries, fine=Decimal("6000"), natural_person=True, **kw) == [
        "拟罚没金额6000元，达到审核目录标准（公民（自然人、个体工商户）5000元以上）"
    ]
    assert rules.catalogue_reasons(entries, fine=Decimal("30000"), natural_person=False, **kw)
    handling = dict(kw, outcome="handling")
    assert (
        rules.catalogue_reasons(entries, fine=Decimal("90000"), natural_person=False, **handling)
        == []
    )


def test_figures():
    f = rules.figures(
        concluded=[(1, "revise", 3, False), (1, "agree", 2, False), (2, "agree", 6, True)],
        pending=[True, False],
    )
    assert f.by_opinion == {"agree": 2, "revise": 1, "disagree": 0, "transfer": 0}
    assert f.average_workdays == Decimal("3.7")
    assert (f.late, f.cases_reviewed, f.returns, f.returns_per_case, f.max_returns) == (
        1,
        2,
        1,
        Decimal("0.50"),
        1,
    )
    assert (f.pending, f.overdue_pending) == (2, 1)
    empty = rules.figures(concluded=[], pending=[])
    assert empty.average_workdays is None and empty.returns_per_case is None
