"""Batch generation (mail merge): one outline × N data rows → N documents, in parallel.

Each row's columns are template variables for every ``{{ … }}`` in the outline's text, and a column
named like an outline field (``主送``, ``文号``, ``number`` …) replaces that field. Rows are
isolated: a bad row is skipped and reported (console and ``OUTDIR/batch-report.csv``) while the
others are produced. Templates, profile and fonts load once per worker process; every file is
written atomically, so an interrupted run leaves only complete files and ``--skip-existing``
finishes it.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError
from docgen.outline.tables import decode_table

INDEX_COLUMN = "序号"
REPORT_NAME = "batch-report.csv"


# --- reading the data table ----------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    number: int  # the row's line in the table (header = 1), as a spreadsheet shows it
    index: int  # 1-based position among data rows: the {序号} of the name pattern
    values: dict[str, str]


def read_rows(path: Path, encoding: str | None = None) -> list[Row]:
    """Rows of a CSV (UTF-8 with or without BOM, or GBK — detected) or XLSX file."""
    path = Path(path)
    if not path.is_file():
        raise DocgenError("找不到数据文件", file=str(path))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        header, records = _xlsx_records(path)
    else:
        header, records = _csv_records(path, encoding)
    header = [name.strip() for name in header]
    if not any(header):
        raise DocgenError("数据文件第 1 行应是列名", file=str(path), line=1)
    duplicates = sorted({name for name in header if name and header.count(name) > 1})
    if duplicates:
        raise DocgenError(f"列名重复：{'、'.join(duplicates)}", file=str(path), line=1)
    rows = []
    for number, record in records:
        if not any(cell.strip() for cell in record):
            continue  # blank lines are not rows
        values = {name: (record[i].strip() if i < len(record) else "") for i, name in enumerate(header) if name}
        rows.append(Row(number=number, index=len(rows) + 1, values=values))
    if not rows:
        raise DocgenError("数据文件没有数据行", file=str(path))
    return rows


def _csv_records(path: Path, encoding: str | None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        text = decode_table(path.read_bytes(), encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise DocgenError(f"无法按 {encoding or 'UTF-8/GBK'} 解码数据文件（{exc}）；可用 --encoding 指定编码", file=str(path)) from None
    except OSError as exc:
        raise DocgenError(f"无法读取数据文件（{exc.strerror}）", file=str(path)) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    lines = list(reader)
    if not lines:
        raise DocgenError("数据文件是空的", file=str(path))
    # csv.reader's line_num counts physical lines; rows are numbered as a spreadsheet would.
    return lines[0], [(i + 2, record) for i, record in enumerate(lines[1:])]


def _xlsx_records(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise DocgenError("读取 XLSX 需要 openpyxl") from None
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise DocgenError(f"无法读取 XLSX 文件（{exc}）", file=str(path)) from None
    sheet = workbook.worksheets[0]
    rows = [[_cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    if not rows:
        raise DocgenError("数据文件是空的", file=str(path))
    return rows[0], [(i + 2, record) for i, record in enumerate(rows[1:])]


def _cell_text(value: Any) -> str:
    from datetime import date, datetime

    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --- output names --------------------------------------------------------------------------
_UNSAFE = re.compile(r'[\\/:*?"<>|]')


def sanitise_name(name: str, fallback: str) -> str:
    """A file name that stays inside OUTDIR: no separators, no '..', no control characters."""
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name).replace("..", "_").strip(" .")
    return name[:120] or fallback


def output_names(rows: list[Row], pattern: str) -> tuple[dict[int, str], dict[int, str]]:
    """Unique, safe base names by row index, and the rows whose pattern needs a missing column."""
    names: dict[int, str] = {}
    errors: dict[int, str] = {}
    seen: dict[str, int] = {}
    for row in rows:
        context = {INDEX_COLUMN: str(row.index), **row.values}
        try:
            base = pattern.format_map(_Strict(context))
        except KeyError as exc:
            errors[row.index] = f"文件名模式需要“{exc.args[0]}”列，数据中没有"
            continue
        except (ValueError, IndexError):
            raise DocgenError(f"文件名模式无效：{pattern}") from None
        base = sanitise_name(base, str(row.index))
        key = base.casefold()
        seen[key] = seen.get(key, 0) + 1
        names[row.index] = base if seen[key] == 1 else f"{base}-{seen[key]}"
    return names, errors


class _Strict(dict):
    def __missing__(self, key: str) -> str:
        raise KeyError(key)


# --- merging a row into the outline --------------------------------------------------------
def merge_row(data: dict, row: Row, field_of: Callable[[str], str | None], render: Callable[[str, dict], str]) -> dict:
    """The outline's data with the row applied: named fields replaced, ``{{ }}`` filled in.

    ``field_of`` maps a key (English or Chinese alias) to its outline field, or None.
    """
    merged = dict(data)
    for column, value in row.values.items():
        target_field = field_of(column)
        if target_field is None:
            continue  # an ordinary column: only a template variable
        for key in [k for k in merged if field_of(k) == target_field]:
            del merged[key]
        merged[column] = value
    return _fill(merged, {INDEX_COLUMN: row.index, **row.values}, render)


def _fill(value: Any, context: dict, render: Callable[[str, dict], str]) -> Any:
    if isinstance(value, str):
        return render(value, context) if ("{{" in value or "{%" in value) else value
    if isinstance(value, list):
        return [_fill(item, context, render) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, context, render) for key, item in value.items()}
    return value


# --- the worker ----------------------------------------------------------------------------
@dataclass
class Job:
    outline: Path
    formats: tuple[str, ...]
    outdir: Path
    profile: Path | None = None
    templates: Path | None = None
    font_dir: Path | None = None


@dataclass
class RowResult:
    row: int
    index: int
    name: str
    status: str  # 成功 / 失败 / 跳过
    reason: str = ""
    files: list[str] = field(default_factory=list)


_WORKER: dict[str, Any] = {}


def _init_worker(job: Job) -> None:
    """Load what every row shares once per process: outline source, profile, templates, fonts.

    A forked worker inherits the parent's prepared state (and its registered fonts) and starts
    at once; a spawned one (macOS, Windows) prepares its own.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides how to stop
    if _WORKER.get("job") != job:
        _WORKER.clear()
        _WORKER.update(_prepare(job))


