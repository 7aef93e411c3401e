"""``{% load casedocs %}{% case_documents case %}`` — the case page's 文书 section."""

from django import template

from sanxiang.records.casedocs.selectors import case_document_section

register = template.Library()


@register.inclusion_tag("records/case_documents.html", takes_context=True)
def case_documents(context, case):
    request = context.get("request")
    user = getattr(request, "user", None)
    section = case_document_section(case, user=user) if user is not None else None
    return {
        "case": case,
        "groups": section.groups if section else [],
        "notices": section.notices if section else [],
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
