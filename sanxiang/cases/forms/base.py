"""Shared pieces of the case forms. Forms parse and present only: they check the *shape* of
what was typed (a date is a date, a code passes its checksum, a choice is one of the choices)
and turn it into the keyword arguments of one service. Every rule — who may act, in which
state, whether a date is too late, whether a step is blocked — is the service's, which raises
``DomainError`` / ``Blocked`` with Chinese reasons; the view puts those on the form."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from sanxiang.lib import codes

DATE_INVALID = "请按“年-月-日”填写日期，如 2026-03-01"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def date_field(
    label: str, *, required: bool = True, help_text: str = "", today: bool = False
) -> forms.DateField:
    """A date; ``today`` pre-fills today's date (the date an act takes effect)."""
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        help_text=help_text,
        initial=timezone.localdate if today else None,
        error_messages={"invalid": DATE_INVALID, "required": f"请填写{label}"},
    )


def datetime_field(label: str, *, help_text: str = "") -> forms.DateTimeField:
    """A date and time, entered in Beijing time (the current time zone) and stored aware."""
    return forms.DateTimeField(
        label=label,
        widget=DateTimeInput(),
        help_text=help_text,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        error_messages={
            "invalid": "请按“年-月-日 时:分”填写，如 2026-03-10 09:30",
            "required": f"请填写{label}",
        },
    )


def text_field(
    label: str, *, required: bool = False, max_length: int = 200, help_text: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        error_messages={
            "required": f"请填写{label}",
            "max_length": f"{label}不能超过%(limit_value)d个字",
        },
    )


def long_text(
    label: str, *, required: bool = False, rows: int = 3, help_text: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"请填写{label}"},
    )


def money_field(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    """Money is typed as text ("1,200.50") and parsed by the service (``lib.money``), which
    names the field in its Chinese error."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=30,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": f"请填写{label}"},
    )


def count_field(label: str, *, required: bool = False, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=1,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
        error_messages={
            "invalid": f"{label}应为整数",
            "min_value": f"{label}应为1以上的整数",
            "required": f"请填写{label}",
        },
    )


def choice_field(
    label: str, choices, *, required: bool = True, help_text: str = "", blank: str = "请选择"
) -> forms.ChoiceField:
    options = list(choices)
    if not required or blank:
        options = [("", blank or "—"), *options]
    return forms.ChoiceField(
        label=label,
        choices=options,
        required=required,
        help_text=help_text,
        error_messages={
            "required": f"请选择{label}",
            "invalid_choice": f"请从列表中选择{label}",
        },
    )


def yes_no(label: str, *, help_text: str = "") -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False, help_text=help_text)


class UserChoiceField(forms.ModelChoiceField):
    def __init__(self, queryset, *, label: str, required: bool = True, help_text: str = ""):
        super().__init__(
            queryset=queryset,
            label=label,
            required=required,
            help_text=help_text,
            empty_label="请选择",
            error_messages={
                "required": f"请选择{label}",
                "invalid_choice": f"请从列表中选择{label}",
            },
        )

    def label_from_instance(self, obj):
        unit = f"（{obj.unit.name}）" if getattr(obj, "unit_id", None) else ""
        return f"{obj.real_name or obj.username}{unit}"


def clean_uscc(value: str) -> str:
    """统一社会信用代码 (GB 32100-2015) with its check character; Chinese error otherwise."""
    value = "".join(str(value or "").split()).upper()
    if not value:
        return ""
    try:
        return codes.validate_uscc(value)
    except codes.CodeError as exc:
        raise forms.ValidationError(str(exc)) from None


def clean_id_number(value: str) -> str:
    """居民身份证号码 (GB 11643-1999) with its check digit; Chinese error otherwise."""
    value = "".join(str(value or "").split()).upper()
    if not value:
        return ""
    try:
        return codes.validate_id_number(value)
    except codes.CodeError as exc:
        raise forms.ValidationError(str(exc)) from None


class CaseForm(forms.Form):
    """A form for one service on one case.

    ``field_map`` sends a service's ``DomainError.field`` to a form field (or to a fieldset's
    error slot, "@key"); a field the form does not show becomes a form-wide error.
    ``fieldsets`` groups the fields: (key, legend, [field names], note).
    """

    field_map: dict[str, str] = {}
    fieldsets: list[tuple[str, str, list[str], str]] = []
    wide_fields: tuple[str, ...] = ()  # shown across the whole fieldset
    # fieldset key -> (select field, "value value …"): with JavaScript, the fieldset is shown
    # only when the select has one of the values (or none yet); without it, always.
    conditions: dict[str, tuple[str, str]] = {}

    def __init__(self, *args, case=None, user=None, obj=None, **kwargs):
        self.case, self.user, self.obj = case, user, obj
        super().__init__(*args, **kwargs)
        self.group_errors: dict[str, list[str]] = {}
        self.setup()
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs.setdefault("aria-describedby", f"id_{name}_help")

    def setup(self) -> None:
        """Hook for choices that depend on the case or the user."""

    def service_kwargs(self) -> dict:
        """The service's keyword arguments (besides ``actor`` and the case or object)."""
        return {k: v for k, v in self.cleaned_data.items() if not k.startswith("_")}

    # --- errors from the service -----------------------------------------------------------

    def add_service_error(self, field: str | None, message: str) -> None:
        target = self.field_map.get(field or "", field)
        if target and target.startswith("@"):
            self.group_errors.setdefault(target[1:], []).append(message)
            return
        if target in self.fields and not self.fields[target].widget.is_hidden:
            self.add_error(target, message)
        else:
            self.add_error(None, message)

    def mark_errors(self) -> None:
        """aria-invalid and aria-describedby on the fields that carry an error."""
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                described = attrs.get("aria-describedby", "")
                attrs["aria-describedby"] = f"{described} id_{name}_error".strip()

    # --- presentation ------------------------------------------------------------------------

    def groups(self) -> list[dict]:
        """The fieldsets with their bound fields (one group of every field when none is set)."""
        if not self.fieldsets:
            return [
                {
                    "key": "main",
                    "legend": "",
                    "note": "",
                    "fields": [self[n] for n in self.fields if not self.fields[n].widget.is_hidden],
                    "errors": self.group_errors.get("main", []),
                    "when": None,
                }
            ]
        out = []
        for key, legend, names, note in self.fieldsets:
            if not any(n in self.fields for n in names):
                continue
            out.append(
                {
                    "key": key,
                    "legend": legend,
                    "note": note,
                    "fields": [self[n] for n in names if n in self.fields],
                    "errors": self.group_errors.get(key, []),
                    "when": self.conditions.get(key),
                }
            )
        return out
