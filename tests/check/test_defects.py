"""A corpus of defective .docx files, each built with python-docx from a conformant docgen output
with one defect put in: each defect is found by exactly the rule meant for it, at its place."""

import re

import docx
import pytest
from docx.enum.section import WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from docgen.api import check


def codes(path, base):
    """Findings of ``path`` (errors, warnings and info) not already on its conformant ``base``."""
    before = {(f.code, f.message) for f in check([base]).findings}
    return [f for f in check([path]).findings if (f.code, f.message) not in before]


def paragraph_starting(document, prefix):
    for number, p in enumerate(document.element.body.iter(qn("w:p")), start=1):
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        if text.startswith(prefix):
            return number, p
    raise AssertionError(prefix)


def body_paragraphs(document):
    """Body paragraphs of the speech: in the default paragraph style (正文, Normal), not headings."""
    for p in document.paragraphs:
        if p.style.style_id == "Normal" and p.text.strip() and not re.match(r"^[一二三四（]", p.text):
            yield p


def number_of(document, paragraph):
    """1-based number of a body paragraph, as check counts them."""
    return [p for p in document.element.body.iter(qn("w:p"))].index(paragraph._p) + 1


def style_rpr(document, style_id):
    """The style's own w:rPr (docgen's styles each state their run properties in full)."""
    return document.styles.element.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']/{qn('w:rPr')}")


def style_ppr(document, style_id):
    return document.styles.element.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']/{qn('w:pPr')}")


def footers(document):
    section = document.sections[0]
    return section.footer, section.even_page_footer


def save(document, tmp_path, name):
    path = tmp_path / f"{name}.docx"
    document.save(path)
    return path


def only(found, code):
    assert [f.code for f in found] == [code], [str(f) for f in found]
    return found[0]


def test_wrong_margins(rendered, tmp_path):
    d = docx.Document(rendered["sanxing-sanli-speech"])
    d.sections[0].top_margin = Mm(30)
    f = only(codes(save(d, tmp_path, "margins"), rendered["sanxing-sanli-speech"]), "F002")
    assert "天头（上） 30.0 mm（应为 37 mm）" in f.message


def test_30pt_exact_lines(rendered, tmp_path):
    """The 正文 (Normal) style changed to exact 30 pt — what a clerk does in 修改样式 → 段落."""
    d = docx.Document(rendered["sanxing-sanli-speech"])
    style_ppr(d, "Normal").find(qn("w:spacing")).set(qn("w:line"), "600")
    found = codes(save(d, tmp_path, "lines"), rendered["sanxing-sanli-speech"])
    f = only(found, "F003")
    # The styles based on 正文 (称谓, headings) state their own 29 pt, so the first paragraph set at
    # 30 pt is the first one in 正文 itself — “为深入…”, no longer 同志们： (now in its 称谓 style).
    first = next(body_paragraphs(d))
    assert first.text.startswith("为深入")
    assert "固定行距 30 磅，每面 21 行" in f.message and f.paragraph == number_of(d, first)


def test_hyphen_page_numbers(rendered, tmp_path):
    d = docx.Document(rendered["sanxing-sanli-speech"])
    for footer in footers(d):
        for t in footer._element.iter(qn("w:t")):
            t.text = t.text.replace("—", "-")
    found = codes(save(d, tmp_path, "hyphens"), rendered["sanxing-sanli-speech"])
    assert [f.code for f in found] == ["F009", "F009"]
    assert "单页页码显示为“- 1 -”" in found[0].message and "双页页码显示为“- 2 -”" in found[1].message


def test_page_numbers_always_right(rendered, tmp_path):
    d = docx.Document(rendered["sanxing-sanli-speech"])
    d.settings.odd_and_even_pages_header_footer = False
    f = only(codes(save(d, tmp_path, "right"), rendered["sanxing-sanli-speech"]), "F011")
    assert "单页、双页用同一个页脚" in f.message


