"""Read any .docx into resolved paragraphs, and the format rules (``F…``) on it.

Formatting is resolved the way Word does: document defaults → the paragraph style chain
(``basedOn``) → the character style chain → direct formatting; within ``w:rFonts`` a theme
attribute (``eastAsiaTheme``) wins over the explicit name of the same slot, and a slot set at a
later level replaces both. So today's direct-formatted docgen output and a styled one read alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from docgen.lint import rules as _rules  # noqa: F401
from docgen.lint.registry import Finding, finding
from docgen.lint.text import HEADING_PATTERNS, Para, heading_of
from docgen.style.profile import Profile, mm_to_pt

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TWIPS_PER_MM = 1440 / 25.4


def q(name: str) -> str:
    return f"{{{W}}}{name}"


def _val(element, name: str = "val"):
    return None if element is None else element.get(q(name))


def _on(element) -> bool | None:
    """A toggle (w:b, w:kinsoku …): absent → None, present → its w:val (default on)."""
    if element is None:
        return None
    return _val(element) not in ("0", "false", "off")


# --- resolved properties ---------------------------------------------------------------------------
_FONT_SLOTS = ("eastAsia", "ascii", "hAnsi")


def _merge_rpr(props: dict, rpr) -> None:
    if rpr is None:
        return
    fonts = rpr.find(q("rFonts"))
    if fonts is not None:
        for slot in _FONT_SLOTS:
            name, theme = fonts.get(q(slot)), fonts.get(q(slot + "Theme"))
            if name is not None or theme is not None:
                props[slot] = name
                props[slot + "Theme"] = theme
        if fonts.get(q("hint")) is not None:
            props["hint"] = fonts.get(q("hint"))
    for key in ("sz", "color", "spacing"):
        element = rpr.find(q(key))
        if element is not None:
            props[key] = _val(element)
    bold = _on(rpr.find(q("b")))
    if bold is not None:
        props["b"] = bold


def _merge_ppr(props: dict, ppr) -> None:
    if ppr is None:
        return
    spacing = ppr.find(q("spacing"))
    if spacing is not None:
        for key in ("line", "lineRule", "before", "after"):
            if spacing.get(q(key)) is not None:
                props[key] = spacing.get(q(key))
    ind = ppr.find(q("ind"))
    if ind is not None:
        for key in ("left", "right", "firstLine", "hanging", "leftChars", "rightChars", "firstLineChars", "start", "end"):
            if ind.get(q(key)) is not None:
                props["ind_" + key] = ind.get(q(key))
    for key in ("jc",):
        element = ppr.find(q(key))
        if element is not None:
            props[key] = _val(element)
    for key in ("snapToGrid", "kinsoku", "overflowPunct", "pageBreakBefore"):
        value = _on(ppr.find(q(key)))
        if value is not None:
            props[key] = value
    border = ppr.find(q("pBdr"))
    if border is not None:
        props["borders"] = {child.tag.split("}")[1]: (child.get(q("val")), child.get(q("color")))
                            for child in border}


class Styles:
    """docDefaults and the style chains of one package."""

    def __init__(self, styles_element):
        self.by_id = {}
        self.default_paragraph = None
        self.default_rpr: dict = {}
        self.default_ppr: dict = {}
        if styles_element is None:
            return
        defaults = styles_element.find(q("docDefaults"))
        if defaults is not None:
            _merge_rpr(self.default_rpr, defaults.find(f"{q('rPrDefault')}/{q('rPr')}"))
            _merge_ppr(self.default_ppr, defaults.find(f"{q('pPrDefault')}/{q('pPr')}"))
        for style in styles_element.findall(q("style")):
            sid = style.get(q("styleId"))
            self.by_id[sid] = style
            if style.get(q("type")) == "paragraph" and style.get(q("default")) in ("1", "true"):
                self.default_paragraph = sid

    def chain(self, style_id: str | None) -> list:
        """The style and its ``basedOn`` ancestors, root first."""
        chain, seen = [], set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            chain.append(style)
            based = style.find(q("basedOn"))
            style_id = _val(based)
        return chain[::-1]

    def paragraph(self, ppr) -> tuple[dict, dict]:
        """Resolved (paragraph props, paragraph-level run props) of a paragraph's ``w:pPr``."""
        pprops, rprops = dict(self.default_ppr), dict(self.default_rpr)
        style_id = _val(ppr.find(q("pStyle"))) if ppr is not None else None
        for style in self.chain(style_id or self.default_paragraph):
            _merge_ppr(pprops, style.find(q("pPr")))
            _merge_rpr(rprops, style.find(q("rPr")))
        _merge_ppr(pprops, ppr)
        return pprops, rprops

    def run(self, paragraph_rprops: dict, rpr) -> dict:
        props = dict(paragraph_rprops)
        style_id = _val(rpr.find(q("rStyle"))) if rpr is not None else None
        for style in self.chain(style_id):
            _merge_rpr(props, style.find(q("rPr")))
        _merge_rpr(props, rpr)
        return props


