"""End to end: Document → .docx → LibreOffice PDF → measure the pages.

Checks the 22 lines × 28 字 grid, the 版心 edges and the page numbers on the rendered file, the
way a reader with a ruler would. One conversion for the whole module (≈1.5 s).
Run alone with ``pytest -m libreoffice -s`` to see the measured layout.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.libreoffice import convert_to_pdf
from support.pdfmeasure import Line, Page, PageNumberPosition, TypeArea, mm, pt, read_pages

from docgen.model import Block, Document, Meta, Span
from docgen.writers.docx import write_docx

pytestmark = pytest.mark.libreoffice

SENTENCES = (
    "各级工会组织要坚持把学习贯彻党的二十大精神作为首要政治任务，教育引导广大职工听党话、跟党走。",
    "2023年，全市共举办“劳动创造幸福”主题宣讲活动126场，覆盖职工群众3.5万人次。",
    "要健全联系服务职工工作机制，做到职工有困难找工会、工会有能力帮职工。",
    "今年以来，市总工会共培训基层工会干部25人次以上的班次18期，参训人员满意率达到98%。",
    "我们要牢牢把握“政治性、先进性、群众性”这一根本要求，切实增强工会工作的吸引力、凝聚力和战斗力。",
    "在推进产业工人队伍建设改革中，要突出技能提升，完善“师带徒”制度，让更多青年职工脱颖而出。",
    "全市已建成职工之家412个、爱心驿站97个，“职工服务圈”基本覆盖城乡。",
    "同时也要看到，一些基层工会还存在机关化、行政化倾向，服务职工的办法不多、手段不新、效果不够好。",
    "对此，我们必须以刀刃向内的勇气，深化工会改革，真正把工会组织建成“职工之家”。",
    "要把维护职工合法权益作为基本职责，依法推进集体协商，2024年底前实现百人以上企业全覆盖。",
)
CN_NUMERALS = "一二三四五六七八九十"
TITLE = "坚持“三性” 增强“三力”\n推进工会工作创新发展"

# GB/T 15834 / Word's Simplified-Chinese kinsoku lists (gbt9704.md §11), as far as the text uses them.
NO_LINE_START = set("!%),.:;?]}°·’”…‰′″℃、。〉》」』】〕〗！％），．：；？］｝～")
NO_LINE_END = set("([{£¥‘“〈《「『【〔〖（［｛￡￥")


def paragraph(seed: int, sentences: int = 4) -> str:
    return "".join(SENTENCES[(seed * 3 + k) % len(SENTENCES)] for k in range(sentences))


def speech() -> Document:
    """About seven pages of a realistic 讲话稿: title block, four heading levels, run-in headings."""
    blocks = [
        Block("title", (Span(TITLE, "title"),)),
        Block("subtitle", (Span("——在全市镇（街）工会干部培训班上的讲话", "subtitle"),)),
        Block("byline", (Span("市总工会主席　张某某", "byline"),)),
        Block("date", (Span("（2023年8月16日）", "date"),)),
        Block("salutation", (Span("同志们：", "salutation"),)),
        Block("body", (Span(paragraph(0), "body"),)),
    ]
    seed = 1
    for i in range(3):
        blocks.append(Block("heading1", (Span(f"{CN_NUMERALS[i]}、坚持政治性，增强向心力", "heading1"),), level=1))
        for j in range(2):
            blocks.append(Block("body", (Span(f"（{CN_NUMERALS[j]}）发挥教育引导职能，全面贯彻党的主张。", "heading2"),
                                         Span(paragraph(seed), "body")), level=2))
            blocks.append(Block("heading3", (Span(f"{j + 1}.突出思想政治引领", "heading3"),), level=3))
            blocks.append(Block("body", (Span(paragraph(seed + 1, 5), "body"),)))
            blocks.append(Block("heading4", (Span(f"（{j + 1}）完善服务职工体系", "heading4"),), level=4))
            blocks.append(Block("body", (Span(paragraph(seed + 2, 3), "body"),)))
            seed += 3
    return Document(Meta(title=TITLE, author="市总工会"), tuple(blocks))


@dataclass(frozen=True)
class PlacedLine:
    page: int
    line: Line
    block: Block
    index: int  # line number within its block
    last: bool  # last line of its block


@dataclass(frozen=True)
class Render:
    document: Document
    pdf: Path
    pages: list[Page]
    area: TypeArea
    placed: list[PlacedLine]

    def page_lines(self, page: Page) -> list[Line]:
        return page.lines_in(self.area)


def _squeeze(text: str) -> str:
    return "".join(text.split())


def place_lines(document: Document, pages: list[Page], area: TypeArea) -> list[PlacedLine]:
    """Assign every rendered line to the block it belongs to, by matching the text in order."""
    stream = [(page.number, line) for page in pages for line in page.lines_in(area)]
    placed, cursor = [], 0
    for block in document.blocks:
        want, got, lines = _squeeze(block.text), "", []
        while got != want:
            assert cursor < len(stream), f"text lost after {got!r}; expected {want!r}"
            number, line = stream[cursor]
            got += _squeeze(line.text)
            lines.append((number, line))
            cursor += 1
            assert want.startswith(got), f"rendered {got!r} does not match {want!r}"
        placed += [PlacedLine(n, ln, block, i, i == len(lines) - 1) for i, (n, ln) in enumerate(lines)]
    assert cursor == len(stream), "text on the pages that is not in the document"
    return placed


@pytest.fixture(scope="module")
def render(tmp_path_factory, profile) -> Render:
    document = speech()
    out = tmp_path_factory.mktemp("libreoffice")
    docx_path = out / "speech.docx"
    write_docx(document, profile, docx_path)
    pdf = convert_to_pdf(docx_path, out)
    pages = read_pages(pdf)
    area = TypeArea.from_profile(profile)
    return Render(document, pdf, pages, area, place_lines(document, pages, area))


def has_half_width(text: str) -> bool:
    return any(unicodedata.east_asian_width(ch) in ("Na", "H", "N") for ch in text)


def full_lines(render: Render) -> list[tuple[PlacedLine, PlacedLine]]:
    """Body lines that are not the last of their paragraph, each with the line after it."""
    body = [p for p in render.placed if p.block.style == "body"]
    return [(p, nxt) for p, nxt in zip(body, body[1:]) if not p.last]


def pushed_down(line: str, next_line: str) -> bool:
    """A short full line is right when 禁则 moved its last characters down ("推出", spread): the
    next line opens with a mark that may not start a line (within its first characters), the
    line would otherwise end on an opening mark, or a number moved down whole."""
    head = next_line[:3]
    return (any(ch in NO_LINE_START for ch in head) or next_line[0] in NO_LINE_END
            or next_line[0].isdigit())


# --- the report the lead quotes -------------------------------------------------------------------
def test_print_measured_layout(render, capsys):
    with capsys.disabled():
        print(f"\nLibreOffice render: {len(render.pages)} pages (字/line: full body lines, not "
              "paragraph ends)")
        full = [p for p, _ in full_lines(render)]
        for page in render.pages:
            lines = render.page_lines(page)
            units = Counter(p.line.units for p in full if p.page == page.number)
            number = page.page_number_line(render.area)
            where = PageNumberPosition.of(number, render.area) if number else None
            spot = (f"“{where.text}” left {where.from_left_mm:.1f} / right {where.from_right_mm:.1f} mm, "
                    f"{where.below_type_mm:.1f} mm below 版心") if where else "none"
            common = ", ".join(f"{u:g}×{n}" for u, n in units.most_common(4))
            print(f"  page {page.number}: {len(lines)} lines; 字/line {common}; page number {spot}")


# --- text and fonts ----------------------------------------------------------------------------------
def test_all_text_is_rendered_in_order(render):
    assert len(render.pages) >= 6
    assert {p.block for p in render.placed} == set(render.document.blocks)


def test_roles_use_the_mapped_free_fonts(render):
    """fonts.conf maps each GB font name onto the free font the PDF writer uses for that role."""
    def fonts(style: str) -> set[str]:
        found = {g.font for p in render.placed if p.block.style == style
                 for g in p.line.glyphs if not g.text.isascii()}
        assert found, style
        return found

    assert all("SerifCJK" in f and "Bold" in f for f in fonts("title"))  # 方正小标宋简体
    assert all("SansCJK" in f and "Regular" in f for f in fonts("heading1"))  # 黑体
    assert all("FandolFang" in f for f in fonts("heading3"))  # 仿宋_GB2312 → FandolFang
    assert all("ZenKai" in f for f in fonts("subtitle"))  # 楷体_GB2312 → AR PL KaitiM GB
    digits = {g.font for p in render.placed for g in p.line.glyphs if g.text.isdigit()}
    assert digits == {"LiberationSerif"}  # Times New Roman
    run_in = next(p for p in render.placed if p.block.spans[0].style == "heading2")
    assert "ZenKai" in run_in.line.glyphs[0].font and "FandolFang" in run_in.line.glyphs[-1].font


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils 未安装")
def test_every_font_is_embedded(render):
    rows = subprocess.run(["pdffonts", str(render.pdf)], capture_output=True, text=True, check=True).stdout
    table = rows.splitlines()[2:]
    # 小标宋, 仿宋 (FandolFang), 黑体, 楷体, 宋体 (page numbers: Noto Serif), Times New Roman
    assert len(table) == 6 and all(" yes " in row for row in table), rows


# --- the grid ----------------------------------------------------------------------------------------
def test_full_lines_fill_28_characters_and_stay_inside_the_type_area(render):
    right = render.area.right
    checked = 0
    for placed, nxt in full_lines(render):
        line, text = placed.line, placed.line.text
        cells = 26 if placed.index == 0 else 28  # first line: 左空二字
        assert line.x1 <= right + pt(0.5), f"past the 版心: {line.describe()}"
        assert line.x1 >= right - pt(0.7), f"not flush right: {line.describe()}"
        limit = cells + (0.5 if has_half_width(text) else 0)
        assert line.units <= limit, f"more than {cells} 字: {line.describe()}"
        if line.units < limit - 0.5:
            # LibreOffice ignores w:autoSpaceDN="0" and adds space around digits, so a line with
            # a number may hold one 字 less; anything else short must be a 禁则 push-down.
            explained = pushed_down(text, nxt.line.text) or (
                has_half_width(text) and line.units >= cells - 1.5)
            assert explained, f"short line: {line.describe()} / {nxt.line.text}"
        checked += 1
    assert checked >= 80
    later = [p for p, _ in full_lines(render) if p.index]  # lines without the 2-字 indent
    exact = [p for p in later if p.line.units == 28]
    assert len(exact) >= len(later) * 0.4, f"{len(exact)} of {len(later)} lines hold 28 字"


def test_lines_start_at_the_left_edge_or_two_characters_in(render, profile):
    left, cell = render.area.left, profile.cell_pt
    for placed in render.placed:
        if placed.block.style not in ("body", "heading1", "heading3", "heading4"):
            continue
        indent = 2 * profile.grid_size_pt if placed.index == 0 else 0  # w:firstLine 640 twips
        assert abs(placed.line.x0 - (left + indent)) <= pt(0.5), placed.line.describe()
    assert cell == pytest.approx(15.75)


def test_full_pages_have_22_lines_on_a_28_95_pt_pitch(render, profile):
    pitch = profile.line_pitch_pt
    pages = render.pages
    first_baseline = render.page_lines(pages[1])[0].baseline  # a page that starts with body text
    for page in pages:
        lines = [ln for ln in render.page_lines(page) if ln.size == profile.grid_size_pt]
        slots = [(ln.baseline - first_baseline) / pitch for ln in lines]
        # every line sits on a grid line (楷体 baselines sit ~1 pt higher in the same cell)
        assert all(abs(s - round(s)) * pitch <= 1.5 for s in slots), (page.number, slots)
        if page is not pages[-1]:
            assert round(slots[-1]) == 21, f"page {page.number} ends on grid line {round(slots[-1]) + 1}"
        if page.number > 1 and page is not pages[-1]:
            assert len(lines) == 22, page.number
    body_pitches = [b.line.baseline - a.line.baseline for a, b in zip(render.placed, render.placed[1:])
                    if a.page == b.page and a.block.style == b.block.style == "body"]
    # LibreOffice positions lines in whole units, so single pitches alternate 28.9 / 29.0 pt
    assert all(abs(d - pitch) <= 0.1 for d in body_pitches)
    assert sum(body_pitches) / len(body_pitches) == pytest.approx(pitch, abs=0.01)


def test_first_line_sits_in_the_first_grid_line(render, profile):
    top = render.area.top
    for page in render.pages:
        first = render.page_lines(page)[0]
        assert top <= first.top <= top + profile.line_pitch_pt - first.size, first.describe()
        assert first.bottom <= render.area.bottom
    for page in render.pages:
        assert render.page_lines(page)[-1].bottom <= render.area.bottom


# --- page numbers ----------------------------------------------------------------------------------
def test_page_numbers_outside_one_character_in_7mm_below(render, profile):
    one_char_mm = mm(profile.style("page_number").size)
    for page in render.pages:
        line = page.page_number_line(render.area)
        assert line is not None, f"page {page.number} has no page number"
        where = PageNumberPosition.of(line, render.area)
        assert _squeeze(where.text) == f"—{page.number}—"
        assert where.size == profile.style("page_number").size
        assert all("SerifCJK" in f and "Regular" in f for f in line.fonts)  # 宋体, digits too
        if page.number % 2:
            assert where.from_right_mm == pytest.approx(one_char_mm, abs=0.7), where
        else:
            assert where.from_left_mm == pytest.approx(one_char_mm, abs=0.7), where
        assert where.below_type_mm == pytest.approx(profile.page_number.below_type_mm, abs=1.0), where
