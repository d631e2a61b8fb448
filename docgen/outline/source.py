"""Read a YAML file into plain Python data while remembering where every key and value stood.

Positions let every later error (schema, framework, template data) name ``file:line:column``.
Used for outlines, profiles and frameworks alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from docgen.errors import OutlineError, Problem
from docgen.limits import env_hint, limit

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


def read_text(path: Path, error: type = OutlineError, max_bytes: int | None = None) -> str:
    """Read a UTF-8 text file (a BOM is allowed) or raise a Chinese error naming the spot.

    ``max_bytes``: refuse larger files; only that much is ever read (``/dev/zero`` included).
    """
    try:
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1) if max_bytes is not None else handle.read()
    except FileNotFoundError:
        raise error("找不到文件", file=str(path)) from None
    except IsADirectoryError:
        raise error("这是一个目录，不是文件", file=str(path)) from None
    except OSError as exc:
        raise error(f"无法读取文件（{exc.strerror}）", file=str(path)) from None
    if max_bytes is not None and len(raw) > max_bytes:
        raise error(
            f"文件太大（超过 {max_bytes / 1e6:g} MB）：提纲、样式和框架文件通常只有几 KB，"
            f"大量表格数据请放进 CSV 文件（数据文件 csv: 字段）；{env_hint('YAML_MAX_BYTES')}",
            file=str(path),
        )
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


def load_yaml(path: str | Path, error: type = OutlineError, *, cache: bool = False) -> YamlSource:
    """Parse a YAML file; syntax errors become a Chinese :class:`DocgenError` with line:column.

    ``cache``: keep the parsed result (data and positions) in the cache folder, keyed by the
    file's text and the limits the check applies, and use it when the same text comes again
    (profiles, presets, frameworks: files that rarely change, parsed on every run)."""
    path = Path(path)
    text = read_text(path, error, int(limit("YAML_MAX_BYTES")))
    if not cache:
        return _parse_yaml(path, text, error)
    from docgen import cache as _cache

    key = _cache.key("yaml", text, limit("YAML_MAX_DEPTH"), limit("YAML_MAX_ALIAS_NODES"))
    source = _cache.load("yaml", key)
    if isinstance(source, YamlSource):
        source.path = path
        return source
    source = _parse_yaml(path, text, error)
    _cache.store("yaml", key, source)
    return source


def _parse_yaml(path: Path, text: str, error: type) -> YamlSource:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt", pure=True)
    # Keep dates as text: the schema parses them with a Chinese message and the value's position
    # (ruamel would raise a bare ValueError for 2020-02-30).
    yaml.Constructor = _text_date_constructor()
    yaml.Parser = _checking_parser()
    # The plain scanner: comments are not kept (the data is copied out as plain values with
    # positions), and gathering them was a third of the parse.
    from ruamel.yaml.scanner import Scanner

    yaml.Scanner = Scanner
    try:
        # The structure check sees every event as the composer takes it: one parse, and a
        # refused file stops before anything deep or expanded is built.
        yaml.parser.check = _StructureCheck(text, path, error)
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


# Tags a plain data file may carry; anything else (``!!python/object``, ``!include``, ``!foo``) is
# refused before construction: no tag ever builds an object or reads a file.
_SAFE_TAGS = {None, "!"} | {f"tag:yaml.org,2002:{name}" for name in
                            ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}


def check_structure(text: str, path: Path, error: type = OutlineError) -> None:
    """Refuse unsafe tags, deep nesting and alias bombs by streaming the parser's events.

    Runs before composing: ruamel's composer recurses once per level (3,000 levels would be a
    RecursionError) and an alias is a reference that :func:`_plain` copies out, so a 381-byte file
    of nested aliases would become gigabytes. Events come one at a time, so the check stops at
    the first offending one, in milliseconds. (:func:`load_yaml` runs the same check on the
    events as its composer takes them, so the file is parsed once.)
    """
    from ruamel.yaml import YAML

    check = _StructureCheck(text, path, error)
    for event in YAML(typ="rt", pure=True).parse(text):
        check(event)


class _StructureCheck:
    """:func:`check_structure` one event at a time (call with each parser event, in order)."""

    def __init__(self, text: str, path: Path, error: type = OutlineError) -> None:
        from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, NodeEvent, ScalarEvent

        self._types = (AliasEvent, NodeEvent, CollectionStartEvent, CollectionEndEvent, ScalarEvent)
        self.text, self.path, self.error = text, path, error
        self.max_depth = int(limit("YAML_MAX_DEPTH"))
        self.max_alias_nodes = int(limit("YAML_MAX_ALIAS_NODES"))
        self.too_deep = (f"嵌套层数过多（超过 {self.max_depth} 层）：提纲、样式和框架文件只需几层缩进；"
                         f"{env_hint('YAML_MAX_DEPTH')}")
        # A run of opening brackets is the one shape the scanner is slow on (it looks ahead 1,024
        # characters for a possible key at every level): refuse it from the text alone.
        run = re.search(r"(?:[\[{][ \t\r\n]*){%d,}" % (self.max_depth + 1), text)
        if run:
            self.fail(self.too_deep, offset=run.start())
        self.nodes = 0  # values after expanding aliases
        self.by_alias = 0  # of which added by alias references
        self.open_collections: list[tuple[str | None, int]] = []  # (anchor, nodes before it)
        self.sizes: dict[str, int] = {}  # anchor → values under it, expanded

    def fail(self, message: str, event=None, offset: int | None = None) -> None:
        text = self.text
        if event is not None:
            line, column = event.start_mark.line + 1, event.start_mark.column + 1
        else:
            line = text.count("\n", 0, offset) + 1
            column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise self.error(message, file=str(self.path), line=line, column=column)

    def __call__(self, event) -> None:
        alias_event, node_event, start_event, end_event, scalar_event = self._types
        if isinstance(event, alias_event):
            if any(anchor == event.anchor for anchor, _ in self.open_collections):
                self.fail(f"别名 *{event.anchor} 引用了包含它自己的 &{event.anchor}（循环引用）", event)
            size = self.sizes.get(event.anchor, 1)
            self.nodes += size
            self.by_alias += size
            if self.by_alias > self.max_alias_nodes:
                self.fail(f"别名（*{event.anchor}）展开后的内容过多（超过 {self.max_alias_nodes} 项），"
                          f"可能是恶意构造的“别名炸弹”；{env_hint('YAML_MAX_ALIAS_NODES')}", event)
            return
        if isinstance(event, node_event):
            if event.tag not in _SAFE_TAGS:
                shown = str(event.tag).replace("tag:yaml.org,2002:", "!!")
                self.fail(f"不支持的 YAML 标签“{shown}”：文件中不能使用类型标签（出于安全考虑，"
                          "也不会执行 !!python 等标签）；请删除它，或给整个值加上引号", event)
            self.nodes += 1
        if isinstance(event, start_event):
            self.open_collections.append((event.anchor, self.nodes - 1))
            if len(self.open_collections) > self.max_depth:
                self.fail(self.too_deep, event)
        elif isinstance(event, end_event):
            anchor, before = self.open_collections.pop()
            if anchor:
                self.sizes[anchor] = self.nodes - before
        elif isinstance(event, scalar_event) and event.anchor:
            self.sizes[event.anchor] = 1


_CHECKING_PARSER = None


def _checking_parser():
    """ruamel's round-trip parser, calling ``self.check(event)`` on every event it hands out."""
    global _CHECKING_PARSER
    if _CHECKING_PARSER is None:
        from ruamel.yaml.parser import RoundTripParser

        class CheckingParser(RoundTripParser):
            check = None

            def get_event(self):
                event = super().get_event()
                if self.check is not None:
                    self.check(event)
                return event

        _CHECKING_PARSER = CheckingParser
    return _CHECKING_PARSER


@lru_cache(maxsize=1)
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
