"""The project's error type: a user mistake with its place (file, line, column, field path).

The CLI turns a :class:`DocgenError` into one red line and exit code 2; tracebacks are for bugs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Problem:
    """One thing wrong with the input, with where it is."""

    message: str
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    field: str | None = None  # e.g. "sections[1].points[0].heading"
    code: str | None = None  # machine-readable kind, e.g. "missing", "unknown_key"

    def __str__(self) -> str:
        place = ""
        if self.file:
            place = Path(self.file).name
            if self.line:
                place += f":{self.line}"
                if self.column:
                    place += f":{self.column}"
        head = " ".join(p for p in (place, self.field or "") if p)
        return f"{head}：{self.message}" if head else self.message


@dataclass
class DocgenError(Exception):
    """A user-facing error: one or more problems, all in Simplified Chinese."""

    problems: list[Problem] = field(default_factory=list)

    def __init__(self, message: str | Problem | list[Problem], **where) -> None:
        if isinstance(message, list):
            self.problems = message
        elif isinstance(message, Problem):
            self.problems = [message]
        else:
            self.problems = [Problem(message, **where)]
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class OutlineError(DocgenError):
    """The outline file cannot be read or does not match its schema."""


class TemplateError(DocgenError):
    """A template failed: syntax error, undefined variable, forbidden operation, a limit reached.

    Printed as ``模板错误：<template file>:<line>：<reason>``.
    """

    def __init__(self, message: str | Problem | list[Problem], **where) -> None:
        super().__init__(message, **where)
        self.problems = [p if isinstance(p, TemplateProblem) else TemplateProblem(**vars(p)) for p in self.problems]
        self.args = (str(self),)


@dataclass
class TemplateProblem(Problem):
    """A problem in a template: the file is shown as named (``speech/body.md.j2``), not cut to its base."""

    def __str__(self) -> str:
        place = self.file or ""
        if place and self.line:
            place += f":{self.line}"
        return f"模板错误：{place}：{self.message}" if place else f"模板错误：{self.message}"


class ProfileError(DocgenError):
    """A style profile file is unreadable or holds an impossible value."""


class FontError(DocgenError):
    """A font role cannot be resolved, or a character has no glyph in any font."""
