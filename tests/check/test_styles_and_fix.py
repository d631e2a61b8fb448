"""Styles are resolved like Word does (a styled document passes as the direct-formatted one), and
--fix rewrites only meaning-preserving things into a new file, listing each change."""

import copy
import subprocess
import sys

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from docgen.api import check, fix


def _style(d, style_id, kind, ppr=None, rpr=None, based_on=None):
    style = OxmlElement("w:style")
    style.set(qn("w:type"), kind)
    style.set(qn("w:styleId"), style_id)
    name = OxmlElement("w:name")
    name.set(qn("w:val"), style_id)
    style.append(name)
    if based_on:
        base = OxmlElement("w:basedOn")
        base.set(qn("w:val"), based_on)
        style.append(base)
    for part in (ppr, rpr):
        if part is not None:
            style.append(part)
    d.styles.element.append(style)


def test_styled_document_passes_like_the_direct_one(rendered, tmp_path):
    """Body paragraphs get their paragraph and run formatting from a style chain (正文 based on
    正文基础), headings from a character style; no direct formatting left on them."""
    d = docx.Document(rendered["sanxing-sanli-speech"])
    body = [p for p in d.paragraphs if p.style is not None and p.text.startswith(("为深入", "习近平", "要把"))]
    ppr = copy.deepcopy(body[0]._p.pPr)
    rpr = copy.deepcopy(body[0].runs[0]._r.rPr)
    ppr.remove(ppr.find(qn("w:rPr")))
    _style(d, "BodyBase", "paragraph", rpr=rpr)
    _style(d, "Body", "paragraph", ppr=ppr, based_on="BodyBase")
    for p in body:
        for child in list(p._p.pPr):
            p._p.pPr.remove(child)
        style = OxmlElement("w:pStyle")
        style.set(qn("w:val"), "Body")
        p._p.pPr.append(style)
        for run in p.runs:
            run._r.remove(run._r.rPr)
    heading = next(p for p in d.paragraphs if p.text.startswith("一、"))
    _style(d, "H1Char", "character", rpr=copy.deepcopy(heading.runs[0]._r.rPr))
    for run in heading.runs:
        run._r.remove(run._r.rPr)
        rpr = run._r.get_or_add_rPr()
        ref = OxmlElement("w:rStyle")
        ref.set(qn("w:val"), "H1Char")
        rpr.append(ref)
    path = tmp_path / "styled.docx"
    d.save(path)
    assert [str(f) for f in check([path]).findings if f.severity != "info"] == []
    # …and the style chain is really what decides: a wrong font in the base style is found.
    base = d.styles.element.find(f"{qn('w:style')}[@{qn('w:styleId')}='BodyBase']")
    base.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").set(qn("w:eastAsia"), "黑体")
    d.save(path)
    found = [f for f in check([path]).findings if f.code == "F005"]
    assert found and "正文的中文字体是“黑体”" in found[0].message


def test_fix_docx_writes_a_new_file_and_lists_changes(rendered, tmp_path):
    d = docx.Document(rendered["notice"])
    for p in d.paragraphs:
        for run in p.runs:
            run.text = (run.text.replace("〔2024〕", "[2024]").replace("，", ",", 1)
                        .replace("2024年5月", "2024年05月"))
    for footer in (d.sections[0].footer, d.sections[0].even_page_footer):
        for t in footer._element.iter(qn("w:t")):
            t.text = t.text.replace("—", "-")
    broken = tmp_path / "通知.docx"
    d.save(broken)
    assert {f.code for f in check([broken]).findings} >= {"L004", "L008", "F009"}
    result = fix(broken)
    assert result.target == tmp_path / "通知.fixed.docx" and result.target.exists()
    assert any("[2024]" in c and "〔2024〕" in c for c in result.changes)
    assert any(c.startswith("页码：") for c in result.changes)
    assert [str(f) for f in check([result.target]).findings if f.severity != "info"] == []
    assert check([broken]).findings  # the input is untouched


def test_fix_yaml_keeps_it_valid_and_in_place_needs_the_flag(tmp_path):
    outline = tmp_path / "讲话.yaml"
    outline.write_text("kind: speech\ntitle: 在某会议上的讲话\ndate: 2024年01月05日\n"
                       "opening: 同志们: 今天我们召开会议,部署工作。\n", encoding="utf-8")
    original = outline.read_text(encoding="utf-8")
    cli = [sys.executable, "-m", "docgen", "check", "--fix", str(outline)]
    out = subprocess.run(cli, capture_output=True, text=True)
    fixed = tmp_path / "讲话.fixed.yaml"
    assert out.returncode == 0, out.stderr
    assert "已修正 2 处" in out.stderr and outline.read_text(encoding="utf-8") == original
    text = fixed.read_text(encoding="utf-8")
    assert "date: 2024年1月5日" in text and "opening: 同志们：今天我们召开会议，部署工作。" in text
    assert [f for f in check([fixed]).findings if f.severity != "info"] == []
    bad = subprocess.run([sys.executable, "-m", "docgen", "check", "--in-place", str(outline)],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "--in-place 只能与 --fix 同用" in bad.stderr
    subprocess.run([*cli, "--in-place"], capture_output=True, text=True, check=True)
    assert outline.read_text(encoding="utf-8") == text


def test_colophon_rules_from_a_table_style(rendered, tmp_path):
    """A 版记 table whose rules come from its table style is not reported as missing them."""
    d = docx.Document(rendered["notice"])
    parts = {id(r.target_part): r.target_part for r in d.part.rels.values() if r.reltype.endswith("/footer")}
    tables = [t for part in parts.values() for t in part.element.iter(qn("w:tbl"))]
    tables += list(d.element.body.iter(qn("w:tbl")))
    colophon = [t for t in tables if "抄送" in "".join(x.text or "" for x in t.iter(qn("w:t")))]
    assert colophon
    borders = copy.deepcopy(colophon[0].find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}"))
    tblpr = OxmlElement("w:tblPr")
    tblpr.append(borders)
    _style(d, "Colophon", "table", ppr=tblpr)
    for table in colophon:
        pr = table.find(qn("w:tblPr"))
        pr.remove(pr.find(qn("w:tblBorders")))
        ref = OxmlElement("w:tblStyle")
        ref.set(qn("w:val"), "Colophon")
        pr.insert(0, ref)
    path = tmp_path / "styled-colophon.docx"
    d.save(path)
    assert [f for f in check([path]).findings if f.code == "F015"] == []
    d.styles.element.find(f"{qn('w:style')}[@{qn('w:styleId')}='Colophon']").remove(
        d.styles.element.find(f"{qn('w:style')}[@{qn('w:styleId')}='Colophon']").find(qn("w:tblPr")))
    d.save(path)
    assert [f.code for f in check([path]).findings if f.code == "F015"] == ["F015"]
