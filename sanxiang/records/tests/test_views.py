"""Pages: the public verification page (no login, no personal data) and the staff pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sanxiang.records import documents, services
from sanxiang.records.models import DocumentScan

pytestmark = pytest.mark.django_db

PDF_SCAN = b"%PDF-1.4\n% scan\n%%EOF\n"


@pytest.fixture
def decision(personas, agency):
    return services.document_generate(
        actor=personas.zhangming,
        doc_type="penalty_decision",
        subject=agency,
        context=documents.get("penalty_decision").sample(),
        allocate_number=True,
    )


# --- public verification -------------------------------------------------------------------


def test_a_good_code_shows_the_record_without_login(client, decision):
    response = client.get(f"/verify/document/{decision.verification_code}")
    assert response.status_code == 200
    body = response.content.decode()
    for shown in (
        "陵川县人力资源和社会保障局",
        "行政处罚决定书",
        "陵人社监罚字〔2026〕第1号",
        "2026年3月5日",
        decision.pdf_sha256,
        decision.pdf_sm3,
        decision.grouped_code,
        f"序号 {decision.ledger_seq}",
        "已记入账本",
        "尚未上传",
    ):
        assert shown in body, shown


def test_the_verification_page_shows_no_personal_data_or_content(client, decision):
    sample = documents.get("penalty_decision").sample()
    body = client.get(f"/verify/document/{decision.verification_code}").content.decode()
    for private in (
        sample.party.name,
        sample.party.address,
        sample.party.uscc,
        sample.party.legal_representative,
        sample.payment.account_no,
        "违法延长",  # the case cause
        "张明",  # who made it
        decision.title,
    ):
        assert private not in body, private


def test_typed_variants_of_a_code_lead_to_its_page(client, decision):
    code = decision.verification_code
    grouped = decision.grouped_code.lower()
    response = client.get(f"/verify/document/{grouped}")
    assert response.status_code == 302 and response["Location"] == f"/verify/document/{code}"
    response = client.get("/verify/document/", {"code": f" {grouped} "})
    assert response.status_code == 302 and response["Location"] == f"/verify/document/{code}"


def test_a_bad_code_is_a_chinese_404(client, decision):
    response = client.get("/verify/document/ZZZZZZZZZZ")
    assert response.status_code == 404
    assert "未找到该验证码" in response.content.decode()
    response = client.get("/verify/document/not-a-code")
    assert response.status_code == 404 and "未找到该验证码" in response.content.decode()


def test_the_form_explains_a_malformed_code(client):
    response = client.get("/verify/document/")
    assert response.status_code == 200 and "执法文书核验" in response.content.decode()
    response = client.get("/verify/document/", {"code": "123"})
    assert response.status_code == 400
    assert "验证码应为 10 位字母和数字" in response.content.decode()


def test_the_page_shows_the_final_scan(client, personas, decision):
    scan = services.document_attach_scan(
        actor=personas.zhangming,
        document=decision,
        uploaded_file=SimpleUploadedFile("a.pdf", PDF_SCAN),
    )
    body = client.get(f"/verify/document/{decision.verification_code}").content.decode()
    assert "已上传" in body and scan.sha256 in body and f"序号 {scan.ledger_seq}" in body
    assert "a.pdf" not in body


def test_the_qr_code_leads_to_this_page(decision, settings):
    stamp = documents.Stamp(
        verification_code=decision.verification_code, site_root=settings.SITE_ROOT
    )
    assert (
        stamp.verify_url
        == f"{settings.SITE_ROOT}{reverse('verify:document', args=[decision.verification_code])}"
    )


def test_a_checkpoint_covering_the_entry_is_mentioned(client, decision):
    from sanxiang.ledger.services import checkpoint_issue

    checkpoint_issue()
    body = client.get(f"/verify/document/{decision.verification_code}").content.decode()
    assert "已纳入签名检查点" in body and f"/transparency/proof/{decision.ledger_seq}" in body


# --- staff pages ---------------------------------------------------------------------------


def test_staff_pages_need_login(client, decision):
    for url in (
        reverse("records:document_list"),
        reverse("records:document_detail", args=[decision.pk]),
        reverse("records:document_file", args=[decision.pk, "pdf"]),
        reverse("records:template_list"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_users_without_the_role_are_refused(client, personas, decision):
    client.force_login(personas.wuquanxian)
    assert client.get(reverse("records:document_list")).status_code == 403
    assert (
        client.get(reverse("records:document_file", args=[decision.pk, "pdf"])).status_code == 403
    )


def test_the_list_and_detail_show_the_document(
    client, personas, decision, django_assert_max_num_queries
):
    client.force_login(personas.wangqiang)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("records:document_list"))
    assert response.status_code == 200 and decision.title in response.content.decode()
    body = client.get(reverse("records:document_detail", args=[decision.pk])).content.decode()
    assert (
        decision.pdf_sha256 in body
        and decision.number in body
        and f"第 {decision.ledger_seq} 条" in body
    )
    assert "上传签章文书扫描件" not in body  # 王强 may read but not upload


def test_the_pdf_download_is_served_and_audited(client, personas, decision):
    from sanxiang.ledger.models import Event

    client.force_login(personas.lihua)
    response = client.get(reverse("records:document_file", args=[decision.pk, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert Event.objects.filter(type="security.document_downloaded", actor=personas.lihua).exists()
    response = client.get(reverse("records:document_file", args=[decision.pk, "docx"]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert (
        client.get(reverse("records:document_file", args=[decision.pk, "scan"])).status_code == 404
    )
    assert (
        client.get(reverse("records:document_file", args=[decision.pk, "xml"])).status_code == 404
    )


def test_an_officer_uploads_the_scan_through_the_page(client, personas, decision):
    client.force_login(personas.zhangming)
    url = reverse("records:scan_upload", args=[decision.pk])
    response = client.post(url, {"file": SimpleUploadedFile("x.txt", b"hello")})
    assert response.status_code == 400 and "扫描件须为 PDF 或图片" in response.content.decode()
    assert not DocumentScan.objects.exists()
    response = client.post(url, {"file": SimpleUploadedFile("scan.pdf", PDF_SCAN)})
    assert response.status_code == 302
    assert DocumentScan.objects.get().document == decision


def test_the_template_library_lists_types_and_serves_samples(client, personas):
    client.force_login(personas.zhangming)
    body = client.get(reverse("records:template_list")).content.decode()
    for t in documents.all_types():
        assert t.name in body and t.version in body
    response = client.get(reverse("records:template_sample", args=["penalty_decision"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert client.get(reverse("records:template_sample", args=["nope"])).status_code == 404
