"""Request bodies derived from the pages' forms, so that an API call and a page submission are
parsed by the same code.

The API parses in two steps:

1. the body is checked against a strict schema built here from the form's fields (a date is
   an ISO string, a flag is ``true``/``false``, a choice is one of the choices, unknown fields
   are refused) — a wrong *type* answers 422 before anything else runs;
2. the values are handed to the page's own form as if typed in, and the form's
   ``service_kwargs()`` gives the keyword arguments of the one service the page calls — so
   every conversion (a user id to the user, a catalogue version id to the version, a 统一社会
   信用代码 checksum) is the page's, never a second copy.

A field a form adds in ``setup()`` (it depends on the case) appears in ``base_fields`` as a
placeholder ``forms.Field()``; it is always a choice among the case's objects, so its API type
is an id.
"""

import datetime as dt
from typing import Any, Literal

from django import forms
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from pydantic import Field, create_model

from .types import MAX_ID, NO_NUL, Body, IsoDate, IsoDateTime, Money

LONG_TEXT = 20000


def _choices(field) -> tuple[str, ...]:
    values = []
    for key, label in field.choices:
        if isinstance(label, (list, tuple)):  # an optgroup
            values += [str(k) for k, _ in label]
        elif str(key) != "":
            values.append(str(key))
    return tuple(values)


def _is_yes_no(field) -> bool:
    return isinstance(field, forms.TypedChoiceField) and set(_choices(field)) == {"1", "0"}


def _is_today(field) -> bool:
    return isinstance(field, forms.DateField) and callable(field.initial)


def _describe(field) -> str:
    text = str(field.label or "")
    if field.help_text:
        text = f"{text}。{field.help_text}" if text else str(field.help_text)
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        labels = [
            f"{k} {v}"
            for k, v in field.choices
            if str(k) != "" and not isinstance(v, (list, tuple))
        ]
        if labels and not _is_yes_no(field):
            text += "（" + "；".join(labels) + "）"
    if _is_today(field):
        text += "（不填为今天）"
    return text


def _type_of(name: str, field) -> Any:
    """The strict API type of one form field."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return list[_id()]
    if isinstance(field, forms.ModelChoiceField):
        return _id()
    if _is_yes_no(field):
        return bool
    if isinstance(field, forms.MultipleChoiceField):
        values = _choices(field)
        return list[Literal[values]] if values else list[str]
    if isinstance(field, forms.ChoiceField):
        values = _choices(field)
        return Literal[values] if values else str
    if isinstance(field, forms.BooleanField):
        return bool
    if isinstance(field, forms.DateTimeField):
        return IsoDateTime
    if isinstance(field, forms.DateField):
        return IsoDate
    # DecimalField is an IntegerField subclass: money (a string) before integers.
    if isinstance(field, forms.DecimalField):
        return Money
    if isinstance(field, forms.IntegerField):
        from typing import Annotated

        low = field.min_value if field.min_value is not None else -(2**31)
        high = field.max_value if field.max_value is not None else 2**31 - 1
        return Annotated[int, Field(ge=low, le=high)]
    if isinstance(field, forms.CharField):
        if field.widget.attrs.get("inputmode") == "decimal":
            return Money
        from typing import Annotated

        return Annotated[
            str,
            Field(
                max_length=field.max_length or LONG_TEXT,
                pattern=NO_NUL,
            ),
        ]
    # A placeholder filled in ``setup()``: a choice among the case's objects.
    return _id()


def _id():
    from typing import Annotated

    return Annotated[int, Field(ge=1, le=MAX_ID)]


def schema_for(
    name: str,
    fields: dict[str, forms.Field],
    *,
    drop: tuple[str, ...] = (),
    doc: str = "",
) -> type[Body]:
    """A strict request body with one member per form field (same names)."""
    members: dict[str, Any] = {}
    for field_name, field in fields.items():
        if field_name in drop:
            continue
        kind = _type_of(field_name, field)
        description = _describe(field)
        required = field.required and not _is_today(field)
        if isinstance(field, forms.BooleanField) and not _is_yes_no(field):
            default = bool(field.initial) if not callable(field.initial) else False
            members[field_name] = (kind, Field(default, description=description))
        elif isinstance(field, forms.MultipleChoiceField) and not field.required:
            members[field_name] = (kind, Field(default_factory=list, description=description))
        elif required:
            members[field_name] = (kind, Field(..., description=description))
        else:
            members[field_name] = (kind | None, Field(None, description=description))
    model = create_model(name, __base__=Body, **members)
    model.__doc__ = doc or None
    return model


def form_data(payload: Body, fields: dict[str, forms.Field]) -> MultiValueDict:
    """The payload as the form would receive it from a browser."""
    data = MultiValueDict()
    values = payload.model_dump()
    for name, field in fields.items():
        value = values.get(name)
        if value is None:
            if _is_today(field):
                data[name] = timezone.localdate().isoformat()
            continue
        if _is_yes_no(field):
            data[name] = "1" if value else "0"
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list):
            data.setlist(name, [str(v) for v in value])
        elif isinstance(value, dt.datetime):
            data[name] = timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


def form_errors(form) -> dict[str, list[str]]:
    """The form's errors by API field name ("body" for errors of the whole form)."""
    out: dict[str, list[str]] = {}
    for name, errors in form.errors.items():
        key = "body" if name == "__all__" else name
        out.setdefault(key, []).extend(str(e) for e in errors)
    return out
