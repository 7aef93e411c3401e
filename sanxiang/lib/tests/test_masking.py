"""Masking before publication (DOMAIN.md §5.3): a table of real-looking inputs and the tricky
cases — full-width digits, spaces inside numbers, ID numbers followed by Chinese text, money that
looks like a phone number, hashes and verification codes that contain digit runs."""

from __future__ import annotations

import random
import re

import pytest

from sanxiang.lib.codes import id_number_check_char, make_id_number
from sanxiang.lib.masking import (
    MaskingContext,
    Person,
    find_sensitive,
    luhn_ok,
    mask_name,
    mask_text,
)

RNG = random.Random(20261128)
ID = make_id_number(RNG, region="140524")  # valid check character
ID_X = next(
    code
    for code in (make_id_number(RNG, region="140524") for _ in range(200))
    if code.endswith("X")
)
BAD_CHECK = ID[:17] + ("0" if ID[17] != "0" else "1")  # a typo'd ID is still personal data
FULLWIDTH_ID = ID.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})


def _luhn_complete(body: str) -> str:
    return next(body + d for d in "0123456789" if luhn_ok(body + d))


CARD = _luhn_complete("622202020000123456")  # 19 digits passing the Luhn check
NO_CTX = MaskingContext()


def _masked(text: str, ctx: MaskingContext = NO_CTX) -> str:
    return mask_text(text, ctx).text


TABLE = [
    # (what, input, expected output)
    ("18-digit ID", f"身份证号码：{ID}。", "身份证号码：〔身份证号码已隐去〕。"),
    (
        "ID followed by Chinese text",
        f"身份证号{ID}的劳动者",
        "身份证号〔身份证号码已隐去〕的劳动者",
    ),
    ("ID ending in X, lower case", f"证件{ID_X.lower()}，", "证件〔身份证号码已隐去〕，"),
    ("ID with a wrong check digit", f"号码{BAD_CHECK}", "号码〔身份证号码已隐去〕"),
    ("full-width ID", f"身份证{FULLWIDTH_ID}号", "身份证〔身份证号码已隐去〕号"),
    (
        "ID grouped with spaces",
        f"身份证 {ID[:6]} {ID[6:14]} {ID[14:]} 已核对",
        "身份证 〔身份证号码已隐去〕 已核对",
    ),
    ("15-digit legacy ID", "旧身份证140524800101123，", "旧身份证〔身份证号码已隐去〕，"),
    ("mobile", "联系电话：13903569001。", "联系电话：〔电话号码已隐去〕。"),
    ("mobile with spaces", "手机 139 0356 9001 联系", "手机 〔电话号码已隐去〕 联系"),
    ("mobile with hyphens", "手机139-0356-9001", "手机〔电话号码已隐去〕"),
    ("mobile with +86", "电话+86 13903569001", "电话〔电话号码已隐去〕"),
    ("full-width mobile", "电话：１３９０３５６９００１", "电话：〔电话号码已隐去〕"),
    ("mobile after a number", "第3 13903569001", "第3 〔电话号码已隐去〕"),
    ("landline", "电话0356-6221234", "电话〔电话号码已隐去〕"),
    ("landline in brackets", "电话（0356）6221234", "电话〔电话号码已隐去〕"),
    ("local number after 电话", "家中电话：6221234", "家中电话：〔电话号码已隐去〕"),
    ("bank card (Luhn)", f"工资卡{CARD}已冻结", "工资卡〔银行账号已隐去〕已冻结"),
    (
        "account after 账号, grouped",
        "账号：0508 0000 0000 0000 123",
        "账号：〔银行账号已隐去〕",
    ),
    ("account after 账户", "账户 1405 0182 7000 0001", "账户 〔银行账号已隐去〕"),
    ("e-mail", "邮箱 zhang.san@example.com 。", "邮箱 〔电子邮箱已隐去〕 。"),
    (
        "home address after 住址",
        "住址：山西省晋城市陵川县崇文镇东关村12号，",
        "住址：〔住址已隐去〕，",
    ),
    ("address after 家住", "王某家住礼义镇西街5号。", "王某家住〔住址已隐去〕。"),
    (
        "住 inside brackets",
        "劳动者李某（男，1980年生，住陵川县六泉乡某村3组）",
        "劳动者李某（男，1980年生，住〔住址已隐去〕）",
    ),
    ("health", "劳动者张某某患有尘肺病，", "劳动者张某某〔健康信息已隐去〕，"),
    ("disability grade", "经鉴定伤残等级为七级。", "经鉴定〔健康信息已隐去〕。"),
    (
        "worker names with a count",
        "张三、李四、王五等12名劳动者反映被拖欠工资",
        "张某等12名劳动者反映被拖欠工资",
    ),
    (
        "worker names, count without 等",
        "张三、李四、王五3名劳动者",
        "张某等3名劳动者",
    ),
    ("names after a role word", "劳动者张三、李四反映", "劳动者张某等2人反映"),
    ("one name after a role word", "证人赵小明证实", "证人赵某证实"),
    ("compound surname", "投诉人欧阳娜娜反映", "投诉人欧阳某反映"),
    # --- must be kept ---------------------------------------------------------------------
    ("money that looks like a mobile", "拖欠工资共计13800000000元", "拖欠工资共计13800000000元"),
    ("money with ¥", "罚款¥13903569001", "罚款¥13903569001"),
    (
        "money with separators",
        "罚款人民币6,000.00元（¥6,000.00）",
        "罚款人民币6,000.00元（¥6,000.00）",
    ),
    ("dates", "2026年4月7日、2026-04-07", "2026年4月7日、2026-04-07"),
    ("document number", "陵人社监罚字〔2026〕第12号", "陵人社监罚字〔2026〕第12号"),
    (
        "hex hash with digit runs",
        "SHA-256：3a9f1405241990010112345678abcdef",
        "SHA-256：3a9f1405241990010112345678abcdef",
    ),
    ("verification code", "验证码 K7QX-2M9P-4R", "验证码 K7QX-2M9P-4R"),
    ("already masked name", "投诉人王某某反映", "投诉人王某某反映"),
    (
        "ordinary words after a role",
        "员工连续工作7日，职工平均工资",
        "员工连续工作7日，职工平均工资",
    ),
    ("时间 after a role", "劳动者于2026年3月1日入职", "劳动者于2026年3月1日入职"),
    ("organisation address (住所)", "住所：陵川县崇文镇文化路8号", "住所：陵川县崇文镇文化路8号"),
    ("worker count alone", "涉及劳动者12人", "涉及劳动者12人"),
    ("short numbers", "每日工作11小时，每月延长70小时", "每日工作11小时，每月延长70小时"),
]


