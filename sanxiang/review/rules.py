"""Pure rules of legal review (no database): what a review must contain, when a case may be
submitted again, what the decision gate says, how the dossier is hashed and compared, and which
catalogue entries a proposed sanction meets. Every function returns Chinese reasons (STYLE.md:
guards return reasons, not booleans)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sanxiang.cases.choices import PENALTY_RANK, OutcomeKind, PenaltyType
from sanxiang.lib.canonical import canonical_json

from .choices import CatalogueKind, Opinion, PartyScope, Point, PointResult

LAW_58 = "行政处罚法第五十八条"
MANIFEST_FORMAT = "sanxiang-review-dossier/1"


def cn_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "（期限待定）"


def yuan(value: Decimal) -> str:
    text = format(value.quantize(Decimal("0.01")), "f")
    return text[:-3] if text.endswith(".00") else text


# --- scope (审核范围) ---------------------------------------------------------------------------


def review_required(*, is_major: bool, is_complex: bool, complex_needs_review: bool) -> bool:
    """行政处罚法 第五十八条第一款: 涉及重大公共利益的; 直接关系当事人或者第三人重大权益, 经过
    听证程序的; 案件情况疑难复杂、涉及多个法律关系的 — a case flagged major (on any of these
    grounds, by a catalogue entry or after a hearing) needs review. A case flagged only 情节复杂
    (the 第五十七条 collective-discussion flag) needs it when the agency's settings say so."""
    return is_major or (is_complex and complex_needs_review)


@dataclass(frozen=True)
class CatalogueFacts:
    """One entry of the agency's 重大执法决定法制审核目录, as the matcher needs it."""

    kind: str
    title: str
    item_id: int | None = None
    threshold: Decimal | None = None
    party_scope: str = PartyScope.ALL
    penalty_types: frozenset[str] = frozenset()


def penalty_labels(types: Iterable[str]) -> str:
    labels = dict(PenaltyType.choices)
    return "、".join(labels.get(t, t) for t in sorted(types, key=lambda t: PENALTY_RANK.get(t, 99)))


def catalogue_reasons(
    entries: Sequence[CatalogueFacts],
    *,
    outcome: str,
    penalty_types: frozenset[str],
    fine: Decimal | None,
    confiscation: Decimal | None,
    natural_person: bool,
    item_ids: frozenset[int],
) -> list[str]:
    """Why a proposed outcome falls in the catalogue (one reason per entry met)."""
    reasons: list[str] = []
    amount = (fine or Decimal(0)) + (confiscation or Decimal(0))
    for e in entries:
        if e.kind == CatalogueKind.ITEM:
            if e.item_id is not None and e.item_id in item_ids:
                reasons.append(f"案由“{e.title}”列入重大执法决定法制审核目录")
        elif e.kind == CatalogueKind.AMOUNT:
            if outcome != OutcomeKind.PENALTY or e.threshold is None:
                continue
            scope_ok = (
                e.party_scope == PartyScope.ALL
                or (e.party_scope == PartyScope.NATURAL_PERSON) == natural_person
            )
            if scope_ok and amount >= e.threshold:
                who = "" if e.party_scope == PartyScope.ALL else PartyScope(e.party_scope).label
                reasons.append(
                    f"拟罚没金额{yuan(amount)}元，达到审核目录标准（{who}{yuan(e.threshold)}元以上）"
                )
        elif e.kind == CatalogueKind.PENALTY_TYPE:
            hit = penalty_types & e.penalty_types
            if outcome == OutcomeKind.PENALTY and hit:
                reasons.append(f"拟{penalty_labels(hit)}，列入审核目录（{e.title}）")
    return reasons


# --- the eight points and the opinion ------------------------------------------------------------

POINT_LABELS = dict(Point.choices)
OPINION_LABELS = dict(Opinion.choices)


