"""Pure rules of enforcement publicity (行政执法公示): no database, no Django imports.

- which decisions are published and on which clock (国办发〔2018〕118号; seed 二（一）3:
  行政许可、行政处罚 within 7 working days, other results within 20);
- what must never be published (DOMAIN.md §5.4) — reasons, in Chinese;
- publicity periods (DOMAIN.md §5.5: minimum 3 months, maximum 3 years by default, the longest
  period of the penalty types in a decision applies, counted from the decision date);
- the heaviest penalty type of a decision (annual statistics, DOMAIN.md §8);
- the 双公示 record: national field codes (DOMAIN.md §5.2), amounts in 万元, validation;
- search input: how a query is read and which index answers it;
- the keyset cursor of the public list.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from sanxiang.lib import codes

# --- categories and clocks --------------------------------------------------------------------

PENALTY = "penalty"  # 行政处罚
LICENSING = "licensing"  # 行政许可
OTHER = "other"  # 其他执法结果（行政处理决定、不予行政处罚决定 …）

CATEGORY_LABELS = {PENALTY: "行政处罚", LICENSING: "行政许可", OTHER: "其他执法结果"}
# 国办发〔2018〕118号; seed 二（一）3: 行政许可、行政处罚的执法决定信息要在执法决定作出之日起
# 7个工作日内公开; other results (执法机关、执法对象、执法类别、执法结论) within 20.
PUBLISH_WORKDAYS = {PENALTY: 7, LICENSING: 7, OTHER: 20}
# 行政处罚法 第四十八条第二款; seed 二（一）3: 3个工作日内撤下.
WITHDRAW_WORKDAYS = 3

# cases.OutcomeKind → category (None: not an enforcement result that is published).
OUTCOME_CATEGORY = {
    "penalty": PENALTY,
    "handling": OTHER,  # 劳动保障监察行政处理决定（责令支付、改正）
    "no_penalty": OTHER,  # 不予行政处罚决定
    "licensing": LICENSING,
}


def category_of(outcome_kind: str) -> str | None:
    return OUTCOME_CATEGORY.get(outcome_kind)


def publish_workdays(category: str) -> int:
    return PUBLISH_WORKDAYS[category]


# --- never publish (DOMAIN.md §5.4) ------------------------------------------------------------

WITHHOLD_GROUNDS = {
    "minor": "当事人为未成年人",
    "state_secret": "主要事实涉及国家秘密",
    "business_secret": "主要事实涉及商业秘密",
    "privacy": "主要事实涉及个人隐私",
    "security": "公开后可能危及国家安全、公共安全、经济安全或者社会稳定",
    "higher_authority": "省级以上机关认定不宜公开",
    "warning_only": "仅给予警告，本机关公示规则规定不予公开",
    "revoked": "决定已被撤销、确认违法或者要求重新作出",
}
# Grounds a person sets on a draft (the others are found by the system).
MANUAL_GROUNDS = ("state_secret", "business_secret", "privacy", "security", "higher_authority")


@dataclass(frozen=True)
class WithholdFacts:
    natural_person: bool
    birth_date: dt.date | None  # from the ID number of a natural-person party
    act_date: dt.date | None  # when the violation began (or None)
    decided_on: dt.date
    penalty_types: tuple[str, ...]
    withhold_warning_only: bool  # the bureau's policy (PublicitySettings)
    manual: tuple[str, ...] = ()  # grounds set by the drafter
    changed: bool = False  # a revocation / confirmation of illegality / remake is recorded


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def withhold_grounds(f: WithholdFacts) -> list[str]:
    """Codes of WITHHOLD_GROUNDS that apply (empty: may be published after review)."""
    found: list[str] = []
    if f.natural_person and f.birth_date is not None:
        # A minor when the act was done or when decided: never published (浙江 办法; 未成年人
        # 保护法 第一百零三条 forbids disclosing information that identifies a minor).
        dates = [d for d in (f.act_date, f.decided_on) if d is not None]
        if any(age_on(f.birth_date, d) < 18 for d in dates):
            found.append("minor")
    found += [g for g in f.manual if g in MANUAL_GROUNDS and g not in found]
    if f.withhold_warning_only and f.penalty_types and set(f.penalty_types) == {"warning"}:
        found.append("warning_only")
    if f.changed:
        found.append("revoked")
    return found


def ground_labels(grounds) -> list[str]:
    return [WITHHOLD_GROUNDS.get(g, g) for g in grounds]


# --- publicity periods (DOMAIN.md §5.5) ----------------------------------------------------------

DEFAULT_MIN_MONTHS = 3
DEFAULT_MAX_MONTHS = 36
MAX_MONTHS_LIMIT = 120


@dataclass(frozen=True)
class Period:
    min_end: dt.date  # earliest date publication may end early after credit repair
    end: dt.date  # 公示截止期: the last day shown


def add_months(start: dt.date, months: int) -> dt.date:
    """民法典 第二百零二条: the corresponding day of the final month, or its last day. Not rolled
    to a working day: a publicity period is not a time limit for anyone to act."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def period_for(
    decided_on: dt.date,
    penalty_types: tuple[str, ...] | list[str],
    *,
    rules: dict[str, tuple[int, int]] | None = None,
    default: tuple[int, int] = (DEFAULT_MIN_MONTHS, DEFAULT_MAX_MONTHS),
) -> Period:
    """Period counted from the decision date; several penalty types → the longest period."""
    rules = rules or {}
    spans = [rules.get(t, default) for t in penalty_types] or [default]
    low = max(s[0] for s in spans)
    high = max(s[1] for s in spans)
    return Period(min_end=add_months(decided_on, low), end=add_months(decided_on, high))


