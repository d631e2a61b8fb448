"""The .docx writer: open the produced file (python-docx and raw XML) and check what Word, WPS
and LibreOffice will read — page, grid, fonts per role, spacing, 禁则 switches, page numbers."""

from __future__ import annotations

import io
import re
import zipfile
import unicodedata
from datetime import date, datetime, timezone
from pathlib import Path

import docx
import pytest
from lxml import etree

from support.docxstyles import flatten
from support.ooxml_order import assert_schema_order

from docgen.model import Block, Document, Meta, Span
from docgen.writers import ooxml
from docgen.writers.docx import write_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
XML_PARTS = ("word/document.xml", "word/styles.xml", "word/settings.xml", "word/numbering.xml")

TITLE = "坚持“三性” 增强“三力”\n推进工会工作创新发展"
SPECIAL = "他说：“要‘真抓实干’——不要空谈……”·<&>\"'"


def sample_document() -> Document:
    return Document(
        Meta(title=TITLE, author="市总工会", subject="讲话稿", created=date(2023, 8, 16)),
        (
            Block("title", (Span(TITLE, "title"),)),
            Block("subtitle", (Span("——在全市镇（街）工会干部培训班上的讲话", "subtitle"),)),
            Block("byline", (Span("市总工会主席　张某某", "byline"),)),
            Block("date", (Span("（2023年8月16日）", "date"),)),
            Block("salutation", (Span("同志们：", "salutation"),)),
            Block("body", (Span("为了深入贯彻中央和省市委群团工作会议精神，2023年共培训25人。", "body"),)),
            Block("heading1", (Span("一、坚持政治性，增强向心力", "heading1"),), level=1),
            Block("body", (Span("（一）发挥教育引导职能，全面贯彻党的主张。", "heading2"),
                           Span("各级工会组织要把学习贯彻党的二十大精神作为首要政治任务。", "body")), level=2),
            Block("heading2", (Span("（二）强化政治引领", "heading2"),), level=2),
            Block("heading3", (Span("1.突出思想政治引领", "heading3"),), level=3),
            Block("heading4", (Span("（1）完善服务职工体系", "heading4"),), level=4),
            Block("body", (Span(SPECIAL, "body"),)),
        ),
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory, profile) -> Path:
    path = tmp_path_factory.mktemp("docx") / "speech.docx"
    write_docx(sample_document(), profile, path)
    return path


@pytest.fixture(scope="module")
def raw_parts(written) -> dict[str, etree._Element]:
    with zipfile.ZipFile(written) as package:
        return {name: etree.fromstring(package.read(name))
                for name in package.namelist() if name.startswith("word/") and name.endswith(".xml")}


@pytest.fixture(scope="module")
def parts(raw_parts) -> dict[str, etree._Element]:
    """The parts with every paragraph's and run's *effective* properties (styles resolved)."""
    styles = raw_parts["word/styles.xml"]
    return {name: flatten(root, styles) if re.match(r"word/(document|footer\d+|header\d+)\.xml", name) else root
            for name, root in raw_parts.items()}


@pytest.fixture(scope="module")
def paragraphs(parts) -> list[etree._Element]:
    return parts["word/document.xml"].findall("w:body/w:p", NS)


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def attr(element, name: str) -> str | None:
    return None if element is None else element.get(w(name))


def run_text(run) -> str:
    return "".join("\n" if child.tag == w("br") else (child.text or "")
                   for child in run if child.tag in (w("t"), w("br")))


def text_runs(p) -> list[etree._Element]:
    return [r for r in p.findall("w:r", NS) if r.find("w:t", NS) is not None or r.find("w:br", NS) is not None]


def span_of_each_run(block: Block, p) -> list[tuple[etree._Element, Span]]:
    """Pair each run with the span its text came from (runs never straddle spans)."""
    bounds, start = [], 0
    for span in block.spans:
        bounds.append((start, start + len(span.text), span))
        start += len(span.text)
    pairs, offset = [], 0
    for run in text_runs(p):
        text = run_text(run)
        span = next(s for lo, hi, s in bounds if lo <= offset and offset + len(text) <= hi)
        pairs.append((run, span))
        offset += len(text)
    return pairs


def all_ambiguous_width(text: str) -> bool:
    """Runs of only “”—… carry the Chinese font in every slot (LibreOffice ignores w:hint)."""
    return all(unicodedata.east_asian_width(ch) == "A" for ch in text)


