"""PDF drafts via pdfplumber: text lines with their positions.

Positions say what a plain text dump loses: a line indented by about two characters starts a
paragraph, a line that stops well short of the right margin ends one, centred lines in a larger
size are the title (joined when it runs over two lines). Running page numbers (— 1 —) are left for
noise cleaning to drop and report.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from docgen.errors import DocgenError
from docgen.ingest.clean import _PAGE_NUMBER
from docgen.ingest.draft import Draft, Line


def read_pdf(path: Path) -> Draft:
    import pdfplumber

    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for broken files
        raise DocgenError(f"无法打开 PDF 文件（文件损坏或不是 PDF：{exc.__class__.__name__}）", file=str(path)) from None
    lines: list[Line] = []
    notes: list[str] = []
    with pdf:
        raw = []
        for page_number, page in enumerate(pdf.pages, start=1):
            for item in page.extract_text_lines(return_chars=True, strip=True):
                chars = [c for c in item["chars"] if c["text"].strip() or c["text"] == " "]
                if not chars:
                    continue
                raw.append({
                    "cells": _cells(chars),
                    "text": item["text"], "x0": item["x0"], "x1": item["x1"], "top": item["top"],
                    "bottom": item["bottom"], "size": Counter(round(c["size"]) for c in chars).most_common(1)[0][0],
                    "page": page_number, "width": page.width,
                })
            if page.images:
                notes.append(f"第 {page_number} 页有图片，未导入")
    if not raw:
        raise DocgenError("PDF 里没有可提取的文字（可能是扫描件，需要先做文字识别）", file=str(path))
    body_size = Counter(r["size"] for r in raw).most_common(1)[0][0]
    body = [r for r in raw if r["size"] == body_size]
    left = Counter(round(r["x0"]) for r in body).most_common(1)[0][0]
    right = max(r["x1"] for r in body)
    previous = None
    index = 0
    while index < len(raw):
        item = raw[index]
        number = index + 1
        index += 1
        rows = _table_after(raw, index - 1, body_size)
        if rows:
            # 表N caption, then rows of cells separated by wide gaps: one table
            lines.append(Line(item["text"], number, {"gap": "break"}))
            lines.append(Line("", number + 1, {"table": rows}))
            index += len(rows)
            previous = None
            continue
        size = item["size"]
        centred = abs((item["x0"] + item["x1"]) / 2 - item["width"] / 2) < size and item["x0"] > left + 2 * size
        hints = {"x0": round(item["x0"], 1), "page": item["page"], "center": centred}
        gap = "join"
        if previous is None:
            gap = "break"
        else:
            same_title = (size == previous["size"] and size > body_size
                          and item["page"] == previous["page"] and item["top"] - previous["bottom"] < size)
            if same_title:
                gap = "join"
            elif (item["x0"] > left + 1.2 * size or centred or previous["centred"] or size != previous["size"]
                  or previous["x1"] < right - 1.5 * size or item["top"] - previous["bottom"] > 1.2 * size
                  and item["page"] == previous["page"]):
                gap = "break"
        hints["gap"] = gap
        lines.append(Line(item["text"], number, hints))
        if not _PAGE_NUMBER.match(item["text"]):  # a page's number does not end the paragraph it cuts
            previous = {**item, "centred": centred}
    return Draft(path=path, lines=lines, unit="line", paragraphs=False, notes=notes)


def _table_after(raw: list[dict], index: int, body_size: float) -> list[list[str]]:
    if not re.match(r"^表\s*\d+\s", raw[index]["text"]) or index + 1 >= len(raw):
        return []
    width = len(raw[index + 1]["cells"])
    if width < 2:
        return []
    rows = []
    for item in raw[index + 1:]:
        if len(item["cells"]) != width or item["size"] > body_size:
            break
        rows.append(item["cells"])
    return rows if len(rows) >= 2 else []


def _cells(chars: list[dict]) -> list[str]:
    """A line's text split where the gap between characters is wider than one character: the
    columns of a table row."""
    cells: list[str] = []
    current = ""
    last = None
    for char in sorted(chars, key=lambda c: c["x0"]):
        if last is not None and char["x0"] - last["x1"] > char["size"] * 1.0:
            cells.append(current.strip())
            current = ""
        current += char["text"]
        last = char
    cells.append(current.strip())
    return [c for c in cells if c]
