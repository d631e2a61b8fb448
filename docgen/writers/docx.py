"""Document + style profile → .docx that Word, WPS and LibreOffice lay out as 22 lines × 28 字.

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

from docgen.model import Block, Document, Meta
from docgen.style.profile import Profile
from docgen.writers import ooxml

TWIPS_PER_MM = 1440 / 25.4
TWIPS_PER_PT = 20

# Styles whose digits and Latin letters are set in the style's own font rather than the Latin one:
# GB/T 9704 7.5 asks for "4号半角宋体阿拉伯数字" page numbers.
DIGITS_IN_STYLE_FONT = frozenset({"page_number"})

# Fonts Word/WPS may know under another name; declared as w:altName in the font table.
ALT_FONT_NAMES = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "方正小标宋_GBK"}

_STYLES_WITH_EFFECTS = "/stylesWithEffects"
_THUMBNAIL = "/metadata/thumbnail"
_FONT_TABLE = "/fontTable"


def write_docx(document: Document, profile: Profile, target: str | Path | BinaryIO) -> None:
    """Write ``document`` typeset with ``profile`` as .docx to a path or a binary file object."""
    import docx  # heavy import, only when a .docx is wanted

    package = docx.Document()
    _clean_base(package, profile)
    _set_page(package.sections[0], profile)
    body = package.element.body
    for block in document.blocks:
        _write_block(body, block, profile)
    _add_page_numbers(package, profile)
    _set_core_properties(package.core_properties, document.meta)
    _save(package, target)


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
        color=spec.color,
        char_spacing_twips=round(profile.spacing_for(spec.size) * TWIPS_PER_PT),
    )


def paragraph_format(profile: Profile, block: Block) -> ooxml.ParagraphFormat:
    """The paragraph format of a block: exact grid line height, the style's alignment, indent,
    space before (in whole grid lines, so later lines stay on the grid) and keep-with-next."""
    spec = profile.style(block.style)
    # LibreOffice gives a line whose type is taller than the grid pitch (the 22 pt title: Noto's
    # 1.45 em = 31.9 pt > 28.95 pt) two grid cells even at exact spacing; Word keeps exact spacing.
    # Taking such paragraphs off the grid makes both use the exact 28.95 pt.
    on_grid = spec.size == profile.grid_size_pt
    return ooxml.ParagraphFormat(
        align=spec.align,
        line_twips=profile.line_pitch_twips,
        space_before_twips=spec.space_before_lines * profile.line_pitch_twips,
        char_twips=round(profile.grid_size_pt * TWIPS_PER_PT),
        first_line_chars=spec.indent_chars,
        keep_next=spec.keep_with_next,
        snap_to_grid=on_grid,
        outline_level=block.level - 1 if block.is_heading and block.level else None,
        mark=run_format(profile, block.style),
    )


# --- body -----------------------------------------------------------------------------------------
def _write_block(body, block: Block, profile: Profile) -> None:
    # One paragraph per block; each span keeps its own style, which is what makes a run-in heading
    # (a "body" block opening with a "heading2" span) one paragraph in two fonts.
    p = ooxml.new_paragraph(body, paragraph_format(profile, block))
    for span in block.spans:
        _append_span_text(p, span.text, run_format(profile, span.style))


def _is_ambiguous_width(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) == "A"


def _append_span_text(p, text: str, fmt: ooxml.RunFormat) -> None:
    """Append ``text`` as runs, giving characters of ambiguous width (“”‘’—…·) a run whose Latin
    slots name the East Asian font too. w:hint="eastAsia" already tells Word and WPS to set them
    in the Chinese font; LibreOffice ignores the hint and drew a paragraph-initial "——" in Times."""
    for ambiguous, chars in groupby(text, key=_is_ambiguous_width):
        piece = "".join(chars)
        if ambiguous and fmt.latin != fmt.east_asia:
            ooxml.append_text(p, piece, replace(fmt, latin=fmt.east_asia))
        else:
            ooxml.append_text(p, piece, fmt)


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
    spec = profile.style("page_number")
    fmt = run_format(profile, "page_number")
    # "空一字" is measured in the page number's own size (4号), on the outer side of the page.
    indent = {"left": {"left_chars": number.indent_chars},
              "right": {"right_chars": number.indent_chars}}.get(side, {})
    p = ooxml.new_paragraph(container, ooxml.ParagraphFormat(
        align=side,
        line_twips=page_number_line_twips(profile),
        char_twips=round(spec.size * TWIPS_PER_PT),
        snap_to_grid=False,
        mark=fmt,
        **indent,
    ))
    before, field, after = number.format.partition("{n}")
    _append_span_text(p, before, fmt)
    if field:
        ooxml.append_page_field(p, fmt, cached)
    _append_span_text(p, after, fmt)


# --- base document -------------------------------------------------------------------------------
def _clean_base(package, profile: Profile) -> None:
    """Turn python-docx's default template into a Chinese base: no theme fonts, zh-CN, no 1.15
    line spacing or 10 pt space-after, a font table of the fonts actually used."""
    part = package.part
    styles = part.styles.element
    ooxml.strip_theme_attributes(styles)
    ooxml.strip_theme_attributes(part.numbering_part.element)
    # No tracking in the defaults: a run without w:spacing (14 pt page number, 22 pt title) must
    # inherit 0, and grid-size runs carry their −0.25 pt explicitly.
    ooxml.set_document_defaults(
        styles,
        replace(run_format(profile, "body"), char_spacing_twips=0),
        ooxml.ParagraphFormat(align="justify", line_twips=profile.line_pitch_twips),
    )
    ooxml.drop_style_spacing(styles, "Normal")
    ooxml.set_theme_font_language(package.settings.element)
    # stylesWithEffects (Word 2010 only) repeats every theme reference; the thumbnail shows an
    # empty Letter page. Neither belongs in the product.
    _drop_relationships(part.rels, _STYLES_WITH_EFFECTS)
    _drop_relationships(part.package.rels, _THUMBNAIL)
    for rel in part.rels.values():
        if rel.reltype.endswith(_FONT_TABLE):
            # The template's table declares Japanese fonts (ＭＳ 明朝); a generic Part keeps its
            # bytes in _blob, the only way python-docx offers to replace them.
            rel.target_part._blob = ooxml.font_table_xml(_fonts_used(profile))


def _fonts_used(profile: Profile) -> dict[str, str | None]:
    names = [profile.fonts.latin, *(profile.font_family(s.font) for s in profile.styles.values())]
    return {name: ALT_FONT_NAMES.get(name) for name in dict.fromkeys(names)}


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
