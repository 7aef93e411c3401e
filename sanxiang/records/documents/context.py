"""The data a document is filled from: plain dataclasses, declared per document type.

A context class lists its fields with :func:`text`, :func:`number`, :func:`day`, :func:`many`,
:func:`choice`, :func:`flag` or :func:`part` (a nested dataclass). Each field carries its Chinese
label and whether it is required, so :func:`problems` can say in Chinese what is missing before
anything is rendered or stored. Every field has a default, so a half-filled context can be
built and then reported on, instead of failing with a Python ``TypeError``.

A class may add cross-field rules in a ``problems(self) -> list[str]`` method (e.g. a fine needs
a payment account).

The shared pieces used by several documents live here too: :class:`Party` (当事人),
:class:`OfficerRef` (执法人员 with certificate number), :class:`Penalty`, :class:`PaymentAccount`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# --- field helpers ---------------------------------------------------------------------------


def text(label: str, *, required: bool = True, default: str = "") -> Any:
    return field(default=default, metadata={"label": label, "required": required, "kind": "text"})


def number(label: str, *, required: bool = True, default: int | Decimal | None = None) -> Any:
    return field(default=default, metadata={"label": label, "required": required, "kind": "number"})


def day(label: str, *, required: bool = True) -> Any:
    return field(default=None, metadata={"label": label, "required": required, "kind": "date"})


def moment(label: str, *, required: bool = True) -> Any:
    return field(default=None, metadata={"label": label, "required": required, "kind": "datetime"})


def flag(label: str, *, default: bool = False) -> Any:
    return field(default=default, metadata={"label": label, "required": False, "kind": "bool"})


def choice(label: str, choices: dict[str, str], *, required: bool = True, default: str = "") -> Any:
    return field(
        default=default,
        metadata={"label": label, "required": required, "kind": "choice", "choices": choices},
    )


def many(label: str, *, required: bool = True, minimum: int = 1) -> Any:
    """A list (of strings or of dataclasses); required means at least ``minimum`` items."""
    return field(
        default_factory=list,
        metadata={"label": label, "required": required, "kind": "list", "minimum": minimum},
    )


def part(label: str, cls: type, *, required: bool = True) -> Any:
    """A nested dataclass (e.g. the party)."""
    return field(
        default_factory=cls, metadata={"label": label, "required": required, "kind": "part"}
    )


# --- validation ------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def problems(context: Any, *, prefix: str = "") -> list[str]:
    """Chinese reasons why ``context`` cannot be rendered (empty: it can)."""
    if not dataclasses.is_dataclass(context) or isinstance(context, type):
        return ["文书内容应为该文书种类的数据对象"]
    found: list[str] = []
    for f in dataclasses.fields(context):
        meta = f.metadata
        if "label" not in meta:
            continue
        label = prefix + meta["label"]
        value = getattr(context, f.name)
        kind = meta["kind"]
        if kind == "part":
            found += problems(value, prefix=f"{label}的")
            continue
        if kind == "list":
            if not isinstance(value, list | tuple):
                found.append(f"{label}应为列表")
                continue
            items = [v for v in value if not _blank(v)]
            if meta["required"] and len(items) < meta["minimum"]:
                found.append(f"请填写{label}")
            for i, item in enumerate(items, 1):
                if dataclasses.is_dataclass(item):
                    found += problems(item, prefix=f"{label}第{i}项的")
            continue
        if _blank(value):
            if meta["required"]:
                found.append(f"请填写{label}")
            continue
        if kind in ("text", "choice") and not isinstance(value, str):
            found.append(f"{label}应为文字")
        elif kind == "choice" and value not in meta["choices"]:
            allowed = "、".join(meta["choices"].values())
            found.append(f"{label}只能是{allowed}之一")
        elif kind == "number" and (
            isinstance(value, bool | float) or not isinstance(value, int | Decimal)
        ):
            # Money is Decimal in yuan; a float cannot hold 0.10 exactly (STYLE.md).
            found.append(f"{label}应为整数或 Decimal 金额")
        elif kind == "date" and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            found.append(f"{label}应为日期")
        elif kind == "datetime" and not isinstance(value, dt.datetime):
            found.append(f"{label}应为日期时间")
    extra = getattr(context, "problems", None)
    if callable(extra) and not found:  # cross-field rules assume well-typed fields
        found += [prefix + p for p in extra()]
    return found


def canonical_data(context: Any) -> Any:
    """The context as JSON-ready data (dates ISO, Decimals as strings), for its hash."""
    if dataclasses.is_dataclass(context) and not isinstance(context, type):
        return {
            "_type": type(context).__name__,
            **{
                f.name: canonical_data(getattr(context, f.name))
                for f in dataclasses.fields(context)
            },
        }
    if isinstance(context, list | tuple):
        return [canonical_data(v) for v in context]
    if isinstance(context, dt.date | dt.datetime):
        return context.isoformat()
    if isinstance(context, Decimal):
        return str(context)
    return context


# --- shared pieces ---------------------------------------------------------------------------

PARTY_KINDS = {"organisation": "单位", "person": "个人"}


@dataclass
class Party:  # 当事人
    kind: str = choice("当事人类型", PARTY_KINDS, default="organisation")
    name: str = text("当事人名称（姓名）")
    address: str = text("住所（地址）")
    uscc: str = text("统一社会信用代码", required=False)
    legal_representative: str = text("法定代表人（负责人）", required=False)
    id_number: str = text("身份证件号码", required=False)

    def problems(self) -> list[str]:
        found = []
        if self.kind == "organisation":
            if _blank(self.uscc):
                found.append("请填写统一社会信用代码")
            if _blank(self.legal_representative):
                found.append("请填写法定代表人（负责人）")
        elif self.kind == "person" and _blank(self.id_number):
            found.append("请填写身份证件号码")
        return found

    @property
    def you(self) -> str:
        """How the document addresses the party: 你单位 / 你."""
        return "你单位" if self.kind == "organisation" else "你"


@dataclass
class OfficerRef:  # 执法人员（姓名及执法证件号码）
    """An officer as printed on a document: name and enforcement certificate number
    (行政处罚法 第四十二条、第五十五条: 出示执法证件; 询问笔录、现场检查笔录 name the officers
    and their certificate numbers). Build from the registry with
    ``records.selectors.officer_refs(users=, on=)``, which refuses an officer without a
    certificate valid that day."""

    name: str = text("执法人员姓名")
    certificate_no: str = text("执法证件号码")


PENALTY_KINDS = {
    # 行政处罚法 第九条 (the kinds an HR&SS bureau imposes come first).
    "warning": "警告",
    "fine": "罚款",
    "criticism": "通报批评",
    "confiscation": "没收违法所得",
    "confiscate_property": "没收非法财物",
    "licence_suspension": "暂扣许可证件",
    "licence_revocation": "吊销许可证件",
    "other": "其他行政处罚",
}


@dataclass
class Penalty:  # 处罚种类（及金额）
    kind: str = choice("处罚种类", PENALTY_KINDS)
    amount: Decimal | None = number("罚款（没收）金额", required=False)
    detail: str = text("处罚内容说明", required=False)

    def problems(self) -> list[str]:
        if self.kind in ("fine", "confiscation") and self.amount in (None, Decimal(0)):
            return [f"请填写{PENALTY_KINDS[self.kind]}金额"]
        return []

    @property
    def label(self) -> str:
        return PENALTY_KINDS.get(self.kind, self.kind)


@dataclass
class PaymentAccount:  # 罚款缴纳账户
    bank: str = text("收款银行")
    account_name: str = text("户名")
    account_no: str = text("账号")
    e_payment: str = text("电子缴款渠道", required=False)


def total_amount(penalties: list[Penalty]) -> Decimal:
    return sum(
        (p.amount or Decimal(0) for p in penalties if p.kind in ("fine", "confiscation")),
        Decimal(0),
    )
