"""Masking personal information before a decision is published (信息公示前的去标识化).

Pure standard-library module (no Django): text and what is known about the case in, masked
text and a list of findings out. Table-tested in ``lib/tests/test_masking.py``.

What is removed (DOMAIN.md §5.3; 浙江省行政处罚结果信息网上公开暂行办法; 政府信息公开条例
第十五条; 个人信息保护法; 劳动保障监察条例 第九条 for complainants):

- ID numbers: 18-digit (GB 11643-1999 — masked when the shape is an ID: province code and birth
  date, whether or not the check character is right, because a mistyped ID number is still
  someone's), 15-digit legacy numbers with a valid birth date;
- phone numbers: mobile (1[3-9] + 9 digits, +86 / 0086 prefixes), landlines with an area code,
  local numbers after a 电话 keyword; e-mail addresses;
- bank accounts: after a 账号 / 卡号 keyword (any 8+ digits), or 16-19 digits that pass the
  Luhn check anywhere; any other run of 15+ digits is masked as a "long number" too, because
  it is almost always an account or a certificate number;
- home addresses of natural persons: after 住址 / 家住 / 现住 / 户籍地 … (and 住所 when the party
  is a natural person), and the addresses known from the case (structured data);
- health data: the clause after 患有 / 诊断为 / 病情 / 伤残等级 …;
- names of natural persons other than the punished party: every name known from the case
  (complainants, interviewees, witnesses, receivers …) and, heuristically, a name right after a
  role word (劳动者张三) or in a list that ends with a count (张三、李四、王五等12名劳动者 →
  张某等12名劳动者), and then every other occurrence of a name so found; names that are
  published on purpose (the punished party, an organisation's
  legal representative, the officers) are kept.

How digits are read: full-width digits and letters are read as ASCII (the replacement keeps the
rest of the text unchanged), a single space or hyphen inside a number is allowed (139 0356 9001,
1405 2419 9001 0112 34), and a number must not touch an ASCII letter or digit on either side —
so a run of digits inside a hexadecimal hash or a verification code is never taken for an ID
number. Chinese text right after a number is a boundary (140524…1234的劳动者). A number directly
followed by 元 / 万元 or preceded by ¥ / 人民币 is money and kept.

Replacements contain no digits, so masked text never re-matches a pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "KIND_LABELS",
    "Finding",
    "MaskResult",
    "MaskingContext",
    "Person",
    "find_sensitive",
    "luhn_ok",
    "mask_id_number",
    "mask_name",
    "mask_text",
    "surname_of",
]

KIND_LABELS = {
    "id_number": "身份证号码",
    "id_number_legacy": "15位身份证号码",
    "mobile": "手机号码",
    "landline": "固定电话",
    "email": "电子邮箱",
    "bank_account": "银行账号",
    "long_number": "长数字串（疑似证件号或账号）",
    "address": "自然人住址",
    "health": "健康信息",
    "name": "其他自然人姓名",
}

REPLACEMENTS = {
    "id_number": "〔身份证号码已隐去〕",
    "id_number_legacy": "〔身份证号码已隐去〕",
    "mobile": "〔电话号码已隐去〕",
    "landline": "〔电话号码已隐去〕",
    "email": "〔电子邮箱已隐去〕",
    "bank_account": "〔银行账号已隐去〕",
    "long_number": "〔号码已隐去〕",
    "address": "〔住址已隐去〕",
    "health": "〔健康信息已隐去〕",
}

# When two findings overlap, the longer one wins; at equal length, the earlier kind here.
_PRIORITY = [
    "id_number",
    "bank_account",
    "id_number_legacy",
    "mobile",
    "landline",
    "email",
    "address",
    "health",
    "name",
    "long_number",
]


@dataclass(frozen=True)
class Person:
    """A natural person the case knows about. ``role`` is free text for the report only."""

    name: str
    role: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""


@dataclass(frozen=True)
class MaskingContext:
    """What the case tells the masker.

    ``others``: natural persons other than the punished party (complainants, workers,
    interviewees, witnesses): their names are replaced by 某, their numbers and addresses removed.
    ``keep_names``: names published on purpose (the punished natural person, an organisation
    party's legal representative, the officers): never replaced by the name heuristics.
    ``party``: the punished party when it is a natural person — name kept, numbers and address
    removed. ``natural_person``: whether 住所 means a home address here.
    ``keep_numbers``: numbers published on purpose (the party's 统一社会信用代码, the agency's
    office telephone).
    """

    others: tuple[Person, ...] = ()
    party: Person | None = None
    keep_names: frozenset[str] = frozenset()
    keep_numbers: frozenset[str] = frozenset()
    natural_person: bool = False


@dataclass(frozen=True)
class Finding:
    """One masked span of the *original* text (never its content: findings may be stored)."""

    kind: str
    start: int
    end: int
    replacement: str

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class MaskResult:
    text: str
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.findings:
            out[f.kind] = out.get(f.kind, 0) + 1
        return out


# --- reading digits -------------------------------------------------------------------------

# One-to-one: full-width digits, letters, space and hyphens become ASCII, so offsets in the
# normalised text are offsets in the original.
_FULLWIDTH = {0xFF10 + i: ord("0") + i for i in range(10)}
_FULLWIDTH |= {0xFF21 + i: ord("A") + i for i in range(26)}
_FULLWIDTH |= {0xFF41 + i: ord("a") + i for i in range(26)}
_FULLWIDTH |= {0x3000: ord(" "), 0xFF0D: ord("-"), 0x2010: ord("-"), 0x2011: ord("-")}
_FULLWIDTH |= {0x2012: ord("-"), 0x2013: ord("-"), 0xFE63: ord("-"), 0xFF0B: ord("+")}
_FULLWIDTH |= {0xFF08: ord("("), 0xFF09: ord(")"), 0xFF20: ord("@"), 0xFF0E: ord(".")}


def _normalise(text: str) -> str:
    return text.translate(_FULLWIDTH)


# A run of digits with single spaces or hyphens inside (and an X at the end for ID numbers),
# not touching an ASCII letter or digit: hashes and codes are alphanumeric runs, not numbers.
_RUN = re.compile(
    r"(?<![0-9A-Za-z])(?:(?:\+|00)86[ -]?)?[0-9](?:[ -]?[0-9])*(?:[Xx])?(?![0-9A-Za-z])"
)
_SEP = re.compile(r"[ -]")
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64"
    " 65 71 81 82 83".split()
)
_MONEY_AFTER = re.compile(r"\s*(?:元|万元|万|亿|块|角|分|美元)")
_MONEY_BEFORE = re.compile(r"(?:¥|￥|人民币|RMB|CNY)\s*$")
_PHONE_KEY = re.compile(r"(?:电话|手机|联系方式|联系电话|座机|Tel|TEL|tel)[^0-9]{0,3}$")
_BANK_KEY = re.compile(r"(?:账号|帐号|账户|帐户|卡号|银行卡|存折号|开户账号)[^0-9\n]{0,4}$")


def luhn_ok(digits: str) -> bool:
    """The Luhn (ISO/IEC 7812) check of a bank-card number."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = ord(ch) - 48
        if i % 2:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def _valid_date(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def _id_shape(d: str) -> bool:
    """18 characters shaped like a 居民身份证号码: province, birth date 1900-2099, 17 digits
    (+ digit or X). The check character is not required (a typo'd number is still personal)."""
    if len(d) != 18 or not d[:17].isdigit() or not (d[17].isdigit() or d[17] in "Xx"):
        return False
    if d[:2] not in _PROVINCES:
        return False
    y = int(d[6:10])
    return 1900 <= y <= 2099 and _valid_date(y, int(d[10:12]), int(d[12:14]))


def _legacy_id_shape(d: str) -> bool:
    """15-digit first-generation ID number (GB 11643-1989): province + YYMMDD birth date."""
    if len(d) != 15 or not d.isdigit() or d[:2] not in _PROVINCES:
        return False
    return _valid_date(1900 + int(d[6:8]), int(d[8:10]), int(d[10:12]))


def _classify(d: str, *, phone_context: bool, bank_context: bool) -> str | None:
    if d.startswith("+86"):
        d = d[3:]
    elif d.startswith("0086") and len(d) == 15:
        d = d[4:]
    if _id_shape(d):
        return "id_number"
    if not d.isdigit():
        return None
    if bank_context and len(d) >= 8:
        return "bank_account"
    if len(d) == 11 and d[0] == "1" and d[1] in "3456789":
        return "mobile"
    if 16 <= len(d) <= 19 and luhn_ok(d):
        return "bank_account"
    if _legacy_id_shape(d):
        return "id_number_legacy"
    if d[0] == "0" and 10 <= len(d) <= 12 and d[1] != "0":
        return "landline"
    if phone_context and 7 <= len(d) <= 8:
        return "landline"
    if len(d) >= 15:
        return "long_number"
    return None


def _is_money(norm: str, start: int, end: int) -> bool:
    return bool(_MONEY_AFTER.match(norm, end) or _MONEY_BEFORE.search(norm, 0, start))


_LANDLINE_PAREN = re.compile(r"(?<![0-9A-Za-z])\(0[1-9][0-9]{1,2}\)\s?[0-9]{7,8}(?![0-9A-Za-z])")


def _number_findings(norm: str, keep: frozenset[str]) -> list[tuple[str, int, int]]:
    found = [("landline", *m.span()) for m in _LANDLINE_PAREN.finditer(norm)]
    for m in _RUN.finditer(norm):
        start, end = m.span()
        if end - start < 7:  # nothing shorter is a phone, an ID or an account
            continue
        if _is_money(norm, start, end):
            continue
        raw = m.group()
        whole = _SEP.sub("", raw)
        if whole.upper() in keep:
            continue
        before = norm[max(0, start - 12) : start]
        phone_ctx = bool(_PHONE_KEY.search(before))
        bank_ctx = bool(_BANK_KEY.search(before))
        kind = _classify(whole, phone_context=phone_ctx, bank_context=bank_ctx)
        if kind is not None and kind != "long_number":
            found.append((kind, start, end))
            continue
        # Not one number: maybe several separated by spaces ("第3 13903569001").
        parts = []
        offset = start
        for piece in re.split(r"([ -])", raw):
            if piece in (" ", "-") or not piece:
                offset += len(piece)
                continue
            sub = _classify(piece, phone_context=phone_ctx, bank_context=False)
            if sub is not None and piece.upper() not in keep:
                parts.append((sub, offset, offset + len(piece)))
            offset += len(piece)
        if parts:
            found.extend(parts)
        elif kind == "long_number":
            found.append((kind, start, end))
    return found


# --- words ------------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
_STOP = "，,。；;：:\n\r（()）【】[]！!？?"
_ADDRESS_KEYS = (
    "家庭住址",
    "家庭地址",
    "现住址",
    "户籍地址",
    "户籍所在地",
    "户籍地",
    "经常居住地",
    "居住地址",
    "居住地",
    "暂住地",
    "现住",
    "住址",
    "家住",
    "住在",
)
_ADDRESS_KEY = re.compile(
    "(?:" + "|".join(_ADDRESS_KEYS) + r")(?:为|是)?[：:\s]*([^" + re.escape(_STOP) + r"]{2,60})"
)
_RESIDENCE_KEY = re.compile(r"住所(?:地)?(?:为|是)?[：:\s]*([^" + re.escape(_STOP) + r"]{2,60})")
# "张某（男，1980年生，住陵川县崇文镇某村5号）": 住 after a comma or bracket, then a place.
_LIVES_AT = re.compile(r"(?<=[，,（(、\s])住(?![所宿房院])([^" + re.escape(_STOP) + r"]{2,60})")
_PLACE_WORD = re.compile(r"省|市|县|区|旗|镇|乡|村|街|路|巷|弄|号|组|小区|社区|楼|室|单元|栋|幢")
_HEALTH = re.compile(
    r"(?:患有|罹患|患上|诊断为|确诊为|经诊断|病历显示|病历记载|病情|伤情|伤残等级|残疾等级|"
    r"体检结果|健康状况|感染)[^" + re.escape(_STOP) + r"]{0,40}"
)

# Common surnames. Characters that usually start ordinary words after a role word (于, 和, 向,
# 时, 全, 成, 原, 明, 国, 来, 相, 信, 利, 文, 安, 连, 应, 常, 万, 单, 司, 公, 元, 平, 同 …)
# are left out: the heuristics would take "劳动者于二〇二六年" for a name.
_SURNAMES_2 = (
    "欧阳 司马 上官 诸葛 东方 皇甫 令狐 慕容 尉迟 长孙 宇文 司徒 夏侯 轩辕 公孙 端木 独孤 南宫"
    " 西门 百里 呼延 万俟 闻人 澹台 公冶 宗政 濮阳 太叔 申屠 钟离 赫连"
).split()
_COMPOUND_FIRST = {s[0] for s in _SURNAMES_2}
_SURNAMES_1 = set(
    "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵钱严覃武戴莫孔汤温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿焦俞左柳甘祝包"
    "宁尚符舒阮柯纪梅童凌毕季裴霍涂苗谷盛曲翁冉骆蓝游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳"
    "穆卓缪褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟臧闵苟邬边卞姬仇栾隋刁沙荣巫寇桑郎甄丛仲"
    "虞敖巩佘池麻苑迟邝封匡鞠惠荆冀郁胥栗燕楚鄢谌奚皮粟冼蔺楼闻厉仝郜阚屠豆朴练廉禹祖漆卿狄"
    "索宣晋扈晁芮阙浦戈伏鹿薄邸雍辜裘亓邰赫杭逯茹诸慕嵇湛戎茅揭尉冶檀昝衡尧郗"
)
_GIVEN = r"[\u4e00-\u9fff]"
_NOT_GIVEN = set("等和及与的在于向被称某共计名人位")
_ROLE = re.compile(
    r"(?:劳动者|劳动者代表|职工|员工|工人|农民工|务工人员|求职者|证人|见证人|投诉人|举报人|"
    r"被询问人|受害人|学徒|童工|女职工|代理人|签收人|家属)[：:\s]?$"
)
# What may follow a name: punctuation, digits, particles and the verbs that usually follow a
# person in a decision ("张三反映", "李四患有", "王五于2026年").
_NAME_END = set(
    "、，,。；;：:）)（(等和及与的在于向被称反共患系是为说因自从到入未已曾对提要均证承签拒不也"
)
_NAME_END |= set("0123456789\n\r\t ")
_COUNT = re.compile(r"\s*等?\s*([0-9]+|[一二三四五六七八九十百两]+)\s*(?:名|人|位)")


def surname_of(name: str) -> str:
    name = name.strip()
    if name[:1] not in _COMPOUND_FIRST:
        return name[:1]
    for s in _SURNAMES_2:
        if name.startswith(s) and len(name) > len(s):
            return s
    return name[:1]


def mask_id_number(value: str) -> str:
    """140524199001011234 → 140524********1234: the region code and the last four stay, so an
    officer can tell parties apart without seeing the birth date (等保: the full number only on
    request, and that request is logged). Too short to hide anything: all stars."""
    value = (value or "").strip()
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_name(name: str) -> str:
    """张三 → 张某; 欧阳娜娜 → 欧阳某."""
    return surname_of(name) + "某"


_SURNAME_START = re.compile("[" + "".join(sorted(_SURNAMES_1 | _COMPOUND_FIRST)) + "]")


def _is_given(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" and ch != "某" and ch not in _NOT_GIVEN


def _name_at(text: str, i: int) -> int | None:
    """End of a plausible personal name starting at ``i`` (surname + 1-2 characters followed by
    a boundary), or None."""
    head = None
    if text[i] in _COMPOUND_FIRST:
        for s in _SURNAMES_2:
            if text.startswith(s, i):
                head = i + len(s)
                break
    if head is None:
        if text[i] not in _SURNAMES_1:
            return None
        head = i + 1
    n = len(text)
    for length in (2, 1):
        end = head + length
        if end > n or not all(_is_given(c) for c in text[head:end]):
            continue
        if end == n or text[end] in _NAME_END:
            return end
    return None


def _name_list_findings(
    text: str, keep: frozenset[str]
) -> tuple[list[tuple[str, int, int, str]], set[str]]:
    """Names after a role word ("劳动者张三"), lists of names ("张三、李四、王五等12名"); and the
    names so found, to be masked wherever else they appear."""
    found = []
    names_found: set[str] = set()
    covered = -1
    for m in _SURNAME_START.finditer(text):
        i = m.start()
        if i < covered:
            continue
        end = _name_at(text, i)
        if end is None:
            continue
        names = [(i, end)]
        j = end
        while j < len(text) and text[j] == "、":
            nxt = _name_at(text, j + 1)
            if nxt is None:
                break
            names.append((j + 1, nxt))
            j = nxt
        after_role = _ROLE.search(text, max(0, i - 9), i) is not None
        counted = _COUNT.match(text, j) if len(names) >= 2 or after_role else None
        if not (after_role or len(names) >= 2 and counted):
            continue
        values = [text[a:b] for a, b in names]
        if all(v in keep for v in values):
            continue
        names_found.update(v for v in values if v not in keep)
        first = mask_name(values[0])
        if len(names) == 1:
            replacement = first
        elif counted:
            replacement = first + (
                "" if text[j : counted.end()].lstrip().startswith("等") else "等"
            )
        else:
            replacement = f"{first}等{len(names)}人"
        found.append(("name", i, j, replacement))
        covered = j
    return found, names_found


# --- the masker -----------------------------------------------------------------------------


def _occurrences(text: str, needle: str) -> Iterable[tuple[int, int]]:
    if not needle:
        return
    start = text.find(needle)
    while start != -1:
        yield start, start + len(needle)
        start = text.find(needle, start + len(needle))


def _structured(text: str, norm: str, ctx: MaskingContext) -> list[tuple[str, int, int, str]]:
    found = []
    people = list(ctx.others) + ([ctx.party] if ctx.party else [])
    for person in people:
        for value, kind in (
            (person.id_number, "id_number"),
            (person.phone, "mobile"),
            (person.address, "address"),
        ):
            value = _normalise(value or "").strip()
            if len(value) >= 5:
                found += [(kind, a, b, REPLACEMENTS[kind]) for a, b in _occurrences(norm, value)]
    for person in ctx.others:
        name = (person.name or "").strip()
        if len(name) >= 2 and "某" not in name[1:] and name not in ctx.keep_names:
            found += [("name", a, b, mask_name(name)) for a, b in _occurrences(text, name)]
    return found


def find_sensitive(text: str, ctx: MaskingContext | None = None) -> list[Finding]:
    """Every span ``mask_text`` would replace, without overlaps, in text order."""
    ctx = ctx or MaskingContext()
    norm = _normalise(text)
    keep_numbers = frozenset(_SEP.sub("", _normalise(n)).upper() for n in ctx.keep_numbers)
    raw: list[tuple[str, int, int, str]] = _structured(text, norm, ctx)
    raw += [(k, a, b, REPLACEMENTS[k]) for k, a, b in _number_findings(norm, keep_numbers)]
    raw += [("email", *m.span(), REPLACEMENTS["email"]) for m in _EMAIL.finditer(norm)]
    address_keys = [_ADDRESS_KEY, _LIVES_AT] + ([_RESIDENCE_KEY] if ctx.natural_person else [])
    for pattern in address_keys:
        for m in pattern.finditer(text):
            value = m.group(1)
            if pattern is _LIVES_AT and not _PLACE_WORD.search(value):
                continue
            if value.startswith("〔") or text[max(0, m.start() - 1) : m.start()] == "〔":
                continue  # an earlier replacement ("〔住址已隐去〕"), not an address
            raw.append(("address", m.start(1), m.end(1), REPLACEMENTS["address"]))
    raw += [("health", *m.span(), REPLACEMENTS["health"]) for m in _HEALTH.finditer(text)]
    listed, names = _name_list_findings(text, ctx.keep_names)
    raw += listed
    # A name recognised once is someone's wherever it appears: "劳动者王大山……王大山住址".
    for name in names:
        raw += [("name", a, b, mask_name(name)) for a, b in _occurrences(text, name)]

    rank = {k: i for i, k in enumerate(_PRIORITY)}
    raw.sort(key=lambda f: (f[1], -(f[2] - f[1]), rank[f[0]]))
    chosen: list[Finding] = []
    for kind, start, end, replacement in raw:
        if start >= end:
            continue
        if chosen and start < chosen[-1].end:
            last = chosen[-1]
            if end > last.end:  # partial overlap: mask the union, as the weightier kind
                if rank[kind] < rank[last.kind]:
                    chosen[-1] = Finding(kind, last.start, end, replacement)
                else:
                    chosen[-1] = Finding(last.kind, last.start, end, last.replacement)
            continue
        chosen.append(Finding(kind, start, end, replacement))
    return chosen


def mask_text(text: str, ctx: MaskingContext | None = None) -> MaskResult:
    """The text with every finding replaced (see the module docstring for the rules)."""
    if not text:
        return MaskResult(text or "", ())
    findings = find_sensitive(text, ctx)
    out, pos = [], 0
    for f in findings:
        out.append(text[pos : f.start])
        out.append(f.replacement)
        pos = f.end
    out.append(text[pos:])
    return MaskResult("".join(out), tuple(findings))
