"""python manage.py workdays — deadline arithmetic on the stored calendar (ARCHITECTURE.md §5).

    workdays add 2026-02-12 7              → 2026-02-28  (7 working days, start day not counted)
    workdays add 2026-09-16 15 --calendar  → 2026-10-08  (15 days, rolled past 国庆)
    workdays add 2026-01-31 1 --months     → 2026-02-28
    workdays count 2026-02-12 2026-02-28   → 7           (working days in (A, B])
    workdays is 2026-02-28                 → 工作日：2026-02-28 星期六，春节调休上班（依据：…）

Exit status 0 on success, 2 with a Chinese message on stderr for bad arguments or a date in a
year whose holiday schedule has not been entered and confirmed (no guessing).
"""

from __future__ import annotations

import re
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from sanxiang.lib.cli import ChineseErrorsMixin
from sanxiang.lib.errors import DomainError
from sanxiang.workcalendar import selectors

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(text: str, what: str) -> date:
    if not _DATE.match(text):
        raise CommandError(
            f"{what}格式应为 YYYY-MM-DD（如 2026-02-12），收到“{text}”", returncode=2
        )
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{what}无效：{text} 不是存在的日期", returncode=2) from None


def _count(text: str) -> int:
    if not re.fullmatch(r"[+-]?\d{1,9}", text.strip()):
        raise CommandError(f"期间长度应为正整数，收到“{text}”", returncode=2)
    n = int(text)
    if n < 1:
        raise CommandError(f"期间长度应为正整数，收到 {n}", returncode=2)
    return n


class Command(ChineseErrorsMixin, BaseCommand):
    help = "按法定工作日历计算期限：add（期限届满日）、count（工作日天数）、is（是否工作日）"
    missing_args_message = "请给出子命令：add、count 或 is（详见 manage.py workdays --help）"
    # The command reports the calendar's state itself (exit 2 naming the missing year); the
    # system check of a missing year must not stop it, nor add lines to its output.
    requires_system_checks: list = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="{add,count,is}", required=True)
        add = sub.add_parser(
            "add",
            help="期限届满日：起算日（不计入）后第 N 个工作日",
            description="打印期限的最后一日。默认按工作日计算（行政处罚法第八十五条）。",
        )
        add.add_argument("start", metavar="DATE", help="起算日，如 2026-02-12（当日不计入）")
        add.add_argument("n", metavar="N", help="期间长度，正整数")
        unit = add.add_mutually_exclusive_group()
        unit.add_argument(
            "--calendar",
            action="store_true",
            help="按自然日计算，届满日为休息日的顺延至其后第一个工作日（民法典第二百零三条）",
        )
        unit.add_argument(
            "--months", action="store_true", help="按月计算（民法典第二百零二条），并顺延"
        )
        count = sub.add_parser("count", help="A 之后至 B（含）的工作日天数")
        count.add_argument("a", metavar="A")
        count.add_argument("b", metavar="B")
        is_ = sub.add_parser("is", help="某日是工作日还是休息日，以及原因")
        is_.add_argument("day", metavar="DATE")

    def handle(self, *args, action: str, **options):
        try:
            if action == "add":
                start, n = _date(options["start"], "起算日"), _count(options["n"])
                if options["calendar"]:
                    result = selectors.add_calendar_days(start, n)
                elif options["months"]:
                    result = selectors.add_months(start, n)
                else:
                    result = selectors.add_workdays(start, n)
                self.stdout.write(result.isoformat())
            elif action == "count":
                a, b = _date(options["a"], "日期A"), _date(options["b"], "日期B")
                self.stdout.write(str(selectors.count_workdays(a, b)))
            else:
                self.stdout.write(str(selectors.explain_day(_date(options["day"], "日期"))))
        except DomainError as exc:  # CalendarYearMissing among them
            raise CommandError(exc.message, returncode=2) from None
