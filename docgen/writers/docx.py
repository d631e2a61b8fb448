"""Document + style profile → .docx that Word, WPS and LibreOffice lay out as 22 lines × 28 字.

公文 elements are built from plain constructions whose positions are arithmetic
(:mod:`docgen.layout.placement`, shared with the native PDF writer):

- 版头: off-grid paragraphs with exact line heights and computed space before (标志 ink top at
  35 mm under the 版心); a joint 标志 is a borderless table; the red separator is the bottom border
  of the 文号 paragraph (spans the 版心, follows the 文号); 上行文 uses tab stops.
- 署名/日期: right-aligned paragraphs with twips right indents; the seal a floating picture
  (``wrapNone``) in the date paragraph; keep-with-next/keep-lines from the last body paragraph.
- Attachments: ``pageBreakBefore``. 版记: where the layout's pagination says
  (:func:`docgen.layout.colophon_on_last_page`, the decision the PDF follows): a floating table at
  the foot of the body's last page when that page is even and has room, or else a final
  ``evenPage`` section whose even footer is the 版记 table and whose odd footer is empty; either
  way its last rule lies on the 版心 bottom.
- Tables: fixed layout, 版心 wide, header row repeated, cells off the grid (exact 1.5 × 4号).
  Charts: the PNG of :mod:`docgen.charts`, inline and centred.

Reads only the model and the profile. Element-level details live in :mod:`docgen.writers.ooxml`;
this module decides *what* each paragraph and run looks like. python-docx is imported here (and
only this module is imported when a .docx is rendered), so ``import docgen`` stays light.
"""

from __future__ import annotations

import io
import os
import unicodedata
import zipfile
from dataclasses import replace
from datetime import date, datetime, timezone
from itertools import groupby
from pathlib import Path
from typing import BinaryIO

from docgen.layout import placement
from docgen.model import (Attachment, Block, Chart, Colophon, Document, Header, IssuerMark, Meta, Signoff,
                           Span, Table)
from docgen.style.profile import Profile, mm_to_pt
from docgen.writers import ooxml

TWIPS_PER_MM = 1440 / 25.4
TWIPS_PER_PT = 20

# Styles whose digits and Latin letters are set in the style's own font rather than the Latin one:
# GB/T 9704 7.5 asks for "4号半角宋体阿拉伯数字" page numbers.
DIGITS_IN_STYLE_FONT = frozenset({"page_number"})


_STYLES_WITH_EFFECTS = "/stylesWithEffects"
_THUMBNAIL = "/metadata/thumbnail"
_FONT_TABLE = "/fontTable"


def write_docx(document: Document, profile: Profile, target: str | Path | BinaryIO, *,
               metrics=None) -> None:
    """Write ``document`` typeset with ``profile`` as .docx to a path or a binary file object.

    ``metrics`` (a FontSet, or :class:`docgen.layout.StubMetrics`) is what the layout paginates
    with to decide where the 版记 goes; pass the FontSet the PDF is drawn with so both outputs
    agree. By default :func:`layout_metrics`."""
    package = _base_document(profile)
    body = package.element.body
    title_space = _write_header(body, document.header, profile) if document.header else None
    _write_elements(package, body, document.blocks, profile, first_space_before=title_space)
    for attachment in document.attachments:
        _write_attachment(package, body, attachment, profile)
    _add_page_numbers(package, profile)
    if document.colophon:
        from docgen.layout import colophon_on_last_page

        if metrics is None:
            metrics = layout_metrics(profile)
        if colophon_on_last_page(document, profile, metrics):
            _write_colophon_at_foot(package, document.colophon, profile)
        else:
            _write_colophon(package, document.colophon, profile)
    _set_core_properties(package.core_properties, document.meta)
    _save(package, target)


def layout_metrics(profile: Profile, font_dir: str | Path | None = None):
    """The metrics the .docx's pagination decision uses: the FontSet the PDF writer uses
    (:func:`docgen.fonts.load_fontset`) when the font cache is built, else
    :class:`docgen.layout.StubMetrics` (every full-width character 1 em, half-width ½ em).

    The fallback reproduces LibreOffice's pages for Han text, grid-size punctuation and Times
    digits (which are what those widths say), but not the widths of Latin letters or of the CJK
    face's own “”—…·; where those decide a line break, the predicted page end may be a line off. The
    free line kept above a 版记 that shares the last page (:data:`docgen.layout.colophon.
    FREE_LINES_ABOVE`) absorbs that; a .docx written next to a PDF gets the PDF's FontSet."""
    from docgen.errors import FontError
    from docgen.layout import StubMetrics

    try:
        from docgen.fonts.fontset import load_fontset

        return load_fontset(profile, font_dir)
    except FontError:
        return StubMetrics()


