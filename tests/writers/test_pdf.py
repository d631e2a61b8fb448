"""The PDF writer, measured on the PDF it writes: GB/T 9704 geometry, fonts, text, reproducibility,
missing glyphs — and, when LibreOffice is installed, line-for-line parity with the .docx."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

from docgen.errors import FontError
from docgen.model import Block, Document, Meta, Span
from docgen.style.profile import load_profile
from docgen.writers.pdf import write_pdf
from tests.support.pdfmeasure import TypeArea, mm, pt, read_pages

MM = 25.4 / 72
HAN = ("为了深入贯彻中央和省市委群团工作会议精神，提升工会干部的综合素质和工会工作科学化水平，市总工会决定，"
       "举办了这期全市镇街、社区工会干部培训班。前面几位同志结合工会工作，有针对性地做了辅导讲座。"
       "讲的都很好，希望同志们认真学习，抓好贯彻。“三性”是指政治性、先进性、群众性；")


# --- a FontSet: docgen.fonts when it provides one, else Debian's TrueType faces -----------------
class SystemFontSet:
    """Stand-in with the FontSet interface, built from TrueType files reportlab loads directly
    (WenQuanYi Zen Hei for the Song/Hei roles, AR PL KaitiM GB for 楷体 with Zen Hei as its
    per-character fallback, Liberation Serif for Latin)."""

    FILES = {
        "zenhei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
        "kai": ("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf", 0),
        "latin": ("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf", 0),
    }
    ROLES = {"xiaobiaosong": "zenhei", "fangsong": "zenhei", "heiti": "zenhei", "songti": "zenhei",
             "kaiti": "kai", "latin": "latin"}

    def __init__(self) -> None:
        from fontTools.ttLib import TTFont as FTFont
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        self.cmaps, self.widths, self.upm = {}, {}, {}
        for name, (path, index) in self.FILES.items():
            if not Path(path).exists():
                pytest.skip(f"{path} 未安装")
            face = f"test-{name}"
            if face not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(face, path, subfontIndex=index))
            font = FTFont(path, fontNumber=index, lazy=True)
            self.cmaps[name] = font.getBestCmap()
            self.widths[name] = font["hmtx"].metrics
            self.upm[name] = font["head"].unitsPerEm

    def _face(self, role: str, char: str) -> str:
        name = self.ROLES[role]
        if ord(char) in self.cmaps[name]:
            return name
        if ord(char) in self.cmaps["zenhei"]:
            return "zenhei"
        raise FontError(f"“{char}”没有字形")

    def face_for(self, role: str, char: str) -> str:
        return "test-" + self._face(role, char)

    def advance_em(self, role: str, char: str) -> float:
        name = self._face(role, char)
        glyph = self.cmaps[name][ord(char)]
        return self.widths[name][glyph][0] / self.upm[name]


@pytest.fixture(scope="module")
def fontset():
    import docgen.fonts as fonts

    if hasattr(fonts, "FontSet") or hasattr(fonts, "load_fontset"):
        from docgen.writers.pdf import default_fontset

        try:
            return default_fontset(load_profile())
        except FontError as exc:  # fonts not built here: fall back to the system stand-in
            print(f"docgen.fonts unavailable ({exc}); using SystemFontSet")
    return SystemFontSet()


@pytest.fixture(scope="module")
def profile():
    return load_profile()


def speech(paragraphs: int = 14) -> Document:
    blocks = [Block("title", (Span("关于举办全市镇街社区工会干部培训班的通知", "title"),)),
              Block("salutation", (Span("同志们：", "salutation"),))]
    for n in range(paragraphs):
        if n % 5 == 2:
            blocks.append(Block("heading1", (Span(f"{'一二三四五六'[n // 5]}、坚持政治性，增强引领力", "heading1"),), level=1))
        if n % 5 == 3:
            blocks.append(Block("body", (Span("（一）发挥教育引导职能。", "heading2"),
                                         Span(HAN[n:] + HAN[:n], "body")), level=2))
            continue
        text = HAN[n * 3:] + HAN[: n * 3] + f"全年完成{2020 + n}年度任务的{95 + n}.5%。"
        blocks.append(Block("body", (Span(text, "body"),)))
    return Document(Meta(title="关于举办培训班的通知", author="市总工会", subject="通知"),
                    tuple(blocks))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, fontset, profile):
    path = tmp_path_factory.mktemp("pdf") / "speech.pdf"
    pages = write_pdf(speech(), profile, path, fontset)
    return path, pages


def body_lines(page, area):
    return [line for line in page.lines_in(area) if line.size == 16]


# --- geometry --------------------------------------------------------------------------------------
def test_type_area_edges_and_first_line(rendered, profile):
    path, layout = rendered
    area = TypeArea.from_profile(profile)
    pages = read_pages(path)
    assert len(pages) >= 2
    for page in pages:
        lines = page.lines_in(area)
        assert abs(mm(min(line.x0 for line in lines)) - 28) <= 0.5
    first = pages[0].lines_in(area)[0]
    # The first line's box starts at the 版心 top (37 mm); its baseline sits where LibreOffice
    # puts it (measured 21.8 pt lower for a 16 pt line, 23.6 pt for the 22 pt title).
    assert layout[0].lines[0].top_pt == pytest.approx(pt(37))
    assert first.top >= pt(37) - 0.01
    assert first.baseline == pytest.approx(layout[0].lines[0].baseline_pt, abs=0.05)


def test_full_body_lines_hold_28_units_and_end_flush(rendered, profile):
    path, layout = rendered
    area = TypeArea.from_profile(profile)
    checked = 0
    for page, laid in zip(read_pages(path), layout):
        full = {line.text for line in laid.lines if not line.is_last_of_block}
        for line in body_lines(page, area):
            if line.text not in full:
                continue
            checked += 1
            assert abs(mm(area.right - line.x1)) <= 0.5, line.describe()
            if not re.search(r"[0-9A-Za-z]", line.text):
                assert line.units in (27, 28) or line.units <= 28, line.describe()
                if line.x0 < area.left + 1:
                    assert line.units <= 28
    assert checked > 20


def test_pages_hold_22_lines_on_the_pitch(rendered, profile):
    path, layout = rendered
    area = TypeArea.from_profile(profile)
    pages = read_pages(path)
    for page in pages[:-1]:
        lines = page.lines_in(area)
        laid = layout[page.number - 1].lines
        assert len(lines) == len(laid)
        # Every line on a grid row; the page is full: its last line is on row 22.
        rows = [(line.top_pt - area.top) / 28.95 for line in laid]
        assert all(abs(r - round(r)) < 1e-6 for r in rows)
        assert round(rows[-1]) == 21
        body = [line for line in lines if line.size == 16]
        # Baselines of lines in the same faces (a 黑体 line's baseline sits 0.15 pt lower, as
        # LibreOffice centres each face's ascent+descent in the grid line).
        gaps = [b.baseline - a.baseline for a, b in zip(body, body[1:]) if a.fonts == b.fonts]
        for gap in gaps:  # consecutive grid rows, or rows apart across a title/space line
            rows_apart = max(1, round(gap / 28.95))
            assert 28.95 - 0.01 <= gap / rows_apart <= 28.99 + 0.01, gaps
        if page.number > 1:
            assert len(lines) == 22, [line.describe() for line in lines]


def test_page_numbers(rendered, profile):
    path, _ = rendered
    area = TypeArea.from_profile(profile)
    pages = read_pages(path)
    for page in pages:
        line = page.page_number_line(area)
        assert line is not None and line.text.replace(" ", "") == f"—{page.number}—"
        assert line.size == 14
        below = mm(line.top - area.bottom)
        assert abs(below - 7) <= 0.5, below
        if page.number % 2:
            # The closing 一字线 ends at its own advance (Noto Serif's — is 0.89 em, as LibreOffice
            # sets it), 空一字 from the 版心 edge.
            end = line.x1
            assert abs(mm(area.right - end) - mm(14)) <= 0.5
        else:
            assert abs(mm(line.x0 - area.left) - mm(14)) <= 0.5


# --- fonts, text, metadata, reproducibility ------------------------------------------------------
def test_every_font_is_embedded(rendered):
    from pypdf import PdfReader

    path, _ = rendered
    data = path.read_bytes()
    assert b"Helvetica" not in data
    reader = PdfReader(str(path))
    seen = 0
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert descriptor is not None, font
            assert "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
            seen += 1
    assert seen


def test_default_faces_look_like_the_official_ones(rendered, fontset):
    """Without the official fonts: the body is drawn in a 仿宋 face (FandolFang), the title in a
    heavy Song (bold Noto Serif CJK), the run-in 二级标题 in a 楷体 (AR PL KaitiM GB = GBZenKai)."""
    sources = getattr(fontset, "sources", None)
    if sources is None:
        pytest.skip("docgen.fonts not built: the test stand-in fonts are in use")
    if any(sources[role].official for role in ("fangsong", "xiaobiaosong", "kaiti")):
        pytest.skip("official fonts are installed")
    path, _ = rendered
    lines = [line for page in read_pages(path) for line in page.lines]

    def cjk_fonts(line, start=0, end=None) -> set[str]:
        return {g.font for g in line.glyphs[start:end] if not g.text.isascii()}

    title = lines[0]
    assert title.text.startswith("关于举办") and title.size == 22
    assert cjk_fonts(title) == {"NotoSerifCJKsc-Bold"}
    assert fontset.face("xiaobiaosong").source.family == "Noto Serif CJK SC"
    body = next(line for line in lines if line.text.startswith("为了深入贯彻"))
    assert cjk_fonts(body) == {"FandolFang-Regular"}
    run_in = next(line for line in lines if line.text.startswith("（一）发挥教育引导职能。"))
    heading = len("（一）发挥教育引导职能。")
    assert cjk_fonts(run_in, end=heading) == {"GBZenKai-Medium"}  # 楷体
    assert cjk_fonts(run_in, start=heading) == {"FandolFang-Regular"}  # the body after it


def test_text_round_trips_in_order(rendered, profile):
    path, _ = rendered
    area = TypeArea.from_profile(profile)
    text = "".join(line.text for page in read_pages(path) for line in page.lines_in(area))
    expected = "".join(block.text for block in speech().blocks).replace("\n", "")
    assert text == expected.replace(" ", "")


def test_document_info_and_bookmarks(rendered):
    from pypdf import PdfReader

    from docgen import __version__

    reader = PdfReader(str(rendered[0]))
    info = reader.metadata
    assert info["/Title"] == "关于举办培训班的通知"
    assert info["/Author"] == "市总工会"
    assert info["/Subject"] == "通知"
    assert info["/Creator"] == f"docgen {__version__}"
    titles = []
    stack = list(reader.outline)
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack[0:0] = item
        else:
            titles.append(item.title)
    assert titles[0] == "一、坚持政治性，增强引领力"
    assert "（一）发挥教育引导职能。" in titles


def test_same_input_same_bytes(fontset, profile, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first, second = io.BytesIO(), io.BytesIO()
    write_pdf(speech(4), profile, first, fontset)
    write_pdf(speech(4), profile, second, fontset)
    assert first.getvalue() == second.getvalue()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    third = io.BytesIO()
    write_pdf(speech(4), profile, third, fontset)
    assert b"D:20231114" in third.getvalue()


# --- missing glyphs ----------------------------------------------------------------------------------
def _covered(fontset, role, char) -> bool:
    try:
        fontset.face_for(role, char)
        return True
    except FontError:
        return False


def test_missing_glyph_is_one_error_naming_every_character(fontset, profile, tmp_path):
    missing = [c for c in ("\U000F0001", "\U000F0002") if not _covered(fontset, "fangsong", c)]
    if not missing:
        pytest.skip("every candidate character has a glyph")
    doc = Document(Meta(title="t"), (Block("body", (Span("正文" + missing[0] + "内容", "body"),)),
                                     Block("body", (Span("另一段" + missing[-1], "body"),))))
    target = tmp_path / "x.pdf"
    with pytest.raises(FontError) as caught:
        write_pdf(doc, profile, target, fontset)
    message = str(caught.value)
    for char in missing:
        assert f"U+{ord(char):04X}" in message
    assert "第 1 页" in message
    assert not target.exists()


def test_rare_character_renders_from_the_fallback_face(fontset, profile, tmp_path):
    import pdfplumber

    common = fontset.face_for("kaiti", "一")
    rare = next((c for c in "堃犇淼喆昇赟槊镕珺䶮𠮷" if _covered(fontset, "kaiti", c)
                 and fontset.face_for("kaiti", c) != common), None)
    if rare is None:
        pytest.skip("no character here falls back")
    doc = Document(Meta(title="t"), (Block("body", (Span("（一）", "heading2"), Span(rare + "字", "heading2"))),))
    path = tmp_path / "rare.pdf"
    write_pdf(doc, profile, path, fontset)
    with pdfplumber.open(path) as pdf:
        chars = {c["text"]: c["fontname"] for c in pdf.pages[0].chars}
    assert chars[rare] != chars["字"]


# --- parity with LibreOffice's render of the .docx -----------------------------------------------
@pytest.mark.libreoffice
def test_lines_and_pages_match_libreoffice(tmp_path, fontset, profile):
    """Body text with 禁则 punctuation: the PDF breaks every line and page where LibreOffice
    breaks the .docx (same characters on each line, same lines on each page)."""
    from docgen.writers.docx import write_docx
    from tests.support.libreoffice import convert_to_pdf

    blocks = [Block("salutation", (Span("同志们：", "salutation"),))]
    for n in range(10):
        blocks.append(Block("body", (Span(HAN[n * 7:] + HAN[: n * 7], "body"),)))
        if n % 4 == 1:
            blocks.append(Block("heading1", (Span("一、坚持政治性，增强引领力", "heading1"),), level=1))
    doc = Document(Meta(title="t"), tuple(blocks))
    write_docx(doc, profile, tmp_path / "lo.docx")
    lo_pdf = convert_to_pdf(tmp_path / "lo.docx", tmp_path / "out")
    write_pdf(doc, profile, tmp_path / "ours.pdf", fontset)
    area = TypeArea.from_profile(profile)

    def pages_text(path):
        return [[line.text for line in page.lines_in(area)] for page in read_pages(path)]

    assert pages_text(tmp_path / "ours.pdf") == pages_text(lo_pdf)
