"""Compose: outline data → sandboxed Jinja2 template → body markup → Document."""

from __future__ import annotations

from pathlib import Path

from docgen.compose.environment import render_template
from docgen.compose.markup import drop_control_characters, parse_markup
from docgen.model import Document, Meta
from docgen.outline import schema
from docgen.style.profile import Profile

KIND_NAMES = {"speech": "讲话稿", "notice": "通知", "report": "工作总结"}


def template_name(kind: str) -> str:
    return f"{kind}/body.md.j2"


def compose(outline: schema.Outline, profile: Profile, user_templates: Path | None = None) -> Document:
    """Render the outline's template and parse the markup into the one Document model."""
    name = template_name(outline.kind)
    markup = render_template(name, outline.model_dump(), user_templates)
    blocks = parse_markup(markup, profile, name)
    return Document(meta=_meta(outline, blocks), blocks=tuple(blocks))


def _meta(outline: schema.Outline, blocks) -> Meta:
    title_block = next((b for b in blocks if b.style == "title"), None)
    # The outline's own title keeps its spaces; a title line-broken by the template is re-joined.
    title = getattr(outline, "title", None) or (title_block.text.replace("\n", "") if title_block else "")
    author = (
        getattr(outline, "speaker", None)
        or getattr(outline, "issuer", None)
        or getattr(outline, "signature", None)
        or getattr(outline, "unit", None)
        or ""
    )
    subject = getattr(outline, "occasion", None) or KIND_NAMES[outline.kind]
    clean = drop_control_characters
    return Meta(title=clean(title), author=clean(author), subject=clean(subject), created=outline.date,
                kind=outline.kind)
