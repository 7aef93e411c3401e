"""With the whole demo loaded: crawl every public page and find no ID number, mobile number or
bank account; export the 双公示 data and validate it against the field list.

The patterns a crawler flags are deliberately wider than what masking must catch (shape only,
no check digit, separators allowed), and they never fire on hashes and codes, for one reason:
a match must not touch an ASCII letter or digit on either side. A SHA-256 in hex is a run of
0-9a-f, so any digits inside it touch a letter or more digits; verification codes are
letter-digit groups of four; ledger proofs are base64. A published 统一社会信用代码 (18
characters, sometimes all digits) is the one legitimate 18-character token and is excluded
only when its GB 32100 check character is right.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import subprocess
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.utils.module_loading import import_string

from sanxiang.lib.codes import is_valid_uscc
from sanxiang.publicity import rules

pytestmark = pytest.mark.django_db

_FULLWIDTH = {0xFF10 + i: ord("0") + i for i in range(10)}
ID18 = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r"\d{3}[0-9Xx](?![0-9A-Za-z])"
)
MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9A-Za-z])")
BANK = re.compile(r"(?<![0-9A-Za-z])\d{4}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?(?![0-9A-Za-z])")


def leaks(text: str) -> list[str]:
    text = text.translate(_FULLWIDTH)
    found = [m.group() for m in ID18.finditer(text) if not is_valid_uscc(m.group())]
    found += [m.group() for m in MOBILE.finditer(text)]
    found += [m.group() for m in BANK.finditer(text)]
    return found


def test_the_leak_patterns_fire_on_personal_data_and_not_on_hashes_or_codes():
    assert leaks("身份证11010519491231002X的") == ["11010519491231002X"]
    assert leaks("电话１３９０３５６９００１") == ["13903569001"]
    assert leaks("账号 6222 0202 0000 1234 567") == ["6222 0202 0000 1234 567"]
    assert leaks("sha256 3a9f11010519491231002Xab13903569001cd and K7QX-2M9P-4R") == []
    assert leaks("统一社会信用代码91440300708461136T") == []


def load_demo(*, personal_data: bool = False) -> dict:
    """The demo command's loaders, in its order. ``personal_data``: before the publicity loader
    collects the decisions, give each decided case's findings what real ones carry — see
    :func:`add_personal_data`."""
    from sanxiang.workbench.management.commands.demo import LOADERS

    assert "sanxiang.publicity.demo.load" in LOADERS
    context: dict = {}
    for dotted in LOADERS:
        if personal_data and dotted == "sanxiang.publicity.demo.load":
            add_personal_data()
        import_string(dotted)(context=context, stdout=io.StringIO())
    return context


def add_personal_data() -> None:
    """The demo's findings are written without personal data; real ones name the complainant
    and the workers and quote phones, ID numbers and wage cards. Each decided demo case gets a
    paragraph like that (test set-up, written straight to the proposal the decision rests on),
    with the case's own complainant as structured data where it has one."""
    from sanxiang.cases.models import Decision, Proposal
    from sanxiang.lib.codes import make_id_number
    from sanxiang.lib.masking import luhn_ok

    rng = random.Random(7)
    card_body = "62170000" + "".join(rng.choice("0123456789") for _ in range(10))
    card = next(card_body + d for d in "0123456789" if luhn_ok(card_body + d))
    for n, decision in enumerate(
        Decision.objects.filter(proposal__isnull=False).select_related("proposal")
    ):
        complainant = decision.case.complainants.exclude(phone="").first()
        who = (
            f"投诉人{complainant.name}（电话{complainant.phone}）"
            if complainant
            else f"投诉人孙晓梅（电话1390356{n:04d}）"
        )
        extra = (
            f"{who}反映属实。劳动者周大山、吴小红、郑强等3名劳动者证实，"
            f"周大山身份证号码{make_id_number(rng, region='140524')}，"
            f"工资卡账号{card}，联系电话139 0356 {n:04d}。"
        )
        Proposal.objects.filter(pk=decision.proposal_id).update(
            facts_found=f"{decision.proposal.facts_found}{extra}"
        )


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        return subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-", "-"], input=body, capture_output=True, check=True
        ).stdout.decode()
    if response.get("Content-Type", "").startswith("application/zip"):
        import zipfile

        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return body.decode("utf-8", "replace")


PUBLIC_PREFIXES = ("/gongkai/", "/verify/", "/public/inspections/", "/transparency/")


