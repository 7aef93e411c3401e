"""卷内目录 (DOMAIN.md §3.13 no. 24, §7.2).

The ordered list of the documents in a case file with their page numbers, placed after the
cover. Columns follow DA/T 22-2015《归档文件整理规则》: 序号, 文号, 责任者, 题名, 日期 (eight
digits, 20260305), 页号, 备注. The index itself carries no page number: the file's pages are
numbered by the archive (DOMAIN.md §7.2: cover, index and note sheet are not numbered).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..context import day, many, text
from ..registry import DocumentType, RequiredItem, register, snippet


@dataclass
class IndexEntry:  # 卷内文件
    title: str = text("题名")
    author: str = text("责任者")
    date: dt.date | None = day("日期")
    pages: str = text("页号")
    number: str = text("文号", required=False)
    remarks: str = text("备注", required=False)

    @property
    def date8(self) -> str:
        return self.date.strftime("%Y%m%d") if self.date else ""


@dataclass
class FileIndex:  # 卷内目录
    agency_name: str = text("立卷单位")
    case_title: str = text("案卷题名")
    archive_no: str = text("档号", required=False)
    case_number: str = text("案号", required=False)
    entries: list[IndexEntry] = many("卷内文件")
    filed_by: str = text("立卷人")
    checked_by: str = text("检查人", required=False)
    filed_on: dt.date | None = day("立卷日期")


def sample() -> FileIndex:
    agency = "陵川县人力资源和社会保障局"
    rows = [
        ("立案审批表", "", "陵人社监察大队", dt.date(2025, 12, 29), "1-2"),
        ("现场检查笔录", "", "张明、李华", dt.date(2026, 1, 6), "3-5"),
        ("询问笔录（张示例）", "", "张明、李华", dt.date(2026, 1, 7), "6-11"),
        (
            "劳动保障监察限期改正指令书",
            "陵人社监令字〔2026〕第1号",
            agency,
            dt.date(2026, 1, 8),
            "12-13",
        ),
        ("送达回证", "", agency, dt.date(2026, 1, 8), "14"),
        ("案件调查终结报告", "", "张明、李华", dt.date(2026, 1, 30), "15-18"),
        ("行政处罚事先告知书", "陵人社监告字〔2026〕第2号", agency, dt.date(2026, 2, 9), "19-21"),
        ("送达回证", "", agency, dt.date(2026, 2, 10), "22"),
        ("陈述申辩笔录及复核意见", "", "张明、李华", dt.date(2026, 2, 12), "23-25"),
        ("法制审核意见书", "", "赵敏", dt.date(2026, 2, 26), "26-28"),
        ("行政处罚决定书", "陵人社监罚字〔2026〕第3号", agency, dt.date(2026, 3, 5), "29-32"),
        ("送达回证", "", agency, dt.date(2026, 3, 6), "33"),
        ("罚没款缴款凭证", "", "中国工商银行陵川县支行", dt.date(2026, 3, 18), "34"),
        ("结案审批表", "", "陵人社监察大队", dt.date(2026, 3, 20), "35-36"),
    ]
    return FileIndex(
        agency_name=agency,
        case_title="陵川县示例建筑劳务有限公司违法延长劳动者工作时间案",
        archive_no="1405240026-ZF-2026-0003",
        case_number="陵人社监罚字〔2026〕第3号",
        entries=[
            IndexEntry(title=t, number=n, author=a, date=d, pages=p) for t, n, a, d, p in rows
        ],
        filed_by="张明",
        checked_by="孙档案",
        filed_on=dt.date(2026, 3, 25),
    )


FILE_INDEX = register(
    DocumentType(
        code="file_index",
        name="卷内目录",
        version="2026.1",
        context_class=FileIndex,
        template="records/documents/file_index.html",
        docx_template="file_index.docx",
        page_numbers=False,
        stamp_at="head",
        sealed=False,
        sample=sample,
        title=lambda c: f"卷内目录：{c.case_title}",
        issued_on=lambda c: c.filed_on,
        basis="DA/T 22-2015；案卷评查标准（卷内目录）",
        required_items=(
            RequiredItem("案卷题名", lambda c: snippet(c.case_title, 20)),
            RequiredItem("档号", lambda c: c.archive_no),
            RequiredItem("第一份文件题名", lambda c: c.entries[0].title),
            RequiredItem("最后一份文件题名", lambda c: c.entries[-1].title),
            RequiredItem("最后一份文件页号", lambda c: c.entries[-1].pages),
            RequiredItem("文件日期（八位）", lambda c: c.entries[0].date8),
            RequiredItem("立卷人", lambda c: f"立卷人：{c.filed_by}"),
            RequiredItem("立卷单位", lambda c: c.agency_name),
        ),
    )
)