def _prepare(job: Job) -> dict[str, Any]:
    from docgen.api import templates_dir
    from docgen.outline import schema
    from docgen.outline.loader import kind_of
    from docgen.outline.source import load_yaml
    from docgen.style.profile import load_profile

    source = load_yaml(job.outline)
    if not isinstance(source.data, dict):
        raise DocgenError("提纲文件的顶层应是“键: 值”的映射", file=str(job.outline))
    kind = kind_of(source, source.data)
    prepared = {
        "job": job,
        "source": source,
        "field_of": _field_lookup(schema.KINDS[kind], schema.ALIASES[schema.KINDS[kind]]),
        "profile": load_profile(job.profile),
        "templates": templates_dir(job.templates),
        "render": _string_renderer(),
        "fontset": None,
    }
    if "pdf" in job.formats:
        from docgen.api import load_fontset

        prepared["fontset"] = load_fontset(prepared["profile"], job.font_dir)
    if "docx" in job.formats:
        from docgen.writers.docx import layout_metrics

        # Where the .docx puts the 版记 follows the layout's pagination with these metrics.
        prepared["metrics"] = prepared["fontset"] or layout_metrics(prepared["profile"], job.font_dir)
    return prepared


def _field_lookup(model, aliases: dict[str, str]) -> Callable[[str], str | None]:
    fields = set(model.model_fields) - {"kind"}

    def field_of(key: str) -> str | None:
        name = aliases.get(key, key)
        return name if name in fields else None

    return field_of


