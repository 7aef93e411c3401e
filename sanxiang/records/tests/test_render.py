"""Rendering: every registered document prints what the law requires of it, on GB/T 9704
geometry, deterministically, with nothing fetched from outside."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from weasyprint.urls import FatalURLFetchingError

from sanxiang.lib.errors import DomainError
from sanxiang.records import documents
from sanxiang.records.documents import render
from sanxiang.records.documents.context import Party, Penalty
from sanxiang.records.documents.registry import squash
from sanxiang.records.documents.types.penalty_decision import PenaltyDecision

from .conftest import pdf_pages, pdf_text, pdf_words

TYPES = documents.all_types()
MM = 72 / 25.4  # PDF points per millimetre


def _stamp_for(spec, stamp):
    return stamp if spec.number_code else dataclasses.replace(stamp, number="")


@pytest.fixture(scope="module")
def rendered():
    """Each type's sample, rendered once with a stamp (module-wide: rendering is the slow part)."""
    stamp = documents.Stamp(
        verification_code="K7QM3XTA9P",
        site_root="https://zfgs.example.gov.cn",
        number="陵人社监罚字〔2026〕第3号",
    )
    out = {}
    for spec in TYPES:
        s = _stamp_for(spec, stamp)
        out[spec.code] = (spec, s, documents.render_pdf(spec.code, spec.sample(), stamp=s))
    return out


def test_the_first_four_templates_are_registered():
    assert {t.code for t in TYPES} >= {
        "penalty_decision",
        "service_receipt",
        "advance_notice",
        "file_index",
    }


@pytest.mark.parametrize("code", [t.code for t in TYPES])
def test_each_document_holds_its_required_items(code, rendered, tmp_path):
    """pdftotext of the PDF contains every required item of the type (table-driven: the items
    are declared with the type, e.g. the six 行政处罚法 第五十九条 items of the decision)."""
    spec, stamp, pdf = rendered[code]
    assert pdf.startswith(b"%PDF-")
    text = squash(pdf_text(pdf, tmp_path))
    missing = [
        f"{item.label}（{item.basis}）: {item.text(spec.sample())}"
        for item in spec.required_items
        if squash(item.text(spec.sample())) not in text
    ]
    assert not missing, f"{spec.name} lacks: {missing}"
    assert spec.required_items, "every type declares what it must print"
    # Every issued document carries its code, the verification address and its template version.
    assert stamp.grouped_code in text
    assert squash(stamp.verify_form_url) in text
    assert spec.version in text
    if spec.number_code:
        assert "陵人社监罚字〔2026〕第3号" in text


def test_penalty_decision_holds_the_six_article_59_items(rendered, tmp_path):
    spec, _stamp, pdf = rendered["penalty_decision"]
    items = [i for i in spec.required_items if "第五十九条" in i.basis]
    clauses = {i.basis.split("；")[0] for i in items}
    assert {f"第五十九条第一款第（{n}）项" for n in "一二三四五六"} <= clauses
    assert "第五十九条第二款" in clauses  # the seal
    text = squash(pdf_text(pdf, tmp_path))
    for item in items:
        assert squash(item.text(spec.sample())) in text, item.label


def test_decision_prints_the_fine_in_chinese_capitals_and_figures(rendered, tmp_path):
    _spec, _stamp, pdf = rendered["penalty_decision"]
    text = squash(pdf_text(pdf, tmp_path))
    assert "罚款人民币陆仟元整（¥6,000.00）" in text


def test_date_is_printed_in_arabic_numerals_without_leading_zeros(rendered, tmp_path):
    # GB/T 9704-2012 7.3.5.1: 成文日期 in Arabic numerals, year in full, no 虚位.
    _spec, _stamp, pdf = rendered["penalty_decision"]
    text = squash(pdf_text(pdf, tmp_path))
    assert "2026年3月5日" in text
    assert "2026年03月05日" not in text


def test_document_numbers_use_hexagonal_brackets(rendered, tmp_path):
    # GB/T 9704-2012 7.2.4: 年份 in 六角括号 〔〕.
    _spec, _stamp, pdf = rendered["penalty_decision"]
    assert "〔2026〕" in pdf_text(pdf, tmp_path)


