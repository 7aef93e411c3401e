"""Identity codes: GB 32100-2015 credit codes, GB 11643-1999 ID numbers, mobile numbers."""

from __future__ import annotations

import random
import unicodedata
from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sanxiang.lib.codes import (
    USCC_CATEGORIES,
    USCC_CHARSET,
    CodeError,
    Sex,
    id_number_birth_date,
    id_number_check_char,
    id_number_sex,
    is_valid_id_number,
    is_valid_mobile,
    is_valid_uscc,
    make_id_number,
    make_uscc,
    org_code_check_char,
    uscc_check_char,
    validate_id_number,
    validate_mobile,
    validate_uscc,
)
from sanxiang.lib.errors import DomainError

# Real codes (DOMAIN.md §5.2) and the sample number of GB 11643-1999.
KNOWN_USCC = ["91440300708461136T", "91110108551385082Q", "91350100M000100Y43"]
SAMPLE_ID = "11010519491231002X"
TODAY = date(2026, 11, 27)


def _with_check(first17: str) -> str:
    """A credit code whose org-code and final check characters are right for its other parts."""
    first16 = first17[:16]
    first17 = first16 + org_code_check_char(first16[8:16])
    return first17 + uscc_check_char(first17)


def _id_with_check(first17: str) -> str:
    return first17 + id_number_check_char(first17)


def _as_typed(value: str) -> str:
    """What the validators see after normalisation (NFKC, no whitespace, upper case)."""
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


# -- 统一社会信用代码 --------------------------------------------------------------------


@pytest.mark.parametrize("code", KNOWN_USCC)
def test_known_real_credit_codes_pass_every_check(code: str) -> None:
    assert validate_uscc(code) == code
    assert is_valid_uscc(code)


def test_credit_code_is_normalised_from_what_staff_paste() -> None:
    assert validate_uscc(" 9144 0300 7084 6113 6t ") == "91440300708461136T"
    # Full-width characters from a Chinese input method.
    assert validate_uscc("９１４４０３００７０８４６１１３６Ｔ") == "91440300708461136T"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "请填写统一社会信用代码"),
        ("91440300708461136", "统一社会信用代码应为18位，现为17位"),
        ("91440300708461136TT", "统一社会信用代码应为18位，现为19位"),
        ("9144030070846113#T", "第17位“#”无效"),
    ],
)
def test_credit_code_length_and_characters(code: str, message: str) -> None:
    with pytest.raises(CodeError, match=message):
        validate_uscc(code)


@pytest.mark.parametrize("letter", "IOSVZ")
def test_credit_code_never_uses_i_o_s_v_z(letter: str) -> None:
    code = "91440300" + letter + "08461136T"
    with pytest.raises(CodeError, match=f"第9位“{letter}”无效：代码不使用字母I、O、S、V、Z"):
        validate_uscc(code)


def test_credit_code_with_a_wrong_check_character_is_refused_without_the_answer() -> None:
    with pytest.raises(CodeError) as exc:
        validate_uscc("91440300708461136A")
    assert str(exc.value) == "统一社会信用代码校验位（第18位）不符，请对照证照逐位核对"
    # The expected character is deliberately not in the message (see codes.py docstring).
    assert "“T”" not in str(exc.value)
    assert isinstance(exc.value, ValueError)
    assert isinstance(exc.value, DomainError)


def test_credit_code_with_a_wrong_organisation_code_check_is_refused() -> None:
    # Position 17 changed and position 18 recomputed: only GB 11714's own check catches it.
    first17 = "9144030070846113" + "7"
    code = first17 + uscc_check_char(first17)
    with pytest.raises(CodeError, match="组织机构代码）的校验位不符"):
        validate_uscc(code)


