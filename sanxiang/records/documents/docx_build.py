"""Builds the DOCX templates (docx_templates/*.docx) with python-docx; docxtpl fills them.

    .venv/bin/python -m sanxiang.records.documents.docx_build           # rewrite the files
    .venv/bin/python -m sanxiang.records.documents.docx_build --check   # exit 1 if stale

Why committed files rather than building them at run time: a .docx template is the artefact a
bureau's clerk opens in WPS/Word to adjust wording to the provincial format text; it must
exist as a file that can be replaced. Why a script rather than hand-made files: the templates
are then reviewable as code, and ``test_docx_templates_match_the_build_script`` fails when a
committed file and this script disagree (compared part by part, uncompressed, so the test does
not depend on the zlib version).

The page follows GB/T 9704-2012 like the PDF (A4; margins 37/26/35/28 mm, mirrored for
double-sided printing; body 3号仿宋 on an exact 28.95 pt line pitch; title 2号小标宋; page
number "— n —" in 4号宋体, right on odd pages and left on even pages). Fonts are named by
their GB/T 9704 names (w:eastAsia), so Word/WPS uses the bureau's installed fonts.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

DOCX_DIR = Path(__file__).resolve().parent / "docx_templates"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
RED = RGBColor(0xFF, 0x00, 0x00)
LINE = Pt(28.95)  # 225 mm / 22 lines
INDENT = Pt(31.6)  # two characters of 156 mm / 28


def normalized_zip(data: bytes, *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The same package with fixed member times, so equal content gives equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            member.compress_type = compression
            member.create_system = 3
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def zip_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


# --- low-level helpers -----------------------------------------------------------------------


def _fonts(element, name: str) -> None:
    """Set ascii, hAnsi and eastAsia fonts of a run or style's rPr (python-docx sets only the
    first two through ``font.name``)."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _border(paragraph, *, side: str = "bottom", color: str = "FF0000", size: int = 12) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size))  # eighths of a point
    edge.set(qn("w:space"), "1")
    edge.set(qn("w:color"), color)
    borders.append(edge)
    ppr.append(borders)


def _page_field(paragraph) -> None:
    """ "— PAGE —" in 4号宋体 (GB/T 9704-2012 7.5)."""

    def run(text: str | None = None, field: str | None = None):
        r = paragraph.add_run(text or "")
        r.font.size = Pt(14)
        _fonts(r._r, SONGTI)
        if field:
            for kind, instr in (("begin", None), (None, field), ("end", None)):
                if kind:
                    el = OxmlElement("w:fldChar")
                    el.set(qn("w:fldCharType"), kind)
                else:
                    el = OxmlElement("w:instrText")
                    el.set(qn("xml:space"), "preserve")
                    el.text = instr
                r._r.append(el)
        return r

    run("— ")
    run(field=" PAGE ")
    run(" —")


