"""The whole document on pages: 版头, 主体, attachments and 版记, then the page numbers.

Every element becomes flow pieces (:mod:`docgen.layout.flow`) positioned by its own module —
text blocks (:mod:`~docgen.layout.paragraphs`), 版头 (:mod:`~docgen.layout.header`), 署名/日期
(:mod:`~docgen.layout.signoff`), tables and charts (:mod:`~docgen.layout.tables`) — and the
paginator stacks them. The 版记 (:mod:`~docgen.layout.colophon`) goes at the foot of the last page
(GB/T 9704 7.4.1), which must be even (two-sided printing):

- the body (with 署名, 附注, attachments) ends on an **even** page and the 版记 fits under its last
  line with one empty line to spare (:func:`~docgen.layout.colophon.fits_under`): at the foot of
  that page, which keeps its page number;
- otherwise on an even page of its own, after a blank page when the body ends on an even page;
  neither the blank page nor the 版记 page is numbered (7.5).

:func:`colophon_on_last_page` is that decision; the .docx writer calls it too (a .docx cannot know
where its pages break), so both outputs put the 版记 on the same page.

- Every text line takes one grid line (28.95 pt), a 22 pt title line included (exact spacing).
- ``space_before_lines`` skips whole grid lines, except at the top of a page after the first.
- Headings keep with the next block (LibreOffice's keepNext); no widow/orphan control (the .docx
  sets ``w:widowControl w:val="0"``: a fixed 22-line page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from docgen.layout.boxes import Glyph, Line, Page
from docgen.layout.colophon import ColophonLayout, fits_under, layout_colophon
from docgen.layout.flow import FlowPage, Piece, paginate
from docgen.layout.header import layout_header
from docgen.layout.images import aspect_of
from docgen.layout.lines import make_item, measure_pt
from docgen.layout.metrics import Metrics
from docgen.layout.paragraphs import FIXED_LINE_ASCENT, OTHER_ELEMENT, block_pieces, text_block
from docgen.layout.signoff import signoff_pieces
from docgen.layout.tables import chart_pieces, table_pieces
from docgen.model import Attachment, Block, Chart, Document, Signoff, Table
from docgen.style.profile import Profile, mm_to_pt

ChartImage = Callable[[Chart], bytes]


def layout_document(document: Document, profile: Profile, metrics: Metrics,
                    chart_png: ChartImage | None = None) -> list[Page]:
    """Lay out the whole document: pages of positioned lines, rules and pictures, numbered."""
    flowed = body_pages(document, profile, metrics, chart_png)
    pages = [(tuple(p.lines), tuple(p.rules), tuple(p.pictures), True) for p in flowed]
    if document.colophon is not None:
        colophon = layout_colophon(document.colophon, profile, metrics)
        if _shares_last_page(flowed, colophon, profile):
            lines, rules, pictures, numbered = pages[-1]
            pages[-1] = (lines + colophon.lines, rules + colophon.rules, pictures, numbered)
        else:
            # The 版记 page is even: after an even last page, one blank page comes first.
            if len(pages) % 2 == 0:
                pages.append(((), (), (), False))
            pages.append((colophon.lines, colophon.rules, (), False))
    result = []
    for number, (lines, rules, pictures, numbered) in enumerate(pages, start=1):
        if numbered:
            footer = page_number_line(number, profile, metrics)
            result.append(Page(number, lines, footer.text, footer, rules, pictures))
        else:
            result.append(Page(number, lines, "", None, rules, pictures))
    return result


def body_pages(document: Document, profile: Profile, metrics: Metrics,
               chart_png: ChartImage | None = None) -> list[FlowPage]:
    """版头, 主体 and attachments paginated (no 版记, no page numbers)."""
    top = mm_to_pt(profile.page.margin_top_mm)
    height = mm_to_pt(profile.page.type_height_mm)
    pieces = body_pieces(document, profile, metrics, chart_png)
    for attachment in document.attachments:
        pieces += attachment_pieces(attachment, profile, metrics)
    flowed = paginate(pieces, top, height)
    if len(flowed) > 1 and not flowed[-1].started:
        flowed.pop()
    return flowed


def colophon_on_last_page(document: Document, profile: Profile, metrics: Metrics) -> bool:
    """Whether the 版记 goes at the foot of the page the body ends on (that page even, the 版记
    fitting under its last line with ``colophon.FREE_LINES_ABOVE`` empty line) rather than on an
    even page of its own. False without a 版记.

    The one place this is decided: :func:`layout_document` (the PDF) and the .docx writer both
    follow it. ``metrics`` should be the FontSet the PDF uses; with :class:`StubMetrics` (fonts not
    built) lines may break differently where Latin text or punctuation widths matter, and the
    .docx's decision can then differ from what an office shows by a line or so."""
    if document.colophon is None:
        return False
    flowed = body_pages(document, profile, metrics, chart_png=_no_image)
    return _shares_last_page(flowed, layout_colophon(document.colophon, profile, metrics), profile)


