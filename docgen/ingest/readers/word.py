"""Word (.docx) drafts via python-docx: paragraphs and tables in body order.

A paragraph keeps its soft line breaks (``\\n``); Word's automatic list numbers, which live in
``numbering.xml`` and not in the text, are computed and written in front of the text, so typed
and automatic numbers look the same to structure recognition. Hints: heading styles, centred
alignment, a bold run-in prefix, page breaks; images are noted as not imported.
"""

from __future__ import annotations

import re
from pathlib import Path

from docgen.errors import DocgenError
from docgen.ingest.draft import Draft, Line
from docgen.limits import check_docx_zip

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)


def read_docx(path: Path) -> Draft:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    check_docx_zip(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError) as exc:
        raise DocgenError(f"无法打开 Word 文件（文件损坏或不是 .docx：{exc.__class__.__name__}）", file=str(path)) from None
    numbering = Numbering(document)
    lines: list[Line] = []
    notes: list[str] = []
    number = 0
    for element in document.element.body.iterchildren():
        if element.tag == f"{W}p":
            number += 1
            line = _paragraph(element, number, document, numbering)
            if element.findall(f".//{W}drawing") or element.findall(f".//{W}pict"):
                notes.append(f"第 {number} 段有图片，未导入（请在提纲里另行处理）")
            lines.append(line)
        elif element.tag == f"{W}tbl":
            rows = _table_rows(element)
            if any(re.match(r"^\s*抄\s*送|.*印\s*发\s*$", cell) for row in rows for cell in row):
                # docgen's own 版记 is a table: its cells are lines of the colophon
                lines += [Line(cell, number) for row in rows for cell in row if cell.strip()]
            elif rows:
                lines.append(Line("", number, {"table": rows}))
    return Draft(path=path, lines=lines, unit="paragraph", paragraphs=True, notes=notes)


def _text_of(element) -> tuple[str, list[tuple[str, bool]]]:
    """The paragraph's text (soft breaks as \\n, tabs kept) and its runs with bold flags."""
    runs: list[tuple[str, bool]] = []
    for run in element.iter(f"{W}r"):
        if run.getparent().tag in (f"{W}del", f"{W}moveFrom"):
            continue
        bold = _bold(run)
        parts = []
        for child in run:
            if child.tag == f"{W}t":
                parts.append(child.text or "")
            elif child.tag == f"{W}tab":
                parts.append("\t")
            elif child.tag in (f"{W}br", f"{W}cr"):
                if child.get(f"{W}type") not in ("page", "column"):
                    parts.append("\n")
            elif child.tag == f"{W}noBreakHyphen":
                parts.append("-")
        runs.append(("".join(parts), bold))
    return "".join(text for text, _ in runs), runs


def _bold(run) -> bool:
    props = run.find(f"{W}rPr")
    if props is None:
        return False
    b = props.find(f"{W}b")
    return b is not None and b.get(f"{W}val") not in ("0", "false", "off")


def _paragraph(element, number: int, document, numbering: "Numbering") -> Line:
    text, runs = _text_of(element)
    hints: dict = {}
    props = element.find(f"{W}pPr")
    style_id = None
    if props is not None:
        style = props.find(f"{W}pStyle")
        style_id = style.get(f"{W}val") if style is not None else None
        jc = props.find(f"{W}jc")
        if jc is not None and jc.get(f"{W}val") == "center":
            hints["center"] = True
    style_name = _style_name(document, style_id)
    heading = _HEADING_STYLE.match(style_name or "")
    if heading and 1 <= int(heading.group(1)) <= 2:
        hints["level"] = int(heading.group(1))
    if element.findall(f".//{W}br[@{W}type='page']") or (props is not None and props.find(f"{W}pageBreakBefore") is not None):
        hints["page_break"] = True
    label = numbering.label(props, style_id)
    if label:
        hints.pop("level", None)  # the number itself says the level
        text = label + text.lstrip()
    prefix = _bold_prefix(runs)
    if prefix:  # counted in the whole text, automatic number included
        hints["bold_prefix"] = prefix + len(label)
    return Line(text.replace("\u00a0", " ").rstrip(), number, hints)


