"""The rule registry: every finding docgen reports has a code registered here, once.

A :class:`Rule` says what the code means (severity, one-line explanation, GB/T 9704 clause); a
:class:`Finding` is one occurrence, with where it is. Import (``docgen import``), lint on the model
(``render``/``batch``) and ``docgen check`` all report through this one registry, so a code means
the same thing everywhere and ``docgen check --rules`` can list them all.

Code families: ``L…`` content rules on text (placeholders, numbering, punctuation, dates …),
``I…`` import guesses and cleaning (kind guessed, noise line dropped …), ``F…`` format rules
measured on a .docx.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

SEVERITIES = ("error", "warning", "info")
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str  # "error" | "warning" | "info"
    title: str  # Chinese, one line: what the rule finds
    clause: str | None = None  # GB/T 9704-2012 clause, e.g. "7.2.4"


@dataclass(frozen=True)
class Finding:
    """One occurrence of a rule, with its place (any of file/line/paragraph/page may be unknown)."""

    code: str
    message: str  # Chinese, specific to this occurrence
    severity: str = "warning"
    file: str | None = None
    line: int | None = None  # 1-based line in a text file or outline
    paragraph: int | None = None  # 1-based paragraph in a .docx or the model
    page: int | None = None
    quote: str | None = None  # a short quote of the text concerned
    clause: str | None = None
    column: int | None = None  # 1-based character in ``line``, for long lines of drafts

    @property
    def where(self) -> str:
        parts = []
        if self.file:
            from pathlib import Path

            column = f":{self.column}" if self.line and self.column else ""
            parts.append(Path(self.file).name + (f":{self.line}{column}" if self.line else ""))
        elif self.line:
            parts.append(f"第 {self.line} 行")
        if self.paragraph:
            parts.append(f"第 {self.paragraph} 段")
        if self.page:
            parts.append(f"第 {self.page} 页")
        return " ".join(parts)

    def __str__(self) -> str:
        where = self.where
        return f"{self.code} {where}：{self.message}" if where else f"{self.code} {self.message}"

    def to_json(self) -> dict:
        data = {k: v for k, v in asdict(self).items() if v is not None}
        return data


RULES: dict[str, Rule] = {}


def rule(code: str, severity: str, title: str, clause: str | None = None) -> Rule:
    """Register a rule (at import time of the module that implements it) and return it."""
    if severity not in SEVERITIES:
        raise ValueError(f"bad severity {severity!r} for {code}")
    existing = RULES.get(code)
    if existing is not None and existing != Rule(code, severity, title, clause):
        raise ValueError(f"rule {code} registered twice with different meanings")
    RULES[code] = Rule(code, severity, title, clause)
    return RULES[code]


def finding(code: str, message: str, **where) -> Finding:
    """A finding of a registered rule; severity and clause come from the rule."""
    registered = RULES[code]
    return Finding(code, message, severity=registered.severity, clause=registered.clause, **where)
