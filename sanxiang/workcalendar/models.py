"""The legal working-day calendar (法定工作日历): each year's State Council holiday notice as data.

``WorkCalendarDay`` holds only the *special* days of a notice — every day off of a holiday block
(放假日, weekend days of the block included, as the notice lists them) and every 调休上班
weekend day. Ordinary weekdays and weekends have no row: ``lib.workdays`` derives them.
``WorkCalendarYear`` says whether a year's notice has been entered completely; only complete
years are known to the calculator, every other year fails closed (ARCHITECTURE.md invariant 7).

Rows are written only by ``services``; ``selectors.work_calendar()`` turns them into the pure
``WorkCalendar``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class WorkCalendarYear(models.Model):  # 年度节假日安排
    """One year's State Council notice (国务院办公厅关于某年部分节假日安排的通知)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    complete = models.BooleanField(
        "已确认完整",
        default=False,
        help_text="该年度通知已全部录入并核对；只有已确认的年度才参与期限计算。",
    )
    notice_title = models.CharField("通知标题", max_length=200)
    notice_number = models.CharField("文号", max_length=60, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    source = models.CharField(
        "数据来源", max_length=100, help_text="人工录入，或导入数据的来源（如 chinese-calendar）"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField("录入时间")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度节假日安排"
        ordering = ["-year"]
        permissions = [("manage_workcalendar", "录入、确认和更正法定节假日安排")]
        constraints = [
            models.CheckConstraint(
                condition=Q(complete=False) | Q(confirmed_at__isnull=False),
                name="workcalendar_year_complete_has_confirmed_at",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900) & Q(year__lte=9999),
                name="workcalendar_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"


class WorkCalendarDay(models.Model):  # 节假日安排中的特殊日期
    """A day the notice changes: a day off of a holiday block, or a 调休上班 weekend day.

    Two kinds only, because that is all a notice states ("X月X日至X日放假调休，共N天；
    X月X日（周六）上班"): it does not say which days of a block are the statutory holiday
    and which are moved (调休) or weekend days, and no deadline rule depends on that split
    (行政处罚法 第八十五条 and 民法典 第二百零三条 treat every rest day alike). ``is_workday``
    is what the calculator reads; ``kind`` is kept beside it, tied by a constraint, so the
    admin and exports read naturally.
    """

    class Kind(models.TextChoices):
        REST = "rest", "放假日"
        MAKEUP = "makeup", "调休上班日"

    day = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("工作日")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    name = models.CharField("节日", max_length=50, help_text="如“春节”“国庆节、中秋节”")
    source = models.CharField("依据", max_length=200, help_text="通知文号或标题，或导入来源")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField("录入时间")

    class Meta:
        verbose_name = verbose_name_plural = "节假日安排日期"
        ordering = ["day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="rest", is_workday=False) | Q(kind="makeup", is_workday=True),
                name="workcalendar_day_kind_matches_is_workday",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="workcalendar_day_name_set"),
        ]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.name}{self.get_kind_display()}"


class WorkCalendarVersion(models.Model):  # 工作日历版本
    """A single row whose token changes with every change to the calendar tables.

    Each process caches the built calendar under the token it was built from and reads this one
    row (a primary-key lookup) to know whether its copy is current. The token is random rather
    than a counter, so a change that was rolled back can never be confused with a later one.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.UUIDField("版本标识", default=uuid.uuid4)
    changed_at = models.DateTimeField("变更时间")

    class Meta:
        verbose_name = verbose_name_plural = "工作日历版本"
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="workcalendar_version_single")
        ]

    def __str__(self) -> str:
        return str(self.token)
