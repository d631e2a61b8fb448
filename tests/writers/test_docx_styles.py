"""Named styles carry the format: what a clerk sees in Word's Styles gallery and gets when typing.

Opens the .docx of every example (as ``docgen render`` writes it) and checks that paragraphs use
the role's named style, that runs carry next to no direct font formatting, and that the styles
themselves hold fonts (all four slots), size, tracking, indents and outline levels."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree
from support.docxstyles import NS, Styles, direct_run_fonts, flatten, w

import docgen
from docgen.writers.docx import STYLE_NAMES

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ALL = ("sanxing-sanli-speech", "notice", "report", "request")

EXPECTED_NAMES = {
    "GwTitle": "公文标题", "GwSubtitle": "副标题", "GwRecipients": "主送机关", "GwHeading1": "一级标题",
    "GwHeading2": "二级标题", "GwHeading3": "三级标题", "GwHeading4": "四级标题",
    "GwAttachmentNote": "附件说明", "GwSignature": "署名", "GwSignatureDate": "成文日期", "GwNote": "附注",
    "GwAttachmentTitle": "附件标题", "GwColophon": "版记", "GwTable": "表格", "GwTableCaption": "表题",
    "GwHeading2Char": "二级标题字符",
}


def attr(element, name):
    return None if element is None else element.get(w(name))


def text_of(element) -> str:
    return "".join(t.text or "" for t in element.iter(w("t")))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("styled")
    packages = {}
    for name in ALL:
        [path] = docgen.render(EXAMPLES / f"{name}.yaml", formats=["docx"], outdir=out)
        with zipfile.ZipFile(path) as z:
            packages[name] = (path, {n: etree.fromstring(z.read(n)) for n in z.namelist()
                                     if n.startswith("word/") and n.endswith(".xml")})
    return packages


def text_paragraphs(root):
    return [p for p in root.iter(w("p")) if text_of(p).strip()]


@pytest.mark.parametrize("example", ALL)
def test_text_paragraphs_carry_a_named_style(rendered, example):
    _, parts = rendered[example]
    styles = Styles(parts["word/styles.xml"])
    paragraphs = text_paragraphs(parts["word/document.xml"])
    named = 0
    for p in paragraphs:
        ref = p.find("w:pPr/w:pStyle", NS)
        style_id = attr(ref, "val") or styles.default_paragraph
        assert style_id in styles.by_id, text_of(p)
        if style_id == "Normal" or styles.name(style_id) in {n for _, n in STYLE_NAMES.values()}:
            named += 1
    assert named / len(paragraphs) >= 0.9
    # Not everything is Normal: the roles are told apart by their styles.
    explicit = [p for p in paragraphs if p.find("w:pPr/w:pStyle", NS) is not None]
    assert len(explicit) >= 0.2 * len(paragraphs)


@pytest.mark.parametrize("example", ALL)
def test_few_runs_carry_direct_font_attributes(rendered, example):
    _, parts = rendered[example]
    runs = [r for r in parts["word/document.xml"].iter(w("r")) if r.find("w:t", NS) is not None]
    direct = [r for r in runs if direct_run_fonts(r)]
    print(f"{example}: {len(direct)}/{len(runs)} runs with direct font attributes")
    assert len(direct) <= 0.05 * len(runs), [text_of(r) for r in direct][:10]


def test_headings_and_title_use_their_styles(rendered):
    _, parts = rendered["sanxing-sanli-speech"]
    document = parts["word/document.xml"]
    by_style: dict[str, list[str]] = {}
    for p in text_paragraphs(document):
        by_style.setdefault(attr(p.find("w:pPr/w:pStyle", NS), "val") or "Normal", []).append(text_of(p))
    assert by_style["GwTitle"]
    assert all(t[0] in "一二三四五六七八九十" and "、" in t[:3] for t in by_style["GwHeading1"])
    # run-in 二级标题: the heading run takes the character style, the rest is plain 正文
    run_in = [r for r in document.iter(w("r")) if attr(r.find("w:rPr/w:rStyle", NS), "val") == "GwHeading2Char"]
    assert run_in and all(text_of(r).startswith("（") for r in run_in)


def test_styles_hold_fonts_size_tracking_and_outline_levels(rendered, profile):
    _, parts = rendered["notice"]
    styles = Styles(parts["word/styles.xml"])
    names = {sid: styles.name(sid) for sid in styles.by_id}
    for sid, name in EXPECTED_NAMES.items():
        assert names.get(sid) == name
    for sid, style in styles.by_id.items():
        if not sid.startswith("Gw") or style.get(w("type")) != "paragraph":
            continue
        fonts = style.find("w:rPr/w:rFonts", NS)
        assert all(attr(fonts, slot) for slot in ("ascii", "hAnsi", "eastAsia", "cs")), sid
        size = int(attr(style.find("w:rPr/w:sz", NS), "val"))
        spacing = attr(style.find("w:rPr/w:spacing", NS), "val")
        assert spacing == ("-5" if size == 32 else "0"), sid  # −0.25 pt only on 3号 (the grid)
    fonts = {sid: attr(styles.by_id[sid].find("w:rPr/w:rFonts", NS), "eastAsia")
             for sid in ("Normal", "GwTitle", "GwHeading1", "GwHeading2", "GwSignature")}
    assert fonts == {"Normal": "仿宋_GB2312", "GwTitle": "方正小标宋简体", "GwHeading1": "黑体",
                     "GwHeading2": "楷体_GB2312", "GwSignature": "仿宋_GB2312"}
    levels = {sid: attr(styles.by_id[sid].find("w:pPr/w:outlineLvl", NS), "val")
              for sid in ("GwHeading1", "GwHeading2", "GwHeading3", "GwHeading4")}
    assert levels == {"GwHeading1": "0", "GwHeading2": "1", "GwHeading3": "2", "GwHeading4": "3"}
    h1 = styles.by_id["GwHeading1"].find("w:pPr", NS)
    assert h1.find("w:keepNext", NS) is not None
    assert attr(h1.find("w:ind", NS), "firstLineChars") == "200"


def test_normal_and_defaults_give_new_text_the_body_format(rendered):
    """A paragraph typed or pasted in Word gets Normal (shown as 正文): 3号仿宋, exact 28.95 pt
    lines, two-字 first-line indent, −0.25 pt tracking (28 字 a line), 禁则 on, no hanging."""
    _, parts = rendered["sanxing-sanli-speech"]
    root = parts["word/styles.xml"]
    for rpr in (root.find("w:docDefaults/w:rPrDefault/w:rPr", NS), Styles(root).by_id["Normal"].find("w:rPr", NS)):
        assert attr(rpr.find("w:rFonts", NS), "eastAsia") == "仿宋_GB2312"
        assert attr(rpr.find("w:sz", NS), "val") == "32"
        assert attr(rpr.find("w:spacing", NS), "val") == "-5"
    for ppr in (root.find("w:docDefaults/w:pPrDefault/w:pPr", NS), Styles(root).by_id["Normal"].find("w:pPr", NS)):
        assert ppr.find("w:kinsoku", NS) is not None
        assert attr(ppr.find("w:overflowPunct", NS), "val") == "0"
        assert attr(ppr.find("w:spacing", NS), "line") == "579"
    normal_ind = Styles(root).by_id["Normal"].find("w:pPr/w:ind", NS)
    assert attr(normal_ind, "firstLineChars") == "200"


def test_compatibility_mode_15(rendered):
    _, parts = rendered["notice"]
    settings = parts["word/settings.xml"]
    modes = [attr(s, "val") for s in settings.iter(w("compatSetting")) if attr(s, "name") == "compatibilityMode"]
    assert modes == ["15"]


def test_python_docx_sees_the_styles_and_a_plain_paragraph_is_body(rendered, tmp_path):
    path, _ = rendered["sanxing-sanli-speech"]
    document = docx.Document(str(path))
    names = {s.name for s in document.styles}
    assert {"公文标题", "一级标题", "二级标题", "三级标题", "四级标题"} <= names
    document.add_paragraph("新增的一段正文。")
    document.add_paragraph("五、新增的一级标题", style="一级标题")
    target = tmp_path / "edited.docx"
    document.save(target)
    with zipfile.ZipFile(target) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
        styles = etree.fromstring(z.read("word/styles.xml"))
    flat = flatten(doc, styles)
    added, heading = text_paragraphs(flat)[-2:]
    run = added.find("w:r/w:rPr", NS)
    assert attr(run.find("w:rFonts", NS), "eastAsia") == "仿宋_GB2312"
    assert (attr(run.find("w:sz", NS), "val"), attr(run.find("w:spacing", NS), "val")) == ("32", "-5")
    hrun = heading.find("w:r/w:rPr", NS)
    assert attr(hrun.find("w:rFonts", NS), "eastAsia") == "黑体"
    assert attr(heading.find("w:pPr/w:outlineLvl", NS), "val") == "0"


def test_font_table_declares_substitutes(rendered):
    _, parts = rendered["notice"]
    fonts = {attr(f, "name"): f for f in parts["word/fontTable.xml"].findall("w:font", NS)}
    def alt(name):
        return attr(fonts[name].find("w:altName", NS), "val")
    assert alt("仿宋_GB2312") == "仿宋" and alt("仿宋") == "FangSong"
    assert alt("楷体_GB2312") == "楷体" and alt("楷体") == "KaiTi"
    assert alt("方正小标宋简体") == "方正小标宋_GBK"
    for name in ("仿宋_GB2312", "楷体_GB2312", "黑体", "方正小标宋简体"):
        assert attr(fonts[name].find("w:charset", NS), "val") == "86"
        assert len(attr(fonts[name].find("w:panose1", NS), "val")) == 20
    assert attr(fonts["Times New Roman"].find("w:family", NS), "val") == "roman"


def test_windows_profile_preset_names_the_windows_fonts(tmp_path):
    [path] = docgen.render(EXAMPLES / "notice.yaml", formats=["docx"], outdir=tmp_path, profile="windows")
    with zipfile.ZipFile(path) as z:
        styles = Styles(etree.fromstring(z.read("word/styles.xml")))
    assert attr(styles.by_id["Normal"].find("w:rPr/w:rFonts", NS), "eastAsia") == "仿宋"
    assert attr(styles.by_id["GwHeading2"].find("w:rPr/w:rFonts", NS), "eastAsia") == "楷体"
