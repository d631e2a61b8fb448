"""Load an outline file: YAML with positions → Chinese keys mapped → typed, validated outline.

Every problem found is collected and reported together, each with ``file:line:column`` and the
English field path, e.g. ``speech.yaml:14:5 sections[1].points[0].heading：缺少必填字段``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from docgen.errors import OutlineError, Problem
from docgen.outline import schema
from docgen.outline.source import FieldPath, YamlSource, format_path, load_yaml


@dataclass
class LoadedOutline:
    """A validated outline plus where it came from (for later errors that point into the file)."""

    outline: schema.Outline
    source: YamlSource
    origin: dict[FieldPath, FieldPath]  # English field path → path as written in the file

    def problem(self, message: str, path: FieldPath) -> Problem:
        return problem_at(self.source, self.origin, message, tuple(path))


def problem_at(source: YamlSource, origin: dict[FieldPath, FieldPath], message: str, loc: FieldPath) -> Problem:
    """A problem at an English field path, positioned at the nearest spot written in the file."""
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in origin:
            file_path = (*origin[loc[:cut]], *loc[cut:])
            break
    else:
        file_path = loc
    problem = source.problem(message, file_path)
    problem.field = format_path(loc) or None
    return problem


def load_outline(path: str | Path) -> LoadedOutline:
    return validate_outline(load_yaml(path))


def validate_outline(source: YamlSource, data: Any = None) -> LoadedOutline:
    """Validate ``data`` (default: the file's own data; batch runs pass a row-merged copy)."""
    data = source.data if data is None else data
    if not isinstance(data, dict):
        raise OutlineError("提纲文件的顶层应是“键: 值”的映射（例如 标题: ……）", file=str(source.path), line=1)
    kind = kind_of(source, data)
    model = schema.KINDS[kind]
    problems: list[Problem] = []
    origin: dict[FieldPath, FieldPath] = {}
    data = _normalise(data, model, (), (), source, origin, problems)
    data["kind"] = kind
    try:
        outline = model.model_validate(data)
    except ValidationError as exc:
        problems += [_problem_from(err, source, origin) for err in exc.errors()]
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise OutlineError(problems)
    return LoadedOutline(outline=outline, source=source, origin=origin)


def kind_of(source: YamlSource, data: dict[str, Any]) -> str:
    key = next((k for k in ("kind", "类型") if k in data), None)
    if key is None:
        raise OutlineError(
            "缺少“kind”（类型）字段：请写 kind: speech（讲话稿）、notice（通知）或 report（报告）",
            file=str(source.path),
            line=1,
            column=1,
        )
    value = str(data[key]).strip()
    kind = schema.KIND_ALIASES.get(value, value)
    if kind not in schema.KINDS:
        message = f"不认识的类型“{value}”；可用：speech（讲话稿）、notice（通知）、report（报告）"
        raise OutlineError([source.problem(message, (key,))])
    return kind


def _normalise(
    data: Any,
    model: type[BaseModel] | None,
    path: FieldPath,
    file_path: FieldPath,
    source: YamlSource,
    origin: dict[FieldPath, FieldPath],
    problems: list[Problem],
) -> Any:
    """Map Chinese keys to English ones (recursively) and report unknown keys with a suggestion."""
    origin[path] = file_path
    if isinstance(data, list):
        return [
            _normalise(item, model, (*path, i), (*file_path, i), source, origin, problems)
            for i, item in enumerate(data)
        ]
    if not isinstance(data, dict) or model is None:
        return data
    aliases = schema.ALIASES.get(model, {})
    fields = set(model.model_fields)
    result: dict[str, Any] = {}
    for key, value in data.items():
        name = aliases.get(key, key)
        if name not in fields:
            problem = source.problem(_unknown_key(key, fields, aliases), (*file_path, key), at_key=True)
            problem.code = "unknown_key"
            problems.append(problem)
            continue
        if name in result:
            problems.append(source.problem(f"字段“{name}”写了两次（中英文键名各一次）", (*file_path, key), at_key=True))
            continue
        child = schema.child_model(model, name)
        result[name] = _normalise(value, child, (*path, name), (*file_path, key), source, origin, problems)
    return result


def _unknown_key(key: str, fields: set[str], aliases: dict[str, str]) -> str:
    import difflib  # only for a mistake: a render of a correct outline never needs it

    names = sorted(fields - {"kind"}) + sorted(aliases)
    guess = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    hint = ""
    if guess:
        english = aliases.get(guess[0], guess[0])
        label = schema.LABELS.get(english, "")
        hint = f"；是否要写“{guess[0]}”" + (f"（{label}）" if label and label != guess[0] else "") + "？"
    else:
        allowed = "、".join(f"{n}（{schema.LABELS.get(n, n)}）" for n in sorted(fields - {"kind"}))
        hint = f"；此处可用的字段：{allowed}"
    return f"未知字段“{key}”{hint}"


_MESSAGES = {
    "missing": "缺少必填字段",
    "string_type": "应为文字",
    "string_too_short": "不能为空",
    "list_type": "应为列表（每项一行，以“- ”开头）",
    "dict_type": "应为“键: 值”的映射",
    "model_type": "应为“键: 值”的映射",
    "model_attributes_type": "应为“键: 值”的映射",
    "date_type": "应为日期，例如 2020-08-16 或 2020年8月16日",
    "date_from_datetime_inexact": "应为日期（不含时间）",
    "date_parsing": "应为日期，例如 2020-08-16 或 2020年8月16日",
    "extra_forbidden": "未知字段",
    "literal_error": "取值不在允许范围内",
    "bool_type": "应为 true 或 false",
}


def _problem_from(err: dict[str, Any], source: YamlSource, origin: dict[FieldPath, FieldPath]) -> Problem:
    loc = tuple(part for part in err["loc"] if not (isinstance(part, str) and "[" in part))
    if err["type"] in ("one_recipient", "signer_required"):
        message = err["msg"]
    elif err["type"] == "value_error":
        message = str(err.get("ctx", {}).get("error", err["msg"]))
    elif err["type"] in ("string_type", "list_type", "dict_type", "model_type") and err.get("input") is None:
        message = "不能为空"
    else:
        message = _MESSAGES.get(err["type"], f"取值无效（{err['msg']}）")
    label = schema.LABELS.get(str(loc[-1])) if loc else None
    if label and err["type"] == "missing":
        message = f"缺少必填字段（{label}）"
    problem = problem_at(source, origin, message, loc)
    problem.code = err["type"]
    return problem
