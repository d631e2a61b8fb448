"""Every WordprocessingML detail the .docx writer needs, in one place.

The writer (:mod:`docgen.writers.docx`) speaks in document terms — a paragraph in this format, a run
in that font, a page-number footer — and this module turns them into elements. Child elements are
always inserted in the order the schema (ECMA-376 transitional) demands, from the sequences below,
because Word refuses a file whose ``w:rPr``/``w:pPr``/``w:sectPr`` children are out of order
(LibreOffice is lenient, so a LibreOffice render alone would not catch it).
"""

from __future__ import annotations

from copy import deepcopy

from dataclasses import dataclass, replace
from xml.sax.saxutils import escape, quoteattr

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# --- schema child sequences ------------------------------------------------------------------
RPR_ORDER = (
    "ins", "del", "moveFrom", "moveTo", "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps",
    "smallCaps", "strike", "dstrike", "outline", "shadow", "emboss", "imprint", "noProof",
    "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
    "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang",
    "eastAsianLayout", "specVanish", "oMath", "rPrChange",
)
PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange",
)
SECTPR_ORDER = (
    "headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
    "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
    "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange",
)
RPRDEFAULT_ORDER = ("rPr",)
PPRDEFAULT_ORDER = ("pPr",)
DOCDEFAULTS_ORDER = ("rPrDefault", "pPrDefault")

_JC = {"left": "left", "center": "center", "right": "right", "justify": "both", "distribute": "distribute"}
PBDR_ORDER = ("top", "left", "bottom", "right", "between", "bar")
TBLPR_ORDER = (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
    "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
)
BORDERS_ORDER = ("top", "left", "bottom", "right", "insideH", "insideV")
TCPR_ORDER = (
    "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
    "textDirection", "tcFitText", "vAlign", "hideMark",
)
CELLMAR_ORDER = ("top", "left", "bottom", "right")
LANGUAGE = "zh-CN"
# Language of Latin-script runs. With zh-CN here LibreOffice breaks inside numbers and Latin words
# (“202/3年”), which GB/T 9704 forbids; en-US keeps them whole while East Asian text stays zh-CN.
LATIN_LANGUAGE = "en-US"


def set_child(parent, name: str, order: tuple[str, ...], **attrs: str | int | None):
    """The ``w:name`` child of ``parent`` (created at its schema position if absent), with the
    given ``w:`` attributes set; an attribute given as ``None`` is removed."""
    tag = qn(f"w:{name}")
    child = parent.find(tag)
    if child is None:
        child = OxmlElement(f"w:{name}")
        later = set(order[order.index(name) + 1:])
        for sibling in parent:
            if isinstance(sibling.tag, str) and sibling.tag.startswith("{") and (
                sibling.tag.split("}")[1] in later
            ):
                sibling.addprevious(child)
                break
        else:
            parent.append(child)
    for key, value in attrs.items():
        if value is None:
            child.attrib.pop(qn(f"w:{key}"), None)
        else:
            child.set(qn(f"w:{key}"), str(value))
    return child


def remove_child(parent, name: str) -> None:
    for child in parent.findall(qn(f"w:{name}")):
        parent.remove(child)


# --- formats in document terms -----------------------------------------------------------------
@dataclass(frozen=True)
class RunFormat:
    """How a run looks: fonts for the East Asian and Latin slots, size, weight, colour, tracking."""

    east_asia: str
    latin: str
    size_pt: float
    bold: bool = False
    color: str | None = None  # "#RRGGBB"
    char_spacing_twips: int = 0
    # The character style the run carries (w:rStyle), and the format that style (or, without one,
    # the paragraph's style) already gives: only what differs from ``base`` is written directly.
    # No base: every property is written (document defaults, style definitions, legacy callers).
    style_id: str | None = None
    base: RunFormat | None = None
    # The 全角标点 character style of this run's East Asian font (“”—… in that font everywhere).
    punct_style_id: str | None = None


@dataclass(frozen=True)
class Border:
    """One single border line: thickness in eighths of a point (``w:sz``), colour, and the gap to
    the text in whole points (``w:space``)."""

    size_eighths: int
    color: str = "000000"
    space_pt: int = 0


