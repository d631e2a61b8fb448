"""The .docx writer's 公文 elements, read back from the file: 版头, 署名/日期/印章, keep-with-next,
attachments, the 版记 (floating at the foot of the last page, or its own section), tables and
charts. Positions are measured in ``tests/e2e/test_libreoffice_official.py``; here is what Word
reads."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from support.docxstyles import flatten
from support.ooxml_order import assert_schema_order

from docgen.api import build_document
from docgen.model import Block, Chart, Document, IssuerMark, Meta, Signoff, Span, Table
from docgen.layout import StubMetrics, colophon_on_last_page, placement
from docgen.writers import ooxml
from docgen.writers.docx import layout_metrics, write_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "wp": WP}
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EMU_PER_MM = 36000


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def attr(element, name: str) -> str | None:
    return None if element is None else element.get(w(name))


def text_of(element) -> str:
    return "".join(t.text or "" for t in element.iter(w("t")))


class Package:
    def __init__(self, data: bytes):
        self.data = data
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            self.names = z.namelist()
            self.raw_parts = {n: etree.fromstring(z.read(n)) for n in self.names
                              if n.startswith("word/") and n.endswith(".xml")}
            rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        self.targets = {r.get("Id"): r.get("Target") for r in rels}
        # Effective properties (styles resolved) on every paragraph and run of the text parts.
        styles = self.raw_parts["word/styles.xml"]
        self.parts = {n: flatten(root, styles) if re.match(r"word/(document|footer\d+|header\d+)\.xml", n)
                      else root for n, root in self.raw_parts.items()}

    @property
    def document(self):
        return self.parts["word/document.xml"]

    @property
    def body(self):
        return self.document.find("w:body", NS)

    def paragraphs(self):
        return self.body.findall("w:p", NS)

    def paragraph(self, text: str):
        return next(p for p in self.document.iter(w("p")) if text_of(p) == text)

    def footer(self, sectpr, kind: str):
        ref = sectpr.find(f"w:footerReference[@w:type='{kind}']", NS)
        return None if ref is None else self.parts["word/" + self.targets[ref.get(f"{{{R}}}id")]]


def render(document: Document, profile) -> Package:
    buffer = io.BytesIO()
    write_docx(document, profile, buffer)
    return Package(buffer.getvalue())


@pytest.fixture(scope="module")
def notice(profile):
    document, _ = build_document(EXAMPLES / "notice.yaml")
    return document, render(document, profile)


@pytest.fixture(scope="module")
def request_(profile):
    document, _ = build_document(EXAMPLES / "request.yaml")
    return document, render(document, profile)


@pytest.fixture(scope="module")
def report(profile):
    document, _ = build_document(EXAMPLES / "report.yaml")
    return document, render(document, profile)


@pytest.fixture(scope="module")
def sealed(profile, tmp_path_factory):
    seal = tmp_path_factory.mktemp("seal") / "seal.png"
    Image.new("RGBA", (200, 100), (230, 0, 0, 255)).save(seal)
    document, _ = build_document(EXAMPLES / "notice.yaml")
    blocks = tuple(dataclasses.replace(b, seal=str(seal)) if isinstance(b, Signoff) else b
                   for b in document.blocks)
    header = dataclasses.replace(document.header, mark=IssuerMark(("某市总工会", "某市人力资源和社会保障局")))
    document = dataclasses.replace(document, blocks=blocks, header=header)
    return document, render(document, profile)


# --- 版头 -------------------------------------------------------------------------------------------
def test_header_paragraphs_in_order(notice, profile):
    document, package = notice
    paragraphs = package.paragraphs()
    assert [text_of(p) for p in paragraphs[:4]] == ["000001", "特急", "某市总工会文件", "某工发〔2024〕3号"]
    for p in paragraphs[:2]:
        assert attr(p.find(".//w:r/w:rPr/w:rFonts", NS), "eastAsia") == "黑体"


def test_issuer_mark_red_xiaobiaosong_off_grid(notice, profile):
    _, package = notice
    mark = package.paragraph("某市总工会文件")
    run = mark.find("w:r/w:rPr", NS)
    assert attr(run.find("w:color", NS), "val") == "FF0000"
    assert attr(run.find("w:rFonts", NS), "eastAsia") == "方正小标宋简体"
    assert attr(run.find("w:sz", NS), "val") == "84"  # 初号 fits 7 字 in 156 mm
    assert attr(run.find("w:spacing", NS), "val") in (None, "0")
    ppr = mark.find("w:pPr", NS)
    assert attr(ppr.find("w:jc", NS), "val") == "center"
    assert attr(ppr.find("w:snapToGrid", NS), "val") == "0"
    spacing = ppr.find("w:spacing", NS)
    assert attr(spacing, "lineRule") == "exact"
    assert int(attr(spacing, "line")) == round(42 * placement.MARK_LINE_FACTOR * 20)
    plan = placement.header_placement(notice[0].header, profile)
    assert int(attr(spacing, "before")) == round(plan.mark_space_before_pt * 20)


@pytest.mark.parametrize("names", [("某市总工会",), ("中华人民共和国人力资源和社会保障部办公厅关于",)])
def test_mark_size_fits_the_type_width(profile, names):
    mark = IssuerMark(names)
    size = placement.mark_size_pt(mark, profile)
    assert size <= 42 and size * placement.mark_width_em(mark) <= 442.21
    assert (size + 0.5) * placement.mark_width_em(mark) > 442.2 or size == 42


def test_mark_ink_top_arithmetic(profile):
    """Ink top of the 标志 = 35 mm under the 版心 top, by the LibreOffice line model."""
    from docgen.model import Header

    for meta in (0, 1, 3):
        header = Header(copy_number="000001" if meta >= 1 else None, secrecy="机密★1年" if meta == 3 else None,
                        urgency="特急" if meta == 3 else None, mark=IssuerMark(("某市总工会",)), number="x〔2024〕1号")
        plan = placement.header_placement(header, profile)
        top = (plan.meta_lines * profile.line_pitch_pt + plan.mark_space_before_pt
               + placement.fixed_baseline_pt(plan.mark_line_pt) - placement.MARK_INK_TOP_EM * plan.mark_size_pt)
        assert top == pytest.approx(35 / 25.4 * 72, abs=0.01)


def test_red_separator_is_the_number_paragraph_bottom_border(notice, request_):
    for _, package in (notice, request_):
        borders = [p for p in package.paragraphs() if p.find("w:pPr/w:pBdr", NS) is not None]
        [p] = borders
        bottom = p.find("w:pPr/w:pBdr/w:bottom", NS)
        assert (attr(bottom, "val"), attr(bottom, "sz"), attr(bottom, "color")) == ("single", "12", "FF0000")
        assert 0 < int(attr(bottom, "space")) <= 31
        ind = p.find("w:pPr/w:ind", NS)  # spans the full 版心
        assert ind is None or not any(int(v) for v in ind.attrib.values())
        assert p.find("w:pPr/w:keepNext", NS) is not None


def test_title_two_lines_after_the_separator(notice, profile):
    document, package = notice
    paragraphs = package.paragraphs()
    title = next(p for p in paragraphs if text_of(p).startswith("关于开展"))
    assert attr(title.find("w:pPr/w:spacing", NS), "before") == str(2 * profile.line_pitch_twips)


def test_upward_number_and_signer_on_tab_stops(request_, profile):
    _, package = request_
    p = next(p for p in package.paragraphs() if "签发人" in text_of(p))
    tabs = p.findall("w:pPr/w:tabs/w:tab", NS)
    assert [attr(t, "val") for t in tabs] == ["left", "right", "left"]
    assert attr(tabs[0], "pos") == "320"  # 空一字
    names_x = int(attr(tabs[2], "pos"))
    assert names_x + round(3 * 15.75 * 20) == pytest.approx(8844 - 320, abs=2)  # “王建国” ends 一字 in
    runs = p.findall("w:r", NS)
    fonts = {text_of(r): attr(r.find("w:rPr/w:rFonts", NS), "eastAsia") for r in runs if text_of(r)}
    assert fonts == {"某工〔2024〕12号": "仿宋_GB2312", "签发人：": "仿宋_GB2312", "王建国": "楷体_GB2312"}


def test_joint_mark_is_a_borderless_table_with_merged_suffix(sealed, profile):
    _, package = sealed
    tbl = package.body.find("w:tbl", NS)
    rows = tbl.findall("w:tr", NS)
    assert len(rows) == 2
    assert [text_of(r.find("w:tc", NS)) for r in rows] == ["某市总工会", "某市人力资源和社会保障局"]
    assert {attr(b, "val") for b in tbl.find("w:tblPr/w:tblBorders", NS)} == {"nil"}
    suffix = [r.findall("w:tc", NS)[1] for r in rows]
    assert attr(suffix[0].find("w:tcPr/w:vMerge", NS), "val") == "restart"
    assert suffix[1].find("w:tcPr/w:vMerge", NS) is not None and text_of(suffix[1]) == ""
    assert attr(suffix[0].find("w:tcPr/w:vAlign", NS), "val") == "center"
    assert text_of(suffix[0]) == "文件"
    assert attr(rows[0].find("w:tc/w:p/w:pPr/w:jc", NS), "val") == "distribute"
    for row in rows:
        assert attr(row.find("w:trPr/w:trHeight", NS), "hRule") == "exact"


# --- 署名 and keep-with-next ---------------------------------------------------------------------------
def test_signoff_paragraphs_right_aligned_and_kept_together(notice, profile):
    document, package = notice
    name, date = package.paragraph("某市总工会"), package.paragraph("2024年3月15日")
    plan = placement.signoff_placement(next(b for b in document.blocks if isinstance(b, Signoff)), profile)
    for p, line in zip((name, date), plan.lines):
        ppr = p.find("w:pPr", NS)
        assert attr(ppr.find("w:jc", NS), "val") == "right"
        assert attr(ppr.find("w:ind", NS), "right") == str(round(line.right_indent_pt * 20))
        assert attr(ppr.find("w:ind", NS), "rightChars") is None
        assert ppr.find("w:keepNext", NS) is not None and ppr.find("w:keepLines", NS) is not None
    assert attr(name.find("w:pPr/w:spacing", NS), "before") == str(profile.line_pitch_twips)
    # date longer than the 署名: date 右空二字, 署名 two 字 left of the date's start
    assert plan.lines[-1].right_indent_pt == 32
    paragraphs = package.paragraphs()
    index = paragraphs.index(name)
    closing, note1, note2 = paragraphs[index - 3], paragraphs[index - 2], paragraphs[index - 1]
    assert text_of(closing) == "特此通知。"
    assert closing.find("w:pPr/w:keepNext", NS) is not None
    assert closing.find("w:pPr/w:keepLines", NS) is not None
    assert attr(closing.find("w:pPr/w:widowControl", NS), "val") == "1"
    for p in (note1, note2):
        assert p.find("w:pPr/w:keepNext", NS) is not None and p.find("w:pPr/w:keepLines", NS) is None
    earlier = paragraphs[index - 4]
    assert attr(earlier.find("w:pPr/w:widowControl", NS), "val") == "0"


def test_signoff_rules(profile):
    unsealed = placement.signoff_placement(Signoff(("某市人力资源和社会保障局",), "2024年3月15日"), profile)
    name, date = unsealed.lines
    assert name.right_indent_pt == 32  # 署名 右空二字
    name_start = name.right_indent_pt + 12 * 15.75
    date_start = date.right_indent_pt + placement.text_width_pt("2024年3月15日", 16, -0.25)
    assert name_start - date_start == pytest.approx(32)
    sealed = placement.signoff_placement(Signoff(("某市总工会",), "2024年3月15日", seal="x.png"), profile)
    name, date = sealed.lines
    assert date.right_indent_pt == 64  # 右空四字
    width = placement.text_width_pt("2024年3月15日", 16, -0.25)
    assert name.right_indent_pt + 5 * 15.75 / 2 == pytest.approx(64 + width / 2)
    assert sealed.seal_center_from_right_pt == pytest.approx(64 + width / 2)
    assert sealed.space_before_lines == 2


def test_seal_is_a_floating_picture_that_moves_no_text(sealed, profile):
    _, package = sealed
    date = package.paragraph("2024年3月15日")
    anchor = date.find(".//wp:anchor", NS)
    assert anchor is not None
    assert anchor.find("wp:wrapNone", NS) is not None and anchor.get("behindDoc") == "0"
    extent = anchor.find("wp:extent", NS)
    assert int(extent.get("cx")) == pytest.approx(profile.signoff.seal_mm * EMU_PER_MM, rel=0.001)
    assert int(extent.get("cy")) == pytest.approx(int(extent.get("cx")) / 2, abs=2)  # 200 × 100 px
    assert anchor.find("wp:positionH", NS).get("relativeFrom") == "margin"
    assert anchor.find("wp:positionV", NS).get("relativeFrom") == "paragraph"
    assert int(anchor.find("wp:positionV/wp:posOffset", NS).text) < 0
    assert any(name.startswith("word/media/") for name in package.names)


# --- attachments ------------------------------------------------------------------------------------
def test_attachments_on_new_pages(notice, profile):
    document, package = notice
    for attachment in document.attachments:
        label = package.paragraph(attachment.label)
        assert label.find("w:pPr/w:pageBreakBefore", NS) is not None
        title = label.getnext()
        assert text_of(title) == attachment.title
        assert attr(title.find("w:pPr/w:spacing", NS), "before") == str(profile.line_pitch_twips)
        assert attr(title.find("w:pPr/w:jc", NS), "val") == "center"


# --- 版记 -------------------------------------------------------------------------------------------
def _check_colophon_table(tbl):
    borders = {etree.QName(b).localname: (attr(b, "val"), attr(b, "sz")) for b in tbl.find("w:tblPr/w:tblBorders", NS)}
    assert borders["top"] == borders["bottom"] == ("single", "8")  # 0.35 mm
    assert borders["insideH"] == ("single", "6")  # 0.25 mm
    assert attr(tbl.find("w:tblPr/w:tblW", NS), "w") == "8844"
    rows = tbl.findall("w:tr", NS)
    assert [text_of(r) for r in rows] == ["抄送：市委组织部，市人力资源和社会保障局，各区（县）人民政府。",
                                          "某市总工会办公室2024年3月15日印发"]
    cc = rows[0].find(".//w:p/w:pPr/w:ind", NS)
    assert (attr(cc, "left"), attr(cc, "hanging"), attr(cc, "right")) == ("1120", "840", "280")
    # twips: 字 of 4号, not of the body (a zero cancels Normal's first-line indent)
    assert not [k for k, v in cc.attrib.items() if k.endswith("Chars") and v != "0"]
    printer = rows[1].find(".//w:p", NS)
    assert [attr(t, "pos") for t in printer.findall("w:pPr/w:tabs/w:tab", NS)] == [str(8844 - 280)]
    sizes = {attr(s, "val") for s in tbl.iter(w("sz"))}
    assert sizes == {"28"}  # 4号


@pytest.fixture(scope="module")
def notice_odd(profile):
    """The example notice with one attachment: the body ends on page 3 (odd)."""
    document, _ = build_document(EXAMPLES / "notice.yaml")
    document = dataclasses.replace(document, attachments=document.attachments[:1])
    return document, render(document, profile)


def test_colophon_after_an_odd_page_is_the_even_footer_of_a_final_even_page_section(notice_odd, profile):
    document, package = notice_odd
    assert not colophon_on_last_page(document, profile, layout_metrics(profile))
    sections = list(package.document.iter(w("sectPr")))
    assert len(sections) == 2
    main, final = sections
    assert attr(final.find("w:type", NS), "val") == "evenPage"
    assert attr(main.find("w:type", NS), "val") is None
    # the main section keeps the page numbers
    for kind in ("default", "even"):
        assert [i.text for i in package.footer(main, kind).iter(w("instrText"))] == [" PAGE "]
    # the final section: empty odd footer (no page number), 版记 in the even footer
    odd = package.footer(final, "default")
    assert text_of(odd) == "" and not list(odd.iter(w("fldChar")))
    even = package.footer(final, "even")
    assert not list(even.iter(w("fldChar")))
    _check_colophon_table(even.find("w:tbl", NS))
    margins = final.find("w:pgMar", NS)
    assert int(attr(margins, "footer")) == 1984 - 20  # last rule on the 版心 bottom edge
    assert not package.body.findall("w:tbl", NS)


def test_colophon_on_an_even_last_page_with_room_floats_at_its_foot(notice, profile):
    """The example notice ends on page 4 (附件2) with room: the 版记 table floats at the foot of
    that page, bottom on the bottom margin, left edge at the 版心's, anchored to a 1 pt paragraph;
    one section, so page 4 keeps its “— 4 —”."""
    document, package = notice
    assert colophon_on_last_page(document, profile, layout_metrics(profile))
    [sectpr] = package.document.iter(w("sectPr"))
    assert attr(sectpr.find("w:type", NS), "val") is None
    for kind in ("default", "even"):
        assert [i.text for i in package.footer(sectpr, kind).iter(w("instrText"))] == [" PAGE "]
    children = [c for c in package.body if etree.QName(c).localname in ("p", "tbl")]
    tbl, anchor = children[-2:]
    assert etree.QName(tbl).localname == "tbl" and etree.QName(anchor).localname == "p"
    assert text_of(anchor) == "" and attr(anchor.find("w:pPr/w:spacing", NS), "line") == "20"
    position = tbl.find("w:tblPr/w:tblpPr", NS)
    assert {k.split("}")[1]: v for k, v in position.attrib.items()} == {
        "leftFromText": "0", "rightFromText": "0", "topFromText": "0", "bottomFromText": "0",
        "vertAnchor": "margin", "horzAnchor": "page", "tblpYSpec": "bottom",
        "tblpX": attr(sectpr.find("w:pgMar", NS), "left")}
    _check_colophon_table(tbl)
    assert etree.QName(children[-3]).localname == "p"  # never right after another table (Word merges)


def test_colophon_decision_uses_the_given_metrics(profile, monkeypatch):
    """write_docx follows colophon_on_last_page with the metrics it is given; without, the
    FontSet, or StubMetrics when the font cache is not built."""
    import docgen.fonts.fontset
    import docgen.writers.docx as writer
    from docgen.errors import FontError

    document, _ = build_document(EXAMPLES / "request.yaml")
    calls = []

    def decide(doc, prof, metrics):
        calls.append(metrics)
        return False

    monkeypatch.setattr("docgen.layout.colophon_on_last_page", decide)
    stub = StubMetrics()
    write_docx(document, profile, io.BytesIO(), metrics=stub)
    assert calls == [stub]

    def not_built(*args, **kwargs):
        raise FontError("字体尚未构建")

    monkeypatch.setattr(docgen.fonts.fontset, "load_fontset", not_built)
    assert isinstance(writer.layout_metrics(profile), StubMetrics)
    package = render(document, profile)
    assert isinstance(calls[-1], StubMetrics)
    assert len(list(package.document.iter(w("sectPr")))) == 2  # decide() said: own page


def test_no_colophon_no_extra_section(report):
    _, package = report
    assert len(list(package.document.iter(w("sectPr")))) == 1


# --- tables and charts ------------------------------------------------------------------------------
def test_tables_fixed_156mm_header_repeated(report, profile):
    document, package = report
    tables = package.body.findall("w:tbl", NS)
    models = [b for b in document.blocks if isinstance(b, Table)]
    assert len(tables) == len(models) == 2
    for tbl, model in zip(tables, models):
        assert attr(tbl.find("w:tblPr/w:tblLayout", NS), "type") == "fixed"
        assert attr(tbl.find("w:tblPr/w:tblW", NS), "w") == "8844"
        assert sum(int(attr(c, "w")) for c in tbl.findall("w:tblGrid/w:gridCol", NS)) == 8844
        rows = tbl.findall("w:tr", NS)
        assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
        assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
        assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
        caption = tbl.getprevious()
        assert text_of(caption) == model.label and caption.find("w:pPr/w:keepNext", NS) is not None
        for row in rows[1:]:
            for cell, numeric in zip(row.findall("w:tc", NS), model.numeric):
                ppr = cell.find("w:p/w:pPr", NS)
                assert attr(ppr.find("w:jc", NS), "val") == ("right" if numeric else "center")
                spacing = ppr.find("w:spacing", NS)
                assert (attr(spacing, "line"), attr(spacing, "lineRule")) == ("420", "exact")
                assert attr(ppr.find("w:snapToGrid", NS), "val") == "0"
                assert attr(cell.find("w:p/w:r/w:rPr/w:sz", NS), "val") == "28"
    three, grid = tables
    borders = {etree.QName(b).localname: attr(b, "sz") for b in three.find("w:tblPr/w:tblBorders", NS)
               if attr(b, "val") == "single"}
    assert borders == {"top": "12", "bottom": "12"}
    header_rule = three.find("w:tr/w:tc/w:tcPr/w:tcBorders/w:bottom", NS)
    assert attr(header_rule, "sz") == "6"
    grid_borders = {etree.QName(b).localname for b in grid.find("w:tblPr/w:tblBorders", NS)
                    if attr(b, "val") == "single"}
    assert grid_borders == set(ooxml.BORDERS_ORDER)


def test_column_widths_follow_content(profile):
    table = Table(1, "t", ("指标", "值"), (("一个很长的指标名称需要更多的宽度", "1"),), numeric=(False, True))
    wide, narrow = placement.table_column_widths_pt(table, profile)
    assert wide > 3 * narrow and wide + narrow == pytest.approx(442.2, abs=0.1)
    crowded = Table(1, "t", ("甲", "乙"), (("很" * 40, "长" * 40),))
    widths = placement.table_column_widths_pt(crowded, profile)
    assert sum(widths) == pytest.approx(442.2, abs=0.1)


def test_chart_embedded_centred_with_caption_below(report, profile):
    document, package = report
    chart = next(b for b in document.blocks if isinstance(b, Chart))
    inline = package.document.find(".//wp:inline", NS)
    extent = inline.find("wp:extent", NS)
    assert int(extent.get("cx")) == round(profile.page.type_width_mm * EMU_PER_MM)
    assert {inline.get(k) for k in ("distT", "distB", "distL", "distR")} == {"0"}
    p = next(p for p in package.paragraphs() if p.find(".//wp:inline", NS) is not None)
    assert attr(p.find("w:pPr/w:jc", NS), "val") == "center"
    assert attr(p.find("w:pPr/w:spacing", NS), "lineRule") == "auto"
    assert text_of(p.getnext()) == chart.label
    media = [n for n in package.names if n.startswith("word/media/")]
    assert len(media) == 1
    with zipfile.ZipFile(io.BytesIO(package.data)) as z:
        assert z.read(media[0])[:8] == b"\x89PNG\r\n\x1a\n"


# --- package ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["notice", "notice_odd", "request_", "report", "sealed"])
def test_children_in_schema_order(which, request):
    _, package = request.getfixturevalue(which)
    assert assert_schema_order(package.raw_parts) > 50


def test_reproducible_with_chart_and_colophon(profile, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for outline in ("report.yaml", "notice.yaml"):
        document, _ = build_document(EXAMPLES / outline)
        assert render(document, profile).data == render(document, profile).data


def test_drawing_ids_unique(sealed, report):
    for _, package in (sealed, report):
        ids = [el.get("id") for el in package.document.iter(f"{{{WP}}}docPr")]
        assert ids and len(ids) == len(set(ids))
