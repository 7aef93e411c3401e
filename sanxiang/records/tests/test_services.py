"""Services: generate a document (render → store → hash → ledger, one transaction) and attach
the scan of the signed and sealed paper. Bad input gets a Chinese error and writes nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sanxiang.lib.errors import DomainError, NotPermitted
from sanxiang.records import documents, selectors, services, storage
from sanxiang.records.models import DocumentScan, GeneratedDocument

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


def events(type_: str):
    from sanxiang.ledger.models import Event

    return list(Event.objects.filter(type=type_).order_by("seq"))


def data_of(event) -> dict:
    return json.loads(event.payload)["data"]


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "records"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def nothing_written(settings):
    """Asserts, after the test's action, that no row, event or file was added."""
    from sanxiang.ledger.models import Event

    before = (
        GeneratedDocument.objects.count(),
        DocumentScan.objects.count(),
        Event.objects.count(),
        stored_files(settings),
    )

    def check():
        after = (
            GeneratedDocument.objects.count(),
            DocumentScan.objects.count(),
            Event.objects.count(),
            stored_files(settings),
        )
        assert after == before

    return check


def generate(personas, agency, code="penalty_decision", **kwargs):
    spec = documents.get(code)
    kwargs.setdefault("context", spec.sample())
    if spec.number_code and "number" not in kwargs and "replaces" not in kwargs:
        kwargs.setdefault("allocate_number", True)
    return services.document_generate(
        actor=kwargs.pop("actor", personas.zhangming),
        doc_type=code,
        subject=kwargs.pop("subject", agency),
        **kwargs,
    )


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sm3_file(path: Path) -> str:
    return hashlib.new("sm3", path.read_bytes()).hexdigest()


# --- generation ----------------------------------------------------------------------------


def test_generating_records_the_file_hashes_in_the_ledger(personas, agency, settings):
    document = generate(personas, agency)
    (event,) = events("document.generated")
    data = data_of(event)
    assert document.ledger_seq == event.seq
    assert event.actor_id == personas.zhangming.pk
    assert data["document"] == document.pk and data["doc_type"] == "penalty_decision"
    assert data["template_version"] == documents.get("penalty_decision").version
    assert data["verification_code"] == document.verification_code
    pdf_entry, docx_entry = data["files"]
    assert pdf_entry["role"] == "pdf" and docx_entry["role"] == "docx"
    # The stored files hash to what the ledger says.
    for entry, sha, sm3, size in (
        (pdf_entry, document.pdf_sha256, document.pdf_sm3, document.pdf_size),
        (docx_entry, document.docx_sha256, document.docx_sm3, document.docx_size),
    ):
        path = Path(settings.MEDIA_ROOT) / entry["path"]
        assert entry["sha256"] == sha == sha256_file(path)
        assert entry["sm3"] == sm3 == sm3_file(path)
        assert entry["size"] == size == path.stat().st_size
        assert entry["path"].endswith(f"{sha}.{entry['path'].rsplit('.', 1)[-1]}")


def test_the_event_is_about_the_subject(personas, agency):
    from sanxiang.ledger.selectors import events_of_subject

    document = generate(personas, agency)
    assert [e.type for e in events_of_subject(agency)][-1] == "document.generated"
    assert document.subject == agency


def test_the_pdf_carries_code_number_and_qr_url(personas, agency, settings, tmp_path):
    document = generate(personas, agency)
    text = "".join(
        pdf_text(Path(settings.MEDIA_ROOT, document.pdf.name).read_bytes(), tmp_path).split()
    )
    assert document.grouped_code in text
    assert document.number == "陵人社监罚字〔2026〕第1号" and document.number in text
    assert document.template_version == "2026.2" and document.issued_on == dt.date(2026, 3, 5)


