"""Import findings: the I-codes of ``docgen import`` / ``docgen format`` (registered with every
other rule in :mod:`docgen.lint.rules`).

Placeholders use the lint rule L001 (the same meaning everywhere), found with the lint pattern
extended by what drafts also use for a missing name or number: XXX, 某某 and …….
"""

from __future__ import annotations

import re

import docgen.lint  # noqa: F401 - registers every rule (the I-codes included) in docgen.lint.rules
from docgen.lint.registry import Finding, finding


PLACEHOLDER = re.compile(
    r"(?<![A-Za-z])(?:[Xx]{1,4}|[×＊*]{1,4}|[Ｘ]{1,4})(?![A-Za-z])|某某|…{2,}|\.{6}|。{3}"
)


def placeholders(text: str, **where) -> list[Finding]:
    """L001 for each placeholder in ``text`` (one source line or paragraph); in a long line the
    message also says at which character, so it can be found."""
    found = []
    for match in PLACEHOLDER.finditer(text):
        start = max(0, match.start() - 8)
        context = text[start:match.end() + 8].replace("\n", "")
        at = f"（该行第 {match.start() + 1} 字）" if len(text) > 100 else ""
        found.append(finding("L001", f"疑似未替换的占位符“{match.group()}”{at}：…{context}…", **where))
    return found


__all__ = ["PLACEHOLDER", "placeholders", "finding"]
