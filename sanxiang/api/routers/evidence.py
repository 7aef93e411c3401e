"""证据 Evidence: metadata, the chain of custody and recorded downloads of a case's evidence
files, and uploads — a slot on the existing tus 1.0.0 resumable endpoints, then registration of
the finished upload — through ``records.evidence`` (selectors, services, ``tus``) with the
permissions of the evidence pages. The bytes never pass through a second upload path: the
same ``tus.upload_create`` / ``tus.upload_ingest`` the page's upload script uses."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from sanxiang.lib.errors import NotPermitted
from sanxiang.records.evidence import forms, rules, selectors, services, tus
from sanxiang.records.evidence.choices import Kind, Scene, Step
from sanxiang.records.evidence.models import Evidence

from ..errors import ApiError
from ..paging import Page, PageQuery, paginate
from ..schemas import UserRef, user_ref
from ..types import MAX_ID, Body, Id, IsoDateTime, QueryText, Text, choice
from .common import need, responses

router = Router(tags=["证据 Evidence"])

TUS_PATH = "/records/evidence/uploads/"
TUS_HELP = f"""\
上传文件本身通过已有的 tus 1.0.0 断点续传端点（`{TUS_PATH}`，协议见 https://tus.io/protocols/resumable-upload）：
对本接口返回的 `location` 发送 `PATCH`（请求头 `Tus-Resumable: 1.0.0`、`Upload-Offset`、\
`Content-Type: application/offset+octet-stream`，可带 `Upload-Checksum: sha256 <base64>`），\
中断后用 `HEAD` 取得已收到的字节数继续；`DELETE` 放弃。tus 端点接受与本接口相同的个人令牌\
（`Authorization: Bearer sx_…`），或登录会话（同站浏览器，非安全方法带 `X-CSRFToken`）。全部字节到达后，用 `POST /api/v1/cases/{{case_id}}/evidence` 登记为证据。"""


# --- shapes -----------------------------------------------------------------------------------


class EvidenceOut(Schema):
    id: int
    number: str = Field(description="证据编号，如 ZJ000012")
    case_id: int
    party_id: int | None
    step: str
    step_label: str
    record_ref: str | None = Field(description="所记录的执法行为（rec:<类型>:<编号>）")
    scene: str
    scene_label: str
    kind: str
    kind_label: str
    device_id: int | None
    device: str | None
    device_holder: UserRef | None = Field(description="拍摄时设备的领用人")
    recorded_by: UserRef
    started_at: dt.datetime
    ended_at: dt.datetime
    place: str
    description: str
    original_name: str
    content_type: str = Field(description="按文件内容识别的类型")
    size: int
    sha256: str
    sm3: str = Field(description="SM3 哈希（GB/T 32905）")
    via: str = Field(description="form 表单上传；resumable 断点续传")
    ledger_seq: int | None = Field(description="登记事件的账本序号")
    uploaded_by: UserRef
    uploaded_at: dt.datetime
    fixity_checked_at: dt.datetime | None
    fixity_ok: bool | None = Field(description="最近一次存储完整性校验结果")


class CustodyOut(Schema):
    seq: int
    at: dt.datetime
    label: str
    actor: UserRef | None
    ip: str
    reason: str = Field(description="下载、导出时写明的用途")
    details: str


class RecordRef(Schema):
    ref: str = Field(description="登记证据时的 ref 值")
    step: str
    label: str
    on: dt.date | None


class UploadSlot(Schema):
    upload_id: uuid.UUID
    location: str = Field(description="tus 上传地址：对其 PATCH 文件字节")
    case_id: int
    length: int
    offset: int
    expires_at: dt.datetime = Field(description="此时仍未传完的上传将被清除")
    tus_version: str


class EvidenceQuery(PageQuery):
    kind: choice(["", *Kind.values]) = ""  # type: ignore[valid-type]
    scene: choice(["", *Scene.values]) = ""  # type: ignore[valid-type]
    step: choice(["", *Step.values]) = ""  # type: ignore[valid-type]
    q: QueryText = Field("", description="内容说明、地点、文件名、案号、SHA-256 或证据编号")


class SlotIn(Body):
    length: int = Field(ge=1, le=2**53, description="文件大小（字节）")
    filename: Text(200, min_length=1) = Field(description="原文件名")  # type: ignore[valid-type]
    kind: choice(["", *Kind.values]) = Field(  # type: ignore[valid-type]
        "", description="证据形式（决定大小上限）；可在登记时再定"
    )
    filetype: Text(100) = Field(
        "", description="客户端认为的文件类型（仅供参考，登记时按内容识别）"
    )  # type: ignore[valid-type]


class RegisterIn(Body):
    upload_id: str = Field(
        pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
        description="已传完的上传（创建上传时返回的 upload_id，UUID）",
    )
    ref: Text(80, min_length=1) = Field(  # type: ignore[valid-type]
        description="所记录的执法行为（GET …/evidence/records 中的 ref）或办案环节 step:<环节>"
    )
    kind: choice(Kind.values)  # type: ignore[valid-type]
    scene: choice(Scene.values)  # type: ignore[valid-type]
    party: Id | None = Field(None, description="涉及的当事人")
    device: Id | None = Field(None, description="记录设备（录音、录像必填）")
    recorded_by: Id = Field(description="记录人（本案办案人员）")
    started_at: IsoDateTime
    ended_at: IsoDateTime
    place: Text(200, min_length=1)  # type: ignore[valid-type]
    description: Text(2000, min_length=1)  # type: ignore[valid-type]


class DownloadIn(Body):
    reason: Text(200, min_length=1) = Field(  # type: ignore[valid-type]
        description="用途（记入证据保管链），如“报送行政复议机关”"
    )


# --- conversion and lookups -------------------------------------------------------------------


def _evidence(e: Evidence) -> dict:
    return {
        "id": e.pk,
        "number": e.number,
        "case_id": e.case_id,
        "party_id": e.party_id,
        "step": e.step,
        "step_label": e.get_step_display(),
        "record_ref": f"rec:{e.record_type_id}:{e.record_id}" if e.record_type_id else None,
        "scene": e.scene,
        "scene_label": e.get_scene_display(),
        "kind": e.kind,
        "kind_label": e.get_kind_display(),
        "device_id": e.device_id,
        "device": str(e.device) if e.device_id else None,
        "device_holder": user_ref(e.device_holder) if e.device_holder_id else None,
        "recorded_by": user_ref(e.recorded_by),
        "started_at": e.started_at,
        "ended_at": e.ended_at,
        "place": e.place,
        "description": e.description,
        "original_name": e.original_name,
        "content_type": e.content_type,
        "size": e.size,
        "sha256": e.sha256,
        "sm3": e.sm3,
        "via": e.via,
        "ledger_seq": e.ledger_seq,
        "uploaded_by": user_ref(e.uploaded_by),
        "uploaded_at": e.uploaded_at,
        "fixity_checked_at": e.fixity_checked_at,
        "fixity_ok": e.fixity_ok,
    }


def _case(request, case_id: int, perm: str, what: str):
    """The case, for a user holding ``perm`` who works for its agency (``services.require``,
    the evidence pages' rule)."""
    from sanxiang.cases.models import Case

    need(request, perm, what)
    case = Case.objects.select_related("agency").filter(pk=case_id).first()
    if case is None:
        raise Http404("案件不存在")
    services.require(request.user, perm, what, case=case)
    return case


def _one(request, pk: int, what: str = "查看证据") -> Evidence:
    need(request, "records.view_evidence", what)
    try:
        evidence = selectors.evidence_detail(pk)
    except Evidence.DoesNotExist:
        raise Http404("证据不存在") from None
    if not services.may_view(request.user, evidence):
        raise PermissionDenied("您没有查看该证据的权限")
    return evidence


# --- reading ------------------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/evidence",
    response=responses({200: Page[EvidenceOut]}, 404),
    operation_id="case_evidence",
    summary="案件的证据",
)
def case_evidence(request, case_id: Id, q: Query[EvidenceQuery]):
    """本案证据的登记信息（记录要素、哈希、上传方式、完整性校验），新上传的在前；不含文件内容。"""
    case = _case(request, case_id, "records.view_evidence", "查看证据")
    number = q.q.strip().upper().removeprefix("ZJ").lstrip("0")
    if number.isdigit() and int(number) > MAX_ID:
        # The selector looks a number up as an id; one no column can hold matches nothing.
        raise ApiError(422, "证据编号超出范围", fields={"q": ["证据编号超出范围"]})
    rows = selectors.evidence_list(
        user=request.user, case=case, kind=q.kind, scene=q.scene, step=q.step, q=q.q
    ).select_related("device_holder")
    return paginate(request, rows, q, lambda page: [_evidence(e) for e in page])


