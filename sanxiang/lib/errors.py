"""Domain errors: a rule refused an action. Messages are Chinese and shown to the user as-is."""

from __future__ import annotations

from collections.abc import Iterable


class DomainError(Exception):
    """A service refused to act. ``message`` is Chinese; ``field`` names the form field at fault.

    Views turn it into a form error or a message; the API turns it into its error schema.
    Nothing has been written when it is raised (services raise before saving or inside their
    transaction, which then rolls back).
    """

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def __str__(self) -> str:
        return self.message


class Blocked(DomainError):
    """An action is blocked by one or more rules; ``reasons`` lists each in Chinese."""

    def __init__(self, reasons: Iterable[str], *, code: str = "blocked"):
        self.reasons = list(reasons)
        super().__init__("；".join(self.reasons), code=code)


class NotPermitted(DomainError):
    """The actor lacks the role or relation the action needs (the reason says which)."""

    def __init__(self, message: str = "您没有执行此操作的权限"):
        super().__init__(message, code="forbidden")