# --- named styles -------------------------------------------------------------------------------
# Role → (style ID, name in the Styles gallery). IDs are stable ASCII; names are what a clerk calls
# the element. The body is Word's built-in Normal, which Chinese Word and WPS show as “正文”: typed
# and pasted text takes it, so new text is 3号仿宋 at 28 字 a line without any effort.
BODY_STYLE_ID = "Normal"
STYLE_NAMES: dict[str, tuple[str, str]] = {
    "body": (BODY_STYLE_ID, "Normal"),
    "title": ("GwTitle", "公文标题"),
    "subtitle": ("GwSubtitle", "副标题"),
    "byline": ("GwByline", "讲话人"),
    "date": ("GwDate", "讲话日期"),
    "salutation": ("GwSalutation", "称谓"),
    "heading1": ("GwHeading1", "一级标题"),
    "heading2": ("GwHeading2", "二级标题"),
    "heading3": ("GwHeading3", "三级标题"),
    "heading4": ("GwHeading4", "四级标题"),
    "recipients": ("GwRecipients", "主送机关"),
    "attachment_note": ("GwAttachmentNote", "附件说明"),
    "attachment_note_more": ("GwAttachmentNoteMore", "附件说明续行"),
    "signature": ("GwSignature", "署名"),
    "signature_date": ("GwSignatureDate", "成文日期"),
    "note": ("GwNote", "附注"),
    "attachment_label": ("GwAttachmentLabel", "附件标识"),
    "attachment_title": ("GwAttachmentTitle", "附件标题"),
    "header_meta": ("GwHeaderMeta", "份号密级"),
    "issuer_mark": ("GwIssuerMark", "发文机关标志"),
    "issue_number": ("GwIssueNumber", "发文字号"),
    "signer_name": ("GwSignerName", "签发人"),
    "colophon": ("GwColophon", "版记"),
    "table": ("GwTable", "表格"),
    "table_caption": ("GwTableCaption", "表题"),
    "page_number": ("GwPageNumber", "页码"),
}
HEADING_LEVELS = {"heading1": 0, "heading2": 1, "heading3": 2, "heading4": 3}
# Roles that also get a character style, for spans inside another role's paragraph: run-in
# headings (“（一）……。” opening a 正文 paragraph) and the 签发人 names on the 文号 line.
CHARACTER_STYLE_ROLES = ("heading1", "heading2", "heading3", "heading4", "signer_name")


def paragraph_style_id(role: str) -> str:
    if role in STYLE_NAMES:
        return STYLE_NAMES[role][0]
    return "Gw" + "".join(part.capitalize() for part in role.split("_") if part.isascii() and part.isalnum())


def paragraph_style_name(role: str) -> str:
    return STYLE_NAMES[role][1] if role in STYLE_NAMES else role


def character_style_id(role: str) -> str:
    return paragraph_style_id(role) + "Char"


def _define_styles(styles, profile: Profile) -> None:
    """Every role as a paragraph style (Normal = 正文 first), character styles for spans."""
    normal = style_definition(profile, "body")
    ooxml.define_paragraph_style(styles, BODY_STYLE_ID, "Normal", normal, based_on=None, next_id=None,
                                 priority=0)
    for priority, role in enumerate(profile.styles, start=1):
        if role == "body":
            continue
        sid = paragraph_style_id(role)
        link = character_style_id(role) if role in CHARACTER_STYLE_ROLES else None
        next_id = None if role == "page_number" else BODY_STYLE_ID
        ooxml.define_paragraph_style(styles, sid, paragraph_style_name(role), style_definition(profile, role),
                                     next_id=next_id, link=link, priority=priority, parent=normal)
        if link:
            ooxml.define_character_style(styles, link, paragraph_style_name(role) + "字符",
                                         run_format(profile, role), link=sid, priority=priority)
    # “”‘’—…· in the Chinese font even where an office ignores w:hint (LibreOffice): a character
    # style per font that names it in the Latin slots too; size and the rest come from the paragraph.
    for role, label in ROLE_FONT_NAMES.items():
        family = profile.font_family(role)
        if family == profile.fonts.latin:
            continue
        ooxml.define_character_style(styles, punct_style_id(role), f"全角标点（{label}）", None,
                                     fonts=family, priority=90)


def punct_style_id(font_role: str) -> str:
    return "GwPunct" + font_role.capitalize()


# --- formats from the profile -------------------------------------------------------------------
def run_format(profile: Profile, style_name: str) -> ooxml.RunFormat:
    """The run format of a style: its role font in the East Asian slot, Times New Roman (or the
    role font, for page numbers) in the Latin slot, and grid tracking on grid-size text only."""
    spec = profile.style(style_name)
    family = profile.font_family(spec.font)
    latin = family if style_name in DIGITS_IN_STYLE_FONT else profile.fonts.latin
    return ooxml.RunFormat(
        east_asia=family,
        latin=latin,
        size_pt=spec.size,
        bold=spec.bold,
        color=_color(profile, spec.color),
        char_spacing_twips=round(profile.spacing_for(spec.size) * TWIPS_PER_PT),
    )


def span_format(profile: Profile, span_style: str, paragraph_style: str) -> ooxml.RunFormat:
    """The format of a run of ``span_style`` inside a paragraph of ``paragraph_style``, as styles
    say it: nothing direct when the roles agree, a character style for a run-in heading, direct
    formatting only for a role without one. Later ``replace(...)`` changes show up as direct."""
    fmt = run_format(profile, span_style)
    font_role = profile.style(span_style).font
    if profile.font_family(font_role) != profile.fonts.latin:
        fmt = replace(fmt, punct_style_id=punct_style_id(font_role))
    if span_style == paragraph_style:
        return replace(fmt, base=fmt)
    if span_style in CHARACTER_STYLE_ROLES:
        return replace(fmt, style_id=character_style_id(span_style), base=fmt)
    return replace(fmt, base=run_format(profile, paragraph_style))


def _color(profile: Profile, color: str | None) -> str | None:
    """A style colour: a name of ``profile.colors`` (``red``) or a ``#RRGGBB`` value."""
    return getattr(profile.colors, color, color) if color else None


def paragraph_format(profile: Profile, block: Block) -> ooxml.ParagraphFormat:
    """The paragraph format of a block (see :func:`style_paragraph_format`), with the heading
    level as Word's outline level."""
    return replace(style_paragraph_format(profile, block.style),
                   outline_level=block.level - 1 if block.is_heading and block.level else None)