def footer_parts(parts) -> list[etree._Element]:
    return [root for name, root in parts.items() if re.match(r"word/footer\d+\.xml", name)]


# --- page ----------------------------------------------------------------------------------------
def test_a4_page_and_gbt9704_margins(parts, profile):
    sect = parts["word/document.xml"].find("w:body/w:sectPr", NS)
    size, margins = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
    assert (attr(size, "w"), attr(size, "h")) == ("11906", "16838")
    assert [attr(margins, side) for side in ("top", "left", "right", "bottom")] == [
        "2098", "1587", "1474", "1984"]
    assert attr(margins, "gutter") == "0"
    # page-number line top 7 mm under the 版心: 297 − (37 + 225 + 7) mm = 1587 twips, minus 14 pt
    assert attr(margins, "footer") == str(1587 - 280)


def test_line_grid_is_lines_only_with_579_pitch(parts):
    grid = parts["word/document.xml"].find("w:body/w:sectPr/w:docGrid", NS)
    assert attr(grid, "type") == "lines"
    assert attr(grid, "linePitch") == "579"
    assert attr(grid, "charSpace") is None


# --- fonts -----------------------------------------------------------------------------------------
def test_every_run_names_its_role_font_and_size(paragraphs, profile):
    document = sample_document()
    assert len(paragraphs) == len(document.blocks)
    checked = 0
    for block, p in zip(document.blocks, paragraphs):
        for run, span in span_of_each_run(block, p):
            spec = profile.style(span.style)
            fonts = run.find("w:rPr/w:rFonts", NS)
            family = profile.font_family(spec.font)
            assert attr(fonts, "eastAsia") == family, run_text(run)
            latin = family if all_ambiguous_width(run_text(run)) else "Times New Roman"
            assert attr(fonts, "ascii") == attr(fonts, "hAnsi") == latin, run_text(run)
            assert attr(fonts, "hint") == "eastAsia"
            assert attr(run.find("w:rPr/w:sz", NS), "val") == str(round(spec.size * 2))
            assert attr(run.find("w:rPr/w:szCs", NS), "val") == str(round(spec.size * 2))
            checked += 1
    assert checked >= len(document.blocks)


def test_role_families_are_the_gb_fonts(paragraphs):
    def east_asia_of(index: int) -> set[str]:
        return {attr(r.find("w:rPr/w:rFonts", NS), "eastAsia") for r in text_runs(paragraphs[index])}

    assert east_asia_of(0) == {"方正小标宋简体"}
    assert east_asia_of(1) == {"楷体_GB2312"}
    assert east_asia_of(5) == {"仿宋_GB2312"}
    assert east_asia_of(6) == {"黑体"}
    assert east_asia_of(9) == east_asia_of(10) == {"仿宋_GB2312"}


def test_ambiguous_width_marks_take_the_chinese_font(paragraphs):
    runs = text_runs(paragraphs[-1])
    marks = [r for r in runs if any(ch in run_text(r) for ch in "“”‘’—…·")]
    assert marks
    for run in marks:
        fonts = run.find("w:rPr/w:rFonts", NS)
        assert attr(fonts, "ascii") == attr(fonts, "hAnsi") == attr(fonts, "eastAsia") == "仿宋_GB2312"


