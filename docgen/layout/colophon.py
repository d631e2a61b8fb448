"""版记 (GB/T 9704 7.4) at the foot of the last, even page: 抄送 and 印发机关/印发日期 between
black separators, the last separator on the 版心's bottom edge.

Where: :func:`fits_under` says whether the 版记 fits at the foot of the page the body ends on, with
at least ``FREE_LINES_ABOVE`` empty grid line between the body's last line and the 版记's first
separator; :func:`docgen.layout.pages.colophon_on_last_page` adds "that page is even" and is the one
decision both writers follow. Otherwise the 版记 gets an even page of its own (after a blank page
when the body ends on an even page).

The 版记 is a one-column table: thick rule on top, thin rule between the rows, thick rule at the
bottom, no cell margins, each row's paragraph off the grid at one grid pitch a line. The .docx
writer puts it either floating at the foot of the body's last page (``w:tblpPr``, bottom on the
bottom margin) or in the even-page footer of a final section that starts on an even page;
LibreOffice draws both the same (measured: same rule and glyph positions to 0.01 pt). It centres
each rule on the row boundary, so a row is its lines plus half of each rule, the text sits
0.8 × pitch under the row's inner top (no 0.45 pt nudge, unlike body text), and the bottom rule's
lower edge lies on the 版心 bottom.

抄送 (4号, 左右各空一字): “抄送：” then the names, justified, continuation lines hanging after
“抄送：”, a 句号 at the end. 印发机关 左空一字 and “……印发” at a right tab 空一字 from the edge.
"""

from __future__ import annotations

from dataclasses import dataclass

from docgen.layout.boxes import Line, Rule
from docgen.layout.lines import measure_pt, set_block
from docgen.layout.metrics import Metrics
from docgen.layout.paragraphs import (FIXED_LINE_ASCENT, OTHER_ELEMENT, free_line, items_of, position_line,
                                      text_block, type_left_pt, width_of)
from docgen.layout.placement import border_pt, colophon_cc_text, colophon_print_text
from docgen.model import Colophon
from docgen.style.profile import Profile, mm_to_pt

CC_LABEL_CHARS = 3  # “抄送：”
# Empty grid lines kept between the body's last line (its grid cell's bottom) and the upper edge of
# the 版记's first separator when the 版记 shares the body's last page. One line keeps the 附注 or
# 成文日期 visibly apart from the 版记 (GB/T 9704 has 空一行 for every such gap) and leaves slack for
# an office whose lines fall a little lower than LibreOffice's.
FREE_LINES_ABOVE = 1
FIT_EPSILON_PT = 0.05  # twips rounding, as in the paginator


@dataclass(frozen=True)
class ColophonLayout:
    lines: tuple[Line, ...]
    rules: tuple[Rule, ...]
    height_pt: float  # from the first separator's centre to the 版心 bottom

    @property
    def extent_pt(self) -> float:
        """From the first separator's upper edge to the 版心 bottom: the room the 版记 takes."""
        return self.height_pt + (self.rules[0].thickness_pt / 2 if self.rules else 0.0)


def fits_under(used_pt: float, colophon: ColophonLayout, profile: Profile) -> bool:
    """Whether ``colophon`` fits at the foot of a page whose content ends ``used_pt`` below the
    版心 top, with ``FREE_LINES_ABOVE`` empty grid lines above its first separator."""
    room = mm_to_pt(profile.page.type_height_mm) - used_pt
    return FREE_LINES_ABOVE * profile.line_pitch_pt + colophon.extent_pt <= room + FIT_EPSILON_PT


def layout_colophon(colophon: Colophon, profile: Profile, metrics: Metrics) -> ColophonLayout:
    """The 版记 positioned on its page (y from the paper top)."""
    pitch = profile.line_pitch_pt
    left = type_left_pt(profile)
    measure = measure_pt(profile)
    char = profile.style("colophon").size  # 空一字 in the 版记's own 4号
    side = profile.colophon.side_chars * char
    thick = border_pt(profile.colophon.thick_mm)
    thin = border_pt(profile.colophon.thin_mm)
    rows: list[list[Line]] = []  # each row's lines, tops relative to the row's inner top
    cc = colophon_cc_text(colophon)
    if cc:
        rows.append(_cc_lines(cc, left, measure, side, char, profile, metrics))
    printer, date = colophon_print_text(colophon)
    if printer or date:
        row = []
        if printer:
            row.append(_row_line(printer, left + side, profile, metrics))
        if date:
            width = width_of(items_of(date, "colophon", profile, metrics))
            row.append(_row_line(date, left + measure - side - width, profile, metrics))
        rows.append(row)
    # Rule widths between rows: thick on top, thin inside, thick at the bottom.
    widths = [thick] + [thin] * (len(rows) - 1) + [thick]
    heights = [max(1, len({ln.top_pt for ln in row})) * pitch for row in rows]
    bottom = mm_to_pt(profile.page.margin_top_mm + profile.page.type_height_mm) - thick / 2
    y = bottom - sum(heights) - sum(widths[1:-1]) - widths[0] / 2 - widths[-1] / 2
    top = y
    rules = [Rule(left, left + measure, y, widths[0])]
    lines: list[Line] = []
    for index, (row, height) in enumerate(zip(rows, heights)):
        inner = y + widths[index] / 2
        lines += [line.moved(inner) for line in row]
        y = inner + height + widths[index + 1] / 2
        rules.append(Rule(left, left + measure, y, widths[index + 1]))
    return ColophonLayout(tuple(lines), tuple(rules), bottom - top)


def _row_line(text: str, x0: float, profile: Profile, metrics: Metrics) -> Line:
    line = free_line(text, "colophon", x0, profile, metrics)
    return Line(0.0, FIXED_LINE_ASCENT * profile.line_pitch_pt, line.glyphs, "colophon", OTHER_ELEMENT, True)


def _cc_lines(text: str, left: float, measure: float, side: float, char: float, profile: Profile,
              metrics: Metrics) -> list[Line]:
    """The 抄送 paragraph: first line from 空一字, later lines hanging after “抄送：”, justified."""
    pitch = profile.line_pitch_pt
    hanging = CC_LABEL_CHARS * char
    set_lines = set_block(text_block(text, "colophon"), profile, metrics, width_pt=measure - 2 * side,
                          align="justify", left_indent_pt=hanging, first_indent_pt=-hanging)
    lines = []
    for k, set_line in enumerate(set_lines):
        line = position_line(set_line, k * pitch, left + side, "colophon", OTHER_ELEMENT, profile, metrics, pitch)
        lines.append(Line(line.top_pt, line.top_pt + FIXED_LINE_ASCENT * pitch, line.glyphs, "colophon",
                          OTHER_ELEMENT, line.is_last_of_block))
    return lines
