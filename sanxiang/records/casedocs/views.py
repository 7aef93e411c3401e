"""The case page's 文书 section posts here: parse → permission → service → back to the case."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from sanxiang.lib.errors import DomainError, NotPermitted

from . import builders, services


def _case(request, case_pk: int):
    from sanxiang.cases.models import Case

    if not request.user.has_perm("cases.view_case"):
        raise PermissionDenied("您没有查看案件的权限")
    case = Case.objects.select_related("agency").filter(pk=case_pk).first()
    if case is None:
        raise Http404("没有找到该案件")
    unit = getattr(request.user, "unit", None)
    if unit is not None and unit.agency_id != case.agency_id:
        raise PermissionDenied("该案件不属于您所在的执法主体")
    return case


@login_required
@require_POST
def case_document_generate(request, case_pk: int):
    case = _case(request, case_pk)
    back = reverse("cases:case_detail", args=[case.pk]) + "#documents"
    doc_type = request.POST.get("doc_type", "")
    try:
        builder = builders.get(doc_type)
        obj = None
        raw = request.POST.get("obj", "")
        if raw:
            if not raw.isdigit():
                raise DomainError("记录标识无效", field="obj")
            objects = builder.objects(builders.CaseData(case))
            obj = next((o for o in objects if getattr(o, "pk", None) == int(raw)), None)
            if obj is None:
                raise DomainError("所选记录不属于本案或尚不能制作该文书", field="obj")
        document = services.case_document_generate(
            actor=request.user, case=case, doc_type=doc_type, obj=obj
        )
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from None
    except DomainError as exc:
        messages.error(request, f"未能生成文书：{exc}")
        return redirect(back)
    verb = "已重新生成（取代原版本）" if document.replaces_id else "已生成"
    number = f"{document.number}，" if document.number else ""
    messages.success(request, f"{document.doc_name}{verb}：{number}验证码 {document.grouped_code}")
    return redirect(back)
