"""Pure registry rules (no database): is a certificate valid on a date, may a person conduct
enforcement or legal review, is the reviewer ratio and the yearly training duty met.

Guards return Chinese reasons, never booleans, so the officer sees *why* (STYLE.md). Dates are
``datetime.date``; a period's end date (``valid_until``) is the last valid day, while
``ended_on`` / a suspension's ``ends_on`` are the first day of the new state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

# A certificate whose validity ends within this many days is shown as 即将到期 and put on
# the holder's and the registry keeper's to-do lists (renewal takes weeks: training + exam).
EXPIRY_WARNING_DAYS = 60

# 国办发〔2018〕118号: 原则上各级行政执法机关的法制审核人员不少于本单位执法人员总数的5%
# [M: DOMAIN.md §2.3, wording from memory].
REVIEWER_RATIO_TARGET = Fraction(5, 100)

# Seed plan 三（二）: 每年至少开展1次本系统"三项制度"专题学习培训或者业务交流.
THREE_SYSTEMS_TRAINING_TOPICS = frozenset({"three_systems", "exchange"})

# Investigation acts need at least two officers (行政处罚法 第四十二条、第五十五条;
# 劳动保障监察条例 第十六条).
MIN_OFFICERS_PER_ACT = 2


def fmt(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# --- certificates (执法证件) ---------------------------------------------------------------


@dataclass(frozen=True)
class Suspension:
    starts_on: dt.date
    ends_on: dt.date | None = None  # first day valid again; None = still suspended

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)


@dataclass(frozen=True)
class CertificateFacts:
    kind: str  # label, e.g. 行政执法证
    number: str
    valid_from: dt.date
    valid_until: dt.date  # last valid day
    ended: str = ""  # label: 已换发 / 已注销 / 已吊销, or "" while in force
    ended_on: dt.date | None = None  # first day no longer valid
    suspensions: tuple[Suspension, ...] = ()


def certificate_problems(cert: CertificateFacts, on: dt.date) -> list[str]:
    """Why ``cert`` is not valid on ``on`` (empty list: valid)."""
    name = f"{cert.kind}（{cert.number}）"
    if cert.ended and cert.ended_on is not None and on >= cert.ended_on:
        return [f"{name}已于{fmt(cert.ended_on)}{cert.ended.removeprefix('已')}"]
    if on < cert.valid_from:
        return [f"{name}自{fmt(cert.valid_from)}起生效，{fmt(on)}尚未生效"]
    if on > cert.valid_until:
        return [f"{name}有效期至{fmt(cert.valid_until)}，已过期"]
    for s in cert.suspensions:
        if s.covers(on):
            return [f"{name}自{fmt(s.starts_on)}起被暂扣"]
    return []


def certificate_state(cert: CertificateFacts, today: dt.date) -> tuple[str, str]:
    """(code, label) for lists and badges: valid / expiring / expired / suspended / pending / ended."""
    if cert.ended and cert.ended_on is not None and today >= cert.ended_on:
        return "ended", cert.ended
    if today < cert.valid_from:
        return "pending", "未生效"
    if today > cert.valid_until:
        return "expired", "已过期"
    if any(s.covers(today) for s in cert.suspensions):
        return "suspended", "暂扣中"
    if (cert.valid_until - today).days < EXPIRY_WARNING_DAYS:
        return "expiring", f"即将到期（剩{(cert.valid_until - today).days + 1}天）"
    return "valid", "有效"


def holder_problems(certs: Sequence[CertificateFacts], on: dt.date) -> list[str]:
    """Why a person may not conduct enforcement on ``on``: none of their certificates is valid.

    Any kind counts (行政执法证 or 劳动保障监察证); the reasons given are those of the most
    recently issued certificate, which is the one the officer will want to hear about.
    """
    if not certs:
        return ["未登记执法证件"]
    if any(not certificate_problems(c, on) for c in certs):
        return []
    latest = max(certs, key=lambda c: (c.valid_from, c.valid_until))
    return certificate_problems(latest, on)


def valid_certificate(certs: Iterable[CertificateFacts], on: dt.date) -> CertificateFacts | None:
    """The certificate to print on documents for ``on`` (latest-issued valid one), or None."""
    valid = [c for c in certs if not certificate_problems(c, on)]
    return max(valid, key=lambda c: (c.valid_from, c.valid_until)) if valid else None


def team_problems(members: Sequence[tuple[str, list[str]]], *, act: str = "调查取证") -> list[str]:
    """Reasons an enforcement act by this team is not allowed.

    ``members`` is (name, holder_problems) per person. 行政处罚法 第四十二条: 执法人员不得少于
    两人; 第五十五条 / 劳动保障监察条例 第十六条: 出示执法证件 — so at least two members must hold
    a certificate valid that day; members without one are named.
    """
    reasons = [f"{name}：{'；'.join(problems)}" for name, problems in members if problems]
    qualified = sum(1 for _, problems in members if not problems)
    if qualified < MIN_OFFICERS_PER_ACT:
        reasons.insert(
            0,
            f"{act}须由两名以上持有有效执法证件的执法人员进行（行政处罚法第四十二条），"
            f"目前符合条件的只有{qualified}人",
        )
    return reasons


# --- legal review staff (法制审核人员) -----------------------------------------------------


@dataclass(frozen=True)
class QualificationFacts:
    granted_on: dt.date
    withdrawn_on: dt.date | None = None  # first day no longer held

    def held_on(self, day: dt.date) -> bool:
        return self.granted_on <= day and (self.withdrawn_on is None or day < self.withdrawn_on)


@dataclass(frozen=True)
class DesignationFacts:
    kind: str  # staff / public_lawyer / legal_adviser
    designated_on: dt.date
    ended_on: dt.date | None = None  # first day no longer designated
    prior_penalty_review: bool = False

    def active_on(self, day: dt.date) -> bool:
        return self.designated_on <= day and (self.ended_on is None or day < self.ended_on)


def reviewer_problems(
    *,
    designations: Sequence[DesignationFacts],
    qualifications: Sequence[QualificationFacts],
    on: dt.date,
    penalty: bool = True,
) -> list[str]:
    """Why a person may not conduct a legal review (法制审核) on ``on``.

    - must be designated by the agency as review staff on that day (国办发〔2018〕118号 明确审核机构);
    - 行政处罚法 第五十八条第二款: 行政机关中初次从事行政处罚决定法制审核的人员, 应当通过国家统一
      法律职业资格考试取得法律职业资格 — for a penalty review, agency staff need a qualification
      held that day unless they already reviewed penalty decisions before 2021-07-15;
    - legal advisers and public lawyers practise law, so they must have their qualification on
      record whatever the decision type.
    """
    current = [d for d in designations if d.active_on(on)]
    if not current:
        return [f"{fmt(on)}未被指定为法制审核人员"]
    qualified = any(q.held_on(on) for q in qualifications)
    if qualified:
        return []
    if any(d.kind in ("legal_adviser", "public_lawyer") for d in current):
        return ["法律顾问、公职律师须登记法律职业资格后方可参与法制审核"]
    if penalty and not any(d.prior_penalty_review for d in current):
        return [
            "初次从事行政处罚决定法制审核的人员，应当取得法律职业资格（行政处罚法第五十八条第二款）"
        ]
    return []


@dataclass(frozen=True)
class ReviewerRatio:
    reviewers: int
    officers: int

    @property
    def ratio(self) -> Fraction | None:
        return Fraction(self.reviewers, self.officers) if self.officers else None

    @property
    def meets_target(self) -> bool:
        return self.ratio is None or self.ratio >= REVIEWER_RATIO_TARGET

    @property
    def needed(self) -> int:
        """Reviewers needed to reach the 5% target (ceil(officers × 5%))."""
        target = REVIEWER_RATIO_TARGET * self.officers
        return -(-target.numerator // target.denominator)

    @property
    def percent(self) -> str:
        return "—" if self.ratio is None else f"{float(self.ratio) * 100:.1f}%"


# --- training (培训) -----------------------------------------------------------------------


def training_duty_met(topics_held_in_year: Iterable[str]) -> bool:
    """Seed plan 三（二）: at least one three-systems training or exchange per year."""
    return any(t in THREE_SYSTEMS_TRAINING_TOPICS for t in topics_held_in_year)
