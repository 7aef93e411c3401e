"""Staff pages of legal review: parse → permission → service → render. ``Blocked`` becomes the
list of Chinese reasons on the form, ``DomainError`` an error next to its field, ``NotPermitted``
a 403. Nothing here decides anything."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from sanxiang.accounts.http import require_perm as _need
from sanxiang.cases.models import Case
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted
from sanxiang.registry.models import Agency

from . import dossier, forms, rules, selectors, services
from .choices import SubmissionStatus
from .models import Dispute, ExpertRequest, Submission

PAGE_SIZE = 50


def _agency(request) -> Agency | None:
    unit = getattr(request.user, "unit", None)
    return unit.agency if unit is not None else None


def _case(request, pk: int) -> Case:
    _need(request, "cases.view_case", "查看案件")
    case = get_object_or_404(Case.objects.select_related("agency"), pk=pk)
    agency = _agency(request)
    if agency is not None and case.agency_id != agency.pk:
        raise PermissionDenied("该案件不属于您所在的执法主体")
    return case


def _submission(request, pk: int) -> Submission:
    _need(request, "review.view_submission", "查看送审材料")
    try:
        submission = selectors.submission_detail(pk)
    except Submission.DoesNotExist:
        raise Http404("没有找到该送审记录") from None
    agency = _agency(request)
    if agency is not None and submission.case.agency_id != agency.pk:
        raise PermissionDenied("该案件不属于您所在的执法主体")
    return submission


def _on_team(case, user) -> bool:
    return case.assignments.filter(user=user, released_on__isnull=True).exists()


def _need_team(request, case, what: str) -> None:
    if not (request.user.has_perm("review.submit_for_review") and _on_team(case, request.user)):
        raise PermissionDenied(f"{what}须由本案办案人员办理")


def _form_error(form, exc: DomainError) -> None:
    if isinstance(exc, Blocked):
        for reason in exc.reasons:
            form.add_error(None, reason)
    elif exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        form.add_error(None, exc.message)


def _run(form, call):
    """Call the service; map its refusals onto the form. Returns the result or None."""
    try:
        return call()
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    except Blocked as exc:
        if exc.code == "forbidden":  # the person may not act here (e.g. not a qualified reviewer)
            raise PermissionDenied(exc.message) from None
        _form_error(form, exc)
        return None
    except DomainError as exc:
        _form_error(form, exc)
        return None


# --- queue and lists -----------------------------------------------------------------------------


@login_required
def queue(request):
    _need(request, "review.conclude_review", "法制审核")
    today = timezone.localdate()
    agency = _agency(request)
    rows = selectors.queue(agency=agency, today=today)
    mine = list(
        selectors.submission_list(agency=agency, user=request.user)
        .filter(review__reviewer=request.user)
        .order_by("-review__concluded_at")[:20]
    )
    return render(
        request,
        "review/queue.html",
        {
            "rows": rows,
            "mine": mine,
            "today": today,
            "expert_requests": list(selectors.open_expert_requests(user=request.user)),
            "counts": {
                "overdue": sum(1 for r in rows if r.clock.code == "overdue"),
                "soon": sum(1 for r in rows if r.clock.code == "soon"),
            },
        },
    )


@login_required
def submission_list(request):
    _need(request, "review.view_submission", "查看送审记录")
    form = forms.ListFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.submission_list(
        agency=_agency(request),
        status=data.get("status", ""),
        opinion=data.get("opinion", ""),
        q=data.get("q", ""),
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    names = selectors._party_names(s.case_id for s in page.object_list)
    rows = [(s, names.get(s.case_id, "")) for s in page.object_list]
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "review/submission_list.html",
        {"form": form, "page": page, "rows": rows, "params": params.urlencode()},
    )


# --- per case -------------------------------------------------------------------------------------


@login_required
def case_review(request, pk: int):
    """History per case: status, why the case needs review, every round with its review."""
    case = _case(request, pk)
    _need(request, "review.view_submission", "查看法制审核记录")
    status = selectors.review_status_for_case(case, user=request.user)
    rounds = selectors.case_rounds(case)
    for s in rounds:
        s.clock = selectors.review_clock(s)
    user = request.user
    on_team = _on_team(case, user)
    latest = status.latest
    can_dispute = (
        latest is not None
        and latest.status == SubmissionStatus.CONCLUDED
        and hasattr(latest, "review")
        and latest.review.opinion != "agree"
        and not hasattr(latest, "dispute")
        and on_team
        and user.has_perm("review.submit_for_review")
    )
    return render(
        request,
        "review/case.html",
        {
            "case": case,
            "status": status,
            "rounds": rounds,
            "can_flag": case.state in services.FLAG_STATES
            and (
                user.has_perm("cases.flag_case") or (on_team and user.has_perm("cases.handle_case"))
            ),
            "can_dispute": can_dispute,
            "can_resolve": user.has_perm("cases.discuss_case") or on_team,
            "case_url": _case_page(case),
        },
    )


def _case_page(case) -> str:
    try:
        return reverse("cases:case_detail", args=[case.pk])
    except NoReverseMatch:  # the case pages are wired separately
        return ""


@login_required
@require_http_methods(["GET", "POST"])
def submit(request, pk: int):
    """送审: the checklist of what goes to the reviewer (from the case as it is now) and the
    handler's attestation."""
    case = _case(request, pk)
    _need(request, "review.submit_for_review", "送法制审核")
    manifest = dossier.build_manifest(case)
    sha256, sm3 = rules.dossier_hashes(manifest)
    latest = selectors.latest_submission(case)
    changes = (
        rules.manifest_changes(latest.manifest, manifest)
        if latest is not None and latest.status != SubmissionStatus.PENDING
        else []
    )
    form = forms.SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        submission = _run(
            form,
            lambda: services.review_submit(
                actor=request.user,
                case=case,
                checklist=form.cleaned_data["checklist"],
                attested=form.cleaned_data["attested"],
                note=form.cleaned_data["note"],
            ),
        )
        if submission is not None:
            messages.success(
                request,
                f"已送法制审核（第{submission.round}轮），审核期限至"
                f"{rules.cn_date(submission.due_on) if submission.due_on else '（期限待定）'}",
            )
            return redirect("review:submission", submission.pk)
    counts = dossier.section_counts(manifest)
    rows = selectors.manifest_rows(manifest)
    materials = [
        (key, label, counts.get(key, 0), [r for r in rows if r.section == key])
        for key, label in rules.MATERIALS
    ]
    return render(
        request,
        "review/submit.html",
        {
            "case": case,
            "form": form,
            "materials": materials,
            "basics": [r for r in rows if r.section in ("case", "parties", "team")],
            "sha256": sha256,
            "sm3": sm3,
            "latest": latest,
            "changes": changes,
            "status": selectors.review_status_for_case(case),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def flag(request, pk: int):
    case = _case(request, pk)
    user = request.user
    if not (
        user.has_perm("cases.flag_case")
        or (user.has_perm("cases.handle_case") and _on_team(case, user))
    ):
        raise PermissionDenied("只有本案办案人员或有标记权限的负责人、审核人员可以标记重大执法决定")
    grounds = selectors.flag_grounds(agency=case.agency)
    form = forms.FlagForm(request.POST or None, grounds=grounds)
    if request.method == "POST" and form.is_valid():
        done = _run(
            form,
            lambda: services.major_flag_add(
                actor=request.user,
                case=case,
                ground=form.cleaned_data["ground"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if done is not None:
            messages.success(request, "已标记为重大执法决定，作出决定前须经法制审核")
            return redirect("review:case", case.pk)
    return render(request, "review/flag.html", {"case": case, "form": form})


# --- a submission ---------------------------------------------------------------------------------


@login_required
def submission_detail(request, pk: int):
    """The dossier view: the frozen manifest with its hashes and links, compared with the case
    as it is now; the review, the experts, the extensions; what the user may do next."""
    s = _submission(request, pk)
    state = selectors.dossier_state(s)
    user = request.user
    is_reviewer = user.has_perm("review.conclude_review")
    refusals = (
        services.reviewer_refusals(actor=user, submission=s, on=timezone.localdate())
        if is_reviewer
        else []
    )
    on_team = _on_team(s.case, user)
    pending = s.status == SubmissionStatus.PENDING
    return render(
        request,
        "review/submission.html",
        {
            "s": s,
            "case": s.case,
            "review": getattr(s, "review", None),
            "rows": selectors.manifest_rows(s.manifest, changes=list(state.changes)),
            "state": state,
            "clock": selectors.review_clock(s),
            "can_review": pending and is_reviewer and not refusals,
            "refusals": refusals if pending and is_reviewer else [],
            "can_withdraw": pending and on_team and user.has_perm("review.submit_for_review"),
            "counts": dossier.section_counts(s.manifest),
            "case_url": _case_page(s.case),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk: int):
    """The review form: the eight points and the opinion (the reviewer's own act)."""
    s = _submission(request, pk)
    _need(request, "review.conclude_review", "作出法制审核意见")
    if s.status != SubmissionStatus.PENDING:
        messages.info(request, f"第{s.round}轮送审{s.get_status_display()}")
        return redirect("review:submission", s.pk)
    refusals = services.reviewer_refusals(actor=request.user, submission=s, on=timezone.localdate())
    if request.method == "POST" and refusals:
        # The page shows the reasons on GET; acting is refused as the API refuses it (403),
        # 行政处罚法 第五十八条第二款 (reviewer qualification) and separation from the case.
        raise PermissionDenied("；".join(refusals))
    form = forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _run(
            form,
            lambda: services.review_conclude(
                actor=request.user,
                submission=s,
                points=form.points(),
                opinion=form.cleaned_data["opinion"],
                reasons=form.cleaned_data["reasons"],
            ),
        )
        if done is not None:
            messages.success(
                request,
                f"已作出法制审核意见：{done.get_opinion_display()}；"
                f"法制审核意见书{done.document.number if done.document else ''}已生成",
            )
            return redirect("review:submission", s.pk)
    state = selectors.dossier_state(s)
    bad: set[str] = set()
    if request.method == "POST" and form.is_bound and hasattr(form, "cleaned_data"):
        for code, (result, comment) in form.points().items():
            if not result or (result == "problem" and not comment.strip()):
                bad.add(code)
        if not form.cleaned_data.get("opinion"):
            bad.add("opinion")
        if not (form.cleaned_data.get("reasons") or "").strip():
            bad.add("reasons")
    return render(
        request,
        "review/review_form.html",
        {
            "s": s,
            "case": s.case,
            "form": form,
            "refusals": refusals,
            "bad": bad,
            "state": state,
            "clock": selectors.review_clock(s),
            "material_counts": [
                (label, dossier.section_counts(s.manifest).get(key, 0))
                for key, label in rules.MATERIALS
            ],
        },
    )


def _simple(request, s, form, call, done_message, template_title, *, intro=""):
    if request.method == "POST" and form.is_valid():
        result = _run(form, lambda: call(form.cleaned_data))
        if result is not None:
            messages.success(request, done_message)
            return redirect("review:submission", s.pk)
    return render(
        request,
        "review/simple_form.html",
        {"s": s, "case": s.case, "form": form, "title": template_title, "intro": intro},
    )


@login_required
@require_http_methods(["GET", "POST"])
def extend(request, pk: int):
    s = _submission(request, pk)
    _need(request, "review.conclude_review", "延长审核期限")
    cfg = selectors.settings_for(s.case.agency)
    used = sum(e.workdays for e in s.extensions.all())
    return _simple(
        request,
        s,
        forms.ExtendForm(request.POST or None),
        lambda d: services.review_extend(
            actor=request.user, submission=s, workdays=d["workdays"], reason=d["reason"]
        ),
        "已延长审核期限",
        "延长审核期限",
        intro=f"本机关规定审核期限为{cfg.review_workdays}个工作日，合计可延长"
        f"{cfg.extension_workdays}个工作日（已延长{used}个工作日）。审核期限计入办案期限。",
    )


@login_required
@require_http_methods(["GET", "POST"])
def expert_new(request, pk: int):
    s = _submission(request, pk)
    _need(request, "review.conclude_review", "征求咨询意见")
    form = forms.ExpertRequestForm(
        request.POST or None, experts=forms.expert_queryset(agency=s.case.agency)
    )
    return _simple(
        request,
        s,
        form,
        lambda d: services.expert_request(
            actor=request.user,
            submission=s,
            kind=d["kind"],
            question=d["question"],
            expert=d["expert"],
            expert_name=d["expert_name"],
            expert_org=d["expert_org"],
        ),
        "已征求咨询意见",
        "征求专家咨询意见",
        intro="法制审核机构可以依托法律顾问、公职律师、行业专家（法制审核专家委员会）提供咨询意见；"
        "咨询意见附于法制审核意见书，审核意见仍由法制审核机构负责。",
    )


@login_required
@require_http_methods(["GET", "POST"])
def expert_answer(request, pk: int):
    r = get_object_or_404(ExpertRequest.objects.select_related("submission"), pk=pk)
    s = _submission(request, r.submission_id)
    if r.expert_id is not None and r.expert_id != request.user.pk:
        raise PermissionDenied(f"该咨询意见须由{r.expert_name}本人出具")
    if r.expert_id is None:
        _need(request, "review.conclude_review", "登记咨询意见")
    form = forms.ExpertAnswerForm(request.POST or None)
    return _simple(
        request,
        s,
        form,
        lambda d: services.expert_answer(
            actor=request.user, request=r, answer=d["answer"], answered_on=d["answered_on"]
        ),
        "已登记咨询意见",
        f"出具咨询意见（{r.get_kind_display()}{r.expert_name}）",
        intro=f"咨询事项：{r.question}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk: int):
    s = _submission(request, pk)
    _need_team(request, s.case, "撤回送审")
    form = forms.ReasonForm(request.POST or None, label="撤回理由")
    return _simple(
        request,
        s,
        form,
        lambda d: services.review_withdraw(actor=request.user, submission=s, reason=d["reason"]),
        "已撤回送审",
        f"撤回第{s.round}轮送审",
    )


@login_required
@require_http_methods(["GET", "POST"])
def dispute(request, pk: int):
    s = _submission(request, pk)
    _need_team(request, s.case, "对审核意见提出异议")
    form = forms.ReasonForm(request.POST or None, label="异议理由")
    if request.method == "POST" and form.is_valid():
        done = _run(
            form,
            lambda: services.dispute_raise(
                actor=request.user, submission=s, reasons=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, "已提出异议：须经行政机关负责人集体讨论后再送审")
            return redirect("review:case", s.case_id)
    return render(
        request,
        "review/simple_form.html",
        {
            "s": s,
            "case": s.case,
            "form": form,
            "title": f"对第{s.round}轮审核意见提出异议",
            "intro": "承办机构与法制审核机构意见不一致的，提请行政机关负责人集体讨论；"
            "讨论记录登记后方可重新送审。",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def dispute_resolve(request, pk: int):
    d = get_object_or_404(Dispute.objects.select_related("submission__case"), pk=pk)
    s = _submission(request, d.submission_id)
    if not request.user.has_perm("cases.discuss_case"):
        _need_team(request, s.case, "登记集体讨论记录")
    since = timezone.localtime(d.raised_at).date()
    form = forms.ResolveForm(request.POST or None, case=s.case, since=since)
    if request.method == "POST" and form.is_valid():
        done = _run(
            form,
            lambda: services.dispute_resolve(
                actor=request.user, dispute=d, discussion=form.cleaned_data["discussion"]
            ),
        )
        if done is not None:
            messages.success(request, "已登记集体讨论记录，可以重新送审")
            return redirect("review:case", s.case_id)
    return render(
        request,
        "review/simple_form.html",
        {
            "s": s,
            "case": s.case,
            "form": form,
            "title": "登记就异议举行的集体讨论",
            "intro": f"异议理由：{d.reasons}",
        },
    )


# --- accountability, figures, catalogue ---------------------------------------------------------


@login_required
def accountability(request, pk: int):
    case = _case(request, pk)
    _need(request, "review.view_accountability", "查看责任记录")
    from sanxiang.records.selectors import documents_of_subject

    return render(
        request,
        "review/accountability.html",
        {
            "case": case,
            "acc": selectors.accountability(case),
            "why": selectors.why_major(case),
            "exports": list(
                documents_of_subject(case).filter(doc_type="review_accountability")[:5]
            ),
            "can_export": request.user.has_perm("records.add_generateddocument"),
            "case_url": _case_page(case),
        },
    )


@login_required
@require_POST
def accountability_export(request, pk: int):
    case = _case(request, pk)
    try:
        document = services.accountability_export(actor=request.user, case=case)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("review:accountability", case.pk)
    return redirect("records:document_file", document.pk, "pdf")


@login_required
def figures(request):
    _need(request, "review.view_review_figures", "查看法制审核统计")
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    if not 2000 <= year <= today.year:
        year = today.year
    agency = _agency(request) or Agency.objects.filter(is_active=True).order_by("name").first()
    if agency is None:
        raise PermissionDenied("尚未登记执法主体")
    report = selectors.figures(agency=agency, year=year, today=today)
    return render(
        request,
        "review/figures.html",
        {
            "r": report,
            "agency": agency,
            "years": list(range(today.year, today.year - 6, -1)),
            "target": "5%",
        },
    )


@login_required
def catalogue(request):
    _need(request, "review.view_catalogueentry", "查看法制审核目录")
    agency = _agency(request) or Agency.objects.filter(is_active=True).order_by("name").first()
    return render(
        request,
        "review/catalogue.html",
        {
            "entries": list(selectors.catalogue_entries(agency=agency, include_ended=True))
            if agency
            else [],
            "settings": selectors.settings_for(agency) if agency else None,
            "today": timezone.localdate(),
            "can_manage": request.user.has_perm("review.manage_catalogue"),
        },
    )