@dataclass
class Run:
    text: str
    props: dict
    start: int  # offset in the paragraph's text

    @property
    def size_pt(self) -> float | None:
        return int(self.props["sz"]) / 2 if self.props.get("sz") else 10.0  # Word's default 10 pt

    @property
    def has_cjk(self) -> bool:
        return any(ord(ch) >= 0x2E80 and ch not in AMBIGUOUS for ch in self.text)


AMBIGUOUS = "“”‘’—…·"


@dataclass
class DocxPara:
    number: int  # 1-based, over every paragraph of the body in order (table cells included)
    text: str
    runs: list[Run]
    props: dict
    element: object
    in_table: bool = False
    table: object = None
    role: str | None = None
    section: int = 0
    page_break_before: bool = False  # a page or section break ends just before it

    @property
    def max_size(self) -> float:
        sizes = [r.size_pt for r in self.runs if r.text.strip()]
        return max(sizes) if sizes else 0.0


@dataclass
class DocxFile:
    path: Path
    package: object
    styles: Styles
    paragraphs: list[DocxPara]
    sections: list = field(default_factory=list)  # w:sectPr elements in order
    theme_fonts: dict = field(default_factory=dict)


def _paragraph_text_and_runs(p, styles: Styles, rprops: dict) -> tuple[str, list[Run]]:
    """Visible text: w:t of runs (field results included, field codes not), tabs, breaks."""
    runs, parts, offset = [], [], 0
    for r in p.iter(q("r")):
        text = ""
        for child in r:
            tag = child.tag
            if tag == q("t"):
                text += child.text or ""
            elif tag == q("tab"):
                text += "\t"
            elif tag == q("br") and _val(child, "type") not in ("page", "column"):
                text += "\n"
        if not text:
            continue
        runs.append(Run(text, styles.run(rprops, r.find(q("rPr"))), offset))
        parts.append(text)
        offset += len(text)
    return "".join(parts), runs


def _has_page_break(p) -> bool:
    return any(_val(br, "type") == "page" for br in p.iter(q("br")))


def read_docx(path: str | Path) -> DocxFile:
    """Open a .docx (python-docx) and resolve every body paragraph. Raises on an unreadable file
    (DocgenError for one too large to unpack)."""
    import docx

    from docgen.limits import check_docx_zip

    check_docx_zip(path)  # a zip bomb is refused with its own message
    package = docx.Document(str(path))
    styles = Styles(package.styles.element)
    body = package.element.body
    paragraphs: list[DocxPara] = []
    sections: list = []
    section = 0
    break_pending = False
    for block in body:
        if block.tag == q("p"):
            items = [(block, None)]
        elif block.tag == q("tbl"):
            items = [(p, block) for p in block.iter(q("p"))]
        else:
            continue
        for p, table in items:
            ppr = p.find(q("pPr"))
            pprops, rprops = styles.paragraph(ppr)
            text, runs = _paragraph_text_and_runs(p, styles, rprops)
            para = DocxPara(len(paragraphs) + 1, text, runs, pprops, p, in_table=table is not None, table=table,
                            section=section, page_break_before=break_pending or bool(pprops.get("pageBreakBefore")))
            paragraphs.append(para)
            if text.strip() or table is not None:
                break_pending = False
            if _has_page_break(p):
                break_pending = True
            sectpr = ppr.find(q("sectPr")) if ppr is not None else None
            if sectpr is not None:
                sections.append(sectpr)
                section += 1
                break_pending = _val(sectpr.find(q("type"))) != "continuous"
    final = body.find(q("sectPr"))
    if final is not None:
        sections.append(final)
    result = DocxFile(Path(path), package, styles, paragraphs, sections, _theme_fonts(package))
    assign_roles(result)
    return result


def _theme_fonts(package) -> dict:
    """minorEastAsia/majorEastAsia … → typeface, from the theme (Hans script when ea is empty)."""
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    fonts = {}
    for rel in package.part.rels.values():
        if rel.reltype.endswith("/theme"):
            from lxml import etree

            root = etree.fromstring(rel.target_part.blob)
            for kind in ("major", "minor"):
                node = root.find(f".//{{{a}}}{kind}Font")
                if node is None:
                    continue
                ea = node.find(f"{{{a}}}ea")
                name = ea.get("typeface") if ea is not None else ""
                if not name:
                    hans = node.find(f"{{{a}}}font[@script='Hans']")
                    name = hans.get("typeface") if hans is not None else ""
                fonts[f"{kind}EastAsia"] = name or "（主题未指定）"
                latin = node.find(f"{{{a}}}latin")
                fonts[f"{kind}HAnsi"] = fonts[f"{kind}Ascii"] = latin.get("typeface") if latin is not None else ""
    return fonts