class Builder:
    """A GB/T 9704 page with helpers that add paragraphs holding Jinja tags."""

    def __init__(self, *, page_numbers: bool = True) -> None:
        doc = self.doc = Document()
        # No thumbnail of python-docx's sample page inside our templates.
        package = doc.part.package
        for r_id, rel in list(package.rels.items()):
            if rel.reltype == RT.THUMBNAIL:
                package.rels.pop(r_id)
        props = doc.core_properties
        props.author = "Sanxiang"
        props.comments = "三项 文书模板（由 sanxiang/records/documents/docx_build.py 生成）"
        props.last_modified_by = "Sanxiang"
        props.title = ""
        props.revision = 1
        import datetime as dt

        props.created = props.modified = dt.datetime(2026, 1, 1)

        section = doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.header_distance = Mm(15)
        # Page number line 7 mm under the text block (GB/T 9704-2012 7.5).
        section.footer_distance = Mm(23)
        section.start_type = WD_SECTION.NEW_PAGE
        settings = doc.settings.element
        settings.append(OxmlElement("w:mirrorMargins"))  # 双面印刷 (GB/T 9704-2012 8)

        normal = doc.styles["Normal"]
        normal.font.size = Pt(16)
        _fonts(normal.element, FANGSONG)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

        if page_numbers:
            doc.settings.odd_and_even_pages_header_footer = True
            odd = section.footer.paragraphs[0]
            odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            odd.paragraph_format.right_indent = Pt(14)  # 空一字
            _page_field(odd)
            even = section.even_page_footer.paragraphs[0]
            even.alignment = WD_ALIGN_PARAGRAPH.LEFT
            even.paragraph_format.left_indent = Pt(14)
            _page_field(even)
        # Start on the first (empty) paragraph of the new document.
        self._first = doc.paragraphs[0] if doc.paragraphs else None

    # Each helper returns the paragraph so callers can adjust it.
    def _para(self, text: str = "", *, font: str | None = None, size: float | None = None):
        if self._first is not None:
            p, self._first = self._first, None
        else:
            p = self.doc.add_paragraph()
        if text:
            r = p.add_run(text)
            if font:
                _fonts(r._r, font)
            if size:
                r.font.size = Pt(size)
        return p

    def p(self, text: str):
        """Body paragraph, first line indented two characters."""
        p = self._para(text)
        p.paragraph_format.first_line_indent = INDENT
        return p

    def flush(self, text: str):
        return self._para(text)

    def tag(self, tag: str):
        """A paragraph holding only a ``{%p ... %}`` tag (docxtpl removes the paragraph)."""
        return self._para(tag)

    def loop(self, head: str, body: str, *, indent: bool = True):
        self.tag(f"{{%p {head} %}}")
        (self.p if indent else self.flush)(body)
        self.tag("{%p endfor %}")

    def red_head(self, text: str):
        p = self._para(text, font=XIAOBIAOSONG, size=26)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = Pt(36)
        p.paragraph_format.space_after = LINE
        p.runs[0].font.color.rgb = RED
        return p

    def docno(self, text: str, *, align=WD_ALIGN_PARAGRAPH.CENTER):
        p = self._para(text)
        p.alignment = align
        return p

    def red_rule(self):
        p = self._para()
        p.paragraph_format.line_spacing = Pt(6)
        p.paragraph_format.space_after = LINE
        _border(p)
        return p

    def title(self, text: str):
        p = self._para(text, font=XIAOBIAOSONG, size=22)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = Pt(36)
        p.paragraph_format.space_after = LINE
        return p

    def blank(self):
        return self._para()

    def signature(self, date_expr: str):
        """署名 and 成文日期 right, four characters from the edge, seal area above
        (GB/T 9704-2012 7.3.5.1)."""
        self.blank()
        seal = self._para("（印章）", size=12)
        seal.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        seal.paragraph_format.right_indent = Pt(16 * 6)
        seal.runs[0].font.color.rgb = RGBColor(0x9A, 0x9A, 0x9A)
        name = self._para("{{ doc.agency_name }}")
        name.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        name.paragraph_format.right_indent = Pt(16 * 2)
        date = self._para(f"{{{{ {date_expr}|cn_date }}}}")
        date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        date.paragraph_format.right_indent = Pt(16 * 4)

    def stamp(self):
        """QR code (an InlineImage passed as ``qr``), code and where to verify."""
        self.tag("{%p if stamp %}")
        self.blank()
        p = self._para("{{ qr }}")
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        small = [
            "验证码 {{ stamp.grouped_code }}",
            "扫码或登录 {{ stamp.verify_form_url }} 输入验证码核验本文书",
            "{{ spec.name }}模板 {{ spec.version }}",
        ]
        for line in small:
            q = self._para(line, size=9)
            q.paragraph_format.line_spacing = Pt(12)
        self.tag("{%p else %}")
        q = self._para("样稿：未登记、无验证码，不得作为执法文书使用。", size=9)
        self.tag("{%p endif %}")

    def table(self, rows: list[tuple[str, str]], *, label_width=Mm(36), size: float = 13):
        t = self.doc.add_table(rows=0, cols=2)
        t.style = self.doc.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        for label, value in rows:
            cells = t.add_row().cells
            for cell, text, width in ((cells[0], label, label_width), (cells[1], value, Mm(120))):
                cell.width = width
                para = cell.paragraphs[0]
                para.paragraph_format.line_spacing = Pt(size + 7)
                if cell is cells[0]:
                    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                r = para.add_run(text)
                r.font.size = Pt(size)
        return t

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return normalized_zip(out.getvalue())


# --- the templates ---------------------------------------------------------------------------


