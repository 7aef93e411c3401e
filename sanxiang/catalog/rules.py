"""Pure rules of the enforcement catalogue (执法事项清单) and discretion benchmarks (裁量基准).

No database, no Django: plain values in, Chinese reasons out. Services validate a version's
content with :func:`content_problems` before writing; later case handling computes the amount
range a benchmark tier allows with :func:`amount_range` and checks a proposed amount with
:func:`amount_check` (a proposal outside the range needs a written reason in the case file).

Amounts are ``Decimal`` yuan with two places. A range is one of:

- ``fixed``: ``low``–``high`` yuan (劳动保障监察条例 第三十条: 2,000–20,000 元);
- ``per_worker``: ``low``–``high`` yuan for each affected worker (条例 第二十三条: 每人
  1,000–5,000 元; 第二十五条: 每人 100–500 元);
- ``multiple``: ``low``–``high`` times a base amount (条例 第二十七条: 瞒报工资数额 1–3 倍;
  第二十六条: 应付金额 50%–100%, written 0.50–1.00);
- ``none``: no money (责令改正, 警告, 不予处罚).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation

# --- vocabularies (the models' TextChoices use the same values) ------------------------------

PENALTY = "penalty"  # 行政处罚
COERCION = "coercion"  # 行政强制
INSPECTION = "inspection"  # 行政检查
LEVY = "levy"  # 行政征收
LICENSING = "licensing"  # 行政许可
CONFIRMATION = "confirmation"  # 行政确认
OTHER = "other"  # 其他（含责令改正、行政处理）
CATEGORY_LABELS = {
    PENALTY: "行政处罚",
    COERCION: "行政强制",
    INSPECTION: "行政检查",
    LEVY: "行政征收",
    LICENSING: "行政许可",
    CONFIRMATION: "行政确认",
    OTHER: "其他",
}

NONE = "none"
FIXED = "fixed"
PER_WORKER = "per_worker"
MULTIPLE = "multiple"
AMOUNT_KIND_LABELS = {
    NONE: "不涉及金额",
    FIXED: "固定金额幅度",
    PER_WORKER: "按受侵害劳动者人数计算",
    MULTIPLE: "按基数的倍数计算",
}

# 金额性质: a fine is a 行政处罚 (行政处罚法 第九条); 加付赔偿金 (条例 第二十六条,
# 劳动合同法 第八十五条) is a 行政处理 ordered for the worker's benefit, not a penalty.
FINE = "fine"
COMPENSATION = "compensation"
NATURE_LABELS = {FINE: "罚款（行政处罚）", COMPENSATION: "加付赔偿金（行政处理）"}
NATURE_NOUNS = {FINE: "罚款", COMPENSATION: "加付赔偿金", "": "金额"}

# 裁量档次, in order of severity. 减轻 = below the statutory minimum (行政处罚法 第三十二条);
# 不予处罚 = 行政处罚法 第三十三条.
NO_PENALTY = "no_penalty"
MITIGATED = "mitigated"
LENIENT = "lenient"
GENERAL = "general"
SEVERE = "severe"
LEVEL_LABELS = {
    NO_PENALTY: "不予处罚",
    MITIGATED: "减轻处罚",
    LENIENT: "从轻处罚",
    GENERAL: "一般处罚",
    SEVERE: "从重处罚",
}
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVEL_LABELS, start=1)}

# 法律依据的种类
BASIS_SETTING = "setting"
BASIS_PENALTY = "penalty"
BASIS_HANDLING = "handling"
BASIS_IMPLEMENTING = "implementing"
BASIS_LABELS = {
    BASIS_SETTING: "设定依据",
    BASIS_PENALTY: "处罚依据",
    BASIS_HANDLING: "处理依据",
    BASIS_IMPLEMENTING: "实施依据",
}

# 首违不罚的配套措施 (咸宁市人社局 首违免罚事项清单 2022: 观察、教育、提醒、指导、约谈、回访)
MEASURE_LABELS = {
    "education": "教育",
    "admonition": "告诫",
    "reminder": "提醒",
    "guidance": "指导",
    "interview": "约谈",
    "follow_up": "回访",
    "observation": "观察",
}

BENCHMARK_DRAFT = "draft"
BENCHMARK_PUBLISHED = "published"
BENCHMARK_LABELS = {BENCHMARK_DRAFT: "草案（未公布）", BENCHMARK_PUBLISHED: "已公布施行"}

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")  # Decimal(14, 2)
DEFAULT_REVIEW_DAYS = 60  # 行政复议法 第二十条: 自知道之日起六十日内申请行政复议
DEFAULT_LITIGATION_MONTHS = 6  # 行政诉讼法 第四十六条: 自知道之日起六个月内提起诉讼
CODE_MAX_LENGTH = 40


class RuleError(ValueError):
    """A computation cannot be made from the facts given; ``str()`` is Chinese."""


# --- amounts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AmountRule:
    """How a tier (or the statute) sets the money: kind, bounds, base name, nature."""

    kind: str = NONE
    low: Decimal | None = None
    high: Decimal | None = None
    base_label: str = ""
    nature: str = FINE


@dataclass(frozen=True)
class CaseFacts:
    """The facts of a case that a range depends on."""

    affected_workers: int | None = None  # 受侵害的劳动者人数
    base_amount: Decimal | None = None  # 计算基数（瞒报工资数额、应付金额……）


@dataclass(frozen=True)
class AllowedRange:
    low: Decimal
    high: Decimal
    explanation: str  # how it was computed, in Chinese, for the case file

    def __contains__(self, amount: Decimal) -> bool:
        return self.low <= amount <= self.high


def cn_date(day: dt.date) -> str:
    """``date(2026, 1, 5)`` → ``"2026年1月5日"``."""
    return f"{day.year}年{day.month}月{day.day}日"


def yuan(value: Decimal) -> str:
    """``Decimal("12000")`` → ``"12,000.00元"``."""
    return f"{value.quantize(CENT):,}元"


def multiple_text(value: Decimal) -> str:
    """``0.5`` → ``"50%"``; ``2`` → ``"2倍"``; ``1.5`` → ``"1.5倍"``."""
    if value < 1:
        return f"{(value * 100).normalize():f}%"
    return f"{value.normalize():f}倍"


def rule_text(rule: AmountRule) -> str:
    """A short Chinese description of a rule: "每人1,000.00元至5,000.00元"."""
    if rule.kind == NONE or rule.low is None or rule.high is None:
        return "不涉及金额"
    if rule.kind == FIXED:
        return f"{yuan(rule.low)}至{yuan(rule.high)}"
    if rule.kind == PER_WORKER:
        return f"按受侵害劳动者每人{yuan(rule.low)}至{yuan(rule.high)}"
    base = rule.base_label or "计算基数"
    return f"{base}的{multiple_text(rule.low)}至{multiple_text(rule.high)}"


def amount_range(rule: AmountRule, facts: CaseFacts) -> AllowedRange | None:
    """The range of money a rule allows for these facts, or None when it sets no money.

    Multiples are rounded inwards to the cent (lower bound up, upper bound down) so that every
    amount in the returned range is within the legal range.
    Raises :class:`RuleError` when a fact the rule needs is missing or invalid.
    """
    if rule.kind == NONE:
        return None
    if rule.low is None or rule.high is None:
        raise RuleError("裁量档次未设定金额上下限")
    noun = NATURE_NOUNS.get(rule.nature, "金额")
    if rule.kind == FIXED:
        return AllowedRange(rule.low, rule.high, f"{noun}{rule_text(rule)}")
    if rule.kind == PER_WORKER:
        n = facts.affected_workers
        if n is None:
            raise RuleError("按人计算须填写受侵害的劳动者人数")
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise RuleError("受侵害的劳动者人数应为不小于1的整数")
        return AllowedRange(
            rule.low * n,
            rule.high * n,
            f"受侵害劳动者{n}人，每人{yuan(rule.low)}至{yuan(rule.high)}，"
            f"{noun}{yuan(rule.low * n)}至{yuan(rule.high * n)}",
        )
    if rule.kind == MULTIPLE:
        base = facts.base_amount
        label = rule.base_label or "计算基数"
        if base is None:
            raise RuleError(f"按倍数计算须填写{label}")
        problem = money_problem(base, label)
        if problem:
            raise RuleError(problem)
        low = (base * rule.low).quantize(CENT, rounding=ROUND_CEILING)
        high = (base * rule.high).quantize(CENT, rounding=ROUND_FLOOR)
        return AllowedRange(
            low,
            high,
            f"{label}{yuan(base)}的{multiple_text(rule.low)}至{multiple_text(rule.high)}，"
            f"{noun}{yuan(low)}至{yuan(high)}",
        )
    raise RuleError(f"未知的金额计算方式：{rule.kind}")


def amount_check(
    rule: AmountRule, facts: CaseFacts, proposed: Decimal, *, tier_label: str = ""
) -> str | None:
    """None when ``proposed`` is within the allowed range; otherwise the Chinese reason.

    Used when a case proposes a penalty: a proposal outside the benchmark range is not
    forbidden (the benchmark refines the statute), but needs a written reason.
    """
    problem = money_problem(proposed, "拟定金额")
    if problem:
        return problem
    where = f"裁量基准“{tier_label}”档" if tier_label else "裁量基准"
    noun = NATURE_NOUNS.get(rule.nature, "金额")
    try:
        allowed = amount_range(rule, facts)
    except RuleError as exc:
        return str(exc)
    if allowed is None:
        if proposed == 0:
            return None
        return f"{where}不设{noun}，拟定{noun}{yuan(proposed)}超出裁量基准"
    if proposed < allowed.low:
        return f"拟定{noun}{yuan(proposed)}低于{where}的下限{yuan(allowed.low)}（{allowed.explanation}）"
    if proposed > allowed.high:
        return f"拟定{noun}{yuan(proposed)}高于{where}的上限{yuan(allowed.high)}（{allowed.explanation}）"
    return None


def money_problem(value: Decimal, label: str) -> str | None:
    """A Chinese reason why ``value`` is not a valid non-negative amount of yuan, or None."""
    if not isinstance(value, Decimal):
        return f"{label}应为数字"
    if not value.is_finite():
        return f"{label}应为有限的数字"
    if value < 0:
        return f"{label}不得为负数"
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        return f"{label}最多保留两位小数"
    if value > MAX_AMOUNT:
        return f"{label}过大"
    return None


def parse_money(raw: str | Decimal | int | None, label: str) -> Decimal | None:
    """Parse what a user typed ("2,000", "２０００.5") into Decimal; None for blank."""
    if raw is None:
        return None
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int) and not isinstance(raw, bool):
        value = Decimal(raw)
    else:
        text = unicodedata.normalize("NFKC", str(raw)).replace(",", "").replace("，", "").strip()
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise RuleError(f"{label}应为数字，如 2000 或 0.5") from None
    problem = money_problem(value, label)
    if problem:
        raise RuleError(problem)
    return value


def rule_problems(rule: AmountRule, *, label: str) -> list[str]:
    """What is wrong with a rule's own fields (bounds present, ordered, non-negative)."""
    if rule.kind not in AMOUNT_KIND_LABELS:
        return [f"{label}：未知的金额计算方式"]
    if rule.kind == NONE:
        if rule.low is not None or rule.high is not None:
            return [f"{label}：计算方式为“不涉及金额”时不得填写金额上下限"]
        return []
    problems = []
    if rule.low is None or rule.high is None:
        problems.append(f"{label}：须同时填写下限和上限")
    for bound, name in ((rule.low, "下限"), (rule.high, "上限")):
        if bound is not None and (problem := money_problem(bound, f"{label}{name}")):
            problems.append(problem)
    if problems:
        return problems
    assert rule.low is not None and rule.high is not None
    if rule.low > rule.high:
        problems.append(f"{label}：下限不得大于上限")
    if rule.kind == MULTIPLE:
        if not rule.base_label.strip():
            problems.append(f"{label}：按倍数计算须写明计算基数（如“瞒报工资数额”）")
        if rule.high == 0:
            problems.append(f"{label}：倍数上限应大于0")
    return problems


