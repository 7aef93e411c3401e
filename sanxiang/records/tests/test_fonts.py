"""Fonts: fontconfig aliases map the GB/T 9704 names to installed files; a bureau's licensed
font (carrying the real name) wins over the free stand-in; the system check says which."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from sanxiang.records import checks
from sanxiang.records.documents import fonts

STAND_INS = {
    "仿宋_GB2312": "AR PL KaitiM GB",
    "仿宋": "AR PL KaitiM GB",
    "FangSong": "AR PL KaitiM GB",
    "方正小标宋简体": "AR PL SungtiL GB",
    "小标宋": "AR PL SungtiL GB",
    "宋体": "AR PL SungtiL GB",
    "黑体": "WenQuanYi Zen Hei",
    "楷体_GB2312": "AR PL KaitiM GB",
    "楷体": "AR PL KaitiM GB",
}


def fc_match(name: str, config: str) -> str:
    return subprocess.run(
        ["fc-match", "-f", "%{family[0]}", name],
        env={**os.environ, "FONTCONFIG_FILE": config},
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture(autouse=True)
def _fresh_resolution():
    fonts.clear_cache()
    yield
    fonts.clear_cache()


@pytest.mark.parametrize("name, family", STAND_INS.items())
def test_gbt9704_names_resolve_to_the_free_stand_ins(name, family):
    assert fc_match(name, str(fonts.PROJECT_CONFIG)) == family


def test_the_renderer_points_fontconfig_at_the_project_file(settings):
    from sanxiang.records.documents import render  # noqa: F401  (imports WeasyPrint)

    assert os.environ["FONTCONFIG_FILE"] == str(fonts.PROJECT_CONFIG)


def test_the_check_warns_when_stand_ins_are_used():
    (warning,) = checks.check_fonts()
    assert warning.id == "records.W001"
    assert warning.level == 30  # Warning, not Error: documents still print
    assert "仿宋_GB2312" in warning.msg and "AR PL KaitiM GB" in warning.msg


@pytest.fixture
def licensed_fangsong(tmp_path):
    """A font file carrying the licensed name 仿宋_GB2312 (a renamed subset of the stand-in:
    we own no licensed font, but fontconfig only looks at the names)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    source = "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"
    if not os.path.exists(source):
        pytest.fail("fonts-arphic-gkai00mp is not installed (make system-deps)")
    font = TTFont(source)
    options = subset.Options()
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="行政处罚决定书当事人0123456789")
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = "仿宋_GB2312"
        elif record.nameID == 6:
            record.string = "FangSong_GB2312"
    folder = tmp_path / "licensed-fonts"
    folder.mkdir()
    font.save(folder / "FS_GB2312.ttf")
    return folder


def test_a_licensed_font_in_the_fonts_folder_wins(settings, licensed_fangsong):
    settings.SANXIANG_FONTS_DIR = str(licensed_fangsong)
    try:
        config = fonts.config_file()
        assert config != fonts.PROJECT_CONFIG and str(licensed_fangsong) in config.read_text()
        assert fc_match("仿宋_GB2312", str(config)) == "仿宋_GB2312"
        assert fc_match("黑体", str(config)) == "WenQuanYi Zen Hei"  # others keep their stand-in
        rows = {r.name: r for r in fonts.resolve()}
        assert rows["仿宋_GB2312"].licensed and rows["仿宋_GB2312"].file.endswith("FS_GB2312.ttf")
        assert not rows["黑体"].licensed
        (warning,) = checks.check_fonts()
        assert "仿宋_GB2312" not in warning.msg and "黑体" in warning.msg
    finally:
        settings.SANXIANG_FONTS_DIR = None
        fonts.configure()  # back to the project file for the rest of the run
    assert os.environ["FONTCONFIG_FILE"] == str(fonts.PROJECT_CONFIG)


def test_without_fc_match_the_check_says_so(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    (warning,) = checks.check_fonts()
    assert warning.id == "records.W002"


def test_the_document_type_check_passes():
    assert checks.check_document_types() == []


def test_fonts_command_lists_each_name(capsys):
    from django.core.management import call_command

    call_command("fonts")
    out = capsys.readouterr().out
    for name, *_ in fonts.GBT9704_FONTS:
        assert name in out
    assert "使用替代字体" in out