def period_rule_problems(rules: dict, known_types: set[str]) -> list[str]:
    problems = []
    for key, value in rules.items():
        if key not in known_types:
            problems.append(f"未知的处罚种类：{key}")
            continue
        try:
            low, high = (int(v) for v in value)
        except (TypeError, ValueError):
            problems.append(f"{key}：公示期限应为两个整数（最短、最长月数）")
            continue
        problems += _span_problems(low, high, prefix=f"{key}：")
    return problems


def _span_problems(low: int, high: int, *, prefix: str = "") -> list[str]:
    if low < 0 or high < 1:
        return [f"{prefix}公示期限应为正整数月"]
    if low > high:
        return [f"{prefix}最短公示期限（{low}个月）不能长于最长公示期限（{high}个月）"]
    if high > MAX_MONTHS_LIMIT:
        return [f"{prefix}最长公示期限不能超过{MAX_MONTHS_LIMIT}个月"]
    return []


def span_problems(low: int, high: int) -> list[str]:
    return _span_problems(low, high)


# --- penalty types and the heaviest one (DOMAIN.md §8) ------------------------------------------

PENALTY_LABELS = {
    "warning": "警告",
    "criticism": "通报批评",
    "fine": "罚款",
    "confiscate_gains": "没收违法所得",
    "confiscate_property": "没收非法财物",
    "suspend_licence": "暂扣许可证件",
    "lower_qualification": "降低资质等级",
    "restrict_business": "限制开展生产经营活动",
    "suspend_business": "责令停产停业",
    "close": "责令关闭",
    "restrict_employment": "限制从业",
    "revoke_licence": "吊销许可证件",
    "detention": "行政拘留",
    "other": "其他",
}
# 行政执法统计年报 counting rule (广东 template, DOMAIN.md §8): a decision with several penalties
# counts once, under the heaviest type, in this order (lightest first).
SEVERITY = [
    "warning",
    "criticism",
    "fine",
    "confiscate_gains",
    "confiscate_property",
    "suspend_licence",
    "lower_qualification",
    "restrict_business",
    "suspend_business",
    "close",
    "restrict_employment",
    "revoke_licence",
    "detention",
    "other",
]
# The statistics table merges these rows.
REPORT_ROWS = [
    ("warning", "警告", ("warning",)),
    ("criticism", "通报批评", ("criticism",)),
    ("fine", "罚款", ("fine",)),
    ("confiscate", "没收违法所得、没收非法财物", ("confiscate_gains", "confiscate_property")),
    ("suspend_licence", "暂扣许可证件", ("suspend_licence",)),
    ("lower_qualification", "降低资质等级", ("lower_qualification",)),
    ("revoke_licence", "吊销许可证件", ("revoke_licence",)),
    ("restrict_business", "限制开展生产经营活动", ("restrict_business",)),
    ("suspend_business", "责令停产停业", ("suspend_business",)),
    ("close", "责令关闭、限制从业", ("close", "restrict_employment")),
    ("detention", "行政拘留", ("detention",)),
    ("other", "其他", ("other",)),
]