@dataclass(frozen=True)
class ParagraphFormat:
    """How a paragraph sits: alignment, exact line height, indents in characters, keep-with-next."""

    align: str  # left / center / right / justify / distribute
    line_twips: int
    space_before_twips: int = 0
    char_twips: int = 320  # one "字" for the *Chars indents below (the twips fallback)
    first_line_chars: float = 0
    hanging_chars: float = 0
    left_chars: float = 0
    right_chars: float = 0
    # Indents computed in points (署名, 成文日期): written in twips only, so Word does not
    # re-derive them from a character unit.
    left_twips: int | None = None
    right_twips: int | None = None
    # False: write the *Chars indents as twips only. Word measures *Chars in a unit of its own
    # choosing (the style's font size), which is not 字 for text smaller than the body (版记, 4号).
    char_units: bool = True
    keep_next: bool = False
    keep_lines: bool = False
    widow_control: bool = False
    page_break_before: bool = False
    line_rule: str = "exact"  # "auto" for paragraphs holding an image (exact would clip it)
    outline_level: int | None = None  # 0-based, for Word's navigation pane
    snap_to_grid: bool = True
    borders: tuple[tuple[str, Border], ...] = ()  # ("bottom", Border(...)) …
    tabs: tuple[tuple[str, int], ...] = ()  # ("left" | "right" | "center", position in twips)
    mark: RunFormat | None = None  # the paragraph mark (sets the size empty lines and "字" use)
    # The paragraph style (w:pStyle; None: the default style, Normal = 正文) and the format it
    # already gives: only what differs from ``base`` is written as direct formatting.
    style_id: str | None = None
    base: ParagraphFormat | None = None


def _fonts(fmt: RunFormat) -> tuple[str, str]:
    return fmt.east_asia, fmt.latin


def apply_run_format(rpr, fmt: RunFormat, *, explicit: bool = False) -> None:
    """Write ``fmt`` into a ``w:rPr`` (of a run, a paragraph mark, a style or the document
    defaults): everything, or with ``fmt.base`` only what differs from it. ``explicit`` (style
    definitions) also writes a zero tracking, so a style never inherits the defaults' −0.25 pt."""
    base = fmt.base
    if fmt.style_id:
        set_child(rpr, "rStyle", RPR_ORDER, val=fmt.style_id)
    if base is None or _fonts(fmt) != _fonts(base):
        # All four slots explicit: eastAsia for CJK, ascii/hAnsi for Latin and digits, cs too.
        # w:hint="eastAsia" makes characters of ambiguous width (“”‘’—…·) take the East Asian
        # font, as Chinese needs.
        set_child(rpr, "rFonts", RPR_ORDER, ascii=fmt.latin, hAnsi=fmt.latin, eastAsia=fmt.east_asia,
                  cs=fmt.latin, hint="eastAsia")
    if base is None or fmt.bold != base.bold:
        for name in ("b", "bCs"):
            if fmt.bold:
                set_child(rpr, name, RPR_ORDER)
            elif base is not None:
                set_child(rpr, name, RPR_ORDER, val="0")
            else:
                remove_child(rpr, name)
    if base is None or fmt.color != base.color:
        if fmt.color:
            set_child(rpr, "color", RPR_ORDER, val=fmt.color.lstrip("#").upper())
        elif base is not None:
            set_child(rpr, "color", RPR_ORDER, val="auto")
    if base is None or fmt.char_spacing_twips != base.char_spacing_twips:
        if fmt.char_spacing_twips or explicit or base is not None:
            set_child(rpr, "spacing", RPR_ORDER, val=fmt.char_spacing_twips)
        else:
            remove_child(rpr, "spacing")
    if base is None or fmt.size_pt != base.size_pt:
        half_points = round(fmt.size_pt * 2)
        set_child(rpr, "sz", RPR_ORDER, val=half_points)
        set_child(rpr, "szCs", RPR_ORDER, val=half_points)


def _indent(fmt: ParagraphFormat) -> dict[str, int]:
    indent: dict[str, int] = {}
    for side, chars in (("firstLine", fmt.first_line_chars), ("hanging", fmt.hanging_chars),
                        ("left", fmt.left_chars), ("right", fmt.right_chars)):
        if chars:
            # Word reads *Chars (hundredths of a character); others read the twips fallback.
            if fmt.char_units:
                indent[f"{side}Chars"] = round(chars * 100)
            indent[side] = round(chars * fmt.char_twips)
    for side, twips in (("left", fmt.left_twips), ("right", fmt.right_twips)):
        if twips:
            indent.pop(f"{side}Chars", None)
            indent[side] = twips
    return indent


