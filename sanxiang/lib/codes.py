"""Identity codes: 统一社会信用代码, 居民身份证号码 and mainland mobile numbers.

Validators normalise what staff type or paste (full-width characters, spaces, lower case)
and return the canonical form, or raise ``CodeError`` with a Chinese message that says which
part is wrong. Generators build valid codes from a ``random.Random`` for tests and demo data.

Standards:

- GB 32100-2015《法人和其他组织统一社会信用代码编码规则》with amendment No. 1
  (GB 32100-2015/XG1-2016), which widened the registration-department table;
- GB 11714-1997《全国组织机构代码编制规则》(positions 9-17 of the credit code);
- GB 11643-1999《公民身份号码》; check characters per GB/T 17710 (ISO 7064 MOD 11-2 for the
  ID number; the credit code uses weights 3^(i-1) mod 31, DOMAIN.md §5.2).

On check characters in messages: a typo anywhere in a code also breaks its check character,
so a message "校验位应为 T" invites the officer to overwrite the last character and turn a
typo into a valid-looking code of some other organisation. Messages therefore say that the
check failed and ask for the code to be re-read from the document; the expected character is
available to programs through ``uscc_check_char`` / ``id_number_check_char``.
"""

from __future__ import annotations

import enum
import random
import re
import unicodedata
from datetime import date

from sanxiang.lib.errors import DomainError

__all__ = [
    "USCC_CATEGORIES",
    "USCC_CHARSET",
    "USCC_DEPARTMENTS",
    "CodeError",
    "Sex",
    "id_number_birth_date",
    "id_number_check_char",
    "id_number_sex",
    "is_valid_id_number",
    "is_valid_mobile",
    "is_valid_uscc",
    "make_id_number",
    "make_uscc",
    "org_code_check_char",
    "uscc_check_char",
    "validate_id_number",
    "validate_mobile",
    "validate_uscc",
]


