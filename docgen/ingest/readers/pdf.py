"""PDF drafts via pdfplumber: text lines with their positions.

Positions say what a plain text dump loses: a line indented by about two characters starts a
paragraph, a line that stops well short of the right margin ends one, centred lines in a larger
size are the title (joined when it runs over two lines). Running page numbers (— 1 —) are left for
noise cleaning to drop and report.
"""

from __future__ import annotations

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
    for number, item in enumerate(raw, start=1):
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