def style_definition(profile: Profile, style: str) -> ooxml.ParagraphFormat:
    """What the named style of a role holds: exact grid line height, the style's alignment,
    indents, space before (in whole grid lines, so later lines stay on the grid), keep-with-next,
    the outline level of headings, and the run format."""
    spec = profile.style(style)
    # LibreOffice gives a line whose type is taller than the grid pitch (the 22 pt title: Noto's
    # 1.45 em = 31.9 pt > 28.95 pt) two grid cells even at exact spacing; Word keeps exact spacing.
    # Taking such paragraphs off the grid makes both use the exact 28.95 pt.
    on_grid = spec.size == profile.grid_size_pt
    fmt = ooxml.ParagraphFormat(
        align=spec.align,
        line_twips=profile.line_pitch_twips,
        space_before_twips=spec.space_before_lines * profile.line_pitch_twips,
        char_twips=round(profile.grid_size_pt * TWIPS_PER_PT),
        first_line_chars=spec.indent_chars,
        left_chars=spec.left_indent_chars,
        right_chars=spec.right_indent_chars,
        keep_next=spec.keep_with_next,
        snap_to_grid=on_grid,
        outline_level=HEADING_LEVELS.get(style),
        mark=run_format(profile, style),
    )
    if style == "table":
        # Cells: off the grid, exact 1.5 × 4号 lines, 字 counted in the cell's own size.
        fmt = replace(fmt, line_twips=_twips_pt(placement.table_line_pt(profile)), snap_to_grid=False,
                      first_line_chars=0, char_twips=round(spec.size * TWIPS_PER_PT))
    elif style == "colophon":
        # 空一字 in the 版记's own 4号, written in twips (Word's *Chars unit would be the 3号).
        side = profile.colophon.side_chars
        fmt = replace(fmt, snap_to_grid=False, char_twips=round(spec.size * TWIPS_PER_PT), char_units=False,
                      first_line_chars=0, left_chars=side, right_chars=side)
    elif style == "page_number":
        fmt = replace(fmt, align=profile.page_number.odd, line_twips=page_number_line_twips(profile),
                      char_twips=round(spec.size * TWIPS_PER_PT), snap_to_grid=False, first_line_chars=0)
    return fmt


def style_paragraph_format(profile: Profile, style: str) -> ooxml.ParagraphFormat:
    """The paragraph format of a role's paragraph: its named style, nothing direct (change fields
    with ``replace`` and only those are written as direct formatting)."""
    definition = style_definition(profile, style)
    sid = paragraph_style_id(style)
    return replace(definition, mark=replace(definition.mark, base=definition.mark),
                   style_id=None if sid == BODY_STYLE_ID else sid, base=definition)


# --- body -----------------------------------------------------------------------------------------
def _write_elements(package, body, elements, profile: Profile, *,
                    first_space_before: int | None = None) -> None:
    """The 主体 in order. ``first_space_before`` (twips) replaces the first element's space before
    (the title's two lines under the red separator)."""
    keep = _kept_with_signoff(elements)
    for index, element in enumerate(elements):
        following = elements[index + 1] if index + 1 < len(elements) else None
        if isinstance(element, Block):
            fmt = paragraph_format(profile, element)
            if index == 0 and first_space_before is not None:
                fmt = replace(fmt, space_before_twips=first_space_before)
            if index in keep:
                body_paragraph = keep[index]
                fmt = replace(fmt, keep_next=True, keep_lines=body_paragraph, widow_control=body_paragraph)
            _write_block(body, element, profile, fmt)
        elif isinstance(element, Signoff):
            note_follows = isinstance(following, Block) and following.style == "note"
            _write_signoff(package, body, element, profile, keep_last=note_follows)
        elif isinstance(element, Table):
            _write_table(body, element, profile)
        elif isinstance(element, Chart):
            _write_chart(package, body, element, profile)


def _kept_with_signoff(elements) -> dict[int, bool]:
    """Elements that must share a page with the 署名 (GB/T 9704 7.3.5: no page holding only the
    署名/日期, "此页无正文"): the 附件说明 lines and the last body paragraph before each Signoff,
    index → whether it is that body paragraph.

    All get keep-with-next. The body paragraph also gets keep-lines: LibreOffice moves a whole
    keep-with-next paragraph to the next page anyway (measured), while Word would split it and move
    only its last line(s); keep-lines makes every office move the whole paragraph. Widow control
    stays on for it, for a paragraph too long for keep-lines (then at least two lines move)."""
    keep: dict[int, bool] = {}
    for index, element in enumerate(elements):
        if not isinstance(element, Signoff):
            continue
        before = index - 1
        while before >= 0 and isinstance(elements[before], Block) and (
            elements[before].style.startswith("attachment_note")
        ):
            keep[before] = False
            before -= 1
        if before >= 0 and isinstance(elements[before], Block):
            keep[before] = True
    return keep


def _write_block(body, block: Block, profile: Profile, fmt: ooxml.ParagraphFormat | None = None):
    # One paragraph per block; each span keeps its own style, which is what makes a run-in heading
    # (a "body" block opening with a "heading2" span) one paragraph in two fonts.
    p = ooxml.new_paragraph(body, fmt or paragraph_format(profile, block))
    for span in block.spans:
        _append_span_text(p, span.text, span_format(profile, span.style, block.style))
    return p


def _twips_pt(pt: float) -> int:
    return round(pt * TWIPS_PER_PT)


def _type_width_twips(profile: Profile) -> int:
    return _twips(profile.page.type_width_mm)