def test_ledger_verify_with_files_rehashes_them_and_sees_tampering(personas, agency, settings):
    from sanxiang.ledger.verify import verify_ledger

    document = generate(personas, agency)
    report = verify_ledger(files=True)
    assert report.files >= 2 and report.file_problems == []
    Path(settings.MEDIA_ROOT, document.pdf.name).write_bytes(b"%PDF-1.7 forged")
    report = verify_ledger(files=True)
    assert [p.path for p in report.file_problems] == [document.pdf.name]


def test_numbers_come_from_the_numbering_service_in_sequence(personas, agency):
    first = generate(personas, agency)
    second = generate(personas, agency)
    notice = generate(personas, agency, "advance_notice")
    assert (first.number, second.number) == (
        "陵人社监罚字〔2026〕第1号",
        "陵人社监罚字〔2026〕第2号",
    )
    assert notice.number == "陵人社监告字〔2026〕第1号"
    from sanxiang.cases.models import IssuedNumber

    assert IssuedNumber.objects.filter(agency=agency, doc_type="penalty").count() == 2


def test_an_allocated_number_is_returned_when_generation_fails(personas, agency):
    spec = documents.get("penalty_decision")
    bad = spec.sample()
    bad.facts = ""
    with pytest.raises(DomainError):
        generate(personas, agency, context=bad)
    assert generate(personas, agency).number == "陵人社监罚字〔2026〕第1号"


def test_a_given_number_is_printed_and_cannot_be_used_twice(personas, agency):
    document = generate(personas, agency, number="陵人社监罚字〔2026〕第9号")
    assert document.number == "陵人社监罚字〔2026〕第9号"
    with pytest.raises(DomainError, match="已用于另一份文书"):
        generate(personas, agency, number="陵人社监罚字〔2026〕第9号")


def test_documents_without_numbers_get_none(personas, agency):
    document = generate(personas, agency, "service_receipt")
    assert document.number == "" and document.docx_sha256


def test_a_numbered_document_without_a_number_is_refused(personas, agency, nothing_written):
    with pytest.raises(DomainError, match="行政处罚决定书须有文号"):
        generate(personas, agency, allocate_number=False)
    nothing_written()


def test_missing_context_fields_write_nothing(personas, agency, nothing_written):
    context = documents.get("penalty_decision").sample()
    context.party.address = ""
    context.evidence = []
    with pytest.raises(DomainError) as caught:
        generate(personas, agency, context=context)
    assert "请填写当事人的住所（地址）" in caught.value.message
    assert "请填写证据" in caught.value.message
    nothing_written()


def test_an_unknown_type_writes_nothing(personas, agency, nothing_written):
    with pytest.raises(DomainError, match="未知的文书种类"):
        services.document_generate(
            actor=personas.zhangming, doc_type="x", subject=agency, context=None
        )
    nothing_written()


def test_only_permitted_staff_generate(personas, agency, nothing_written):
    with pytest.raises(NotPermitted, match="没有制作执法文书的权限"):
        generate(personas, agency, actor=personas.wuquanxian)
    with pytest.raises(NotPermitted):
        generate(personas, agency, actor=personas.zhougongshi)  # 公示管理员 reads only
    nothing_written()


def test_the_printed_agency_must_be_the_issuing_agency(personas, agency, nothing_written):
    context = documents.get("penalty_decision").sample()
    context.agency_name = "另一个局"
    with pytest.raises(DomainError, match="与制作机关“陵川县人力资源和社会保障局”不一致"):
        generate(personas, agency, context=context)
    nothing_written()


def test_the_subject_must_be_saved(personas, agency, nothing_written):
    from sanxiang.registry.models import Agency

    with pytest.raises(DomainError, match="请先保存"):
        generate(personas, agency, subject=Agency(name="x"))
    nothing_written()


# --- storage -------------------------------------------------------------------------------


