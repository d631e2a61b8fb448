"""Tables and charts of a report: read their data (YAML rows or CSV), number them, hand them to the
template as references (``T1``, ``C1``) that the markup parser swaps for model objects."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from docgen.errors import OutlineError
from docgen.model import Chart, Table

_NUMBER = re.compile(r"^[-+]?\d[\d,]*(\.\d+)?%?$")


def collect_figures(outline, context: dict[str, Any], base_dir: Path) -> dict[str, Table | Chart]:
    """Build every Table/Chart in document order; add ``ref``/``chart_ref`` to the template context."""
    figures: dict[str, Table | Chart] = {}
    tables = charts = 0
    for s_index, section in enumerate(getattr(outline, "sections", [])):
        for t_index, spec in enumerate(section.tables):
            tables += 1
            table = _table(spec, tables, base_dir, f"sections[{s_index}].tables[{t_index}]")
            entry = context["sections"][s_index]["tables"][t_index]
            entry["ref"] = f"T{tables}"
            entry["chart_ref"] = None
            figures[entry["ref"]] = table
            if spec.chart is not None:
                charts += 1
                entry["chart_ref"] = f"C{charts}"
                figures[entry["chart_ref"]] = _chart(spec, table, charts)
    return figures


def _table(spec, number: int, base_dir: Path, where: str) -> Table:
    columns, rows = list(spec.columns), [[_cell(v) for v in row] for row in spec.rows]
    if spec.csv:
        columns, rows = _read_csv(base_dir / spec.csv, where)
    if not columns:
        raise OutlineError(f"{where}：表格需要列名（columns）或数据文件（csv）")
    for i, row in enumerate(rows):
        if len(row) != len(columns):
            raise OutlineError(f"{where}.rows[{i}]：这一行有 {len(row)} 格，表头有 {len(columns)} 列")
    numeric = tuple(bool(rows) and all(_NUMBER.match(row[c].replace(" ", "")) for row in rows if row[c])
                    for c in range(len(columns)))
    return Table(number=number, caption=spec.caption, columns=tuple(columns),
                 rows=tuple(tuple(row) for row in rows), style=spec.style or "", numeric=numeric)


def _read_csv(path: Path, where: str) -> tuple[list[str], list[list[str]]]:
    from docgen.batch import decode_table

    try:
        text = decode_table(path.read_bytes())
    except OSError:
        raise OutlineError(f"{where}.csv：找不到或无法读取数据文件 {path}") from None
    records = [r for r in csv.reader(io.StringIO(text, newline="")) if any(cell.strip() for cell in r)]
    if not records:
        raise OutlineError(f"{where}.csv：数据文件是空的：{path}")
    return [c.strip() for c in records[0]], [[c.strip() for c in r] for r in records[1:]]


def _cell(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _chart(spec, table: Table, number: int) -> Chart:
    chart = spec.chart
    wanted = chart.columns or [c for c, is_num in zip(table.columns[1:], table.numeric[1:]) if is_num]
    missing = [c for c in wanted if c not in table.columns]
    if missing or not wanted:
        raise OutlineError(f"图“{chart.caption or table.caption}”：表中没有可画的数值列 {'、'.join(missing)}")
    series = []
    for column in wanted:
        index = table.columns.index(column)
        values = tuple(_to_float(row[index]) for row in table.rows)
        series.append((column, values))
    categories = tuple(row[0] for row in table.rows)
    return Chart(number=number, caption=chart.caption or table.caption, kind=chart.kind,
                 categories=categories, series=tuple(series), unit=chart.unit)


def _to_float(text: str) -> float:
    cleaned = text.replace(",", "").replace("%", "").strip()
    try:
        return float(cleaned) if cleaned else 0.0
    except ValueError:
        raise OutlineError(f"图表数据“{text}”不是数字") from None
