"""Target pool import: per-row validation, all or nothing, updates, permissions."""

from __future__ import annotations

import random

import pytest

from sanxiang.ledger.models import Event
from sanxiang.lib import codes
from sanxiang.lib.errors import NotPermitted

from .. import services
from ..models import Target, TargetImport
from .conftest import csv_bytes, employer_rows


def do_import(personas, agency, data, name="名录.csv", **kw):
    return services.targets_import(
        actor=personas.wangqiang, agency=agency, file_name=name, data=data, **kw
    )


def test_a_valid_file_is_imported_with_tags_and_sizes(personas, agency):
    rows = employer_rows(30)
    outcome = do_import(personas, agency, csv_bytes(rows))
    assert (outcome.created, outcome.updated, outcome.unchanged) == (30, 0, 0)
    assert Target.objects.count() == 30
    tagged = next(r for r in rows if r["风险标签"] == "拖欠工资、投诉")
    target = Target.objects.get(uscc=tagged["统一社会信用代码"])
    assert target.risk_tags == ["complaints", "wage_arrears"]
    assert Event.objects.filter(type="inspection.targets_imported").count() == 1


def test_bad_credit_codes_duplicates_and_missing_fields_are_reported_per_row_and_nothing_is_imported(
    personas, agency
):
    rows = employer_rows(10)
    good = rows[0]["统一社会信用代码"]
    rows[2]["统一社会信用代码"] = good[:-1] + ("0" if good[-1] != "0" else "1")  # check digit
    rows[4]["统一社会信用代码"] = good  # duplicate of line 2
    rows[6]["单位名称"] = ""
    rows[7]["规模"] = "超大型"
    rows[8]["风险标签"] = "偷税"
    before = Event.objects.count()
    with pytest.raises(services.ImportRejected) as caught:
        do_import(personas, agency, csv_bytes(rows))
    report = {r.line: r.errors for r in caught.value.parsed.bad_rows}
    assert "校验位" in report[4][0]
    assert "与第2行重复" in report[6][0]
    assert report[8] == ["缺少单位名称"]
    assert "超大型" in report[9][0]
    assert "偷税" in report[10][0]
    assert "整个文件未导入" in caught.value.message
    assert not Target.objects.exists() and not TargetImport.objects.exists()
    assert Event.objects.count() == before


def test_a_second_import_updates_existing_codes_and_a_dry_run_writes_nothing(personas, agency):
    rows = employer_rows(5)
    do_import(personas, agency, csv_bytes(rows))
    rows[0]["风险标签"] = "违法记录"
    rows.append(employer_rows(1, seed=99)[0])
    dry = do_import(personas, agency, csv_bytes(rows), dry_run=True)
    assert (dry.created, dry.updated, dry.unchanged, dry.batch) == (1, 1, 4 - 0 - 0, None)
    assert Target.objects.count() == 5
    outcome = do_import(personas, agency, csv_bytes(rows))
    assert (outcome.created, outcome.updated) == (1, 1)
    assert Target.objects.get(uscc=rows[0]["统一社会信用代码"]).risk_tags == ["violations"]


def test_gbk_csv_from_excel_and_full_width_codes_are_accepted(personas, agency):
    code = codes.make_uscc(random.Random(5), region="140524")
    full_width = code.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    data = csv_bytes(
        [{"单位名称": "陵川县某某商贸有限公司", "统一社会信用代码": full_width}], encoding="gb18030"
    )
    do_import(personas, agency, data)
    assert Target.objects.get().uscc == code


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("名录.csv", "名称,地址\n甲,乙\n".encode(), "缺少必填列"),
        ("名录.csv", b"", "文件为空"),
        ("名录.pdf", b"%PDF", "只能导入"),
        ("名录.csv", "单位名称,统一社会信用代码\n".encode(), "没有数据行"),
    ],
)
def test_unusable_files_are_refused_in_chinese(personas, agency, name, data, message):
    with pytest.raises(services.ImportRejected, match=message):
        do_import(personas, agency, data, name=name)
    assert not Target.objects.exists()


def xlsx_bytes(rows):
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_file_from_excel_or_wps_is_imported(personas, agency):
    rows = employer_rows(12)
    outcome = do_import(personas, agency, xlsx_bytes(rows), name="用人单位名录.xlsx")
    assert outcome.created == 12
    assert set(Target.objects.values_list("uscc", flat=True)) == {
        r["统一社会信用代码"] for r in rows
    }


def test_an_xlsx_file_with_a_bad_code_is_reported_and_nothing_is_imported(personas, agency):
    rows = employer_rows(5)
    rows[3]["统一社会信用代码"] = "91140524MA0000000X"
    with pytest.raises(services.ImportRejected) as caught:
        do_import(personas, agency, xlsx_bytes(rows), name="名录.xlsx")
    assert 5 in {r.line for r in caught.value.parsed.bad_rows}
    assert not Target.objects.exists()


def test_a_broken_xlsx_file_is_refused_in_chinese(personas, agency):
    with pytest.raises(services.ImportRejected, match="无法读取 XLSX"):
        do_import(personas, agency, b"PK\x03\x04 not really a workbook", name="名录.xlsx")


def test_only_the_unit_head_imports(personas, agency):
    for who in (personas.zhangming, personas.zhougongshi, personas.wuquanxian):
        with pytest.raises(NotPermitted):
            services.targets_import(
                actor=who, agency=agency, file_name="a.csv", data=csv_bytes(employer_rows(1))
            )
