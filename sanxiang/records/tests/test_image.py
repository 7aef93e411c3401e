"""The rendered pages checked as images (``pdftoppm -r 60 -png``, read with Pillow): page
shape, blank margins, the red 发文机关标志 and 分隔线, and a real QR code."""

from __future__ import annotations

import pytest
from PIL import Image

from sanxiang.records import documents

from .conftest import pdf_page_png, pdf_pages, pdf_words

DPI = 60
PX = DPI / 25.4  # pixels per millimetre
PT = DPI / 72  # pixels per PDF point


@pytest.fixture(scope="module")
def decision_pdf():
    spec = documents.get("penalty_decision")
    stamp = documents.Stamp(
        verification_code="K7QM3XTA9P",
        site_root="https://zfgs.example.gov.cn",
        number="陵人社监罚字〔2026〕第3号",
    )
    return documents.render_pdf(spec.code, spec.sample(), stamp=stamp)


def _is_red(p) -> bool:
    r, g, b = p[:3]
    return r > 180 and g < 110 and b < 110


def _is_ink(p) -> bool:
    return sum(p[:3]) < 3 * 235


def _pixels(image) -> list:
    flat = getattr(image, "get_flattened_data", None)  # Pillow ≥ 12; getdata is deprecated
    return list(flat() if flat else image.getdata())


def _count(image, box, test) -> int:
    region = image.crop(tuple(round(v) for v in box))
    return sum(1 for p in _pixels(region) if test(p))


@pytest.fixture(scope="module")
def first_page(decision_pdf, tmp_path_factory):
    path = pdf_page_png(decision_pdf, tmp_path_factory.mktemp("img"), page=1, dpi=DPI)
    return Image.open(path).convert("RGB")


def test_page_is_a4(first_page):
    w, h = first_page.size
    assert abs(w - 210 * PX) <= 2 and abs(h - 297 * PX) <= 2
    assert abs(h / w - 297 / 210) < 0.01


def test_margins_around_the_text_block_are_blank(first_page):
    """天头 37 mm, 订口 28 mm, outside margin 26 mm: nothing printed there (odd page)."""
    w, h = first_page.size
    top, left, right, bottom = 37 * PX, 28 * PX, (28 + 156) * PX, (37 + 225) * PX
    slack = 1.5 * PX
    assert _count(first_page, (0, 0, w, top - slack), _is_ink) == 0, "top margin"
    assert _count(first_page, (0, 0, left - slack, h), _is_ink) == 0, "binding margin"
    assert _count(first_page, (right + slack, 0, w, h), _is_ink) == 0, "outside margin"
    # Under the text block only the page number, 7 mm below it.
    assert _count(first_page, (0, bottom + slack, w, bottom + 6 * PX), _is_ink) == 0
    assert _count(first_page, (0, bottom + 6 * PX, w, h), _is_ink) > 0, "page number"


def test_the_issuing_agency_mark_and_the_rule_are_red(first_page):
    """GB/T 9704-2012 7.2.1 and 7.2.5: red 发文机关标志 at the top of the text block and a red
    分隔线 as wide as the text block; the body below is black."""
    left, right, top = 28 * PX, (28 + 156) * PX, 37 * PX
    head = (left, top - 1 * PX, right, top + 16 * PX)
    assert _count(first_page, head, _is_red) > 300
    # The red rule: some pixel row that is red across ≥ 95 % of the text block width.
    rows = []
    for y in range(round(top), round(top + 60 * PX)):
        reds = _count(first_page, (left, y, right, y + 1), _is_red)
        rows.append((reds, y))
    widest, rule_y = max(rows)
    assert widest >= 0.95 * 156 * PX
    # Nothing red below the rule (the body text is black).
    assert _count(first_page, (0, rule_y + 3, first_page.width, first_page.height), _is_red) == 0


def test_the_last_page_carries_a_qr_code_beside_the_code(decision_pdf, tmp_path):
    last = pdf_pages(decision_pdf, tmp_path)
    image = Image.open(pdf_page_png(decision_pdf, tmp_path, page=last, dpi=DPI)).convert("L")
    words = pdf_words(decision_pdf, tmp_path, page=last)
    label = next(w for w in words if w[4].startswith("验证码"))
    # The QR code is the 20 mm square left of the "验证码" line, vertically centred on the
    # three lines beside it.
    box = (
        20 * PX,
        label[1] * PT - 8 * PX,
        label[0] * PT - 1 * PX,
        label[1] * PT + 22 * PX,
    )
    region = image.crop(tuple(round(v) for v in box))
    dark = region.point(lambda v: 255 if v < 128 else 0)
    bbox = dark.getbbox()
    assert bbox is not None, "no QR code found"
    side_w, side_h = bbox[2] - bbox[0], bbox[3] - bbox[1]
    assert abs(side_w - 20 * PX) <= 2 * PX and abs(side_h - 20 * PX) <= 2 * PX
    assert abs(side_w - side_h) <= 2
    qr = region.crop(bbox)
    pixels = _pixels(qr)
    share = sum(1 for v in pixels if v < 128) / len(pixels)
    assert 0.3 < share < 0.7, "a QR code is about half dark modules"
    # Dark/light patterned: many changes along the middle row and column.
    mid = [qr.getpixel((x, qr.height // 2)) < 128 for x in range(qr.width)]
    col = [qr.getpixel((qr.width // 2, y)) < 128 for y in range(qr.height)]
    assert sum(a != b for a, b in zip(mid, mid[1:], strict=False)) >= 8
    assert sum(a != b for a, b in zip(col, col[1:], strict=False)) >= 8