def test_content_addressed_storage_never_overwrites(settings):
    first = storage.store_bytes(b"%PDF-1.7 one", prefix="documents", ext="pdf")
    path = Path(settings.MEDIA_ROOT) / first.path
    stat = path.stat()
    again = storage.store_bytes(b"%PDF-1.7 one", prefix="documents", ext="pdf")
    assert again == first and path.stat().st_mtime_ns == stat.st_mtime_ns
    # A stored file altered behind our back is reported, not silently replaced.
    path.write_bytes(b"tampered")
    with pytest.raises(DomainError, match="与其内容哈希不符"):
        storage.store_bytes(b"%PDF-1.7 one", prefix="documents", ext="pdf")
    assert path.read_bytes() == b"tampered"
    assert len(list(path.parent.iterdir())) == 1


# --- final scan ----------------------------------------------------------------------------

PDF_SCAN = b"%PDF-1.4\n% scanned signed and sealed decision\n%%EOF\n"


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 60), "white").save(out, format="PNG")
    return out.getvalue()


def test_attaching_the_scan_records_its_hashes(personas, agency, settings):
    document = generate(personas, agency)
    upload = SimpleUploadedFile("决定书-签章.pdf", PDF_SCAN, content_type="application/pdf")
    scan = services.document_attach_scan(
        actor=personas.zhangming, document=document, uploaded_file=upload
    )
    (event,) = events("document.scan_attached")
    (entry,) = data_of(event)["files"]
    path = Path(settings.MEDIA_ROOT) / entry["path"]
    assert entry["role"] == "scan" and entry["sha256"] == scan.sha256 == sha256_file(path)
    assert entry["sm3"] == scan.sm3 == sm3_file(path)
    assert scan.content_type == "application/pdf" and scan.ledger_seq == event.seq
    # The generated PDF stays.
    assert Path(settings.MEDIA_ROOT, document.pdf.name).exists()
    assert document.final_scan == scan


def test_the_archivist_may_attach_an_image_scan(personas, agency):
    document = generate(personas, agency, "service_receipt")
    upload = SimpleUploadedFile("回证.png", png_bytes(), content_type="image/png")
    scan = services.document_attach_scan(
        actor=personas.sundangan, document=document, uploaded_file=upload
    )
    assert scan.content_type == "image/png" and scan.file.name.endswith(".png")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("决定书.txt", "这不是扫描件".encode(), "扫描件须为 PDF 或图片"),
        ("决定书.docx", b"PK\x03\x04 a word file", "扫描件须为 PDF 或图片"),
        ("决定书.pdf", b"<html>renamed</html>", "扫描件须为 PDF 或图片"),
        ("坏图.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "扫描图片已损坏或无法识别"),
        ("空.pdf", b"", "请选择扫描件文件"),
    ],
)
def test_a_bad_scan_is_refused_and_nothing_written(
    personas, agency, settings, name, content, message
):
    from sanxiang.ledger.models import Event

    document = generate(personas, agency)
    before = (Event.objects.count(), stored_files(settings))
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(DomainError, match=message):
        services.document_attach_scan(
            actor=personas.zhangming, document=document, uploaded_file=upload
        )
    assert not DocumentScan.objects.exists()
    assert (Event.objects.count(), stored_files(settings)) == before


def test_a_too_large_scan_is_refused(personas, agency, settings):
    settings.RECORDS_SCAN_MAX_BYTES = 10
    document = generate(personas, agency)
    with pytest.raises(DomainError, match="扫描件不能超过"):
        services.document_attach_scan(
            actor=personas.zhangming,
            document=document,
            uploaded_file=SimpleUploadedFile("a.pdf", PDF_SCAN),
        )


def test_the_scan_cannot_be_replaced(personas, agency):
    document = generate(personas, agency)
    services.document_attach_scan(
        actor=personas.zhangming,
        document=document,
        uploaded_file=SimpleUploadedFile("a.pdf", PDF_SCAN),
    )
    with pytest.raises(DomainError, match="不能重复上传"):
        services.document_attach_scan(
            actor=personas.zhangming,
            document=document,
            uploaded_file=SimpleUploadedFile("b.pdf", PDF_SCAN + b"x"),
        )