def _bold_prefix(runs: list[tuple[str, bool]]) -> int:
    """Length of a bold run-in heading at the start of a paragraph whose rest is not bold."""
    length = 0
    for index, (text, bold) in enumerate(runs):
        if not bold:
            rest = "".join(t for t, _ in runs[index:]).strip()
            return length if length and rest else 0
        length += len(text)
    return 0


def _style_name(document, style_id: str | None) -> str | None:
    if not style_id:
        return None
    try:
        return document.styles.get_by_id(style_id, 1).name  # WD_STYLE_TYPE.PARAGRAPH
    except Exception:  # noqa: BLE001 - an unknown style id is just no hint
        return style_id


def _table_rows(table) -> list[list[str]]:
    rows = []
    for tr in table.iter(f"{W}tr"):
        cells = []
        for tc in tr.iter(f"{W}tc"):
            paragraphs = ["".join(_text_of(p)[0]) for p in tc.iter(f"{W}p")]
            cells.append("".join(p.strip() for p in paragraphs))
        rows.append(cells)
    return rows


class Numbering:
    """Word's automatic numbering: numbering.xml levels → the number a paragraph shows."""

    def __init__(self, document):
        self.abstract_of: dict[str, str] = {}
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        try:
            part = document.part.numbering_part
        except (NotImplementedError, KeyError, AttributeError):
            part = None
        if part is not None:
            root = part.element
            for abstract in root.findall(f"{W}abstractNum"):
                aid = abstract.get(f"{W}abstractNumId")
                for lvl in abstract.findall(f"{W}lvl"):
                    ilvl = int(lvl.get(f"{W}ilvl"))
                    fmt = _val(lvl.find(f"{W}numFmt")) or "decimal"
                    text = _val(lvl.find(f"{W}lvlText")) or ""
                    start = int(_val(lvl.find(f"{W}start")) or 1)
                    self.levels[(aid, ilvl)] = (fmt, text, start)
            for num in root.findall(f"{W}num"):
                self.abstract_of[num.get(f"{W}numId")] = _val(num.find(f"{W}abstractNumId"))
        for style in document.styles.element.findall(f"{W}style"):
            num_pr = style.find(f"{W}pPr/{W}numPr")
            if num_pr is not None:
                num_id = _val(num_pr.find(f"{W}numId"))
                ilvl = int(_val(num_pr.find(f"{W}ilvl")) or 0)
                self.style_num[style.get(f"{W}styleId")] = (num_id, ilvl)

    def label(self, props, style_id: str | None) -> str:
        num_id, ilvl = None, 0
        num_pr = props.find(f"{W}numPr") if props is not None else None
        if num_pr is not None:
            num_id = _val(num_pr.find(f"{W}numId"))
            ilvl = int(_val(num_pr.find(f"{W}ilvl")) or 0)
        elif style_id in self.style_num:
            num_id, ilvl = self.style_num[style_id]
        if not num_id or num_id == "0" or num_id not in self.abstract_of:
            return ""
        aid = self.abstract_of[num_id]
        if (aid, ilvl) not in self.levels:
            return ""
        counters = self.counters.setdefault(aid, [0] * 9)
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        fmt, text, start = self.levels[(aid, ilvl)]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        if fmt in ("bullet", "none"):
            return ""

        def value(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            level_fmt = self.levels.get((aid, level), ("decimal", "", 1))[0]
            return _format(counters[level] or 1, level_fmt)

        return re.sub(r"%(\d)", value, text)


def _val(element) -> str | None:
    return None if element is None else element.get(f"{W}val")


def _format(number: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "chineseLegalSimplified",
               "taiwaneseCounting", "japaneseCounting"):
        return cn_numeral(number)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(number))
    return str(number)


def cn_numeral(number: int) -> str:
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    if number < 20:
        return "十" + (digits[number % 10] if number % 10 else "")
    if number < 100:
        return digits[number // 10] + "十" + (digits[number % 10] if number % 10 else "")
    return str(number)
