"""执法台账: the case register as a spreadsheet (国办发〔2018〕118号: 健全执法台账, archived with
the legal documents; DOMAIN.md §2.2).

``register_cases(filters, agency=)`` selects the cases (a fixed number of queries whatever the
count); ``register_rows`` turns them into rows; ``register_xlsx`` writes them with Chinese headers,
dates as dates and amounts as numbers (元, two decimals) so the bureau can sum and filter in
WPS/Excel. The view records every export as a security event before sending it.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

DATE_FIELDS = {
    "received_on": "登记（受理）日期",
    "filed_on": "立案日期",
    "decided_on": "决定日期",
    "closed_on": "结案日期",
}
OUTCOME_NONE = "none"
EXPORT_LIMIT = 50_000


@dataclass(frozen=True)
class RegisterFilters:
    date_field: str = "received_on"
    start: dt.date | None = None
    end: dt.date | None = None
    state: str = ""
    source: str = ""
    officer: int | None = None  # user pk: cases this officer is (or was) assigned to
    outcome: str = ""  # a decision kind, or "none" for cases without a decision

    def describe(self) -> dict[str, str]:
        out = {}
        for key, value in vars(self).items():
            if value not in (None, "") and not (key == "date_field" and value == "received_on"):
                out[key] = str(value)
        return out


def register_cases(filters: RegisterFilters, *, agency=None) -> QuerySet:
    from sanxiang.cases.models import Assignment, Case, CaseCause, Party, Payment

    qs = Case.objects.all()
    if agency is not None:
        qs = qs.filter(agency=agency)
    field = {
        "received_on": "received_on",
        "filed_on": "filed_on",
        "decided_on": "decision__decided_on",
        "closed_on": "closed_on",
    }.get(filters.date_field, "received_on")
    if filters.start:
        qs = qs.filter(**{f"{field}__gte": filters.start})
    if filters.end:
        qs = qs.filter(**{f"{field}__lte": filters.end})
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.officer:
        qs = qs.filter(pk__in=Assignment.objects.filter(user_id=filters.officer).values("case_id"))
    if filters.outcome == OUTCOME_NONE:
        qs = qs.filter(decision__isnull=True)
    elif filters.outcome:
        qs = qs.filter(decision__kind=filters.outcome)
    money = DecimalField(max_digits=14, decimal_places=2)
    paid = (
        Payment.objects.filter(case=OuterRef("pk"), kind="fine")
        .values("case")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        qs.select_related("agency", "decision", "case_file")
        .annotate(fine_paid=Coalesce(Subquery(paid, output_field=money), Value(Decimal("0"))))
        .prefetch_related(
            Prefetch("parties", queryset=Party.objects.order_by("pk")),
            Prefetch(
                "causes",
                queryset=CaseCause.objects.select_related("item_version").order_by("pk"),
            ),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("user").order_by("role", "pk"),
            ),
        )
        .order_by("received_on", "pk")
    )


HEADERS = [
    ("序号", 6),
    ("登记号", 24),
    ("立案号", 24),
    ("案件来源", 12),
    ("登记日期", 12),
    ("立案日期", 12),
    ("当事人", 30),
    ("统一社会信用代码", 22),
    ("案由", 30),
    ("承办人", 14),
    ("程序", 10),
    ("状态", 12),
    ("处理结果", 16),
    ("决定书文号", 26),
    ("决定日期", 12),
    ("处罚种类", 18),
    ("罚款金额（元）", 14),
    ("没收违法所得（元）", 14),
    ("已缴罚款（元）", 14),
    ("结案日期", 12),
    ("结案情形", 18),
    ("档号", 12),
    ("保管期限", 10),
]
MONEY_COLUMNS = {"罚款金额（元）", "没收违法所得（元）", "已缴罚款（元）"}
DATE_COLUMNS = {"登记日期", "立案日期", "决定日期", "结案日期"}


def _decision(case):
    try:
        return case.decision
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist
        return None


def _case_file(case):
    try:
        return case.case_file
    except Exception:  # noqa: BLE001
        return None


def register_rows(cases) -> list[list]:
    """One row a case, in HEADERS order (dates as dates, money as Decimal)."""
    from sanxiang.cases.rules import penalty_labels

    rows = []
    for n, case in enumerate(cases, start=1):
        decision = _decision(case)
        case_file = _case_file(case)
        parties = list(case.parties.all())
        party = parties[0] if parties else None
        team = []
        for a in case.assignments.all():
            if a.released_on is None:
                name = getattr(a.user, "real_name", "") or a.user.get_username()
                if name not in team:
                    team.append(name)
        rows.append(
            [
                n,
                case.registration_no,
                case.case_no,
                case.get_source_display(),
                case.received_on,
                case.filed_on,
                "、".join(p.name for p in parties),
                party.uscc if party is not None and party.kind != "natural_person" else "",
                "、".join(c.item_version.name for c in case.causes.all()),
                "、".join(team),
                case.get_procedure_display(),
                case.get_state_display(),
                decision.get_kind_display() if decision else "",
                (decision.number or "") if decision else "",
                decision.decided_on if decision else None,
                penalty_labels(decision.penalty_types or ()) if decision else "",
                decision.fine_amount if decision and decision.fine_amount is not None else None,
                decision.confiscation_amount
                if decision and decision.confiscation_amount is not None
                else None,
                case.fine_paid if decision and decision.fine_amount else None,
                case.closed_on,
                case.get_closing_reason_display() if case.closing_reason else "",
                case_file.archive_no if case_file else "",
                case_file.get_retention_display() if case_file and case_file.archive_no else "",
            ]
        )
    return rows


def register_xlsx(rows: list[list], *, filters: RegisterFilters, exported_by: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "执法台账"
    ws.append([h for h, _w in HEADERS])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, (_header, width) in enumerate(HEADERS, start=1):
        cell = ws.cell(row=1, column=col)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    for row in rows:
        ws.append(row)
    for col, (header, _w) in enumerate(HEADERS, start=1):
        if header in MONEY_COLUMNS:
            fmt = "#,##0.00"
        elif header in DATE_COLUMNS:
            fmt = "yyyy-mm-dd"
        else:
            continue
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = fmt
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{max(1, len(rows) + 1)}"

    info = wb.create_sheet("说明")
    info.append(["执法台账（案件登记、处理、结案、归档情况）"])
    info.append(["导出时间", timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")])
    info.append(["导出人", exported_by])
    info.append(["案件数", len(rows)])
    labels = {
        "date_field": "日期类型",
        "start": "起始日期",
        "end": "截止日期",
        "state": "状态",
        "source": "案件来源",
        "officer": "承办人（用户编号）",
        "outcome": "处理结果",
    }
    for key, value in filters.describe().items():
        shown = DATE_FIELDS.get(value, value) if key == "date_field" else value
        info.append([f"筛选：{labels.get(key, key)}", shown])
    info.append(["说明", "金额单位为元；本表导出已记入审计日志。"])
    info.column_dimensions["A"].width = 22
    info.column_dimensions["B"].width = 40
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def officer_choices(*, agency=None) -> list[tuple[int, str]]:
    """Officers who were ever assigned to a case (the register's officer filter)."""
    from sanxiang.accounts.models import User

    qs = User.objects.filter(case_assignments__isnull=False)
    if agency is not None:
        qs = qs.filter(case_assignments__case__agency=agency)
    return [(u.pk, u.real_name or u.username) for u in qs.distinct().order_by("username")]