def test_no_public_page_of_the_demo_shows_an_id_number_a_mobile_or_a_bank_account(client):
    load_demo(personal_data=True)
    from sanxiang.ledger.selectors import tree_size
    from sanxiang.publicity import sources
    from sanxiang.publicity.models import PortalEntry, Publication
    from sanxiang.records.models import GeneratedDocument
    from sanxiang.registry.models import Certificate

    seeds = ["/gongkai/", "/public/inspections/", "/verify/officer/", "/gongkai/verify/"]
    seeds += ["/transparency/key", "/transparency/checkpoint"]
    seeds += [f"/verify/officer/{c.number}" for c in Certificate.objects.all()]
    seeds += [f"/verify/document/{d.verification_code}" for d in GeneratedDocument.objects.all()]
    seeds += [
        f"/gongkai/verify/?code={d.verification_code}" for d in GeneratedDocument.objects.all()
    ]
    size = tree_size()
    seeds += [f"/transparency/proof/{i}" for i in range(0, size, max(1, size // 40))]
    seeds.append(f"/transparency/consistency?old=1&new={size}")
    queue, seen, problems = deque(seeds), set(), []
    while queue and len(seen) < 600:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code in (200, 301, 302, 400, 404), (url, response.status_code)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        text = _text(response)
        found = leaks(text)
        if found:
            problems.append((url, found))
        if "text/html" in response.get("Content-Type", ""):
            for href in re.findall(r'href="([^"#]+)', text):
                target = urljoin(url, href.replace("&amp;", "&"))
                parts = urlsplit(target)
                if parts.netloc or not parts.path.startswith(PUBLIC_PREFIXES):
                    continue
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert not queue, f"the crawl stopped at {len(seen)} pages with {len(queue)} still queued"
    assert problems == []
    # Not vacuous: what the published decisions were made from is full of what the crawler
    # looks for, and the pages carry the replacements instead.
    published = Publication.objects.filter(entry__isnull=False).select_related("decision")
    originals = [sources.decision_source(p.decision).original["facts"] for p in published]
    assert len(originals) >= 4 and all(len(leaks(text)) >= 3 for text in originals)
    bodies = "".join(PortalEntry.objects.filter(state="published").values_list("body", flat=True))
    for replacement in (
        "〔电话号码已隐去〕",
        "〔身份证号码已隐去〕",
        "〔银行账号已隐去〕",
        "周某等3名",
    ):
        assert replacement in bodies
    assert "周大山" not in bodies and "孙晓梅" not in bodies
    entries = list(PortalEntry.objects.values_list("pk", "state"))
    assert len(entries) >= 4 and any(s == "withdrawn" for _, s in entries)
    for pk, state in entries:
        assert f"/gongkai/decisions/{pk}/" in seen
        if state == "published":
            assert f"/gongkai/decisions/{pk}/document.pdf" in seen
    assert any(u.startswith("/public/inspections/plans/") for u in seen)
    assert any(u.startswith("/transparency/proof/") for u in seen)
    assert len(seen) > 60


def test_the_shuanggongshi_export_of_the_demo_validates_against_the_field_list(client):
    context = load_demo()
    from openpyxl import load_workbook

    from sanxiang.ledger.models import Event

    client.force_login(context["users"]["zhougongshi"])
    before = Event.objects.filter(type="security.exported").count()

    r = client.get("/publicity/export/", {"fmt": "json"})
    assert r.status_code == 200
    doc = json.loads(r.content)
    records = doc["records"]
    assert [f["code"] for f in doc["fields"]] == rules.EXPORT_CODES
    assert len(records) >= 4
    for record in records:
        assert list(record) == rules.EXPORT_CODES
        assert rules.record_problems(record) == []
        for forbidden in rules.NEVER_EXPORTED:
            assert forbidden not in record
    states = {r["DQZT"] for r in records}
    assert states == {"0", "1"}
    withdrawn = [r for r in records if r["DQZT"] == "1"]
    assert withdrawn[0]["BZ"].startswith("已于") and "撤销公示" in withdrawn[0]["BZ"]
    fined = [r for r in records if r["CF_NR_FK"]]
    assert fined and all(re.fullmatch(r"\d+\.\d{6}", r["CF_NR_FK"]) for r in fined)
    assert "0.090000" in {r["CF_NR_FK"] for r in fined}  # 900 yuan = 0.09 万元

    r = client.get("/publicity/export/", {"fmt": "csv"})
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == rules.EXPORT_CODES and len(rows) == len(records) + 2
    r = client.get("/publicity/export/", {"fmt": "xlsx"})
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in sheet[1]] == rules.EXPORT_CODES
    assert sheet.max_row == len(records) + 2
    assert not leaks(json.dumps(records, ensure_ascii=False))

    assert Event.objects.filter(type="security.exported").count() == before + 3
    client.force_login(context["users"]["zhangming"])
    assert client.get("/publicity/export/", {"fmt": "json"}).status_code == 403
