"""Exceptions raised by relations."""

from __future__ import annotations

__all__ = ["DataError", "ParameterError"]


class DataError(ValueError):
    """The data package breaks its schema; ``problems`` lists every problem found.

    Each problem reads ``file:row:column: message (allowed: ...)``; rows count the
    header as row 1, so they match the line in the CSV file.
    """

    def __init__(self, problems: list[str], *, header: str | None = None) -> None:
        self.problems = list(problems)
        n = len(self.problems)
        head = header or f"{n} problem{'s' if n != 1 else ''} in the data package"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))


class ParameterError(ValueError):
    """A briefing parameter is invalid; raised before any kernel starts.

    ``parameter`` names the offending parameter.
    """

    def __init__(self, parameter: str, message: str) -> None:
        self.parameter = parameter
        super().__init__(f"{parameter}: {message}")