def review_problems(
    points: Mapping[str, tuple[str, str]], *, opinion: str, reasons: str
) -> list[str]:
    """Everything wrong with a review as entered: each of the eight points (实施方案 三（三）3)
    marked 符合 or 存在问题, a problem described, an opinion chosen and reasoned, and the opinion
    consistent with the points."""
    found: list[str] = []
    missing = [
        label
        for code, label in Point.choices
        if code not in points or points[code][0] not in PointResult.values
    ]
    if missing:
        found.append("请逐项审核并选择“符合”或“存在问题”：" + "；".join(missing))
    problems = [
        code
        for code, (result, _comment) in points.items()
        if code in POINT_LABELS and result == PointResult.PROBLEM
    ]
    for code in problems:
        if not str(points[code][1] or "").strip():
            found.append(f"“{POINT_LABELS[code]}”存在问题，请写明具体问题")
    if opinion not in Opinion.values:
        found.append("请选择审核意见：同意、修改后再报、不同意或建议移送司法机关")
    if not str(reasons or "").strip():
        found.append("请填写审核意见的理由")
    if missing or opinion not in Opinion.values:
        return found
    if opinion == Opinion.AGREE and problems:
        labels = "、".join(f"“{POINT_LABELS[c]}”" for c in problems)
        found.append(f"审核事项{labels}存在问题，审核意见不能为“同意”")
    if opinion in (Opinion.REVISE, Opinion.DISAGREE) and not problems:
        found.append(
            f"审核意见为“{OPINION_LABELS[opinion]}”的，请在审核事项中指出存在的问题并写明理由"
        )
    if opinion == Opinion.TRANSFER and points[Point.CRIME][0] != PointResult.PROBLEM:
        found.append(
            "建议移送司法机关的，“违法行为是否涉嫌犯罪、需要移送司法机关”一项应为“存在问题”"
            "并写明涉嫌的犯罪（行政处罚法第二十七条）"
        )
    return found


def reviewer_problems(
    *,
    registry_problems: Sequence[str],
    on_team: bool,
    is_submitter: bool,
    name: str,
) -> list[str]:
    """Why a person may not review this case: the registry's designation and 法律职业资格 rules
    (行政处罚法 第五十八条第二款) and the separation of review from handling (国办发〔2018〕118号:
    审核机构与承办机构分离)."""
    found = list(registry_problems)
    if on_team:
        found.append(f"{name}是（或曾是）本案办案人员，不得审核本案（审核与承办分离）")
    elif is_submitter:
        found.append(f"{name}是本案送审人，不得审核本案")
    return found


# --- submission (送审) --------------------------------------------------------------------------

# What the handler sends (实施方案 三（三）4: 行政执法文书、相关证据、当事人陈述申辩材料、执法过程
# 记录资料), one checklist line per section of the dossier manifest.
MATERIALS: tuple[tuple[str, str], ...] = (
    ("documents", "行政执法文书"),
    ("evidence", "相关证据"),
    ("records", "调查笔录（询问笔录、现场检查笔录）"),
    ("statements", "当事人陈述、申辩材料"),
    ("hearings", "听证笔录及听证报告"),
    ("process", "执法过程记录资料（告知、送达、责令改正、先行登记保存、回避等）"),
    ("draft_decision", "拟作出的执法决定（拟处理意见）"),
)
MATERIAL_LABELS = dict(MATERIALS)
ATTESTATION = (
    "本人已逐项核对送审材料，对送审材料的真实性、准确性、完整性，以及执法的事实、证据、"
    "法律适用、程序的合法性负责（陵川县人社局行政执法三项制度实施方案 三（三）4）。"
)


def checklist_problems(
    *, confirmed: Iterable[str], counts: Mapping[str, int], attested: bool
) -> list[str]:
    """The handler confirms every line of the checklist (a line with nothing in it is confirmed
    as "本案无"), the draft decision is there, and the attestation (送审责任) is given."""
    confirmed = set(confirmed)
    found: list[str] = []
    missing = [label for key, label in MATERIALS if key not in confirmed]
    if missing:
        found.append("请逐项核对送审材料清单，尚未确认：" + "；".join(missing))
    if not counts.get("draft_decision"):
        found.append("尚无拟处理意见（拟作出的执法决定），不能送审")
    if not attested:
        found.append("请确认送审责任声明：对送审材料的真实性、准确性、完整性负责")
    return found


@dataclass(frozen=True)
class RoundFacts:
    """One submission round and its review, as the gate and the resubmission rules see it."""

    round: int
    status: str  # SubmissionStatus
    submitted_on: dt.date
    submitter_id: int
    dossier_sha256: str
    due: dt.date | None = None
    due_reason: str = ""
    opinion: str = ""  # "" while pending
    reviewer_id: int | None = None
    reviewer_name: str = ""
    concluded_on: dt.date | None = None
    ledger_ok: bool = True  # the conclusion matches its ledger event
    dispute_open: bool = False  # the handler disputes this round's opinion, not yet discussed
    dispute_resolved: bool = False  # ... and a collective discussion has been recorded

    @property
    def passed(self) -> bool:
        return self.status == "concluded" and self.opinion == Opinion.AGREE


