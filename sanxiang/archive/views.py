"""Archive pages: parse → permission → service/selector → render. Every opening of a sealed
file and every file taken out of it is a security event in the ledger (the access log)."""

from __future__ import annotations

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from sanxiang.accounts.http import require_perm as _need
from sanxiang.accounts.http import user_agency as _agency
from sanxiang.ledger.audit import security_event
from sanxiang.lib.errors import DomainError, NotPermitted

from . import completeness, config, forms, register, rules, selectors, services
from .models import Borrowing, Classification, FileItem
from .package import package_export

PAGE_SIZE = 50
PREVIEW_ROWS = 50


def _case(request, case_pk: int):
    from sanxiang.cases.models import Case

    _need(request, "archive.view_casefile", "查阅案卷")
    case = Case.objects.select_related("agency").filter(pk=case_pk).first()
    if case is None:
        raise Http404("没有找到该案件")
    agency = _agency(request.user)
    if agency is not None and agency.pk != case.agency_id:
        raise PermissionDenied("该案件不属于您所在的执法主体")
    return case


def _back(case) -> str:
    return reverse("archive:casefile", args=[case.pk])


def _run(request, case, action, success: str):
    """Call a service; turn its refusal into a message on the file page."""
    try:
        action()
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from None
    except DomainError as exc:
        reasons = getattr(exc, "reasons", None) or [str(exc)]
        for reason in reasons:
            messages.error(request, reason)
        return redirect(_back(case))
    messages.success(request, success)
    return redirect(_back(case))


# --- list and file page ------------------------------------------------------------------------


@login_required
@require_GET
def file_list(request):
    _need(request, "archive.view_casefile", "查阅案卷")
    agency = _agency(request.user)
    status = request.GET.get("status", "")
    if status not in ("", "assembled", "sealed"):
        status = ""
    page = Paginator(selectors.casefile_list(agency=agency, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "archive/file_list.html",
        {
            "page": page,
            "files": page.object_list,
            "status": status,
            "waiting": selectors.closed_unfiled(agency=agency)[:100],
            "retention_labels": rules.RETENTION_LABELS,
        },
    )


@login_required
@require_GET
def casefile_page(request, case_pk: int):
    case = _case(request, case_pk)
    case_file = selectors.casefile_of(case)
    user = request.user
    access = selectors.access(case_file, user) if case_file else None
    if case_file is not None and case_file.is_sealed:
        # 查阅 of an archived file is an access event, whatever the outcome.
        security_event(
            request,
            "security.archive_viewed",
            subject=case,
            case_file=case_file.pk,
            archive_no=case_file.archive_no,
        )
    problems = [] if case_file and case_file.is_sealed else completeness.check(case)
    archivist = user.has_perm("archive.seal_casefile")
    return render(
        request,
        "archive/casefile.html",
        {
            "case": case,
            "file": case_file,
            "volumes": selectors.volumes(case_file) if case_file else {},
            "access": access,
            "problems": problems,
            "blocking": [p for p in problems if p.blocking],
            "archivist": archivist,
            "may_classify": archivist and case_file is not None and not case_file.is_sealed,
            "classify_choices": Classification.choices,
            "may_assemble": user.has_perm("archive.assemble_casefile"),
            "may_export": user.has_perm("archive.export_package"),
            "may_borrow": user.has_perm("archive.add_borrowing"),
            "borrowings": selectors.borrowings_for(case_file) if case_file else [],
            "my_borrowing": selectors.active_borrowing(case_file, user) if case_file else None,
            "log": selectors.access_log(case_file) if case_file and archivist else [],
            "sections": rules.SECTION_LABELS,
            "retention_labels": rules.RETENTION_LABELS,
            "classify_form": forms.ClassifyForm(),
            "retention_form": forms.RetentionForm(
                initial={"retention": case_file.retention} if case_file else None
            ),
            "borrow_form": forms.BorrowRequestForm(),
        },
    )


# --- actions ---------------------------------------------------------------------------------


@login_required
@require_POST
def assemble(request, case_pk: int):
    case = _case(request, case_pk)
    return _run(
        request,
        case,
        lambda: services.casefile_assemble(actor=request.user, case=case),
        "已组卷：文件已按标准顺序排列并编好页号",
    )


@login_required
@require_POST
def seal(request, case_pk: int):
    case = _case(request, case_pk)
    case_file = selectors.casefile_of(case)
    if case_file is None:
        raise Http404("尚未组卷")
    return _run(
        request,
        case,
        lambda: services.casefile_seal(actor=request.user, case_file=case_file),
        "案卷已封存：已编档号、生成封面、卷内目录和备考表，封存清单已记入账本",
    )


@login_required
@require_POST
def retention(request, case_pk: int):
    case = _case(request, case_pk)
    case_file = selectors.casefile_of(case)
    if case_file is None:
        raise Http404("尚未组卷")
    form = forms.RetentionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择保管期限并填写调整理由")
        return redirect(_back(case))
    return _run(
        request,
        case,
        lambda: services.casefile_set_retention(
            actor=request.user,
            case_file=case_file,
            retention=form.cleaned_data["retention"],
            reason=form.cleaned_data["reason"],
        ),
        "保管期限已调整",
    )


@login_required
@require_POST
def classify(request, case_pk: int, item_pk: int):
    case = _case(request, case_pk)
    item = FileItem.objects.filter(pk=item_pk, case_file__case=case).first()
    if item is None:
        raise Http404("卷内没有该文件")
    form = forms.ClassifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "密级选择有误")
        return redirect(_back(case))
    label = dict(form.fields["classification"].choices)[form.cleaned_data["classification"]]
    return _run(
        request,
        case,
        lambda: services.item_classify(
            actor=request.user,
            item=item,
            classification=form.cleaned_data["classification"],
            reason=form.cleaned_data["reason"],
        ),
        f"《{item.title}》已划为“{label}”"
        + ("并移入副卷" if form.cleaned_data["classification"] else "，列入正卷"),
    )


