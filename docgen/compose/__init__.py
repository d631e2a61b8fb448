"""Compose: outline data → sandboxed Jinja2 template → body markup → Document.

The template writes the running text (title, 主送, 正文, headings); the elements whose place the
standard fixes — 版头, 附件说明, 署名/日期, 附注, attachments, 版记 — are built here from the outline's
fields, so a custom template can never misplace them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from docgen.compose.chinese import cn_date
from docgen.compose.environment import render_template
from docgen.compose.figures import collect_figures
from docgen.compose.markup import clean_document, control_characters_in, drop_control_characters, parse_markup
from docgen.model import Attachment, Block, Colophon, Document, Header, IssuerMark, Meta, Signoff, Span
from docgen.outline import schema
from docgen.outline.paths import confine
from docgen.style.profile import Profile

KIND_NAMES = {"speech": "讲话稿", "notice": "通知", "report": "工作总结"}


def template_name(kind: str) -> str:
    return f"{kind}/body.md.j2"


def compose(
    outline: schema.Outline,
    profile: Profile,
    user_templates: Path | None = None,
    base_dir: Path | None = None,
    *,
    allow_paths: Iterable[Path] = (),
    where: Callable[[str, tuple], Any] | None = None,
) -> Document:
    """Render the outline's template and parse the markup into the one Document model.

    ``base_dir`` is where relative paths in the outline (CSV tables, seal images) are resolved;
    they must stay under it, ``user_templates`` or one of ``allow_paths``
    (:mod:`docgen.outline.paths`). ``where(message, field_path)`` positions errors in the outline
    file (:meth:`LoadedOutline.problem`).
    """
    base_dir = base_dir or Path.cwd()
    where = where or _unplaced
    roots = (*([user_templates] if user_templates else []), *allow_paths)

    def locate(value: str, path: tuple) -> Path:
        return confine(value, base_dir, roots, **_place(where, path))

    context = outline.model_dump()
    figures = collect_figures(outline, context, base_dir, locate=locate, where=where)
    name = template_name(outline.kind)
    blocks: list[Any] = list(parse_markup(render_template(name, context, user_templates), profile, name, figures))
    header = colophon = None
    attachments: tuple[Attachment, ...] = ()
    if is_official(outline):
        header = _header(outline)
        blocks += _closing_for_report(outline, blocks)
        blocks += _attachment_note(outline)
        blocks += _signoff(outline, locate, where)
        blocks += _note(outline)
        attachments = _attachments(outline, profile, base_dir)
        colophon = _colophon(outline)
    # One cleaning pass over everything the writers will read (issue 8: a control character in
    # 发文机关/署名/抄送 broke the .docx); right-to-left scripts are refused here for both formats.
    document = clean_document(Document(
        meta=_meta(outline, blocks),
        blocks=tuple(blocks),
        header=header,
        attachments=attachments,
        colophon=colophon,
    ))
    # The outline's text was cleaned on the way in too: report what it held, once.
    removed = set(document.removed) | {f"U+{ord(c):04X}" for c in control_characters_in(context)}
    return replace(document, removed=tuple(sorted(removed))) if removed else document


def is_official(outline: schema.Outline) -> bool:
    """Notices always, reports when sent upward, carry 版头/署名/版记."""
    return outline.kind == "notice" or (outline.kind == "report" and outline.upward)


def _header(outline) -> Header:
    upward = getattr(outline, "upward", False)
    return Header(
        copy_number=getattr(outline, "copy_number", None),
        secrecy=getattr(outline, "secrecy", None),
        urgency=getattr(outline, "urgency", None),
        mark=IssuerMark(names=tuple(outline.issuer), suffix=outline.mark_suffix) if outline.issuer else None,
        number=outline.number,
        signers=tuple(outline.signer) if upward else (),
    )


def _closing_for_report(outline, blocks: list) -> list[Block]:
    """A report sent upward ends with “特此报告。” unless the writer already said so."""
    if outline.kind != "report":
        return []
    last = next((b for b in reversed(blocks) if isinstance(b, Block)), None)
    if last is not None and last.text.endswith("特此报告。"):
        return []
    return [Block(style="body", spans=(Span("特此报告。", "body"),))]


def _attachment_note(outline) -> list[Block]:
    """附件说明 (7.3.4): “附件：1.××” with later items under the first one's number."""
    titles = [item.title for item in getattr(outline, "attachments", [])]
    if not titles:
        return []
    if len(titles) == 1:
        return [Block(style="attachment_note", spans=(Span(f"附件：{_no_end_punct(titles[0])}", "attachment_note"),))]
    blocks = []
    for number, title in enumerate(titles, start=1):
        style = "attachment_note" if number == 1 else "attachment_note_more"
        prefix = "附件：" if number == 1 else ""
        blocks.append(Block(style=style, spans=(Span(f"{prefix}{number}.{_no_end_punct(title)}", style),)))
    return blocks


def _no_end_punct(title: str) -> str:
    return title.rstrip("。，；、.,;")