def resubmission_problems(latest: RoundFacts | None, *, current_sha256: str) -> list[str]:
    """Whether a new round may be submitted after ``latest`` (the last round not withdrawn)."""
    if latest is None:
        return []
    if latest.status == "pending":
        return [f"第{latest.round}轮送审正在审核中，不能重复送审"]
    if latest.passed:
        if latest.dossier_sha256 == current_sha256:
            return ["法制审核已通过且案卷未变化，无需重新送审"]
        return []
    if latest.dispute_open:
        return [f"对第{latest.round}轮审核意见的异议尚未经行政机关负责人集体讨论，不能重新送审"]
    if latest.dossier_sha256 == current_sha256 and not latest.dispute_resolved:
        return [
            f"案卷与第{latest.round}轮退回时相同：请按审核意见修改后再报；"
            "对审核意见有异议的，请提出异议，经行政机关负责人集体讨论后再送审"
        ]
    return []


# --- the dossier manifest (送审案卷清单) ----------------------------------------------------------


def digest(value) -> str:
    """SHA-256 of the canonical JSON of ``value`` (sanxiang.lib.canonical)."""
    return hashlib.sha256(canonical_json(value)).hexdigest()


def dossier_hashes(manifest: Mapping) -> tuple[str, str]:
    """(SHA-256, SM3) of the manifest's canonical JSON: the one dossier hash of a submission."""
    data = canonical_json(manifest)
    return hashlib.sha256(data).hexdigest(), hashlib.new("sm3", data).hexdigest()


SECTION_LABELS = {
    "case": "案件基本情况",
    "parties": "当事人",
    "team": "办案人员",
    "documents": "执法文书",
    "evidence": "证据",
    "records": "调查笔录",
    "statements": "陈述申辩",
    "hearings": "听证",
    "process": "执法过程记录",
    "draft_decision": "拟作出的决定",
}


@dataclass(frozen=True)
class Change:
    section: str
    key: str
    what: str  # "added" | "removed" | "changed"
    label: str
    old_label: str = ""

    def __str__(self) -> str:
        if self.what == "added":
            return f"新增{self.label}"
        if self.what == "removed":
            return f"删除{self.label}"
        if self.old_label and self.old_label != self.label:
            return f"{self.old_label}变更为{self.label}"
        return f"{self.label}已修改"


def _entries(manifest: Mapping) -> dict[tuple[str, str], Mapping]:
    out = {}
    for section, entries in (manifest.get("sections") or {}).items():
        for e in entries:
            out[section, e["key"]] = e
    return out


def manifest_changes(old: Mapping, new: Mapping) -> list[Change]:
    """What differs between two manifests, entry by entry, in section order."""
    a, b = _entries(old), _entries(new)
    order = {s: i for i, s in enumerate(SECTION_LABELS)}
    changes = []
    for section, key in sorted(a.keys() | b.keys(), key=lambda k: (order.get(k[0], 99), k[1])):
        before, after = a.get((section, key)), b.get((section, key))
        if before is None:
            changes.append(Change(section, key, "added", after["label"]))
        elif after is None:
            changes.append(Change(section, key, "removed", before["label"]))
        elif before["sha256"] != after["sha256"] or before.get("files") != after.get("files"):
            changes.append(Change(section, key, "changed", after["label"], before["label"]))
    if not changes and old.get("format") != new.get("format"):
        changes.append(Change("case", "format", "changed", "案卷清单格式"))
    return changes


def changes_text(changes: Sequence[Change], *, limit: int = 5) -> str:
    shown = "；".join(str(c) for c in changes[:limit])
    if len(changes) > limit:
        shown += f"等{len(changes)}项"
    return shown


# --- the gate ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GateFacts:
    required: bool
    why: tuple[str, ...] = ()  # the flags' reasons
    latest: RoundFacts | None = None  # the last round not withdrawn
    current_sha256: str = ""  # computed only when the latest round passed
    changes: tuple[Change, ...] = ()
    team_ids: frozenset[int] = frozenset()  # everyone ever assigned to the case
    actor_id: int | None = None  # the decision maker, when the caller knows who it is
    actor_name: str = ""
    on: dt.date | None = None  # the decision date, when the caller gives it