def penalty_decision() -> bytes:
    b = Builder()
    b.red_head("{{ doc.agency_name }}")
    b.docno("{% if stamp %}{{ stamp.number }}{% else %}（文号）{% endif %}")
    b.red_rule()
    b.title("行政处罚决定书")
    b.flush("当事人：{{ doc.party.name }}")
    b.tag('{%p if doc.party.kind == "organisation" %}')
    b.flush("统一社会信用代码：{{ doc.party.uscc }}")
    b.flush("法定代表人（负责人）：{{ doc.party.legal_representative }}")
    b.tag("{%p else %}")
    b.flush("身份证件号码：{{ doc.party.id_number }}")
    b.tag("{%p endif %}")
    b.flush("住所（地址）：{{ doc.party.address }}")
    b.p(
        "{{ doc.party.you }}{{ doc.case_cause }}一案，本机关依法立案调查。{% if doc.notice_number %}"
        "本机关于{{ doc.notice_served_on|cn_date }}向{{ doc.party.you }}送达了《行政处罚事先告知书》"
        "（{{ doc.notice_number }}），告知了拟作出行政处罚的事实、理由、依据及{{ doc.party.you }}"
        "依法享有的陈述、申辩等权利。{% endif %}{{ doc.hearing_note }}本案现已调查终结。"
    )
    b.p("经查：")
    b.loop("for para in doc.facts|paragraphs", "{{ para }}")
    b.p("以上事实有下列证据证明：")
    b.loop("for e in doc.evidence", "{{ loop.index }}．{{ e }}；")
    b.tag("{%p if doc.defence.heard %}")
    b.p(
        "{{ doc.party.you }}在规定期限内提出陈述、申辩，主要内容为：{{ doc.defence.summary }}"
        "本机关依法进行了复核，对{{ doc.party.you }}的陈述、申辩意见{{ doc.defence.outcome_label }}，"
        "理由如下：{{ doc.defence.reasons }}"
    )
    b.tag("{%p else %}")
    b.p("{{ doc.defence.outcome_label }}。")
    b.tag("{%p endif %}")
    b.p(
        "本机关认为，{{ doc.party.you }}的上述行为违反了{{ doc.violated }}的规定。依据{{ doc.basis }}"
        "的规定，{{ doc.discretion }}，本机关决定对{{ doc.party.you }}作出如下行政处罚："
    )
    b.loop("for line in doc.penalty_lines", "{{ loop.index|cn_count }}、{{ line }}。")
    b.tag("{%p if doc.correction %}")
    b.p(
        "同时，依据《中华人民共和国行政处罚法》第二十八条第一款的规定，责令{{ doc.party.you }}"
        "{{ doc.correction }}。"
    )
    b.tag("{%p endif %}")
    b.tag("{%p if doc.has_fine %}")
    b.p(
        "{{ doc.party.you }}应当自收到本决定书之日起十五日内，将罚款缴至{{ doc.payment.bank }}（户名："
        "{{ doc.payment.account_name }}；账号：{{ doc.payment.account_no }}）{% if doc.payment.e_payment %}"
        "，或者通过{{ doc.payment.e_payment }}缴纳{% endif %}。到期不缴纳罚款的，本机关将依据《中华人民"
        "共和国行政处罚法》第七十二条第一款第（一）项的规定，每日按罚款数额的百分之三加处罚款，加处罚款"
        "的数额不超出罚款的数额，并依法申请人民法院强制执行。"
    )
    b.tag("{%p else %}")
    b.p("本处罚决定自送达之日起执行。")
    b.tag("{%p endif %}")
    b.p(
        "{{ doc.party.you }}如不服本处罚决定，可以自收到本决定书之日起六十日内向{{ doc.review_organ }}"
        "申请行政复议，也可以自收到本决定书之日起六个月内直接向{{ doc.court }}提起行政诉讼。行政复议"
        "或者行政诉讼期间，本处罚决定不停止执行，法律另有规定的除外。"
    )
    b.tag("{%p if doc.publish %}")
    b.p(
        "根据《中华人民共和国行政处罚法》第四十八条的规定，本决定将依法在"
        "{{ doc.publication_channel or '本机关门户网站' }}公开。"
    )
    b.tag("{%p endif %}")
    b.tag("{%p if doc.officers %}")
    b.flush(
        "承办人：{% for o in doc.officers %}{{ o.name }}（执法证号：{{ o.certificate_no }}）"
        "{% if not loop.last %}、{% endif %}{% endfor %}"
    )
    b.tag("{%p endif %}")
    b.signature("issued_on")
    b.stamp()
    return b.bytes()


