"""Pagination: set lines onto the 22-line grid, page by page, and place the page numbers.

- Every line takes one grid line (28.95 pt), a 22 pt title line included (exact line spacing);
  the first line's top is the 版心 top.
- ``space_before_lines`` skips whole grid lines, except at the top of a page after the first.
- Headings keep with the next block: a chain of keep-with-next blocks plus the first line of the
  block after it moves to a new page rather than end a page (LibreOffice's keepNext).
- No widow/orphan control: the .docx writer sets ``w:widowControl w:val="0"`` on every paragraph
  (a fixed 22-line page), so paragraphs split wherever the page ends.
"""

from __future__ import annotations

from docgen.layout.boxes import Glyph, Line, Page
from docgen.layout.lines import SetLine, make_item, measure_pt, set_block
from docgen.layout.metrics import Metrics, vertical_em
from docgen.model import Document
from docgen.style.profile import Profile, mm_to_pt

# LibreOffice draws baselines ~0.45 pt lower than its own centring arithmetic says (measured on
# every face and size tried: Noto Serif/Sans CJK 16 pt, KaitiM GB 16 pt, Noto Serif 14/22 pt).
LO_BASELINE_NUDGE_PT = 0.45
# LibreOffice puts the baseline of an exactly-spaced, off-grid line at 80 % of its height.
FIXED_LINE_ASCENT = 0.8


def layout_document(document: Document, profile: Profile, metrics: Metrics) -> list[Page]:
    """Lay out the whole document: pages of positioned lines, with page numbers."""
    per_page = profile.grid.lines
    pitch = profile.line_pitch_pt
    left = mm_to_pt(profile.page.margin_left_mm)
    top = mm_to_pt(profile.page.margin_top_mm)

    blocks = document.blocks
    set_lines = [set_block(block, profile, metrics) for block in blocks]
    pages: list[list[Line]] = [[]]
    row = 0  # grid line on the current page

    def new_page() -> None:
        nonlocal row
        pages.append([])
        row = 0

    for index, block in enumerate(blocks):
        spec = profile.style(block.style)
        # Space before counts at the start of the document (LibreOffice and Word keep it there)
        # but not at the top of a later page.
        if spec.space_before_lines and (row or index == 0):
            row += spec.space_before_lines
            if row >= per_page:
                new_page()
        if row and spec.keep_with_next:
            need = _keep_chain_lines(index, blocks, set_lines, profile)
            if row + need > per_page and need <= per_page:
                new_page()
        for line in set_lines[index]:
            if row >= per_page:
                new_page()
            line_top = top + row * pitch
            pages[-1].append(_position(line, line_top, left, block.style, index, profile, metrics))
            row += 1

    if len(pages) > 1 and not pages[-1]:
        pages.pop()
    result = []
    for number, lines in enumerate(pages, start=1):
        footer = page_number_line(number, profile, metrics)
        result.append(Page(number, tuple(lines), footer.text, footer))
    return result


def _keep_chain_lines(index: int, blocks, set_lines, profile: Profile) -> int:
    """Grid lines the chain starting at ``index`` needs on one page: every keep-with-next block,
    the space before each later one, and the first line of the block that ends the chain."""
    need = 0
    k = index
    while k < len(blocks):
        spec = profile.style(blocks[k].style)
        if k > index:
            need += spec.space_before_lines
        if spec.keep_with_next and k + 1 < len(blocks):
            need += len(set_lines[k])
            k += 1
            continue
        need += 1 if k > index else len(set_lines[k])
        break
    return need


def baseline_offset(glyphs: list[Glyph] | tuple[Glyph, ...], style_size: float, profile: Profile,
                    metrics: Metrics) -> float:
    """Distance from a grid line's top to its baseline, where LibreOffice puts it.

    Grid-size lines snap to the line grid and LibreOffice centres the font's ascent+descent box in
    the line: (pitch + ascent − descent) / 2. Other sizes (the 22 pt title) use exact line spacing,
    where LibreOffice sets the baseline at 80 % of the line height."""
    pitch = profile.line_pitch_pt
    sizes = [g.size_pt for g in glyphs] or [style_size]
    if max(sizes) != profile.grid_size_pt:
        return FIXED_LINE_ASCENT * pitch + LO_BASELINE_NUDGE_PT
    ascent = descent = 0.0
    for glyph in glyphs or ():
        up, down = vertical_em(metrics, glyph.font_role)
        ascent = max(ascent, up * glyph.size_pt)
        descent = max(descent, down * glyph.size_pt)
    if not glyphs:
        up, down = vertical_em(metrics, "")
        ascent, descent = up * style_size, down * style_size
    return (pitch + ascent - descent) / 2 + LO_BASELINE_NUDGE_PT


def _position(line: SetLine, line_top: float, left: float, style: str, block_index: int,
              profile: Profile, metrics: Metrics) -> Line:
    glyphs = tuple(
        Glyph(item.char, left + x, item.font_role, item.size_pt, item.bold, item.color,
              item.advance_pt)
        for item, x in zip(line.items, line.xs)
    )
    offset = baseline_offset(glyphs, profile.style(style).size, profile, metrics)
    return Line(line_top, line_top + offset, glyphs, style, block_index, line.last_of_block)


def page_number_line(number: int, profile: Profile, metrics: Metrics) -> Line:
    """"— N —" in 4号宋体: odd pages right, even pages left, one character (4号) in from the
    版心 edge; the line's top ``below_type_mm`` under the 版心's bottom edge."""
    fmt = profile.page_number
    spec = profile.style("page_number")
    label = fmt.format.replace("{n}", str(number))
    items = [make_item(char, "page_number", profile, metrics) for char in label]
    width = sum(item.advance_pt for item in items)
    left = mm_to_pt(profile.page.margin_left_mm)
    inset = fmt.indent_chars * spec.size
    side = fmt.odd if number % 2 else fmt.even
    if side == "right":
        x = left + measure_pt(profile) - inset - width
    elif side == "left":
        x = left + inset
    else:
        x = left + (measure_pt(profile) - width) / 2
    glyphs = []
    for item in items:
        glyphs.append(Glyph(item.char, x, item.font_role, item.size_pt, item.bold, item.color,
                            item.advance_pt))
        x += item.advance_pt
    line_top = mm_to_pt(profile.page.margin_top_mm + profile.page.type_height_mm
                        + fmt.below_type_mm)
    # The footer paragraph is exactly one type size high and off the grid (80 % rule).
    return Line(line_top, line_top + FIXED_LINE_ASCENT * spec.size, tuple(glyphs), "page_number",
                -1, True)
