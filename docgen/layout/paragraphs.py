"""Text blocks as flow pieces: one piece per line, one grid line (28.95 pt) high, with the
baseline where LibreOffice puts it."""

from __future__ import annotations

from dataclasses import replace

from docgen.layout.boxes import Glyph, Line
from docgen.layout.flow import Piece
from docgen.layout.lines import Item, SetLine, autospace_pt, block_cache, keep_block_lines, make_item, set_block
from docgen.layout.metrics import Metrics, vertical_em
from docgen.model import Block, Span
from docgen.style.profile import Profile, mm_to_pt

# LibreOffice draws baselines ~0.45 pt lower than its own centring arithmetic says (measured on
# every face and size tried: Noto Serif/Sans CJK 16 pt, KaitiM GB 16 pt, Noto Serif 14/22 pt).
LO_BASELINE_NUDGE_PT = 0.45
# LibreOffice puts the baseline of an exactly-spaced, off-grid line at 80 % of its height.
FIXED_LINE_ASCENT = 0.8

OTHER_ELEMENT = -2  # Line.block_index of lines that are not a Document.blocks Block


def type_left_pt(profile: Profile) -> float:
    return mm_to_pt(profile.page.margin_left_mm)


def block_pieces(block: Block, block_index: int, profile: Profile, metrics: Metrics) -> list[Piece]:
    """One piece per line of ``block``; the first carries the style's space before, every line of
    a keep-with-next style keeps with the next (a heading stays with the first line after it)."""
    spec = profile.style(block.style)
    pitch = profile.line_pitch_pt
    pieces = []
    for k, line in enumerate(block_lines(block, block_index, profile, metrics)):
        pieces.append(Piece(
            height_pt=pitch, lines=(line,),
            space_before_pt=spec.space_before_lines * pitch if k == 0 else 0.0,
            keep_with_next=spec.keep_with_next,
        ))
    return pieces


def block_lines(block: Block, block_index: int, profile: Profile, metrics: Metrics) -> list[Line]:
    """The block's lines, positioned at the type area's left and a top of 0.

    Kept per (profile value, metrics) for the block's value: a re-render after a small edit, a
    batch of notices sharing their body or the web page's previews set only the blocks that
    changed. Lines are immutable; one set elsewhere is restamped with this block's index."""
    cache = block_cache(profile, metrics)
    lines = cache.get(block)
    if lines is None:
        left = type_left_pt(profile)
        lines = [position_line(set_line, 0.0, left, block.style, block_index, profile, metrics)
                 for set_line in set_block(block, profile, metrics)]
        keep_block_lines(cache, block, lines)
    if lines and lines[0].block_index != block_index:
        lines = [replace(line, block_index=block_index) for line in lines]
    return lines


def text_block(text: str, style: str) -> Block:
    return Block(style, (Span(text, style),))


def baseline_offset(glyphs: list[Glyph] | tuple[Glyph, ...], style_size: float, profile: Profile,
                    metrics: Metrics, line_height_pt: float | None = None) -> float:
    """Distance from a line's top to its baseline, where LibreOffice puts it.

    Grid-size lines snap to the line grid and LibreOffice centres the font's ascent+descent box in
    the line: (pitch + ascent − descent) / 2. Other sizes (the 22 pt title) use exact line spacing,
    where LibreOffice sets the baseline at 80 % of the line height."""
    pitch = profile.line_pitch_pt if line_height_pt is None else line_height_pt
    # Each (face, size) once: a line has a few, and max() does not depend on the order.
    faces = {(g.font_role, g.size_pt) for g in glyphs} if glyphs else set()
    if max((size for _, size in faces), default=style_size) != profile.grid_size_pt:
        return FIXED_LINE_ASCENT * pitch + LO_BASELINE_NUDGE_PT
    ascent = descent = 0.0
    for role, size in faces:
        up, down = vertical_em(metrics, role)
        ascent = max(ascent, up * size)
        descent = max(descent, down * size)
    if not glyphs:
        up, down = vertical_em(metrics, "")
        ascent, descent = up * style_size, down * style_size
    return (pitch + ascent - descent) / 2 + LO_BASELINE_NUDGE_PT


def position_line(line: SetLine, line_top: float, left: float, style: str, block_index: int,
                  profile: Profile, metrics: Metrics, line_height_pt: float | None = None) -> Line:
    glyphs = tuple([
        Glyph(item.char, left + x, item.font_role, item.size_pt, item.bold, item.color,
              item.advance_pt)
        for item, x in zip(line.items, line.xs)
    ])
    offset = baseline_offset(glyphs, profile.style(style).size, profile, metrics, line_height_pt)
    return Line(line_top, line_top + offset, glyphs, style, block_index, line.last_of_block)


def items_of(text: str, style: str, profile: Profile, metrics: Metrics) -> list[Item]:
    return [make_item(char, style, profile, metrics) for char in text]


def run_of(items: list[Item] | tuple[Item, ...], x0: float) -> tuple[tuple[float, ...], float]:
    """x of each item set naturally from ``x0`` (autospace included) and the width of the run as a
    whole paragraph (its last character ends a portion: no character spacing after it)."""
    xs = []
    x = x0
    for index, item in enumerate(items):
        if index:
            x += autospace_pt(items[index - 1], item)
        xs.append(x)
        x += item.advance_pt
    if items:
        x -= items[-1].spacing_pt
    return tuple(xs), x - x0


def width_of(items: list[Item] | tuple[Item, ...]) -> float:
    return run_of(items, 0.0)[1]


def free_line(text: str, style: str, x0: float, profile: Profile, metrics: Metrics,
              line_top: float = 0.0, line_height_pt: float | None = None,
              block_index: int = OTHER_ELEMENT) -> Line:
    """One unbroken line of ``text`` starting at ``x0`` (absolute), not justified."""
    items = items_of(text, style, profile, metrics)
    xs, width = run_of(items, 0.0)
    set_line = SetLine(tuple(items), xs, True, width)
    return position_line(set_line, line_top, x0, style, block_index, profile, metrics, line_height_pt)


def glyphs_of(items: list[Item], x0: float) -> tuple[Glyph, ...]:
    """``items`` set naturally from ``x0`` as glyphs (one unbroken run of several styles)."""
    xs, _ = run_of(items, x0)
    return tuple(Glyph(item.char, x, item.font_role, item.size_pt, item.bold, item.color, item.advance_pt)
                 for item, x in zip(items, xs))