class CodeError(DomainError, ValueError):
    """A code was refused; ``message`` (also ``str()``) is Chinese and names the fault."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="invalid_code")


class Sex(enum.StrEnum):
    """性别, as encoded in the ID number (GB 11643-1999 §5.3: odd sequence code = male)."""

    MALE = "male"
    FEMALE = "female"

    @property
    def label(self) -> str:
        return "男" if self is Sex.MALE else "女"


# Province-level codes of GB/T 2260 (first two digits of an administrative-division code):
# 11-15 华北, 21-23 东北, 31-37 华东, 41-46 中南, 50-54 西南, 61-65 西北, 71 台湾, 81 香港,
# 82 澳门. 83 is not in GB/T 2260: it is the address code that 港澳台居民居住证 numbers use for
# Taiwan residents (810000/820000/830000, 2018 居住证申领发放办法) [M: from memory, not
# re-verified here]; it is accepted so that such holders are not locked out.
_PROVINCES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23"}
    | {str(n) for n in range(31, 38)}
    | {str(n) for n in range(41, 47)}
    | {"50", "51", "52", "53", "54"}
    | {str(n) for n in range(61, 66)}
    | {"71", "81", "82", "83"}
)
# GB/T 2260 has no 83; credit codes are issued by mainland registration offices only.
_USCC_PROVINCES = _PROVINCES - {"83"}
_MAINLAND_PROVINCES = _PROVINCES - {"71", "81", "82", "83"}


def _normalise(value: str) -> str:
    # NFKC turns full-width digits and letters (what Chinese input methods often produce)
    # into ASCII; whitespace inside is dropped because pasted codes are often grouped.
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


def _require_str(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what}应为字符串，而不是 {type(value).__name__}")
    return value


# -- 统一社会信用代码 (GB 32100-2015) ---------------------------------------------------

# GB 32100-2015 附录 A: digits and upper-case letters without I, O, S, V, Z; value = index.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARSET)}
# GB 32100-2015 §4.2: weight of position i (1-based) is 3^(i-1) mod 31.
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

# Position 1 (登记管理部门代码) -> allowed position 2 (机构类别代码).
# Source: the table of GB 32100-2015 as amended by XG1-2016, as reproduced on secondary pages
# (osuse.cn/post/10002590.html, blog.csdn.net/lh1424573495/article/details/108776492) and in
# independent validators whose prefix list is identical (11 … Y1 below); hutool issue #2020
# dates the widening of position 1 to "123456789ANY" to 2016. The standard's own text was
# not available here, so this is [S], not [V].
USCC_CATEGORIES: dict[str, dict[str, str]] = {
    "1": {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    "2": {"1": "外国常住新闻机构", "9": "其他"},
    "3": {
        "1": "律师执业机构",
        "2": "公证处",
        "3": "基层法律服务所",
        "4": "司法鉴定机构",
        "5": "仲裁委员会",
        "9": "其他",
    },
    "4": {"1": "外国在华文化中心", "9": "其他"},
    # 54/55 are not in the amended table as reproduced, but village and residents'
    # committees (基层群众性自治组织特别法人, 民法总则 2017) received codes from 民政 from 2018,
    # and two independent validators list 54 (村民委员会) and 55 (居民委员会). Accepted so that
    # such parties can be entered; UNCERTAIN [S], confirm against a real 54/55 certificate.
    "5": {
        "1": "社会团体",
        "2": "民办非企业单位",
        "3": "基金会",
        "4": "村民委员会",
        "5": "居民委员会",
        "9": "其他",
    },
    "6": {
        "1": "外国旅游部门常驻代表机构",
        "2": "港澳台地区旅游部门常驻内地（大陆）代表机构",
        "9": "其他",
    },
    "7": {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"},
    "8": {"1": "基层工会", "9": "其他"},
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"},
    "A": {"1": "军队事业单位", "9": "其他"},
    "N": {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},
    "Y": {"1": "其他"},
}
USCC_DEPARTMENTS: dict[str, str] = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "工商",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}

# GB 11714-1997: the organisation code's own character values are 0-9 and A=10 … Z=35 (the
# full alphabet, unlike the credit code's table), weights 3,7,9,10,5,8,4,2, and
# C9 = 11 - (Σ mod 11), written X for 10 and 0 for 11.
_ORG_VALUE = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

_NAME_USCC = "统一社会信用代码"


def uscc_check_char(first17: str) -> str:
    """Check character (position 18) for the first 17 characters of a credit code."""
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    # GB 32100-2015 §4.2: C18 = 31 - MOD(Σ, 31); 31 is written as 0.
    return USCC_CHARSET[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    """GB 11714-1997 check character for the 8-character body of an organisation code."""
    total = sum(_ORG_VALUE[c] * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    c9 = 11 - total % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def validate_uscc(value: str) -> str:
    """Return the normalised 统一社会信用代码 or raise ``CodeError``.

    Checks, in the order an officer can act on them: length, character set (no I O S V Z),
    registration department and institution category (positions 1-2), division code
    (positions 3-8, digits with a valid province), the organisation code's GB 11714 check
    (position 17) and the credit code's check character (position 18).
    """
    code = _normalise(_require_str(value, _NAME_USCC))
    if not code:
        raise CodeError("请填写统一社会信用代码")
    if len(code) != 18:
        raise CodeError(f"统一社会信用代码应为18位，现为{len(code)}位")
    for pos, ch in enumerate(code, start=1):
        if ch not in _USCC_VALUE:
            if ch in "IOSVZ":
                raise CodeError(f"统一社会信用代码第{pos}位“{ch}”无效：代码不使用字母I、O、S、V、Z")
            raise CodeError(
                f"统一社会信用代码第{pos}位“{ch}”无效：只能是数字或大写字母（不含I、O、S、V、Z）"
            )
    department, category = code[0], code[1]
    if department not in USCC_CATEGORIES:
        raise CodeError(f"统一社会信用代码第1位（登记管理部门代码）“{department}”无效")
    allowed = USCC_CATEGORIES[department]
    if category not in allowed:
        raise CodeError(
            f"统一社会信用代码第2位（机构类别代码）“{category}”与登记管理部门"
            f"“{USCC_DEPARTMENTS[department]}”不符，应为{'、'.join(allowed)}之一"
        )
    region = code[2:8]
    if not region.isdigit():
        raise CodeError("统一社会信用代码第3—8位（登记管理机关行政区划码）应为6位数字")
    # "国家用100000" (GB 32100-2015 §4.1): codes issued by national registration offices.
    if region[:2] not in _USCC_PROVINCES and region != "100000":
        raise CodeError(
            f"统一社会信用代码第3—8位（登记管理机关行政区划码）“{region}”不是有效的行政区划代码"
        )
    if code[16] != org_code_check_char(code[8:16]):
        raise CodeError("统一社会信用代码第9—17位（组织机构代码）的校验位不符，请对照证照逐位核对")
    if code[17] != uscc_check_char(code[:17]):
        raise CodeError("统一社会信用代码校验位（第18位）不符，请对照证照逐位核对")
    return code


def is_valid_uscc(value: object) -> bool:
    """Whether ``value`` is a valid 统一社会信用代码 (after normalisation)."""
    if not isinstance(value, str):
        return False
    try:
        validate_uscc(value)
    except CodeError:
        return False
    return True


def make_uscc(
    rng: random.Random,
    *,
    department: str = "9",
    category: str = "1",
    region: str | None = None,
) -> str:
    """A valid 统一社会信用代码 drawn from ``rng`` (same seed, same code).

    Defaults to an enterprise (91); ``region`` defaults to a random 6-digit code in a valid
    province (not necessarily an existing county). For tests and demo data only: a generated
    code may, by chance, belong to a real organisation.
    """
    if category not in USCC_CATEGORIES.get(department, {}):
        raise ValueError(f"无效的登记管理部门/机构类别组合：{department}{category}")
    if region is None:
        region = rng.choice(sorted(_MAINLAND_PROVINCES)) + f"{rng.randrange(10_000):04d}"
    body = "".join(rng.choice(USCC_CHARSET) for _ in range(8))
    first17 = department + category + region + body + org_code_check_char(body)
    return validate_uscc(first17 + uscc_check_char(first17))


# -- 居民身份证号码 (GB 11643-1999) -------------------------------------------------------

# GB 11643-1999 §7 (ISO 7064 MOD 11-2): weights 2^(18-i) mod 11 for i = 1..17, and the
# check character for Σ mod 11 = 0..10.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_MIN_BIRTH = date(1900, 1, 1)

_NAME_ID = "身份证号码"


def id_number_check_char(first17: str) -> str:
    """Check character (position 18) for the first 17 digits of an ID number."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_id_number(value: str, *, today: date | None = None) -> str:
    """Return the normalised 居民身份证号码 (upper-case X) or raise ``CodeError``.

    Checks length (15-digit first-generation numbers are refused: those cards stopped being
    valid on 2013-01-01), digits, province code (positions 1-2), birth date (positions 7-14:
    a real date, not before 1900, not after ``today``) and the check character.
    """
    code = _normalise(_require_str(value, _NAME_ID))
    if not code:
        raise CodeError("请填写身份证号码")
    if len(code) == 15 and code.isascii() and code.isdigit():
        raise CodeError("15位的第一代身份证号码已停止使用，请填写18位身份证号码")
    if len(code) != 18:
        raise CodeError(f"身份证号码应为18位，现为{len(code)}位")
    for pos, ch in enumerate(code[:17], start=1):
        if not ("0" <= ch <= "9"):
            raise CodeError(f"身份证号码第{pos}位“{ch}”无效：前17位应为数字")
    if not ("0" <= code[17] <= "9" or code[17] == "X"):
        raise CodeError(f"身份证号码第18位“{code[17]}”无效：应为数字或X")
    if code[:2] not in _PROVINCES:
        raise CodeError(f"身份证号码前两位“{code[:2]}”不是有效的省级行政区划代码")
    born = _birth_date(code)
    if born is None:
        raise CodeError(f"身份证号码第7—14位“{code[6:14]}”不是有效的出生日期")
    if born < _ID_MIN_BIRTH:
        raise CodeError(f"身份证号码中的出生日期{born.isoformat()}早于1900年，请核对")
    if born > (today or date.today()):
        raise CodeError(f"身份证号码中的出生日期{born.isoformat()}晚于今天，请核对")
    if code[17] != id_number_check_char(code[:17]):
        raise CodeError("身份证号码校验位（第18位）不符，请对照证件逐位核对")
    return code