# --- roles ---------------------------------------------------------------------------------------
def _is_red(color: str | None) -> bool:
    if not color or not re.fullmatch(r"[0-9A-Fa-f]{6}", color):
        return False
    r, g, b = int(color[:2], 16), int(color[2:4], 16), int(color[4:], 16)
    return r >= 0xB0 and g <= 0x50 and b <= 0x50


_ISSUE = re.compile(r"[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*第?\s*\d+\s*号")
_DATE_LINE = re.compile(r"^[（(]?\d{4}年\d{1,2}月\d{1,2}日[）)]?$")


def assign_roles(doc: DocxFile) -> None:
    """Guess each paragraph's role (a profile style name) from its text and look: 版头 up to the
    文号/red rule, the title (first large centred text), numbered headings, 附件 labels, the 署名
    block (right-aligned), the 版记 table, table cells, body."""
    paras = doc.paragraphs
    header_end = -1
    for index, para in enumerate(paras[:12]):
        borders = para.props.get("borders", {})
        red_rule = any(_is_red(color) for _, color in borders.values())
        if red_rule or (_ISSUE.search(para.text) and len(para.text.strip()) < 40):
            header_end = index
    for index, para in enumerate(paras[:header_end + 1]):
        text = para.text.strip()
        if _ISSUE.search(text):
            para.role = "issue_number"
        elif text.endswith("文件") or (para.max_size >= 26):
            para.role = "issuer_mark"
        elif para.in_table and para.max_size >= 26:
            para.role = "issuer_mark"
        else:
            para.role = "header_meta"
    state = "title"
    after_label = False
    for para in paras[header_end + 1:]:
        text = para.text.strip()
        if para.in_table:
            para.role = "colophon" if _is_colophon_table(para.table) else "table"
            continue
        if not text or para.max_size <= 2:
            para.role = "empty"
            continue
        jc = para.props.get("jc")
        if re.fullmatch(r"附件\s*\d*", text) and jc in (None, "left", "both", "start"):
            para.role, after_label = "attachment_label", True
            continue
        if after_label and jc == "center":
            para.role, after_label = "attachment_title", False
            continue
        after_label = False
        if state == "title":
            if jc == "center" and para.max_size >= 18:
                para.role = "title"
                state = "after_title"
                continue
            state = "body"
        elif state == "after_title":
            if jc == "center" and para.max_size >= 18:
                para.role = "title"
                continue
            if jc == "center":
                para.role = "subtitle"
                continue
            state = "body"
            if text.endswith(("：", ":")) and "。" not in text and len(text) <= 80:
                para.role = "recipients" if not text.startswith(("同志们", "各位")) else "salutation"
                continue
        if jc == "center" and re.match(r"^[表图]\s*\d", text):
            para.role = "table_caption"
        elif jc == "right":
            para.role = "signature_date" if _DATE_LINE.match(text) else "signature"
        elif text.startswith(("附件：", "附件:")):
            para.role = "attachment_note"
        elif heading_of(text):
            para.role = f"heading{heading_of(text)[0]}"
        elif re.match(r"^[（(]?(联系人|附注)", text):
            para.role = "note"
        else:
            para.role = "body"


def _is_colophon_table(table) -> bool:
    text = "".join(t.text or "" for t in table.iter(q("t")))
    return "印发" in text or text.startswith("抄送")


def paragraphs_for_content(doc: DocxFile) -> list[Para]:
    """The .docx as content paragraphs: number, text, role (attachment-note continuation lines
    get their role so they are not mistaken for headings)."""
    result = []
    previous = None
    for para in doc.paragraphs:
        if para.role == "empty":
            continue
        role = para.role if para.role != "body" else None
        if previous == "attachment_note" and role in (None, "heading3") and re.match(r"^\d+[.．]", para.text.strip()):
            role = "attachment_note_more"
        if role and role.startswith("heading"):
            role = None  # let the text rules read the numbering themselves
        result.append(Para(para.text, paragraph=para.number, role=role))
        previous = "attachment_note" if role in ("attachment_note", "attachment_note_more") else role
    return result


# --- format rules --------------------------------------------------------------------------------
def _at(code: str, message: str, para: DocxPara | None = None, quote: str | None = None) -> Finding:
    where = {"paragraph": para.number} if para is not None else {}
    if quote is None and para is not None and para.text.strip():
        quote = para.text.strip()[:16]
    return finding(code, message, quote=quote, **where)


def _twips(element, name: str) -> int | None:
    value = _val(element, name)
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None