def _with_zeros(indent: dict[str, int], other: dict[str, int]) -> dict[str, int]:
    """``indent`` plus a zero for every side ``other`` (the inherited indent) sets and ``indent``
    does not: an inherited indent is cancelled only by stating 0, in characters and in twips."""
    result = dict(indent)
    for side in dict.fromkeys(key.removesuffix("Chars") for key in other):
        if side in indent or f"{side}Chars" in indent:
            continue
        if side == "firstLine" and ("hanging" in indent or "hangingChars" in indent):
            result["firstLineChars"] = 0  # firstLine and hanging exclude each other
            continue
        if side == "hanging":
            side = "firstLine"
        result[side] = 0
        if f"{side}Chars" in other or side == "firstLine":
            result[f"{side}Chars"] = 0
    return result


def _toggle(ppr, name: str, on: bool, base_on: bool | None) -> None:
    """An on/off property: written when on (no base), or whenever it differs from the base."""
    if base_on is None:
        if on:
            set_child(ppr, name, PPR_ORDER)
    elif on != base_on:
        set_child(ppr, name, PPR_ORDER, val="1" if on else "0")


def apply_paragraph_format(ppr, fmt: ParagraphFormat, *, explicit: bool = False,
                           parent: ParagraphFormat | None = None) -> None:
    """Write ``fmt`` into a ``w:pPr``, with the Chinese line-breaking switches every paragraph
    gets — or, with ``fmt.base`` (the paragraph style's format), only what differs from it.
    ``explicit`` (style definitions) also writes switches that are off; ``parent`` (the style it
    is based on) has its indents cancelled where ``fmt`` has none, so nothing leaks in from Normal."""
    base = fmt.base
    if fmt.style_id:
        set_child(ppr, "pStyle", PPR_ORDER, val=fmt.style_id)

    def differs(name: str) -> bool:
        return base is None or getattr(fmt, name) != getattr(base, name)

    _toggle(ppr, "keepNext", fmt.keep_next, base and base.keep_next)
    _toggle(ppr, "keepLines", fmt.keep_lines, base and base.keep_lines)
    _toggle(ppr, "pageBreakBefore", fmt.page_break_before, base and base.page_break_before)
    # A fixed 22-line page: no widow/orphan control (it would leave 21-line pages) — except where
    # asked (the body paragraph before the 署名, so at least two of its lines move with it).
    if differs("widow_control"):
        set_child(ppr, "widowControl", PPR_ORDER, val="1" if fmt.widow_control else "0")
    if fmt.borders and differs("borders"):
        pbdr = set_child(ppr, "pBdr", PPR_ORDER)
        for side, border in fmt.borders:
            _set_border(pbdr, side, border, PBDR_ORDER)
    if fmt.tabs and differs("tabs"):
        tabs = set_child(ppr, "tabs", PPR_ORDER)
        for kind, position in fmt.tabs:
            tab = _append_child(tabs, "tab")
            tab.set(qn("w:val"), kind)
            tab.set(qn("w:pos"), str(position))
    if base is None:
        # 禁则 on, and no punctuation hanging past the 版心 (ECMA-376: val="0" = must not overflow).
        # Autospace between Chinese and Latin letters/digits stays at the default (on):
        # LibreOffice applies it whatever the .docx says, so Word, WPS, LibreOffice and the native
        # PDF (which adds the same space, docgen/layout) all break lines alike.
        set_child(ppr, "kinsoku", PPR_ORDER)
        set_child(ppr, "overflowPunct", PPR_ORDER, val="0")
    if differs("snap_to_grid") and (base is not None or not fmt.snap_to_grid or explicit):
        set_child(ppr, "snapToGrid", PPR_ORDER, val="1" if fmt.snap_to_grid else "0")
    if differs("space_before_twips") or differs("line_twips") or differs("line_rule"):
        set_child(ppr, "spacing", PPR_ORDER, before=fmt.space_before_twips, after=0,
                  line=fmt.line_twips, lineRule=fmt.line_rule)
    indent = _indent(fmt)
    if base is None:
        if parent is not None:
            indent = _with_zeros(indent, _indent(parent))
        if indent:
            set_child(ppr, "ind", PPR_ORDER, **indent)
    else:
        inherited = _indent(base)
        if indent != inherited:
            set_child(ppr, "ind", PPR_ORDER, **_with_zeros(indent, inherited))
    if differs("align"):
        set_child(ppr, "jc", PPR_ORDER, val=_JC[fmt.align])
    if differs("outline_level"):
        # 9 = body text: cancels a style's level (a paragraph that is not a heading).
        level = 9 if fmt.outline_level is None else fmt.outline_level
        if base is not None or fmt.outline_level is not None:
            set_child(ppr, "outlineLvl", PPR_ORDER, val=level)
    if fmt.mark is not None:
        mark = fmt.mark
        if base is not None and mark.base is None and base.mark is not None:
            mark = replace(mark, base=base.mark)
        if base is None or mark.base is None or _differs_run(mark):
            rpr = set_child(ppr, "rPr", PPR_ORDER)
            apply_run_format(rpr, mark, explicit=explicit)
            if not len(rpr):
                ppr.remove(rpr)


