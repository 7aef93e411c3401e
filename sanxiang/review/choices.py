"""Choices of the legal-review app (重大执法决定法制审核)."""

from __future__ import annotations

from django.db import models


class Point(models.TextChoices):  # 审核内容（实施方案 三（三）3；国办发〔2018〕118号）
    SUBJECT = "subject", "行政执法主体是否合法"
    QUALIFICATION = "qualification", "行政执法人员是否具备执法资格"
    PROCEDURE = "procedure", "行政执法程序是否合法"
    FACTS = "facts", "案件事实是否清楚，证据是否合法充分"
    LAW = "law", "适用法律、法规、规章是否准确，裁量基准运用是否适当"
    AUTHORITY = "authority", "执法是否超越执法机关法定权限"
    DOCUMENTS = "documents", "行政执法文书是否完备、规范"
    CRIME = "crime", "违法行为是否涉嫌犯罪、需要移送司法机关"


class PointResult(models.TextChoices):
    PASS = "pass", "符合"
    PROBLEM = "problem", "存在问题"


class Opinion(models.TextChoices):  # 审核意见
    AGREE = "agree", "同意"
    REVISE = "revise", "修改后再报"
    DISAGREE = "disagree", "不同意"
    TRANSFER = "transfer", "建议移送司法机关"


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", "审核中"
    CONCLUDED = "concluded", "已审核"
    WITHDRAWN = "withdrawn", "已撤回"


class ExpertKind(models.TextChoices):  # 法制审核专家委员会（实施方案 三（三）4）
    LEGAL_ADVISER = "legal_adviser", "法律顾问"
    PUBLIC_LAWYER = "public_lawyer", "公职律师"
    INDUSTRY_EXPERT = "industry_expert", "行业专家"


class CatalogueKind(models.TextChoices):  # 重大执法决定法制审核目录的条目种类
    ITEM = "item", "执法事项"
    AMOUNT = "amount", "罚没金额达到标准"
    PENALTY_TYPE = "penalty_type", "处罚种类"
    HEARING = "hearing", "经过听证程序"
    COMPLEX = "complex", "案件情况疑难复杂、涉及多个法律关系"
    PUBLIC_INTEREST = "public_interest", "涉及重大公共利益"
    SOCIAL_IMPACT = "social_impact", "可能造成重大社会影响或引发社会风险"
    MAJOR_RIGHTS = "major_rights", "直接关系当事人或第三人重大权益"
    OTHER = "other", "法律、法规规定的其他情形"


# Kinds the system matches by itself when a proposal is made; the others are judgments an
# officer makes when flagging the case (the reason is then the entry's title).
AUTO_KINDS = frozenset({CatalogueKind.ITEM, CatalogueKind.AMOUNT, CatalogueKind.PENALTY_TYPE})


class PartyScope(models.TextChoices):
    ALL = "all", "所有当事人"
    ORGANISATION = "organisation", "法人或其他组织"
    NATURAL_PERSON = "natural_person", "公民（自然人、个体工商户）"
