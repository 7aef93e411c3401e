"""System checks: the document fonts and the document-type registry."""

from __future__ import annotations

from django.core import checks


def check_fonts(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Warn when a GB/T 9704 font name resolves to a free stand-in: documents still print,
    but not in the fonts the standard names (fonts/README.md says how to install them).
    Silence with SILENCED_SYSTEM_CHECKS = ["records.W001"] on development machines."""
    from .documents import fonts

    rows = fonts.resolve()
    if rows is None:
        return [
            checks.Warning(
                "无法检查文书字体：未找到 fc-match（请安装 fontconfig）",
                hint="Debian: apt-get install fontconfig",
                id="records.W002",
            )
        ]
    substitutes = [r for r in rows if not r.licensed]
    if not substitutes:
        return []
    listed = "；".join(f"{r.name}（{r.use}）→ {r.family}" for r in substitutes)
    return [
        checks.Warning(
            f"文书使用替代字体印制：{listed}",
            hint=(
                f"将本单位合法授权的 TrueType 字体文件放入 {fonts.fonts_dir()}（SANXIANG_FONTS_DIR），"
                "见 fonts/README.md；运行 manage.py fonts 查看结果"
            ),
            id="records.W001",
        )
    ]


def check_document_types(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every registered type has its templates and a sample that passes its own checks."""
    from .documents import context, registry

    found = []
    for t in registry.all_types():
        for path in t.template_files():
            if not path.exists():
                found.append(
                    checks.Error(f"{t.name}（{t.code}）的模板文件不存在：{path}", id="records.E001")
                )
        problems = context.problems(t.sample())
        if problems:
            found.append(
                checks.Error(
                    f"{t.name}（{t.code}）的样例数据不完整：{'；'.join(problems)}",
                    id="records.E002",
                )
            )
    return found