# --- 版头 (GB/T 9704 7.2) -----------------------------------------------------------------------------
def _write_header(body, header: Header, profile: Profile) -> int:
    """份号/密级/紧急程度, the red 标志, 文号 (and 签发人) with the red separator as its bottom
    border. Every line after the top-left items is off the grid with an exact height, so its
    position is the arithmetic of :func:`placement.header_placement`. Returns the space (twips)
    the title takes before it: two lines under the separator."""
    plan = placement.header_placement(header, profile)
    for text in (header.copy_number, header.secrecy, header.urgency):
        if text:
            _write_block(body, Block("header_meta", (Span(text, "header_meta"),)), profile)
    if header.mark:
        _write_mark(body, header, plan, profile)
    _write_number_line(body, header, plan, profile)
    return _twips_pt(plan.title_space_before_pt)


def _off_grid(profile: Profile, style: str, line_twips: int, **changes) -> ooxml.ParagraphFormat:
    return replace(style_paragraph_format(profile, style), line_twips=line_twips, snap_to_grid=False,
                   **changes)


def _write_mark(body, header: Header, plan: placement.HeaderPlacement, profile: Profile) -> None:
    mark = header.mark
    fmt = replace(span_format(profile, "issuer_mark", "issuer_mark"), size_pt=plan.mark_size_pt,
                  char_spacing_twips=0)
    line = _twips_pt(plan.mark_line_pt)
    if len(mark.names) == 1:
        p = ooxml.new_paragraph(body, _off_grid(
            profile, "issuer_mark", line, align="center", mark=fmt,
            space_before_twips=_twips_pt(plan.mark_space_before_pt)))
        ooxml.append_text(p, mark.names[0] + mark.suffix, fmt)
        return
    # Joint issuance: a borderless table, one row per organ (主办机关 first, names spread to one
    # width), “文件” in a merged cell on the right, vertically centred on the names. The table
    # cannot carry space before, so an empty exact-height paragraph stands in for it.
    if plan.mark_space_before_pt >= 1:
        ooxml.new_paragraph(body, _off_grid(profile, "issuer_mark", _twips_pt(plan.mark_space_before_pt),
                                            mark=replace(fmt, size_pt=1)))
    size = plan.mark_size_pt
    names_w = _twips_pt(max(len(n) for n in mark.names) * size)
    suffix_w = _twips_pt((len(mark.suffix) + placement.JOINT_SUFFIX_GAP_EM) * size) if mark.suffix else 0
    widths = (names_w, suffix_w) if suffix_w else (names_w,)
    table = ooxml.new_table(body, ooxml.TableFormat(widths_twips=widths))
    for row, name in enumerate(mark.names):
        tr = ooxml.add_row(table, height_twips=line, exact=True)
        cell = ooxml.add_cell(tr, names_w)
        p = ooxml.new_paragraph(cell, _off_grid(profile, "issuer_mark", line, align="distribute", mark=fmt))
        ooxml.append_text(p, name, fmt)
        if suffix_w:
            cell = ooxml.add_cell(tr, suffix_w, v_merge="restart" if row == 0 else "continue")
            p = ooxml.new_paragraph(cell, _off_grid(profile, "issuer_mark", line, align="right", mark=fmt))
            if row == 0:
                ooxml.append_text(p, mark.suffix, fmt)


def _write_number_line(body, header: Header, plan: placement.HeaderPlacement, profile: Profile) -> None:
    """发文字号 centred; for 上行文 居左空一字 with “签发人：” + names 居右空一字 on the same line
    (two names a line, the 文号 on the last). The last line's bottom border is the red separator:
    a paragraph border spans exactly the 版心 width and moves with the 文号."""
    pitch = profile.line_pitch_twips
    char = round(profile.grid_size_pt * TWIPS_PER_PT)
    width = _type_width_twips(profile)
    number_fmt = span_format(profile, "issue_number", "issue_number")
    name_fmt = span_format(profile, "signer_name", "issue_number")
    red = ooxml.Border(placement.border_eighths(profile.header.red_line_mm), _color(profile, "red"),
                       plan.red_line_space_pt)
    chunks = [header.signers[i:i + 2] for i in range(0, len(header.signers), 2)] or [()]
    if header.signers:
        # 文号 at a left tab one 字 in; “签发人：” right-aligned at the names' start; the names at a
        # left tab just after it, so continuation lines line up under the first name.
        names_x = _twips_pt(placement.signer_names_x_pt(header.signers, profile))
        tabs = (("left", char), ("right", names_x), ("left", names_x + 1))
    for index, names in enumerate(chunks):
        last = index == len(chunks) - 1
        fmt = _off_grid(
            profile, "issue_number", pitch,
            space_before_twips=_twips_pt(plan.number_space_before_pt) if index == 0 else 0,
            borders=(("bottom", red),) if last else (),
            keep_next=True,
        )
        if not names:
            ooxml.append_text(ooxml.new_paragraph(body, fmt), header.number or "", number_fmt)
            continue
        p = ooxml.new_paragraph(body, replace(fmt, align="left", tabs=tabs))
        ooxml.append_tab(p, number_fmt)
        if last and header.number:
            ooxml.append_text(p, header.number, number_fmt)
        ooxml.append_tab(p, number_fmt)
        if index == 0:
            ooxml.append_text(p, "签发人：", number_fmt)
        ooxml.append_tab(p, number_fmt)
        ooxml.append_text(p, "\u3000".join(names), name_fmt)