@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        ("B1", "第1位（登记管理部门代码）“B”无效"),
        ("01", "第1位（登记管理部门代码）“0”无效"),
        ("94", "第2位（机构类别代码）“4”与登记管理部门“工商”不符，应为1、2、3之一"),
        ("99", "与登记管理部门“工商”不符"),
        ("56", "与登记管理部门“民政”不符"),
        ("Y2", "与登记管理部门“其他”不符，应为1之一"),
        ("1A", "与登记管理部门“机构编制”不符"),
    ],
)
def test_credit_code_department_and_category_must_match(prefix: str, message: str) -> None:
    with pytest.raises(CodeError, match=message):
        validate_uscc(_with_check(prefix + "440300708461136"))


@pytest.mark.parametrize(
    "prefix",
    ["11", "12", "13", "19", "21", "29", "31", "35", "39", "41", "49", "51", "52", "53", "59"]
    + ["61", "62", "69", "71", "72", "79", "81", "89", "91", "92", "93", "A1", "A9", "N1"]
    + ["N2", "N3", "N9", "Y1"],
)
def test_credit_code_prefixes_of_the_amended_table_are_accepted(prefix: str) -> None:
    assert is_valid_uscc(_with_check(prefix + "440300708461136"))


@pytest.mark.parametrize("prefix", ["54", "55"])
def test_village_and_residents_committee_codes_are_accepted(prefix: str) -> None:
    # 基层群众性自治组织特别法人 (uncertain source, see USCC_CATEGORIES comment).
    assert is_valid_uscc(_with_check(prefix + "140524708461136"))


@pytest.mark.parametrize(
    ("region", "message"),
    [
        ("99", "第3—8位（登记管理机关行政区划码）“990300”不是有效的行政区划代码"),
        ("00", "“000300”不是有效的行政区划代码"),
        ("83", "“830300”不是有效的行政区划代码"),
    ],
)
def test_credit_code_region_must_be_in_a_province(region: str, message: str) -> None:
    with pytest.raises(CodeError, match=message):
        validate_uscc(_with_check("91" + region + "0300708461136"))


def test_credit_code_region_must_be_digits() -> None:
    with pytest.raises(CodeError, match="第3—8位（登记管理机关行政区划码）应为6位数字"):
        validate_uscc(_with_check("9144A300708461136"))


def test_national_registration_office_region_is_accepted() -> None:
    # GB 32100-2015 §4.1: 国家用100000.
    assert is_valid_uscc(_with_check("91100000708461136"))
    assert not is_valid_uscc(_with_check("91100100708461136"))


def test_pre_2016_xiamen_code_that_breaks_the_check_is_refused() -> None:
    # Reported as a real registration (hutool issue #4119) although its check character
    # does not follow GB 32100-2015; the standard is applied as written (see report).
    assert not is_valid_uscc("91350203M0001QKT19")


@pytest.mark.parametrize("code", KNOWN_USCC)
def test_every_single_character_change_of_a_credit_code_is_detected(code: str) -> None:
    # Weights 3^(i-1) mod 31 are units mod the prime 31 and values differ by 1..30, so a
    # substitution within the character set always changes Σ mod 31: no blind spot.
    for pos in range(18):
        for ch in USCC_CHARSET:
            if ch != code[pos]:
                changed = code[:pos] + ch + code[pos + 1 :]
                assert not is_valid_uscc(changed), changed


def test_generated_credit_codes_are_deterministic() -> None:
    assert make_uscc(random.Random(7)) == make_uscc(random.Random(7))
    assert make_uscc(random.Random(7)) != make_uscc(random.Random(8))


def test_generated_credit_code_uses_the_requested_parts() -> None:
    code = make_uscc(random.Random(1), department="5", category="2", region="140524")
    assert code[:8] == "52140524"


def test_generator_refuses_an_invalid_prefix() -> None:
    with pytest.raises(ValueError, match="94"):
        make_uscc(random.Random(1), department="9", category="4")


_prefixes = st.sampled_from(sorted((d, c) for d, cats in USCC_CATEGORIES.items() for c in cats))


@settings(max_examples=300)
@given(seed=st.integers(min_value=0, max_value=2**32), prefix=_prefixes)
def test_generated_credit_codes_always_validate(seed: int, prefix: tuple[str, str]) -> None:
    code = make_uscc(random.Random(seed), department=prefix[0], category=prefix[1])
    assert validate_uscc(code) == code


