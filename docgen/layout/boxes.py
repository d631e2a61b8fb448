"""The layout's output: pages of positioned lines of positioned glyphs, as plain data.

Coordinates are PDF points measured from the **top-left corner of the paper**, y growing
downwards (the PDF writer flips y). A glyph's ``x_pt`` is its origin (left edge of its advance);
a line's ``baseline_pt`` is where every glyph on it sits.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Glyph:
    char: str
    x_pt: float
    font_role: str  # a profile font role, or "latin" for Latin letters/digits in the Latin face
    size_pt: float
    bold: bool = False
    color: str | None = None  # "#RRGGBB"; None = black
    advance_pt: float = 0.0  # natural advance (spacing included, justification excluded)


@dataclass(frozen=True)
class Line:
    top_pt: float
    baseline_pt: float
    glyphs: tuple[Glyph, ...]
    style: str
    block_index: int  # index into Document.blocks; -1 for the page number
    is_last_of_block: bool

    @property
    def text(self) -> str:
        return "".join(glyph.char for glyph in self.glyphs)


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    lines: tuple[Line, ...]
    footer_label: str  # "— 1 —"
    footer: Line | None = None  # the page number, positioned

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)