def _shares_last_page(flowed: list[FlowPage], colophon: ColophonLayout, profile: Profile) -> bool:
    return len(flowed) % 2 == 0 and fits_under(flowed[-1].used_pt, colophon, profile)


def _no_image(chart: Chart) -> bytes:
    """Pagination needs a chart's size, not its pixels (:func:`placement.chart_size_mm`)."""
    return b""


def body_pieces(document: Document, profile: Profile, metrics: Metrics,
                chart_png: ChartImage | None = None) -> list[Piece]:
    """The 版头 (page 1) and the 主体 as flow pieces; the title 空二行 under the red separator."""
    pieces: list[Piece] = []
    title_space = None
    if document.header is not None:
        header = layout_header(document.header, profile, metrics)
        pieces.append(header.piece)
        title_space = header.placement.title_space_before_pt
    body = element_pieces(document.blocks, profile, metrics, chart_png)
    if title_space is not None and body:
        body[0] = replace(body[0], space_before_pt=title_space)
    return pieces + body


def element_pieces(elements, profile: Profile, metrics: Metrics, chart_png: ChartImage | None = None,
                   *, indexed: bool = True) -> list[Piece]:
    """Blocks, tables, charts and the 署名/日期 in order. ``indexed``: lines carry their index in
    ``elements`` (Document.blocks) for bookmarks and messages."""
    kept = kept_with_signoff(elements)
    pieces: list[Piece] = []
    for index, element in enumerate(elements):
        following = elements[index + 1] if index + 1 < len(elements) else None
        if isinstance(element, Block):
            lines = block_pieces(element, index if indexed else OTHER_ELEMENT, profile, metrics)
            if index in kept:
                lines = [replace(line, keep_with_next=True) for line in lines]
            pieces += lines
        elif isinstance(element, Signoff):
            aspect = aspect_of(element.seal) if element.seal else 1.0
            signoff = signoff_pieces(element, profile, metrics, aspect)
            if signoff and isinstance(following, Block) and following.style == "note":
                # The date keeps with the 附注 under it (the .docx's keep-with-next).
                signoff[-1] = replace(signoff[-1], keep_with_next=True)
            pieces += signoff
        elif isinstance(element, Table):
            pieces += table_pieces(element, index, profile, metrics)
        elif isinstance(element, Chart):
            png = (chart_png or default_chart_png(profile))(element)
            pieces += chart_pieces(element, png, profile, metrics)
    return pieces


def kept_with_signoff(elements) -> set[int]:
    """Blocks that must share a page with the 署名 (GB/T 9704 7.3.5: no page holding only the
    署名/日期): the 附件说明 lines and the body paragraph before them. The .docx gives them
    keep-with-next, and LibreOffice then moves each of them whole with the 署名."""
    kept: set[int] = set()
    for index, element in enumerate(elements):
        if not isinstance(element, Signoff):
            continue
        before = index - 1
        while before >= 0 and isinstance(elements[before], Block) and elements[before].style.startswith(
                "attachment_note"):
            kept.add(before)
            before -= 1
        if before >= 0 and isinstance(elements[before], Block):
            kept.add(before)
    return kept


def default_chart_png(profile: Profile) -> ChartImage:
    """The chart image the .docx embeds (:func:`docgen.charts.render_chart_png`)."""
    def render(chart: Chart) -> bytes:
        from docgen.charts import render_chart_png

        return render_chart_png(chart, profile)
    return render


def attachment_pieces(attachment: Attachment, profile: Profile, metrics: Metrics) -> list[Piece]:
    """An attachment on a new page: 附件N (黑体) on line 1, the title centred on line 3, its
    blocks from the next line."""
    pitch = profile.line_pitch_pt
    label = block_pieces(text_block(attachment.label, "attachment_label"), OTHER_ELEMENT, profile, metrics)
    label[0] = replace(label[0], new_page=True)
    title = block_pieces(text_block(attachment.title, "attachment_title"), OTHER_ELEMENT, profile, metrics)
    title[0] = replace(title[0], space_before_pt=pitch)
    return label + title + element_pieces(attachment.blocks, profile, metrics, indexed=False)


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
