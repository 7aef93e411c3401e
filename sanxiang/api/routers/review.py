"""法制审核 Legal review: the status of a case, sending the dossier (送审), the reviewer's opinion
(作出法制审核意见). The same checks and services as the review pages (``sanxiang.review.views``):
送审 by the case's officers; the opinion by a designated reviewer who is not on the case team.
A decision on a major case is refused (409 with reasons) until the latest review of the
*current* dossier is 同意 — that gate is the decision transition's, not this router's.

No ``from __future__ import annotations``: the bodies are built from the pages' forms.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from sanxiang.cases.models import Case
from sanxiang.review import forms as review_forms
from sanxiang.review import selectors, services
from sanxiang.review.choices import SubmissionStatus
from sanxiang.review.models import Submission

from .. import formschema
from ..errors import ApiError
from ..paging import Page, PageQuery, paginate
from ..schemas import Choice, UserRef, choice_of, user_ref
from ..types import Id
from .common import need, responses, user_agency

router = Router(tags=["法制审核 Legal review"])


class ReviewOut(Schema):
    reviewer: UserRef
    opinion: Choice = Field(
        description="agree 同意；revise 修改后再报；disagree 不同意；transfer 建议移送"
    )
    reasons: str
    concluded_on: dt.date
    document_number: str | None = Field(None, description="法制审核意见书文号")


class SubmissionOut(Schema):
    id: int
    case_id: int
    round: int
    status: Choice
    submitted_by: UserRef
    submitted_on: dt.date
    due_on: dt.date | None
    due_unknown_reason: str
    dossier_sha256: str = Field(description="送审案卷清单的 SHA-256（审核意见与之绑定）")
    dossier_sm3: str
    checklist: list[str]
    note: str
    review: ReviewOut | None


class ReviewStatus(Schema):
    case_id: int
    required: bool = Field(description="本案是否必须经法制审核（重大执法决定）")
    why: list[str] = Field(description="须审核的理由")
    code: str = Field(
        description="not_required 无须审核；not_submitted 尚未送审；pending 审核中；returned 未同意；"
        "disputed 有异议；voided 审核后案卷已变化；invalid 审核无效；passed 审核通过"
    )
    label: str
    detail: str
    decided: bool
    reasons: list[str] = Field(description="审核方面阻止作出决定的每一条原因")
    rounds: int
    latest: SubmissionOut | None


def submission_out(s: Submission) -> dict:
    review = getattr(s, "review", None)
    return {
        "id": s.pk,
        "case_id": s.case_id,
        "round": s.round,
        "status": choice_of(s, "status"),
        "submitted_by": user_ref(s.submitted_by),
        "submitted_on": s.submitted_on,
        "due_on": s.due_on,
        "due_unknown_reason": s.due_unknown_reason,
        "dossier_sha256": s.dossier_sha256,
        "dossier_sm3": s.dossier_sm3,
        "checklist": list(s.checklist or []),
        "note": s.note,
        "review": None
        if review is None
        else {
            "reviewer": user_ref(review.reviewer),
            "opinion": choice_of(review, "opinion"),
            "reasons": review.reasons,
            "concluded_on": review.concluded_on,
            "document_number": review.document.number if review.document_id else None,
        },
    }


def _case(request, case_id: int) -> Case:
    """The review pages' ``_case``: ``cases.view_case``, the case exists, same agency."""
    need(request, "cases.view_case", "查看案件")
    case = Case.objects.select_related("agency").filter(pk=case_id).first()
    if case is None:
        raise Http404("没有找到该案件")
    agency = user_agency(request.user)
    if agency is not None and case.agency_id != agency.pk:
        raise PermissionDenied("该案件不属于您所在的执法主体")
    return case


def _submission(request, submission_id: int) -> Submission:
    need(request, "review.view_submission", "查看送审材料")
    try:
        s = selectors.submission_detail(submission_id)
    except Submission.DoesNotExist:
        raise Http404("没有找到该送审记录") from None
    agency = user_agency(request.user)
    if agency is not None and s.case.agency_id != agency.pk:
        raise PermissionDenied("该案件不属于您所在的执法主体")
    return s


def _fresh(pk: int) -> Submission:
    return selectors.submission_detail(pk)