def _differs_run(fmt: RunFormat) -> bool:
    base = fmt.base
    return bool(fmt.style_id) or base is None or any(
        getattr(fmt, name) != getattr(base, name)
        for name in ("east_asia", "latin", "size_pt", "bold", "color", "char_spacing_twips"))


def _set_border(parent, side: str, border: Border, order: tuple[str, ...]) -> None:
    set_child(parent, side, order, val="single", sz=border.size_eighths, space=border.space_pt,
              color=border.color.lstrip("#").upper())


# --- paragraphs and runs ------------------------------------------------------------------------
def insert_block(container, element) -> None:
    """Append a ``w:p`` or ``w:tbl`` to a body, cell or footer (before a body's final ``w:sectPr``)."""
    sectpr = container.find(qn("w:sectPr"))
    if sectpr is not None and sectpr.getparent() is container:
        sectpr.addprevious(element)
    else:
        # A cell keeps its w:tcPr first; everything else is appended.
        container.append(element)


def new_paragraph(container, fmt: ParagraphFormat):
    """Append a formatted ``w:p`` to a body, table cell or footer (before a body's final ``w:sectPr``)."""
    p = OxmlElement("w:p")
    insert_block(container, p)
    ppr = _built_ppr(fmt)
    if len(ppr):  # a 正文 paragraph that takes everything from Normal has no w:pPr
        p.append(ppr)
    return p


# A document repeats a handful of formats thousands of times: build each w:pPr / w:rPr once and
# copy it (lxml copies in C), instead of walking the schema order for every paragraph and run.
_PPR_CACHE: dict[ParagraphFormat, object] = {}
_RPR_CACHE: dict[RunFormat, object] = {}


def _built(fmt, cache: dict, tag: str, apply):
    built = cache.get(fmt)
    if built is None:
        built = cache[fmt] = OxmlElement(tag)
        apply(built, fmt)
    return deepcopy(built)


def _built_ppr(fmt: ParagraphFormat):
    return _built(fmt, _PPR_CACHE, "w:pPr", apply_paragraph_format)


def _built_rpr(fmt: RunFormat):
    return _built(fmt, _RPR_CACHE, "w:rPr", apply_run_format)


def append_tab(p, fmt: RunFormat) -> None:
    _append_child(_new_run(p, fmt), "tab")


# --- tables --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TableFormat:
    """A fixed-layout table: column widths, alignment on the page, borders, cell margins."""

    widths_twips: tuple[int, ...]
    align: str = "center"
    borders: tuple[tuple[str, Border], ...] = ()  # top/bottom/left/right/insideH/insideV
    cell_margins_twips: tuple[int, int, int, int] = (0, 0, 0, 0)  # top, left, bottom, right


