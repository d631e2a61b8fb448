"""Checks on the Document model that catch what a reader would call a defect.

Each rule has a stable code. ``docgen render`` shows their findings as notices; they never stop a
render, because only the writer knows whether “XX” is a placeholder or a real name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docgen.model import Document

# Placeholders left from drafts copied off the web: X, XX, ×× standing where a name or a number
# belongs (“走在建设‘三个X’前列”, “表彰创业明星XX名”). Latin words (GDP, XML) are not flagged.
_PLACEHOLDER = re.compile(r"(?<![A-Za-z])(?:[Xx]{1,4}|[×＊*]{1,4}|[Ｘ]{1,4})(?![A-Za-z])")


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    where: str

    def __str__(self) -> str:
        return f"{self.code} {self.where}：{self.message}"


def check_placeholders(document: Document) -> list[Finding]:
    """L001: a placeholder such as X, XX or ×× is still in the text."""
    findings = []
    for number, block in enumerate(document.paragraphs, start=1):
        for match in _PLACEHOLDER.finditer(block.text):
            start = max(0, match.start() - 8)
            context = block.text[start:match.end() + 8].replace("\n", "")
            findings.append(Finding("L001", f"疑似未替换的占位符“{match.group()}”：…{context}…", f"第 {number} 段"))
    return findings


def lint(document: Document) -> list[Finding]:
    return check_placeholders(document)


__all__ = ["Finding", "lint", "check_placeholders"]