def heaviest(penalty_types) -> str:
    """The heaviest penalty type of a decision ('' for none)."""
    ranked = [t for t in SEVERITY if t in set(penalty_types or ())]
    return ranked[-1] if ranked else ""


def penalty_text(types) -> str:
    return "、".join(PENALTY_LABELS.get(t, t) for t in types)


# --- 双公示 (DOMAIN.md §5.2) ------------------------------------------------------------------------

PARTY_CATEGORY = {
    "organisation": "法人及非法人组织",
    "individual_business": "个体工商户",
    "natural_person": "自然人",
}
# 当前状态 of the 2016-era schema ([M]): a withdrawn record is pushed as 撤销.
STATE_CODES = {"published": "0", "withdrawn": "1", "disputed": "2", "terminated": "3"}
STATE_LABELS = {"0": "正常", "1": "撤销", "2": "异议", "3": "其他（提前终止公示）"}


@dataclass(frozen=True)
class Field:
    code: str
    name: str
    required: bool = False


# Published fields only: CF_FR_ZJLX, CF_FR_SFZH (法定代表人证件) and CF_XDR_ZJHM (自然人证件号码)
# are reported to credit platforms but never published [M], so they are not exported at all.
EXPORT_FIELDS = [
    Field("CF_XDR_MC", "行政相对人名称", True),
    Field("CF_XDR_LB", "行政相对人类别", True),
    Field("CF_XDR_SHXYM", "行政相对人代码_1（统一社会信用代码）"),
    Field("CF_XDR_GSZC", "行政相对人代码_2（工商注册号）"),
    Field("CF_XDR_ZZJG", "行政相对人代码_3（组织机构代码）"),
    Field("CF_XDR_SWDJ", "行政相对人代码_4（税务登记号）"),
    Field("CF_XDR_SYDW", "行政相对人代码_5（事业单位证书号）"),
    Field("CF_XDR_SHZZ", "行政相对人代码_6（社会组织登记证号）"),
    Field("CF_FRDB", "法定代表人"),
    Field("CF_XDR_ZJLX", "证件类型"),
    Field("CF_WSH", "行政处罚决定书文号", True),
    Field("CF_WFXW", "违法行为类型", True),
    Field("CF_SY", "违法事实", True),
    Field("CF_YJ", "处罚依据", True),
    Field("CF_CFLB", "处罚类别", True),
    Field("CF_NR", "处罚内容", True),
    Field("CF_NR_FK", "罚款金额（万元）"),
    Field("CF_NR_WFFF", "没收违法所得、没收非法财物的金额（万元）"),
    Field("CF_NR_ZKDX", "暂扣或吊销证照名称及编号"),
    Field("CF_JDRQ", "处罚决定日期", True),
    Field("CF_YXQ", "处罚有效期", True),
    Field("CF_GSJZQ", "公示截止期", True),
    Field("CF_CFJG", "处罚机关", True),
    Field("CF_CFJGDM", "处罚机关统一社会信用代码", True),
    Field("CF_SJLY", "数据来源单位", True),
    Field("CF_SJLYDM", "数据来源单位统一社会信用代码", True),
    Field("DQZT", "当前状态（0 正常 / 1 撤销 / 2 异议 / 3 其他）", True),
    Field("BZ", "备注"),
]
EXPORT_CODES = [f.code for f in EXPORT_FIELDS]
NEVER_EXPORTED = ("CF_FR_ZJLX", "CF_FR_SFZH", "CF_XDR_ZJHM")
WAN = Decimal("10000")
WAN_PLACES = Decimal("0.000001")  # 1 分 = 0.000001 万元: exact


def to_wan(amount: Decimal | None) -> str:
    """Yuan → 万元 with six places (exact for amounts in fen); '' for none."""
    if amount is None:
        return ""
    return str((Decimal(amount) / WAN).quantize(WAN_PLACES))


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WAN = re.compile(r"\d+\.\d{6}")