def new_table(container, fmt: TableFormat):
    """Append an empty ``w:tbl`` (properties and grid only); add rows with :func:`add_row`."""
    tbl = OxmlElement("w:tbl")
    insert_block(container, tbl)
    tblpr = _append_child(tbl, "tblPr")
    set_child(tblpr, "tblW", TBLPR_ORDER, w=sum(fmt.widths_twips), type="dxa")
    set_child(tblpr, "jc", TBLPR_ORDER, val=fmt.align)
    set_child(tblpr, "tblInd", TBLPR_ORDER, w=0, type="dxa")
    borders = set_child(tblpr, "tblBorders", TBLPR_ORDER)
    given = dict(fmt.borders)
    for side in BORDERS_ORDER:
        if side in given:
            _set_border(borders, side, given[side], BORDERS_ORDER)
        else:
            set_child(borders, side, BORDERS_ORDER, val="nil")
    set_child(tblpr, "tblLayout", TBLPR_ORDER, type="fixed")
    margins = set_child(tblpr, "tblCellMar", TBLPR_ORDER)
    for side, twips in zip(CELLMAR_ORDER, fmt.cell_margins_twips):
        set_child(margins, side, CELLMAR_ORDER, w=twips, type="dxa")
    set_child(tblpr, "tblLook", TBLPR_ORDER, val="0000", firstRow=0, lastRow=0, firstColumn=0,
              lastColumn=0, noHBand=1, noVBand=1)
    grid = _append_child(tbl, "tblGrid")
    for width in fmt.widths_twips:
        _append_child(grid, "gridCol").set(qn("w:w"), str(width))
    return tbl


def float_table_at_bottom(tbl, left_from_page_twips: int) -> None:
    """Make ``tbl`` a floating table whose bottom lies on the bottom margin and whose left edge is
    ``left_from_page_twips`` from the page's left edge, on the page of the paragraph after it
    (its anchor), with no text around it."""
    tblpr = tbl.find(qn("w:tblPr"))
    set_child(tblpr, "tblpPr", TBLPR_ORDER, leftFromText=0, rightFromText=0, topFromText=0,
              bottomFromText=0, vertAnchor="margin", horzAnchor="page", tblpX=left_from_page_twips,
              tblpYSpec="bottom")


def add_row(tbl, *, header: bool = False, height_twips: int | None = None, exact: bool = False):
    """Append a ``w:tr`` that never splits across pages; a header row repeats on every page."""
    tr = _append_child(tbl, "tr")
    trpr = _append_child(tr, "trPr")
    _append_child(trpr, "cantSplit")
    if height_twips:
        height = _append_child(trpr, "trHeight")
        height.set(qn("w:val"), str(height_twips))
        height.set(qn("w:hRule"), "exact" if exact else "atLeast")
    if header:
        _append_child(trpr, "tblHeader")
    return tr


def add_cell(tr, width_twips: int, *, v_align: str = "center", v_merge: str | None = None,
             borders: tuple[tuple[str, Border], ...] = ()):
    """Append a ``w:tc``; ``v_merge`` "restart"/"continue" merges it with the cells below/above."""
    tc = _append_child(tr, "tc")
    tcpr = _append_child(tc, "tcPr")
    set_child(tcpr, "tcW", TCPR_ORDER, w=width_twips, type="dxa")
    if v_merge == "restart":
        set_child(tcpr, "vMerge", TCPR_ORDER, val="restart")
    elif v_merge == "continue":
        set_child(tcpr, "vMerge", TCPR_ORDER)
    if borders:
        tcb = set_child(tcpr, "tcBorders", TCPR_ORDER)
        for side, border in borders:
            _set_border(tcb, side, border, BORDERS_ORDER)
    set_child(tcpr, "vAlign", TCPR_ORDER, val=v_align)
    return tc


# --- pictures ------------------------------------------------------------------------------------
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EMU_PER_PT = 12700


def append_inline_picture(p, inline) -> None:
    """Append a run holding python-docx's ``wp:inline`` (from ``part.new_pic_inline``).

    python-docx leaves out the ``dist*`` attributes; LibreOffice then keeps 0.125 in (9 pt) of
    wrap distance on each side and draws a 版心-wide picture 9 pt right of the 版心. Zero them."""
    for side in ("distT", "distB", "distL", "distR"):
        inline.set(side, "0")
    drawing = _append_child(_append_child(p, "r"), "drawing")
    drawing.append(inline)


