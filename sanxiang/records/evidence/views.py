"""Evidence pages: parse → permission → service/selector → render. Files are served only
through ``evidence_media`` (a token from the recorded view of the detail page; Range requests
for video) and ``evidence_download`` (a stated reason, recorded) — never as public media."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanxiang.accounts.http import require_perm as _need
from sanxiang.lib.errors import DomainError, NotPermitted

from .. import storage
from . import config, forms, rules, selectors, services, tus
from .choices import Kind, RuleTarget, Scene, Step
from .hashing import EvidenceUploadHandler
from .models import Evidence, RecordingExemption, RecordingRule

PAGE_SIZE = 50
STREAM_CHUNK = 256 * 1024


def _case(pk: int):
    from sanxiang.cases.models import Case

    case = Case.objects.select_related("agency").filter(pk=pk).first()
    if case is None:
        raise Http404("案件不存在")
    return case


def _evidence(request, pk: int) -> Evidence:
    try:
        evidence = selectors.evidence_detail(pk)
    except Evidence.DoesNotExist:
        raise Http404("证据不存在") from None
    if not services.may_view(request.user, evidence):
        raise PermissionDenied("您没有查看该证据的权限")
    return evidence


# --- lists and the case's materials -------------------------------------------------------------


@login_required
@require_GET
def evidence_list(request):
    _need(request, "records.view_evidence", "查看证据")
    case = None
    if request.GET.get("case", "").isdigit():
        case = _case(int(request.GET["case"]))
    filters = {
        "kind": request.GET.get("kind", ""),
        "scene": request.GET.get("scene", ""),
        "step": request.GET.get("step", ""),
        "q": request.GET.get("q", "")[:100],
    }
    qs = selectors.evidence_list(user=request.user, case=case, **filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "records/evidence/evidence_list.html",
        {
            "page": page,
            "rows": page.object_list,
            "case": case,
            "filters": filters,
            "kinds": Kind.choices,
            "scenes": Scene.choices,
            "steps": Step.choices,
        },
    )


@login_required
@require_GET
def case_materials(request, case_pk: int):
    _need(request, "records.view_evidence", "查看证据")
    case = _case(case_pk)
    party = None
    if request.GET.get("party", "").isdigit():
        party = case.parties.filter(pk=int(request.GET["party"])).first()
    materials = selectors.case_materials(case, party=party)
    reasons = [r.reason for r in materials.blocking]
    return render(
        request,
        "records/evidence/case_materials.html",
        {
            "case": case,
            "m": materials,
            "party": party,
            "parties": list(case.parties.order_by("pk")),
            "blocked_actions": selectors.blocked_actions(case, reasons=reasons),
            "can_upload": request.user.has_perm("records.add_evidence")
            and services.on_team(case, request.user),
            "exemption_form": forms.ExemptionRequestForm(),
        },
    )


@login_required
@require_GET
def target_materials(request, party_pk: int):
    _need(request, "records.view_evidence", "查看证据")
    from sanxiang.cases.models import Party

    party = Party.objects.select_related("case").filter(pk=party_pk).first()
    if party is None:
        raise Http404("当事人不存在")
    return render(
        request,
        "records/evidence/target_materials.html",
        {"party": party, "rows": selectors.target_materials(party, user=request.user)},
    )


# --- upload --------------------------------------------------------------------------------------


def _evidence_form_page(request, case, form, *, session=None, status=200):
    return render(
        request,
        "records/evidence/evidence_form.html",
        {
            "case": case,
            "form": form,
            "session": session,
            "tus_endpoint": reverse("records:tus_uploads"),
        },
        status=status,
    )


@csrf_exempt
def evidence_new(request, case_pk: int):
    """The upload form. POST bodies are parsed by the hashing upload handler, which must be in
    place before anything reads request.POST — so the CSRF check runs inside (Django's
    documented pattern for custom upload handlers)."""
    if request.method == "POST":
        request.upload_handlers = [EvidenceUploadHandler(request, limit=config.form_max_bytes())]
    return _evidence_new(request, case_pk)


@csrf_protect
@login_required
@require_http_methods(["GET", "POST"])
def _evidence_new(request, case_pk: int):
    _need(request, "records.add_evidence", "上传证据")
    case = _case(case_pk)
    if not services.on_team(case, request.user):
        raise PermissionDenied("证据须由本案办案人员上传")
    if request.method == "GET":
        initial = {}
        for name in ("kind", "scene", "ref"):
            if request.GET.get(name):
                initial[name] = request.GET[name]
        form = forms.EvidenceForm(case=case, user=request.user, initial=initial)
        return _evidence_form_page(request, case, form)

    form = forms.EvidenceForm(request.POST, request.FILES, case=case, user=request.user)
    error = getattr(request, "evidence_upload_error", "")
    upload = request.FILES.get("file")
    session = None
    if form.is_valid() and not error:
        upload_id = form.cleaned_data["upload_id"]
        try:
            if upload_id:
                evidence = tus.upload_ingest(
                    actor=request.user, upload_id=upload_id, case=case, **form.service_kwargs()
                )
            else:
                evidence = services.evidence_add(
                    actor=request.user,
                    case=case,
                    incoming=services.Incoming(
                        path=_path_of(upload),
                        original_name=upload.name,
                        digests=upload.digests,
                        via="form",
                    ),
                    **form.service_kwargs(),
                )
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        except DomainError as exc:
            field = exc.field if exc.field in form.fields else None
            if exc.field in ("step",):
                field = "ref"
            form.add_error(field, exc.message)
            if exc.code == "duplicate" and upload_id:
                # The same bytes are already evidence of this case: the upload is of no use.
                session = tus.UploadSession.objects.filter(pk=upload_id, owner=request.user).first()
                if session is not None:
                    tus.upload_terminate(session=session)
        else:
            messages.success(
                request,
                f"证据{evidence.number}已登记：SHA-256 与 SM3 哈希已在上传的同一事务中记入账本。",
            )
            return redirect("records:evidence_detail", pk=evidence.pk)
    elif error:
        form.add_error("file", error)
    upload_id = form.data.get("upload_id", "")
    if upload_id:
        session = (
            tus.UploadSession.objects.filter(pk=upload_id, owner=request.user).first()
            if _is_uuid(upload_id)
            else None
        )
        if session is None or session.status != "complete":
            # Nothing left to register: the page asks for the file again.
            session = None
            form.data = form.data.copy()
            form.data["upload_id"] = ""
    return _evidence_form_page(request, case, form, session=session, status=400)


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _path_of(upload):
    from pathlib import Path

    return Path(upload.temporary_file_path())


# --- one evidence item ------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def evidence_detail(request, pk: int):
    _need(request, "records.view_evidence", "查看证据")
    evidence = _evidence(request, pk)
    # Opening the page shows the file (player, preview): that is the recorded view.
    services.evidence_access_record(request=request, evidence=evidence, action="view")
    file_type = next(
        (t for ts in rules.ALLOWED.values() for t in ts if t.mime == evidence.content_type), None
    )
    record_row = None
    holder_name = holder_url = ""
    if evidence.case_id is None:
        from . import holders

        spec = holders.holder_of(evidence.holder)
        if spec is not None:
            holder_name, holder_url = spec.name, spec.url(evidence.holder)
    elif evidence.record_type_id:
        refs = {r.ref: r for r in selectors.case_records(evidence.case)}
        record_row = refs.get((evidence.record_type_id, evidence.record_id))
    return render(
        request,
        "records/evidence/evidence_detail.html",
        {
            "ev": evidence,
            "record_row": record_row,
            "holder_name": holder_name,
            "holder_url": holder_url,
            "playable": file_type.playable if file_type else "",
            "file_label": file_type.label if file_type else evidence.content_type,
            "token": selectors.media_token(evidence, request.user),
            "download_form": forms.AccessReasonForm(),
        },
    )


@login_required
@require_GET
def evidence_media(request, pk: int):
    """The file for the page's player or preview: only with the token the recorded view of the
    detail page issued to this user; Range requests answered (206) so video can seek."""
    evidence = _evidence(request, pk)
    if not selectors.media_token_valid(
        request.GET.get("t", ""), evidence=evidence, user=request.user
    ):
        raise PermissionDenied("请从证据详情页面查看（查看记入证据保管链）")
    size = evidence.size
    wanted = rules.parse_range(request.headers.get("Range"), size)
    if wanted == "unsatisfiable":
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    start, end = (0, size - 1) if wanted is None else wanted
    # A ranged read of just these bytes (on S3 a ranged GET, not the whole video).
    chunks = storage.iter_chunks(evidence.storage_name, STREAM_CHUNK, start=start, end=end)
    response = StreamingHttpResponse(
        chunks, status=206 if wanted else 200, content_type=evidence.content_type
    )
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    if wanted:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Disposition"] = content_disposition_header(
        False, rules.download_name(evidence.original_name, evidence.ext, evidence.number)
    )
    response["Cache-Control"] = "private, no-store"
    response["Last-Modified"] = http_date(evidence.uploaded_at.timestamp())
    return response


@login_required
@require_http_methods(["GET", "POST"])
def evidence_download(request, pk: int):
    """Download needs a stated reason; the ledger event is written before the first byte."""
    _need(request, "records.view_evidence", "下载证据")
    evidence = _evidence(request, pk)
    form = forms.AccessReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_access_record(
                request=request,
                evidence=evidence,
                action="download",
                reason=form.cleaned_data["reason"],
            )
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        except DomainError as exc:
            form.add_error("reason", exc.message)
        else:
            return FileResponse(
                default_storage.open(evidence.storage_name, "rb"),
                as_attachment=True,
                filename=rules.download_name(evidence.original_name, evidence.ext, evidence.number),
                content_type=evidence.content_type,
            )
    return render(
        request,
        "records/evidence/download.html",
        {"ev": evidence, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def evidence_custody(request, pk: int):
    _need(request, "records.view_evidence", "查看证据保管链")
    evidence = _evidence(request, pk)
    return render(
        request,
        "records/evidence/custody.html",
        {
            "ev": evidence,
            "rows": selectors.custody_log(evidence),
            "checks": list(evidence.fixity_checks.order_by("-checked_at")[:20]),
        },
    )


# --- exemptions --------------------------------------------------------------------------------


@login_required
@require_POST
def exemption_request(request, case_pk: int):
    _need(request, "records.add_recordingexemption", "申请免于音像记录")
    case = _case(case_pk)
    form = forms.ExemptionRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("records:case_materials", case_pk=case.pk)
    rule = RecordingRule.objects.filter(target=form.cleaned_data["target"]).first()
    if rule is None:
        raise Http404("音像记录要求不存在")
    ref = form.cleaned_data["ref"]
    record, step = None, ""
    if ref.startswith("rec:"):
        record = selectors.resolve_record(case, ref)
        if record is None:
            raise Http404("执法记录不存在")
    elif ref.startswith("step:"):
        step = ref[5:]
    try:
        services.exemption_request(
            actor=request.user,
            case=case,
            rule=rule,
            step=step,
            record=record,
            reason=form.cleaned_data["reason"],
        )
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "免于音像记录的申请已提交，待负责人审批后生效。")
    return redirect("records:case_materials", case_pk=case.pk)


@login_required
@require_http_methods(["GET", "POST"])
def exemption_detail(request, pk: int):
    try:
        exemption = selectors.exemption_detail(pk)
    except RecordingExemption.DoesNotExist:
        raise Http404("申请不存在") from None
    if not (
        request.user.has_perm("records.view_evidence")
        or request.user.has_perm("records.approve_recording_exemption")
    ):
        raise PermissionDenied("您没有查看该申请的权限")
    form = forms.ExemptionDecisionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.exemption_decide(
                    actor=request.user,
                    exemption=exemption,
                    approve=form.cleaned_data["decision"] == "approve",
                    note=form.cleaned_data["note"],
                )
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from None
            except DomainError as exc:
                form.add_error("note" if exc.field == "note" else None, exc.message)
            else:
                messages.success(request, "审批意见已记录。")
                return redirect("records:exemption_detail", pk=pk)
    record_row = None
    if exemption.record_type_id:
        refs = {r.ref: r for r in selectors.case_records(exemption.case)}
        record_row = refs.get((exemption.record_type_id, exemption.record_id))
    can_decide = (
        request.user.has_perm("records.approve_recording_exemption")
        and exemption.status == "pending"
        and request.user.pk != exemption.requested_by_id
        and not services.on_team(exemption.case, request.user, current=False)
    )
    return render(
        request,
        "records/evidence/exemption_detail.html",
        {"ex": exemption, "form": form, "can_decide": can_decide, "record_row": record_row},
        status=400 if request.method == "POST" else 200,
    )


# --- rules and fixity -----------------------------------------------------------------------------


@login_required
@require_GET
def recording_rules(request):
    _need(request, "records.view_recordingrule", "查看音像记录要求")
    return render(
        request,
        "records/evidence/rules.html",
        {
            "rules": selectors.recording_rules(),
            "targets": dict(RuleTarget.choices),
            "can_change": request.user.has_perm("records.change_recordingrule"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def fixity(request):
    _need(request, "records.view_fixitycheck", "查看存储完整性校验")
    if request.method == "POST":
        raw = request.POST.get("evidence", "")
        evidence = Evidence.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if evidence is None:
            raise Http404("证据不存在")
        check = services.fixity_check(evidence=evidence, actor=request.user)
        if check.ok:
            messages.success(request, f"证据{evidence.number}复查一致。")
        else:
            messages.error(request, f"证据{evidence.number}复查仍不一致：{check.problem}")
        return redirect("records:fixity")
    return render(
        request,
        "records/evidence/fixity.html",
        {
            "failures": selectors.fixity_failures(),
            "recent": selectors.fixity_recent(),
            "summary": selectors.fixity_summary(),
            "interval_days": config.fixity_interval().days,
        },
    )
