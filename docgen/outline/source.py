"""Read a YAML file into plain Python data while remembering where every key and value stood.

Positions let every later error (schema, framework, template data) name ``file:line:column``.
Used for outlines, profiles and frameworks alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.errors import OutlineError, Problem

FieldPath = tuple[str | int, ...]


@dataclass
class YamlSource:
    """Plain data from a YAML file plus the 1-based (line, column) of each value and key."""

    path: Path
    data: Any
    values: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: FieldPath) -> tuple[int | None, int | None]:
        """Best position for a field path: the value, else its key, else the nearest parent."""
        probe = tuple(path)
        while True:
            if probe in self.values:
                return self.values[probe]
            if probe in self.keys:
                return self.keys[probe]
            if not probe:
                return (None, None)
            probe = probe[:-1]

    def problem(self, message: str, path: FieldPath = (), *, at_key: bool = False) -> Problem:
        line, column = (self.keys.get(tuple(path)) if at_key else None) or self.where(path)
        return Problem(message, file=str(self.path), line=line, column=column, field=format_path(path) or None)


def format_path(path: FieldPath) -> str:
    """('sections', 1, 'points', 0, 'heading') → 'sections[1].points[0].heading'."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def read_text(path: Path, error: type = OutlineError) -> str:
    """Read a UTF-8 text file (a BOM is allowed) or raise a Chinese error naming the spot."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error("找不到文件", file=str(path)) from None
    except IsADirectoryError:
        raise error("这是一个目录，不是文件", file=str(path)) from None
    except OSError as exc:
        raise error(f"无法读取文件（{exc.strerror}）", file=str(path)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error(
            f"文件不是 UTF-8 编码（第 {exc.start + 1} 字节无法解码）；请用 UTF-8 另存后再试",
            file=str(path),
            line=line,
            column=column,
        ) from None


def load_yaml(path: str | Path, error: type = OutlineError) -> YamlSource:
    """Parse a YAML file; syntax errors become a Chinese :class:`DocgenError` with line:column."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    path = Path(path)
    text = read_text(path, error)
    yaml = YAML(typ="rt", pure=True)
    # Keep dates as text: the schema parses them with a Chinese message and the value's position
    # (ruamel would raise a bare ValueError for 2020-02-30).
    yaml.Constructor = _text_date_constructor()
    try:
        tree = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = (exc.problem or exc.context or "").strip()
        raise error(
            f"YAML 格式错误（{_explain(detail)}）；请检查缩进、冒号和引号",
            file=str(path),
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except YAMLError as exc:  # pragma: no cover - ruamel marks nearly everything
        raise error(f"YAML 格式错误（{exc}）", file=str(path)) from None
    source = YamlSource(path=path, data=None)
    source.data = _plain(tree, (), source)
    return source


def _text_date_constructor():
    from ruamel.yaml.constructor import RoundTripConstructor

    class TextDateConstructor(RoundTripConstructor):
        pass

    TextDateConstructor.add_constructor(
        "tag:yaml.org,2002:timestamp", lambda constructor, node: constructor.construct_scalar(node)
    )
    return TextDateConstructor


_PROBLEMS = {
    "found duplicate key": "重复的字段名",
    "mapping values are not allowed here": "此处不能出现“键: 值”，可能缺少缩进或引号",
    "could not find expected ':'": "缺少冒号",
    "found character '\\t' that cannot start any token": "不能用 Tab 缩进，请改用空格",
    "expected <block end>, but found": "缩进不一致",
    "found unexpected end of stream": "引号或括号没有闭合",
}


def _explain(detail: str) -> str:
    for english, chinese in _PROBLEMS.items():
        if detail.startswith(english):
            return f"{chinese}；{detail}"
    return detail or "无法解析"


def _plain(node: Any, path: FieldPath, source: YamlSource) -> Any:
    """Convert ruamel's round-trip nodes to dict/list/scalars, recording positions as we go."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        result = {}
        for key, value in node.items():
            child = (*path, str(key))
            key_line, key_col = node.lc.key(key)
            source.keys[child] = (key_line + 1, key_col + 1)
            try:
                value_line, value_col = node.lc.value(key)
                source.values[child] = (value_line + 1, value_col + 1)
            except (KeyError, TypeError):
                source.values[child] = (key_line + 1, key_col + 1)
            result[str(key)] = _plain(value, child, source)
        return result
    if isinstance(node, CommentedSeq):
        result_list = []
        for index, value in enumerate(node):
            child = (*path, index)
            line, col = node.lc.item(index)
            source.values[child] = (line + 1, col + 1)
            result_list.append(_plain(value, child, source))
        return result_list
    if isinstance(node, str):
        return str(node)  # drop ruamel's scalar-string subclasses
    return node
