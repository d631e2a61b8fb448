"""Checks on the Document model that catch what a reader would call a defect.

Each rule has a stable code. ``docgen render`` shows their findings as notices; they never stop a
render, because only the writer knows whether “XX” is a placeholder or a real name.
"""

from __future__ import annotations

import re

from docgen.lint.registry import RULES, Finding, Rule, finding, rule
from docgen.model import Document

rule("L001", "warning", "占位符（X、XX、××、……、某某 等）未替换")

# Placeholders left from drafts copied off the web or from the starters: X, XX, ×× standing where a
# name or a number belongs (“走在建设‘三个X’前列”, “表彰创业明星XX名”), “……” where text is still to
# be written, “某某” for a name. Latin words (GDP, XML) and a single “…” are not flagged.
_PLACEHOLDER = re.compile(r"(?<![A-Za-z])(?:[Xx]{1,4}|[×＊*]{1,4}|[Ｘ]{1,4})(?![A-Za-z])|…{2,}|某某")


def check_placeholders(document: Document) -> list[Finding]:
    """L001: a placeholder such as X, XX or ×× is still in the text."""
    findings = []
    for number, block in enumerate(document.paragraphs, start=1):
        for match in _PLACEHOLDER.finditer(block.text):
            start = max(0, match.start() - 8)
            context = block.text[start:match.end() + 8].replace("\n", "")
            findings.append(finding("L001", f"疑似未替换的占位符“{match.group()}”：…{context}…", paragraph=number))
    return findings


def lint(document: Document) -> list[Finding]:
    return check_placeholders(document)


__all__ = ["RULES", "Finding", "Rule", "finding", "rule", "lint", "check_placeholders"]