def append_anchored_picture(p, rid: str, shape_id: int, name: str, width_emu: int, height_emu: int,
                            x_emu: int, y_emu: int) -> None:
    """Append a floating picture that does not move or wrap text (``wrapNone``), in front of it,
    placed ``x_emu`` right of the 版心's left edge (``relativeFrom="margin"``) and ``y_emu`` below
    the top of this paragraph (negative: above it). Used for the seal."""
    from docx.oxml import parse_xml

    xml = (
        f'<wp:anchor xmlns:wp="{_WP}" xmlns:a="{_A}" xmlns:pic="{_PIC}" xmlns:r="{_R}" '
        f'distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="251659264" '
        f'behindDoc="0" locked="1" layoutInCell="1" allowOverlap="1">'
        f'<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="margin"><wp:posOffset>{x_emu}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>{y_emu}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{width_emu}" cy="{height_emu}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:wrapNone/><wp:docPr id="{shape_id}" name={quoteattr(name)}/>'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic><a:graphicData uri="{_PIC}"><pic:pic>'
        f'<pic:nvPicPr><pic:cNvPr id="{shape_id}" name={quoteattr(name)}/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width_emu}" cy="{height_emu}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
        f'</pic:pic></a:graphicData></a:graphic></wp:anchor>'
    )
    drawing = _append_child(_append_child(p, "r"), "drawing")
    drawing.append(parse_xml(xml))


# --- sections ------------------------------------------------------------------------------------
def close_section(last_paragraph, sectpr) -> None:
    """End the current section at ``last_paragraph`` with a copy of ``sectpr`` (its pPr's last
    child), so the body's own ``w:sectPr`` describes the next section."""
    import copy

    ppr = last_paragraph.get_or_add_pPr()
    remove_child(ppr, "sectPr")
    holder = set_child(ppr, "sectPr", PPR_ORDER)
    ppr.replace(holder, copy.deepcopy(sectpr))


def set_section_start(sectpr, kind: str) -> None:
    """``w:type``: nextPage, evenPage, oddPage …"""
    set_child(sectpr, "type", SECTPR_ORDER, val=kind)


def _new_run(p, fmt: RunFormat):
    r = OxmlElement("w:r")
    p.append(r)
    rpr = _built_rpr(fmt)
    if len(rpr):  # a run that only takes its style's format carries no w:rPr at all
        r.append(rpr)
    return r


def _append_child(parent, name: str):
    child = OxmlElement(f"w:{name}")
    parent.append(child)
    return child


def append_text(p, text: str, fmt: RunFormat) -> None:
    """Append a run of ``text``; each "\\n" becomes a forced line break (``w:br``)."""
    r = _new_run(p, fmt)
    for index, piece in enumerate(text.split("\n")):
        if index:
            _append_child(r, "br")
        if piece:
            t = _append_child(r, "t")
            t.text = piece
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def append_page_field(p, fmt: RunFormat, cached: str) -> None:
    """Append a PAGE field with a cached result. WPS shows the raw field code when the cached
    result is missing, and Word only recomputes it on layout, so the cache must be there."""
    def field_char(kind: str) -> None:
        _append_child(_new_run(p, fmt), "fldChar").set(qn("w:fldCharType"), kind)

    field_char("begin")
    instr = _append_child(_new_run(p, fmt), "instrText")
    instr.text = " PAGE "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    field_char("separate")
    append_text(p, cached, fmt)
    field_char("end")


def clear_children(element) -> None:
    for child in list(element):
        element.remove(child)


# --- section (page geometry and grid) ------------------------------------------------------------
def set_line_grid(sectpr, line_pitch_twips: int) -> None:
    """``w:docGrid type="lines"``: Word, WPS and LibreOffice all give 22 lines. Not
    ``linesAndChars`` with a negative charSpace: LibreOffice then puts 14 characters on a line."""
    grid = set_child(sectpr, "docGrid", SECTPR_ORDER, type="lines", linePitch=line_pitch_twips)
    grid.attrib.pop(qn("w:charSpace"), None)


# --- clean base document -------------------------------------------------------------------------
def strip_theme_attributes(root) -> None:
    """Remove every theme reference (asciiTheme, eastAsiaTheme, cstheme, themeColor …): in Word a
    theme font overrides the explicit font names, so 仿宋_GB2312 would silently become the theme's."""
    for element in root.iter():
        for key in [k for k in element.attrib if "theme" in k.split("}")[-1].lower()]:
            del element.attrib[key]


