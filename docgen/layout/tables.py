"""Tables and charts of a report as flow pieces, where LibreOffice draws the .docx's tables.

The .docx writer's numbers (:mod:`docgen.layout.placement`): the table is the 版心 wide, columns
by content, cells off the grid with exact 4号 lines (21 pt), 2 pt top/bottom and 2.85 pt side
margins, centred text, numbers right-aligned with a right indent that centres the column's
numbers under its header; the header row repeats, rows never split.

How LibreOffice stacks them (measured with three-line and grid tables across page breaks):
- every horizontal border takes its own width in the row it belongs to: the table's top border
  the first row (and the repeated header), a three-line header's bottom rule the header row,
  a grid's inside rules the top of each later row, the table's bottom border the last row;
  a rule is drawn in the middle of its band, 0.45 pt lower like LibreOffice's text;
- a row's text: its band, the 2 pt margin, then lines whose baseline is 0.8 × 21 + 0.45 pt down;
- a row that does not fit moves to the next page under the repeated header row (whose bottom
  rule there takes no room); a grid table closes the page with a rule under its last row there,
  a three-line table does not;
- the next paragraph starts right under the table (no snapping back to the grid).
A chart: the PNG both writers embed (:func:`docgen.charts.render_chart_png`), in a paragraph as
high as the picture, centred; its caption below (kept together: keep-with-next).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from docgen.layout.boxes import Line, Picture, Rule, VRule
from docgen.layout.flow import Piece
from docgen.layout.lines import measure_pt, set_block
from docgen.layout.metrics import Metrics
from docgen.layout.paragraphs import (LO_BASELINE_NUDGE_PT, OTHER_ELEMENT, block_pieces, position_line,
                                      text_block, type_left_pt)
from docgen.layout.placement import (TABLE_CELL_PAD_PT, TABLE_CELL_SIDE_PT, border_pt, chart_size_mm,
                                     numeric_right_indents_pt, table_column_widths_pt, table_line_pt, table_style)
from docgen.model import Chart, Table
from docgen.style.profile import Profile, mm_to_pt


def _twips(pt: float) -> float:
    """A length as the .docx stores it (whole twips)."""
    return round(pt * 20) / 20


@dataclass(frozen=True)
class TableGeometry:
    widths_pt: tuple[float, ...]
    right_indents_pt: tuple[float, ...]  # numeric columns' cells
    side_pt: float  # left and right cell margin
    pad_pt: float  # top and bottom cell margin
    line_pt: float
    grid: bool
    thick_pt: float
    thin_pt: float


def table_geometry(table: Table, profile: Profile) -> TableGeometry:
    """The .docx writer's numbers, twips-rounded as stored (the last column takes the rest)."""
    exact = table_column_widths_pt(table, profile)
    widths = [_twips(w) for w in exact]
    widths[-1] += _twips(measure_pt(profile)) - sum(widths)
    indents = tuple(_twips(w) for w in numeric_right_indents_pt(table, exact, profile))
    return TableGeometry(tuple(widths), indents, _twips(TABLE_CELL_SIDE_PT), _twips(TABLE_CELL_PAD_PT),
                         table_line_pt(profile), table_style(table, profile) == "grid",
                         border_pt(profile.table.rule_mm), border_pt(profile.table.thin_rule_mm))