@pytest.mark.parametrize("what,text,expected", TABLE, ids=[row[0] for row in TABLE])
def test_masking_table(what, text, expected):
    assert _masked(text) == expected


def test_luhn_sample_card_is_valid_and_a_changed_digit_is_not():
    assert luhn_ok(CARD)
    assert not luhn_ok(CARD[:-1] + str((int(CARD[-1]) + 1) % 10))


def test_sixteen_digits_failing_luhn_without_keyword_are_still_masked_as_a_long_number():
    not_luhn = next(n for n in (f"622202020000123{d}" for d in "0123456789") if not luhn_ok(n))
    result = mask_text(f"编号{not_luhn}收据")
    assert result.text == "编号〔号码已隐去〕收据"
    assert result.counts() == {"long_number": 1}


def test_known_third_parties_are_masked_wherever_they_appear():
    ctx = MaskingContext(
        others=(
            Person(
                name="孙晓燕", role="投诉人", phone="13903560101", address="陵川县崇文镇北街9号"
            ),
            Person(name="刘大伟", role="证人"),
        ),
        keep_names=frozenset({"钱某", "张明"}),
    )
    text = (
        "孙晓燕（电话13903560101，住陵川县崇文镇北街9号）向本机关投诉。"
        "刘大伟证实加班情况。执法人员张明询问了法定代表人钱某。"
    )
    assert _masked(text, ctx) == (
        "孙某（电话〔电话号码已隐去〕，住〔住址已隐去〕）向本机关投诉。"
        "刘某证实加班情况。执法人员张明询问了法定代表人钱某。"
    )


