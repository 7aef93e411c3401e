"""Registry pages: parse → permission → service → render. DomainError becomes a form error."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from sanxiang.accounts.http import require_perm as _need
from sanxiang.lib.errors import DomainError, NotPermitted

from . import forms, rules, selectors, services
from .models import (
    Agency,
    Certificate,
    LegalQualification,
    Officer,
    RecordingDevice,
    ReviewerDesignation,
    Training,
    Unit,
)

PAGE_SIZE = 50

STATE_FILTERS = [
    ("", "全部"),
    ("valid", "有效"),
    ("expiring", "即将到期"),
    ("problem", "无有效证件（过期、暂扣、未生效、无证）"),
]
STATE_BADGES = {
    "valid": "badge-ok",
    "expiring": "badge-soon",
    "expired": "badge-overdue",
    "suspended": "badge-overdue",
    "ended": "badge",
    "pending": "badge-info",
    "none": "badge-overdue",
}


def _default_agency(request) -> Agency | None:
    unit = getattr(request.user, "unit", None)
    if unit is not None:
        return unit.agency
    return Agency.objects.filter(is_active=True).order_by("name").first()


def _submit(form, action: Callable[[], object]):
    """Run a service; on DomainError put its message on the form (field or form-wide)."""
    try:
        return action()
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        field = (
            exc.field
            if exc.field in form.fields and not form.fields[exc.field].widget.is_hidden
            else None
        )
        form.add_error(field, exc.message)
        return None


def _form_page(
    request, form, *, title: str, submit: str, cancel: str, intro: str = "", danger: bool = False
):
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": title,
            "submit": submit,
            "cancel": cancel,
            "intro": intro,
            "danger": danger,
        },
    )


# --- officers and certificates -------------------------------------------------------------


@login_required
def officer_list(request):
    _need(request, "registry.view_officer", "查看执法人员名录")
    today = timezone.localdate()
    q = request.GET.get("q", "").strip()[:50]
    unit_id = request.GET.get("unit", "")
    state = request.GET.get("state", "")
    include_inactive = request.GET.get("inactive") == "1"
    officers = selectors.officer_list(
        q=q, unit_id=int(unit_id) if unit_id.isdigit() else None, include_inactive=include_inactive
    )
    rows = selectors.officer_rows(officers, today=today)
    if state == "valid":
        rows = [r for r in rows if r.state == "valid"]
    elif state == "expiring":
        rows = [r for r in rows if r.state == "expiring"]
    elif state == "problem":
        rows = [r for r in rows if r.officer.is_active and r.state not in ("valid", "expiring")]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/officer_list.html",
        {
            "page": page,
            "rows": page.object_list,
            "badges": STATE_BADGES,
            "units": Unit.objects.filter(is_active=True).order_by("agency__name", "name"),
            "filters": {"q": q, "unit": unit_id, "state": state, "inactive": include_inactive},
            "state_filters": STATE_FILTERS,
            "today": today,
            "can_add": request.user.has_perm("registry.add_officer"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def officer_new(request):
    _need(request, "registry.add_officer", "登记执法人员")
    form = forms.OfficerRegisterForm(request.POST or None, default_agency=_default_agency(request))
    if request.method == "POST" and form.is_valid():
        officer = _submit(
            form,
            lambda: services.officer_register(
                actor=request.user,
                user=form.cleaned_data["user"],
                agency=form.cleaned_data["agency"],
                post=form.cleaned_data["post"],
            ),
        )
        if officer is not None:
            messages.success(request, f"已将{officer.name}列入执法人员名录，请继续登记其执法证件。")
            return redirect("registry:certificate_new", pk=officer.pk)
    return _form_page(
        request,
        form,
        title="登记执法人员",
        submit="列入名录",
        cancel=reverse("registry:officer_list"),
        intro="执法人员名录是事前公示（姓名、单位、岗位、执法证号）和“双随机”抽取检查人员的依据。"
        "列入名录后还须登记有效的执法证件，才能参与调查取证等执法活动。",
    )


@login_required
def officer_detail(request, pk: int):
    _need(request, "registry.view_officer", "查看执法人员")
    try:
        officer = selectors.officer_detail(pk)
    except Officer.DoesNotExist:
        raise Http404("没有找到该记录") from None
    today = timezone.localdate()
    certs = [
        {
            "cert": c,
            "state": rules.certificate_state(c.facts(), today),
            "suspensions": list(c.suspensions.all()),
        }
        for c in officer.certificates.all()
    ]
    problems = (
        rules.holder_problems([c["cert"].facts() for c in certs], today)
        if officer.is_active
        else []
    )
    return render(
        request,
        "registry/officer_detail.html",
        {
            "officer": officer,
            "certs": certs,
            "badges": STATE_BADGES,
            "problems": problems,
            "qualifications": LegalQualification.objects.filter(holder=officer.user).order_by(
                "-granted_on"
            ),
            "designations": ReviewerDesignation.objects.filter(user=officer.user).select_related(
                "agency"
            ),
            "trainings": selectors.trainings_of(officer.user)[:20],
            "devices": selectors.devices_held_by(officer.user),
            "today": today,
            "can_change": request.user.has_perm("registry.change_officer"),
            "can_add_cert": request.user.has_perm("registry.add_certificate"),
            "can_change_cert": request.user.has_perm("registry.change_certificate"),
            "can_add_qual": request.user.has_perm("registry.add_legalqualification"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def officer_edit(request, pk: int):
    _need(request, "registry.change_officer", "修改执法人员信息")
    officer = get_object_or_404(Officer.objects.select_related("user"), pk=pk)
    form = forms.OfficerEditForm(request.POST or None, initial={"post": officer.post})
    if request.method == "POST" and form.is_valid():
        if _submit(
            form,
            lambda: services.officer_update(
                actor=request.user, officer=officer, post=form.cleaned_data["post"]
            ),
        ):
            messages.success(request, "岗位已修改。")
            return redirect("registry:officer_detail", pk=pk)
    return _form_page(
        request,
        form,
        title=f"修改岗位：{officer.name}",
        submit="保存",
        cancel=reverse("registry:officer_detail", args=[pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def officer_leave(request, pk: int):
    _need(request, "registry.change_officer", "办理执法人员离岗")
    officer = get_object_or_404(Officer.objects.select_related("user"), pk=pk)
    form = forms.OfficerLeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _submit(
            form,
            lambda: services.officer_leave(
                actor=request.user,
                officer=officer,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if done:
            messages.success(request, f"{officer.name}已离岗，其在用执法证件已注销。")
            return redirect("registry:officer_detail", pk=pk)
    return _form_page(
        request,
        form,
        title=f"办理离岗：{officer.name}",
        submit="确认离岗",
        danger=True,
        cancel=reverse("registry:officer_detail", args=[pk]),
        intro="离岗后该人员不再列入执法人员名录和公示名单，不能被指派或抽取参与执法；"
        "如仍领用音像记录设备，须先办理归还。",
    )


@login_required
@require_http_methods(["GET", "POST"])
def certificate_new(request, pk: int):
    _need(request, "registry.add_certificate", "登记执法证件")
    officer = get_object_or_404(Officer.objects.select_related("user"), pk=pk)
    form = forms.CertificateForm(
        request.POST or None, initial={"kind": Certificate.Kind.ENFORCEMENT}
    )
    if request.method == "POST" and form.is_valid():
        cert = _submit(
            form,
            lambda: services.certificate_record(
                actor=request.user, officer=officer, **form.cleaned_data
            ),
        )
        if cert is not None:
            messages.success(request, f"已登记{cert}。")
            return redirect("registry:officer_detail", pk=pk)
    return _form_page(
        request,
        form,
        title=f"登记执法证件：{officer.name}",
        submit="登记",
        cancel=reverse("registry:officer_detail", args=[pk]),
        intro="请对照证件原件逐项填写。证件号码将在执法文书、询问笔录和公示名单中显示。",
    )


def _cert_or_404(pk: int) -> Certificate:
    return get_object_or_404(Certificate.objects.select_related("officer__user"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def certificate_suspend(request, pk: int):
    _need(request, "registry.change_certificate", "暂扣执法证件")
    cert = _cert_or_404(pk)
    form = forms.SuspendForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if _submit(
            form,
            lambda: services.certificate_suspend(
                actor=request.user, certificate=cert, **form.cleaned_data
            ),
        ):
            messages.success(request, f"{cert}已暂扣。")
            return redirect("registry:officer_detail", pk=cert.officer_id)
    return _form_page(
        request,
        form,
        title=f"暂扣{cert}（{cert.officer.name}）",
        submit="暂扣",
        danger=True,
        cancel=reverse("registry:officer_detail", args=[cert.officer_id]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def certificate_reinstate(request, pk: int):
    _need(request, "registry.change_certificate", "发还执法证件")
    cert = _cert_or_404(pk)
    form = forms.ReinstateForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if _submit(
            form,
            lambda: services.certificate_reinstate(
                actor=request.user, certificate=cert, **form.cleaned_data
            ),
        ):
            messages.success(request, f"{cert}已发还。")
            return redirect("registry:officer_detail", pk=cert.officer_id)
    return _form_page(
        request,
        form,
        title=f"发还{cert}（{cert.officer.name}）",
        submit="发还",
        cancel=reverse("registry:officer_detail", args=[cert.officer_id]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def certificate_end(request, pk: int):
    _need(request, "registry.change_certificate", "注销或吊销执法证件")
    cert = _cert_or_404(pk)
    form = forms.CertificateEndForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if _submit(
            form,
            lambda: services.certificate_end(
                actor=request.user, certificate=cert, **form.cleaned_data
            ),
        ):
            messages.success(
                request, f"{cert}已{dict(form.fields['how'].choices)[form.cleaned_data['how']]}。"
            )
            return redirect("registry:officer_detail", pk=cert.officer_id)
    return _form_page(
        request,
        form,
        title=f"注销或吊销{cert}（{cert.officer.name}）",
        submit="确认",
        danger=True,
        cancel=reverse("registry:officer_detail", args=[cert.officer_id]),
        intro="换发新证时无需在此注销：登记新证后原证自动记为“已换发”。",
    )


# --- legal qualifications and review staff -------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def qualification_new(request):
    _need(request, "registry.add_legalqualification", "登记法律职业资格")
    holder = request.GET.get("holder", "")
    form = forms.QualificationForm(
        request.POST or None, initial={"holder": holder if holder.isdigit() else None}
    )
    back = request.GET.get("next") or reverse("registry:reviewer_list")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("registry:reviewer_list")
    if request.method == "POST" and form.is_valid():
        q = _submit(
            form, lambda: services.qualification_record(actor=request.user, **form.cleaned_data)
        )
        if q is not None:
            messages.success(request, f"已为{q.holder}登记{q.get_kind_display()}。")
            return redirect(back)
    return _form_page(
        request,
        form,
        title="登记法律职业资格",
        submit="登记",
        cancel=back,
        intro="行政处罚法第五十八条第二款：行政机关中初次从事行政处罚决定法制审核的人员，"
        "应当通过国家统一法律职业资格考试取得法律职业资格。",
    )


@login_required
@require_http_methods(["GET", "POST"])
def qualification_withdraw(request, pk: int):
    _need(request, "registry.change_legalqualification", "撤销法律职业资格")
    q = get_object_or_404(LegalQualification.objects.select_related("holder"), pk=pk)
    form = forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _submit(
            form,
            lambda: services.qualification_withdraw(
                actor=request.user, qualification=q, **form.cleaned_data
            ),
        ):
            messages.success(request, "已登记撤销。")
            return redirect("registry:reviewer_list")
    return _form_page(
        request,
        form,
        title=f"撤销{q}（{q.holder}）",
        submit="撤销",
        danger=True,
        cancel=reverse("registry:reviewer_list"),
    )


@login_required
def reviewer_list(request):
    _need(request, "registry.view_reviewerdesignation", "查看法制审核人员")
    today = timezone.localdate()
    include_ended = request.GET.get("ended") == "1"
    rows = selectors.reviewer_rows(
        selectors.reviewer_list(include_ended=include_ended), today=today
    )
    ratios = [
        (agency, selectors.reviewer_ratio(agency=agency, on=today))
        for agency in Agency.objects.filter(is_active=True).order_by("name")
    ]
    return render(
        request,
        "registry/reviewer_list.html",
        {
            "rows": rows,
            "ratios": ratios,
            "include_ended": include_ended,
            "today": today,
            "target_percent": int(rules.REVIEWER_RATIO_TARGET * 100),
            "can_add": request.user.has_perm("registry.add_reviewerdesignation"),
            "can_change": request.user.has_perm("registry.change_reviewerdesignation"),
            "can_add_qual": request.user.has_perm("registry.add_legalqualification"),
            "can_change_qual": request.user.has_perm("registry.change_legalqualification"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reviewer_new(request):
    _need(request, "registry.add_reviewerdesignation", "指定法制审核人员")
    form = forms.ReviewerForm(
        request.POST or None,
        default_agency=_default_agency(request),
        initial={"designated_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        d = _submit(
            form, lambda: services.reviewer_designate(actor=request.user, **form.cleaned_data)
        )
        if d is not None:
            messages.success(request, f"已指定{d.user}为法制审核人员。")
            return redirect("registry:reviewer_list")
    return _form_page(
        request,
        form,
        title="指定法制审核人员",
        submit="指定",
        cancel=reverse("registry:reviewer_list"),
        intro="实施方案：局劳动监察和信访仲裁股为重大执法决定法制审核的工作机构，局法律顾问参与审核。"
        "法制审核人员原则上不少于本单位执法人员总数的5%。",
    )


@login_required
@require_http_methods(["GET", "POST"])
def reviewer_end(request, pk: int):
    _need(request, "registry.change_reviewerdesignation", "终止法制审核人员指定")
    d = get_object_or_404(ReviewerDesignation.objects.select_related("user"), pk=pk)
    form = forms.EndForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if _submit(
            form,
            lambda: services.reviewer_end(actor=request.user, designation=d, **form.cleaned_data),
        ):
            messages.success(request, f"{d.user}不再担任法制审核人员。")
            return redirect("registry:reviewer_list")
    return _form_page(
        request,
        form,
        title=f"终止指定：{d.user}",
        submit="终止",
        danger=True,
        cancel=reverse("registry:reviewer_list"),
    )


# --- training -----------------------------------------------------------------------------


@login_required
def training_list(request):
    _need(request, "registry.view_training", "查看执法培训")
    today = timezone.localdate()
    year_raw = request.GET.get("year", "")
    year = int(year_raw) if year_raw.isdigit() and 2000 <= int(year_raw) <= 2100 else today.year
    duty = [
        (agency, selectors.training_duty_met(agency=agency, year=year))
        for agency in Agency.objects.filter(is_active=True).order_by("name")
    ]
    untrained = [
        officer
        for agency, _ in duty
        for officer in selectors.officers_without_training(agency=agency, year=year)
    ]
    years = sorted(
        {d.year for d in Training.objects.dates("held_on", "year")} | {today.year}, reverse=True
    )
    return render(
        request,
        "registry/training_list.html",
        {
            "trainings": selectors.training_list(year=year),
            "year": year,
            "years": years,
            "duty": duty,
            "untrained": untrained,
            "current_year": year == today.year,
            "can_add": request.user.has_perm("registry.add_training"),
        },
    )


@login_required
def training_detail(request, pk: int):
    _need(request, "registry.view_training", "查看执法培训")
    try:
        training = selectors.training_detail(pk)
    except Training.DoesNotExist:
        raise Http404("没有找到该记录") from None
    return render(
        request,
        "registry/training_detail.html",
        {
            "training": training,
            "attendance": sorted(
                training.attendance.all(),
                key=lambda a: (a.user.unit.name if a.user.unit else "", a.user.real_name),
            ),
            "can_change": request.user.has_perm("registry.change_training"),
        },
    )


def _training_data(form) -> tuple[dict, list]:
    data = dict(form.cleaned_data)
    attendees = list(data.pop("attendees"))
    data.pop("agency", None)
    return data, attendees


@login_required
@require_http_methods(["GET", "POST"])
def training_new(request):
    _need(request, "registry.add_training", "登记培训")
    form = forms.TrainingForm(
        request.POST or None,
        default_agency=_default_agency(request),
        initial={
            "topic": Training.Topic.THREE_SYSTEMS,
            "organiser": getattr(_default_agency(request), "name", ""),
        },
    )
    if request.method == "POST" and form.is_valid():
        data, attendees = _training_data(form)
        t = _submit(
            form,
            lambda: services.training_record(
                actor=request.user,
                agency=form.cleaned_data["agency"],
                data=data,
                attendees=attendees,
            ),
        )
        if t is not None:
            messages.success(request, f"已登记培训“{t.title}”。")
            return redirect("registry:training_detail", pk=t.pk)
    return _form_page(
        request,
        form,
        title="登记培训",
        submit="登记",
        cancel=reverse("registry:training_list"),
        intro="实施方案要求每年至少开展1次本系统“三项制度”专题学习培训或者业务交流。请在培训举办后登记。",
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_edit(request, pk: int):
    _need(request, "registry.change_training", "修改培训记录")
    training = get_object_or_404(Training, pk=pk)
    initial = {
        f: getattr(training, f)
        for f in ("title", "topic", "held_on", "hours", "organiser", "place", "summary")
    }
    initial["attendees"] = list(training.attendance.values_list("user_id", flat=True))
    form = forms.TrainingForm(request.POST or None, default_agency=training.agency, initial=initial)
    form.fields["agency"].disabled = True
    if request.method == "POST" and form.is_valid():
        data, attendees = _training_data(form)
        if _submit(
            form,
            lambda: services.training_update(
                actor=request.user, training=training, data=data, attendees=attendees
            ),
        ):
            messages.success(request, "培训记录已修改。")
            return redirect("registry:training_detail", pk=pk)
    return _form_page(
        request,
        form,
        title=f"修改培训：{training.title}",
        submit="保存",
        cancel=reverse("registry:training_detail", args=[pk]),
    )


# --- recording devices -----------------------------------------------------------------


@login_required
def device_list(request):
    _need(request, "registry.view_recordingdevice", "查看音像记录设备")
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()[:50]
    devices = selectors.device_list(
        kind=kind if kind in RecordingDevice.Kind.values else "",
        status=status if status in RecordingDevice.Status.values else "",
        q=q,
    )
    page = Paginator(devices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/device_list.html",
        {
            "page": page,
            "devices": page.object_list,
            "filters": {"kind": kind, "status": status, "q": q},
            "kinds": RecordingDevice.Kind.choices,
            "statuses": RecordingDevice.Status.choices,
            "can_add": request.user.has_perm("registry.add_recordingdevice"),
        },
    )


@login_required
def device_detail(request, pk: int):
    _need(request, "registry.view_recordingdevice", "查看音像记录设备")
    try:
        device = selectors.device_detail(pk)
    except RecordingDevice.DoesNotExist:
        raise Http404("没有找到该记录") from None
    assignments = list(device.assignments.all())
    current = next((a for a in assignments if a.returned_at is None), None)
    can_change = request.user.has_perm("registry.change_recordingdevice")
    return render(
        request,
        "registry/device_detail.html",
        {
            "device": device,
            "assignments": assignments,
            "current": current,
            "can_change": can_change,
            "can_return": current is not None
            and (can_change or current.holder_id == request.user.pk),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def device_new(request):
    _need(request, "registry.add_recordingdevice", "登记音像记录设备")
    form = forms.DeviceForm(
        request.POST or None,
        default_agency=_default_agency(request),
        initial={"kind": RecordingDevice.Kind.BODY_CAMERA, "commissioned_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        d = _submit(form, lambda: services.device_register(actor=request.user, **form.cleaned_data))
        if d is not None:
            messages.success(request, f"已登记{d}。")
            return redirect("registry:device_detail", pk=d.pk)
    return _form_page(
        request,
        form,
        title="登记音像记录设备",
        submit="登记",
        cancel=reverse("registry:device_list"),
        intro="音像记录文件将关联到拍摄设备及当时的领用人（记录要素）。",
    )


@login_required
@require_http_methods(["GET", "POST"])
def device_issue(request, pk: int):
    _need(request, "registry.change_recordingdevice", "办理设备领用")
    device = get_object_or_404(RecordingDevice.objects.select_related("agency"), pk=pk)
    form = forms.DeviceIssueForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        a = _submit(
            form,
            lambda: services.device_issue(actor=request.user, device=device, **form.cleaned_data),
        )
        if a is not None:
            messages.success(request, f"{device}已由{a.holder}领用。")
            return redirect("registry:device_detail", pk=pk)
    return _form_page(
        request,
        form,
        title=f"领用{device}",
        submit="登记领用",
        cancel=reverse("registry:device_detail", args=[pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def device_return(request, pk: int):
    device = get_object_or_404(RecordingDevice, pk=pk)
    holder_id = (
        device.assignments.filter(returned_at__isnull=True)
        .values_list("holder_id", flat=True)
        .first()
    )
    if holder_id != request.user.pk:
        _need(request, "registry.change_recordingdevice", "办理设备归还")
    form = forms.DeviceReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _submit(
            form,
            lambda: services.device_return(actor=request.user, device=device, **form.cleaned_data),
        ):
            messages.success(request, f"{device}已归还。")
            return redirect("registry:device_detail", pk=pk)
    return _form_page(
        request,
        form,
        title=f"归还{device}",
        submit="登记归还",
        cancel=reverse("registry:device_detail", args=[pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def device_status(request, pk: int):
    _need(request, "registry.change_recordingdevice", "变更设备状态")
    device = get_object_or_404(RecordingDevice, pk=pk)
    form = forms.DeviceStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _submit(
            form,
            lambda: services.device_set_status(
                actor=request.user, device=device, **form.cleaned_data
            ),
        ):
            messages.success(request, f"{device}状态已变更。")
            return redirect("registry:device_detail", pk=pk)
    return _form_page(
        request,
        form,
        title=f"变更状态：{device}（当前：{device.get_status_display()}）",
        submit="确认变更",
        cancel=reverse("registry:device_detail", args=[pk]),
    )