def tier_problems(level: str, tier: AmountRule, statutory: AmountRule) -> list[str]:
    """Whether a tier's money fits the statutory range (法定幅度) for its level.

    - 不予处罚 sets no money (行政处罚法 第三十三条);
    - 减轻处罚 goes below the statutory minimum (行政处罚法 第三十二条) or uses no money;
    - 从轻/一般/从重 stay inside the statutory range (行政处罚法 第三十四条: 裁量基准细化、
      量化裁量的范围, 不得超出法定幅度), or use no money where the statute makes the fine
      optional ("可以并处").
    """
    label = LEVEL_LABELS.get(level, level)
    if level not in LEVEL_LABELS:
        return [f"未知的裁量档次：{level}"]
    if level == NO_PENALTY:
        if tier.kind != NONE:
            return [f"裁量档次“{label}”不得设定金额"]
        return []
    if tier.kind == NONE:
        return []
    if statutory.kind == NONE:
        return [f"裁量档次“{label}”设定了金额，但法定幅度为“不涉及金额”，请先填写法定幅度"]
    if tier.kind != statutory.kind:
        return [
            f"裁量档次“{label}”的计算方式（{AMOUNT_KIND_LABELS[tier.kind]}）"
            f"应与法定幅度一致（{AMOUNT_KIND_LABELS[statutory.kind]}）"
        ]
    if None in (tier.low, tier.high, statutory.low, statutory.high):
        return []  # reported by rule_problems
    assert tier.low is not None and tier.high is not None
    assert statutory.low is not None and statutory.high is not None
    if level == MITIGATED:
        if not tier.high <= statutory.low or not tier.low < statutory.low:
            return [
                f"裁量档次“{label}”应低于法定最低限度（{rule_text(statutory)}），"
                "行政处罚法 第三十二条"
            ]
        return []
    if tier.low < statutory.low or tier.high > statutory.high:
        return [f"裁量档次“{label}”（{rule_text(tier)}）超出法定幅度（{rule_text(statutory)}）"]
    return []


