"""Pure rules of 双随机、一公开 (no database): ratio and weights, target-pool rows from an
import file, plan checks. Guards return Chinese reasons (STYLE.md).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from sanxiang.lib import codes
from sanxiang.lib.draw import MAX_WEIGHT, MIN_INSPECTORS_PER_TARGET

__all__ = ["MIN_INSPECTORS_PER_TARGET"]

# 人社领域 "全年抽查比例不低于5%" (DOMAIN.md §6 rule 4 [L S17]); a plan may go lower only with a
# stated reason (e.g. a second plan in the same year that tops up the first).
DEFAULT_RATIO = Decimal("5.00")
MIN_RATIO = Decimal("5.00")
# Results are published within 20 working days of being produced (DOMAIN.md §6 rule 6; 政府信息
# 公开条例 第二十六条).
PUBLISH_WORKDAYS = 20
PUBLISH_BASIS = "政府信息公开条例第二十六条：自该信息形成或者变更之日起20个工作日内予以公开"
# The stated tree size must leave room for the freeze: at least this many entries ahead.
MIN_SEED_MARGIN = 2

RISK_TAG_CODES = ("complaints", "violations", "wage_arrears", "abnormal", "high_risk_industry")


def basis_points(ratio: Decimal) -> int:
    """5.00 (%) → 500; ratios have two decimals, so this is exact."""
    return int((Decimal(ratio) * 100).to_integral_value())


def ratio_problems(ratio, reason: str) -> list[str]:
    try:
        value = Decimal(str(ratio))
    except (InvalidOperation, ValueError):
        return ["抽查比例应为数字（百分比）"]
    if not value.is_finite() or value <= 0 or value > 100:
        return ["抽查比例应大于0%且不超过100%"]
    if value != value.quantize(Decimal("0.01")):
        return ["抽查比例最多保留两位小数"]
    if value < MIN_RATIO and not reason.strip():
        return [f"抽查比例低于{MIN_RATIO.normalize()}%（人社领域全年抽查比例不低于5%），须说明理由"]
    return []


def weight_problems(weights: dict) -> list[str]:
    problems = []
    for tag, w in weights.items():
        if tag not in RISK_TAG_CODES:
            problems.append(f"未知的风险标签：{tag}")
        elif not isinstance(w, int) or isinstance(w, bool) or not 1 <= w <= MAX_WEIGHT:
            problems.append(f"风险权重应为 1 至 {MAX_WEIGHT} 的整数")
    return problems


def target_weight(tags, weights: dict) -> int:
    """Weight of a target in a draw: the largest weight of its risk tags, 1 without any.
    (国办发〔2015〕58号: 对投诉举报多、列入经营异常名录或有严重违法违规记录等情况的, 加大随机抽查
    力度.) Max rather than sum, so a weight never exceeds what the plan publishes."""
    return max([1] + [weights.get(t, 1) for t in tags])


# --- import of the target pool -------------------------------------------------------------

# Header names accepted for each column (Chinese as staff write them, or the field name).
COLUMNS = {
    "name": ("单位名称", "名称", "用人单位名称", "name"),
    "uscc": ("统一社会信用代码", "信用代码", "社会信用代码", "uscc"),
    "address": ("地址", "单位地址", "住所", "address"),
    "industry": ("行业", "所属行业", "industry"),
    "size": ("规模", "企业规模", "size"),
    "risk_tags": ("风险标签", "风险", "risk_tags"),
    "is_active": ("是否纳入", "纳入名录库", "状态", "is_active"),
}
REQUIRED = ("name", "uscc")
SIZE_LABELS = {"微型": "micro", "小型": "small", "中型": "medium", "大型": "large"}
RISK_LABELS = {
    "投诉": "complaints",
    "近一年被投诉举报": "complaints",
    "投诉举报": "complaints",
    "违法": "violations",
    "违法记录": "violations",
    "近两年有违法记录": "violations",
    "欠薪": "wage_arrears",
    "拖欠工资": "wage_arrears",
    "拖欠工资记录": "wage_arrears",
    "经营异常": "abnormal",
    "列入经营异常名录": "abnormal",
    "高风险行业": "high_risk_industry",
}
_TAG_SPLIT = re.compile(r"[、,，;；/\s]+")
_YES = {"是", "纳入", "有效", "1", "true", "yes", "y"}
_NO = {"否", "不纳入", "无效", "停业", "注销", "0", "false", "no", "n"}
MAX_ROWS = 200_000


@dataclass
class RowReport:
    line: int  # line number in the file (header = 1)
    uscc: str
    name: str
    errors: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"line": self.line, "uscc": self.uscc, "name": self.name, "errors": self.errors}


@dataclass
class ParsedFile:
    rows: list[RowReport]
    errors: list[str]  # file-level problems

    @property
    def ok(self) -> bool:
        return not self.errors and all(not r.errors for r in self.rows)

    @property
    def bad_rows(self) -> list[RowReport]:
        return [r for r in self.rows if r.errors]


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 — what Excel/WPS on Chinese Windows writes."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("文件编码无法识别，请另存为 UTF-8 编码的 CSV 文件")


def _clean(value) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(value if value is not None else "")).split())


def header_map(header: list[str]) -> tuple[dict[str, int], list[str]]:
    found: dict[str, int] = {}
    problems: list[str] = []
    for index, raw in enumerate(header):
        title = _clean(raw).replace(" ", "")
        for name, aliases in COLUMNS.items():
            if title in aliases or title.lower() in aliases:
                if name in found:
                    problems.append(f"表头中“{raw}”列重复")
                found[name] = index
    missing = [COLUMNS[c][0] for c in REQUIRED if c not in found]
    if missing:
        problems.append(f"表头缺少必填列：{'、'.join(missing)}（第1行应为表头）")
    return found, problems


def parse_table(table: list[list]) -> ParsedFile:
    """Validate every row; nothing is applied unless every row is valid (all or nothing)."""
    if not table:
        return ParsedFile([], ["文件为空"])
    columns, problems = header_map([_clean(c) for c in table[0]])
    if problems:
        return ParsedFile([], problems)
    body = table[1:]
    if len(body) > MAX_ROWS:
        return ParsedFile([], [f"一次最多导入{MAX_ROWS}行"])
    rows: list[RowReport] = []
    seen: dict[str, int] = {}
    for line, raw in enumerate(body, start=2):
        cells = [_clean(c) for c in raw]
        if not any(cells):
            continue

        def cell(name: str, cells=cells) -> str:
            i = columns.get(name)
            return cells[i] if i is not None and i < len(cells) else ""

        report = RowReport(line=line, uscc=cell("uscc"), name=cell("name"))
        errors = report.errors
        if not report.name:
            errors.append("缺少单位名称")
        elif len(report.name) > 200:
            errors.append("单位名称超过200字")
        uscc = ""
        if not report.uscc:
            errors.append("缺少统一社会信用代码")
        else:
            try:
                uscc = codes.validate_uscc(report.uscc)
                report.uscc = uscc
            except codes.CodeError as exc:
                errors.append(exc.message)
        if uscc:
            if uscc in seen:
                errors.append(f"统一社会信用代码与第{seen[uscc]}行重复")
            else:
                seen[uscc] = line
        address, industry = cell("address"), cell("industry")
        if len(address) > 200:
            errors.append("地址超过200字")
        if len(industry) > 100:
            errors.append("行业超过100字")
        size_text = cell("size")
        size = SIZE_LABELS.get(size_text, size_text if size_text in SIZE_LABELS.values() else None)
        if size_text and size is None:
            errors.append(f"规模“{size_text}”无效，应为微型、小型、中型或大型")
        tags: list[str] = []
        for word in _TAG_SPLIT.split(cell("risk_tags")):
            if not word:
                continue
            tag = RISK_LABELS.get(word, word if word in RISK_TAG_CODES else None)
            if tag is None:
                errors.append(
                    f"风险标签“{word}”无法识别（可用：投诉、违法记录、拖欠工资、经营异常、高风险行业）"
                )
            elif tag not in tags:
                tags.append(tag)
        active_text = cell("is_active").lower()
        if active_text and active_text not in _YES and active_text not in _NO:
            errors.append(f"“是否纳入”应为“是”或“否”，而不是“{active_text}”")
        report.values = {
            "name": report.name,
            "uscc": uscc,
            "address": address,
            "industry": industry,
            "size": size or "",
            "risk_tags": sorted(tags, key=RISK_TAG_CODES.index),
            "is_active": active_text not in _NO,
        }
        rows.append(report)
    if not rows:
        return ParsedFile([], ["文件中没有数据行"])
    return ParsedFile(rows, [])


def read_csv(data: bytes) -> ParsedFile:
    try:
        text = decode_csv(data)
    except ValueError as exc:
        return ParsedFile([], [str(exc)])
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        table = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        return ParsedFile([], [f"CSV 格式错误：{exc}"])
    return parse_table(table)


def read_xlsx(data: bytes) -> ParsedFile:
    """XLSX through openpyxl (read-only streaming, cell values not formulas)."""
    import openpyxl  # imported here: only imports need it, and it is slow to load

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's file
        return ParsedFile([], [f"无法读取 XLSX 文件：{exc.__class__.__name__}"])
    sheet = book.worksheets[0]
    table = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return parse_table(table)


def read_file(name: str, data: bytes) -> ParsedFile:
    lower = name.lower()
    if lower.endswith(".xlsx"):
        return read_xlsx(data)
    if lower.endswith((".csv", ".txt")):
        return read_csv(data)
    return ParsedFile([], ["只能导入 CSV 或 XLSX 文件"])


# --- plans ---------------------------------------------------------------------------------


def result_summary_problems(result: str, summary: str, transfer_to: str) -> list[str]:
    problems = []
    if result != "none_found" and not summary.strip():
        problems.append("发现问题的，请填写公开的结果说明（不含个人信息）")
    if result == "transfer" and not transfer_to.strip():
        problems.append("移送的，请填写移送机关")
    return problems