def page_rules(doc: DocxFile, profile: Profile) -> list[Finding]:
    """F001 paper, F002 margins (±1 mm), per section."""
    found = []
    page = profile.page
    expected = {"top": page.margin_top_mm, "bottom": profile.margin_bottom_mm, "left": page.margin_left_mm,
                "right": profile.margin_right_mm}
    labels = {"top": "天头（上）", "bottom": "下白边", "left": "订口（左）", "right": "右白边"}
    for number, sectpr in enumerate(doc.sections, start=1):
        where = f"第 {number} 节：" if len(doc.sections) > 1 else ""
        size = sectpr.find(q("pgSz"))
        w, h = _twips(size, "w"), _twips(size, "h")
        if w and h:
            wmm, hmm = w / TWIPS_PER_MM, h / TWIPS_PER_MM
            if abs(wmm - page.width_mm) > 1 or abs(hmm - page.height_mm) > 1:
                found.append(_at("F001", f"{where}纸张为 {wmm:.0f} mm × {hmm:.0f} mm，应为 "
                                         f"{page.width_mm:g} mm × {page.height_mm:g} mm"))
        margins = sectpr.find(q("pgMar"))
        if margins is None:
            continue
        gutter = (_twips(margins, "gutter") or 0) / TWIPS_PER_MM
        wrong = []
        for side, want in expected.items():
            got = (_twips(margins, side) or 0) / TWIPS_PER_MM + (gutter if side == "left" else 0)
            if abs(got - want) > 1:
                wrong.append(f"{labels[side]} {got:.1f} mm（应为 {want:g} mm）")
        if wrong:
            found.append(_at("F002", f"{where}页边距不符：" + "；".join(wrong)))
    return found


def _body_paragraphs(doc: DocxFile) -> list[DocxPara]:
    return [p for p in doc.paragraphs if p.role in ("body", "heading1", "heading2", "heading3", "heading4",
                                                    "recipients", "salutation", "attachment_note", "note")]


def _grid(doc: DocxFile, para: DocxPara):
    index = min(para.section, len(doc.sections) - 1)
    return doc.sections[index].find(q("docGrid")) if doc.sections else None


def _type_area_twips(doc: DocxFile, para: DocxPara) -> tuple[float, float]:
    sectpr = doc.sections[min(para.section, len(doc.sections) - 1)]
    size, margins = sectpr.find(q("pgSz")), sectpr.find(q("pgMar"))
    width = (_twips(size, "w") or 11906) - (_twips(margins, "left") or 0) - (_twips(margins, "right") or 0) \
        - (_twips(margins, "gutter") or 0)
    height = (_twips(size, "h") or 16838) - (_twips(margins, "top") or 0) - (_twips(margins, "bottom") or 0)
    return width, height


def _line_pitch(doc: DocxFile, para: DocxPara) -> tuple[float | None, str]:
    """The line pitch (twips) the paragraph is laid out at, and how it was decided."""
    rule, line = para.props.get("lineRule", "auto"), para.props.get("line")
    grid = _grid(doc, para)
    grid_on = grid is not None and _val(grid, "type") in ("lines", "linesAndChars", "snapToChars")
    if rule == "exact" and line:
        return int(line), f"固定行距 {int(line) / 20:g} 磅"
    if grid_on and para.props.get("snapToGrid", True) and _twips(grid, "linePitch"):
        pitch = _twips(grid, "linePitch")
        return pitch, f"文档网格行距 {pitch / 20:g} 磅"
    return None, "未设置文档网格或固定行距"