# --- 署名, 成文日期, 印章 (7.3.5) ---------------------------------------------------------------------
def _write_signoff(package, body, signoff: Signoff, profile: Profile, *, keep_last: bool) -> None:
    """One right-aligned paragraph per 署名 and one for the date, right indents from
    :func:`placement.signoff_placement`; all kept together (keep-with-next, keep-lines). The seal
    is a floating picture in the date paragraph: it neither moves nor wraps any line."""
    plan = placement.signoff_placement(signoff, profile)
    pitch = profile.line_pitch_twips
    p = None
    for index, line in enumerate(plan.lines):
        last = index == len(plan.lines) - 1
        fmt = replace(
            style_paragraph_format(profile, line.style), align="right",
            right_twips=_twips_pt(line.right_indent_pt) or None,
            space_before_twips=plan.space_before_lines * pitch if index == 0 else 0,
            keep_next=keep_last or not last, keep_lines=True,
        )
        p = ooxml.new_paragraph(body, fmt)
        _append_span_text(p, line.text, span_format(profile, line.style, line.style))
    if signoff.seal and p is not None:
        _anchor_seal(package, p, signoff.seal, plan, profile)


def _anchor_seal(package, p, seal: str, plan: placement.SignoffPlacement, profile: Profile) -> None:
    from docx.shared import Pt

    rid, image = package.part.get_or_add_image(seal)
    width = Pt(plan.seal_width_pt)
    height = round(width * image.px_height / image.px_width)
    x = Pt(mm_to_pt(profile.page.type_width_mm) - plan.seal_center_from_right_pt) - width // 2
    y = -Pt(plan.seal_top_above_date_pt)
    ooxml.append_anchored_picture(p, rid, package.part.next_id, "印章", int(width), int(height),
                                  int(x), int(y))


# --- attachments (7.3.7) ----------------------------------------------------------------------------
def _write_attachment(package, body, attachment: Attachment, profile: Profile) -> None:
    """A new page: “附件N” on line 1 flush left, the title centred on line 3, then its blocks."""
    label = Block("attachment_label", (Span(attachment.label, "attachment_label"),))
    _write_block(body, label, profile, replace(paragraph_format(profile, label), page_break_before=True))
    title = Block("attachment_title", (Span(attachment.title, "attachment_title"),))
    _write_block(body, title, profile, replace(paragraph_format(profile, title),
                                               space_before_twips=profile.line_pitch_twips))
    _write_elements(package, body, attachment.blocks, profile)


# --- 版记 (7.4) -------------------------------------------------------------------------------------
def _write_colophon_at_foot(package, colophon: Colophon, profile: Profile) -> None:
    """The 版记 at the foot of the page the body ends on (an even page with room: the layout's
    decision), which keeps its page number: the 版记 table floats (``w:tblpPr``) with its bottom on
    the bottom margin (``vertAnchor="margin"``, ``tblpYSpec="bottom"``), i.e. its last rule on the
    版心 bottom, anchored to an empty 1 pt paragraph after the body.

    Horizontally it is placed from the **page** edge, at the left margin: positioned from the
    margin, LibreOffice 7.4 lays a 版心-wide floating table out inline after the body (measured;
    apparently it floats a table only when text could stand beside it), from the page edge it
    floats. LibreOffice then draws rules and text exactly where the footer 版记 puts them. Unlike
    body-text spacing, the position does not depend on where the office breaks the lines above.
    """
    body = package.element.body
    blocks = [el for el in body if el.tag in (ooxml.qn("w:p"), ooxml.qn("w:tbl"))]
    if blocks and blocks[-1].tag == ooxml.qn("w:tbl"):
        # Two adjacent tables would be merged into one by Word.
        ooxml.new_paragraph(body, _tiny_paragraph(profile))
    table = _write_colophon_table(body, colophon, profile)
    ooxml.float_table_at_bottom(table, _twips(profile.page.margin_left_mm))
    ooxml.new_paragraph(body, _tiny_paragraph(profile))  # the table's anchor


def _write_colophon(package, colophon: Colophon, profile: Profile) -> None:
    """The 版记 on an even page of its own: a final section that starts on an even page
    (``w:type evenPage``), used when the body ends on an odd page or leaves no room.

    - The section's even-page footer *is* the 版记: a one-column table (thick rule on top, thin
      rule between 抄送 and 印发, thick rule at the bottom), with the footer distance set so its
      last rule lies on the 版心's bottom edge. Word and LibreOffice both honour footers;
      LibreOffice 7.4 ignores ``w:vAlign bottom``, so a body-text 版记 would sit at the top.
    - Its default (odd) footer is empty, so no page number on the 版记 page, and Word and
      LibreOffice print the blank page an even-page break inserts without any footer.
    """
    from docx.shared import Twips

    body = package.element.body
    sectpr = body.find(ooxml.qn("w:sectPr"))
    blocks = [el for el in body if el.tag in (ooxml.qn("w:p"), ooxml.qn("w:tbl"))]
    last = blocks[-1] if blocks else None
    if last is None or last.tag != ooxml.qn("w:p"):
        last = ooxml.new_paragraph(body, _tiny_paragraph(profile))
    ooxml.close_section(last, sectpr)
    ooxml.remove_child(sectpr, "footerReference")
    ooxml.set_section_start(sectpr, "evenPage")
    ooxml.new_paragraph(body, _tiny_paragraph(profile))  # the section's (invisible) body
    section = package.sections[-1]
    section.footer.is_linked_to_previous = False
    ooxml.clear_children(section.footer.part.element)
    ooxml.new_paragraph(section.footer.part.element, _tiny_paragraph(profile))
    section.even_page_footer.is_linked_to_previous = False
    container = section.even_page_footer.part.element
    ooxml.clear_children(container)
    _write_colophon_table(container, colophon, profile)
    ooxml.new_paragraph(container, _tiny_paragraph(profile))
    section.footer_distance = Twips(_twips(profile.margin_bottom_mm) - TINY_LINE_TWIPS)


# A paragraph that must exist (after a table, or as a section's body) but should take no room.
TINY_LINE_TWIPS = 20


