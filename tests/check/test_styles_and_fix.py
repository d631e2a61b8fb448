"""Styles are resolved like Word does (formatting inherited through basedOn chains counts), and
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


def _style_element(d, style_id):
    return d.styles.element.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")


def _base_on(d, style_id, base_id):
    """Make ``style_id`` inherit from ``base_id`` (a w:basedOn right after its w:name)."""
    style = _style_element(d, style_id)
    based = style.find(qn("w:basedOn"))
    if based is None:
        based = OxmlElement("w:basedOn")
        style.find(qn("w:name")).addnext(based)
    based.set(qn("w:val"), base_id)


def _first_paragraph(path, prefix):
    paragraphs = list(docx.Document(path).element.body.iter(qn("w:p")))
    return next(n for n, p in enumerate(paragraphs, start=1)
                if "".join(t.text or "" for t in p.iter(qn("w:t"))).startswith(prefix))


def test_formatting_inherited_through_style_chains(rendered, tmp_path):
    """docgen's styles each state their formatting in full; a hand-made template inherits it.
    Rebuilt that way — run properties only in a base style 正文基础 that 正文 (Normal) is based
    on, 一级标题 stating just its 黑体, the run-in 二级标题 character style inheriting everything
    from a base character style — the document reads as before, and each wrong font sitting
    only in a base style is found where it shows."""
    d = docx.Document(rendered["sanxing-sanli-speech"])
    normal_rpr = _style_element(d, "Normal").find(qn("w:rPr"))
    _style(d, "BodyBase", "paragraph", rpr=copy.deepcopy(normal_rpr))
    normal_rpr.getparent().remove(normal_rpr)
    _base_on(d, "Normal", "BodyBase")
    heading_rpr = _style_element(d, "GwHeading1").find(qn("w:rPr"))
    for child in list(heading_rpr):
        heading_rpr.remove(child)
    fonts = OxmlElement("w:rFonts")
    fonts.set(qn("w:eastAsia"), "黑体")  # one slot: ascii/hAnsi, size, tracking come from the chain
    heading_rpr.append(fonts)
    run_in = _style_element(d, "GwHeading2Char")
    _style(d, "RunInBase", "character", rpr=copy.deepcopy(run_in.find(qn("w:rPr"))))
    run_in.remove(run_in.find(qn("w:rPr")))
    _base_on(d, "GwHeading2Char", "RunInBase")
    path = tmp_path / "chained.docx"
    d.save(path)
    assert [str(f) for f in check([path]).findings if f.severity != "info"] == []

    def f005(edit):
        edit()
        d.save(path)
        return [f for f in check([path]).findings if f.code == "F005"]

    def base_font(style_id, name):
        return lambda: _style_element(d, style_id).find(f"{qn('w:rPr')}/{qn('w:rFonts')}").set(qn("w:eastAsia"), name)

    # 正文 inherits the base style's 黑体 (一级标题 states its own, and is not reported).
    found = f005(base_font("BodyBase", "黑体"))
    assert len(found) == 1 and "正文的中文字体是“黑体”" in found[0].message
    assert found[0].paragraph == _first_paragraph(path, "为深入")
    base_font("BodyBase", "仿宋_GB2312")()
    # 一级标题 without its own eastAsia slot falls back to the base's 仿宋.
    found = f005(lambda: fonts.attrib.pop(qn("w:eastAsia")))
    assert len(found) == 1 and "一级标题的中文字体是“仿宋_GB2312”" in found[0].message
    assert found[0].paragraph == _first_paragraph(path, "一、")
    fonts.set(qn("w:eastAsia"), "黑体")
    # The run-in 二级标题 takes its font from the base character style.
    found = f005(base_font("RunInBase", "宋体"))
    assert len(found) == 1 and "二级标题的中文字体是“宋体”" in found[0].message
    assert found[0].paragraph == _first_paragraph(path, "（一）")


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