@router.get(
    "/cases/{case_id}/review",
    response=responses({200: ReviewStatus}, 404),
    operation_id="review_status",
    summary="案件的法制审核状态",
)
def review_status(request, case_id: Path[Id]):
    """本案是否须经法制审核、为什么，最近一轮送审及审核意见，以及审核方面阻止作出决定的原因。"""
    case = _case(request, case_id)
    need(request, "review.view_submission", "查看法制审核记录")
    status = selectors.review_status_for_case(case)
    return {
        "case_id": case.pk,
        "required": status.required,
        "why": list(status.why),
        "code": status.code,
        "label": status.label,
        "detail": status.detail,
        "decided": status.decided,
        "reasons": list(status.reasons),
        "rounds": status.rounds,
        "latest": submission_out(_fresh(status.latest.pk)) if status.latest else None,
    }


@router.get(
    "/cases/{case_id}/review/submissions",
    response=responses({200: Page[SubmissionOut]}, 404),
    operation_id="review_submission_list",
    summary="案件的各轮送审",
)
def review_submissions(request, case_id: Path[Id], page: Query[PageQuery]):
    case = _case(request, case_id)
    need(request, "review.view_submission", "查看法制审核记录")
    rows = (
        Submission.objects.filter(case=case)
        .select_related("submitted_by", "review__reviewer", "review__document")
        .order_by("round", "pk")
    )
    return paginate(request, rows, page, lambda chunk: [submission_out(s) for s in chunk])


SubmitBody = formschema.schema_for(
    "ReviewSubmit",
    review_forms.SubmitForm.base_fields,
    doc="送法制审核：核对送审材料并作出送审责任声明。",
)


def _bound(form_class, payload, fields, **kw):
    form = form_class(formschema.form_data(payload, fields), **kw)
    if not form.is_valid():
        errors = formschema.form_errors(form)
        raise ApiError(422, "请求参数不正确", fields=errors)
    return form


@router.post(
    "/cases/{case_id}/review/submissions",
    response=responses({201: SubmissionOut}, 400, 404, 409),
    operation_id="review_submit",
    summary="送法制审核",
)
def review_submit(request, case_id: Path[Id], payload: SubmitBody):
    """由本案办案人员将当前案卷送法制审核；案卷清单连同其 SHA-256 和 SM3 冻结并记入账本，
    审核期限开始计算。checklist 须包含全部送审材料，attested 须为 true（送审责任声明）。"""
    case = _case(request, case_id)
    need(request, "review.submit_for_review", "送法制审核")
    form = _bound(review_forms.SubmitForm, payload, review_forms.SubmitForm.base_fields)
    d = form.cleaned_data
    submission = services.review_submit(
        actor=request.user,
        case=case,
        checklist=d["checklist"],
        attested=d["attested"],
        note=d["note"],
    )
    return Status(201, submission_out(_fresh(submission.pk)))


@router.get(
    "/review/submissions/{submission_id}",
    response=responses({200: SubmissionOut}, 404),
    operation_id="review_submission_detail",
    summary="一轮送审及其审核意见",
)
def review_submission(request, submission_id: Path[Id]):
    return submission_out(_submission(request, submission_id))


_REVIEW_FIELDS = dict(review_forms.ReviewForm().fields)
ConcludeBody = formschema.schema_for(
    "ReviewConclude",
    _REVIEW_FIELDS,
    doc="法制审核意见：八个审核事项（<事项>_result 为 pass 符合 或 problem 存在问题，"
    "存在问题的在 <事项>_comment 中说明）和审核意见及其理由。",
)


@router.post(
    "/review/submissions/{submission_id}/conclusion",
    response=responses({200: SubmissionOut}, 400, 404, 409),
    operation_id="review_conclude",
    summary="作出法制审核意见",
)
def review_conclude(request, submission_id: Path[Id], payload: ConcludeBody):
    """审核人员本人作出：逐项审核并给出同意、修改后再报、不同意或建议移送司法机关的意见；
    法制审核意见书随即生成（编号、哈希并记入账本），意见与送审案卷的哈希绑定。
    本案办案人员、未经指定或不具备资格的人员不能作出（403，原因见 message）。"""
    s = _submission(request, submission_id)
    need(request, "review.conclude_review", "作出法制审核意见")
    if s.status != SubmissionStatus.PENDING:
        raise ApiError(
            409,
            f"第{s.round}轮送审{s.get_status_display()}，审核意见不能再作出或更改",
            code="conflict",
        )
    form = _bound(review_forms.ReviewForm, payload, _REVIEW_FIELDS)
    services.review_conclude(
        actor=request.user,
        submission=s,
        points=form.points(),
        opinion=form.cleaned_data["opinion"],
        reasons=form.cleaned_data["reasons"],
    )
    return submission_out(_fresh(s.pk))