@router.get(
    "/cases/{case_id}/evidence/records",
    response=responses({200: Page[RecordRef]}, 404),
    operation_id="case_evidence_records",
    summary="本案可关联证据的执法记录",
)
def case_evidence_records(request, case_id: Id, q: Query[PageQuery]):
    """登记证据时 `ref` 可选的值：本案的笔录、送达回证、听证等记录（`rec:…`）；记录尚未录入的，
    用办案环节 `step:<环节>`。"""
    case = _case(request, case_id, "records.view_evidence", "查看证据")
    rows = [
        {"ref": r.value, "step": r.step, "label": r.label, "on": r.on}
        for r in selectors.case_records(case)
    ]
    return paginate(request, rows, q)


@router.get(
    "/evidence/{evidence_id}",
    response=responses({200: EvidenceOut}, 404),
    operation_id="evidence",
    summary="证据登记信息",
)
def evidence(request, evidence_id: Id):
    """一份证据的登记信息（不含文件内容，因此不记入保管链；下载文件见 download）。"""
    return _evidence(_one(request, evidence_id))


@router.get(
    "/evidence/{evidence_id}/custody",
    response=responses({200: Page[CustodyOut]}, 404),
    operation_id="evidence_custody",
    summary="证据保管链",
)
def evidence_custody(request, evidence_id: Id, q: Query[PageQuery]):
    """该文件的全部账本事件：登记、每次查看、下载、导出（含用途）、完整性校验失败和恢复。"""
    found = _one(request, evidence_id, "查看证据保管链")
    rows = [
        {
            "seq": r.seq,
            "at": r.at,
            "label": r.label,
            "actor": user_ref(r.actor),
            "ip": r.ip,
            "reason": r.reason,
            "details": r.details,
        }
        for r in selectors.custody_log(found)
    ]
    return paginate(request, rows, q)


