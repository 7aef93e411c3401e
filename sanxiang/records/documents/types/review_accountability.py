"""重大执法决定法制审核责任记录 (实施方案 三（三）4: 承办人员、负责法制审核的人员和审批行政执法
决定的负责人 … 导致行政执法决定错误，要依纪依法追究相关人员责任).

For one decision: who submitted it for review (and attested the materials), who reviewed it with
what opinion, who gave advisory opinions, who discussed it, who decided it, and when — each line
taken from the ledger with its sequence number, so anyone can check it against the log
(``/transparency/proof/<seq>``). Made by ``sanxiang.review.services.accountability_export``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..context import day, many, number, text
from ..formatting import cn_date
from ..registry import DocumentType, RequiredItem, register, snippet


@dataclass
class AccountabilityEntry:  # 记录（一行一条账本事件）
    at: str = text("时间")
    stage: str = text("环节")
    what: str = text("事项")
    person: str = text("人员")
    detail: str = text("内容", required=False)
    seq: int = number("账本序号")


@dataclass
class ReviewAccountability:  # 重大执法决定法制审核责任记录
    agency_name: str = text("行政机关名称")
    case_title: str = text("案件名称")
    case_number: str = text("案号")
    party: str = text("当事人")
    review_required: str = text("是否属于法制审核范围")
    submitted_by: str = text("送审人", required=False)
    reviewed_by: str = text("审核人及意见", required=False)
    discussed_by: str = text("集体讨论参加人员", required=False)
    decided_by: str = text("作出决定的负责人", required=False)
    decided_at: str = text("决定时间", required=False)
    decision_number: str = text("决定书文号", required=False)
    approved_sha256: str = text("审核通过的案卷哈希", required=False)
    entries: list[AccountabilityEntry] = many("记录")
    made_on: dt.date | None = day("制表日期")


def sample() -> ReviewAccountability:
    rows = [
        ("2026-02-12 09:41", "承办", "提出拟处理意见", "张明", "拟处理意见第1版", 118),
        (
            "2026-02-13 15:02",
            "送审",
            "送法制审核",
            "张明",
            "第1轮；案卷哈希 5a1c0e9b77d2f3a4…",
            121,
        ),
        ("2026-02-16 10:20", "法制审核", "作出法制审核意见", "赵敏", "第1轮：修改后再报", 126),
        ("2026-02-18 16:45", "承办", "提出拟处理意见", "张明", "拟处理意见第2版", 131),
        (
            "2026-02-20 09:15",
            "送审",
            "送法制审核",
            "张明",
            "第2轮；案卷哈希 3f2a9c5b7e1d4a6f…",
            133,
        ),
        ("2026-02-24 11:00", "专家咨询", "登记专家咨询意见", "陈律师", "法律顾问陈律师", 137),
        (
            "2026-02-26 14:30",
            "法制审核",
            "作出法制审核意见",
            "赵敏",
            "第2轮：同意（陵人社法审字〔2026〕第2号）",
            140,
        ),
        (
            "2026-03-02 10:00",
            "集体讨论",
            "集体讨论",
            "刘局长",
            "参加人员：刘局长、王强；结论：agree",
            144,
        ),
        ("2026-03-05 09:30", "决定", "作出决定", "刘局长", "文号：陵人社监罚字〔2026〕第3号", 147),
    ]
    return ReviewAccountability(
        agency_name="陵川县人力资源和社会保障局",
        case_title="陵川县示例建筑劳务有限公司违法延长劳动者工作时间案",
        case_number="陵人社监立字〔2026〕第3号",
        party="陵川县示例建筑劳务有限公司",
        review_required="是（重大案件：受侵害劳动者20人以上）",
        submitted_by="张明",
        reviewed_by="赵敏（修改后再报）、赵敏（同意）",
        discussed_by="刘局长、王强",
        decided_by="刘局长",
        decided_at="2026-03-05 09:30",
        decision_number="陵人社监罚字〔2026〕第3号",
        approved_sha256="3f2a9c5b7e1d4a6f8b0c2e4d6f8a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f2a",
        entries=[
            AccountabilityEntry(at=a, stage=s, what=w, person=p, detail=d, seq=q)
            for a, s, w, p, d, q in rows
        ],
        made_on=dt.date(2026, 3, 6),
    )


REVIEW_ACCOUNTABILITY = register(
    DocumentType(
        code="review_accountability",
        name="重大执法决定法制审核责任记录",
        version="2026.1",
        context_class=ReviewAccountability,
        template="records/documents/review_accountability.html",
        sealed=False,
        stamp_at="head",
        sample=sample,
        title=lambda c: f"法制审核责任记录（{c.case_title}）",
        issued_on=lambda c: c.made_on,
        basis="实施方案 三（三）4；行政处罚法 第五十八条",
        required_items=(
            RequiredItem("案件名称", lambda c: snippet(c.case_title, 20)),
            RequiredItem("案号", lambda c: c.case_number),
            RequiredItem("送审人", lambda c: f"送审人：{c.submitted_by}", "实施方案 三（三）4"),
            RequiredItem("审核人及意见", lambda c: c.reviewed_by, "实施方案 三（三）4"),
            RequiredItem("集体讨论参加人员", lambda c: c.discussed_by, "行政处罚法 第五十七条"),
            RequiredItem("作出决定的负责人", lambda c: f"决定人：{c.decided_by}"),
            RequiredItem("决定书文号", lambda c: c.decision_number),
            RequiredItem("第一条记录", lambda c: c.entries[0].what),
            RequiredItem("最后一条记录的账本序号", lambda c: str(c.entries[-1].seq)),
            RequiredItem("制表日期", lambda c: cn_date(c.made_on)),
        ),
    )
)
