"""Key journeys in a real browser (Playwright driving Debian's chromium, through the shared
``page`` and ``login`` fixtures): a party types the code printed on its decision and sees the
record; an officer uploads the sealed scan."""

from __future__ import annotations

import pytest

from sanxiang.records import documents, services

pytestmark = pytest.mark.browser


@pytest.fixture
def decision(personas, agency):
    return services.document_generate(
        actor=personas.zhangming,
        doc_type="penalty_decision",
        subject=agency,
        context=documents.get("penalty_decision").sample(),
        allocate_number=True,
    )


def test_a_party_verifies_the_code_printed_on_its_decision(decision, page):
    page.goto(f"{page.base_url}/verify/document/")
    page.get_by_role("textbox", name="验证码").fill(decision.grouped_code.lower())
    page.get_by_role("button", name="核验").click()
    page.wait_for_url(f"{page.base_url}/verify/document/{decision.verification_code}")
    assert page.get_by_role("heading", name="文书核验结果").is_visible()
    text = page.locator("main").inner_text()
    assert "已记入账本" in text and decision.pdf_sha256 in text
    assert "陵川县示例建筑劳务有限公司" not in text

    page.goto(f"{page.base_url}/verify/document/")
    page.get_by_role("textbox", name="验证码").fill("ZZZZ-ZZZZ-ZZ")
    page.get_by_role("button", name="核验").click()
    assert page.get_by_role("heading", name="未找到该验证码").is_visible()


def test_an_officer_uploads_the_sealed_scan(decision, page, login, tmp_path):
    login("zhangming", next_path=f"/records/documents/{decision.pk}/")
    scan = tmp_path / "决定书-签章.pdf"
    scan.write_bytes(b"%PDF-1.4\n% scan\n%%EOF\n")
    page.locator("input[type=file][name=file]").set_input_files(str(scan))
    page.get_by_role("button", name="上传").click()
    assert page.get_by_text("签章文书扫描件已上传").is_visible()
    assert page.get_by_role("link", name="查看签章扫描件").is_visible()
