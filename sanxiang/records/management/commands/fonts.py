"""``manage.py fonts``: how each GB/T 9704 font name resolves (licensed font or stand-in)."""

from django.core.management.base import BaseCommand

from sanxiang.lib.cli import ChineseErrorsMixin
from sanxiang.records.documents import fonts


class Command(ChineseErrorsMixin, BaseCommand):
    help = "显示文书字体（GB/T 9704 字体名称）实际使用的字体文件"

    def handle(self, *args, **options):
        config = fonts.configure()
        self.stdout.write(f"字体配置：{config}")
        self.stdout.write(f"授权字体目录（SANXIANG_FONTS_DIR）：{fonts.fonts_dir()}")
        rows = fonts.resolve()
        if rows is None:
            self.stderr.write("未找到 fc-match，请安装 fontconfig")
            return
        for r in rows:
            self.stdout.write(f"{r.name:<10}{r.use:<16}{r.label}：{r.family}  {r.file}")
        if any(not r.licensed for r in rows):
            self.stdout.write(
                "说明：替代字体可以印制，但不是 GB/T 9704 规定的字体；安装方法见 fonts/README.md"
            )
