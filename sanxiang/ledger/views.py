"""Ledger pages: the public transparency endpoints (plain text, no login) and the audit log
for the 审计管理员.

Transparency responses follow docs/transparency-formats.md. Any parameter that is not a
canonical decimal in range gets 400 with a Chinese and English message — never 500; a size
or entry that no checkpoint covers (yet) gets 404.
"""

from __future__ import annotations

import csv
import functools
import logging
import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sanxiang.lib import notes

from . import keys, selectors
from .audit import security_event
from .forms import AuditFilterForm
from .models import Event
from .services import LedgerIntegrityError

logger = logging.getLogger(__name__)

TEXT = "text/plain; charset=utf-8"
IMMUTABLE = "public, max-age=31536000, immutable"
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,18}")
MAX_COUNT = 2**63 - 1


def _text(body: str, *, status: int = 200, cache: str = "no-cache") -> HttpResponse:
    response = HttpResponse(body, content_type=TEXT, status=status)
    response["Cache-Control"] = cache
    # Public, verifiable data: any page (a court's, a witness's) may fetch it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(status: int, zh: str, en: str) -> HttpResponse:
    return _text(f"错误：{zh}\nerror: {en}\n", status=status, cache="no-store")


class BadParameter(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def _count(value: str | None, name: str) -> int:
    """A tree size or index: ASCII decimal without sign or leading zeros, below 2**63."""
    if value is None or value == "":
        raise BadParameter(f"缺少参数 {name}", f"missing parameter {name}")
    if not _DECIMAL.fullmatch(value) or int(value) > MAX_COUNT:
        raise BadParameter(
            f"参数 {name} 须为不带符号和前导零的十进制整数",
            f"{name} must be a non-negative decimal integer without leading zeros",
        )
    return int(value)


def _integrity_guard(view):
    """A tampered store (a node or entry missing) is a server fault, said in plain text."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except LedgerIntegrityError as exc:
            logger.error("transparency endpoint %s: %s", request.path, exc)
            return _error(500, f"账本数据不完整：{exc}", "the stored log is incomplete")

    return wrapper


@require_GET
def transparency_key(request):
    """The log's verifier key: ``<name>+<8 hex key id>+<base64(0x01 ‖ public key)>``."""
    return _text(keys.log_verifier().encode() + "\n", cache="public, max-age=86400")


@require_GET
def transparency_checkpoint(request):
    """The latest signed checkpoint. Checkpoints are signed by the sweep (run_sweeps) and by
    ``manage.py ledger checkpoint``, never on a public request: a GET must not make the log
    sign and store anything."""
    checkpoint = selectors.latest_checkpoint()
    if checkpoint is None:
        return _error(404, "尚未签发检查点", "no checkpoint has been signed yet")
    return _text(checkpoint.note)


@require_GET
@_integrity_guard
def transparency_checkpoint_at(request, size: str):
    try:
        wanted = _count(size, "size")
    except BadParameter as bad:
        return _error(400, bad.zh, bad.en)
    checkpoint = selectors.checkpoint_at(wanted)
    if checkpoint is None:
        return _error(
            404, f"没有树大小为 {wanted} 的检查点", f"no checkpoint was signed at size {wanted}"
        )
    return _text(checkpoint.note, cache=IMMUTABLE)


@require_GET
@_integrity_guard
def transparency_proof(request, index: str):
    """c2sp.org/tlog-proof@v1 of one entry against the latest checkpoint; ``extra`` is the
    public entry itself."""
    try:
        wanted = _count(index, "index")
    except BadParameter as bad:
        return _error(400, bad.zh, bad.en)
    size = selectors.tree_size()
    if wanted >= size:
        return _error(
            400,
            f"序号 {wanted} 超出范围：账本共有 {size} 条记录",
            f"index {wanted} is out of range: the log has {size} entries",
        )
    bundle = selectors.proof_bundle(wanted)
    if bundle is None:
        return _error(
            404,
            f"第 {wanted} 条记录尚未纳入已签发的检查点，请在下一个检查点签发后再试",
            f"entry {wanted} is not yet covered by a signed checkpoint; retry after the next one",
        )
    return _text(bundle.text, cache="public, max-age=60")


@require_GET
@_integrity_guard
def transparency_consistency(request):
    """RFC 9162 consistency proof between two sizes up to the latest checkpoint, one base64
    hash a line (empty body when there is nothing to prove)."""
    try:
        old = _count(request.GET.get("old"), "old")
        new = _count(request.GET.get("new"), "new")
    except BadParameter as bad:
        return _error(400, bad.zh, bad.en)
    if old > new:
        return _error(400, "old 不能大于 new", "old must not be larger than new")
    latest = selectors.latest_checkpoint()
    limit = latest.size if latest is not None else 0
    if new > limit:
        return _error(
            400,
            f"new 超出最新检查点的树大小 {limit}",
            f"new exceeds the latest checkpoint's tree size {limit}",
        )
    proof = selectors.consistency_proof(old, new)
    return _text(notes.format_hash_lines(proof), cache=IMMUTABLE)


# --- audit log -----------------------------------------------------------------------------

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


def _need_audit(request) -> None:
    if not request.user.has_perm("ledger.view_audit_log"):
        raise PermissionDenied("只有审计管理员可以查阅审计日志")


def _filtered(request):
    """(form, filters, events); with invalid filters, no events rather than unfiltered ones."""
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, None, Event.objects.none()
    filters = form.filters() if form.is_bound else selectors.AuditFilters()
    events = selectors.audit_events(filters, tz=timezone.get_current_timezone())
    return form, filters, events


@login_required
@require_GET
def audit_log(request):
    _need_audit(request)
    form, _, events = _filtered(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [selectors.audit_row(event) for event in page.object_list]
    return render(
        request,
        "ledger/audit_log.html",
        {"form": form, "page": page, "rows": rows, "query": request.GET.urlencode()},
    )


@login_required
@require_GET
def audit_export(request):
    """The filtered audit log as CSV (UTF-8 with BOM, for spreadsheet programs). The export is
    itself recorded, before any row leaves."""
    _need_audit(request)
    form, filters, events = _filtered(request)
    if filters is None:
        return HttpResponse("筛选条件有误，请返回审计日志页面更正后再导出。", status=400,
                            content_type=TEXT)  # fmt: skip
    total = events.count()
    security_event(
        request,
        "security.audit_exported",
        rows=min(total, EXPORT_LIMIT),
        filters={k: str(v) for k, v in vars(filters).items() if v},
    )

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())

    def lines():
        yield "\ufeff"
        yield writer.writerow(["序号", "时间", "用户", "账号", "IP地址", "事件", "结果", "详情"])
        for event in events[:EXPORT_LIMIT].iterator(chunk_size=2000):
            row = selectors.audit_row(event)
            yield writer.writerow(
                [
                    row.seq,
                    timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"),
                    row.actor.real_name if row.actor else "",
                    row.username,
                    row.ip,
                    row.label,
                    row.result_label,
                    row.details,
                ]
            )

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