def _signoff(outline, locate, where) -> list[Signoff]:
    names = tuple(outline.signature) or tuple(outline.issuer)
    if not names and not outline.date:
        return []
    seal = None
    if outline.seal:
        seal_path = locate(outline.seal, ("seal",))
        check_seal_image(seal_path, **_place(where, ("seal",)))
        seal = str(seal_path)
    return [Signoff(names=names, date=cn_date(outline.date) if outline.date else "", seal=seal)]


def check_seal_image(path: Path, **place) -> None:
    """The seal must be a sound PNG of sane size, checked once here so that neither writer fails.

    PNG only: a seal needs a transparent background to press on the 署名 and date (a JPEG would
    cover them with a white box), and the layout reads the PNG header for the aspect ratio.
    """
    import io

    from docgen.errors import OutlineError
    from docgen.limits import env_hint, limit
    from docgen.outline.paths import read_limited

    data = read_limited(path, int(limit("IMAGE_MAX_BYTES")), what="印章图片", hint=env_hint("IMAGE_MAX_BYTES"),
                        **place)
    from PIL import Image, UnidentifiedImageError

    max_pixels = int(limit("IMAGE_MAX_PIXELS"))
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            if kind != "PNG":
                raise OutlineError(f"印章图片应为 PNG 格式（透明背景），这个文件是 {kind} 格式：{path}；"
                                   "请用图片工具另存为 PNG", **place)
            if width * height > max_pixels:
                raise OutlineError(f"印章图片太大（{width}×{height} 像素，上限 {max_pixels / 1e6:g} 百万像素）：{path}；"
                                   f"印章印出约 4 厘米宽，1000×1000 像素已足够清晰；{env_hint('IMAGE_MAX_PIXELS')}",
                                   **place)
            if not 0.25 <= height / width <= 4:
                raise OutlineError(f"印章图片的宽高比异常（{width}×{height} 像素）：{path}；"
                                   "印章应是圆形或方形的图片，宽高相差不超过 4 倍", **place)
            image.load()  # decode fully: a truncated or corrupt file fails here, not in a writer
    except UnidentifiedImageError:
        raise OutlineError(f"印章文件不是图片（无法识别的格式）：{path}；请提供 PNG 格式的印章图片", **place) from None
    except (OSError, ValueError, SyntaxError, ZeroDivisionError, Image.DecompressionBombError):
        raise OutlineError(f"印章图片已损坏或不完整，无法读取：{path}；请重新导出 PNG 文件", **place) from None


def _unplaced(message: str, path: tuple):
    from docgen.errors import Problem
    from docgen.outline.source import format_path

    return Problem(message, field=format_path(path) or None)


def _place(where, path: tuple) -> dict:
    """file/line/column/field of a field path, as keyword arguments for an error."""
    problem = where("", path)
    return {"file": problem.file, "line": problem.line, "column": problem.column, "field": problem.field}


def _note(outline) -> list[Block]:
    note = getattr(outline, "note", None)
    if not note:
        return []
    text = note.strip()
    if not (text.startswith("（") and text.endswith("）")):
        text = f"（{text.strip('()（）')}）"
    return [Block(style="note", spans=(Span(drop_control_characters(text), "note"),))]


def _attachments(outline, profile: Profile, base_dir: Path) -> tuple[Attachment, ...]:
    items = [item for item in getattr(outline, "attachments", []) if item.body]
    all_items = getattr(outline, "attachments", [])
    result = []
    for item in items:
        number = all_items.index(item) + 1
        label = "附件" if len(all_items) == 1 else f"附件{number}"
        blocks = [
            Block(style="body", spans=(Span(drop_control_characters(line.strip()), "body"),))
            for line in (item.body or "").splitlines()
            if line.strip()
        ]
        result.append(Attachment(label=label, title=item.title, blocks=tuple(blocks)))
    return tuple(result)


def _colophon(outline) -> Colophon | None:
    cc = tuple(getattr(outline, "cc", ()) or ())
    printer = getattr(outline, "printer", None)
    print_date = getattr(outline, "print_date", None)
    if not (cc or printer or print_date):
        return None
    return Colophon(cc=cc, printer=printer, print_date=cn_date(print_date) if print_date else None)


def _meta(outline: schema.Outline, blocks) -> Meta:
    title_block = next((b for b in blocks if isinstance(b, Block) and b.style == "title"), None)
    # The outline's own title keeps its spaces; a title line-broken by the template is re-joined.
    title = getattr(outline, "title", None) or (title_block.text.replace("\n", "") if title_block else "")
    issuer = getattr(outline, "issuer", None)
    author = (
        getattr(outline, "speaker", None)
        or (issuer[0] if issuer else None)
        or getattr(outline, "unit", None)
        or ""
    )
    subject = getattr(outline, "occasion", None) or getattr(outline, "doctype", None) or KIND_NAMES[outline.kind]
    clean = drop_control_characters
    return Meta(title=clean(title), author=clean(author), subject=clean(subject), created=outline.date,
                kind=outline.kind)
