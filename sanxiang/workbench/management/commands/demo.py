"""python manage.py demo — load the demo bureau, personas and reference data (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from sanxiang.accounts.demo import DEMO_PASSWORD, PERSONAS
from sanxiang.lib.cli import ChineseErrorsMixin

# In dependency order; each loader takes the shared context dict and may add to it.
LOADERS = [
    "sanxiang.registry.demo.load",
    "sanxiang.accounts.demo.load",
    "sanxiang.registry.demo.load_people",
    "sanxiang.catalog.demo.load",
    "sanxiang.cases.demo.load",
    "sanxiang.review.demo.load",
    "sanxiang.records.demo.load",
    "sanxiang.inspections.demo.load",
    "sanxiang.archive.demo.load",
    "sanxiang.evaluation.demo.load",
    "sanxiang.publicity.demo.load",
    "sanxiang.ledger.demo.load",  # last: signs a checkpoint over everything loaded
]


class Command(ChineseErrorsMixin, BaseCommand):
    help = "载入演示数据（陵川县人社局、演示人员、执法事项等），可重复运行"

    def add_arguments(self, parser):
        parser.add_argument("--logins", action="store_true", help="只打印演示账号，不载入数据")

    def handle(self, *args, logins: bool = False, **options):
        if not logins:
            with transaction.atomic():
                context: dict = {}
                for dotted in LOADERS:
                    import_string(dotted)(context=context, stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS("演示数据已载入。"))
        self.print_logins()

    def print_logins(self):
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for p in PERSONAS:
            self.stdout.write(f"  {p.username:<12} {p.real_name:<6}  {'、'.join(p.roles)}")
        self.stdout.write("")
        self.stdout.write("打开 http://127.0.0.1:8000/ 登录。")