def gate_reasons(f: GateFacts) -> list[str]:
    """Why the case may not be decided as far as legal review goes ([] = it may).

    行政处罚法 第五十八条: 未经法制审核或者审核未通过的, 不得作出决定; 实施方案 三（三）4: 不得以会签
    行政处罚决定书代替合法性审核 — only a concluded review with the opinion 同意, of the dossier as it
    is now, by a reviewer outside the case team, recorded in the ledger, lets the decision go."""
    if not f.required:
        return []
    why = f"（{'；'.join(f.why)}）" if f.why else ""
    r = f.latest
    if r is None:
        return [f"重大执法决定须经法制审核通过后方可作出（{LAW_58}）{why}：尚未送法制审核"]
    if r.status == "pending":
        due = cn_date(r.due) if r.due else f"期限待定：{r.due_reason}"
        return [
            f"法制审核尚未完成（第{r.round}轮，{cn_date(r.submitted_on)}送审，审核期限至{due}）；"
            f"未经法制审核不得作出决定（{LAW_58}）"
        ]
    who = f"第{r.round}轮，{r.reviewer_name}，{cn_date(r.concluded_on)}"
    if not r.ledger_ok:
        return [f"第{r.round}轮法制审核结论与执法记录账本不一致，视为未经审核，须重新送审"]
    if r.opinion == Opinion.REVISE:
        return [f"法制审核意见为“修改后再报”（{who}）：须按审核意见修改后重新送审"]
    if r.opinion == Opinion.DISAGREE:
        return [
            f"法制审核意见为“不同意”（{who}）：审核未通过的，不得作出决定（{LAW_58}）；"
            "承办机构有异议的，经行政机关负责人集体讨论后重新送审"
        ]
    if r.opinion == Opinion.TRANSFER:
        return [
            f"法制审核意见为“建议移送司法机关”（{who}）：涉嫌犯罪的，应当依法移送司法机关"
            "（行政处罚法第二十七条），不得作出行政处罚决定"
        ]
    reasons = []
    if r.reviewer_id in f.team_ids:
        reasons.append(
            f"审核人{r.reviewer_name}是本案办案人员，审核与承办未分离，须由其他审核人员重新审核"
        )
    if f.current_sha256 != r.dossier_sha256:
        detail = f"（{changes_text(f.changes)}）" if f.changes else ""
        reasons.append(f"审核通过后案卷已变化{detail}，须重新送审")
    if f.on is not None and r.concluded_on is not None and f.on < r.concluded_on:
        reasons.append(
            f"决定日期{cn_date(f.on)}早于法制审核意见作出的日期{cn_date(r.concluded_on)}："
            "应当在审核通过后作出决定"
        )
    if f.actor_id is not None and f.actor_id == r.reviewer_id:
        reasons.append(
            f"作出决定的负责人不得是本案的法制审核人员（{r.reviewer_name}审核了本案），"
            "承办、审核、决定须由不同人员担任"
        )
    return reasons


# --- figures ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    by_opinion: dict[str, int] = field(default_factory=dict)
    concluded: int = 0
    average_workdays: Decimal | None = None
    late: int = 0  # concluded after the (extended) due date
    cases_reviewed: int = 0
    returns: int = 0
    returns_per_case: Decimal | None = None
    max_returns: int = 0
    pending: int = 0
    overdue_pending: int = 0


def figures(
    *,
    concluded: Sequence[tuple[int, str, int | None, bool]],
    pending: Sequence[bool],
) -> Figures:
    """``concluded``: (case id, opinion, working days taken or None, late) per review;
    ``pending``: overdue? per pending submission."""
    by_opinion = {code: 0 for code in Opinion.values}
    days = []
    late = 0
    returns: dict[int, int] = {}
    for case_id, opinion, workdays, was_late in concluded:
        by_opinion[opinion] = by_opinion.get(opinion, 0) + 1
        if workdays is not None:
            days.append(workdays)
        late += bool(was_late)
        returns.setdefault(case_id, 0)
        if opinion != Opinion.AGREE:
            returns[case_id] += 1
    total_returns = sum(returns.values())
    return Figures(
        by_opinion=by_opinion,
        concluded=len(concluded),
        average_workdays=(
            (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1")) if days else None
        ),
        late=late,
        cases_reviewed=len(returns),
        returns=total_returns,
        returns_per_case=(
            (Decimal(total_returns) / len(returns)).quantize(Decimal("0.01")) if returns else None
        ),
        max_returns=max(returns.values(), default=0),
        pending=len(pending),
        overdue_pending=sum(1 for overdue in pending if overdue),
    )
