"""Markdown drafts via markdown-it-py: headings, paragraphs, lists and tables as draft lines.

The first heading is the title; the remaining heading levels, from the highest used, become
level 1 (一、) and level 2 (（一）). Ordered list items keep their numbers as typed text (1.).
Emphasis markers are dropped; a bold start of a paragraph is a run-in heading hint.
"""

from __future__ import annotations

import re
from pathlib import Path

from docgen.ingest.draft import Draft, Line
from docgen.ingest.readers.text import read_text


def read_markdown(path: Path) -> Draft:
    from markdown_it import MarkdownIt

    source = "\n".join(line.text for line in read_text(path).lines)
    parser = MarkdownIt("commonmark").enable("table")
    tokens = parser.parse(source)
    lines: list[Line] = []
    headings: list[tuple[Line, int]] = []
    ordered: list[int] = []  # counters of the open ordered lists
    row: list[str] | None = None
    table: list[list[str]] | None = None
    for index, token in enumerate(tokens):
        number = (token.map[0] + 1) if token.map else (lines[-1].number if lines else 1)
        if token.type == "ordered_list_open":
            ordered.append(int(token.attrGet("start") or 1) - 1)
        elif token.type == "ordered_list_close":
            ordered.pop()
        elif token.type == "list_item_open" and ordered and tokens[index - 1].type != "bullet_list_open":
            ordered[-1] += 1
        elif token.type == "table_open":
            table = []
        elif token.type == "table_close":
            lines.append(Line("", number, {"table": table}))
            table = None
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and table is not None:
            table.append(row or [])
        elif token.type == "inline":
            text, bold = _inline(token)
            parent = tokens[index - 1]
            if row is not None and parent.type in ("th_open", "td_open"):
                row.append(text)
                continue
            hints: dict = {}
            if parent.type == "heading_open":
                line = Line(text, number, hints)
                headings.append((line, int(parent.tag[1])))
                lines.append(line)
                continue
            if bold and bold < len(text):
                hints["bold_prefix"] = bold
            in_item = any(t.type == "list_item_open" for t in tokens[max(0, index - 3):index])
            if in_item and ordered and tokens[index - 2].type == "list_item_open":
                text = f"{ordered[-1]}.{text}"
            lines.append(Line(text, number, hints))
    if headings:
        first, _ = headings[0]
        if lines and lines[0] is first:
            first.hints["title"] = True
            headings = headings[1:]
        ranks = sorted({level for _, level in headings})
        for line, level in headings:
            rank = ranks.index(level) + 1
            if rank <= 2:
                line.hints["level"] = rank
    return Draft(path=path, lines=lines, unit="line", paragraphs=True)


def _inline(token) -> tuple[str, int]:
    """Plain text of an inline token (soft breaks as \\n) and the length of a bold start."""
    parts: list[str] = []
    bold_depth = 0
    bold_start = 0
    started_bold = False
    for child in token.children or []:
        if child.type == "strong_open":
            bold_depth += 1
            if not "".join(parts):
                started_bold = True
        elif child.type == "strong_close":
            bold_depth -= 1
            if started_bold and not bold_start:
                bold_start = len("".join(parts))
        elif child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append("\n")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content or "")
    text = "".join(parts).strip()
    if "**" in text or "__" in text:
        # CommonMark does not close ** before a Chinese character after punctuation
        # (**落实责任。**各单位…): strip the markers by hand.
        match = re.match(r"^(\*\*|__)(.+?)\1", text)
        if match and not bold_start:
            bold_start = len(match.group(2))
        text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    return text, bold_start