# --- first offence (首违不罚) -----------------------------------------------------------------


@dataclass(frozen=True)
class FirstOffenceFacts:
    first_offence: bool  # 初次违法
    harm_minor: bool  # 危害后果轻微
    corrected_in_time: bool  # 及时改正（在责令改正期限内改正）
    affected_workers: int | None = None


def first_offence_reasons(
    facts: FirstOffenceFacts, *, max_affected_workers: int | None
) -> list[str]:
    """Why the 首违不罚 rule does not apply (empty list: it may apply).

    行政处罚法 第三十三条第一款: 初次违法且危害后果轻微并及时改正的, 可以不予行政处罚 —
    "可以": the agency still decides, and must educate the party (第三十三条第三款).
    """
    reasons = []
    if not facts.first_offence:
        reasons.append("不属于初次违法")
    if not facts.harm_minor:
        reasons.append("危害后果并非轻微")
    if not facts.corrected_in_time:
        reasons.append("未在责令改正期限内改正")
    if max_affected_workers is not None:
        if facts.affected_workers is None:
            reasons.append("未填写受侵害的劳动者人数")
        elif facts.affected_workers > max_affected_workers:
            reasons.append(
                f"受侵害的劳动者{facts.affected_workers}人，超过首违不罚清单规定的"
                f"{max_affected_workers}人"
            )
    return reasons