@router.post(
    "/evidence/{evidence_id}/download",
    response=responses({200: bytes}, 400, 404),
    operation_id="evidence_download",
    summary="下载证据文件（写明用途，记入保管链）",
    openapi_extra={
        "responses": {
            200: {
                "description": "文件内容（Content-Type 为按内容识别的类型）",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def evidence_download(request, evidence_id: Id, payload: DownloadIn):
    """与页面下载相同：先把“谁、何时、从何地址、为何用途”记入证据保管链（账本），再发出文件。"""
    found = _one(request, evidence_id, "下载证据")
    services.evidence_access_record(
        request=request, evidence=found, action="download", reason=payload.reason
    )
    return FileResponse(
        default_storage.open(found.storage_name, "rb"),
        as_attachment=True,
        filename=rules.download_name(found.original_name, found.ext, found.number),
        content_type=found.content_type,
    )


# --- uploading ------------------------------------------------------------------------------------

# tus answers that are about the request's values (422 here), as opposed to who asks (403)
# or the server's limits.
_TUS_STATUS = {400: 422}


@router.post(
    "/cases/{case_id}/evidence/uploads",
    response=responses({201: UploadSlot}, 400, 404, 413, 507),
    operation_id="case_evidence_upload_create",
    summary="创建断点续传上传",
    description=f"""为本案创建一个 tus 上传（与页面上传脚本相同的 `tus.upload_create`：本案办案人员、\
案件未办结、文件大小不超过该证据形式的上限、未完成的上传不超过每人上限——超过时 429）。

{TUS_HELP}""",
)
def upload_create(request, case_id: Id, payload: SlotIn):
    case = _case(request, case_id, "records.add_evidence", "上传证据")
    metadata = {"case": str(case.pk), "filename": payload.filename, "filetype": payload.filetype}
    if payload.kind:
        metadata["kind"] = payload.kind
    try:
        session = tus.upload_create(actor=request.user, length=payload.length, metadata=metadata)
    except tus.TusFailure as failure:
        status = _TUS_STATUS.get(failure.status, failure.status)
        fields = {"length": [failure.message]} if failure.status == 413 else None
        raise ApiError(status, failure.message, fields=fields) from None
    return Status(
        201,
        {
            "upload_id": session.pk,
            "location": request.build_absolute_uri(f"{TUS_PATH}{session.pk}"),
            "case_id": case.pk,
            "length": session.length,
            "offset": 0,
            "expires_at": tus.expires_at(session),
            "tus_version": rules.TUS_VERSION,
        },
    )


@router.post(
    "/cases/{case_id}/evidence",
    response=responses({201: EvidenceOut}, 400, 404, 409),
    operation_id="case_evidence_register",
    summary="登记证据（已传完的上传）",
    description=f"""把已传完的断点续传上传登记为本案证据，填写记录要素（国办发〔2018〕118号：设备、\
记录人、时间、地点、内容）。与页面相同的 `tus.upload_ingest` → `services.evidence_add`：按内容识别\
文件类型，SHA-256 与 SM3 在同一事务中记入账本。只有本案办案人员可以登记；案件已办结时 409；\
同一文件已是本案证据时 422（code `duplicate`）。

{TUS_HELP}""",
)
def register(request, case_id: Id, payload: RegisterIn):
    case = _case(request, case_id, "records.add_evidence", "上传证据")
    if not services.on_team(case, request.user):
        raise NotPermitted("证据须由本案办案人员上传")

    def local(value: dt.datetime) -> str:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")

    # The page's form parses the references (record, party, device, recorder) against the case.
    form = forms.EvidenceForm(
        {
            "ref": payload.ref,
            "kind": payload.kind,
            "scene": payload.scene,
            "party": payload.party or "",
            "device": payload.device or "",
            "recorded_by": payload.recorded_by,
            "started_at": local(payload.started_at),
            "ended_at": local(payload.ended_at),
            "place": payload.place,
            "description": payload.description,
            "upload_id": str(payload.upload_id),
        },
        case=case,
        user=request.user,
    )
    if not form.is_valid():
        fields = {
            name if name != "__all__" else "upload_id": [str(m) for m in messages]
            for name, messages in form.errors.items()
        }
        summary = "；".join(m for ms in fields.values() for m in ms)
        raise ApiError(422, f"请求参数不正确（{summary}）", fields=fields)
    created = tus.upload_ingest(
        actor=request.user,
        upload_id=form.cleaned_data["upload_id"],
        case=case,
        **form.service_kwargs(),
    )
    return Status(201, _evidence(selectors.evidence_detail(created.pk)))
