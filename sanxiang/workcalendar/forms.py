"""The notice entry form: notice fields, holiday blocks and make-up days, as plain HTML rows.

Usable without JavaScript: a fixed number of empty rows (blank rows are ignored). The rules are
``rules.notice_problems``'s, shown next to the row at fault; the service checks them again.
"""

from __future__ import annotations

from django import forms

from . import rules
from .rules import HolidayBlock, MakeupDay

DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"]
DATE_ERRORS = {"invalid": "请输入有效的日期，格式如 2027-01-01"}


def _date_field(label: str, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class NoticeForm(forms.Form):
    year = forms.IntegerField(
        label="年度",
        min_value=rules.MIN_YEAR,
        max_value=rules.MAX_YEAR,
        error_messages={
            "required": "请填写年度",
            "invalid": "年度应为四位数字，如 2027",
            "min_value": f"年度应在{rules.MIN_YEAR}年至{rules.MAX_YEAR}年之间",
            "max_value": f"年度应在{rules.MIN_YEAR}年至{rules.MAX_YEAR}年之间",
        },
    )
    notice_title = forms.CharField(
        label="通知标题",
        max_length=200,
        error_messages={"required": "请填写通知标题", "max_length": "通知标题不能超过200个字"},
        help_text="如：国务院办公厅关于2027年部分节假日安排的通知",
    )
    notice_number = forms.CharField(
        label="文号",
        max_length=60,
        required=False,
        error_messages={"max_length": "文号不能超过60个字"},
        help_text="如：国办发明电〔2026〕×号；通知无文号时可不填",
    )
    published_on = _date_field("发布日期")
    reason = forms.CharField(
        label="更正原因",
        required=False,
        max_length=500,
        error_messages={"max_length": "更正原因不能超过500个字"},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="该年度已确认。更正会立即改变该年度内期限的计算，更正前后的内容和原因记入账本。",
    )

    def __init__(
        self, *args, fixed_year: int | None = None, correcting: bool = False, taken=(), **kw
    ):
        super().__init__(*args, **kw)
        self.fixed_year = fixed_year
        self.taken = set(taken)
        if fixed_year is not None:
            self.fields["year"].disabled = True
            self.fields["year"].initial = fixed_year
        if correcting:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = "该年度已确认，更正须填写更正原因"
        else:
            del self.fields["reason"]

    def clean_year(self):
        year = self.cleaned_data["year"]
        if self.fixed_year is None and year in self.taken:
            raise forms.ValidationError(f"{year}年的安排已录入，请在该年度页面修改或更正")
        return year


class BlockForm(forms.Form):
    name = forms.CharField(
        label="节日",
        required=False,
        max_length=50,
        error_messages={"max_length": "节日名称不能超过50个字"},
        widget=forms.TextInput(attrs={"list": "holiday-names", "size": 12}),
    )
    first = _date_field("放假开始日期")
    last = _date_field("放假结束日期")

    def clean(self):
        data = super().clean()
        filled = [f for f in ("name", "first", "last") if data.get(f)]
        if filled and not self.errors:
            if not data.get("name", "").strip():
                self.add_error("name", "请填写节日名称")
            if not data.get("first"):
                self.add_error("first", "请填写放假开始日期")
            if not data.get("last"):
                self.add_error("last", "请填写放假结束日期（只放一天时与开始日期相同）")
        return data

    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(f) for f in ("name", "first", "last"))


class MakeupForm(forms.Form):
    day = _date_field("调休上班日期")
    name = forms.CharField(
        label="所属节日",
        required=False,
        max_length=50,
        error_messages={"max_length": "节日名称不能超过50个字"},
        widget=forms.TextInput(attrs={"list": "holiday-names", "size": 12}),
    )

    def clean(self):
        data = super().clean()
        if (data.get("day") or data.get("name")) and not self.errors:
            if not data.get("day"):
                self.add_error("day", "请填写调休上班日期")
            if not data.get("name", "").strip():
                self.add_error("name", "请填写所属节日")
        return data

    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("day") or self.cleaned_data.get("name"))