def test_no_theme_references_anywhere(written, raw_parts):
    parts = raw_parts
    for name, root in parts.items():
        for element in root.iter():
            themed = [k for k in element.attrib if "theme" in etree.QName(k).localname.lower()]
            assert not themed, f"{name}: {etree.QName(element).localname} {themed}"
    with zipfile.ZipFile(written) as package:
        names = package.namelist()
    assert "word/stylesWithEffects.xml" not in names
    assert "docProps/thumbnail.jpeg" not in names
    font_table = parts["word/fontTable.xml"]
    declared = {attr(f, "name") for f in font_table.findall("w:font", NS)}
    assert {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体", "Times New Roman"} <= declared
    assert "ＭＳ 明朝" not in declared


def test_language_is_simplified_chinese(parts, written):
    lang = parts["word/styles.xml"].find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    # East Asian text is zh-CN; Latin runs are en-US so numbers and words are never split.
    assert (attr(lang, "val"), attr(lang, "eastAsia")) == ("en-US", "zh-CN")
    theme_lang = parts["word/settings.xml"].find("w:themeFontLang", NS)
    assert attr(theme_lang, "eastAsia") == "zh-CN"
    assert docx.Document(str(written)).core_properties.language == "zh-CN"


def test_document_defaults_are_the_body_not_word_defaults(parts):
    styles = parts["word/styles.xml"]
    fonts = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert (attr(fonts, "eastAsia"), attr(fonts, "ascii")) == ("仿宋_GB2312", "Times New Roman")
    spacing = styles.find("w:docDefaults/w:pPrDefault/w:pPr/w:spacing", NS)
    assert (attr(spacing, "line"), attr(spacing, "lineRule"), attr(spacing, "after")) == (
        "579", "exact", "0")
    # Normal is the 正文 (Chinese Word and WPS show it so): 3号仿宋, exact grid line, −0.25 pt.
    normal = next(s for s in styles.findall("w:style", NS) if attr(s, "styleId") == "Normal")
    assert attr(normal.find("w:rPr/w:rFonts", NS), "eastAsia") == "仿宋_GB2312"
    assert attr(normal.find("w:rPr/w:sz", NS), "val") == "32"
    assert attr(normal.find("w:rPr/w:spacing", NS), "val") == "-5"
    assert attr(normal.find("w:pPr/w:spacing", NS), "line") == "579"
    for element in styles.iter(w("spacing")):
        assert attr(element, "line") != "276"  # python-docx's 1.15 lines
        assert attr(element, "after") != "200"


# --- paragraphs ------------------------------------------------------------------------------------
def test_every_paragraph_has_exact_grid_line_spacing(paragraphs):
    before = []
    for p in paragraphs:
        spacing = p.find("w:pPr/w:spacing", NS)
        assert (attr(spacing, "line"), attr(spacing, "lineRule"), attr(spacing, "after")) == (
            "579", "exact", "0")
        before.append(attr(spacing, "before"))
    # byline and salutation: one blank grid line before (space_before_lines: 1)
    assert before == ["0", "0", "579", "0", "579"] + ["0"] * (len(paragraphs) - 5)


def test_character_spacing_only_on_grid_size_runs(parts):
    roots = [parts["word/document.xml"], *footer_parts(parts)]
    sizes = set()
    for root in roots:
        for run in root.iter(w("r")):
            size = attr(run.find("w:rPr/w:sz", NS), "val")
            spacing = attr(run.find("w:rPr/w:spacing", NS), "val")
            sizes.add(size)
            assert spacing == ("-5" if size == "32" else "0"), (size, run_text(run))
    assert {"32", "44", "28"} <= sizes


def test_kinsoku_on_and_no_hanging_punctuation_in_every_paragraph(parts):
    roots = [parts["word/document.xml"], *footer_parts(parts)]
    count = 0
    for root in roots:
        for p in root.iter(w("p")):
            ppr = p.find("w:pPr", NS)
            kinsoku = ppr.find("w:kinsoku", NS)
            assert kinsoku is not None and attr(kinsoku, "val") in (None, "1", "true")
            assert attr(ppr.find("w:overflowPunct", NS), "val") == "0"
            count += 1
    assert count == len(sample_document().blocks) + 2


def test_alignment_and_first_line_indent(paragraphs):
    jc = [attr(p.find("w:pPr/w:jc", NS), "val") for p in paragraphs]
    assert jc[:5] == ["center", "center", "center", "center", "left"]
    assert set(jc[5:]) == {"both"}
    body_indent = paragraphs[5].find("w:pPr/w:ind", NS)
    assert (attr(body_indent, "firstLineChars"), attr(body_indent, "firstLine")) == ("200", "640")
    title_indent = paragraphs[0].find("w:pPr/w:ind", NS)
    assert attr(title_indent, "firstLine") == "0" and attr(title_indent, "firstLineChars") == "0"


def test_headings_keep_with_next_and_carry_outline_level(paragraphs):
    document = sample_document()
    for block, p in zip(document.blocks, paragraphs):
        keep = p.find("w:pPr/w:keepNext", NS) is not None
        assert keep == block.is_heading, block.text
        outline = attr(p.find("w:pPr/w:outlineLvl", NS), "val")
        assert outline == (str(block.level - 1) if block.is_heading else None), block.text


def test_run_in_heading_is_one_paragraph_kaiti_then_fangsong(paragraphs):
    p = next(p for p in paragraphs if "".join(run_text(r) for r in text_runs(p)).startswith("（一）"))
    families = [attr(r.find("w:rPr/w:rFonts", NS), "eastAsia") for r in text_runs(p)]
    assert families[0] == "楷体_GB2312" and families[-1] == "仿宋_GB2312"
    first_body = families.index("仿宋_GB2312")
    assert set(families[:first_body]) == {"楷体_GB2312"} and set(families[first_body:]) == {"仿宋_GB2312"}
    text = "".join(run_text(r) for r in text_runs(p))
    assert text == "（一）发挥教育引导职能，全面贯彻党的主张。各级工会组织要把学习贯彻党的二十大精神作为首要政治任务。"
    assert p.find("w:pPr/w:keepNext", NS) is None  # a body paragraph, not a heading


def test_title_line_break_is_a_forced_break(paragraphs):
    title = paragraphs[0]
    assert len(title.findall(".//w:br", NS)) == 1
    assert "".join(run_text(r) for r in text_runs(title)) == TITLE
    # 22 pt is taller than a grid line: kept off the grid so every office uses the exact 28.95 pt
    assert attr(title.find("w:pPr/w:snapToGrid", NS), "val") == "0"


def test_special_characters_survive_as_text(written):
    texts = [p.text for p in docx.Document(str(written)).paragraphs]
    assert texts[-1] == SPECIAL
    assert texts[0] == TITLE


# --- page numbers ----------------------------------------------------------------------------------
def footer_rid(parts, kind: str) -> str:
    document = parts["word/document.xml"]
    ref = document.find(f"w:body/w:sectPr/w:footerReference[@w:type='{kind}']", NS)
    return ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")


@pytest.mark.parametrize(("kind", "side", "number"), [("default", "right", "1"), ("even", "left", "2")])
def test_page_number_footers(written, parts, kind, side, number):
    settings = parts["word/settings.xml"]
    assert settings.find("w:evenAndOddHeaders", NS) is not None
    with zipfile.ZipFile(written) as package:
        rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}[footer_rid(parts, kind)]
    footer = parts[f"word/{target}"]
    [p] = footer.findall("w:p", NS)
    assert attr(p.find("w:pPr/w:jc", NS), "val") == side
    indent = p.find("w:pPr/w:ind", NS)
    assert (attr(indent, side), attr(indent, f"{side}Chars")) == ("280", "100")  # 一字 of 4号
    spacing = p.find("w:pPr/w:spacing", NS)
    assert (attr(spacing, "line"), attr(spacing, "lineRule")) == ("280", "exact")
    kinds = [attr(f, "fldCharType") for f in p.iter(w("fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    assert [i.text for i in p.iter(w("instrText"))] == [" PAGE "]
    # visible text including the cached field result, which WPS shows instead of the code
    assert "".join(t.text for t in p.iter(w("t"))) == f"— {number} —"
    cached = list(p.iter(w("r")))
    separate_at = next(i for i, r in enumerate(cached) if attr(r.find("w:fldChar", NS), "fldCharType") == "separate")
    assert run_text(cached[separate_at + 1]) == number
    for run in p.iter(w("r")):
        fonts = run.find("w:rPr/w:rFonts", NS)
        assert attr(fonts, "eastAsia") == attr(fonts, "ascii") == attr(fonts, "hAnsi") == "宋体"
        assert attr(run.find("w:rPr/w:sz", NS), "val") == "28"


# --- package ---------------------------------------------------------------------------------------
def test_core_properties(written):
    props = docx.Document(str(written)).core_properties
    assert props.title == "坚持“三性” 增强“三力”推进工会工作创新发展"
    assert props.author == "市总工会"
    assert props.subject == "讲话稿"
    assert props.created == datetime(2023, 8, 16, tzinfo=timezone.utc)
    assert props.language == "zh-CN"


def test_children_are_in_schema_order(raw_parts):
    assert assert_schema_order(raw_parts) > 50


def test_writes_to_a_binary_file_object(profile):
    buffer = io.BytesIO()
    write_docx(sample_document(), profile, buffer)
    reopened = docx.Document(io.BytesIO(buffer.getvalue()))
    assert reopened.paragraphs[5].text.startswith("为了深入贯彻")


def test_source_date_epoch_makes_output_reproducible(profile, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    undated = Document(Meta(title="通知"), sample_document().blocks)
    first, second = io.BytesIO(), io.BytesIO()
    write_docx(undated, profile, first)
    write_docx(undated, profile, second)
    assert first.getvalue() == second.getvalue()
    props = docx.Document(io.BytesIO(first.getvalue())).core_properties
    assert props.created == props.modified == datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)