def advance_notice() -> bytes:
    b = Builder()
    b.red_head("{{ doc.agency_name }}")
    b.docno("{% if stamp %}{{ stamp.number }}{% else %}（文号）{% endif %}")
    b.red_rule()
    b.title("行政处罚事先告知书")
    b.flush("{{ doc.party.name }}：")
    b.p("{{ doc.party.you }}{{ doc.case_cause }}一案，经本机关调查，现查明：")
    b.loop("for para in doc.facts|paragraphs", "{{ para }}")
    b.p("以上事实有下列证据证明：")
    b.loop("for e in doc.evidence", "{{ loop.index }}．{{ e }}；")
    b.p(
        "{{ doc.party.you }}的上述行为违反了{{ doc.violated }}的规定。依据{{ doc.basis }}的规定，"
        "{% if doc.discretion %}{{ doc.discretion }}，{% endif %}本机关拟对{{ doc.party.you }}作出如下"
        "行政处罚："
    )
    b.loop("for line in doc.penalty_lines", "{{ loop.index|cn_count }}、{{ line }}。")
    b.p(
        "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，{{ doc.party.you }}有权进行"
        "陈述和申辩。{{ doc.party.you }}可以自收到本告知书之日起{{ doc.statement_days|cn_count }}个"
        "工作日内，以书面或者口头形式向本机关提出陈述、申辩意见；逾期未提出的，视为放弃陈述、申辩的"
        "权利。本机关将对{{ doc.party.you }}提出的事实、理由和证据进行复核，不因{{ doc.party.you }}"
        "陈述、申辩而给予更重的处罚。"
    )
    b.tag("{%p if doc.hearing %}")
    b.p(
        "根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，{{ doc.party.you }}有权要求"
        "举行听证。{{ doc.party.you }}要求听证的，应当自收到本告知书之日起"
        "{{ doc.hearing_days|cn_count }}个工作日内向本机关提出；逾期未提出的，视为放弃听证的权利。"
    )
    b.tag("{%p endif %}")
    b.p(
        "联系人：{{ doc.contact_person }}；联系电话：{{ doc.contact_phone }}；联系地址："
        "{{ doc.contact_address }}。"
    )
    b.signature("issued_on")
    b.stamp()
    return b.bytes()


def service_receipt() -> bytes:
    b = Builder()
    b.title("送　达　回　证")
    b.table(
        [
            ("送达机关（印章）", "{{ doc.agency_name }}　（印章）　{{ doc.issued_on|cn_date }}"),
            ("案由", "{{ doc.case_cause }}"),
            (
                "送达文书名称及文号",
                "{% for d in doc.documents %}{{ d.display }}{% if not loop.last %}、"
                "{% endif %}{% endfor %}",
            ),
            ("受送达人", "{{ doc.addressee }}"),
            ("送达地点", "{{ doc.address }}"),
            (
                "送达方式",
                "{% for label, chosen in doc.method_boxes %}{% if chosen %}■{% else %}□{% endif %}"
                "{{ label }}　{% endfor %}",
            ),
            ("收件人签名（盖章）", "{{ doc.receiver }}　　　　年　　月　　日　　时"),
            (
                "代收人签名及与受送达人关系",
                "{% if doc.substitute %}{{ doc.substitute }}（{{ doc.substitute_relation }}）"
                "{% endif %}　　　　年　　月　　日",
            ),
            (
                "拒收事由及见证人签名",
                "{{ doc.refusal_reason }}　{{ doc.witnesses|join('、') }}　　　　年　　月　　日",
            ),
            (
                "送达人",
                "{% for o in doc.servers %}{{ o.name }}（执法证号：{{ o.certificate_no }}）"
                "{% if not loop.last %}、{% endif %}{% endfor %}　签名：　　　　年　　月　　日",
            ),
            ("备注", "{{ doc.remarks }}"),
        ]
    )
    note = b.flush(
        "注：1．受送达人在本回证上签收的日期为送达日期（《中华人民共和国民事诉讼法》第八十七条）。"
        "2．受送达人本人不在的，可以由其同住成年家属签收；受送达人是法人或者其他组织的，由其法定代表"
        "人、主要负责人或者负责收件的人签收（第八十八条）。3．拒绝签收的，送达人可以邀请有关基层组织"
        "或者所在单位的代表到场，记明拒收事由和日期，由送达人、见证人签名或者盖章，把文书留在受送达人的"
        "住所；也可以留置文书并采用拍照、录像等方式记录送达过程（第八十九条）。"
    )
    note.runs[0].font.size = Pt(10.5)
    note.paragraph_format.line_spacing = Pt(15)
    b.stamp()
    return b.bytes()