def prune_styles(styles) -> None:
    """Keep only the four default styles (Normal, Default Paragraph Font, Normal Table, No List).

    docgen formats directly and references no named style; python-docx's template carries 290 KB
    of Word 2010 styles and latent-style exceptions that every document would parse and zip again.
    """
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:default")) != "1":
            styles.remove(style)


def clear_numbering(numbering) -> None:
    """No list definitions: docgen numbers headings as text, and the template's lists point at
    the named list styles that :func:`prune_styles` removes."""
    for child in list(numbering):
        numbering.remove(child)


def set_document_defaults(styles, run: RunFormat, paragraph: ParagraphFormat) -> None:
    """Replace python-docx's docDefaults (theme fonts, 11 pt, en-US, 1.15 lines + 10 pt after)."""
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr = set_child(set_child(defaults, "rPrDefault", DOCDEFAULTS_ORDER), "rPr", RPRDEFAULT_ORDER)
    ppr = set_child(set_child(defaults, "pPrDefault", DOCDEFAULTS_ORDER), "pPr", PPRDEFAULT_ORDER)
    clear_children(rpr)
    clear_children(ppr)
    apply_run_format(rpr, run)
    set_child(rpr, "lang", RPR_ORDER, val=LATIN_LANGUAGE, eastAsia=LANGUAGE, bidi="ar-SA")
    apply_paragraph_format(ppr, paragraph)


# --- named styles ----------------------------------------------------------------------------------
STYLE_ORDER = (
    "name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority", "semiHidden",
    "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose", "personalReply", "rsid",
    "pPr", "rPr", "tblPr", "trPr", "tcPr", "tblStylePr",
)


def _style_element(styles, kind: str, style_id: str):
    """The ``w:style`` of that id, emptied (created after the last style if absent)."""
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) == style_id:
            clear_children(style)
            return style
    style = OxmlElement("w:style")
    style.set(qn("w:type"), kind)
    style.set(qn("w:styleId"), style_id)
    style.set(qn("w:customStyle"), "1")
    styles.append(style)
    return style


def define_paragraph_style(styles, style_id: str, name: str, fmt: ParagraphFormat, *,
                           based_on: str | None = "Normal", next_id: str | None = "Normal",
                           link: str | None = None, priority: int = 1,
                           parent: ParagraphFormat | None = None) -> None:
    """A paragraph style holding ``fmt`` completely (the paragraph properties and, from
    ``fmt.mark``, the run properties), shown in the Styles gallery (``qFormat``)."""
    style = _style_element(styles, "paragraph", style_id)
    set_child(style, "name", STYLE_ORDER, val=name)
    if based_on and based_on != style_id:
        set_child(style, "basedOn", STYLE_ORDER, val=based_on)
    if next_id:
        set_child(style, "next", STYLE_ORDER, val=next_id)
    if link:
        set_child(style, "link", STYLE_ORDER, val=link)
    set_child(style, "uiPriority", STYLE_ORDER, val=priority)
    set_child(style, "qFormat", STYLE_ORDER)
    apply_paragraph_format(set_child(style, "pPr", STYLE_ORDER),
                           replace(fmt, mark=None, style_id=None, base=None), explicit=True,
                           parent=parent)
    if fmt.mark is not None:
        apply_run_format(set_child(style, "rPr", STYLE_ORDER),
                         replace(fmt.mark, style_id=None, base=None), explicit=True)


def define_character_style(styles, style_id: str, name: str, fmt: RunFormat | None, *,
                           link: str | None = None, priority: int = 1, fonts: str | None = None) -> None:
    """A character style: a whole run format (run-in headings: a 二级标题 opening a 正文
    paragraph), or with ``fonts`` only that font in all four slots (full-width punctuation)."""
    style = _style_element(styles, "character", style_id)
    set_child(style, "name", STYLE_ORDER, val=name)
    set_child(style, "basedOn", STYLE_ORDER, val="DefaultParagraphFont")
    if link:
        set_child(style, "link", STYLE_ORDER, val=link)
    set_child(style, "uiPriority", STYLE_ORDER, val=priority)
    if fonts is not None:
        set_child(set_child(style, "rPr", STYLE_ORDER), "rFonts", RPR_ORDER, ascii=fonts, hAnsi=fonts,
                  eastAsia=fonts, cs=fonts, hint="eastAsia")
        return
    set_child(style, "qFormat", STYLE_ORDER)
    apply_run_format(set_child(style, "rPr", STYLE_ORDER), replace(fmt, style_id=None, base=None),
                     explicit=True)