def test_pages_are_a4_and_the_text_stays_inside_the_gbt9704_text_block(rendered, tmp_path):
    """A4; on odd pages the text block starts 28 mm from the left (订口) and 37 mm from the
    top (天头) and is 156 × 225 mm; only the page number lies below it."""
    _spec, _stamp, pdf = rendered["penalty_decision"]
    words = pdf_words(pdf, tmp_path, page=1)
    assert words
    left, top, right, bottom = 28 * MM, 37 * MM, (28 + 156) * MM, (37 + 225) * MM
    tolerance = 1 * MM  # ±1 mm in the standard
    body = [w for w in words if w[1] < bottom]
    footer = [w for w in words if w[1] >= bottom]
    for x0, y0, x1, _y1, text in body:
        assert x0 >= left - tolerance and x1 <= right + tolerance, (
            f"{text!r} outside the text block"
        )
        assert y0 >= top - tolerance, f"{text!r} above the text block"
    # The page number: "— 1 —", 4号 (14 pt), 7 mm under the text block, at the outside edge.
    assert "".join(w[4] for w in footer) == "—1—"
    assert all(abs((w[3] - w[1]) - 14) < 1.5 for w in footer)
    assert abs(min(w[1] for w in footer) - (bottom + 7 * MM)) < 3 * MM
    assert max(w[2] for w in footer) > right - 30 * MM  # odd page: right side


def test_even_pages_mirror_the_binding_margin_and_number_on_the_left(rendered, tmp_path):
    _spec, _stamp, pdf = rendered["penalty_decision"]
    assert pdf_pages(pdf, tmp_path) >= 2
    words = pdf_words(pdf, tmp_path, page=2)
    bottom = (37 + 225) * MM
    body = [w for w in words if w[1] < bottom]
    footer = [w for w in words if w[1] >= bottom]
    assert min(w[0] for w in body) >= 26 * MM - 1 * MM  # binding margin now on the right
    assert max(w[2] for w in body) <= (26 + 156) * MM + 1 * MM
    assert "".join(w[4] for w in footer) == "—2—"
    assert min(w[0] for w in footer) < 26 * MM + 30 * MM  # even page: left side


def test_body_lines_hold_28_characters(tmp_path):
    """GB/T 9704-2012 5.2.2: 28 characters a line. A paragraph of 56 CJK characters (after the
    two-character indent: 26 + 28 + 2) fills exactly three lines."""
    spec = documents.get("penalty_decision")
    context = spec.sample()
    context.facts = "劳" * 82
    context.evidence = ["证据一"]
    pdf = documents.render_pdf(spec.code, context)
    lines = [line.strip() for line in pdf_text(pdf, tmp_path).splitlines()]
    full = [line for line in lines if set(line) == {"劳"}]
    assert [len(line) for line in full] == [26, 28, 28]


def test_same_inputs_give_the_same_pdf_bytes(stamp):
    """Deterministic output: the PDF's hash goes into the ledger."""
    spec = documents.get("penalty_decision")
    first = documents.render_pdf(spec.code, spec.sample(), stamp=stamp)
    second = documents.render_pdf(spec.code, spec.sample(), stamp=stamp)
    assert first == second
    assert b"/CreationDate" not in first and b"/ModDate" not in first
    other = documents.render_pdf(
        spec.code, spec.sample(), stamp=dataclasses.replace(stamp, verification_code="K7QM3XTA9Q")
    )
    assert other != first


def test_a_draft_has_no_code_and_says_so(tmp_path):
    spec = documents.get("advance_notice")
    text = squash(pdf_text(documents.render_pdf(spec.code, spec.sample()), tmp_path))
    assert "样稿" in text and "不得作为执法文书使用" in text
    assert "验证码K" not in text and "核验本文书" not in text
    assert "（文号）" in text


def test_officers_are_printed_with_their_certificate_numbers(rendered, tmp_path):
    """送达回证 names the servers with their certificate numbers (行政处罚法 第五十五条); the
    same partial prints them on any document that lists officers."""
    spec, _stamp, pdf = rendered["service_receipt"]
    text = squash(pdf_text(pdf, tmp_path))
    assert "张明（执法证号：晋14052420240017）" in text
    assert "李华（执法证号：晋14052420210033）" in text


def test_decision_lists_officers_only_when_given(tmp_path):
    spec = documents.get("penalty_decision")
    context = spec.sample()
    assert "执法证号" not in pdf_text(documents.render_pdf(spec.code, context), tmp_path)
    from sanxiang.records.documents.context import OfficerRef

    context.officers = [OfficerRef(name="张明", certificate_no="晋14052420240017")]
    assert "张明（执法证号：晋14052420240017）" in squash(
        pdf_text(documents.render_pdf(spec.code, context), tmp_path)
    )


def test_a_warning_only_decision_needs_no_payment_account(tmp_path):
    spec = documents.get("penalty_decision")
    context = spec.sample()
    context.penalties = [Penalty(kind="warning")]
    context.payment = None
    text = squash(pdf_text(documents.render_pdf(spec.code, context), tmp_path))
    assert "给予警告" in text
    assert "本处罚决定自送达之日起执行" in text
    assert "十五日内" not in text