# Replacements: the code's own alphabet, the forbidden letters, lower case, full width,
# punctuation and a non-ASCII digit.
_replacement = st.sampled_from(USCC_CHARSET + "IOSVZ" + "atxy" + "０Ａｔ" + "-_ #" + "٣")


@settings(max_examples=500)
@given(seed=st.integers(min_value=0, max_value=2**32), pos=st.integers(0, 17), ch=_replacement)
def test_any_single_character_change_of_a_credit_code_is_refused(
    seed: int, pos: int, ch: str
) -> None:
    code = make_uscc(random.Random(seed))
    changed = code[:pos] + ch + code[pos + 1 :]
    # Typing a character in lower case or full width is not a change: normalisation maps it
    # back ("t" or "ｔ" for "T"), so that case alone is excluded. A space is dropped, leaving
    # 17 characters, and is refused for its length.
    assume(_as_typed(changed) != code)
    with pytest.raises(CodeError):
        validate_uscc(changed)


# -- 居民身份证号码 -------------------------------------------------------------------


def test_standard_sample_id_number_is_valid() -> None:
    assert validate_id_number(SAMPLE_ID, today=TODAY) == SAMPLE_ID
    assert is_valid_id_number(SAMPLE_ID)


def test_lower_case_x_is_normalised() -> None:
    assert validate_id_number("11010519491231002x") == SAMPLE_ID
    assert validate_id_number(" 110105 19491231 002ｘ ") == SAMPLE_ID


def test_birth_date_and_sex_are_read_from_the_number() -> None:
    assert id_number_birth_date(SAMPLE_ID) == date(1949, 12, 31)
    assert id_number_sex(SAMPLE_ID) is Sex.FEMALE  # position 17 is 2, even
    assert id_number_sex(SAMPLE_ID).label == "女"
    male = _id_with_check("11010519491231001")
    assert id_number_sex(male) is Sex.MALE


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("", "请填写身份证号码"),
        ("110105491231002", "15位的第一代身份证号码已停止使用"),
        ("11010519491231002", "身份证号码应为18位，现为17位"),
        ("110105194912310021X", "身份证号码应为18位，现为19位"),
        ("1101051949123100AX", "第17位“A”无效：前17位应为数字"),
        ("11010519491231002A", "第18位“A”无效：应为数字或X"),
        ("11010519491231002Y", "第18位“Y”无效"),
    ],
)
def test_id_number_format(number: str, message: str) -> None:
    with pytest.raises(CodeError, match=message):
        validate_id_number(number, today=TODAY)


def test_id_number_with_a_wrong_check_character_is_refused() -> None:
    with pytest.raises(CodeError, match="校验位（第18位）不符，请对照证件逐位核对"):
        validate_id_number("110105194912310021", today=TODAY)


@pytest.mark.parametrize("birth", ["19990230", "19991301", "19990000", "20230229"])
def test_id_number_birth_date_must_be_a_real_date(birth: str) -> None:
    with pytest.raises(CodeError, match=f"第7—14位“{birth}”不是有效的出生日期"):
        validate_id_number(_id_with_check("110105" + birth + "002"), today=TODAY)


def test_leap_day_birth_is_accepted() -> None:
    assert is_valid_id_number(_id_with_check("11010520000229002"), today=TODAY)


def test_id_number_birth_date_cannot_be_in_the_future() -> None:
    number = _id_with_check("11010520261128002")
    with pytest.raises(CodeError, match="出生日期2026-11-28晚于今天"):
        validate_id_number(number, today=TODAY)
    assert is_valid_id_number(number, today=date(2026, 11, 28))  # born today


def test_id_number_birth_date_cannot_be_before_1900() -> None:
    with pytest.raises(CodeError, match="早于1900年"):
        validate_id_number(_id_with_check("11010518991231002"), today=TODAY)


