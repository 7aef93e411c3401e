"""Staff pages of 双随机抽查: parse → permission → service → render. DomainError becomes a form
error or a message; nothing else decides anything here."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from sanxiang.accounts.http import require_perm as _need
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted
from sanxiang.registry.models import Agency, Officer

from . import forms, selectors, services
from .models import Plan, PlanState, RiskTag, SeedSource, Target, Task, TaskRecord, TaskResult

PAGE_SIZE = 50


def _agency(request) -> Agency:
    unit = getattr(request.user, "unit", None)
    if unit is not None:
        return unit.agency
    agency = Agency.objects.filter(is_active=True).order_by("name").first()
    if agency is None:
        raise PermissionDenied("尚未登记执法主体")
    return agency


def _form_error(form, exc: DomainError) -> None:
    if isinstance(exc, Blocked):
        for reason in exc.reasons:
            form.add_error(None, reason)
    elif exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        form.add_error(None, exc.message)


# --- item list and target pool ---------------------------------------------------------------


@login_required
def item_list(request):
    _need(request, "inspections.view_plan", "查看抽查事项清单")
    today = timezone.localdate()
    versions = selectors.item_list(agency=_agency(request), on=today)
    return render(request, "inspections/item_list.html", {"versions": versions, "today": today})


@login_required
def target_list(request):
    _need(request, "inspections.view_target", "查看检查对象名录")
    agency = _agency(request)
    q, tag, active = (
        request.GET.get("q", ""),
        request.GET.get("tag", ""),
        request.GET.get("active", ""),
    )
    page = Paginator(selectors.target_list(agency=agency, q=q, tag=tag, active=active), PAGE_SIZE)
    return render(
        request,
        "inspections/target_list.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "q": q,
            "tag": tag,
            "active": active,
            "tags": RiskTag.choices,
            "counts": selectors.target_counts(agency=agency),
            "can_manage": request.user.has_perm("inspections.manage_targets"),
        },
    )


@login_required
def target_import(request):
    _need(request, "inspections.manage_targets", "导入检查对象名录")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report = outcome = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = services.targets_import(
                actor=request.user,
                agency=_agency(request),
                file_name=upload.name,
                data=upload.read(),
                dry_run=form.cleaned_data["dry_run"],
            )
            report = outcome.parsed
        except services.ImportRejected as exc:
            report = exc.parsed
            form.add_error(None, exc.message)
        except DomainError as exc:
            _form_error(form, exc)
    return render(
        request,
        "inspections/target_import.html",
        {"form": form, "report": report, "outcome": outcome},
    )


@login_required
def target_detail(request, pk: int):
    _need(request, "inspections.view_target", "查看检查对象")
    target = get_object_or_404(Target, pk=pk, agency=_agency(request))
    can_manage = request.user.has_perm("inspections.manage_targets")
    initial = {
        "name": target.name,
        "address": target.address,
        "industry": target.industry,
        "size": target.size,
        "risk_tags": target.risk_tags,
        "is_active": target.is_active,
    }
    form = forms.TargetForm(request.POST or None, initial=initial)
    if request.method == "POST":
        _need(request, "inspections.manage_targets", "修改检查对象")
        if form.is_valid():
            try:
                services.target_update(actor=request.user, target=target, data=form.cleaned_data)
                messages.success(request, "检查对象已保存。")
                return redirect("inspections:target_detail", pk=target.pk)
            except DomainError as exc:
                _form_error(form, exc)
    tasks = (
        Task.objects.filter(target=target).select_related("plan").order_by("-plan__period_start")
    )
    return render(
        request,
        "inspections/target_detail.html",
        {"target": target, "form": form, "can_manage": can_manage, "tasks": tasks},
    )


# --- plans -----------------------------------------------------------------------------------


@login_required
def plan_list(request):
    _need(request, "inspections.view_plan", "查看抽查计划")
    plans = selectors.plan_list(agency=_agency(request))
    return render(
        request,
        "inspections/plan_list.html",
        {"plans": plans, "can_manage": request.user.has_perm("inspections.manage_plans")},
    )


def _plan_form(request, *, plan: Plan | None):
    agency = _agency(request)
    from sanxiang.catalog.models import ItemVersion

    today = timezone.localdate()
    in_force = selectors.item_list(agency=agency, on=today).values("pk")
    queryset = ItemVersion.objects.filter(pk__in=in_force).select_related("item")
    if plan is not None:
        queryset = ItemVersion.objects.filter(
            pk__in=list(in_force.values_list("pk", flat=True))
            + list(plan.items.values_list("pk", flat=True))
        ).select_related("item")
        initial = forms.PlanForm.initial_from(plan)
    else:
        taken = set(Plan.objects.filter(agency=agency).values_list("code", flat=True))
        number = next(n for n in range(1, 1000) if f"{today.year}-{n:02d}" not in taken)
        initial = {
            "code": f"{today.year}-{number:02d}",
            "title": f"{today.year}年度劳动保障监察“双随机、一公开”抽查计划",
            "period_start": today,
            "period_end": today.replace(month=12, day=31),
            "seed_source": SeedSource.LEDGER,
            "seed_tree_size": selectors.suggested_seed_tree_size(),
            "items": list(queryset),
            "weight_complaints": 3,
            "weight_violations": 5,
            "weight_wage_arrears": 5,
        }
    form = forms.PlanForm(request.POST or None, initial=initial, item_queryset=queryset)
    return form


@login_required
def plan_create(request):
    _need(request, "inspections.manage_plans", "制定抽查计划")
    form = _plan_form(request, plan=None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                actor=request.user, agency=_agency(request), data=form.service_data()
            )
            messages.success(request, "抽查计划已保存为草稿。核对无误后请公布。")
            return redirect("inspections:plan_detail", pk=plan.pk)
        except DomainError as exc:
            _form_error(form, exc)
    return render(request, "inspections/plan_form.html", {"form": form, "plan": None})


@login_required
def plan_edit(request, pk: int):
    _need(request, "inspections.manage_plans", "修改抽查计划")
    plan = get_object_or_404(Plan, pk=pk, agency=_agency(request))
    if plan.state != PlanState.DRAFT:
        messages.error(request, "计划公布后不能修改。")
        return redirect("inspections:plan_detail", pk=plan.pk)
    form = _plan_form(request, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(actor=request.user, plan=plan, data=form.service_data())
            messages.success(request, "抽查计划已保存。")
            return redirect("inspections:plan_detail", pk=plan.pk)
        except DomainError as exc:
            _form_error(form, exc)
    return render(request, "inspections/plan_form.html", {"form": form, "plan": plan})


@login_required
def plan_detail(request, pk: int):
    _need(request, "inspections.view_plan", "查看抽查计划")
    plan = get_object_or_404(Plan, pk=pk, agency=_agency(request))
    plan = selectors.plan_detail(plan.pk)
    today = timezone.localdate()
    draw = selectors.plan_draw(plan)
    manage = request.user.has_perm("inspections.manage_plans")
    context = {
        "plan": plan,
        "draw": draw,
        "seed": selectors.seed_status(plan, today=today),
        "can_manage": manage,
        "weights": [(RiskTag(k).label, v) for k, v in plan.weights.items()],
        "timeline": selectors.plan_timeline(plan),
        "tasks": selectors.task_list(user=request.user, agency=plan.agency, plan_id=plan.pk)
        if draw and draw.result
        else [],
        "restate_form": forms.RestateForm(),
        "seed_form": forms.SeedTextForm(),
        "conflict_form": forms.ConflictForm(officer_queryset=_officers(request, plan.agency)),
    }
    return render(request, "inspections/plan_detail.html", context)


def _officers(request, agency):
    qs = Officer.objects.filter(agency=agency, is_active=True).select_related("user")
    if not request.user.has_perm("inspections.manage_plans"):
        qs = qs.filter(user=request.user)
    return qs.order_by("user__real_name")


def _act(request, pk: int, action, success: str):
    _need(request, "inspections.manage_plans", "办理抽查计划")
    plan = get_object_or_404(Plan, pk=pk, agency=_agency(request))
    try:
        action(plan)
        messages.success(request, success)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("inspections:plan_detail", pk=plan.pk)


@login_required
@require_POST
def plan_publish(request, pk: int):
    return _act(
        request,
        pk,
        lambda plan: services.plan_publish(actor=request.user, plan=plan),
        "抽查计划已公布，门户可见；随机种子规则已记入账本。",
    )


@login_required
@require_POST
def plan_restate(request, pk: int):
    form = forms.RestateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写重新约定的理由和新的种子规则。")
        return redirect("inspections:plan_detail", pk=pk)
    d = form.cleaned_data
    return _act(
        request,
        pk,
        lambda plan: services.plan_seed_restate(
            actor=request.user,
            plan=plan,
            reason=d["reason"],
            seed_tree_size=d["seed_tree_size"],
            seed_public_on=d["seed_public_on"],
            seed_description=d["seed_description"] or None,
        ),
        "已重新约定随机种子并公布。",
    )


@login_required
@require_POST
def plan_freeze(request, pk: int):
    return _act(
        request,
        pk,
        lambda plan: services.pools_freeze(actor=request.user, plan=plan),
        "检查对象库和执法检查人员库已冻结，哈希已公布。请等待随机种子产生。",
    )


@login_required
@require_POST
def plan_draw(request, pk: int):
    """确定种子并抽取: two services, each with its own ledger event."""
    form = forms.SeedTextForm(request.POST)
    text = form.data.get("text", "")

    def both(plan: Plan) -> None:
        if plan.state == PlanState.FROZEN:
            services.seed_fix(actor=request.user, plan=plan, text=text)
            plan.refresh_from_db()
        services.draw_execute(actor=request.user, plan=plan)

    return _act(request, pk, both, "随机抽取已完成，检查任务已生成。任何人可用公布的数据复核。")


@login_required
def conflict_create(request):
    agency = _agency(request)
    if not (
        request.user.has_perm("inspections.manage_plans")
        or Officer.objects.filter(user=request.user, is_active=True).exists()
    ):
        raise PermissionDenied("只有执法人员名录中的人员可以申报利益冲突")
    form = forms.ConflictForm(request.POST or None, officer_queryset=_officers(request, agency))
    back = request.POST.get("next") or request.GET.get("next") or reverse("inspections:plan_list")
    if not back.startswith("/"):
        back = reverse("inspections:plan_list")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        from sanxiang.lib import codes

        try:
            uscc = codes.validate_uscc(d["uscc"])
            target = Target.objects.filter(agency=agency, uscc=uscc).first()
            if target is None:
                raise DomainError("名录库中没有该统一社会信用代码的检查对象", field="uscc")
            services.conflict_declare(
                actor=request.user, officer=d["officer"], target=target, reason=d["reason"]
            )
            messages.success(request, "利益冲突已申报并记入账本。")
            return redirect(back)
        except codes.CodeError as exc:
            form.add_error("uscc", exc.message)
        except DomainError as exc:
            _form_error(form, exc)
    return render(request, "inspections/conflict_form.html", {"form": form, "next": back})


# --- tasks -----------------------------------------------------------------------------------


@login_required
def task_list(request):
    _need(request, "inspections.view_task", "查看检查任务")
    mine = request.GET.get("mine") == "1"
    state = request.GET.get("state", "")
    tasks = selectors.task_list(user=request.user, agency=_agency(request), mine=mine, state=state)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(t, selectors.publication_due(t, today=today)) for t in page]
    return render(
        request,
        "inspections/task_list.html",
        {"page": page, "rows": rows, "mine": mine, "state": state},
    )


@login_required
def task_detail(request, pk: int):
    _need(request, "inspections.view_task", "查看检查任务")
    task = get_object_or_404(Task, pk=pk, plan__agency=_agency(request))
    return _task_page(request, task)


def _task_page(request, task: Task, *, status: int = 200, **forms_given):
    """The task page: facts, the on-site inspection (现场检查笔录, evidence), the result."""
    from sanxiang.records.evidence.selectors import holder_evidence
    from sanxiang.records.evidence.tus import UploadSession

    from .services.onsite import onsite_problems

    task = selectors.task_detail(task.pk)
    today = timezone.localdate()
    user = request.user
    can_onsite = not onsite_problems(task, user)
    can_record = (
        not task.result
        and task.plan.state == PlanState.DRAWN
        and (selectors.is_task_inspector(task, user) or user.has_perm("inspections.manage_plans"))
    )
    now = timezone.localtime().replace(second=0, microsecond=0)
    context = {
        "task": task,
        "form": forms.ResultForm(initial={"inspected_on": today, "result": TaskResult.NONE_FOUND}),
        "can_record": can_record,
        "can_publish": bool(task.result)
        and task.published_at is None
        and user.has_perm("inspections.publish_result"),
        "due": selectors.publication_due(task, today=today),
        "timeline": selectors.task_timeline(task),
        "can_onsite": can_onsite and user.has_perm("records.add_generateddocument"),
        "can_upload": can_onsite and user.has_perm("records.add_evidence"),
        "records": list(
            task.records.select_related("document__final_scan", "recorder").order_by("pk")
        ),
        "evidence": list(holder_evidence(task)) if user.has_perm("records.view_evidence") else [],
        "record_form": forms.TaskRecordForm(
            prefix="rec",
            initial={
                "started_at": now - dt.timedelta(hours=1),
                "ended_at": now,
                "place": task.target.address,
                "recusal_answer": "不申请回避",
            },
        ),
        "evidence_form": forms.TaskEvidenceForm(
            task=task, user=user, initial={"place": task.target.address}
        ),
        "scan_form": forms.ScanForm(auto_id="scan_%s"),
        "tus_endpoint": reverse("records:tus_uploads"),
        "holder_ref": f"inspections.task:{task.pk}",
        "session": None,
    }
    context.update(forms_given)
    upload_id = forms_given.get("evidence_form") and forms_given["evidence_form"].data.get(
        "upload_id", ""
    )
    if upload_id:
        session = UploadSession.objects.filter(
            pk=upload_id if _is_uuid(upload_id) else None, owner=user, status="complete"
        ).first()
        context["session"] = session
        if session is None:
            data = context["evidence_form"].data.copy()
            data["upload_id"] = ""
            context["evidence_form"].data = data
    return render(request, "inspections/task_detail.html", context, status=status)


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@login_required
@require_POST
def task_result(request, pk: int):
    _need(request, "inspections.view_task", "登记检查结果")
    task = get_object_or_404(Task, pk=pk, plan__agency=_agency(request))
    form = forms.ResultForm(request.POST)
    if form.is_valid():
        try:
            services.task_result_record(actor=request.user, task=task, **form.cleaned_data)
            messages.success(request, "检查结果已登记。请在20个工作日内公开。")
            return redirect("inspections:task_detail", pk=task.pk)
        except NotPermitted as exc:  # not a drawn officer of this task: a refusal, not a form error
            raise PermissionDenied(exc.message) from None
        except DomainError as exc:
            _form_error(form, exc)
    return _task_page(request, task, status=400, form=form, can_record=True, can_publish=False)


@login_required
@require_POST
def task_record(request, pk: int):
    """制作现场检查笔录 (a drawn officer)."""
    _need(request, "inspections.view_task", "制作现场检查笔录")
    task = get_object_or_404(Task, pk=pk, plan__agency=_agency(request))
    form = forms.TaskRecordForm(request.POST, prefix="rec")
    if form.is_valid():
        try:
            record = services.task_record_make(actor=request.user, task=task, **form.cleaned_data)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request,
                f"现场检查笔录已制作（验证码 {record.document.grouped_code}），PDF 的 SHA-256 与 SM3 "
                "已记入账本。请打印，由在场人逐页签名后上传签章扫描件。",
            )
            return redirect(reverse("inspections:task_detail", args=[task.pk]) + "#h-onsite")
    return _task_page(request, task, status=400, record_form=form, record_open=True)


@login_required
@require_POST
def task_record_scan(request, pk: int, record_pk: int):
    """上传现场检查笔录的签章扫描件."""
    _need(request, "inspections.view_task", "上传签章扫描件")
    task = get_object_or_404(Task, pk=pk, plan__agency=_agency(request))
    record = get_object_or_404(TaskRecord, pk=record_pk, task=task)
    form = forms.ScanForm(request.POST, request.FILES, auto_id="scan_%s")
    if form.is_valid():
        try:
            services.task_record_scan_attach(
                actor=request.user, record=record, uploaded_file=form.cleaned_data["file"]
            )
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "签章扫描件已上传，哈希已记入账本。")
            return redirect(reverse("inspections:task_detail", args=[task.pk]) + "#h-onsite")
    return _task_page(request, task, status=400, scan_form=form, scan_record=record.pk)


@csrf_exempt
def task_evidence(request, pk: int):
    """Evidence upload of a task. As for a case's evidence, the hashing upload handler must be
    in place before anything reads request.POST — so the CSRF check runs inside."""
    from sanxiang.records.evidence import config
    from sanxiang.records.evidence.hashing import EvidenceUploadHandler

    request.upload_handlers = [EvidenceUploadHandler(request, limit=config.form_max_bytes())]
    return _task_evidence(request, pk)


@csrf_protect
@login_required
@require_POST
def _task_evidence(request, pk: int):
    from pathlib import Path

    from sanxiang.records.evidence import services as evidence_services
    from sanxiang.records.evidence import tus

    _need(request, "records.add_evidence", "上传证据")
    task = get_object_or_404(Task, pk=pk, plan__agency=_agency(request))
    form = forms.TaskEvidenceForm(request.POST, request.FILES, task=task, user=request.user)
    error = getattr(request, "evidence_upload_error", "")
    if form.is_valid() and not error:
        upload = request.FILES.get("file")
        upload_id = form.cleaned_data["upload_id"]
        try:
            evidence = services.task_evidence_add(
                actor=request.user,
                task=task,
                upload_id=upload_id,
                incoming=None
                if upload_id
                else evidence_services.Incoming(
                    path=Path(upload.temporary_file_path()),
                    original_name=upload.name,
                    digests=upload.digests,
                    via="form",
                ),
                **form.service_kwargs(),
            )
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        except DomainError as exc:
            _form_error(form, exc)
            if exc.code == "duplicate" and upload_id:
                session = tus.UploadSession.objects.filter(pk=upload_id, owner=request.user).first()
                if session is not None:
                    tus.upload_terminate(session=session)
        else:
            messages.success(
                request,
                f"证据{evidence.number}已登记：SHA-256 与 SM3 哈希已在上传的同一事务中记入账本。",
            )
            return redirect(reverse("inspections:task_detail", args=[task.pk]) + "#h-evidence")
    elif error:
        form.add_error("file", error)
    return _task_page(request, task, status=400, evidence_form=form, evidence_open=True)


@login_required
@require_POST
def task_publish(request, pk: int):
    _need(request, "inspections.publish_result", "公开检查结果")
    task = get_object_or_404(Task, pk=pk, plan__agency=_agency(request))
    try:
        services.task_result_publish(actor=request.user, task=task)
        messages.success(request, "检查结果已在门户公开。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("inspections:task_detail", pk=task.pk)