def set_compatibility_mode(settings, mode: int = 15) -> None:
    """``w:compatibilityMode``: 15 = Word 2013 and later layout, no 兼容模式 banner in Word."""
    compat = settings.find(qn("w:compat"))
    if compat is None:
        return
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), str(mode))
            return
    setting = OxmlElement("w:compatSetting")
    for key, value in (("name", "compatibilityMode"), ("uri", "http://schemas.microsoft.com/office/word"),
                       ("val", str(mode))):
        setting.set(qn(f"w:{key}"), value)
    compat.append(setting)


def drop_style_spacing(styles, style_id: str) -> None:
    """Remove paragraph spacing a built-in style carries, so the document defaults apply."""
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) == style_id:
            ppr = style.find(qn("w:pPr"))
            if ppr is not None:
                remove_child(ppr, "spacing")


def set_theme_font_language(settings) -> None:
    """``w:themeFontLang``: python-docx ships ja-JP; Chinese documents declare zh-CN."""
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), LATIN_LANGUAGE)
        lang.set(qn("w:eastAsia"), LANGUAGE)


@dataclass(frozen=True)
class FontInfo:
    """What the font table says about a font so Word and WPS can substitute a missing one sensibly:
    an alternative name, the PANOSE classification, charset (86 = GB2312), family and pitch."""

    alt: str | None = None
    panose: str | None = None
    charset: str = "86"
    family: str = "modern"
    pitch: str = "fixed"


# PANOSE and classes as the Windows fonts declare them; a machine without 仿宋_GB2312 is pointed at
# its 仿宋 (FangSong), without 楷体_GB2312 at its 楷体 (KaiTi) — not at 宋体.
KNOWN_FONTS: dict[str, FontInfo] = {
    "仿宋_GB2312": FontInfo("仿宋", "02010609030101010101"),
    "仿宋": FontInfo("FangSong", "02010609060101010101"),
    "楷体_GB2312": FontInfo("楷体", "02010609030101010101"),
    "楷体": FontInfo("KaiTi", "02010609060101010101"),
    "方正小标宋简体": FontInfo("方正小标宋_GBK", "02000000000000000000", family="auto", pitch="variable"),
    "方正小标宋_GBK": FontInfo("方正小标宋简体", "02000000000000000000", family="auto", pitch="variable"),
    "黑体": FontInfo("SimHei", "02010609060101010101"),
    "宋体": FontInfo("SimSun", "02010600030101010101", family="auto", pitch="variable"),
    "Times New Roman": FontInfo(None, "02020603050405020304", charset="00", family="roman", pitch="variable"),
}


def font_info(name: str) -> FontInfo:
    known = KNOWN_FONTS.get(name)
    if known is not None:
        return known
    if any(ord(ch) > 0x2E80 for ch in name):
        return FontInfo()
    return FontInfo(charset="00", family="roman", pitch="variable")


def font_table_xml(fonts) -> bytes:
    """A ``w:fonts`` part declaring each font with its alternative name, PANOSE, charset, family
    and pitch (:data:`KNOWN_FONTS`), and the alternatives themselves, so the chain
    仿宋_GB2312 → 仿宋 → FangSong is declared link by link. ``fonts``: names, or name → altName."""
    names = list(fonts)
    for name in list(names):
        alt = font_info(name).alt
        if alt and alt in KNOWN_FONTS and alt not in names:
            names.append(alt)
    overrides = fonts if isinstance(fonts, dict) else {}
    entries = []
    for name in names:
        info = font_info(name)
        alt = overrides.get(name) or info.alt
        alt_xml = f"<w:altName w:val={quoteattr(alt)}/>" if alt else ""
        panose = f"<w:panose1 w:val=\"{info.panose}\"/>" if info.panose else ""
        entries.append(
            f"<w:font w:name={quoteattr(name)}>{alt_xml}{panose}<w:charset w:val=\"{info.charset}\"/>"
            f"<w:family w:val=\"{info.family}\"/><w:pitch w:val=\"{info.pitch}\"/></w:font>"
        )
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(entries)
    return (f"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            f"<w:fonts xmlns:w=\"{escape(ns)}\">{body}</w:fonts>").encode("utf-8")
