"""HTML of the two hot spots of the public decision list — the result rows and the filter
fields — built in Python.

Why not the template language: the list is the portal's busiest page and must keep up with
≥ 25 % of a bare Django view's throughput (ARCHITECTURE.md §7). Rendered through template
loops and form widgets, these two parts cost ~10 ms a request (widget templates per option,
a date filter per row); as f-strings over escaped values they cost a fraction of a millisecond.
Everything is escaped with ``html.escape`` here; the markup (labels, ids, error roles) is the
same the template used, and the page test checks it.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from django.utils.safestring import SafeString, mark_safe

from . import rules
from .models import Category


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def results(rows) -> SafeString:
    parts = ['<ul class="results">']
    for r in rows:
        kind = escape(r.category_label + (f"·{r.penalty_label}" if r.penalty_label else ""))
        parts.append(
            f'<li><h3><a href="{r.url}">{escape(r.title)}</a></h3>'
            f'<p class="small">{escape(r.summary)}</p>'
            f'<dl class="meta"><dt>文号</dt><dd>{escape(r.doc_number or "（无文号）")}</dd>'
            f"<dt>决定日期</dt><dd>{cn_date(r.decided_on)}</dd>"
            f"<dt>类别</dt><dd>{kind}</dd>"
            f"<dt>执法机关</dt><dd>{escape(r.agency_name)}</dd></dl></li>"
        )
    parts.append("</ul>")
    return mark_safe("".join(parts))  # noqa: S308 — every value is escaped above


def _errors(asked, name: str) -> str:
    return "".join(
        f'<p class="error" role="alert">{escape(e)}</p>' for e in asked.errors.get(name, [])
    )


def _value(asked, name: str) -> str:
    return asked.values.get(name, "")


def _select(name: str, label: str, choices, selected: str, form) -> str:
    options = "".join(
        f'<option value="{escape(v)}"{" selected" if v == selected else ""}>{escape(t)}</option>'
        for v, t in choices
    )
    err = _errors(form, name)
    cls = "field has-error" if err else "field"
    return (
        f'<div class="{cls}"><label for="id_{name}">{label}</label>'
        f'<select name="{name}" id="id_{name}">{options}</select>{err}</div>'
    )


def _date(name: str, label: str, form) -> str:
    err = _errors(form, name)
    cls = "field has-error" if err else "field"
    return (
        f'<div class="{cls}"><label for="id_{name}">{label}</label>'
        f'<input type="date" name="{name}" id="id_{name}" value="{escape(_value(form, name))}">'
        f"{err}</div>"
    )


CATEGORY_CHOICES = [("", "全部"), *Category.choices]
PENALTY_CHOICES = [("", "全部"), *rules.PENALTY_LABELS.items()]


def filters(form, items: list[tuple[str, str]]) -> SafeString:
    """The filter fields for ``form`` (a ``portal.SearchInput``)."""
    q = escape(_value(form, "q"))
    q_err = _errors(form, "q")
    html = (
        f'<div class="field wide{" has-error" if q_err else ""}"><label for="id_q">关键词</label>'
        f'<input type="search" name="q" id="id_q" value="{q}" maxlength="{rules.MAX_QUERY}" '
        'autocomplete="off" aria-describedby="id_q_help">'
        '<p class="help" id="id_q_help">当事人名称、文号、违法行为等；多个词用空格分开</p>'
        f"{q_err}</div>"
        + _select("category", "决定类别", CATEGORY_CHOICES, _value(form, "category"), form)
        + _select("penalty", "处罚种类", PENALTY_CHOICES, _value(form, "penalty"), form)
        + _select("item", "执法事项", [("", "全部"), *items], _value(form, "item"), form)
        + _date("date_from", "决定日期自", form)
        + _date("date_to", "决定日期至", form)
    )
    return mark_safe(html)  # noqa: S308 — every value is escaped above