def test_fangsong_only_in_the_latin_slot(rendered, tmp_path):
    """The classic python-docx trap on the 正文 style: ``styles["Normal"].font.name = "仿宋_GB2312"``
    sets only the ascii/hAnsi slots; the Chinese characters fall back to the defaults' 宋体."""
    d = docx.Document(rendered["sanxing-sanli-speech"])
    defaults = d.styles.element.find(qn("w:docDefaults")).find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    defaults.set(qn("w:eastAsia"), "宋体")
    normal = d.styles["Normal"]
    normal.element.rPr.rFonts.attrib.pop(qn("w:eastAsia"))
    normal.font.name = "仿宋_GB2312"  # what python-docx's font.name does: ascii/hAnsi only
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) is None
    target = next(body_paragraphs(d))  # the first paragraph in 正文 (styles based on it name their own font)
    f = only(codes(save(d, tmp_path, "latin"), rendered["sanxing-sanli-speech"]), "F005")
    assert f.paragraph == number_of(d, target) and "正文的中文字体是“宋体”" in f.message and "只设在西文字体上" in f.message


def test_theme_fonts(rendered, tmp_path):
    """Word writes ``eastAsiaTheme`` beside the font name when “+中文正文” is picked in the style
    dialog; the theme font then wins over the 仿宋 still written there."""
    d = docx.Document(rendered["sanxing-sanli-speech"])
    style_rpr(d, "Normal").find(qn("w:rFonts")).set(qn("w:eastAsiaTheme"), "minorEastAsia")
    target = next(body_paragraphs(d))
    f = only(codes(save(d, tmp_path, "theme"), rendered["sanxing-sanli-speech"]), "F007")
    assert f.paragraph == number_of(d, target) and "minorEastAsia" in f.message and "仿宋_GB2312" in f.message


def _colophon_table(d):
    table = d.add_table(rows=2, cols=1)
    table.rows[0].cells[0].text = "抄送：市委办公室。"
    table.rows[1].cells[0].text = "某市总工会办公室　2024年1月5日印发"
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "bottom"):
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "8")
        borders.append(line)
    table._tbl.tblPr.append(borders)
    return table


def test_colophon_at_the_top_of_an_odd_page(rendered, tmp_path):
    d = docx.Document(rendered["sanxing-sanli-speech"])
    d.add_section(WD_SECTION.ODD_PAGE)
    _colophon_table(d)
    path = save(d, tmp_path, "colophon")
    f = only(codes(path, rendered["sanxing-sanli-speech"]), "F014")
    assert "版记在奇数页的顶部" in f.message
    number, _ = paragraph_starting(docx.Document(path), "抄送")
    assert f.paragraph == number


def test_missing_page_field(rendered, tmp_path):
    d = docx.Document(rendered["sanxing-sanli-speech"])
    footer = d.sections[0].footer._element
    for r in list(footer.iter(qn("w:r"))):
        if r.find(qn("w:fldChar")) is not None or r.find(qn("w:instrText")) is not None:
            r.getparent().remove(r)
    f = only(codes(save(d, tmp_path, "nofield"), rendered["sanxing-sanli-speech"]), "F012")
    assert "单页页码“— 1 —”是固定文字" in f.message


def test_issue_number_with_square_brackets(rendered, tmp_path):
    d = docx.Document(rendered["notice"])
    number, p = paragraph_starting(d, "某工发〔2024〕3号")
    for t in p.iter(qn("w:t")):
        t.text = t.text.replace("〔", "[").replace("〕", "]")
    f = only(codes(save(d, tmp_path, "brackets"), rendered["notice"]), "L004")
    assert f.paragraph == number and "六角括号" in f.message and f.quote == "某工发[2024]3号"


def test_zero_padded_date(rendered, tmp_path):
    d = docx.Document(rendered["request"])
    number, p = paragraph_starting(d, "2024年5月20日")
    for t in p.iter(qn("w:t")):
        t.text = t.text.replace("2024年5月20日", "2024年05月20日")
    f = only(codes(save(d, tmp_path, "padded"), rendered["request"]), "L005")
    assert f.paragraph == number and "应写成“2024年5月20日”" in f.message


def test_half_width_punctuation(rendered, tmp_path):
    d = docx.Document(rendered["sanxing-sanli-speech"])
    target = next(body_paragraphs(d))
    for run in target.runs:
        run.text = run.text.replace("，", ",")
    number = number_of(d, target)
    f = only(codes(save(d, tmp_path, "half"), rendered["sanxing-sanli-speech"]), "L008")
    assert f.paragraph == number and "半角标点“,”" in f.message


