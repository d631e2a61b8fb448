"""Frameworks are data: reusable speech skeletons such as 三性三力, stored as YAML files.

A framework names its parts (e.g. 政治性→向心力) and a heading pattern (坚持{性}，增强{力}). A speech
that says ``framework: 三性三力`` takes its section headings — and its title, when it has none —
from the framework, and may still override any of them.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from docgen.errors import OutlineError, Problem
from docgen.outline.schema import Section, Speech
from docgen.outline.source import load_yaml


class Framework(BaseModel):
    # defer_build: the validator is built only if a framework file is validated, not at import;
    # a framework once validated comes from the cache folder (see _load_framework).
    model_config = ConfigDict(extra="forbid", defer_build=True)

    name: str
    description: str = ""
    title: str | None = None
    heading: str = Field(min_length=1)
    parts: list[dict[str, str]] = Field(min_length=1)

    def headings(self) -> list[str]:
        return [self.heading.format_map(part) for part in self.parts]


def framework_dirs(user_templates: Path | None) -> list[Path]:
    from docgen.compose.environment import builtin_templates_dir

    dirs = [builtin_templates_dir() / "frameworks"]
    if user_templates is not None:
        dirs.insert(0, Path(user_templates) / "frameworks")
    return dirs


def available_frameworks(user_templates: Path | None = None) -> dict[str, Path]:
    """Framework name → file; a user's file shadows a built-in one of the same name."""
    found: dict[str, Path] = {}
    for folder in reversed(framework_dirs(user_templates)):
        if folder.is_dir():
            for path in sorted(folder.glob("*.yaml")):
                found[path.stem] = path
    return found


_FRAMEWORKS: dict[tuple, Framework] = {}


def load_framework(path: Path) -> Framework:
    """The validated framework in ``path`` (parsed once per process while the file is unchanged)."""
    try:
        stat = path.stat()
        memo = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    except OSError:
        memo = None
    framework = _FRAMEWORKS.get(memo) if memo else None
    if framework is None:
        framework = _load_framework(path)
        if memo:
            _FRAMEWORKS[memo] = framework
    return framework


def _load_framework(path: Path) -> Framework:
    from docgen import cache

    try:
        key = cache.file_key(path, "framework")
    except OSError:
        key = None
    kept = cache.load("framework", key) if key else None
    if isinstance(kept, Framework):
        return kept
    framework = _validated_framework(path)
    if key:
        cache.store("framework", key, framework)
    return framework


def _validated_framework(path: Path) -> Framework:
    source = load_yaml(path, OutlineError)  # parsed only when the validated framework is not kept
    try:
        framework = Framework.model_validate(source.data)
        framework.headings()
    except ValidationError as exc:
        raise OutlineError(
            [source.problem(f"框架文件无效（{err['msg']}）", tuple(err["loc"])) for err in exc.errors()]
        ) from None
    except KeyError as exc:
        raise OutlineError([source.problem(f"标题模式里的 {{{exc.args[0]}}} 在某个部分中没有定义", ("heading",))]) from None
    return framework


def apply_framework(speech: Speech, problem_at, user_templates: Path | None = None) -> Speech:
    """Fill section headings (and the title) from the speech's framework.

    ``problem_at(message, field_path)`` builds a positioned Problem for errors in the outline.
    """
    if not speech.framework:
        if not speech.title:
            raise OutlineError([problem_at("缺少必填字段（标题）；或用 framework 指定一个带标题的框架", ("title",))])
        return speech
    frameworks = available_frameworks(user_templates)
    path = frameworks.get(speech.framework)
    if path is None:
        names = "、".join(frameworks) or "（无）"
        raise OutlineError([problem_at(f"没有名为“{speech.framework}”的框架；可用的框架：{names}", ("framework",))])
    framework = load_framework(path)
    headings = framework.headings()
    sections = list(speech.sections)
    extra = [i for i in range(len(headings), len(sections)) if not sections[i].heading]
    if extra:
        problems: list[Problem] = [
            problem_at(f"框架“{framework.name}”只有 {len(headings)} 个部分，这一部分需要自己写标题", ("sections", i, "heading"))
            for i in extra
        ]
        raise OutlineError(problems)
    sections += [Section() for _ in range(len(headings) - len(sections))]
    filled = [
        section if section.heading else section.model_copy(update={"heading": headings[i]})
        for i, section in enumerate(sections)
    ]
    return speech.model_copy(update={"sections": filled, "title": speech.title or framework.title})
