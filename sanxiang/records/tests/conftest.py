"""Records test helpers: officers with certificates, PDF text and images."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from sanxiang.records.documents import Stamp

SITE_ROOT = "https://zfgs.example.gov.cn"


@pytest.fixture(autouse=True)
def _records_settings(settings):
    settings.SITE_ROOT = SITE_ROOT


@pytest.fixture
def stamp():
    return Stamp(
        verification_code="K7QM3XTA9P", site_root=SITE_ROOT, number="陵人社监罚字〔2026〕第3号"
    )


@pytest.fixture
def officers(personas, agency):
    """张明 and 李华 registered as officers with enforcement certificates (through the
    registry's services, as the demo does)."""
    from sanxiang.registry import services
    from sanxiang.registry.models import Officer

    keeper = personas.xitong
    numbers = {"zhangming": "晋14052420240017", "lihua": "晋14052420210033"}
    for username, number in numbers.items():
        user = getattr(personas, username)
        officer = Officer.objects.filter(user=user).first() or services.officer_register(
            actor=keeper, user=user, agency=agency, post="劳动保障监察员"
        )
        services.certificate_record(
            actor=keeper,
            officer=officer,
            kind="enforcement",
            number=number,
            issuer="山西省人民政府",
            scope="劳动保障监察 · 陵川县",
            valid_from=dt.date(2024, 1, 1),
            valid_until=dt.date(2029, 12, 31),
        )
    return [personas.zhangming, personas.lihua]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found: install poppler-utils (make system-deps)")
    return path


def pdf_text(pdf: bytes, tmp_path: Path, *, layout: bool = False, name: str = "doc") -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    args = [_tool("pdftotext"), "-enc", "UTF-8"] + (["-layout"] if layout else [])
    return subprocess.run(
        [*args, str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def pdf_words(
    pdf: bytes, tmp_path: Path, *, page: int = 1
) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, text) of every word on ``page``, in PDF points from top left."""
    import re

    path = tmp_path / "words.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        [_tool("pdftotext"), "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    pattern = re.compile(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    )
    return [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in pattern.findall(out)]


def pdf_pages(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        [_tool("pdfinfo"), str(path)], capture_output=True, check=True, text=True
    ).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def pdf_page_png(pdf: bytes, tmp_path: Path, *, page: int = 1, dpi: int = 60) -> Path:
    """One page rendered by poppler (``pdftoppm -r 60 -png``), as the brief's image check."""
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf)
    prefix = tmp_path / f"page-{page}"
    subprocess.run(
        [
            _tool("pdftoppm"),
            "-r",
            str(dpi),
            "-png",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(path),
            str(prefix),
        ],
        check=True,
    )
    return prefix.with_suffix(".png")
