"""The layout's output: pages of positioned lines, rules and pictures, as plain data.

Coordinates are PDF points measured from the **top-left corner of the paper**, y growing
downwards (the PDF writer flips y). A glyph's ``x_pt`` is its origin (left edge of its advance);
a line's ``baseline_pt`` is where every glyph on it sits.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


# Glyph and Line write their fields straight into the instance dict: the frozen dataclass
# __init__ goes through object.__setattr__ once per field, three times slower, and a document makes
# thousands of glyphs. The signature is the dataclass one (tests/layout/test_boxes.py checks it);
# dataclass() keeps a class's own __init__ and still adds eq, hash, repr and frozen setattr.
@dataclass(frozen=True)
class Glyph:
    char: str
    x_pt: float
    font_role: str  # a profile font role, or "latin" for Latin letters/digits in the Latin face
    size_pt: float
    bold: bool = False
    color: str | None = None  # "#RRGGBB"; None = black
    advance_pt: float = 0.0  # natural advance (spacing included, justification excluded)

    def __init__(self, char: str, x_pt: float, font_role: str, size_pt: float, bold: bool = False,
                 color: str | None = None, advance_pt: float = 0.0) -> None:
        fields = self.__dict__
        fields["char"] = char
        fields["x_pt"] = x_pt
        fields["font_role"] = font_role
        fields["size_pt"] = size_pt
        fields["bold"] = bold
        fields["color"] = color
        fields["advance_pt"] = advance_pt


@dataclass(frozen=True)
class Line:
    top_pt: float
    baseline_pt: float
    glyphs: tuple[Glyph, ...]
    style: str
    block_index: int  # index into Document.blocks; -1 for the page number, -2 for other elements
    is_last_of_block: bool

    def __init__(self, top_pt: float, baseline_pt: float, glyphs: tuple[Glyph, ...], style: str,
                 block_index: int, is_last_of_block: bool) -> None:
        fields = self.__dict__
        fields["top_pt"] = top_pt
        fields["baseline_pt"] = baseline_pt
        fields["glyphs"] = glyphs
        fields["style"] = style
        fields["block_index"] = block_index
        fields["is_last_of_block"] = is_last_of_block

    @property
    def text(self) -> str:
        return "".join(glyph.char for glyph in self.glyphs)

    def moved(self, dy: float) -> Line:
        # The constructor, not dataclasses.replace (which looks up the fields on every call):
        # every line of a document is moved onto its page.
        return Line(self.top_pt + dy, self.baseline_pt + dy, self.glyphs, self.style, self.block_index,
                    self.is_last_of_block)


@dataclass(frozen=True)
class Rule:
    """A horizontal rule (separator, table rule): ``y_pt`` is the centre of the stroke."""

    x0_pt: float
    x1_pt: float
    y_pt: float
    thickness_pt: float
    color: str | None = None

    def moved(self, dy: float) -> Rule:
        return replace(self, y_pt=self.y_pt + dy)


@dataclass(frozen=True)
class VRule:
    """A vertical rule (grid tables): from ``y0_pt`` down to ``y1_pt`` at ``x_pt``."""

    x_pt: float
    y0_pt: float
    y1_pt: float
    thickness_pt: float
    color: str | None = None

    def moved(self, dy: float) -> VRule:
        return replace(self, y0_pt=self.y0_pt + dy, y1_pt=self.y1_pt + dy)


@dataclass(frozen=True)
class Picture:
    """A raster image (chart PNG, seal PNG): ``source`` is PNG bytes or a file path.
    ``over_text`` pictures are drawn after the text (a seal presses on the 署名 and date)."""

    x_pt: float
    top_pt: float
    width_pt: float
    height_pt: float
    source: bytes | str
    over_text: bool = False

    def moved(self, dy: float) -> Picture:
        return replace(self, top_pt=self.top_pt + dy)


@dataclass(frozen=True)
class Page:
    number: int  # 1-based physical page
    lines: tuple[Line, ...]
    footer_label: str  # "— 1 —"; "" on pages without a number (blank pages, the 版记 page)
    footer: Line | None = None  # the page number, positioned
    rules: tuple[Rule | VRule, ...] = ()
    pictures: tuple[Picture, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)