def test_a_person_is_addressed_as_you_with_an_id_number(tmp_path):
    spec = documents.get("penalty_decision")
    context = spec.sample()
    context.party = Party(
        kind="person", name="李示例", address="陵川县示例村1号", id_number="140524199001011234"
    )
    text = squash(pdf_text(documents.render_pdf(spec.code, context), tmp_path))
    assert "身份证件号码：140524199001011234" in text
    assert "你如不服本处罚决定" in text and "你单位如不服" not in text


def test_text_is_escaped_not_interpreted_as_html(tmp_path):
    spec = documents.get("penalty_decision")
    context = spec.sample()
    context.party.name = "陵川县<b>示例</b>&公司"
    html = documents.render_html(spec.code, context)
    assert "&lt;b&gt;示例&lt;/b&gt;&amp;公司" in html


# --- bad input -----------------------------------------------------------------------------


def test_missing_required_fields_are_named_in_chinese():
    with pytest.raises(DomainError) as caught:
        documents.render_pdf("penalty_decision", PenaltyDecision())
    message = caught.value.message
    assert message.startswith("行政处罚决定书内容不完整")
    for label in (
        "当事人的当事人名称（姓名）",
        "违法事实",
        "证据",
        "处罚依据",
        "决定日期",
        "行政复议机关",
    ):
        assert label in message


def test_a_fine_without_an_account_is_refused():
    spec = documents.get("penalty_decision")
    context = spec.sample()
    context.payment = None
    with pytest.raises(DomainError, match="罚款缴纳账户"):
        documents.render_pdf(spec.code, context)


def test_money_must_be_decimal_not_float():
    spec = documents.get("penalty_decision")
    context = spec.sample()
    context.penalties = [Penalty(kind="fine", amount=6000.0)]
    with pytest.raises(DomainError, match="应为整数或 Decimal 金额"):
        documents.render_pdf(spec.code, context)


def test_dates_must_be_dates():
    spec = documents.get("penalty_decision")
    context = spec.sample()
    context.issued_on = "2026-03-05"
    with pytest.raises(DomainError, match="决定日期应为日期"):
        documents.render_pdf(spec.code, context)


def test_an_organisation_needs_its_credit_code():
    spec = documents.get("advance_notice")
    context = spec.sample()
    context.party = dataclasses.replace(context.party, uscc="")
    with pytest.raises(DomainError, match="统一社会信用代码"):
        documents.render_pdf(spec.code, context)


def test_unknown_document_type_is_refused_in_chinese():
    with pytest.raises(DomainError, match="未知的文书种类：no_such_type"):
        documents.render_pdf("no_such_type", object())


def test_the_wrong_context_class_is_refused():
    spec = documents.get("service_receipt")
    with pytest.raises(DomainError, match="送达回证的内容应为 ServiceReceipt"):
        documents.render_pdf("service_receipt", documents.get("file_index").sample())
    assert spec


# --- nothing from the network ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://example.com/font.woff",
        "ftp://example.com/x.png",
        "file:///etc/passwd",
        "file:///work/main/sanxiang/settings.py",
    ],
)
def test_the_fetcher_refuses_everything_but_local_assets(url):
    fetcher = render.LocalFetcher()
    with pytest.raises(render.RefusedURL, match="已拒绝"):
        fetcher.fetch(url)


def test_the_fetcher_serves_data_uris_and_the_document_assets():
    fetcher = render.LocalFetcher()
    assert fetcher.fetch("data:text/plain;base64,5paH5Lmm").read() == "文书".encode()
    css = fetcher.fetch((render.registry.ASSETS_DIR / "gbt9704.css").as_uri())
    assert b"GB/T 9704" in css.read()
    # A path that climbs out of the assets folder is refused even though it starts inside it.
    with pytest.raises(render.RefusedURL):
        fetcher.fetch((render.registry.ASSETS_DIR / ".." / "render.py").as_uri())


def test_a_template_that_references_the_network_fails_instead_of_fetching():
    html = '<html><body><img src="http://192.0.2.1/seal.png"><p>文书</p></body></html>'
    with pytest.raises(DomainError, match="已拒绝"):
        render.html_to_pdf(html)
    # …and a stylesheet import is refused the same way.
    html = '<html><head><style>@import url("https://cdn.example.com/x.css");</style></head><body>x</body></html>'
    with pytest.raises((DomainError, FatalURLFetchingError)):
        render.html_to_pdf(html)


def test_decision_dated_in_another_year_still_renders():
    spec = documents.get("penalty_decision")
    context = spec.sample()
    context.issued_on = dt.date(2027, 1, 4)
    context.penalties = [Penalty(kind="fine", amount=Decimal("325.04"))]
    assert documents.render_pdf(spec.code, context).startswith(b"%PDF-")
