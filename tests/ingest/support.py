"""Helpers for the import tests: a document's visible text and structure, for comparisons."""

from __future__ import annotations

import re
from pathlib import Path

from docgen.api import build_document
from docgen.model import Block, Chart, Signoff, Table

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DATA = Path(__file__).with_name("data")
ROUND_TRIP = ["sanxing-sanli-speech", "notice", "request", "report"]


def squeeze(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text or "")


def structure(outline: Path, charts: bool = True, tables: bool = True) -> list[tuple]:
    """What a reader sees: 版头, every body element with its style, attachments, 版记."""
    document, _ = build_document(outline)
    items: list[tuple] = [("title", squeeze(document.meta.title))]
    header = document.header
    if header:
        items.append(("header", header.copy_number, header.secrecy, header.urgency,
                      header.mark.names if header.mark else None, header.number, header.signers))
    for block in document.blocks:
        if isinstance(block, Block):
            items.append((block.style, block.level, squeeze(block.text)))
        elif isinstance(block, Signoff):
            items.append(("signoff", block.names, block.date))
        elif isinstance(block, Table) and tables:
            items.append(("table", block.caption, block.columns, block.rows))
        elif isinstance(block, Chart) and charts:
            items.append(("chart", block.caption))
    for attachment in document.attachments:
        items.append(("attachment", attachment.label, squeeze(attachment.title),
                      tuple(squeeze(b.text) for b in attachment.blocks)))
    if document.colophon:
        items.append(("colophon", document.colophon.cc, document.colophon.printer, document.colophon.print_date))
    return items
