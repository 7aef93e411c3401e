"""Password rules beyond Django's (等保 2.0 三级 身份鉴别: 口令复杂度)."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """At least three of: upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        classes = [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return "密码须至少包含大写字母、小写字母、数字、符号中的三类。"


class MinimumLengthValidator:
    """Django's length rule with a Chinese message (Django 5.2's zh_Hans catalogue lacks it)."""

    def __init__(self, min_length: int = 10):
        self.min_length = min_length

    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码太短，至少需要{self.min_length}个字符。", code="password_too_short"
            )

    def get_help_text(self) -> str:
        return f"密码至少需要{self.min_length}个字符。"


class PublishedPasswordValidator:
    """The demo password is printed by ``make run`` and in the README: nobody may choose it."""

    def validate(self, password: str, user=None) -> None:
        from .demo import DEMO_PASSWORD

        if password == DEMO_PASSWORD:
            raise ValidationError(
                "该密码是公开的演示密码，不能使用，请另设密码。", code="password_published"
            )

    def get_help_text(self) -> str:
        return "不能使用公开的演示密码。"
