"""Readers: one module per draft format, each returning a :class:`docgen.ingest.draft.Draft`."""

from __future__ import annotations

from pathlib import Path

from docgen.errors import DocgenError
from docgen.ingest.draft import Draft

CONVERTED = (".doc", ".wps", ".odt", ".rtf")
SUPPORTED = (".txt", ".text", ".md", ".markdown", ".docx", ".pdf", *CONVERTED)


def read_draft(path: str | Path) -> Draft:
    """Read a draft by its extension; every failure is a Chinese DocgenError (exit 2)."""
    path = Path(path)
    if not path.exists():
        raise DocgenError("稿子文件不存在", file=str(path))
    if path.is_dir():
        raise DocgenError("这是一个目录，不是稿子文件", file=str(path))
    suffix = path.suffix.lower()
    if suffix in (".txt", ".text", ""):
        from docgen.ingest.readers.text import read_text

        return read_text(path)
    if suffix in (".md", ".markdown"):
        from docgen.ingest.readers.markdown import read_markdown

        return read_markdown(path)
    if suffix == ".docx":
        from docgen.ingest.readers.word import read_docx

        return read_docx(path)
    if suffix == ".pdf":
        from docgen.ingest.readers.pdf import read_pdf

        return read_pdf(path)
    if suffix in CONVERTED:
        from docgen.ingest.readers.office import read_converted

        return read_converted(path)
    names = "、".join(s for s in SUPPORTED)
    raise DocgenError(f"不支持的稿子格式“{path.suffix}”；可导入：{names}", file=str(path))
