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

    Every output is produced in memory first and then written all or nothing
    (:func:`docgen.output.write_outputs`): an error in any format, or a target that cannot be
    written, leaves no new file behind and older files of the same names untouched.
    ``warn(message)`` receives notices such as characters that had to be drawn from a fallback
    font. Files the outline names (``csv:``, ``印章``) must lie in the outline's folder,
    ``templates`` or one of ``allow_paths``.
    """
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise DocgenError(f"不支持的格式：{'、'.join(unknown)}；可用：{'、'.join(FORMATS)}")
    if preview and "pdf" not in formats:
        formats.append("pdf")
    from docgen.output import check_folder, write_outputs

    outdir = Path(outdir)
    check_folder(outdir, option="-o/--outdir")  # before the work of rendering
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
    files = {outdir / f"{stem}.{fmt}": data for fmt, data in outputs.items()}
    files.update({outdir / name: data for name, data in extra.items()})
    return write_outputs(files, option="-o/--outdir")


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
        fallbacks = fontset.take_fallbacks()
        if warn:
            from docgen.fonts.fontset import document_font_roles

            for notice in fontset.stand_ins(document_font_roles(document, profile), profile):
                warn(notice)
            for fallback in fallbacks:
                warn(f"字体替代：{fallback}")
    return buffer.getvalue()


def load_fontset(profile: Profile, font_dir=None):
    """The PDF fonts for a profile (resolved and registered once per process)."""
    from docgen.fonts.fontset import load_fontset as _load

    return _load(profile, font_dir)


def write_template(
    output: str | Path,
    kind: str = "speech",
    *,
    profile: Profile | str | Path | None = None,
) -> Path:
    """Write a Word template (.dotx) for ``kind`` (speech / notice / report) with the profile's
    named styles, page setup, grid, “— N —” footers and placeholders (notices: the 版头 block)."""
    from docgen.writers.docx import TEMPLATE_KINDS, write_template as _write

    if kind not in TEMPLATE_KINDS:
        raise DocgenError(f"不认识的类型“{kind}”；可用：speech（讲话稿）、notice（通知）、report（报告）")
    if not isinstance(profile, Profile):
        profile = load_profile(profile)
    buffer = io.BytesIO()
    _write(profile, buffer, kind)
    from docgen.output import write_atomic

    return write_atomic(Path(output), buffer.getvalue())


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
    try:
        usable = path.is_dir()
    except OSError:  # e.g. a name too long for the file system
        usable = False
    if not usable:
        raise DocgenError(f"模板目录 {path} 不存在或无法打开（-t/--templates）")
    return path


# --- import drafts (docgen import / docgen format) ---------------------------------------------
def import_draft(path: str | Path, kind: str | None = None, framework: str | None = None,
                 templates: str | Path | None = None):
    """A draft (.txt/.md/.docx/.pdf, .doc/.wps/.odt via LibreOffice) → ``(outline dict, findings)``.

    The outline is what ``docgen render`` accepts; findings say what was dropped and guessed.
    """
    from docgen.ingest import import_draft as _import

    result = _import(path, kind=kind, framework=framework, templates=templates)
    return result.outline, result.findings


def write_imported(path: str | Path, output: str | Path | None = None, *, kind: str | None = None,
                   framework: str | None = None, templates: str | Path | None = None):
    """Import a draft and write its outline YAML (default: beside the draft, ``<stem>.yaml``).

    Returns ``(written path, ImportResult)``; the YAML is checked by the real loader first, so a
    written outline always renders.
    """
    from docgen.ingest import import_draft as _import
    from docgen.output import write_atomic

    result = _import(path, kind=kind, framework=framework, templates=templates)
    output = Path(output) if output else Path(path).with_suffix(".yaml")
    if output.resolve() == Path(path).resolve():
        raise DocgenError("提纲文件不能覆盖稿子本身；请用 -o 另指定文件名", file=str(output))
    text = result.yaml()
    _validate_imported(text, output)
    return write_atomic(output, text.encode("utf-8")), result


def _validate_imported(text: str, output: Path) -> None:
    """Load the YAML the way ``docgen render`` will (a bug here must not leave a broken outline)."""
    import tempfile

    from docgen.outline.loader import load_outline as _load

    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / output.name
        probe.write_text(text, encoding="utf-8")
        _load(probe)


def format_draft(path: str | Path, formats: Iterable[str] = ("docx",), outdir: str | Path = "outputs", *,
                 kind: str | None = None, framework: str | None = None, profile=None,
                 templates: str | Path | None = None, font_dir=None, keep_outline: bool = False, warn=None):
    """一键排版: import a draft and render it; returns ``(written paths, ImportResult)``.

    The intermediate outline is written to ``outdir/<stem>.yaml`` with ``keep_outline`` (so a
    guess can be fixed and re-rendered), otherwise to a temporary folder that is removed.
    """
    import tempfile

    outdir = Path(outdir)
    stem = Path(path).stem
    if keep_outline:
        outline_path, result = write_imported(path, outdir / f"{stem}.yaml", kind=kind, framework=framework,
                                              templates=templates)
        written = render(outline_path, formats, outdir, profile=profile, templates=templates,
                         font_dir=font_dir, warn=warn)
        return [outline_path, *written], result
    with tempfile.TemporaryDirectory() as folder:
        outline_path, result = write_imported(path, Path(folder) / f"{stem}.yaml", kind=kind,
                                              framework=framework, templates=templates)
        written = render(outline_path, formats, outdir, profile=profile, templates=templates,
                         font_dir=font_dir, warn=warn)
    return written, result


# --- docgen check ----------------------------------------------------------------------------------
class CheckResult:
    """What :func:`check` found: the findings of every readable file, and the files it could not
    read (path → Chinese reason)."""

    def __init__(self, findings, unreadable):
        self.findings = findings
        self.unreadable = unreadable

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def exit_code(self) -> int:
        """0 no errors, 1 errors, 2 a file could not be read."""
        return 2 if self.unreadable else 1 if self.errors else 0


def check(paths, *, profile: Profile | str | Path | None = None, disable=None) -> CheckResult:
    """Check outlines (.yaml), .docx files and text drafts against GB/T 9704 (the profile).

    >>> result = docgen.check(["通知.docx"])
    >>> [str(f) for f in result.findings]
    ['F009 通知.docx 第 2 段：页码显示为“- 1 -”，应为“— 1 —”…']

    ``disable`` is a list of rule codes (or "L001,F018"). A file that cannot be read is listed in
    ``unreadable`` and does not stop the others."""
    from docgen.check import check_file, parse_disabled

    disabled = parse_disabled(disable)
    if not isinstance(profile, Profile):
        profile = load_profile(profile)
    findings, unreadable = [], {}
    for path in paths if not isinstance(paths, (str, Path)) else [paths]:
        try:
            findings += check_file(path, profile, disabled)
        except DocgenError as exc:
            unreadable[str(path)] = "；".join(p.message for p in exc.problems)
    return CheckResult(findings, unreadable)


def fix(path: str | Path, *, in_place: bool = False):
    """Rewrite what cannot change meaning (punctuation width, date padding, 文号 brackets, page-number
    dashes) into ``<name>.fixed<suffix>`` beside the input (or over it with ``in_place``);
    returns :class:`docgen.check.FixResult` with every change listed."""
    from docgen.check import fix_file

    return fix_file(path, in_place=in_place)
