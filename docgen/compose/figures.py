"""Tables and charts of a report: read their data (YAML rows or CSV), number them, hand them to the
template as references (``T1``, ``C1``) that the markup parser swaps for model objects."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docgen.errors import OutlineError, Problem
from docgen.limits import env_hint, limit
from docgen.model import Chart, Table
from docgen.outline.source import FieldPath, format_path

Locate = Callable[[str, FieldPath], Path]  # a path written in the outline → the confined file
Where = Callable[[str, FieldPath], Problem]  # message, field path → a positioned problem


def _unplaced(message: str, path: FieldPath) -> Problem:
    return Problem(message, field=format_path(path) or None)

_NUMBER = re.compile(r"^[-+]?\d[\d,]*(\.\d+)?%?$")


def collect_figures(outline, context: dict[str, Any], base_dir: Path, *, locate: Locate | None = None,
                    where: Where = _unplaced) -> dict[str, Table | Chart]:
    """Build every Table/Chart in document order; add ``ref``/``chart_ref`` to the template context.

    ``locate`` turns a ``csv:`` path into the file to read (default: under ``base_dir`` only).
    """
    if locate is None:
        from docgen.outline.paths import confine

        def locate(value: str, path: FieldPath) -> Path:
            return confine(value, base_dir, field=format_path(path))

    figures: dict[str, Table | Chart] = {}
    tables = charts = 0
    for s_index, section in enumerate(getattr(outline, "sections", [])):
        for t_index, spec in enumerate(section.tables):
            tables += 1
            table = _table(spec, tables, locate, where, ("sections", s_index, "tables", t_index))
            entry = context["sections"][s_index]["tables"][t_index]
            entry["ref"] = f"T{tables}"
            entry["chart_ref"] = None
            figures[entry["ref"]] = table
            if spec.chart is not None:
                charts += 1
                entry["chart_ref"] = f"C{charts}"
                figures[entry["chart_ref"]] = _chart(spec, table, charts, where,
                                                     ("sections", s_index, "tables", t_index, "chart"))
    return figures


def _table(spec, number: int, locate: Locate, where: Where, at: FieldPath) -> Table:
    columns, rows = list(spec.columns), [[_cell(v) for v in row] for row in spec.rows]
    if spec.csv:
        columns, rows = _read_csv(locate(spec.csv, (*at, "csv")), where, (*at, "csv"))
    if not columns:
        raise OutlineError([where("表格需要列名（columns）或数据文件（csv）", at)])
    for i, row in enumerate(rows):
        if len(row) != len(columns):
            raise OutlineError([where(f"这一行有 {len(row)} 格，表头有 {len(columns)} 列", (*at, "rows", i))])
    numeric = tuple(bool(rows) and all(_NUMBER.match(row[c].replace(" ", "")) for row in rows if row[c])
                    for c in range(len(columns)))
    return Table(number=number, caption=spec.caption, columns=tuple(columns),
                 rows=tuple(tuple(row) for row in rows), style=spec.style or "", numeric=numeric)


def _read_csv(path: Path, where: Where, at: FieldPath) -> tuple[list[str], list[list[str]]]:
    from docgen.outline.paths import read_limited
    from docgen.outline.tables import decode_table

    problem = where("", at)
    place = {"file": problem.file, "line": problem.line, "column": problem.column, "field": problem.field}
    max_bytes = int(limit("TABLE_MAX_BYTES"))
    raw = read_limited(path, max_bytes, what="表格数据文件", hint=env_hint("TABLE_MAX_BYTES"), **place)
    try:
        text = decode_table(raw)
    except UnicodeDecodeError:
        raise OutlineError(f"表格数据文件既不是 UTF-8 也不是 GBK 编码：{path}；请用 UTF-8 另存后再试", **place) from None
    import csv  # only outlines with a csv: table need it

    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[list[str]] = []
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if records and len(record) != len(records[0]):
                raise OutlineError(f"表格数据文件 {path.name} 第 {reader.line_num} 行有 {len(record)} 格，"
                                   f"表头有 {len(records[0])} 列：{path}", **place)
            records.append([cell.strip() for cell in record])
    except csv.Error as exc:
        raise OutlineError(f"表格数据文件不是有效的 CSV（第 {reader.line_num} 行：{exc}）：{path}", **place) from None
    if not records:
        raise OutlineError(f"表格数据文件是空的：{path}", **place)
    return records[0], records[1:]


def _cell(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _chart(spec, table: Table, number: int, where: Where = _unplaced, at: FieldPath = ()) -> Chart:
    chart = spec.chart
    wanted = chart.columns or [c for c, is_num in zip(table.columns[1:], table.numeric[1:]) if is_num]
    missing = [c for c in wanted if c not in table.columns]
    if missing or not wanted:
        raise OutlineError([where(f"图“{chart.caption or table.caption}”：表中没有可画的数值列 {'、'.join(missing)}", at)])
    series = []
    for column in wanted:
        index = table.columns.index(column)
        values = tuple(_to_float(row[index], where, at) for row in table.rows)
        series.append((column, values))
    categories = tuple(row[0] for row in table.rows)
    return Chart(number=number, caption=chart.caption or table.caption, kind=chart.kind,
                 categories=categories, series=tuple(series), unit=chart.unit)


def _to_float(text: str, where: Where = _unplaced, at: FieldPath = ()) -> float:
    cleaned = text.replace(",", "").replace("%", "").strip()
    try:
        return float(cleaned) if cleaned else 0.0
    except ValueError:
        raise OutlineError([where(f"图表数据“{text}”不是数字", at)]) from None
