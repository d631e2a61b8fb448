"""Import findings: the I-codes of ``docgen import`` / ``docgen format`` (registered with every
other rule in :mod:`docgen.lint.rules`).

Placeholders use the lint rule L001 and its pattern (the same meaning everywhere).
"""

from __future__ import annotations

import docgen.lint  # noqa: F401 - registers every rule (the I-codes included) in docgen.lint.rules
from docgen.lint.registry import Finding, finding
from docgen.lint.text import PLACEHOLDER  # one pattern for import, lint and check


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