def _birth_date(code: str) -> date | None:
    try:
        return date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return None


def is_valid_id_number(value: object, *, today: date | None = None) -> bool:
    """Whether ``value`` is a valid 居民身份证号码 (after normalisation)."""
    if not isinstance(value, str):
        return False
    try:
        validate_id_number(value, today=today)
    except CodeError:
        return False
    return True


def id_number_birth_date(value: str) -> date:
    """Birth date encoded in a valid ID number (raises ``CodeError`` if invalid)."""
    code = validate_id_number(value)
    born = _birth_date(code)
    assert born is not None  # validate_id_number checked it
    return born


def id_number_sex(value: str) -> Sex:
    """Sex encoded in a valid ID number: position 17 odd = male (GB 11643-1999 §5.3)."""
    code = validate_id_number(value)
    return Sex.MALE if int(code[16]) % 2 else Sex.FEMALE


def make_id_number(
    rng: random.Random,
    *,
    region: str | None = None,
    birth_date: date | None = None,
    sex: Sex | None = None,
) -> str:
    """A valid 居民身份证号码 drawn from ``rng`` (same seed, same number).

    Defaults: a random 6-digit address code in a valid province, an adult born 1950-2005,
    random sex. For tests and demo data only: a generated number may be a real person's.
    """
    if region is None:
        region = rng.choice(sorted(_MAINLAND_PROVINCES)) + f"{rng.randrange(10_000):04d}"
    if not re.fullmatch(r"[0-9]{6}", region) or region[:2] not in _PROVINCES:
        raise ValueError(f"无效的地址码：{region}")
    if birth_date is None:
        first, last = date(1950, 1, 1).toordinal(), date(2005, 12, 31).toordinal()
        birth_date = date.fromordinal(rng.randint(first, last))
    if sex is None:
        sex = rng.choice((Sex.MALE, Sex.FEMALE))
    # Sequence code (positions 15-17): the last digit is odd for men, even for women.
    sequence = rng.randrange(100) * 10 + rng.choice(
        (1, 3, 5, 7, 9) if sex is Sex.MALE else (0, 2, 4, 6, 8)
    )
    first17 = f"{region}{birth_date:%Y%m%d}{sequence:03d}"
    return validate_id_number(first17 + id_number_check_char(first17), today=date.max)


# -- 手机号码 ------------------------------------------------------------------------------

_MOBILE = re.compile(r"1[3-9]\d{9}")


def validate_mobile(value: str) -> str:
    """Return a mainland mobile number as 11 digits or raise ``CodeError``.

    Spaces and hyphens are ignored and a +86 / 0086 prefix is dropped; the number must be 11
    digits starting with 13-19.
    """
    number = _normalise(_require_str(value, "手机号码")).replace("-", "")
    if not number:
        raise CodeError("请填写手机号码")
    for prefix in ("+86", "0086"):
        if number.startswith(prefix) and len(number) == 11 + len(prefix):
            number = number[len(prefix) :]
    if not (number.isascii() and number.isdigit()) or len(number) != 11:
        raise CodeError("手机号码应为11位数字")
    if not _MOBILE.fullmatch(number):
        raise CodeError("手机号码应以13—19开头")
    return number


def is_valid_mobile(value: object) -> bool:
    """Whether ``value`` is a valid mainland mobile number (after normalisation)."""
    if not isinstance(value, str):
        return False
    try:
        validate_mobile(value)
    except CodeError:
        return False
    return True
