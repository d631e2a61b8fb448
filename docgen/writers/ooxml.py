"""Every WordprocessingML detail the .docx writer needs, in one place.

The writer (:mod:`docgen.writers.docx`) speaks in document terms — a paragraph in this format, a run
in that font, a page-number footer — and this module turns them into elements. Child elements are
always inserted in the order the schema (ECMA-376 transitional) demands, from the sequences below,
because Word refuses a file whose ``w:rPr``/``w:pPr``/``w:sectPr`` children are out of order
(LibreOffice is lenient, so a LibreOffice render alone would not catch it).
"""

from __future__ import annotations

from dataclasses import dataclass
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

_JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}
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


@dataclass(frozen=True)
class ParagraphFormat:
    """How a paragraph sits: alignment, exact line height, indents in characters, keep-with-next."""

    align: str  # left / center / right / justify
    line_twips: int
    space_before_twips: int = 0
    char_twips: int = 320  # one "字" for the *Chars indents below (the twips fallback)
    first_line_chars: float = 0
    left_chars: float = 0
    right_chars: float = 0
    keep_next: bool = False
    outline_level: int | None = None  # 0-based, for Word's navigation pane
    snap_to_grid: bool = True
    mark: RunFormat | None = None  # the paragraph mark (sets the size empty lines and "字" use)


def apply_run_format(rpr, fmt: RunFormat) -> None:
    """Write ``fmt`` into a ``w:rPr`` (of a run, a paragraph mark or the document defaults)."""
    # Both slots explicit: eastAsia for CJK, ascii/hAnsi for Latin and digits. w:hint="eastAsia"
    # makes characters of ambiguous width (“”‘’—…·) take the East Asian font, as Chinese needs.
    set_child(rpr, "rFonts", RPR_ORDER, ascii=fmt.latin, hAnsi=fmt.latin, eastAsia=fmt.east_asia,
              cs=fmt.latin, hint="eastAsia")
    for name in ("b", "bCs"):
        if fmt.bold:
            set_child(rpr, name, RPR_ORDER)
        else:
            remove_child(rpr, name)
    if fmt.color:
        set_child(rpr, "color", RPR_ORDER, val=fmt.color.lstrip("#").upper())
    if fmt.char_spacing_twips:
        set_child(rpr, "spacing", RPR_ORDER, val=fmt.char_spacing_twips)
    else:
        remove_child(rpr, "spacing")
    half_points = round(fmt.size_pt * 2)
    set_child(rpr, "sz", RPR_ORDER, val=half_points)
    set_child(rpr, "szCs", RPR_ORDER, val=half_points)


def apply_paragraph_format(ppr, fmt: ParagraphFormat) -> None:
    """Write ``fmt`` into a ``w:pPr``, with the Chinese line-breaking switches every paragraph gets."""
    if fmt.keep_next:
        set_child(ppr, "keepNext", PPR_ORDER)
    # A fixed 22-line page: no widow/orphan control (it would leave 21-line pages).
    set_child(ppr, "widowControl", PPR_ORDER, val="0")
    # 禁则 on, and no punctuation hanging past the 版心 (ECMA-376: val="0" = must not overflow).
    set_child(ppr, "kinsoku", PPR_ORDER)
    set_child(ppr, "overflowPunct", PPR_ORDER, val="0")
    # Autospace between Chinese and Latin letters/digits stays at the default (on): LibreOffice
    # applies it whatever the .docx says, so Word, WPS, LibreOffice and the native PDF (which
    # adds the same space, docgen/layout) all break lines alike.
    if not fmt.snap_to_grid:
        set_child(ppr, "snapToGrid", PPR_ORDER, val="0")
    set_child(ppr, "spacing", PPR_ORDER, before=fmt.space_before_twips, after=0,
              line=fmt.line_twips, lineRule="exact")
    indent = {}
    for side, chars in (("firstLine", fmt.first_line_chars), ("left", fmt.left_chars),
                        ("right", fmt.right_chars)):
        if chars:
            # Word reads *Chars (hundredths of a character); others read the twips fallback.
            indent[f"{side}Chars"] = round(chars * 100)
            indent[side] = round(chars * fmt.char_twips)
    if indent:
        set_child(ppr, "ind", PPR_ORDER, **indent)
    set_child(ppr, "jc", PPR_ORDER, val=_JC[fmt.align])
    if fmt.outline_level is not None:
        set_child(ppr, "outlineLvl", PPR_ORDER, val=fmt.outline_level)
    if fmt.mark is not None:
        apply_run_format(set_child(ppr, "rPr", PPR_ORDER), fmt.mark)


# --- paragraphs and runs ------------------------------------------------------------------------
def new_paragraph(container, fmt: ParagraphFormat):
    """Append a formatted ``w:p`` to a body or footer (before a body's final ``w:sectPr``)."""
    p = container.add_p()
    apply_paragraph_format(p.get_or_add_pPr(), fmt)
    return p


def _new_run(p, fmt: RunFormat):
    r = OxmlElement("w:r")
    p.append(r)
    apply_run_format(_append_child(r, "rPr"), fmt)
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


def font_table_xml(fonts: dict[str, str | None]) -> bytes:
    """A ``w:fonts`` part declaring each font (name → altName or None). Chinese fonts get the GB2312
    charset (86) so Word and WPS substitute a Chinese face when the named font is missing."""
    entries = []
    for name, alt in fonts.items():
        chinese = any(ord(ch) > 0x2E80 for ch in name)
        alt_xml = f"<w:altName w:val={quoteattr(alt)}/>" if alt else ""
        charset, family, pitch = ("86", "modern", "fixed") if chinese else ("00", "roman", "variable")
        entries.append(
            f"<w:font w:name={quoteattr(name)}>{alt_xml}<w:charset w:val=\"{charset}\"/>"
            f"<w:family w:val=\"{family}\"/><w:pitch w:val=\"{pitch}\"/></w:font>"
        )
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(entries)
    return (f"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            f"<w:fonts xmlns:w=\"{escape(ns)}\">{body}</w:fonts>").encode("utf-8")
