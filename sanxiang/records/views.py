"""Records pages: parse → permission → service/selector → render.

Staff: generated documents (list, detail, downloads, scan upload) and the template library
with 样稿 PDFs. Public (no login): the document verification form and result.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sanxiang.accounts.http import require_perm as _need
from sanxiang.lib.errors import DomainError, NotPermitted

from . import documents, forms, rules, selectors, services
from .models import GeneratedDocument

PAGE_SIZE = 50


def _document(pk: int) -> GeneratedDocument:
    try:
        return selectors.document_detail(pk)
    except GeneratedDocument.DoesNotExist:
        raise Http404("文书不存在") from None


# --- staff ---------------------------------------------------------------------------------


@login_required
@require_GET
def document_list(request):
    _need(request, "records.view_generateddocument", "查看执法文书")
    types = documents.all_types()
    doc_type = request.GET.get("type", "")
    if doc_type not in {t.code for t in types}:
        doc_type = ""
    page = Paginator(selectors.document_list(doc_type=doc_type), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "records/document_list.html",
        {"page": page, "rows": page.object_list, "types": types, "doc_type": doc_type},
    )


def _detail_page(request, document, form, status=200):
    return render(
        request,
        "records/document_detail.html",
        {
            "doc": document,
            "form": form,
            "can_upload": request.user.has_perm("records.add_documentscan")
            and not hasattr(document, "final_scan")
            and not hasattr(document, "replaced_by"),
            "verification": selectors.document_verification(document.verification_code),
        },
        status=status,
    )


@login_required
@require_GET
def document_detail(request, pk: int):
    _need(request, "records.view_generateddocument", "查看执法文书")
    return _detail_page(request, _document(pk), forms.ScanUploadForm())


@login_required
@require_POST
def scan_upload(request, pk: int):
    _need(request, "records.add_documentscan", "上传签章文书扫描件")
    document = _document(pk)
    form = forms.ScanUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_attach_scan(
                actor=request.user, document=document, uploaded_file=form.cleaned_data["file"]
            )
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, "签章文书扫描件已上传，其哈希已记入账本")
            return redirect("records:document_detail", pk=document.pk)
    return _detail_page(request, _document(pk), form, status=400)


@login_required
@require_GET
def document_file(request, pk: int, kind: str):
    if kind not in services.DOWNLOAD_KINDS:
        raise Http404("文件不存在")
    document = _document(pk)
    try:
        handle, name, content_type = services.document_download(
            actor=request.user, document=document, kind=kind
        )
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError:
        raise Http404("该文书没有此文件") from None
    inline = content_type == "application/pdf" or content_type.startswith("image/")
    return FileResponse(handle, as_attachment=not inline, filename=name, content_type=content_type)


@login_required
@require_GET
def template_list(request):
    _need(request, "records.view_generateddocument", "查看文书模板")
    return render(request, "records/template_list.html", {"types": documents.all_types()})


@login_required
@require_GET
def template_sample(request, code: str):
    """The type's sample context rendered as a 样稿 (no code, no number, watermarked)."""
    _need(request, "records.view_generateddocument", "查看文书模板")
    try:
        spec = documents.get(code)
    except DomainError:
        raise Http404("未知的文书种类") from None
    pdf = documents.render_pdf(spec.code, spec.sample())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sample-{spec.code}.pdf"'
    return response


# --- public verification -------------------------------------------------------------------


@require_GET
def verify_form(request):
    form = forms.VerifyForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("verify:document", code=form.cleaned_data["code"])
    return render(
        request,
        "records/verify/form.html",
        {"form": form},
        status=400 if request.GET and not form.is_valid() else 200,
    )


@never_cache
@require_GET
def verify_document(request, code: str):
    canonical = rules.normalize_code(code)
    if canonical is not None and canonical != code:
        return redirect("verify:document", code=canonical)
    result = selectors.document_verification(code)
    if result is None:
        return render(
            request,
            "records/verify/not_found.html",
            {"form": forms.VerifyForm(initial={"code": code[:40]})},
            status=404,
        )
    return render(request, "records/verify/result.html", {"v": result})