# --- version content --------------------------------------------------------------------------


@dataclass(frozen=True)
class BasisData:  # 法律依据
    kind: str
    law: str
    article: str
    text: str = ""


@dataclass(frozen=True)
class TierData:  # 裁量档次
    level: str
    circumstances: str
    sanction: str
    amount_kind: str = NONE
    low: Decimal | None = None
    high: Decimal | None = None


@dataclass(frozen=True)
class FirstOffenceData:  # 首违不罚情形
    conditions: str
    legal_basis: str
    measures: tuple[str, ...]
    max_affected_workers: int | None = None
    measures_note: str = ""


@dataclass(frozen=True)
class VersionContent:
    """Everything one version of an item says, as plain values (what services write)."""

    name: str
    category: str
    unit_id: int | None = None
    description: str = ""
    time_limit_text: str = ""
    time_limit_workdays: int | None = None
    review_days: int = DEFAULT_REVIEW_DAYS
    litigation_months: int = DEFAULT_LITIGATION_MONTHS
    remedy_note: str = ""
    random_inspection: bool = False
    confidentiality_review: bool = False
    amount_nature: str = ""
    statutory_kind: str = NONE
    statutory_low: Decimal | None = None
    statutory_high: Decimal | None = None
    base_label: str = ""
    benchmark_status: str = ""
    benchmark_note: str = ""
    bases: tuple[BasisData, ...] = ()
    tiers: tuple[TierData, ...] = ()
    first_offence: FirstOffenceData | None = None

    @property
    def statutory(self) -> AmountRule:
        return AmountRule(
            kind=self.statutory_kind,
            low=self.statutory_low,
            high=self.statutory_high,
            base_label=self.base_label,
            nature=self.amount_nature or FINE,
        )

    def tier_rule(self, tier: TierData) -> AmountRule:
        return AmountRule(
            kind=tier.amount_kind,
            low=tier.low,
            high=tier.high,
            base_label=self.base_label,
            nature=self.amount_nature or FINE,
        )


