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


def check_site_root(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """``check --deploy``: SITE_ROOT is printed on every document (the verification QR code and
    URL) and, on a penalty decision, as the address where it will be published (行政处罚法
    第四十八条). The development default would send the public to a loopback address."""
    from urllib.parse import urlsplit

    from django.conf import settings

    root = getattr(settings, "SITE_ROOT", "") or ""
    parts = urlsplit(root)
    host = (parts.hostname or "").lower()
    problems = []
    if (
        not host
        or host in ("localhost", "127.0.0.1", "::1", "0.0.0.0")
        or host.endswith(".localhost")
    ):
        problems.append(
            checks.Error(
                f"SITE_ROOT 为 {root or '（空）'}：文书上的核验二维码和公开网址将指向本机，公众无法访问",
                hint="设置 SITE_ROOT 为本机关对外的网址，如 https://zhifa.example.gov.cn",
                id="records.E010",
            )
        )
    elif parts.scheme != "https":
        problems.append(
            checks.Warning(
                f"SITE_ROOT 为 {root}：文书上的核验网址不是 https",
                hint="对外服务应当使用 HTTPS（等保 2.0 三级 通信传输）",
                id="records.W010",
            )
        )
    return problems
