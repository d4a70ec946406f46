"""The one root exception and its family.

Every error a user can cause is a ``DocketError``; the edges (CLI, web, API) turn it into a
clear message and a non-zero exit or a 4xx page. ``where`` names the place of the fault
(file, record, field) so that a message can point at it.
"""

from __future__ import annotations


class DocketError(Exception):
    """Root of every error Docket reports to a user."""

    def __init__(self, message: str, *, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class ValidationError(DocketError):
    """A value that breaks a rule of the domain."""


class DateError(ValidationError):
    """A date that cannot be read or cannot exist."""


class UnknownTerm(ValidationError):
    """A code that is not in its controlled vocabulary."""


class NotFound(DocketError):
    """A record that does not exist (or that the caller may not see)."""


class BundleError(DocketError):
    """A case bundle that cannot be loaded; ``problems`` lists every fault found."""

    def __init__(self, problems: list[DocketError]) -> None:
        self.problems = problems
        first = problems[0] if problems else None
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{first}{more}" if first else "invalid bundle")
