"""版头 (GB/T 9704 7.2) on page 1 as one flow piece: 份号/密级/紧急程度 top left, the red
发文机关标志, 发文字号 (with 签发人 for 上行文) and the red separator.

The vertical plan is :func:`docgen.layout.placement.header_placement` — the numbers the .docx
writer turns into paragraph spacing — stacked the way LibreOffice stacks those paragraphs:
- 份号, 密级和保密期限, 紧急程度: one grid line each, 顶格, 黑体;
- the 标志: after ``mark_space_before_pt``, one exact line of ``mark_line_pt`` per organ, off the
  grid (baseline at 80 % of the line + 0.45 pt), centred, red; joint: names stacked, “文件” to the
  right, vertically centred on them;
- 发文字号: after ``number_space_before_pt``, one line of one grid pitch, off the grid; centred, or
  for 上行文 居左空一字 with “签发人：” + names (楷体) 居右空一字;
- the red separator is that paragraph's bottom border: ``red_line_space_pt`` under the line, as
  thick as the profile says, 版心 wide; the title's space before follows the border.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from docgen.layout.boxes import Glyph, Line, Rule
from docgen.layout.flow import Piece
from docgen.layout.lines import measure_pt, style_color
from docgen.layout.metrics import Metrics
from docgen.layout.paragraphs import (LO_BASELINE_NUDGE_PT, OTHER_ELEMENT, free_line, glyphs_of, items_of,
                                      type_left_pt, width_of)
from docgen.layout.placement import (JOINT_SUFFIX_GAP_EM, HeaderPlacement, border_pt, fixed_baseline_pt,
                                     header_placement, signer_names_x_pt)
from docgen.model import Header
from docgen.style.profile import Profile


@dataclass(frozen=True)
class HeaderLayout:
    piece: Piece  # the whole 版头; the title's space before starts at its bottom
    placement: HeaderPlacement
    red_line_y_pt: float  # centre of the red separator, from the 版心 top


def layout_header(header: Header, profile: Profile, metrics: Metrics) -> HeaderLayout:
    plan = header_placement(header, profile)
    pitch = profile.line_pitch_pt
    left = type_left_pt(profile)
    lines: list[Line] = []
    y = 0.0
    for text in (header.copy_number, header.secrecy, header.urgency):
        if text:
            lines.append(free_line(text, "header_meta", left, profile, metrics, line_top=y))
            y += pitch
    if header.mark is not None and header.mark.names:
        y += plan.mark_space_before_pt
        lines += _mark_lines(header, plan, y, profile, metrics)
        y += plan.mark_rows * plan.mark_line_pt
    y += plan.number_space_before_pt
    number_lines = _number_lines(header, y, profile, metrics)
    lines += number_lines
    y += pitch * max(1, len({line.top_pt for line in number_lines}))
    # The red separator: the 文号 paragraph's bottom border, ``w:space`` below the line, as thick
    # as the .docx's border; LibreOffice draws it as low as it draws text (the 0.45 pt nudge).
    thickness = border_pt(profile.header.red_line_mm)
    red_y = y + plan.red_line_space_pt + thickness / 2 + LO_BASELINE_NUDGE_PT
    red = Rule(left, left + measure_pt(profile), red_y, thickness, style_color(profile, "red"))
    y += plan.red_line_space_pt + thickness
    return HeaderLayout(Piece(height_pt=y, lines=tuple(lines), rules=(red,)), plan, red_y)


def _sized(line: Line, size: float, x0: float) -> Line:
    """``line`` (set at the style's size) at ``size``, starting at ``x0``."""
    if not line.glyphs:
        return line
    scale = size / line.glyphs[0].size_pt
    start = line.glyphs[0].x_pt
    glyphs = tuple(replace(g, x_pt=x0 + (g.x_pt - start) * scale, size_pt=size, advance_pt=g.advance_pt * scale)
                   for g in line.glyphs)
    return replace(line, glyphs=glyphs)


def _mark_lines(header: Header, plan: HeaderPlacement, top: float, profile: Profile,
                metrics: Metrics) -> list[Line]:
    mark = header.mark
    size = plan.mark_size_pt
    height = plan.mark_line_pt
    left = type_left_pt(profile)
    measure = measure_pt(profile)
    scale = size / profile.style("issuer_mark").size
    baseline = fixed_baseline_pt(height)

    def line(text: str, x0: float, line_top: float, step: float | None = None) -> Line:
        made = _sized(free_line(text, "issuer_mark", 0.0, profile, metrics), size, x0)
        if step is not None:  # distributed: every character ``step`` after the previous one
            made = replace(made, glyphs=tuple(replace(g, x_pt=x0 + k * step) for k, g in enumerate(made.glyphs)))
        return replace(made, top_pt=line_top, baseline_pt=line_top + baseline)

    def width(text: str) -> float:
        return width_of(items_of(text, "issuer_mark", profile, metrics)) * scale

    if len(mark.names) == 1:
        text = mark.names[0] + mark.suffix
        return [line(text, left + (measure - width(text)) / 2, top)]
    # Joint issuance: the .docx's borderless table, centred: the names column (as wide as the
    # longest name, each name spread over it: "distribute") and “文件” right-aligned in a merged
    # cell on the right, vertically centred on the names.
    names_w = _twips(max(len(name) for name in mark.names) * size)
    suffix_w = _twips((len(mark.suffix) + JOINT_SUFFIX_GAP_EM) * size) if mark.suffix else 0.0
    x0 = left + (measure - names_w - suffix_w) / 2
    result = []
    for k, name in enumerate(mark.names):
        step = (names_w - size) / (len(name) - 1) if len(name) > 1 else 0.0
        result.append(line(name, x0, top + k * height, step))
    if mark.suffix:
        middle_top = top + (len(mark.names) - 1) * height / 2
        result.append(line(mark.suffix, x0 + names_w + suffix_w - width(mark.suffix), middle_top))
    return result


def _twips(pt: float) -> float:
    return round(pt * 20) / 20


def _number_lines(header: Header, top: float, profile: Profile, metrics: Metrics) -> list[Line]:
    """The 文号 line(s), off the grid, one pitch high each (80 % baseline): the 文号 centred; for
    上行文 the .docx writer's tabs — the 文号 at a left tab 空一字 in (on the last line), “签发人：”
    at a right tab ending where the names start, the names (two a line) at a left tab there, the
    widest line of names ending 空一字 from the right edge."""
    pitch = profile.line_pitch_pt
    left = type_left_pt(profile)
    measure = measure_pt(profile)
    char = profile.grid_size_pt
    base = fixed_baseline_pt(pitch)
    if not header.signers:
        if not header.number:
            return []
        width = width_of(items_of(header.number, "issue_number", profile, metrics))
        made = free_line(header.number, "issue_number", left + (measure - width) / 2, profile, metrics)
        return [Line(top, top + base, made.glyphs, "issue_number", OTHER_ELEMENT, True)]
    names_x = left + _twips(signer_names_x_pt(header.signers, profile))
    chunks = [header.signers[i:i + 2] for i in range(0, len(header.signers), 2)]
    result = []
    for index, names in enumerate(chunks):
        line_top = top + index * pitch
        glyphs: list[Glyph] = []
        if index == len(chunks) - 1 and header.number:
            glyphs += free_line(header.number, "issue_number", left + char, profile, metrics).glyphs
        if index == 0:
            # Right tab: the label ends at the names' start (a tab follows: no spacing after “：”).
            label = items_of("签发人：", "issue_number", profile, metrics)
            glyphs += glyphs_of(label, names_x - width_of(label))
        glyphs += glyphs_of(items_of("\u3000".join(names), "signer_name", profile, metrics), names_x + 0.05)
        glyphs = [g for g in glyphs if g.char != "\u3000"]
        result.append(Line(line_top, line_top + base, tuple(glyphs), "issue_number", OTHER_ELEMENT, True))
    return result


__all__ = ["HeaderLayout", "layout_header"]
