"""The one intermediate form every reader produces: a draft is a list of source lines.

A :class:`Line` is one physical line of a text/Markdown/PDF file or one paragraph of a .docx,
with its 1-based number there and *hints* the format could give (a heading level from Word's
numbering or a Markdown ``#``, a bold run-in prefix, a PDF line's indent, a table's rows …).
Cleaning and structure recognition read only this form, so a new format is one new reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Line:
    text: str
    number: int  # 1-based line (text, Markdown, PDF) or paragraph (.docx) in the draft
    hints: dict = field(default_factory=dict)

    @property
    def blank(self) -> bool:
        return not self.text.strip() and "table" not in self.hints


@dataclass
class Draft:
    path: Path
    lines: list[Line]
    unit: str = "line"  # "line" or "paragraph": what Line.number counts
    # True when each line is already a paragraph (Word); False when lines may be wrapped text.
    paragraphs: bool = False
    notes: list[str] = field(default_factory=list)  # what the reader could not carry (images …)
