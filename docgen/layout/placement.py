"""Where the 公文 elements go: 版头, 署名/成文日期/印章, 版记 and table columns, in points.

Pure arithmetic on the model and the profile (no python-docx, no fonts), so the .docx writer and the
native PDF writer place every element by the same numbers. The .docx writer turns these into
paragraph spacing, indents and anchors; the numbers below are what LibreOffice 7.4 then draws
(measured by ``tests/e2e/test_libreoffice_official.py``).

Vertical model (LibreOffice, measured; docgen/layout/README.md):

- a paragraph **off the grid** (``snapToGrid=0``) with *exact* line height ``h`` puts its
  baseline at ``0.8 h + 0.45 pt`` below the line's top (``FIXED_LINE_ASCENT``, ``LO_NUDGE_PT``);
- grid-size text on the grid sits in 28.95 pt lines counted from the 版心 top;
- the ideographic em box spans 0.88 em above the baseline and 0.12 em below it; the ink of the
  tallest ideographs in a Song/小标宋 face reaches ``MARK_INK_TOP_EM`` (Noto Serif CJK SC Bold:
  0.855 em over 某市总工会文件), which is what "the 标志's top edge" is measured on.

Horizontal model: a full-width character of grid size advances one cell (size + run spacing,
15.75 pt); other full-width text advances its size; digits and Latin letters half their size plus
the run spacing; Word/LibreOffice add ``AUTOSPACE_EM`` between Han and a Latin letter or digit
(the measured 0.2 em of :mod:`docgen.layout.lines`, imported from there: one value for both).

Rules: ``border_eighths`` / ``border_pt`` turn a thickness in mm into the Word border width the
.docx stores and LibreOffice draws, for both writers.

Lives in :mod:`docgen.layout` (it used to be ``docgen.writers.placement``) because both writers
and the layout use it; it imports nothing from the writers.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from docgen.layout.lines import AUTOSPACE_EM
from docgen.model import Chart, Colophon, Header, IssuerMark, Signoff, Table
from docgen.style.profile import Profile, mm_to_pt

FIXED_LINE_ASCENT = 0.8
LO_NUDGE_PT = 0.45
EM_ASCENT = 0.88
EM_DESCENT = 0.12
MARK_INK_TOP_EM = 0.85
# The 标志's line is 1.2 × its size: the ink (0.85 em above a baseline at 0.8 × 1.2 em = 0.96 em)
# stays inside the line, so neither Word nor LibreOffice clips it.
MARK_LINE_FACTOR = 1.2
# Gap between the stacked names of a joint 标志 and “文件”, in em of the mark size.
JOINT_SUFFIX_GAP_EM = 0.5
# Table text (4号) lines: exact 1.5 × size (21 pt). Noto CJK's ascent+descent (1.45 em) fits, so no
# clipping; the 28.95 pt grid pitch would make every row one body line tall (too loose for data).
TABLE_LINE_FACTOR = 1.5
# Seal top below the body's last line, in grid lines.
SEAL_TOP_LINES = 0.15
TABLE_CELL_PAD_PT = 2.0  # top and bottom cell margin
TABLE_CELL_SIDE_PT = 2.85  # left and right cell margin (≈1 mm)


def _twips(pt: float) -> int:
    return round(pt * 20)


# --- text width ------------------------------------------------------------------------------------
def _full_width(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("F", "W", "A")


def _han(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("F", "W") and unicodedata.category(ch) == "Lo"


def _latin_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _ambiguous(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) == "A"


def text_width_pt(text: str, size_pt: float, spacing_pt: float = 0.0) -> float:
    """Natural width of one line of ``text`` (no justification): full-width characters advance
    ``size + spacing``, others ``size / 2 + spacing`` (exact for Times digits), plus what
    :func:`docgen.layout.lines.autospace_pt` adds between two characters: ``AUTOSPACE_EM`` of the
    size between Han and a Latin letter or digit, and the run spacing given back where a text
    portion ends (a change between full- and half-width or ambiguous-width text: LibreOffice sets
    a portion's last character without the spacing; +0.25 pt at 3号)."""
    width = 0.0
    for index, ch in enumerate(text):
        width += (size_pt if _full_width(ch) else size_pt / 2) + spacing_pt
        if index:
            before = text[index - 1]
            if (_han(before) and _latin_alnum(ch)) or (_latin_alnum(before) and _han(ch)):
                width += AUTOSPACE_EM * size_pt
            if _full_width(before) != _full_width(ch) or _ambiguous(before) != _ambiguous(ch):
                width -= spacing_pt
    return width


# --- rules ---------------------------------------------------------------------------------------
# Single-line border widths Word offers, in eighths of a point (¼ … 6 pt). Word rounds other values
# in its border dialog, so the .docx stores the nearest of these, and LibreOffice draws exactly it.
WORD_BORDER_EIGHTHS = (2, 4, 6, 8, 12, 18, 24, 36, 48)


def border_eighths(mm: float) -> int:
    """A border thickness in mm → the nearest single-line width Word offers, in eighths of a point
    (``w:sz``): 0.35 mm → 8 (1 pt), 0.25 mm → 6 (¾ pt), 0.5 mm → 12 (1½ pt)."""
    eighths = mm_to_pt(mm) * 8
    return min(WORD_BORDER_EIGHTHS, key=lambda value: abs(value - eighths))


def border_pt(mm: float) -> float:
    """The stroke both outputs draw for a rule of ``mm``: :func:`border_eighths` in points."""
    return border_eighths(mm) / 8


def fixed_baseline_pt(line_pt: float) -> float:
    """Baseline below the top of an off-grid line of exact height ``line_pt`` (LibreOffice)."""
    return FIXED_LINE_ASCENT * line_pt + LO_NUDGE_PT


# --- 版头 ------------------------------------------------------------------------------------------
def mark_size_pt(mark: IssuerMark, profile: Profile) -> float:
    """The largest size ≤ the issuer_mark style's (初号) at which the whole 标志 fits the 版心
    width, in half points (what .docx can store)."""
    limit = profile.style("issuer_mark").size
    width = mm_to_pt(profile.page.type_width_mm)
    ems = mark_width_em(mark)
    return min(limit, math.floor(width / ems * 2) / 2)


def mark_width_em(mark: IssuerMark) -> float:
    longest = max((len(name) for name in mark.names), default=0)
    if len(mark.names) > 1:
        return longest + len(mark.suffix) + (JOINT_SUFFIX_GAP_EM if mark.suffix else 0)
    return longest + len(mark.suffix)


def signer_names_x_pt(signers: tuple[str, ...], profile: Profile) -> float:
    """Where the 签发人 names start (from the 版心's left edge): the widest line of names (two a
    line, separated by a full-width space) ends 一字 from the right edge; “签发人：” ends there too."""
    size = profile.style("signer_name").size
    spacing = profile.spacing_for(size)
    chunks = [signers[i:i + 2] for i in range(0, len(signers), 2)]
    widest = max((text_width_pt("\u3000".join(c), size, spacing) for c in chunks), default=0.0)
    return mm_to_pt(profile.page.type_width_mm) - profile.grid_size_pt - widest


@dataclass(frozen=True)
class HeaderPlacement:
    """The 版头's vertical plan, in points. ``meta_lines`` grid lines (份号 …) come first; then the
    标志 (``mark_rows`` lines of ``mark_line_pt``, after ``mark_space_before_pt``); then the 文号 line
    (one grid pitch, off the grid) after ``number_space_before_pt``; its bottom border is the red
    line, ``red_line_space_pt`` below the line; the title follows ``title_space_before_pt`` later."""

    meta_lines: int
    mark_size_pt: float
    mark_line_pt: float
    mark_rows: int
    mark_space_before_pt: float
    number_space_before_pt: float
    red_line_space_pt: int  # w:space of the border, whole points
    red_line_pt: float  # thickness
    title_space_before_pt: float



def header_placement(header: Header, profile: Profile) -> HeaderPlacement:
    pitch = profile.line_pitch_pt
    spec = profile.header
    meta = sum(1 for item in (header.copy_number, header.secrecy, header.urgency) if item)
    meta_pt = meta * pitch
    mark = header.mark
    size = mark_size_pt(mark, profile) if mark else 0.0
    line = _twips(MARK_LINE_FACTOR * size) / 20 if mark else 0.0
    rows = len(mark.names) if mark else 0
    if mark:
        # The ink top of the first row at mark_top_mm under the 版心 top (GB/T 9704 7.2.4).
        first_top = mm_to_pt(spec.mark_top_mm) - (fixed_baseline_pt(line) - MARK_INK_TOP_EM * size)
        mark_before = max(0.0, first_top - meta_pt)
        mark_end = meta_pt + mark_before + rows * line
        em_bottom = mark_end - line + fixed_baseline_pt(line) + EM_DESCENT * size
        # 文号 标志下空二行: its line starts number_gap_lines grid lines below the 标志's em box.
        number_before = max(0.0, em_bottom + spec.number_gap_lines * pitch - mark_end)
    else:
        mark_before = 0.0
        number_before = 0.0
    number_size = profile.style("issue_number").size
    number_em_bottom = fixed_baseline_pt(pitch) + EM_DESCENT * number_size
    red_space = max(0, round(mm_to_pt(spec.red_line_gap_mm) - (pitch - number_em_bottom)))
    return HeaderPlacement(
        meta_lines=meta,
        mark_size_pt=size,
        mark_line_pt=line,
        mark_rows=rows,
        mark_space_before_pt=mark_before,
        number_space_before_pt=number_before,
        red_line_space_pt=red_space,
        red_line_pt=mm_to_pt(spec.red_line_mm),
        title_space_before_pt=spec.title_gap_lines * pitch,
    )


# --- 署名, 成文日期, 印章 ------------------------------------------------------------------------------
@dataclass(frozen=True)
class SignoffLine:
    text: str
    style: str  # signature | signature_date
    right_indent_pt: float  # every line is right-aligned


@dataclass(frozen=True)
class SignoffPlacement:
    """署名 lines then the date line, all right-aligned with these right indents; the first line
    starts ``space_before_lines`` grid lines below the body. With a seal, ``seal_*`` place the image:
    its centre ``seal_center_from_right_pt`` left of the 版心's right edge, its top
    ``seal_top_above_date_pt`` above the top of the date's line."""

    lines: tuple[SignoffLine, ...]
    space_before_lines: int
    seal_width_pt: float = 0.0
    seal_center_from_right_pt: float = 0.0
    seal_top_above_date_pt: float = 0.0


def signoff_placement(signoff: Signoff, profile: Profile) -> SignoffPlacement:
    """GB/T 9704 7.3.5. Unsealed: 署名 右空二字, the date's first character two characters right of
    the 署名's first character, or — when the date is the longer — the date 右空二字 and the 署名
    two characters left of the date's start. Sealed: date 右空四字, 署名 centred on the date."""
    spec = profile.signoff
    char = profile.grid_size_pt  # "字" for indents, as everywhere in the .docx (2 字 = 640 twips)
    size = profile.style("signature").size
    spacing = profile.spacing_for(size)
    name_w = max((text_width_pt(n, size, spacing) for n in signoff.names), default=0.0)
    date_w = text_width_pt(signoff.date, profile.style("signature_date").size, spacing)
    if signoff.seal:
        date_right = spec.sealed_date_right_chars * char
        name_right = max(0.0, date_right + (date_w - name_w) / 2)
        lines = [SignoffLine(n, "signature", name_right) for n in signoff.names]
        lines.append(SignoffLine(signoff.date, "signature_date", date_right))
        pitch = profile.line_pitch_pt
        gap = spec.sealed_gap_lines
        # The seal's top SEAL_TOP_LINES below the body's last line (GB: "within one line"); with
        # the 署名 two lines down, 署名 and date sit below the seal's centre ("居中偏下").
        above_date = (gap + len(signoff.names) - SEAL_TOP_LINES) * pitch
        return SignoffPlacement(
            tuple(lines), gap, mm_to_pt(spec.seal_mm), date_right + date_w / 2, above_date)
    right = spec.right_chars * char
    offset = spec.date_offset_chars * char
    name_start = right + name_w  # distance of the 署名's first character from the right edge
    if name_start - offset - date_w >= right:
        name_right, date_right = right, name_start - offset - date_w
    else:
        date_right = right
        name_right = right + date_w + offset - name_w
    lines = [SignoffLine(n, "signature", name_right) for n in signoff.names]
    lines.append(SignoffLine(signoff.date, "signature_date", date_right))
    return SignoffPlacement(tuple(lines), spec.gap_lines)


# --- 版记 -------------------------------------------------------------------------------------------
def colophon_cc_text(colophon: Colophon) -> str:
    """“抄送：A，B，C。” (names separated by “，”, 句号 after the last)."""
    return "抄送：" + "，".join(colophon.cc) + "。" if colophon.cc else ""


def colophon_print_text(colophon: Colophon) -> tuple[str, str]:
    """(印发机关, “2024年3月15日印发”)."""
    date = f"{colophon.print_date}印发" if colophon.print_date else ""
    return colophon.printer or "", date


# --- tables -----------------------------------------------------------------------------------------
def table_line_pt(profile: Profile) -> float:
    return _twips(TABLE_LINE_FACTOR * profile.style("table").size) / 20


def table_column_widths_pt(table: Table, profile: Profile) -> tuple[float, ...]:
    """Column widths filling the 版心 width: each column's natural width (its widest cell on one
    line, plus cell margins), the spare width shared in proportion; when the natural widths do not
    fit, columns wider than an equal share are narrowed (their text wraps) until the total fits."""
    total = mm_to_pt(profile.page.type_width_mm)
    size = profile.style("table").size
    columns = len(table.columns)
    natural = []
    for index in range(columns):
        cells = [table.columns[index], *(row[index] for row in table.rows if index < len(row))]
        natural.append(max(text_width_pt(c, size) for c in cells) + 2 * TABLE_CELL_SIDE_PT + size / 2)
    if sum(natural) <= total:
        scale = total / sum(natural)
        return tuple(w * scale for w in natural)
    # Water filling: the cap c with sum(min(w, c)) = total.
    remaining, ordered = total, sorted(natural)
    for k, w in enumerate(ordered):
        cap = remaining / (columns - k)
        if w > cap:
            return tuple(min(x, cap) for x in natural)
        remaining -= w
    return tuple(natural)


def numeric_right_indents_pt(table: Table, widths: tuple[float, ...], profile: Profile) -> tuple[float, ...]:
    """Right indent of the cells of each numeric column: its numbers stay right-aligned among
    themselves while the block of them is centred in the column (under the centred header)."""
    size = profile.style("table").size
    indents = []
    for index, width in enumerate(widths):
        if index < len(table.numeric) and table.numeric[index]:
            widest = max((text_width_pt(row[index], size) for row in table.rows if index < len(row)),
                         default=0.0)
            indents.append(max(0.0, (width - 2 * TABLE_CELL_SIDE_PT - widest) / 2))
        else:
            indents.append(0.0)
    return tuple(indents)


def table_style(table: Table, profile: Profile) -> str:
    return table.style or profile.table.style


# --- charts -----------------------------------------------------------------------------------------
CHART_ASPECT = 0.55  # height / width of the chart image


def chart_size_mm(chart: Chart, profile: Profile) -> tuple[float, float]:
    width = profile.page.type_width_mm
    return width, round(width * CHART_ASPECT, 1)