def table_pieces(table: Table, group: int, profile: Profile, metrics: Metrics) -> list[Piece]:
    """Caption (kept with the header row), header row (kept with the first body row), body rows;
    every body row repeats the header row when it opens a page."""
    g = table_geometry(table, profile)
    caption = [replace(p, keep_with_next=True)
               for p in block_pieces(text_block(table.label, "table_caption"), OTHER_ELEMENT, profile, metrics)]
    numeric = tuple(table.numeric) + (False,) * len(table.columns)
    outer = g.thin_pt if g.grid else g.thick_pt
    header_bottom = 0.0 if g.grid else g.thin_pt
    header = _row(table.columns, (False,) * len(table.columns), g, profile, metrics,
                  top_band=outer, bottom_band=header_bottom)
    # Repeated on a later page, the header's bottom rule takes no room (LibreOffice, measured:
    # the first row there starts right under the header's margin, under the rule).
    repeated = replace(header, height_pt=header.height_pt - header_bottom)
    rows = []
    for index, cells in enumerate(table.rows):
        last = index == len(table.rows) - 1
        piece = _row(cells, numeric, g, profile, metrics, top_band=g.thin_pt if g.grid else 0.0,
                     bottom_band=outer if last else 0.0)
        rows.append(replace(piece, group=group, repeat=(repeated,), split_rules=_split_rules(piece, g, profile)))
    if not rows:
        header = replace(header, height_pt=header.height_pt + outer, rules=header.rules + (
            _band_rule(header.height_pt, outer, profile, g),))
    return caption + [replace(header, keep_with_next=bool(rows), group=group)] + rows


def _band_rule(top: float, width: float, profile: Profile, g: TableGeometry) -> Rule:
    left = type_left_pt(profile)
    return Rule(left, left + sum(g.widths_pt), top + width / 2 + LO_BASELINE_NUDGE_PT, width)


def _row(cells, numeric, g: TableGeometry, profile: Profile, metrics: Metrics, *, top_band: float,
         bottom_band: float) -> Piece:
    """One table row: its top band, margins and lines, its bottom band; rules drawn in the bands."""
    left = type_left_pt(profile)
    x = left
    cell_lines: list[list[Line]] = []
    content_top = top_band + g.pad_pt
    for index, width in enumerate(g.widths_pt):
        text = cells[index] if index < len(cells) else ""
        number = numeric[index]
        indent = g.right_indents_pt[index] if number else 0.0
        inner = width - 2 * g.side_pt - indent
        set_lines = set_block(text_block(text, "table"), profile, metrics, width_pt=inner,
                              align="right" if number else "center")
        cell_lines.append([position_line(sl, content_top + k * g.line_pt, x + g.side_pt, "table", OTHER_ELEMENT,
                                         profile, metrics, g.line_pt) for k, sl in enumerate(set_lines)])
        x += width
    rows = max((len(lines) for lines in cell_lines), default=1) or 1
    # Cells are centred vertically in their row (w:vAlign="center").
    lines = tuple(line.moved((rows - len(cell)) * g.line_pt / 2) for cell in cell_lines for line in cell)
    content = rows * g.line_pt + 2 * g.pad_pt
    height = top_band + content + bottom_band
    rules: list[Rule | VRule] = []
    if top_band:
        rules.append(_band_rule(0.0, top_band, profile, g))
    if bottom_band:
        rules.append(_band_rule(top_band + content, bottom_band, profile, g))
    if g.grid:
        x = left
        for width in (0.0, *g.widths_pt):
            x += width
            rules.append(VRule(x, LO_BASELINE_NUDGE_PT, height + LO_BASELINE_NUDGE_PT, g.thin_pt))
    return Piece(height, lines, tuple(rules))


def _split_rules(piece: Piece, g: TableGeometry, profile: Profile) -> tuple[Rule, ...]:
    """What closes a page when the next row moves on: a grid table's rule under the row."""
    if not g.grid:
        return ()
    return (_band_rule(piece.height_pt, g.thin_pt, profile, g),)


def chart_pieces(chart: Chart, png: bytes, profile: Profile, metrics: Metrics) -> list[Piece]:
    """The picture's paragraph is exactly as high as the picture (automatic line height), the
    picture centred in the 版心 and drawn 0.45 pt low like LibreOffice's text; caption below."""
    width_mm, height_mm = chart_size_mm(chart, profile)
    width, height = mm_to_pt(width_mm), mm_to_pt(height_mm)
    left = type_left_pt(profile) + (measure_pt(profile) - width) / 2
    picture = Picture(left, LO_BASELINE_NUDGE_PT, width, height, png)
    image = Piece(height, pictures=(picture,), keep_with_next=True)
    caption = block_pieces(text_block(chart.label, "table_caption"), OTHER_ELEMENT, profile, metrics)
    return [image] + caption