class _TempFile:
    """A file handed to FileResponse that removes itself when the response is closed."""

    def __init__(self, path):
        self.path = path
        self.handle = open(path, "rb")  # noqa: SIM115 - closed by FileResponse

    def read(self, *args):
        return self.handle.read(*args)

    def close(self):
        self.handle.close()
        try:
            os.unlink(self.path)
        except OSError:
            pass


@login_required
@require_POST
def export_package(request, case_pk: int):
    case = _case(request, case_pk)
    case_file = selectors.casefile_of(case)
    if case_file is None:
        raise Http404("尚未组卷")
    include = request.POST.get("include_restricted") == "1"
    try:
        package = package_export(
            actor=request.user, case_file=case_file, request=request, include_restricted=include
        )
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from None
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(_back(case))
    return FileResponse(
        _TempFile(package.path),
        as_attachment=True,
        filename=package.filename,
        content_type="application/zip",
    )


@login_required
@require_GET
def item_file(request, case_pk: int, item_pk: int):
    case = _case(request, case_pk)
    item = (
        FileItem.objects.select_related("case_file")
        .filter(pk=item_pk, case_file__case=case)
        .first()
    )
    if item is None:
        raise Http404("卷内没有该文件")
    access = selectors.access(item.case_file, request.user)
    allowed = access.restricted if item.restricted else access.main
    details = {"case_file": item.case_file_id, "item": item.pk, "item_title": item.title[:80]}
    if not allowed:
        security_event(request, "security.archive_denied", result="denied", subject=case, **details)
        raise PermissionDenied(access.reason or "您没有查阅该文件的权限")
    security_event(request, "security.archive_item_downloaded", subject=case, **details)
    ext = item.file_name.rsplit(".", 1)[-1]
    return FileResponse(
        default_storage.open(item.file_name, "rb"),
        as_attachment=request.GET.get("download") == "1",
        filename=f"{item.case_file.archive_no or 'file'}-{item.position:03d}.{ext}",
        content_type=item.content_type,
    )


# --- borrowing ---------------------------------------------------------------------------------