def test_only_permitted_staff_attach_scans(personas, agency):
    document = generate(personas, agency)
    with pytest.raises(NotPermitted):
        services.document_attach_scan(
            actor=personas.wangqiang,
            document=document,
            uploaded_file=SimpleUploadedFile("a.pdf", PDF_SCAN),
        )


# --- corrections ---------------------------------------------------------------------------


def test_a_correction_keeps_the_number_and_marks_the_old_one_replaced(personas, agency):
    first = generate(personas, agency)
    context = documents.get("penalty_decision").sample()
    context.facts += "（更正：劳动者人数核实为12人。）"
    second = generate(personas, agency, context=context, replaces=first)
    assert second.number == first.number and second.verification_code != first.verification_code
    assert selectors.document_verification(first.verification_code).replaced
    assert not selectors.document_verification(second.verification_code).replaced
    assert data_of(events("document.generated")[-1])["replaces"] == first.pk
    with pytest.raises(DomainError, match="已被取代"):
        generate(personas, agency, context=context, replaces=first)


def test_a_sealed_and_scanned_document_cannot_be_replaced(personas, agency):
    first = generate(personas, agency)
    services.document_attach_scan(
        actor=personas.zhangming,
        document=first,
        uploaded_file=SimpleUploadedFile("a.pdf", PDF_SCAN),
    )
    with pytest.raises(DomainError, match="已上传签章扫描件"):
        generate(personas, agency, replaces=first)


def test_a_correction_must_be_the_same_kind_and_case(personas, agency):
    first = generate(personas, agency)
    with pytest.raises(DomainError, match="种类相同"):
        generate(personas, agency, "service_receipt", replaces=first)
    with pytest.raises(DomainError, match="同一案件"):
        generate(personas, agency, subject=personas.zhangming, replaces=first)


# --- officers ------------------------------------------------------------------------------


def test_officers_are_printed_with_the_certificate_valid_that_day(
    officers, personas, agency, settings, tmp_path
):
    refs = selectors.officer_refs(users=officers, on=dt.date(2026, 3, 5))
    assert [(r.name, r.certificate_no) for r in refs] == [
        ("张明", "晋14052420240017"),
        ("李华", "晋14052420210033"),
    ]
    context = dataclasses.replace(documents.get("service_receipt").sample(), servers=refs)
    document = generate(personas, agency, "service_receipt", context=context)
    text = "".join(
        pdf_text(Path(settings.MEDIA_ROOT, document.pdf.name).read_bytes(), tmp_path).split()
    )
    assert "张明（执法证号：晋14052420240017）" in text


def test_an_officer_without_a_valid_certificate_cannot_be_printed(officers, personas):
    with pytest.raises(DomainError, match="王强在2026年3月5日没有有效的执法证件"):
        selectors.officer_refs(users=[officers[0], personas.wangqiang], on=dt.date(2026, 3, 5))
    with pytest.raises(DomainError, match="张明、李华在2030年1月1日没有有效的执法证件"):
        selectors.officer_refs(users=officers, on=dt.date(2030, 1, 1))


# --- downloads -----------------------------------------------------------------------------


def test_a_download_is_recorded(personas, agency):
    document = generate(personas, agency)
    handle, name, content_type = services.document_download(
        actor=personas.wangqiang, document=document, kind="pdf"
    )
    with handle:
        assert handle.read(5) == b"%PDF-"
    assert content_type == "application/pdf" and name.endswith(".pdf")
    (event,) = events("security.document_downloaded")
    assert event.actor_id == personas.wangqiang.pk and data_of(event)["kind"] == "pdf"
    with pytest.raises(DomainError):
        services.document_download(actor=personas.wangqiang, document=document, kind="scan")
    with pytest.raises(NotPermitted):
        services.document_download(actor=personas.wuquanxian, document=document, kind="pdf")