def file_index() -> bytes:
    b = Builder(page_numbers=False)
    b.title("卷　内　目　录")
    b.table(
        [
            ("案卷题名", "{{ doc.case_title }}"),
            ("立卷单位", "{{ doc.agency_name }}"),
            ("档号", "{{ doc.archive_no }}"),
            ("案号", "{{ doc.case_number }}"),
        ]
    )
    b.blank()
    heads = ["序号", "文号", "责任者", "题名", "日期", "页号", "备注"]
    widths = [Mm(11), Mm(33), Mm(24), Mm(46), Mm(21), Mm(15), Mm(12)]
    cells_expr = [
        "{{ loop.index }}",
        "{{ e.number }}",
        "{{ e.author }}",
        "{{ e.title }}",
        "{{ e.date8 }}",
        "{{ e.pages }}",
        "{{ e.remarks }}",
    ]
    t = b.doc.add_table(rows=4, cols=len(heads))
    t.style = b.doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    rows = [
        heads,
        ["{%tr for e in doc.entries %}"] + [""] * 6,
        cells_expr,
        ["{%tr endfor %}"] + [""] * 6,
    ]
    for row, texts in zip(t.rows, rows, strict=True):
        for cell, text, width in zip(row.cells, texts, widths, strict=True):
            cell.width = width
            para = cell.paragraphs[0]
            para.paragraph_format.line_spacing = Pt(18)
            if text:
                r = para.add_run(text)
                r.font.size = Pt(12)
    footer = b.flush(
        "立卷人：{{ doc.filed_by }}　　检查人：{{ doc.checked_by }}　　立卷日期："
        "{{ doc.filed_on|cn_date }}"
    )
    footer.runs[0].font.size = Pt(12)
    b.stamp()
    return b.bytes()


def _notice_head(b: Builder, title: str) -> None:
    """Red head, 文号, red rule and title of a numbered notice, addressed to the party."""
    b.red_head("{{ doc.agency_name }}")
    b.docno("{% if stamp %}{{ stamp.number }}{% else %}（文号）{% endif %}")
    b.red_rule()
    b.title(title)
    b.flush("{{ doc.party.name }}：")


def correction_order() -> bytes:
    # 劳动保障监察条例 第十八条、第三十条；行政复议法 第二十条；行政诉讼法 第四十六条
    b = Builder()
    _notice_head(b, "劳动保障监察限期改正指令书")
    b.p("经查，{{ doc.facts }}。{{ doc.party.you }}的上述行为涉嫌{{ doc.case_cause }}。")
    b.p(
        "依据{{ doc.basis }}的规定，现责令{{ doc.party.you }}于{{ doc.due_on|cn_date }}前改正："
        "{{ doc.content }}。"
    )
    b.p("{{ doc.party.you }}应当在上述期限内改正，并将改正情况书面报告本机关。")
    b.p(
        "{{ doc.party.you }}经责令改正拒不改正的，本机关将依据《劳动保障监察条例》第三十条第一款"
        "第（三）项的规定，处二千元以上二万元以下的罚款。"
    )
    b.p(
        "{{ doc.party.you }}如不服本指令，可以自收到本指令书之日起六十日内向{{ doc.review_organ }}"
        "申请行政复议，也可以自收到本指令书之日起六个月内向{{ doc.court }}提起行政诉讼。"
    )
    b.tag("{%p if doc.contact_person %}")
    b.p(
        "联系人：{{ doc.contact_person }}{% if doc.contact_phone %}；联系电话："
        "{{ doc.contact_phone }}{% endif %}。"
    )
    b.tag("{%p endif %}")
    b.signature("issued_on")
    b.stamp()
    return b.bytes()