def _string_renderer() -> Callable[[str, dict], str]:
    """Render a data string as a sandboxed, strict template (compiled once per distinct string)."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    compiled: dict[str, Any] = {}

    def render(text: str, context: dict) -> str:
        if text not in compiled:
            compiled[text] = env.from_string(text)
        return compiled[text].render(context)

    return render


def _render_row(row: Row, name: str, skip_existing: bool) -> RowResult:
    from jinja2 import TemplateError as JinjaError

    from docgen.api import document_from
    from docgen.output import write_atomic
    from docgen.outline.loader import validate_outline

    state = _WORKER
    job: Job = state["job"]
    targets = [job.outdir / f"{name}.{fmt}" for fmt in job.formats]
    result = RowResult(row=row.number, index=row.index, name=name, status="成功")
    if skip_existing and all(target.exists() for target in targets):
        result.status = "跳过"
        result.reason = "文件已存在"
        return result
    try:
        data = merge_row(state["source"].data, row, state["field_of"], state["render"])
        loaded = validate_outline(state["source"], data)
        document = document_from(loaded, state["profile"], state["templates"])
        encoded = [_encode(fmt, document, state) for fmt in job.formats]
    except DocgenError as exc:
        return _failed(result, "；".join(_row_reason(p) for p in exc.problems))
    except JinjaError as exc:
        return _failed(result, f"模板错误：{_jinja_reason(exc)}")
    except Exception as exc:  # noqa: BLE001 - one row's crash must not stop the others
        return _failed(result, f"内部错误：{type(exc).__name__}: {exc}")
    for target, data_bytes in zip(targets, encoded):
        write_atomic(target, data_bytes)
        result.files.append(target.name)
    return result


def _encode(fmt: str, document, state: dict) -> bytes:
    buffer = io.BytesIO()
    if fmt == "docx":
        from docgen.writers.docx import write_docx

        write_docx(document, state["profile"], buffer, metrics=state.get("metrics"))
    else:
        from docgen.writers.pdf import write_pdf

        write_pdf(document, state["profile"], buffer, fontset=state["fontset"])
    return buffer.getvalue()


def _row_reason(problem) -> str:
    """A row's problem comes from its data, so name the field rather than the outline's line."""
    return f"{problem.field}：{problem.message}" if problem.field else problem.message


def _failed(result: RowResult, reason: str) -> RowResult:
    result.status = "失败"
    result.reason = reason
    return result


def _jinja_reason(exc: Exception) -> str:
    match = re.search(r"'([^']+)' is undefined", str(exc))
    return f"数据中没有“{match.group(1)}”列" if match else str(exc)


# --- the run -------------------------------------------------------------------------------
@dataclass
class BatchResult:
    results: list[RowResult]
    report: Path

    @property
    def failed(self) -> list[RowResult]:
        return [r for r in self.results if r.status == "失败"]

    @property
    def succeeded(self) -> list[RowResult]:
        return [r for r in self.results if r.status == "成功"]

    @property
    def skipped(self) -> list[RowResult]:
        return [r for r in self.results if r.status == "跳过"]


def run_batch(
    job: Job,
    data: Path,
    *,
    name_pattern: str = "{序号}",
    workers: int | None = None,
    encoding: str | None = None,
    skip_existing: bool = False,
    progress: Callable[[int, int], None] | None = None,
    on_result: Callable[[RowResult], None] | None = None,
) -> BatchResult:
    """Render every row. Raises DocgenError only when nothing can start (bad outline, bad data)."""
    rows = read_rows(data, encoding)
    job.outdir.mkdir(parents=True, exist_ok=True)
    _remove_stale_temp_files(job.outdir)
    shared = _prepare(job)  # validates outline/profile/templates once, before any worker starts
    _check_outline_once(shared, rows[0])
    names, name_errors = output_names(rows, name_pattern)
    results = [RowResult(row.number, row.index, "", "失败", name_errors[row.index]) for row in rows if row.index in name_errors]
    pending_rows = [(row, names[row.index]) for row in rows if row.index in names]
    workers = max(1, min(workers or os.cpu_count() or 1, len(pending_rows) or 1))

    def record(result: RowResult) -> None:
        results.append(result)
        if on_result:
            on_result(result)
        if progress:
            progress(len(results), len(rows))

    for result in list(results):
        if on_result:
            on_result(result)
    _WORKER.clear()
    _WORKER.update(shared)
    try:
        if workers == 1:
            for row, name in pending_rows:
                record(_render_row(row, name, skip_existing))
        else:
            _run_parallel(job, pending_rows, workers, skip_existing, record)
    finally:
        results.sort(key=lambda r: r.index)
        report = write_report(job.outdir, results)
    return BatchResult(results=results, report=report)


def _run_parallel(job: Job, pending_rows, workers: int, skip_existing: bool, record) -> None:
    import multiprocessing

    # fork on Linux: workers start with the templates, profile and fonts already loaded (spawning
    # each worker costs ~0.6 s of imports and font loading). Workers print nothing, so the progress
    # bar's thread in the parent is of no concern to them.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(job,))
    queue = iter(pending_rows)
    running: dict[Future, tuple[Row, str]] = {}
    try:
        # Keep a bounded number of rows in flight so memory does not grow with the table.
        for row, name in _take(queue, workers * 4):
            running[executor.submit(_render_row, row, name, skip_existing)] = (row, name)
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                row, name = running.pop(future)
                try:
                    record(future.result())
                except Exception as exc:  # a crash inside a worker is that row's failure
                    record(RowResult(row.number, row.index, name, "失败", f"内部错误：{exc!r}"))
                for next_row, next_name in _take(queue, 1):
                    running[executor.submit(_render_row, next_row, next_name, skip_existing)] = (next_row, next_name)
    except BaseException:
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    executor.shutdown(wait=True)


def _take(iterator, count: int) -> Iterable:
    for _ in range(count):
        try:
            yield next(iterator)
        except StopIteration:
            return


STRUCTURAL = {"unknown_key", "list_type", "dict_type", "model_type"}


def _check_outline_once(shared: dict, first: Row) -> None:
    """Stop before any work when every row would fail the same way: the outline's structure is
    wrong (unknown key, list where a mapping belongs) or its template is broken. Value problems
    may depend on a row's data and are reported per row instead."""
    from docgen.api import document_from
    from docgen.errors import OutlineError, TemplateError
    from docgen.outline.loader import validate_outline

    try:
        data = merge_row(shared["source"].data, first, shared["field_of"], shared["render"])
        document_from(validate_outline(shared["source"], data), shared["profile"], shared["templates"])
    except OutlineError as exc:
        if any(problem.code in STRUCTURAL for problem in exc.problems):
            raise
    except TemplateError:
        raise
    except Exception:  # noqa: BLE001 - anything else is that row's problem, reported in the run
        pass


def _remove_stale_temp_files(outdir: Path) -> None:
    """Temporary files of a run that was killed (SIGKILL cannot be caught) are never outputs."""
    for temp in outdir.glob(".*.tmp"):
        temp.unlink(missing_ok=True)


def write_report(outdir: Path, results: list[RowResult]) -> Path:
    from docgen.output import write_atomic

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["行号", "序号", "文件名", "状态", "原因", "文件"])
    for r in results:
        writer.writerow([r.row, r.index, r.name, r.status, r.reason, " ".join(r.files)])
    # UTF-8 with BOM so that Excel on Windows opens it with the right encoding.
    return write_atomic(outdir / REPORT_NAME, ("\ufeff" + buffer.getvalue()).encode("utf-8"))