def grid_rules(doc: DocxFile, profile: Profile) -> list[Finding]:
    """F003 lines per page, F004 characters per line, on body-text paragraphs."""
    lines_seen: dict[str, list[DocxPara]] = {}
    chars_seen: dict[str, list[DocxPara]] = {}
    for para in _body_paragraphs(doc):
        width, height = _type_area_twips(doc, para)
        pitch, how = _line_pitch(doc, para)
        lines = int(height // pitch) if pitch else None
        if lines != profile.grid.lines:
            detail = f"{how}，每面 {lines} 行" if lines else how
            lines_seen.setdefault(detail, []).append(para)
        chars, how = _chars_per_line(doc, para, width)
        if chars is not None and chars != profile.grid.chars:
            chars_seen.setdefault(f"{how}，每行 {chars} 字", []).append(para)
    found = []
    for detail, paras in lines_seen.items():
        more = f"（共 {len(paras)} 段）" if len(paras) > 1 else ""
        found.append(_at("F003", f"{detail}，应为每面 {profile.grid.lines} 行（行距 "
                                 f"{profile.line_pitch_pt:g} 磅）{more}", paras[0]))
    for detail, paras in chars_seen.items():
        more = f"（共 {len(paras)} 段）" if len(paras) > 1 else ""
        found.append(_at("F004", f"{detail}，应为每行 {profile.grid.chars} 字{more}", paras[0]))
    return found


def _chars_per_line(doc: DocxFile, para: DocxPara, width_twips: float) -> tuple[int | None, str]:
    runs = [r for r in para.runs if r.has_cjk]
    if not runs:
        return None, ""
    run = max(runs, key=lambda r: len(r.text))
    size = run.size_pt
    grid = _grid(doc, para)
    if grid is not None and _val(grid, "type") in ("linesAndChars", "snapToChars") and para.props.get("snapToGrid", True):
        # Word's grid cell: the default paragraph font size + charSpace/4096 pt.
        base = int(doc.styles.default_rpr.get("sz") or 21) / 2
        for style in doc.styles.chain(doc.styles.default_paragraph):
            sz = style.find(f"{q('rPr')}/{q('sz')}")
            if sz is not None:
                base = int(_val(sz)) / 2
        pitch = base + (_twips(grid, "charSpace") or 0) / 4096
        return int(width_twips / 20 / pitch + 1e-6), f"网格字距 {pitch:.2f} 磅"
    spacing = int(run.props.get("spacing") or 0) / 20
    advance = size + spacing
    return int(width_twips / 20 / advance + 1e-6), f"{size:g} 磅字、字符间距 {spacing:g} 磅"


# Font families by role: the profile's names, and what other offices call them.
ROLE_WORDS = (
    ("xiaobiaosong", ("小标宋", "xiaobiaosong")),
    ("fangsong", ("仿宋", "fangsong")),
    ("kaiti", ("楷体", "kaiti", "楷")),
    ("heiti", ("黑体", "simhei", "heiti")),
    ("songti", ("宋体", "simsun", "songti", "nsimsun")),
)
ROLE_NAMES = {"xiaobiaosong": "小标宋", "fangsong": "仿宋", "kaiti": "楷体", "heiti": "黑体", "songti": "宋体"}


def font_role(name: str | None, profile: Profile) -> str | None:
    if not name:
        return None
    for role in ROLE_NAMES:
        if name == profile.font_family(role):
            return role
    lowered = name.lower()
    for role, words in ROLE_WORDS:
        if any(word in lowered for word in words):
            return role
    return None


# What each role's text should be set in; the speech's subtitle/byline/date may be 楷体 or 仿宋.
_ROLE_STYLE = {"title": "title", "attachment_title": "attachment_title", "heading1": "heading1", "heading2": "heading2",
               "heading3": "heading3", "heading4": "heading4", "body": "body", "recipients": "recipients",
               "salutation": "salutation", "signature": "signature", "signature_date": "signature_date",
               "attachment_label": "attachment_label", "note": "note", "attachment_note": "attachment_note",
               "subtitle": "subtitle", "table_caption": "table_caption"}


def _expected(para: DocxPara, run: Run, profile: Profile) -> tuple[set[str], float, str] | None:
    """(acceptable font roles, size, what) for a run of a paragraph."""
    style = _ROLE_STYLE.get(para.role or "")
    if style is None:
        return None
    if para.role and para.role.startswith("heading"):
        # A run-in heading: the heading's font up to its first 。, the body's after it.
        text = para.text
        stop = text.find("。")
        if 0 <= stop < run.start:
            style = "body"
    spec = profile.style(style)
    roles = {spec.font}
    if para.role == "subtitle":
        roles |= {"kaiti", "fangsong"}
    if para.role == "signature_date" or para.role == "signature":
        roles |= {"fangsong"}
    return roles, spec.size, ROLE_LABELS.get(style, "正文")


ROLE_LABELS = {"title": "标题", "body": "正文", "heading1": "一级标题", "heading2": "二级标题", "heading3": "三级标题",
               "heading4": "四级标题", "attachment_title": "附件标题", "attachment_label": "附件标识",
               "subtitle": "副标题", "recipients": "主送机关", "salutation": "称呼", "signature": "署名",
               "signature_date": "成文日期", "note": "附注", "attachment_note": "附件说明", "table_caption": "表题"}


def font_rules(doc: DocxFile, profile: Profile) -> list[Finding]:
    """F005 font, F006 size, F007 theme fonts, F008 ambiguous-width marks in a Latin font.

    One finding per distinct problem, at its first paragraph, with the number of paragraphs it
    affects: a document formatted wrongly throughout gives one line, not hundreds."""
    from docgen.style.profile import size_label

    seen: dict[tuple[str, str], list[tuple[DocxPara, str]]] = {}

    def report(code: str, para: DocxPara, message: str, quote: str) -> None:
        places = seen.setdefault((code, message), [])
        if not places or places[-1][0] is not para:
            places.append((para, quote))

    for para in doc.paragraphs:
        if para.role in (None, "empty", "table", "colophon", "header_meta", "issuer_mark", "issue_number"):
            continue
        for run in para.runs:
            if not run.text.strip():
                continue
            quote = run.text.strip()[:12]
            latin = run.props.get("ascii")
            if run.props.get("asciiTheme"):
                latin = doc.theme_fonts.get(run.props["asciiTheme"].replace("minorHAnsi", "minorAscii")
                                            .replace("majorHAnsi", "majorAscii"), latin)
            if any(ch in AMBIGUOUS for ch in run.text) and run.props.get("hint") != "eastAsia" \
                    and font_role(latin, profile) is None:
                report("F008", para, f"引号、破折号、省略号用西文字体“{latin or '默认'}”显示（会成半角）："
                                     "应设为中文字体，或设 w:hint=\"eastAsia\"", quote)
            if not run.has_cjk:
                continue
            expected = _expected(para, run, profile)
            if expected is None:
                continue
            roles, size, what = expected
            if run.size_pt != size:
                report("F006", para, f"{what}字号为 {size_label(run.size_pt)}，应为 {size_label(size)}", quote)
            theme = run.props.get("eastAsiaTheme")
            if theme:
                actual = doc.theme_fonts.get(theme, "主题字体")
                report("F007", para, f"中文字体取自主题“{theme}”（显示为“{actual}”），"
                                     f"写明的字体名“{run.props.get('eastAsia') or '无'}”不起作用", quote)
                continue
            east = run.props.get("eastAsia")
            if font_role(east, profile) not in roles:
                wanted = "或".join(ROLE_NAMES[r] for r in sorted(roles))
                hint = ""
                if font_role(latin, profile) in roles:
                    hint = f"（“{latin}”只设在西文字体上，中文字符用的是“{east or '默认字体'}”）"
                report("F005", para, f"{what}的中文字体是“{east or '未指定'}”，应为{wanted}{hint}", quote)
    found = []
    for (code, message), places in seen.items():
        more = f"（共 {len(places)} 段）" if len(places) > 1 else ""
        para, quote = places[0]
        found.append(_at(code, message + more, para, quote))
    return sorted(found, key=lambda f: f.paragraph or 0)


# --- footers, page numbers ------------------------------------------------------------------------
def _footer_parts(doc: DocxFile, sectpr) -> dict[str, object]:
    """footer type (default/even/first) → the footer's root element, for one section."""
    rid_attr = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    parts = {}
    rels = doc.package.part.rels
    for ref in sectpr.findall(q("footerReference")):
        rel = rels.get(ref.get(rid_attr))
        if rel is not None:
            parts[ref.get(q("type")) or "default"] = part_root(rel.target_part)
    return parts


def part_root(part):
    """The XML root of a part; a footer python-docx did not recognise is a plain Part with bytes."""
    element = getattr(part, "element", None)
    if element is None:
        from lxml import etree

        element = etree.fromstring(part.blob)
    return element


def _effective_footers(doc: DocxFile) -> list[dict[str, object]]:
    """Footers per section, inherited from the previous section where a type is not given."""
    result, current = [], {}
    for sectpr in doc.sections:
        current = {**current, **_footer_parts(doc, sectpr)}
        result.append(current)
    return result


def _page_field(root) -> tuple[bool, str | None, list]:
    """(has a PAGE field, its cached result or None, runs of the result)."""
    for simple in root.iter(q("fldSimple")):
        if "PAGE" in (simple.get(q("instr")) or "").upper().split():
            text = "".join(t.text or "" for t in simple.iter(q("t")))
            return True, text or None, list(simple.iter(q("r")))
    for p in root.iter(q("p")):
        state, is_page, result, runs = None, False, "", []
        for r in p.iter(q("r")):
            char = r.find(q("fldChar"))
            kind = _val(char, "fldCharType") if char is not None else None
            if kind == "begin":
                state, is_page = "code", False
            elif kind == "separate":
                state = "result"
            elif kind == "end":
                if is_page:
                    return True, result or None, runs
                state = None
            elif state == "code":
                instr = r.find(q("instrText"))
                if instr is not None and "PAGE" in (instr.text or "").upper().split():
                    is_page = True
            elif state == "result":
                result += "".join(t.text or "" for t in r.iter(q("t")))
                runs.append(r)
    return False, None, []


def _footer_text(root) -> str:
    """The footer's visible text with the PAGE field's result (field codes left out)."""
    texts = []
    for p in root.iter(q("p")):
        texts.append("".join(t.text or "" for t in p.iter(q("t"))))
    return "\n".join(t for t in texts if t.strip())


def _footer_paragraph(root):
    for p in root.iter(q("p")):
        if "".join(t.text or "" for t in p.iter(q("t"))).strip():
            return p
    return None


def _is_colophon_footer(root) -> bool:
    return any(_is_colophon_table(tbl) for tbl in root.iter(q("tbl")))


def page_number_rules(doc: DocxFile, profile: Profile) -> list[Finding]:
    """F009 format, F010 font and size, F011 position, F012 PAGE field, F019 none at all."""
    found = []
    footers = _effective_footers(doc)
    if not footers:
        return [_at("F019", "文档没有页脚页码")]
    settings = doc.package.settings.element
    odd_even = _on(settings.find(q("evenAndOddHeaders"))) or False
    main = footers[0]
    numbered = {kind: root for kind, root in main.items() if not _is_colophon_footer(root)
                and _footer_text(root).strip()}
    if not odd_even:
        numbered.pop("even", None)  # Word ignores the even footer without evenAndOddHeaders
    if not numbered:
        return [_at("F019", "文档没有页码（页脚为空）")]
    pattern = re.compile("^" + re.escape(profile.page_number.format).replace(re.escape("{n}"), r"\d+") + "$")
    for kind, root in numbered.items():
        label = {"default": "单页" if odd_even else "页脚", "even": "双页", "first": "首页"}.get(kind, kind)
        has_field, cached, runs = _page_field(root)
        text = _footer_text(root).strip()
        if not has_field:
            found.append(_at("F012", f"{label}页码“{text[:12]}”是固定文字，不是 PAGE 域：每页都会显示同一个数字",
                             quote=text[:12]))
        elif cached is None:
            found.append(_at("F012", f"{label}页码的 PAGE 域没有缓存结果：WPS 会显示域代码", quote=text[:12]))
        shown = text
        if not pattern.match(shown):
            found.append(_at("F009", f"{label}页码显示为“{shown[:12]}”，应为“{profile.page_number.format.format(n=1)}”"
                                     "（一字线 U+2014，不用连字符“-”）", quote=shown[:12]))
        found += _page_number_look(doc, root, runs, label, profile)
        if kind == "first":
            continue
        found += _page_number_place(doc, root, kind, odd_even, label, profile)
    if not odd_even and "default" in numbered:
        found.append(_at("F011", "单页、双页用同一个页脚（未设“奇偶页不同”）：页码应单页居右、双页居左"))
    return found


def _page_number_look(doc: DocxFile, root, runs, label: str, profile: Profile) -> list[Finding]:
    spec = profile.style("page_number")
    p = _footer_paragraph(root)
    if p is None:
        return []
    pprops, rprops = doc.styles.paragraph(p.find(q("pPr")))
    digits = runs or [r for r in p.iter(q("r")) if any((t.text or "").strip().isdigit() for t in r.iter(q("t")))]
    for r in digits:
        props = doc.styles.run(rprops, r.find(q("rPr")))
        size = int(props.get("sz") or 20) / 2
        font = props.get("ascii") or props.get("asciiTheme")
        if size != spec.size or font_role(font, profile) != spec.font:
            from docgen.style.profile import size_label

            return [_at("F010", f"{label}页码数字为“{font or '默认字体'}”{size_label(size)}，"
                                f"应为 {size_label(spec.size)}{ROLE_NAMES[spec.font]}")]
    return []


def _page_number_place(doc: DocxFile, root, kind: str, odd_even: bool, label: str, profile: Profile) -> list[Finding]:
    p = _footer_paragraph(root)
    if p is None:
        return []
    pprops, _ = doc.styles.paragraph(p.find(q("pPr")))
    side = profile.page_number.odd if kind == "default" else profile.page_number.even
    jc = {"start": "left", "end": "right", "both": "left", None: "left"}.get(pprops.get("jc"), pprops.get("jc"))
    if not odd_even:
        return [] if jc == side else [_at("F011", f"页码{_side(jc)}，应单页居右、双页居左")]
    if jc != side:
        return [_at("F011", f"{label}页码{_side(jc)}，应{_side(side)}")]
    size = profile.style("page_number").size
    chars = pprops.get(f"ind_{side}Chars")
    twips = pprops.get(f"ind_{side}")
    indent = int(chars) / 100 if chars else (int(twips) / (size * 20) if twips else 0)
    if abs(indent - profile.page_number.indent_chars) > 0.5:
        return [_at("F011", f"{label}页码距版心边缘 {indent:.1f} 字，应空 {profile.page_number.indent_chars:g} 字")]
    return []


def _side(jc: str | None) -> str:
    return {"left": "居左", "right": "居右", "center": "居中"}.get(jc or "left", f"对齐方式 {jc}")


# --- 版头 and 版记 ----------------------------------------------------------------------------------
def header_rules(doc: DocxFile, profile: Profile) -> list[Finding]:
    """F013: the 标志 red, and a red rule under the 文号."""
    marks = [p for p in doc.paragraphs if p.role == "issuer_mark"]
    if not marks:
        return []
    found = []
    for para in marks:
        colours = {r.props.get("color") for r in para.runs if r.text.strip()}
        if not all(_is_red(c) for c in colours):
            shown = "、".join(sorted(c or "自动（黑色）" for c in colours))
            found.append(_at("F013", f"发文机关标志的颜色为 {shown}，应为红色", para))
            break
    header = [p for p in doc.paragraphs if p.role in ("issuer_mark", "issue_number", "header_meta")]
    red_rule = any(_is_red(color) for p in header for _, color in p.props.get("borders", {}).values())
    if not red_rule:
        from lxml import etree

        xml = b"".join(etree.tostring(p.element) for p in header).upper()
        # A drawn line (DrawingML or VML shape) in red counts as the separator too.
        red_rule = (b"<W:DRAWING" in xml or b"<W:PICT" in xml) and (b"FF0000" in xml or b"RED" in xml)
    if not red_rule:
        last = header[-1]
        found.append(_at("F013", "版头没有红色分隔线（发文字号之下 4 mm 处，与版心等宽）", last))
    return found


def colophon_rules(doc: DocxFile, profile: Profile) -> list[Finding]:
    """F014 where the 版记 sits, F015 its rules and the page number on its page."""
    found = []
    body_tables = [p for p in doc.paragraphs if p.role == "colophon"]
    if body_tables:
        first = body_tables[0]
        table = first.table
        tblpr = table.find(q("tblPr"))
        floating = tblpr.find(q("tblpPr")) if tblpr is not None else None
        at_bottom = floating is not None and (_val(floating, "tblpYSpec") == "bottom")
        section = doc.sections[min(first.section, len(doc.sections) - 1)] if doc.sections else None
        start = _val(section.find(q("type"))) if section is not None else None
        if not at_bottom and first.page_break_before:
            where = "奇数页" if start == "oddPage" else "新一页"
            found.append(_at("F014", f"版记在{where}的顶部，应在偶数页、末条分隔线与版心下边缘重合", first))
        elif not at_bottom and start == "oddPage":
            found.append(_at("F014", "版记所在节从奇数页开始，版记应在偶数页", first))
        found += _colophon_lines(table, first, doc.styles)
    footers = _effective_footers(doc)
    for number, (sectpr, parts) in enumerate(zip(doc.sections, footers), start=1):
        own = [root for root in parts.values() if _is_colophon_footer(root)]
        if not own:
            continue
        for root in own:
            for tbl in root.iter(q("tbl")):
                if _is_colophon_table(tbl):
                    found += _colophon_lines(tbl, None, doc.styles)
        if _val(sectpr.find(q("type"))) not in ("evenPage",):
            found.append(_at("F014", f"第 {number} 节的页脚是版记，但该节不是从偶数页开始"))
        if any(_page_field(root)[0] for root in parts.values() if not _is_colophon_footer(root)):
            found.append(_at("F015", f"版记页（第 {number} 节）编了页码：版记页不编排页码"))
    return found


def _colophon_lines(table, para: DocxPara | None, styles: Styles | None = None) -> list[Finding]:
    def table_border(tblpr, side: str):
        borders = tblpr.find(q("tblBorders")) if tblpr is not None else None
        return borders.find(q(side)) if borders is not None else None

    def line(side: str) -> bool:
        tblpr = table.find(q("tblPr"))
        element = table_border(tblpr, side)
        if element is None and tblpr is not None and styles is not None:
            # Borders from the table style chain (a styled document's 版记 table).
            for style in reversed(styles.chain(_val(tblpr.find(q("tblStyle"))))):
                element = table_border(style.find(q("tblPr")), side)
                if element is not None:
                    break
        if element is not None and _val(element) not in ("nil", "none", None):
            return True
        rows = table.findall(q("tr"))
        row = rows[0] if side == "top" else rows[-1] if rows else None
        if row is None:
            return False
        for tc in row.findall(q("tc")):
            cell = tc.find(f"{q('tcPr')}/{q('tcBorders')}/{q(side)}")
            if cell is not None and _val(cell) not in ("nil", "none"):
                return True
        return False

    missing = [name for side, name in (("top", "首条"), ("bottom", "末条")) if not line(side)]
    if missing:
        return [_at("F015", f"版记缺少{'、'.join(missing)}分隔线", para)]
    return []


# --- settings --------------------------------------------------------------------------------------
def settings_rules(doc: DocxFile, profile: Profile) -> list[Finding]:
    """F016 compatibility mode, F017 kinsoku off, F018 overflowPunct on."""
    found = []
    settings = doc.package.settings.element
    mode = None
    for setting in settings.iter(q("compatSetting")):
        if setting.get(q("name")) == "compatibilityMode":
            mode = int(setting.get(q("val")) or 0)
    if mode is None or mode < 14:
        shown = f"compatibilityMode={mode}" if mode is not None else "未声明 compatibilityMode（按 Word 2007 处理）"
        found.append(_at("F016", f"文档处于兼容模式（{shown}）：网格与标点压缩按旧版 Word 排版"))
    body = _body_paragraphs(doc)
    off = [p for p in body if p.props.get("kinsoku") is False]
    if off:
        found.append(_at("F017", f"关闭了中文换行禁则（共 {len(off)} 段）", off[0]))
    overflow = [p for p in body if p.props.get("overflowPunct", True)]
    if overflow:
        found.append(_at("F018", f"允许标点溢出边界（共 {len(overflow)} 段）：行末标点可能挤出版心", overflow[0]))
    return found


def format_findings(doc: DocxFile, profile: Profile) -> list[Finding]:
    from docgen.errors import DocgenError

    found = []
    for check in (page_rules, grid_rules, font_rules, page_number_rules, header_rules, colophon_rules, settings_rules):
        try:
            found += check(doc, profile)
        except Exception as exc:  # a construct the reader does not know: say so, never a traceback
            raise DocgenError(f"版式检查（{check.__name__}）无法处理此文件的结构（{type(exc).__name__}: {exc}）",
                              file=str(doc.path)) from None
    return found