def _tiny_paragraph(profile: Profile) -> ooxml.ParagraphFormat:
    return replace(style_paragraph_format(profile, "body"), line_twips=TINY_LINE_TWIPS,
                   first_line_chars=0, snap_to_grid=False,
                   mark=replace(span_format(profile, "body", "body"), size_pt=1, char_spacing_twips=0))


def _write_colophon_table(container, colophon: Colophon, profile: Profile):
    spec = profile.colophon
    size = profile.style("colophon").size
    char = round(size * TWIPS_PER_PT)  # 空一字 in the 版记's own 4号
    width = _type_width_twips(profile)
    thick = ooxml.Border(placement.border_eighths(spec.thick_mm))
    thin = ooxml.Border(placement.border_eighths(spec.thin_mm))
    table = ooxml.new_table(container, ooxml.TableFormat(
        widths_twips=(width,), borders=(("top", thick), ("bottom", thick), ("insideH", thin))))
    fmt = span_format(profile, "colophon", "colophon")
    base = style_paragraph_format(profile, "colophon")  # off the grid, 空一字 in 4号 (the style)
    cc = placement.colophon_cc_text(colophon)
    if cc:
        # Continuation lines start under the first name: hanging indent of “抄送：”.
        p = ooxml.new_paragraph(ooxml.add_cell(ooxml.add_row(table), width), replace(
            base, align="justify", left_chars=spec.side_chars + 3, hanging_chars=3))
        _append_span_text(p, cc, fmt)
    printer, date = placement.colophon_print_text(colophon)
    if printer or date:
        p = ooxml.new_paragraph(ooxml.add_cell(ooxml.add_row(table), width), replace(
            base, align="left", tabs=(("right", width - round(spec.side_chars * char)),)))
        _append_span_text(p, printer, fmt)
        ooxml.append_tab(p, fmt)
        _append_span_text(p, date, fmt)
    return table


# --- tables and charts (reports) ---------------------------------------------------------------------
def _write_caption(body, text: str, profile: Profile, *, keep_next: bool) -> None:
    block = Block("table_caption", (Span(text, "table_caption"),))
    _write_block(body, block, profile, replace(paragraph_format(profile, block), keep_next=keep_next))


def _write_table(body, table: Table, profile: Profile) -> None:
    """Caption above; a fixed-layout table exactly the 版心 wide, columns by content, header row
    repeated on every page, rows never split. Cells are off the grid with exact 4号 lines of
    :data:`placement.TABLE_LINE_FACTOR` × size: on the grid each row would be a 28.95 pt line."""
    _write_caption(body, table.label, profile, keep_next=True)
    widths_pt = placement.table_column_widths_pt(table, profile)
    widths = [_twips_pt(w) for w in widths_pt]
    widths[-1] += _type_width_twips(profile) - sum(widths)
    indents = [_twips_pt(w) for w in placement.numeric_right_indents_pt(table, widths_pt, profile)]
    thick = ooxml.Border(placement.border_eighths(profile.table.rule_mm))
    thin = ooxml.Border(placement.border_eighths(profile.table.thin_rule_mm))
    grid = placement.table_style(table, profile) == "grid"
    if grid:
        borders = tuple((side, thin) for side in ooxml.BORDERS_ORDER)
    else:
        borders = (("top", thick), ("bottom", thick))
    pad, side = _twips_pt(placement.TABLE_CELL_PAD_PT), _twips_pt(placement.TABLE_CELL_SIDE_PT)
    tbl = ooxml.new_table(body, ooxml.TableFormat(widths_twips=tuple(widths), borders=borders,
                                                  cell_margins_twips=(pad, side, pad, side)))
    fmt = span_format(profile, "table", "table")
    base = style_paragraph_format(profile, "table")  # off the grid, exact 1.5 × 4号 (the style)
    numeric = tuple(table.numeric) + (False,) * len(table.columns)
    header_rule = () if grid else (("bottom", thin),)
    rows = [(True, table.columns), *((False, row) for row in table.rows)]
    for is_header, cells in rows:
        tr = ooxml.add_row(tbl, header=is_header)
        for index, width in enumerate(widths):
            text = cells[index] if index < len(cells) else ""
            number = numeric[index] and not is_header
            cell = ooxml.add_cell(tr, width, borders=header_rule if is_header else ())
            p = ooxml.new_paragraph(cell, replace(base, align="right" if number else "center",
                                                  right_twips=indents[index] if number else None))
            _append_span_text(p, text, fmt)


def _write_chart(package, body, chart: Chart, profile: Profile) -> None:
    """The chart as a centred PNG (:func:`docgen.charts.render_chart_png`, the image the PDF shows
    too), caption below. The picture's paragraph has automatic line height: exact would clip it."""
    from docx.shared import Mm

    from docgen.charts import render_chart_png

    width_mm, height_mm = placement.chart_size_mm(chart, profile)
    inline = package.part.new_pic_inline(io.BytesIO(render_chart_png(chart, profile)),
                                         Mm(width_mm), Mm(height_mm))
    fmt = replace(style_paragraph_format(profile, "table_caption"), line_twips=240, line_rule="auto",
                  snap_to_grid=False, keep_next=True, space_before_twips=0)
    ooxml.append_inline_picture(ooxml.new_paragraph(body, fmt), inline)
    _write_caption(body, chart.label, profile, keep_next=False)


def _is_ambiguous_width(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) == "A"


