"""The library API that the CLI wraps: load → compose → write.

>>> import docgen
>>> docgen.render("examples/sanxing-sanli-speech.yaml", formats=["docx"], outdir="outputs")
[PosixPath('outputs/sanxing-sanli-speech.docx')]
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from docgen.errors import DocgenError
from docgen.model import Document
from docgen.style.profile import Profile, load_profile

FORMATS = ("docx", "pdf")


def load_outline(path: str | Path):
    """Read and validate an outline file (:class:`docgen.outline.loader.LoadedOutline`)."""
    from docgen.outline.loader import load_outline as _load

    return _load(path)


def build_document(
    outline: str | Path,
    *,
    profile: Profile | str | Path | None = None,
    templates: str | Path | None = None,
    allow_paths: Iterable[str | Path] = (),
) -> tuple[Document, Profile]:
    """Outline file → the Document model (and the profile it was composed with)."""
    if not isinstance(profile, Profile):
        profile = load_profile(profile)
    user_templates = templates_dir(templates)
    loaded = load_outline(outline)
    reject_merge_fields(loaded.source)
    return document_from(loaded, profile, user_templates, allow_paths=allow_paths), profile


def reject_merge_fields(source) -> None:
    """A ``{{ 列名 }}`` left in a single document would be printed as is: stop and say so."""
    from docgen.errors import OutlineError

    problems = []

    def walk(value, path):
        if isinstance(value, str) and ("{{" in value or "{%" in value):
            problems.append(source.problem(
                "含有批量占位符 {{ … }}：单份生成时请换成实际内容，或用 docgen batch --data 提供数据表", path))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, index))

    walk(source.data, ())
    if problems:
        raise OutlineError(problems)


def document_from(loaded, profile: Profile, user_templates: Path | None = None, *,
                  allow_paths: Iterable[str | Path] = ()) -> Document:
    """A validated outline (:class:`LoadedOutline`) → the Document model.

    Files the outline names must lie in its folder, ``user_templates`` or ``allow_paths``.
    """
    from docgen.compose import compose
    from docgen.outline.frameworks import apply_framework

    data = loaded.outline
    if data.kind == "speech":
        data = apply_framework(data, loaded.problem, user_templates)
    document = compose(data, profile, user_templates, base_dir=loaded.source.path.parent,
                       allow_paths=[Path(p) for p in allow_paths], where=loaded.problem)
    if not document.blocks:
        raise DocgenError("模板没有生成任何内容", file=str(loaded.source.path))
    return document


def render(
    outline: str | Path,
    formats: Iterable[str] = ("docx",),
    outdir: str | Path = "outputs",
    *,
    profile: Profile | str | Path | None = None,
    templates: str | Path | None = None,
    font_dir: str | Path | None = None,
    preview: bool = False,
    warn=None,
    allow_paths: Iterable[str | Path] = (),
) -> list[Path]:
    """Render one outline into ``outdir/<outline stem>.<format>`` for each format.

    Every output is produced in memory first and then written atomically, so an error in any
    format leaves no file behind. ``warn(message)`` receives notices such as characters that had to
    be drawn from a fallback font. Files the outline names (``csv:``, ``印章``) must lie in the
    outline's folder, ``templates`` or one of ``allow_paths``.
    """
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise DocgenError(f"不支持的格式：{'、'.join(unknown)}；可用：{'、'.join(FORMATS)}")
    if preview and "pdf" not in formats:
        formats.append("pdf")
    document, profile = build_document(outline, profile=profile, templates=templates, allow_paths=allow_paths)
    if warn:
        from docgen.lint import lint

        for finding in lint(document):
            warn(str(finding))
    outputs: dict[str, bytes] = {}
    for fmt in formats:
        outputs[fmt] = encode(fmt, document, profile, font_dir, warn)
    stem = Path(outline).stem
    extra: dict[str, bytes] = {}
    if preview:
        extra = {f"{stem}-{n}.png": png for n, png in enumerate(preview_pages(outputs["pdf"]), start=1)}
    from docgen.output import write_atomic

    outdir = Path(outdir)
    written = [write_atomic(outdir / f"{stem}.{fmt}", data) for fmt, data in outputs.items()]
    written += [write_atomic(outdir / name, data) for name, data in extra.items()]
    return written


def encode(fmt: str, document: Document, profile: Profile, font_dir=None, warn=None) -> bytes:
    """The bytes of one output format for a document."""
    buffer = io.BytesIO()
    if fmt == "docx":
        from docgen.writers.docx import layout_metrics, write_docx

        # Where the 版记 goes follows the layout's pagination with the PDF's FontSet (same
        # font_dir) when built, so both outputs put it on the same page. Loading fonts costs
        # ≈0.3 s once a process: only for documents that have a 版记.
        metrics = layout_metrics(profile, font_dir) if document.colophon else None
        write_docx(document, profile, buffer, metrics=metrics)
    else:
        from docgen.writers.pdf import write_pdf

        fontset = load_fontset(profile, font_dir)
        write_pdf(document, profile, buffer, fontset=fontset)
        for fallback in fontset.take_fallbacks():
            if warn:
                warn(f"字体替代：{fallback}")
    return buffer.getvalue()


def load_fontset(profile: Profile, font_dir=None):
    """The PDF fonts for a profile (resolved and registered once per process)."""
    from docgen.fonts import FontSet

    return FontSet.load(profile, font_dir=Path(font_dir) if font_dir else None, paths=profile.font_paths())


def preview_pages(pdf: bytes, scale: float = 1.0) -> list[bytes]:
    """PNG images of the PDF's pages (72 dpi × scale), for a quick look."""
    try:
        import pypdfium2 as pdfium
    except ImportError:
        raise DocgenError("预览需要 pypdfium2：pip install 'docgen[preview]'") from None
    pages = []
    document = pdfium.PdfDocument(pdf)
    for page in document:
        image = page.render(scale=scale).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        pages.append(buffer.getvalue())
    return pages


def templates_dir(templates: str | Path | None) -> Path | None:
    if templates is None:
        return None
    path = Path(templates)
    if not path.is_dir():
        raise DocgenError("模板目录不存在", file=str(path))
    return path