def hearing_notice() -> bytes:
    # 行政处罚法 第六十三条第二款、第六十四条第（二）至（七）项
    b = Builder()
    _notice_head(b, "听证通知书")
    b.p(
        "{{ doc.party.you }}于{{ doc.requested_on|cn_date }}提出的听证申请收悉。根据《中华人民共和国"
        "行政处罚法》第六十三条、第六十四条的规定，本机关决定就{{ doc.party.you }}{{ doc.case_cause }}"
        "一案举行听证，现将有关事项通知如下："
    )
    b.p("一、听证时间：{{ doc.scheduled_at|cn_datetime }}。")
    b.p("二、听证地点：{{ doc.place }}。")
    b.p(
        "三、听证主持人：{{ doc.presider }}{% if doc.hearing_officers %}；听证员："
        "{{ doc.hearing_officers|join('、') }}{% endif %}；记录员：{{ doc.clerk }}。"
        "{{ doc.party.you }}认为主持人、听证员、记录员与本案有直接利害关系的，有权申请回避，并应当在"
        "听证开始前提出。"
    )
    b.p(
        "四、本次听证{% if doc.public %}公开举行{% else %}不公开举行（{{ doc.closed_reason }}）"
        "{% endif %}。"
    )
    b.p(
        "五、{{ doc.party.you }}可以亲自参加听证，也可以委托一至二人代理。委托代理人参加的，应当在听证"
        "开始前提交授权委托书，载明委托事项和权限。"
    )
    b.p(
        "六、听证时，调查人员提出当事人违法的事实、证据和行政处罚建议，{{ doc.party.you }}可以进行申辩"
        "和质证。请携带身份证明和有关证据材料按时参加。"
    )
    b.p(
        "七、{{ doc.party.you }}无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利，"
        "本机关终止听证。"
    )
    b.p("八、{{ doc.party.you }}不承担本机关组织听证的费用。")
    b.p("联系人：{{ doc.contact_person }}；联系电话：{{ doc.contact_phone }}。")
    b.signature("issued_on")
    b.stamp()
    return b.bytes()


def preservation_notice() -> bytes:
    # 行政处罚法 第五十六条、第八十五条
    b = Builder()
    _notice_head(b, "先行登记保存通知书")
    b.p(
        "本机关在调查{{ doc.party.you }}{{ doc.case_cause }}一案中，因{{ doc.reason }}，依据《中华人民"
        "共和国行政处罚法》第五十六条的规定，经本机关负责人{{ doc.approver }}批准"
        "（{{ doc.approved_on|cn_date }}），决定自{{ doc.preserved_on|cn_date }}起对下列物品（证据）"
        "予以先行登记保存，保存于{{ doc.place_kept }}。"
    )
    b.p(
        "先行登记保存期间，{{ doc.party.you }}及有关人员不得销毁或者转移上述物品（证据）。本机关将在"
        "{{ doc.decision_workdays|cn_count }}个工作日内作出处理决定。"
    )
    heads = ["序号", "物品名称", "规格", "数量"]
    widths = [Mm(13), Mm(83), Mm(38), Mm(22)]
    t = b.doc.add_table(rows=4, cols=len(heads))
    t.style = b.doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    rows = [
        heads,
        ["{%tr for i in doc.items %}", "", "", ""],
        ["{{ loop.index }}", "{{ i.name }}", "{{ i.spec }}", "{{ i.quantity }}"],
        ["{%tr endfor %}", "", "", ""],
    ]
    for row, texts in zip(t.rows, rows, strict=True):
        for cell, text, width in zip(row.cells, texts, widths, strict=True):
            cell.width = width
            para = cell.paragraphs[0]
            para.paragraph_format.line_spacing = Pt(20)
            if text:
                para.add_run(text).font.size = Pt(13)
    for line in (
        "执法人员：{% for o in doc.officers %}{{ o.name }}（执法证号：{{ o.certificate_no }}）"
        "{% if not loop.last %}、{% endif %}{% endfor %}",
        "当事人签名（盖章）：　　　　　　　　　　　　年　　月　　日（对上列物品清单核对无误）",
    ):
        p = b.flush(line)
        p.runs[0].font.size = Pt(12)
        p.paragraph_format.line_spacing = Pt(18)
    b.signature("issued_on")
    b.stamp()
    return b.bytes()