def _append_span_text(p, text: str, fmt: ooxml.RunFormat) -> None:
    """Append ``text`` as runs, giving characters of ambiguous width (“”‘’—…·) a run whose Latin
    slots name the East Asian font too. w:hint="eastAsia" already tells Word and WPS to set them
    in the Chinese font; LibreOffice ignores the hint and drew a paragraph-initial "——" in Times.
    The run takes the font's 全角标点 character style (no direct formatting), unless it already
    carries a character style (a run-in heading), where the fonts are written directly."""
    for ambiguous, chars in groupby(text, key=_is_ambiguous_width):
        piece = "".join(chars)
        if ambiguous and fmt.latin != fmt.east_asia:
            punct = replace(fmt, latin=fmt.east_asia)
            if fmt.style_id is None and fmt.base is not None and fmt.punct_style_id:
                punct = replace(punct, style_id=fmt.punct_style_id,
                                base=replace(fmt.base, latin=fmt.east_asia, east_asia=fmt.east_asia))
            ooxml.append_text(p, piece, punct)
        else:
            ooxml.append_text(p, piece, fmt)


ROLE_FONT_NAMES = {"fangsong": "仿宋", "kaiti": "楷体", "heiti": "黑体", "xiaobiaosong": "小标宋",
                   "songti": "宋体"}


# --- page ------------------------------------------------------------------------------------------
def _twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


def _set_page(section, profile: Profile) -> None:
    from docx.shared import Twips

    page = profile.page
    section.page_width = Twips(_twips(page.width_mm))
    section.page_height = Twips(_twips(page.height_mm))
    section.top_margin = Twips(_twips(page.margin_top_mm))
    section.left_margin = Twips(_twips(page.margin_left_mm))
    section.right_margin = Twips(_twips(profile.margin_right_mm))
    section.bottom_margin = Twips(_twips(profile.margin_bottom_mm))
    section.gutter = Twips(0)
    ooxml.set_line_grid(section._sectPr, profile.line_pitch_twips)  # python-docx has no grid API


def page_number_line_twips(profile: Profile) -> int:
    """Height of the page-number line: exactly its type size, so its position is predictable."""
    return round(profile.style("page_number").size * TWIPS_PER_PT)


def footer_distance_twips(profile: Profile) -> int:
    """``w:pgMar/@w:footer`` that puts the page-number line's top ``below_type_mm`` under the 版心.

    Word (and LibreOffice, which imports the footer with "dynamic spacing" to match Word) sets the
    *bottom* of the footer's last line at the footer distance above the paper's bottom edge, so

        footer = page height − (天头 + 版心高 + below_type) − line height
               = 297 − (37 + 225 + 7) mm − 14 pt = 28 mm − 4.94 mm ≈ 23.06 mm (1308 twips).

    The e2e test measures where LibreOffice actually draws the line.
    """
    page = profile.page
    line_top_mm = page.margin_top_mm + page.type_height_mm + profile.page_number.below_type_mm
    return _twips(page.height_mm - line_top_mm) - page_number_line_twips(profile)


def _add_page_numbers(package, profile: Profile) -> None:
    """"— N —" footers: with evenAndOddHeaders the default footer serves odd pages."""
    from docx.shared import Twips

    package.settings.odd_and_even_pages_header_footer = True
    section = package.sections[0]
    _write_page_number(section.footer, profile, profile.page_number.odd, cached="1")
    _write_page_number(section.even_page_footer, profile, profile.page_number.even, cached="2")
    section.footer_distance = Twips(footer_distance_twips(profile))


def _write_page_number(footer, profile: Profile, side: str, cached: str) -> None:
    footer.is_linked_to_previous = False
    container = footer.part.element
    ooxml.clear_children(container)
    number = profile.page_number
    fmt = span_format(profile, "page_number", "page_number")
    # "空一字" is measured in the page number's own size (4号), on the outer side of the page.
    indent = {"left": {"left_chars": number.indent_chars},
              "right": {"right_chars": number.indent_chars}}.get(side, {})
    p = ooxml.new_paragraph(container, replace(style_paragraph_format(profile, "page_number"),
                                               align=side, **indent))
    before, field, after = number.format.partition("{n}")
    _append_span_text(p, before, fmt)
    if field:
        ooxml.append_page_field(p, fmt, cached)
    _append_span_text(p, after, fmt)


# --- base document -------------------------------------------------------------------------------
_BASE_CACHE: dict[str, bytes] = {}


def _base_document(profile: Profile):
    """A fresh python-docx package of the clean Chinese base with the profile's page set up.

    Cleaning python-docx's template costs more than writing a whole speech, so it is done once
    per profile and process; each document then opens a copy of the cleaned bytes.
    """
    import docx  # heavy import, only when a .docx is wanted

    key = profile.model_dump_json()
    if key not in _BASE_CACHE:
        package = docx.Document()
        _clean_base(package, profile)
        _set_page(package.sections[0], profile)
        buffer = io.BytesIO()
        package.save(buffer)
        _BASE_CACHE[key] = buffer.getvalue()
    return docx.Document(io.BytesIO(_BASE_CACHE[key]))


def _clean_base(package, profile: Profile) -> None:
    """Turn python-docx's default template into a Chinese base: no theme fonts, zh-CN, no 1.15
    line spacing or 10 pt space-after, a font table of the fonts actually used."""
    part = package.part
    styles = part.styles.element
    ooxml.prune_styles(styles)
    ooxml.clear_numbering(part.numbering_part.element)
    ooxml.strip_theme_attributes(styles)
    # The defaults are the body's, tracking included: text of no style at all (pasted, or in an
    # office that drops styles) still sets 3号仿宋 at 28 字 a line. Every style states its own
    # tracking (0 for sizes other than the grid's), so none inherits the −0.25 pt by accident.
    ooxml.set_document_defaults(
        styles,
        run_format(profile, "body"),
        ooxml.ParagraphFormat(align="justify", line_twips=profile.line_pitch_twips),
    )
    _define_styles(styles, profile)
    ooxml.set_theme_font_language(package.settings.element)
    ooxml.set_compatibility_mode(package.settings.element, 15)
    # stylesWithEffects (Word 2010 only) repeats every theme reference; the thumbnail shows an
    # empty Letter page. Neither belongs in the product.
    _drop_relationships(part.rels, _STYLES_WITH_EFFECTS)
    _drop_relationships(part.package.rels, _THUMBNAIL)
    for rel in part.rels.values():
        if rel.reltype.endswith(_FONT_TABLE):
            # The template's table declares Japanese fonts (ＭＳ 明朝); a generic Part keeps its
            # bytes in _blob, the only way python-docx offers to replace them.
            rel.target_part._blob = ooxml.font_table_xml(_fonts_used(profile))


