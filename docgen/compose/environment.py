"""The Jinja2 environment that turns outline data into body markup.

Sandboxed (templates are user files), strict (an undefined variable is an error naming the template
file and line, never a silent blank) and escaping: every ``{{ value }}`` is escaped for the markup, so
``<``, ``&``, quotes, ``#``, ``*`` or ``1.`` in data are printed as text and never change the
document's structure.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from docgen.compose.chinese import cn_date, cn_number, cn_ordinal
from docgen.errors import TemplateError

TEMPLATE_SUFFIX = ".md.j2"

_ASCII_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_LEADING_SPACE = re.compile(r"^[ \t\u3000]+", re.MULTILINE)


def builtin_templates_dir() -> Path:
    """Templates shipped with docgen: inside the wheel, or the checkout's top-level templates/."""
    packaged = Path(__file__).resolve().parent.parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "templates"


class Markup(str):
    """Text that is already markup and must not be escaped again."""


def escape_text(value: Any) -> str:
    """Escape data for the body markup.

    ASCII punctuation gets a backslash (CommonMark allows that on any of them); leading spaces are
    dropped because the profile, not the data, indents paragraphs; each line of data is its own
    paragraph, as Chinese writers expect.
    """
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    text = _LEADING_SPACE.sub("", str(value).strip())
    text = _ASCII_PUNCT.sub(r"\\\1", text)
    return re.sub(r"\n+", "\n\n", text)


def _finalize(value: Any) -> str:
    return escape_text(value)


def keep_line_breaks(value: Any) -> Markup:
    """For titles: each newline in the data is a line break inside the same block."""
    lines = [escape_text(line) for line in str(value).strip().splitlines() if line.strip()]
    return Markup("\\\n".join(lines))


def raw_markup(value: Any) -> Markup:
    """Insert a value as markup (for template authors who build markup in a variable)."""
    return Markup(str(value))


def make_environment(user_templates: Path | None = None):
    """A sandboxed, strict Jinja2 environment over the user's templates, then the built-in ones."""
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    loaders = [FileSystemLoader(str(builtin_templates_dir()), encoding="utf-8")]
    if user_templates is not None:
        loaders.insert(0, FileSystemLoader(str(user_templates), encoding="utf-8"))
    env = ImmutableSandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        cn=cn_number,
        cn_ordinal=cn_ordinal,
        cn_date=cn_date,
        breaks=keep_line_breaks,
        markup=raw_markup,
    )
    return env


@lru_cache(maxsize=8)
def _cached_environment(user_templates: str | None):
    return make_environment(Path(user_templates) if user_templates else None)


def render_template(name: str, context: dict[str, Any], user_templates: Path | None = None) -> str:
    """Render ``name`` (e.g. ``speech/body.md.j2``) or raise a TemplateError with file and line."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    env = _cached_environment(str(user_templates) if user_templates else None)
    try:
        template = env.get_template(name)
    except TemplateNotFound:
        raise TemplateError(f"找不到模板 {name}") from None
    except TemplateSyntaxError as exc:
        raise TemplateError(f"模板语法错误（{exc.message}）", file=exc.filename or name, line=exc.lineno) from None
    try:
        return template.render(context)
    except UndefinedError as exc:
        file, line = _template_position(exc, template.filename or name)
        raise TemplateError(f"模板使用了未定义的变量（{_undefined_name(exc)}）", file=file, line=line) from None
    except SecurityError as exc:
        file, line = _template_position(exc, template.filename or name)
        raise TemplateError(f"模板执行了不允许的操作（{exc}）", file=file, line=line) from None
    except ValueError as exc:  # raised by our filters with a Chinese message
        file, line = _template_position(exc, template.filename or name)
        raise TemplateError(str(exc), file=file, line=line) from None


def _template_position(exc: BaseException, default_file: str) -> tuple[str, int | None]:
    """Jinja rewrites tracebacks so template frames carry the template's file name and line."""
    tb = exc.__traceback__
    found: tuple[str, int | None] = (default_file, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(TEMPLATE_SUFFIX) or filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _undefined_name(exc: BaseException) -> str:
    match = re.search(r"'([^']+)' is undefined", str(exc))
    if match:
        return match.group(1)
    match = re.search(r"has no attribute '([^']+)'", str(exc))
    return match.group(1) if match else str(exc)


def list_templates(user_templates: Path | None = None) -> list[tuple[str, str]]:
    """(relative name, origin) of every template and framework: 内置 or the user's override."""
    builtin = builtin_templates_dir()
    names: dict[str, str] = {}
    for path in sorted(builtin.rglob("*")):
        if path.is_file() and path.suffix in (".j2", ".yaml"):
            names[path.relative_to(builtin).as_posix()] = "内置"
    if user_templates is not None and Path(user_templates).is_dir():
        root = Path(user_templates)
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in (".j2", ".yaml"):
                names[path.relative_to(root).as_posix()] = f"自定义（{root}）"
    return sorted(names.items())

