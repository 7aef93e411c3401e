"""Review test helpers: the case ``Flow`` of the cases tests (officers with certificates, a small
catalogue, fixed 2026 dates), review staff with their designations and qualifications, and a
major case pending decision that the heads have discussed — so only legal review can block it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from sanxiang.accounts import roles
from sanxiang.accounts.models import User
from sanxiang.cases import services as case_services
from sanxiang.cases.models import Case
from sanxiang.cases.tests import conftest as cases_conftest
from sanxiang.registry import services as registry_services
from sanxiang.registry.models import LegalQualification, ReviewerDesignation
from sanxiang.review import rules, services
from sanxiang.review.choices import Point

# The cases tests' fixtures and helpers: officers with certificates (``p``), a small catalogue
# (``items``) and ``Flow``, which drives a case through the services on fixed 2026 dates.
p = cases_conftest.p
items = cases_conftest.items
flow = cases_conftest.flow
Flow = cases_conftest.Flow
at = cases_conftest.at
SUBMITTED = cases_conftest.SUBMITTED

ALL_MATERIALS = [key for key, _ in rules.MATERIALS]
_numbers = iter(range(100, 10**6))


def designate(keeper, agency, user, *, kind="staff", qualified=True):
    """Make ``user`` review staff of ``agency`` (and record a 法律职业资格 if ``qualified``)."""
    if qualified:
        registry_services.qualification_record(
            actor=keeper,
            holder=user,
            kind=LegalQualification.Kind.LEGAL_PROFESSION,
            number=f"A2019{next(_numbers):06d}",
            granted_on=dt.date(2019, 12, 30),
        )
    registry_services.reviewer_designate(
        actor=keeper, agency=agency, user=user, kind=kind, designated_on=dt.date(2020, 1, 2)
    )
    return User.objects.get(pk=user.pk)  # fresh permission cache


def give_role(user, role: str) -> User:
    user.groups.add(Group.objects.get(name=role))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def r(p, agency):
    """The personas of ``p`` with 赵敏 (法制审核员) and 陈律师 (法律顾问) designated as review staff
    holding 法律职业资格, plus 钱审 — a designated 法制审核员 without a qualification on record."""
    keeper = p.xitong
    p.zhaomin = designate(keeper, agency, p.zhaomin)
    p.chenlvshi = designate(
        keeper, agency, p.chenlvshi, kind=ReviewerDesignation.Kind.LEGAL_ADVISER
    )
    qian = User.objects.create_user(username="qianshen", real_name="钱审", password="x")
    qian.unit = p.zhaomin.unit
    qian.save()
    qian = give_role(qian, roles.REVIEWER)
    p.qianshen = designate(keeper, agency, qian, qualified=False)
    return p


def points(**problems) -> dict[str, tuple[str, str]]:
    """All eight points 符合, except those given as ``code="问题说明"`` (存在问题)."""
    out = {code: ("pass", "") for code in Point.values}
    for code, comment in problems.items():
        out[code] = ("problem", comment)
    return out


def submit(case, actor, **kw):
    data = {"checklist": ALL_MATERIALS, "attested": True, "note": ""}
    data.update(kw)
    return services.review_submit(actor=actor, case=case, **data)


def conclude(submission, actor, opinion="agree", reasons="经审核，同意。", **problems):
    return services.review_conclude(
        actor=actor,
        submission=submission,
        points=points(**problems),
        opinion=opinion,
        reasons=reasons,
    )


def decide(case, actor, on=None):
    case_services.case_transition(
        case=case, action="decide", actor=actor, decided_on=on or timezone.localdate()
    )
    return Case.objects.get(pk=case.pk)


def discuss(case, p, *, held_on=SUBMITTED, extra=()):
    return case_services.discussion_record(
        actor=p.liujuzhang,
        case=case,
        held_on=held_on,
        opinions=[(p.liujuzhang, "同意拟处理意见"), (p.wangqiang, "同意"), *extra],
        conclusion_kind="agree",
        conclusion="同意拟处理意见",
    )


@pytest.fixture
def major(flow, r):
    """A penalty case (900 yuan) flagged major by the unit head, pending decision, discussed by
    the heads: everything but legal review lets it be decided."""
    f = flow()
    f.notified()
    case_services.case_flag(
        actor=r.wangqiang,
        case=f.case,
        kind="major",
        reason="受侵害劳动者人数较多，社会影响较大",
    )
    f.pending()
    discuss(f.case, r)
    f.refresh()
    return f
