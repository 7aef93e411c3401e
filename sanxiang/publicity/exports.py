"""双公示 export files (DOMAIN.md §5.2): CSV (UTF-8 with BOM, for Excel), XLSX (openpyxl) and
JSON, with the national field codes as column names and a second header row of Chinese names
in CSV/XLSX. Records are validated against the field list first; a file is produced only when
every record conforms (a bad code must not reach the credit platform)."""

from __future__ import annotations

import csv
import io
import json

from sanxiang.lib.errors import Blocked

from . import rules


def validate(records: list[dict[str, str]]) -> None:
    problems = [p for r in records for p in rules.record_problems(r)]
    if problems:
        raise Blocked(
            problems[:20] + ([f"……共 {len(problems)} 处问题"] if len(problems) > 20 else [])
        )


def to_csv(records: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(rules.EXPORT_CODES)
    writer.writerow([f.name for f in rules.EXPORT_FIELDS])
    for r in records:
        writer.writerow([r.get(code, "") for code in rules.EXPORT_CODES])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(records: list[dict[str, str]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "行政处罚"
    ws.append(rules.EXPORT_CODES)
    ws.append([f.name for f in rules.EXPORT_FIELDS])
    for r in records:
        # Text cells throughout: codes and amounts must not become numbers or dates.
        ws.append([str(r.get(code, "")) for code in rules.EXPORT_CODES])
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.number_format = "@"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_json(records: list[dict[str, str]]) -> bytes:
    doc = {
        "schema": "双公示 行政处罚（DOMAIN.md §5.2）",
        "fields": [
            {"code": f.code, "name": f.name, "required": f.required} for f in rules.EXPORT_FIELDS
        ],
        "states": rules.STATE_LABELS,
        "records": records,
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


FORMATS = {
    "csv": (to_csv, "text/csv; charset=utf-8", "csv"),
    "xlsx": (
        to_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    "json": (to_json, "application/json; charset=utf-8", "json"),
}