@pytest.mark.parametrize("province", ["00", "10", "16", "20", "24", "30", "38", "47", "55"])
def test_id_number_province_must_exist(province: str) -> None:
    with pytest.raises(CodeError, match=f"前两位“{province}”不是有效的省级行政区划代码"):
        validate_id_number(_id_with_check(province + "010519491231002"), today=TODAY)


@pytest.mark.parametrize("province", ["11", "15", "23", "37", "46", "54", "65", "71", "81", "82"])
def test_id_number_provinces_of_gb_t_2260_are_accepted(province: str) -> None:
    assert is_valid_id_number(_id_with_check(province + "010519491231002"), today=TODAY)


def test_every_single_digit_change_of_an_id_number_is_detected() -> None:
    # Weights 2^(18-i) mod 11 are units mod the prime 11, so any substitution is caught.
    for pos in range(18):
        for ch in "0123456789X":
            if ch != SAMPLE_ID[pos]:
                changed = SAMPLE_ID[:pos] + ch + SAMPLE_ID[pos + 1 :]
                assert not is_valid_id_number(changed, today=TODAY), changed


def test_generated_id_numbers_use_the_requested_parts() -> None:
    number = make_id_number(
        random.Random(3), region="140524", birth_date=date(1980, 5, 17), sex=Sex.MALE
    )
    assert number.startswith("14052419800517")
    assert id_number_sex(number) is Sex.MALE
    assert make_id_number(random.Random(3)) == make_id_number(random.Random(3))


@settings(max_examples=300)
@given(seed=st.integers(min_value=0, max_value=2**32), sex=st.sampled_from(Sex))
def test_generated_id_numbers_always_validate(seed: int, sex: Sex) -> None:
    number = make_id_number(random.Random(seed), sex=sex)
    assert validate_id_number(number) == number
    assert id_number_sex(number) is sex
    assert date(1950, 1, 1) <= id_number_birth_date(number) <= date(2005, 12, 31)


@settings(max_examples=500)
@given(
    seed=st.integers(min_value=0, max_value=2**32),
    pos=st.integers(0, 17),
    ch=st.sampled_from("0123456789XAxＸ-/ "),
)
def test_any_single_character_change_of_an_id_number_is_refused(
    seed: int, pos: int, ch: str
) -> None:
    number = make_id_number(random.Random(seed))
    changed = number[:pos] + ch + number[pos + 1 :]
    # "x" / "Ｘ" for a final "X" is the same number after normalisation, not a change.
    assume(_as_typed(changed) != number)
    with pytest.raises(CodeError):
        validate_id_number(changed)


# -- 手机号码 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["13800138000", "138 0013 8000", "138-0013-8000", "+8613800138000", "008619912345678"]
)
def test_mobile_numbers_are_normalised(value: str) -> None:
    assert validate_mobile(value) in {"13800138000", "19912345678"}
    assert is_valid_mobile(value)


def test_full_width_mobile_number_is_accepted() -> None:
    assert validate_mobile("１３８００１３８０００") == "13800138000"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "请填写手机号码"),
        ("1380013800", "手机号码应为11位数字"),
        ("138001380001", "手机号码应为11位数字"),
        ("1380013800a", "手机号码应为11位数字"),
        ("١٣٨٠٠١٣٨٠٠٠", "手机号码应为11位数字"),
        ("12800138000", "手机号码应以13—19开头"),
        ("23800138000", "手机号码应以13—19开头"),
        ("010-12345678", "手机号码应以13—19开头"),
    ],
)
def test_invalid_mobile_numbers_are_refused(value: str, message: str) -> None:
    with pytest.raises(CodeError, match=message):
        validate_mobile(value)


# -- non-string input -------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, 91440300708461136, b"91440300708461136T"])
def test_non_strings_are_a_programming_error_but_not_valid(value: object) -> None:
    with pytest.raises(TypeError):
        validate_uscc(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        validate_id_number(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        validate_mobile(value)  # type: ignore[arg-type]
    assert not is_valid_uscc(value)
    assert not is_valid_id_number(value)
    assert not is_valid_mobile(value)