def record_problems(record: dict[str, str]) -> list[str]:
    """Why a 双公示 record does not conform to the field list (empty: conforms)."""
    problems = []
    label = record.get("CF_WSH") or "（无文号）"
    extra = set(record) - set(EXPORT_CODES)
    if extra:
        problems.append(f"{label}：不应包含字段 {'、'.join(sorted(extra))}")
    for f in EXPORT_FIELDS:
        value = record.get(f.code, "")
        if f.required and not str(value).strip():
            problems.append(f"{label}：缺少{f.name}（{f.code}）")
    if record.get("CF_XDR_LB") not in PARTY_CATEGORY.values():
        problems.append(f"{label}：行政相对人类别应为{'、'.join(PARTY_CATEGORY.values())}之一")
    if record.get("CF_XDR_LB") == "法人及非法人组织" and not record.get("CF_XDR_SHXYM"):
        problems.append(f"{label}：法人及非法人组织应填写统一社会信用代码（CF_XDR_SHXYM）")
    for code in ("CF_XDR_SHXYM", "CF_CFJGDM", "CF_SJLYDM"):
        value = record.get(code, "")
        if value and not codes.is_valid_uscc(value):
            problems.append(f"{label}：{code}“{value}”不是有效的统一社会信用代码")
    for code in ("CF_JDRQ", "CF_YXQ", "CF_GSJZQ"):
        value = record.get(code, "")
        if value and not _DATE.fullmatch(value):
            problems.append(f"{label}：{code} 应为 YYYY-MM-DD 格式的日期")
    for code in ("CF_NR_FK", "CF_NR_WFFF"):
        value = record.get(code, "")
        if value and not _WAN.fullmatch(value):
            problems.append(f"{label}：{code} 应为以万元为单位、保留六位小数的金额")
    if record.get("DQZT") not in STATE_CODES.values():
        problems.append(f"{label}：当前状态（DQZT）应为 0、1、2 或 3")
    for code in NEVER_EXPORTED:
        if record.get(code):
            problems.append(f"{label}：{code} 为不予公开字段，不得导出")
    return problems


# --- search --------------------------------------------------------------------------------------

MAX_QUERY = 50


def clean_query(raw: str | None) -> str:
    """What the visitor typed, normalised: NFKC (full-width → ASCII), spaces collapsed, at most
    50 characters."""
    text = unicodedata.normalize("NFKC", raw or "")
    return " ".join(text.split())[:MAX_QUERY]


def query_terms(q: str) -> list[str]:
    """Space-separated terms; each must occur (AND)."""
    return [t for t in q.split(" ") if t][:5]


def fts_phrase(term: str) -> str:
    """An FTS5 string literal for ``term`` (a phrase: every character matched literally)."""
    return '"' + term.replace('"', '""') + '"'


def uses_trigram_index(term: str) -> bool:
    """FTS5 trigram and pg_trgm find substrings of 3+ characters; 1–2 characters need LIKE
    (TECH-NOTES §6.1: a trigram table returns no rows for shorter patterns)."""
    return len(term) >= 3


# --- keyset cursor --------------------------------------------------------------------------------

SORT_SCALE = 10**9  # sort_key = ordinal(decision date) × 10^9 + sequence


def sort_key(decided_on: dt.date, seq: int) -> int:
    if not 0 < seq < SORT_SCALE:
        raise ValueError("sequence out of range")
    return decided_on.toordinal() * SORT_SCALE + seq


def date_floor(day: dt.date) -> int:
    return day.toordinal() * SORT_SCALE


def cursor_text(key: int) -> str:
    """ "2026-04-07.123": readable, and no long digit run on a public page."""
    day = dt.date.fromordinal(key // SORT_SCALE)
    return f"{day.isoformat()}.{key % SORT_SCALE}"


_CURSOR = re.compile(r"(\d{4}-\d{2}-\d{2})\.(\d{1,9})")


def parse_cursor(text: str | None) -> int | None:
    m = _CURSOR.fullmatch(text or "")
    if not m:
        return None
    try:
        day = dt.date.fromisoformat(m.group(1))
    except ValueError:
        return None
    seq = int(m.group(2))
    return day.toordinal() * SORT_SCALE + seq if 0 < seq < SORT_SCALE else None


# --- 事前公开: dated versions of the public pages ---------------------------------------------------

# 行政复议法 第二十条: 自知道或者应当知道该行政行为之日起六十日内提出行政复议申请;
# 行政诉讼法 第四十六条: 自知道或者应当知道作出行政行为之日起六个月内提起诉讼.
REVIEW_DAYS = 60
LITIGATION_MONTHS = 6


def canonical_json(content: dict) -> str:
    """The one text a page version is hashed as: keys sorted, no spaces, UTF-8 kept. Content must
    be plain JSON (strings, numbers, lists, dicts): a date or a model object raises TypeError,
    so what is hashed is exactly what is stored and shown."""
    import json

    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_sha256(content: dict) -> str:
    import hashlib

    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()