BLOCK_ROWS = 9  # a notice has 7 blocks; spare rows for special holidays
MAKEUP_ROWS = 9


def _formset(form_class, rows: int):
    return forms.formset_factory(form_class, extra=rows, max_num=rows + 20, absolute_max=60)


class NoticeEntry:
    """The whole page: the notice form and the two sets of rows, validated together."""

    def __init__(
        self,
        data=None,
        *,
        year: int | None = None,
        correcting: bool = False,
        taken=(),
        initial: dict | None = None,
        blocks: list[HolidayBlock] = (),
        makeup_days: list[MakeupDay] = (),
    ):
        block_rows = max(BLOCK_ROWS, len(blocks) + 2)
        makeup_rows = max(MAKEUP_ROWS, len(makeup_days) + 2)
        self.notice = NoticeForm(
            data, fixed_year=year, correcting=correcting, taken=taken, initial=initial
        )
        block_initial = [{"name": b.name, "first": b.first, "last": b.last} for b in blocks]
        makeup_initial = [{"day": m.day, "name": m.name} for m in makeup_days]
        # Rows are prefilled only for display. A submitted row is taken as typed: with
        # ``initial`` on a bound formset, an unchanged row beyond INITIAL_FORMS would count as
        # blank and be dropped silently.
        self.blocks = _formset(BlockForm, block_rows - len(block_initial))(
            data, prefix="block", initial=(block_initial or None) if data is None else None
        )
        self.makeups = _formset(MakeupForm, makeup_rows - len(makeup_initial))(
            data, prefix="makeup", initial=(makeup_initial or None) if data is None else None
        )
        self.problems: list[str] = []

    def is_valid(self) -> bool:
        notice_ok = self.notice.is_valid()
        rows_ok = self.blocks.is_valid() & self.makeups.is_valid()  # both, for all messages
        if not rows_ok or "year" not in self.notice.cleaned_data:
            return False
        block_forms = [f for f in self.blocks.forms if not f.is_blank()]
        makeup_forms = [f for f in self.makeups.forms if not f.is_blank()]
        problems = rules.notice_problems(self.year, self.block_list(), self.makeup_list())
        for p in problems:
            if p.where is None:
                self.problems.append(p.message)
                continue
            kind, i, field = p.where
            form = (block_forms if kind == "block" else makeup_forms)[i]
            if field not in form.errors:  # one message per field is enough to find the mistake
                form.add_error(field, p.message)
        return notice_ok and not problems

    @property
    def error_count(self) -> int:
        """Fields with an error, for the summary at the top of a long form."""
        count = len(self.notice.errors) + len(self.problems)
        for formset in (self.blocks, self.makeups):
            count += len(formset.non_form_errors()) + sum(len(f.errors) for f in formset.forms)
        return count

    @property
    def year(self) -> int:
        return self.notice.cleaned_data["year"]

    def block_list(self) -> list[HolidayBlock]:
        return [
            HolidayBlock(
                f.cleaned_data["name"].strip(), f.cleaned_data["first"], f.cleaned_data["last"]
            )
            for f in self.blocks.forms
            if not f.is_blank()
        ]

    def makeup_list(self) -> list[MakeupDay]:
        return [
            MakeupDay(f.cleaned_data["day"], f.cleaned_data["name"].strip())
            for f in self.makeups.forms
            if not f.is_blank()
        ]

    def service_kwargs(self) -> dict:
        data = self.notice.cleaned_data
        return {
            "year": self.year,
            "notice_title": data["notice_title"],
            "notice_number": data.get("notice_number", ""),
            "published_on": data.get("published_on"),
            "blocks": self.block_list(),
            "makeup_days": self.makeup_list(),
            "reason": data.get("reason", ""),
        }

    def add_error(self, field: str | None, message: str) -> None:
        if field in self.notice.fields:
            self.notice.add_error(field, message)
        else:
            self.problems.append(message)
