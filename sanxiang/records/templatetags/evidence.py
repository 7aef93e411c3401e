"""The recordings section for the case page, usable from a lower app's template without a
Python import of records (ARCHITECTURE.md §3 floors)::

    {% load evidence %}
    {% evidence_section case %}

It renders ``records/evidence/_case_section.html``: what the recording rules ask of the case,
what blocks it, and links to the case's 全过程记录 page and the upload form. Empty for users who
may not view evidence."""

from django import template

register = template.Library()


@register.inclusion_tag("records/evidence/_case_section.html", takes_context=True)
def evidence_section(context, case):
    from sanxiang.records.evidence import forms, selectors, services

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("records.view_evidence"):
        return {"hidden": True}
    return {
        "case": case,
        "m": selectors.case_materials(case),
        "can_upload": user.has_perm("records.add_evidence") and services.on_team(case, user),
        "exemption_form": forms.ExemptionRequestForm(),
        "csrf_token": context.get("csrf_token"),
    }