def test_numbering_gap(rendered, tmp_path):
    d = docx.Document(rendered["sanxing-sanli-speech"])
    number, p = paragraph_starting(d, "三、")
    first = next(t for t in p.iter(qn("w:t")) if t.text)
    first.text = first.text.replace("三、", "四、", 1)
    f = only(codes(save(d, tmp_path, "gap"), rendered["sanxing-sanli-speech"]), "L002")
    assert f.paragraph == number and "之前应有第 3 项" in f.message


# --- further format rules (not in the must-show list, one defect each) ---------------------------
def test_black_issuer_mark(rendered, tmp_path):
    """The 发文机关标志 style's colour set to black (the red is in the style, not on the runs)."""
    d = docx.Document(rendered["notice"])
    number, p = paragraph_starting(d, "某市总工会文件")
    assert p.find(f".//{qn('w:color')}") is None
    style_rpr(d, "GwIssuerMark").find(qn("w:color")).set(qn("w:val"), "000000")
    f = only(codes(save(d, tmp_path, "black"), rendered["notice"]), "F013")
    assert f.paragraph == number and "应为红色" in f.message


def test_missing_red_rule(rendered, tmp_path):
    d = docx.Document(rendered["notice"])
    number, p = paragraph_starting(d, "某工发〔2024〕3号")
    pbdr = p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}")
    pbdr.getparent().remove(pbdr)
    f = only(codes(save(d, tmp_path, "norule"), rendered["notice"]), "F013")
    assert "没有红色分隔线" in f.message


def test_kinsoku_off_and_compatibility_mode(rendered, tmp_path):
    # 正文 style: 段落 → 中文版式 → “按中文习惯控制首尾字符” unticked.
    d = docx.Document(rendered["sanxing-sanli-speech"])
    style_ppr(d, "Normal").find(qn("w:kinsoku")).set(qn("w:val"), "0")
    f = only(codes(save(d, tmp_path, "kinsoku"), rendered["sanxing-sanli-speech"]), "F017")
    assert "共" in f.message and f.paragraph == number_of(d, next(body_paragraphs(d)))
    # …and as a colleague's direct formatting on one paragraph, in a document whose style is right.
    d = docx.Document(rendered["sanxing-sanli-speech"])
    target = list(body_paragraphs(d))[2]
    off = OxmlElement("w:kinsoku")
    off.set(qn("w:val"), "0")
    target._p.get_or_add_pPr().append(off)
    f = only(codes(save(d, tmp_path, "kinsoku1"), rendered["sanxing-sanli-speech"]), "F017")
    assert "共 1 段" in f.message and f.paragraph == number_of(d, target)
    d = docx.Document(rendered["sanxing-sanli-speech"])
    for setting in d.settings.element.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "12")
    f = only(codes(save(d, tmp_path, "compat"), rendered["sanxing-sanli-speech"]), "F016")
    assert "compatibilityMode=12" in f.message


def test_small_page_numbers(rendered, tmp_path):
    """The 页码 style set to 五号: both footers use it, so both page numbers are reported."""
    d = docx.Document(rendered["sanxing-sanli-speech"])
    for footer in footers(d):
        assert footer.paragraphs[0].style.name == "页码"
    style_rpr(d, "GwPageNumber").find(qn("w:sz")).set(qn("w:val"), "21")
    found = codes(save(d, tmp_path, "small"), rendered["sanxing-sanli-speech"])
    assert [f.code for f in found] == ["F010", "F010"] and "五号（10.5 pt）" in found[0].message
    assert "单页" in found[0].message and "双页" in found[1].message


def test_colophon_without_rules(rendered, tmp_path):
    d = docx.Document(rendered["notice"])
    for part in {id(r.target_part): r.target_part for r in d.part.rels.values() if r.reltype.endswith("/footer")}.values():
        for borders in part.element.iter(qn("w:tblBorders")):
            for side in borders:
                side.set(qn("w:val"), "nil")
    for borders in d.element.body.iter(qn("w:tblBorders")):
        if "抄送" in "".join(t.text or "" for t in borders.getparent().getparent().iter(qn("w:t"))):
            for side in borders:
                side.set(qn("w:val"), "nil")
    f = only(codes(save(d, tmp_path, "colophon-rules"), rendered["notice"]), "F015")
    assert "首条、末条分隔线" in f.message