def _fonts_used(profile: Profile) -> list[str]:
    names = [profile.fonts.latin, *(profile.font_family(s.font) for s in profile.styles.values())]
    return list(dict.fromkeys(names))


def _drop_relationships(rels, reltype_suffix: str) -> None:
    for rid in [rid for rid, rel in rels.items() if rel.reltype.endswith(reltype_suffix)]:
        rels.pop(rid)


# --- properties and saving -----------------------------------------------------------------------
def _source_date() -> datetime | None:
    """SOURCE_DATE_EPOCH (reproducible builds) as a naive UTC datetime, if set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return None
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc).replace(tzinfo=None)


def _as_datetime(value: date) -> datetime:
    return value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)


def _set_core_properties(props, meta: Meta) -> None:
    stamp = _source_date() or datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    props.title = meta.title.replace("\n", "")
    props.author = meta.author
    props.last_modified_by = meta.author
    props.subject = meta.subject
    props.language = ooxml.LANGUAGE
    props.created = _as_datetime(meta.created) if meta.created else stamp
    props.modified = stamp
    props.revision = 1
    props.comments = ""
    props.keywords = ""


def _save(package, target: str | Path | BinaryIO) -> None:
    stamp = _source_date()
    if stamp is None:
        package.save(target)
        return
    buffer = io.BytesIO()
    package.save(buffer)
    data = _with_fixed_zip_times(buffer.getvalue(), stamp)
    if hasattr(target, "write"):
        target.write(data)
    else:
        Path(target).write_bytes(data)


def _with_fixed_zip_times(data: bytes, stamp: datetime) -> bytes:
    """The same zip with every entry dated ``stamp`` (zip dates start in 1980)."""
    when = max(stamp, datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


# --- Word template (.dotx) ---------------------------------------------------------------------------
TEMPLATE_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
TEMPLATE_KINDS = ("speech", "notice", "report")


def template_document(kind: str) -> Document:
    """The placeholder document a template opens with: each role once, in its place, so the clerk
    overwrites the text and keeps the formats (notices: the 版头 block to fill)."""
    def block(style: str, text: str, level: int = 0) -> Block:
        return Block(style, (Span(text, style),), level=level)

    headings = (block("heading1", "一、一级标题（黑体）", 1), block("body", "正文（仿宋_GB2312 三号，每行 28 字）。"),
                block("heading2", "（一）二级标题（楷体）", 2), block("heading3", "1.三级标题", 3),
                block("heading4", "（1）四级标题", 4), block("body", "正文。"))
    if kind == "speech":
        blocks = (block("title", "讲话稿标题"), block("subtitle", "——在××会议上的讲话"),
                  block("byline", "××××　×××"), block("date", "（××××年×月×日）"),
                  block("salutation", "同志们："), block("body", "正文。"), *headings)
        return Document(Meta(title="讲话稿模板", kind="speech"), blocks)
    if kind == "notice":
        blocks = (block("title", "关于××××的通知"), block("recipients", "主送机关："), block("body", "正文。"),
                  *headings, block("attachment_note", "附件：1.附件名称"),
                  Signoff(("发文机关署名",), "××××年×月×日"), block("note", "（联系人：×××，电话：×××××××）"))
        header = Header(copy_number="000001", urgency="特急", mark=IssuerMark(("××××",)),
                        number="×××〔××××〕×号")
        return Document(Meta(title="通知模板", kind="notice"), blocks, header=header,
                        colophon=Colophon(cc=("××××",), printer="××××办公室", print_date="××××年×月×日"))
    if kind == "report":
        blocks = (block("title", "关于××××情况的报告"), block("recipients", "主送机关："),
                  block("body", "正文。"), *headings, Signoff(("发文机关署名",), "××××年×月×日"))
        return Document(Meta(title="报告模板", kind="report"), blocks)
    raise ValueError(kind)


def write_template(profile: Profile, target: str | Path | BinaryIO, kind: str = "speech") -> None:
    """A Word template (.dotx): the named styles, page setup, line grid, odd/even “— N —” footers
    and a placeholder of each element of ``kind`` (for notices the 版头 block). Word opens a
    *new document* from it (文件 → 新建 → 个人模板, or double-click)."""
    buffer = io.BytesIO()
    write_docx(template_document(kind), profile, buffer, metrics=_template_metrics(profile))
    data = _as_template(buffer.getvalue())
    if hasattr(target, "write"):
        target.write(data)
    else:
        Path(target).write_bytes(data)


def _template_metrics(profile: Profile):
    from docgen.layout import StubMetrics

    return StubMetrics()


def _as_template(docx_bytes: bytes) -> bytes:
    """The same package with the main part declared as a template (the only difference between a
    .docx and a .dotx)."""
    document_type = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(document_type, TEMPLATE_CONTENT_TYPE.encode())
            dst.writestr(item, data)
    return out.getvalue()