def test_a_name_recognised_once_is_masked_wherever_else_it_appears():
    # Nothing in the structured data: the heuristics find 王大山 in the list; the later mention
    # ("王大山住址", no boundary after the name) must not leak him.
    text = "劳动者王大山、李小红、赵强等3名劳动者反映被拖欠工资，王大山住址：东关村12号。"
    assert _masked(text) == "劳动者王某等3名劳动者反映被拖欠工资，王某住址：〔住址已隐去〕。"


def test_the_punished_natural_person_keeps_the_name_and_loses_numbers_and_home_address():
    party = Person(name="郭建军", id_number=ID, phone="13503561234", address="陵川县西河底镇积善村")
    ctx = MaskingContext(party=party, keep_names=frozenset({"郭建军"}), natural_person=True)
    text = f"当事人郭建军，身份证号码{ID}，住所：陵川县西河底镇积善村，电话13503561234。"
    assert _masked(text, ctx) == (
        "当事人郭建军，身份证号码〔身份证号码已隐去〕，住所：〔住址已隐去〕，电话〔电话号码已隐去〕。"
    )


def test_names_published_on_purpose_are_not_taken_for_workers():
    ctx = MaskingContext(keep_names=frozenset({"赵建国"}))
    assert _masked("被询问人赵建国（法定代表人）", ctx) == "被询问人赵建国（法定代表人）"


def test_the_party_credit_code_and_agency_phone_can_be_kept():
    ctx = MaskingContext(keep_numbers=frozenset({"0356-6221234"}))
    assert _masked("举报电话0356-6221234", ctx) == "举报电话0356-6221234"


def test_findings_point_into_the_original_text_and_carry_no_value():
    text = f"甲{ID}乙13903569001丙"
    findings = find_sensitive(text)
    assert [(f.kind, text[f.start : f.end]) for f in findings] == [
        ("id_number", ID),
        ("mobile", "13903569001"),
    ]
    assert all(ID not in repr(f) for f in findings)


def test_masked_text_contains_no_digit_run_a_public_crawler_would_flag():
    """Replacements contain no digits: masking the output again changes nothing."""
    text = "；".join(row[1] for row in TABLE)
    once = mask_text(text).text
    assert mask_text(once).text == once
    kept_money = once.replace("13800000000元", "").replace("¥13903569001", "")
    assert not re.search(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])", kept_money)


def test_a_realistic_decision_paragraph():
    ctx = MaskingContext(
        others=(Person(name="王小红", role="投诉人", phone="15935601234"),),
        keep_names=frozenset({"赵建国"}),
    )
    text = (
        "2026年3月2日，投诉人王小红（电话15935601234）反映你单位拖欠其工资。经查，你单位自2025年"
        "10月起拖欠王小红、陈二狗、刘三等6名劳动者工资共计38,600元。证人李四（身份证号码"
        f"{ID}）证实上述情况。你单位法定代表人赵建国在询问笔录中承认拖欠事实。"
        f"劳动者陈二狗因工受伤，经鉴定伤残等级为九级。工资卡号{CARD}。"
    )
    masked = _masked(text, ctx)
    assert masked == (
        "2026年3月2日，投诉人王某（电话〔电话号码已隐去〕）反映你单位拖欠其工资。经查，你单位自2025年"
        "10月起拖欠王某等6名劳动者工资共计38,600元。证人李某（身份证号码"
        "〔身份证号码已隐去〕）证实上述情况。你单位法定代表人赵建国在询问笔录中承认拖欠事实。"
        "劳动者陈某因工受伤，经鉴定〔健康信息已隐去〕。工资卡号〔银行账号已隐去〕。"
    )


@pytest.mark.parametrize(
    "name,masked", [("张三", "张某"), ("欧阳娜娜", "欧阳某"), ("司马光", "司马某"), ("李", "李某")]
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_check_character_helper_agrees_with_the_generated_id():
    assert id_number_check_char(ID[:17]) == ID[17]