@login_required
@require_POST
def borrow_request(request, case_pk: int):
    case = _case(request, case_pk)
    case_file = selectors.casefile_of(case)
    if case_file is None:
        raise Http404("尚未组卷")
    form = forms.BorrowRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写借阅目的")
        return redirect(_back(case))
    return _run(
        request,
        case,
        lambda: services.borrowing_request(
            actor=request.user,
            case_file=case_file,
            purpose=form.cleaned_data["purpose"],
            include_restricted=form.cleaned_data["include_restricted"],
        ),
        "借阅申请已提交，待档案管理员审批",
    )


@login_required
@require_GET
def borrowing_list(request):
    _need(request, "archive.view_borrowing", "查看借阅")
    agency = _agency(request.user)
    archivist = request.user.has_perm("archive.decide_borrowing")
    return render(
        request,
        "archive/borrowings.html",
        {
            "archivist": archivist,
            "pending": selectors.borrowings_pending(agency=agency) if archivist else [],
            "out": selectors.borrowings_out(agency=agency) if archivist else [],
            "mine": selectors.borrowings_of(request.user)[:100],
            "today": timezone.localdate(),
            "borrow_days": config.borrow_days(),
        },
    )


def _borrowing(pk: int) -> Borrowing:
    row = Borrowing.objects.select_related("case_file").filter(pk=pk).first()
    if row is None:
        raise Http404("没有该借阅记录")
    return row


def _borrow_run(request, action, success: str):
    try:
        action()
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from None
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect(reverse("archive:borrowing_list"))


@login_required
@require_POST
def borrowing_decide(request, pk: int):
    row = _borrowing(pk)
    form = forms.BorrowDecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择批准或不予批准，并填写期限")
        return redirect(reverse("archive:borrowing_list"))
    d = form.cleaned_data
    return _borrow_run(
        request,
        lambda: services.borrowing_decide(
            actor=request.user,
            borrowing=row,
            approve=d["approve"],
            due_on=d.get("due_on"),
            note=d.get("note", ""),
        ),
        "已批准借阅" if d["approve"] else "已不予批准",
    )


@login_required
@require_POST
def borrowing_return(request, pk: int):
    row = _borrowing(pk)
    return _borrow_run(
        request,
        lambda: services.borrowing_return(actor=request.user, borrowing=row),
        "已登记归还",
    )


# --- 执法台账 ---------------------------------------------------------------------------------


def _register_form(request):
    _need(request, "archive.export_register", "查看和导出执法台账")
    agency = _agency(request.user)
    form = forms.RegisterFilterForm(
        request.GET or None, officers=register.officer_choices(agency=agency)
    )
    filters = form.filters() if form.is_bound and form.is_valid() else None
    if not form.is_bound:
        filters = register.RegisterFilters()
    return form, filters, agency


@login_required
@require_GET
def register_page(request):
    form, filters, agency = _register_form(request)
    cases = register.register_cases(filters, agency=agency) if filters else None
    total = cases.count() if cases is not None else 0
    rows = register.register_rows(cases[:PREVIEW_ROWS]) if cases is not None else []
    return render(
        request,
        "archive/register.html",
        {
            "form": form,
            "rows": rows,
            "headers": [h for h, _w in register.HEADERS],
            "total": total,
            "preview": PREVIEW_ROWS,
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def register_export(request):
    form, filters, agency = _register_form(request)
    if filters is None:
        return HttpResponse(
            "筛选条件有误，请返回执法台账页面更正后再导出。",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    cases = register.register_cases(filters, agency=agency)[: register.EXPORT_LIMIT]
    rows = register.register_rows(cases)
    # 等保 2.0 安全审计: the export is recorded before the data leaves.
    security_event(
        request, "security.exported", what="执法台账", rows=len(rows), filters=filters.describe()
    )
    name = getattr(request.user, "real_name", "") or request.user.get_username()
    data = register.register_xlsx(rows, filters=filters, exported_by=name)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    from urllib.parse import quote

    response["Content-Disposition"] = (
        f"attachment; filename=\"register-{stamp}.xlsx\"; filename*=UTF-8''"
        f"{quote(f'执法台账-{stamp}.xlsx')}"
    )
    return response
