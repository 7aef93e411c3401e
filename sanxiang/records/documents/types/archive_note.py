"""卷内备考表 (DOMAIN.md §3.13 no. 24, §7.2).

The note sheet at the end of a case file (DA/T 22-2015; 案卷评查标准): what the file holds — the
number of documents and pages, the audio/video recordings and where they are kept, the
documents placed in the restricted 副卷 and why (工作秘密、商业秘密、个人隐私), anything missing
or damaged — with the filer, the checker and the date. Not page-numbered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..context import day, many, text
from ..formatting import cn_date
from ..registry import DocumentType, RequiredItem, register, snippet


@dataclass
class ArchiveNote:  # 卷内备考表
    agency_name: str = text("立卷单位")
    case_title: str = text("案卷题名")
    archive_no: str = text("档号")
    statements: list[str] = many("本卷情况说明")
    filed_by: str = text("立卷人")
    checked_by: str = text("检查人")
    sealed_on: dt.date | None = day("立卷日期")


def sample() -> ArchiveNote:
    return ArchiveNote(
        agency_name="陵川县人力资源和社会保障局",
        case_title="陵川县示例建筑劳务有限公司违法延长劳动者工作时间案",
        archive_no="20260003",
        statements=[
            "本卷（正卷）共有文件14件，共36页。",
            "音像记录2件（执法记录仪录像1段、现场照片12张），电子文件随卷保存，SHA-256 与 SM3 已记入执法记录账本。",
            "副卷1件（当事人工资表，涉及个人隐私），另行保管，凭借阅审批查阅。",
        ],
        filed_by="张明",
        checked_by="孙档案",
        sealed_on=dt.date(2026, 3, 25),
    )


ARCHIVE_NOTE = register(
    DocumentType(
        code="archive_note",
        name="卷内备考表",
        version="2026.1",
        context_class=ArchiveNote,
        template="records/documents/archive_note.html",
        page_numbers=False,
        stamp_at="head",
        sealed=False,
        sample=sample,
        title=lambda c: f"卷内备考表：{c.case_title}",
        issued_on=lambda c: c.sealed_on,
        basis="DA/T 22-2015；案卷评查标准（备考表）",
        required_items=(
            RequiredItem("案卷题名", lambda c: snippet(c.case_title, 20)),
            RequiredItem("档号", lambda c: c.archive_no),
            RequiredItem("本卷情况说明", lambda c: snippet(c.statements[0])),
            RequiredItem("立卷人", lambda c: f"立卷人：{c.filed_by}"),
            RequiredItem("检查人", lambda c: f"检查人：{c.checked_by}"),
            RequiredItem("立卷日期", lambda c: cn_date(c.sealed_on)),
        ),
    )
)
