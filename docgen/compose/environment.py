"""The Jinja2 environment that turns outline data into body markup.

Sandboxed (templates are user files), strict (an undefined variable is an error naming the template
file and line, never a silent blank) and escaping: every ``{{ value }}`` is escaped for the markup, so
``<``, ``&``, quotes, ``#``, ``*`` or ``1.`` in data are printed as text and never change the
document's structure.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Sized
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any

from docgen.compose.chinese import cn_date, cn_number, cn_ordinal
from docgen.errors import TemplateError
from docgen.limits import env_hint, limit

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


class _Refused(Exception):
    """Raised inside a render when a template breaks a rule or a limit; carries the Chinese reason."""


@dataclass
class _Budget:
    """Time and size allowance of one render (see :mod:`docgen.limits`)."""

    deadline: float
    seconds: float
    max_chars: int
    max_range: int
    ticks: int = 0

    def tick(self) -> None:
        """Called at every loop step, call, attribute lookup and output chunk: a loop that prints
        nothing must stop too. The clock is read every 256 ticks."""
        self.ticks += 1
        if not self.ticks & 255 and time.monotonic() > self.deadline:
            raise _Refused(f"模板运行超过 {self.seconds:g} 秒，已停止（可能是过大的循环）；"
                           f"{env_hint('TEMPLATE_SECONDS')}")

    def check_size(self, size: int, what: str = "结果") -> None:
        if size > self.max_chars:
            raise _Refused(f"模板生成的{what}过长（超过 {self.max_chars} 个字符），已停止；"
                           f"{env_hint('TEMPLATE_MAX_CHARS')}")


_BUDGET: ContextVar[_Budget | None] = ContextVar("docgen_template_budget", default=None)


def _budget() -> _Budget | None:
    return _BUDGET.get()


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else 0


def _budget_iter(iterable: Any):
    """Every ``{% for %}`` iterates through this (see :class:`_BudgetCodeGenerator`)."""
    budget = _budget()
    if budget is None:
        return iterable
    return _ticking(iterable, budget)


def _ticking(iterable: Any, budget: _Budget):
    for item in iterable:
        budget.tick()
        yield item


def _checked_range(*args: int) -> range:
    numbers = range(*args)
    budget = _budget()
    limit_ = budget.max_range if budget else int(limit("TEMPLATE_MAX_RANGE"))
    if len(numbers) > limit_:
        shown = ", ".join(str(a) for a in args)
        raise _Refused(f"range({shown}) 太大：模板中的 range 最多 {limit_} 项；{env_hint('TEMPLATE_MAX_RANGE')}")
    return numbers


_FORMAT_WIDTH = re.compile(r"%[-+ #0]*(\*|\d+)(?:\.(\*|\d+))?|\{[^{}]*:[^{}]*?(\d{4,})[^{}]*\}")


def _check_format(text: Any) -> None:
    """Refuse ``"%999999999d"`` and ``"{:999999999}"``: one format can allocate gigabytes."""
    budget = _budget()
    if budget is None or not isinstance(text, str):
        return
    for match in _FORMAT_WIDTH.finditer(text):
        for width in match.groups():
            if width == "*" or (width and int(width) > budget.max_chars):
                raise _Refused(f"格式化宽度过大（{match.group(0)}）")


def _guarded_filter(name: str, function):
    """A filter whose result is size-checked; the ones that multiply text are checked before."""

    @wraps(function)
    def guarded(*args, **kwargs):
        budget = _budget()
        if budget is not None:
            budget.tick()
            _precheck_filter(name, budget, args, kwargs)
        result = function(*args, **kwargs)
        if budget is not None:
            budget.check_size(_size(result))
        return result

    return guarded


def _precheck_filter(name: str, budget: _Budget, args: tuple, kwargs: dict) -> None:
    # Positional arguments of a filter may start with the environment/context (pass_arg filters).
    values = [a for a in args if not hasattr(a, "filters") and not hasattr(a, "environment")]
    if not values:
        return
    subject, rest = values[0], values[1:]
    if name in ("center", "indent"):
        width = kwargs.get("width", rest[0] if rest else 0)
        if isinstance(width, int) and width > budget.max_chars:
            budget.check_size(width)
        if name == "indent" and isinstance(width, int):
            budget.check_size(width * (str(subject).count("\n") + 1) + len(str(subject)))
    elif name == "replace" and len(rest) >= 2:
        old, new = str(rest[0]), str(rest[1])
        count = str(subject).count(old) if old else len(str(subject)) + 1
        budget.check_size(len(str(subject)) + count * len(new))
    elif name == "join":
        separator = str(kwargs.get("d", rest[0] if rest else ""))
        if isinstance(subject, Sized):
            budget.check_size(len(subject) * len(separator))
            if isinstance(subject, (list, tuple)):
                budget.check_size(sum(len(str(item)) for item in subject[: budget.max_chars]))
    elif name == "format":
        _check_format(subject)


def _make_sandbox_class():
    from jinja2 import nodes
    from jinja2.compiler import CodeGenerator
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    ticking = f"{__name__}._budget_iter"

    class BudgetCodeGenerator(CodeGenerator):
        """Compiles ``{% for x in items %}`` as ``for x in _budget_iter(items)`` (Jinja allows no
        custom node types, so the wrapper is a call of an imported name)."""

        def visit_Template(self, node, frame=None):
            # Before Jinja collects the template's imported names.
            for loop in node.find_all(nodes.For):
                call = nodes.Call(nodes.ImportedName(ticking), [loop.iter], [], None, None, lineno=loop.iter.lineno)
                loop.iter = call.set_environment(self.environment)
            super().visit_Template(node, frame)

    class BudgetSandbox(ImmutableSandboxedEnvironment):
        """The sandbox plus limits: every call, lookup, loop step and output chunk ticks the
        current render's :class:`_Budget`; ``*``, ``+``, ``**`` and ``%`` are checked before they
        build a huge value; include/import names stay inside the template folders."""

        code_generator_class = BudgetCodeGenerator
        intercepted_binops = frozenset({"*", "+", "**", "%"})

        def call_binop(self, context, operator, left, right):
            budget = _budget()
            if budget is not None:
                budget.tick()
                _precheck_binop(budget, operator, left, right)
            result = super().call_binop(context, operator, left, right)
            if budget is not None:
                budget.check_size(_size(result))
            return result

        def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
            budget = _budget()
            if budget is not None:
                budget.tick()
            result = super().call(__context, __obj, *args, **kwargs)
            if budget is not None:
                budget.check_size(_size(result))
            return result

        def getattr(self, obj, attribute):
            budget = _budget()
            if budget is not None:
                budget.tick()
            return super().getattr(obj, attribute)

        def getitem(self, obj, argument):
            budget = _budget()
            if budget is not None:
                budget.tick()
            return super().getitem(obj, argument)

        def wrap_str_format(self, value):
            wrapped = super().wrap_str_format(value)
            if wrapped is None:
                return None

            def checked(*args, **kwargs):
                _check_format(value.__self__)
                return wrapped(*args, **kwargs)

            return checked

        def join_path(self, template, parent):
            if _leaves_folder(template):
                raise _Refused(f"模板“{template}”位于模板目录之外：模板只能引用内置模板或 --templates 目录中的文件")
            return template

    return BudgetSandbox


def _precheck_binop(budget: _Budget, operator: str, left: Any, right: Any) -> None:
    if operator == "*":
        for sequence, count in ((left, right), (right, left)):
            if isinstance(sequence, (str, list, tuple)) and isinstance(count, int) and not isinstance(count, bool):
                budget.check_size(len(sequence) * max(count, 0))
    elif operator == "+":
        budget.check_size(_size(left) + _size(right))
    elif operator == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0:
            if abs(left) > 1 and abs(left).bit_length() * right > 100_000:
                raise _Refused(f"乘方结果过大（{left} ** {right}）")
    elif operator == "%":
        _check_format(left)


def _leaves_folder(name: str) -> bool:
    """An absolute name, a drive, a backslash or a ``..`` part points outside the template folders."""
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or "\\" in name:
        return True
    return ".." in name.split("/")


def _confined_loader(folder: Path):
    """A file loader whose templates, symlinks resolved, stay inside ``folder``."""
    from jinja2 import FileSystemLoader

    root = folder.resolve()

    class ConfinedLoader(FileSystemLoader):
        def get_source(self, environment, template):
            source, filename, uptodate = super().get_source(environment, template)
            if not Path(filename).resolve().is_relative_to(root):
                raise _Refused(f"模板“{template}”是指向模板目录之外的链接，不能使用")
            return source, filename, uptodate

    return ConfinedLoader(str(folder), encoding="utf-8")


def make_environment(user_templates: Path | None = None):
    """A sandboxed, strict Jinja2 environment over the user's templates, then the built-in ones."""
    from jinja2 import ChoiceLoader, StrictUndefined

    loaders = [_confined_loader(builtin_templates_dir())]
    if user_templates is not None:
        loaders.insert(0, _confined_loader(Path(user_templates)))
    env = _make_sandbox_class()(
        loader=ChoiceLoader(loaders),
        bytecode_cache=_bytecode_cache(),
        undefined=StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["range"] = _checked_range
    env.filters.update(
        cn=cn_number,
        cn_ordinal=cn_ordinal,
        cn_date=cn_date,
        breaks=keep_line_breaks,
        markup=raw_markup,
    )
    for name, function in list(env.filters.items()):
        env.filters[name] = _guarded_filter(name, function)
    return env


def _bytecode_cache():
    """Compiled templates in the cache folder (Jinja keys each by name and source checksum); the
    folder is keyed by docgen's version and this module, whose code generator the code follows."""
    from jinja2 import FileSystemBytecodeCache

    from docgen import cache

    try:
        folder = cache.folder("jinja") / cache.file_key(Path(__file__))
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


@lru_cache(maxsize=8)
def _cached_environment(user_templates: str | None):
    return make_environment(Path(user_templates) if user_templates else None)


def render_template(name: str, context: dict[str, Any], user_templates: Path | None = None) -> str:
    """Render ``name`` (e.g. ``speech/body.md.j2``) or raise a TemplateError with file and line.

    The render has a budget (:mod:`docgen.limits`): at most ``TEMPLATE_SECONDS`` seconds and
    ``TEMPLATE_MAX_CHARS`` characters of markup, ``range`` up to ``TEMPLATE_MAX_RANGE`` items.
    """
    from jinja2 import TemplateSyntaxError

    env = _cached_environment(str(user_templates) if user_templates else None)
    display = _display_name(user_templates)
    seconds = limit("TEMPLATE_SECONDS")
    budget = _Budget(deadline=time.monotonic() + seconds, seconds=seconds,
                     max_chars=int(limit("TEMPLATE_MAX_CHARS")), max_range=int(limit("TEMPLATE_MAX_RANGE")))
    # Active while compiling too: Jinja folds constant filter calls (``'x'|center(10**9)``) then.
    token = _BUDGET.set(budget)
    try:
        try:
            template = env.get_template(name)
        except TemplateSyntaxError as exc:
            raise TemplateError(f"模板语法错误（{exc.message}）", file=display(exc.filename or name),
                                line=exc.lineno) from None
        except RecursionError:
            raise TemplateError("模板嵌套过深（括号或标签的层数太多）", file=display(name)) from None
        except Exception as exc:  # noqa: BLE001 - not found, refused
            raise TemplateError(_reason(exc), file=display(name)) from None
        try:
            return _render_within(template, context, budget)
        except Exception as exc:  # noqa: BLE001 - every failure inside a template is the template's error
            file, line = _template_position(exc, template.filename or name)
            raise TemplateError(_reason(exc), file=display(file), line=line) from None
    finally:
        _BUDGET.reset(token)


def _render_within(template, context: dict[str, Any], budget: _Budget) -> str:
    """Render chunk by chunk; a limit reached between chunks is thrown into the template at the
    point it stopped, so the error names that template line."""
    chunks: list[str] = []
    total = 0
    stream = template.generate(context)
    for chunk in stream:
        chunks.append(chunk)
        total += len(chunk)
        try:
            budget.tick()
            budget.check_size(total, "正文")
        except _Refused as refused:
            stream.throw(refused)  # re-raised by Jinja with the template's file and line
            raise
    return "".join(chunks)


def _reason(exc: BaseException) -> str:
    """The Chinese reason for any exception raised while loading or running a template."""
    from jinja2 import TemplateNotFound, TemplatesNotFound, UndefinedError
    from jinja2.exceptions import SecurityError

    if isinstance(exc, _Refused):
        return str(exc)
    if isinstance(exc, TemplatesNotFound):
        names = "、".join(f"“{n}”" for n in exc.templates)
        return f"找不到模板 {names}（--templates 目录和内置模板中都没有）"
    if isinstance(exc, TemplateNotFound):
        return f"找不到模板“{exc.name}”（--templates 目录和内置模板中都没有）"
    if isinstance(exc, SecurityError) or (isinstance(exc, UndefinedError) and "unsafe" in str(exc)):
        unsafe = re.search(r"attribute '([^']+)' of '([^']+)'", str(exc))
        detail = f"不能访问 {unsafe.group(2)} 的属性 {unsafe.group(1)}" if unsafe else str(exc)
        return f"模板执行了不允许的操作（{detail}）"
    if isinstance(exc, UndefinedError):
        return f"模板使用了未定义的变量（{_undefined_name(exc)}）"
    if isinstance(exc, RecursionError):
        return "模板递归过深：宏或 include 在调用自己，没有停止条件"
    if isinstance(exc, MemoryError):
        return "模板生成的内容过大，内存不足"
    if isinstance(exc, ValueError) and _is_chinese(str(exc)):  # raised by our filters
        return str(exc)
    return f"模板运行出错（{type(exc).__name__}：{exc}）"


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _display_name(user_templates: Path | None):
    """File names in errors: built-in templates by their name (``speech/body.md.j2``), the user's
    by the path under ``--templates`` (also when Jinja only knows the name, as for compile errors)."""
    builtin = str(builtin_templates_dir())

    def display(filename: str) -> str:
        if filename.startswith(builtin + os.sep):
            return filename[len(builtin) + 1:]
        if user_templates is not None and not os.path.isabs(filename) and (Path(user_templates) / filename).is_file():
            return str(Path(user_templates) / filename)
        return filename

    return display


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