def performance_reminder() -> bytes:
    # 行政强制法 第三十五条、第五十四条；行政处罚法 第七十二条第一款第（一）项
    b = Builder()
    _notice_head(b, "履行催告书")
    b.p(
        "本机关于{{ doc.decided_on|cn_date }}对{{ doc.party.you }}作出《行政处罚决定书》"
        "（{{ doc.decision_number }}）{% if doc.decision_served_on %}，并于"
        "{{ doc.decision_served_on|cn_date }}送达{% endif %}。{{ doc.party.you }}在法定期限内未履行"
        "该决定，尚有罚款人民币{{ doc.fine_outstanding|yuan_words }}（¥{{ doc.fine_outstanding|yuan }}）"
        "未缴纳。依据《中华人民共和国行政处罚法》第七十二条第一款第（一）项的规定，截至本催告书作出"
        "之日，加处罚款¥{{ doc.surcharge|yuan }}，合计¥{{ doc.total|yuan }}。"
    )
    b.loop("for para in doc.content|paragraphs", "{{ para }}")
    b.p(
        "根据《中华人民共和国行政强制法》第三十五条、第五十四条的规定，现催告{{ doc.party.you }}自收到"
        "本催告书之日起十日内，将上述款项缴至{{ doc.payment.bank }}（户名：{{ doc.payment.account_name }}"
        "；账号：{{ doc.payment.account_no }}）{% if doc.payment.e_payment %}，或者通过"
        "{{ doc.payment.e_payment }}缴纳{% endif %}。加处罚款按日计算至实际缴纳之日，但不超出罚款的数额。"
    )
    b.p("{{ doc.party.you }}依法享有陈述和申辩的权利，可以自收到本催告书之日起十日内向本机关提出。")
    b.p("{{ doc.party.you }}逾期仍不履行的，本机关将依法向{{ doc.court }}申请强制执行。")
    b.p("联系人：{{ doc.contact_person }}；联系电话：{{ doc.contact_phone }}。")
    b.signature("issued_on")
    b.stamp()
    return b.bytes()


def not_accepted_notice() -> bytes:
    # 关于实施《劳动保障监察条例》若干规定 第十八条；行政复议法 第二十条；行政诉讼法 第四十六条
    b = Builder()
    b.red_head("{{ doc.agency_name }}")
    b.docno("{% if stamp %}{{ stamp.number }}{% else %}（文号）{% endif %}")
    b.red_rule()
    b.title("不予受理通知书")
    b.flush("{{ doc.complainant }}：")
    b.p(
        "本机关于{{ doc.received_on|cn_date }}收到{{ doc.complainant }}{% if doc.respondent %}对"
        "{{ doc.respondent }}{% endif %}的投诉（登记号：{{ doc.registration_no }}），投诉事项为："
        "{{ doc.matter }}{% if doc.request %}；投诉请求：{{ doc.request }}{% endif %}。"
    )
    b.p(
        "经审查，{{ doc.reason }}。根据{{ doc.basis }}的规定，本机关于{{ doc.decided_on|cn_date }}"
        "决定：{{ doc.decision }}。"
    )
    b.tag("{%p if doc.redirect %}")
    b.p("{{ doc.redirect }}。")
    b.tag("{%p endif %}")
    b.p(
        "如不服本决定，可以自收到本通知书之日起六十日内向{{ doc.review_organ }}申请行政复议，"
        "也可以自收到本通知书之日起六个月内向{{ doc.court }}提起行政诉讼。"
    )
    b.p("特此通知。")
    b.tag("{%p if doc.contact_person %}")
    b.p(
        "联系人：{{ doc.contact_person }}{% if doc.contact_phone %}；联系电话："
        "{{ doc.contact_phone }}{% endif %}。"
    )
    b.tag("{%p endif %}")
    b.signature("issued_on")
    b.stamp()
    return b.bytes()


TEMPLATES = {
    "penalty_decision.docx": penalty_decision,
    "advance_notice.docx": advance_notice,
    "service_receipt.docx": service_receipt,
    "file_index.docx": file_index,
    "correction_order.docx": correction_order,
    "hearing_notice.docx": hearing_notice,
    "preservation_notice.docx": preservation_notice,
    "performance_reminder.docx": performance_reminder,
    "not_accepted_notice.docx": not_accepted_notice,
}


def build_all() -> dict[str, bytes]:
    return {name: build() for name, build in TEMPLATES.items()}


def stale() -> list[str]:
    """Names of committed templates that differ from a fresh build (or are missing)."""
    found = []
    for name, data in build_all().items():
        path = DOCX_DIR / name
        if not path.exists() or zip_parts(path.read_bytes()) != zip_parts(data):
            found.append(name)
    return found


def main(argv: list[str]) -> int:
    if "--check" in argv:
        names = stale()
        for name in names:
            print(f"stale: {name}")
        return 1 if names else 0
    DOCX_DIR.mkdir(exist_ok=True)
    for name, data in build_all().items():
        (DOCX_DIR / name).write_bytes(data)
        print(f"wrote {DOCX_DIR / name} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
