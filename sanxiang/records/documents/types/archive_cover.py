"""案卷封面 (DOMAIN.md §7.2).

The cover of a case file (一案一卷): the case name (party + violation + 案), the decision number,
the filing unit, the start (filing) and end (closing) dates, the retention period (DOMAIN.md
§7.3: 永久 / 30 年 / 10 年), the number of documents and pages, and the archive number (档号:
year + sequence). A restricted 副卷 (工作秘密、商业秘密、个人隐私, 国办发〔2018〕118号) gets a
cover of its own. Made by the archive app when the file is sealed; the cover, the index and the
note sheet carry no page number (DOMAIN.md §7.2).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..context import choice, day, number, text
from ..formatting import cn_date
from ..registry import DocumentType, RequiredItem, register

VOLUMES = {"main": "正卷", "restricted": "副卷"}


@dataclass
class ArchiveCover:  # 案卷封面
    agency_name: str = text("立卷单位")
    case_title: str = text("案卷题名")
    case_number: str = text("立案号", required=False)
    decision_number: str = text("决定书文号", required=False)
    volume: str = choice("卷别", VOLUMES, default="main")
    filed_on: dt.date | None = day("起始日期（立案）")
    closed_on: dt.date | None = day("终止日期（结案）")
    retention: str = text("保管期限")
    documents: int = number("件数")
    pages: int = number("页数")
    archive_no: str = text("档号")
    filed_by: str = text("立卷人")
    checked_by: str = text("检查人", required=False)
    sealed_on: dt.date | None = day("立卷日期")

    @property
    def volume_label(self) -> str:
        return VOLUMES.get(self.volume, "")


def sample() -> ArchiveCover:
    return ArchiveCover(
        agency_name="陵川县人力资源和社会保障局",
        case_title="陵川县示例建筑劳务有限公司违法延长劳动者工作时间案",
        case_number="陵人社监立字〔2025〕第41号",
        decision_number="陵人社监罚字〔2026〕第3号",
        filed_on=dt.date(2025, 12, 29),
        closed_on=dt.date(2026, 3, 20),
        retention="30年",
        documents=14,
        pages=36,
        archive_no="20260003",
        filed_by="张明",
        checked_by="孙档案",
        sealed_on=dt.date(2026, 3, 25),
    )


ARCHIVE_COVER = register(
    DocumentType(
        code="archive_cover",
        name="案卷封面",
        version="2026.1",
        context_class=ArchiveCover,
        template="records/documents/archive_cover.html",
        page_numbers=False,
        stamp_at="head",
        sealed=False,
        sample=sample,
        title=lambda c: f"案卷封面（{c.volume_label}）：{c.case_title}",
        issued_on=lambda c: c.sealed_on,
        basis="DA/T 22-2015；案卷评查标准（封面）",
        required_items=(
            RequiredItem("案卷题名", lambda c: c.case_title),
            RequiredItem("决定书文号", lambda c: c.decision_number),
            RequiredItem("立卷单位", lambda c: c.agency_name),
            RequiredItem("起止日期", lambda c: cn_date(c.filed_on)),
            RequiredItem("结案日期", lambda c: cn_date(c.closed_on)),
            RequiredItem("保管期限", lambda c: c.retention),
            RequiredItem("件数", lambda c: f"{c.documents}件"),
            RequiredItem("页数", lambda c: f"{c.pages}页"),
            RequiredItem("档号", lambda c: c.archive_no),
            RequiredItem("卷别", lambda c: c.volume_label),
        ),
    )
)