@dataclass(frozen=True)
class Problem:
    field: str  # form field or section ("bases", "tiers", "first_offence") at fault
    message: str


def normalize_code(raw: str) -> str:
    """Item codes as staff type them ("lcrs－cf－023－01 ") → "LCRS-CF-023-01"."""
    return unicodedata.normalize("NFKC", raw or "").strip().upper()


def code_problems(code: str) -> list[Problem]:
    if not code:
        return [Problem("code", "请填写事项编码")]
    if len(code) > CODE_MAX_LENGTH:
        return [Problem("code", f"事项编码不得超过{CODE_MAX_LENGTH}个字符")]
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
    if set(code) - allowed or code.startswith("-") or code.endswith("-") or "--" in code:
        return [Problem("code", "事项编码只能由大写字母、数字和单个连字符组成，如 LCRS-CF-023-01")]
    return []


def effective_date_problems(
    effective_from: dt.date | None, previous: dt.date | None
) -> list[Problem]:
    """A new version may not take effect before the version it follows (dates never go back,
    so the version in force on any date is well defined; 行政处罚法 第三十七条)."""
    if effective_from is None:
        return [Problem("effective_from", "请填写生效日期")]
    if previous is not None and effective_from < previous:
        return [
            Problem(
                "effective_from",
                f"生效日期不得早于上一版本的生效日期（{cn_date(previous)}）；"
                "如需更正历史版本，请以新版本说明更正内容",
            )
        ]
    return []


def _blank(text: str) -> bool:
    return not (text or "").strip()


def content_problems(content: VersionContent) -> list[Problem]:
    """Everything wrong with a version's content, each tied to the field at fault."""
    p: list[Problem] = []
    if _blank(content.name):
        p.append(Problem("name", "请填写事项名称"))
    elif len(content.name) > 200:
        p.append(Problem("name", "事项名称不得超过200个字"))
    if content.category not in CATEGORY_LABELS:
        p.append(Problem("category", "请选择事项类别"))
    if content.time_limit_workdays is not None and not 1 <= content.time_limit_workdays <= 3650:
        p.append(Problem("time_limit_workdays", "办理时限（工作日）应在1至3650之间"))
    if not 1 <= content.review_days <= 3650:
        p.append(Problem("review_days", "申请行政复议期限应为正数天数（行政复议法规定为六十日）"))
    if not 1 <= content.litigation_months <= 240:
        p.append(
            Problem("litigation_months", "提起行政诉讼期限应为正数月数（行政诉讼法规定为六个月）")
        )

    # 法律依据: 行政处罚法 第三十八条 — a penalty without a legal basis is void.
    if not content.bases:
        p.append(Problem("bases", "请至少填写一条法律依据（法律法规名称和条款）"))
    for i, basis in enumerate(content.bases, start=1):
        where = f"第{i}条法律依据"
        if basis.kind not in BASIS_LABELS:
            p.append(Problem("bases", f"{where}：请选择依据种类"))
        if _blank(basis.law):
            p.append(Problem("bases", f"{where}：请填写法律法规名称"))
        if _blank(basis.article):
            p.append(Problem("bases", f"{where}：请填写条款（如“第二十三条第（一）项”）"))
    if (
        content.category == PENALTY
        and content.bases
        and not any(b.kind == BASIS_PENALTY for b in content.bases)
    ):
        p.append(Problem("bases", "行政处罚事项须至少有一条“处罚依据”（行政处罚法 第三十八条）"))

    # 法定幅度
    if content.amount_nature not in ("", *NATURE_LABELS):
        p.append(Problem("amount_nature", "未知的金额性质"))
    if content.statutory_kind != NONE and not content.amount_nature:
        p.append(
            Problem("amount_nature", "设定了法定金额幅度时，请选择金额性质（罚款或加付赔偿金）")
        )
    if content.amount_nature == FINE and content.category != PENALTY:
        p.append(Problem("amount_nature", "罚款属于行政处罚，只能用于“行政处罚”类事项"))
    statutory_problems = rule_problems(content.statutory, label="法定幅度")
    p.extend(Problem("statutory_low", m) for m in statutory_problems)
    if content.statutory_kind != MULTIPLE and content.base_label.strip():
        p.append(Problem("base_label", "只有按倍数计算时才填写计算基数"))

    # 裁量基准 (行政处罚法 第三十四条)
    seen: set[str] = set()
    for tier in content.tiers:
        label = LEVEL_LABELS.get(tier.level, tier.level)
        if tier.level in seen:
            p.append(Problem("tiers", f"裁量档次“{label}”重复"))
        seen.add(tier.level)
        if _blank(tier.circumstances):
            p.append(Problem("tiers", f"裁量档次“{label}”：请填写适用情形"))
        if _blank(tier.sanction):
            p.append(Problem("tiers", f"裁量档次“{label}”：请填写处罚（处理）内容"))
        rule = content.tier_rule(tier)
        own = rule_problems(rule, label=f"裁量档次“{label}”")
        p.extend(Problem("tiers", m) for m in own)
        if not own and not statutory_problems:  # compare only against a valid statutory range
            p.extend(
                Problem("tiers", m) for m in tier_problems(tier.level, rule, content.statutory)
            )
    if content.tiers and content.benchmark_status not in BENCHMARK_LABELS:
        p.append(
            Problem("benchmark_status", "填写了裁量档次时，请选择裁量基准状态（草案或已公布施行）")
        )
    if not content.tiers and content.benchmark_status:
        p.append(Problem("benchmark_status", "未填写裁量档次时，裁量基准状态应留空"))

    # 首违不罚 (行政处罚法 第三十三条第一款)
    fo = content.first_offence
    if fo is not None:
        if content.category != PENALTY:
            p.append(
                Problem(
                    "first_offence", "首违不罚只适用于“行政处罚”类事项（行政处罚法 第三十三条）"
                )
            )
        if _blank(fo.conditions):
            p.append(Problem("first_offence", "首违不罚：请填写适用条件"))
        if _blank(fo.legal_basis):
            p.append(Problem("first_offence", "首违不罚：请填写依据"))
        if not fo.measures:
            p.append(
                Problem(
                    "first_offence", "首违不罚：请至少选择一项配套措施（教育、告诫、约谈、回访等）"
                )
            )
        unknown = [m for m in fo.measures if m not in MEASURE_LABELS]
        if unknown:
            p.append(Problem("first_offence", f"首违不罚：未知的配套措施 {'、'.join(unknown)}"))
        if fo.max_affected_workers is not None and fo.max_affected_workers < 1:
            p.append(Problem("first_offence", "首违不罚：受侵害劳动者人数上限应不小于1"))
    return p


def version_status(
    *, number: int, effective_from: dt.date, in_force_number: int | None, on: dt.date
) -> str:
    """'current' (in force on ``on``), 'scheduled' (takes effect later) or 'superseded'."""
    if number == in_force_number:
        return "current"
    if effective_from > on:
        return "scheduled"
    return "superseded"


VERSION_STATUS_LABELS = {"current": "现行", "scheduled": "待生效", "superseded": "已被取代"}


def labels(values: Iterable[str], table: dict[str, str]) -> list[str]:
    return [table.get(v, v) for v in values]
