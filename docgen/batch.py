"""Batch generation (mail merge): one outline × N data rows → N documents, in parallel.

Each row's columns are template variables for every ``{{ … }}`` in the outline's text, and a column
named like an outline field (``主送``, ``文号``, ``number`` …) replaces that field. Cells are data:
their own ``{{ }}`` is printed, never run. Rows are isolated: a bad row — a blank cell for a needed
field, a value the schema refuses, a row over ``row_timeout`` — is skipped and reported (grouped
on the console, one line per row in ``OUTDIR/batch-report.csv``) while the others are produced.
Templates, profile and fonts load once; every file is written atomically under a name unique
within the run, so an interrupted run leaves only complete files and ``--skip-existing`` finishes it.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError
from docgen.limits import ZIP_MAX_MEMBERS, ZIP_MAX_RATIO, zip_problem
from docgen.outline.tables import decode_table

INDEX_COLUMN = "序号"
REPORT_NAME = "batch-report.csv"


# --- limits --------------------------------------------------------------------------------
MAX_ROWS = 100_000  # data rows per run; --max-rows raises it
MAX_DATA_BYTES = 50 * 2**20  # a CSV or XLSX file as stored
XLSX_MAX_UNCOMPRESSED = 200 * 2**20  # all members of the workbook's zip, unpacked
XLSX_MAX_MEMBERS = ZIP_MAX_MEMBERS
XLSX_MAX_RATIO = ZIP_MAX_RATIO  # unpacked / packed, for members over 1 MiB
ROW_TIMEOUT = 60.0  # seconds per row (a normal row takes well under a second); --row-timeout
# write_atomic's temporary file is ".<name>.<8 random>.tmp": 14 bytes more than the output's name,
# and both must fit the 255-byte limit of common file systems (ext4, APFS, NTFS counts UTF-16).
NAME_BYTES = 255 - len(".") - len(".12345678.tmp")


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f} MB" if size >= 2**20 else f"{size / 1024:.0f} KB"


# --- reading the data table ----------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    number: int  # the row's line in the table (header = 1), as a spreadsheet shows it
    index: int  # 1-based position among data rows: the {序号} of the name pattern
    values: dict[str, str]


def read_rows(path: Path, encoding: str | None = None, *, max_rows: int = MAX_ROWS) -> list[Row]:
    """Rows of a CSV (UTF-8 with or without BOM, or GBK — detected) or XLSX file."""
    path = Path(path)
    if not path.is_file():
        raise DocgenError("找不到数据文件", file=str(path))
    size = path.stat().st_size
    if size > MAX_DATA_BYTES:
        raise DocgenError(f"数据文件有 {_mb(size)}，超过上限 {_mb(MAX_DATA_BYTES)}；请把它拆成几个文件分批生成",
                          file=str(path))
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
        if len(rows) == max_rows:
            raise DocgenError(f"数据行超过 {max_rows} 行的上限；确需一次生成更多，可加 --max-rows 调高", file=str(path),
                              line=number)
        values = {name: (record[i].strip() if i < len(record) else "") for i, name in enumerate(header) if name}
        rows.append(Row(number=number, index=len(rows) + 1, values=values))
    if not rows:
        raise DocgenError("数据文件没有数据行", file=str(path))
    return rows


def _csv_records(path: Path, encoding: str | None) -> tuple[list[str], Iterable[tuple[int, list[str]]]]:
    try:
        text = decode_table(path.read_bytes(), encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise DocgenError(f"无法按 {encoding or 'UTF-8/GBK'} 解码数据文件（{exc}）；可用 --encoding 指定编码", file=str(path)) from None
    except OSError as exc:
        raise DocgenError(f"无法读取数据文件（{exc.strerror}）", file=str(path)) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DocgenError("数据文件是空的", file=str(path)) from None
    except csv.Error as exc:
        raise DocgenError(f"CSV 格式有误（{exc}）", file=str(path), line=1) from None
    # csv.reader's line_num counts physical lines; rows are numbered as a spreadsheet would.
    return header, _numbered(reader, path)


def _numbered(records: Iterable[list[str]], path: Path) -> Iterable[tuple[int, list[str]]]:
    number = 1
    try:
        for number, record in enumerate(records, start=2):
            yield number, record
    except csv.Error as exc:
        raise DocgenError(f"CSV 格式有误（{exc}）", file=str(path), line=number + 1) from None


def check_xlsx_archive(path: Path) -> None:
    """An XLSX is a zip: refuse one that would unpack to far more than any real table (a zip bomb)
    from the sizes its directory declares — zipfile never inflates a member beyond them — before
    openpyxl reads a byte of XML."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise DocgenError(f"无法读取 XLSX 文件（不是有效的 xlsx/zip 文件：{exc}）", file=str(path)) from None
    problem = zip_problem(members, XLSX_MAX_UNCOMPRESSED, XLSX_MAX_MEMBERS, XLSX_MAX_RATIO)
    if problem is None:
        return
    what, detail = problem
    if what == "members":
        raise DocgenError(f"XLSX 文件内含 {detail} 个部件，超过上限 {XLSX_MAX_MEMBERS}，不像正常的表格；"
                          "请用 Excel/WPS 另存为 CSV 后再试", file=str(path))
    if what == "unpacked":
        raise DocgenError(f"XLSX 文件解压后有 {_mb(detail)}，超过上限 {_mb(XLSX_MAX_UNCOMPRESSED)}；"
                          "请删去无关的工作表或拆分后再试", file=str(path))
    raise DocgenError(f"XLSX 文件的部件 {detail.filename} 压缩比异常（{_mb(detail.compress_size)} 解压为 "
                      f"{_mb(detail.file_size)}），可能是“压缩炸弹”，已拒绝读取", file=str(path))


def _xlsx_records(path: Path) -> tuple[list[str], Iterable[tuple[int, list[str]]]]:
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise DocgenError("读取 XLSX 需要 openpyxl") from None
    check_xlsx_archive(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = [_cell_text(cell) for cell in next(lines, ())]
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise DocgenError(f"无法读取 XLSX 文件（{exc}）", file=str(path)) from None
    if not header:
        workbook.close()
        raise DocgenError("数据文件是空的", file=str(path))

    def records() -> Iterable[tuple[int, list[str]]]:
        number = 1
        try:
            for number, line in enumerate(lines, start=2):
                yield number, [_cell_text(cell) for cell in line]
        except DocgenError:
            raise
        except Exception as exc:  # noqa: BLE001 - a broken sheet part
            raise DocgenError(f"无法读取 XLSX 文件（第 {number + 1} 行附近：{exc}）", file=str(path)) from None
        finally:
            workbook.close()

    return header, records()


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
# Names Windows reserves for devices, with any extension (a share may be opened from Windows).
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])$", re.IGNORECASE)


def sanitise_name(name: str, fallback: str, max_bytes: int = NAME_BYTES - len(".docx")) -> str:
    """A file name that stays inside OUTDIR: no separators, no '..', no control characters, at
    most ``max_bytes`` of UTF-8 (cut between characters, never inside one)."""
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name).replace("..", "_").strip(" .")
    if _RESERVED.match(name):
        name = f"_{name}"
    return _cut_utf8(name, max_bytes).rstrip(" .") or fallback


def _cut_utf8(text: str, max_bytes: int) -> str:
    encoded = unicodedata.normalize("NFC", text).encode("utf-8")
    if len(encoded) <= max_bytes:
        return unicodedata.normalize("NFC", text)
    cut = encoded[:max_bytes].decode("utf-8", errors="ignore")  # drops a half-cut character
    while cut and unicodedata.combining(cut[-1]):  # and a base letter's orphaned accent
        cut = cut[:-1]
    return cut


def _name_key(name: str) -> str:
    """Names that one file system may treat as the same file (case, Unicode normal form)."""
    return unicodedata.normalize("NFC", name).casefold()


def output_names(rows: list[Row], pattern: str, formats: Iterable[str] = ("docx",)) -> tuple[dict[int, str], dict[int, str]]:
    """Unique, safe base names by row index, and the rows whose pattern needs a missing column.

    Unique after sanitising and ignoring case, so no two rows write one file: 甲, 甲, 甲-2 give
    甲, 甲-2, 甲-2-2. Every name with its longest extension fits in :data:`NAME_BYTES`.
    """
    budget = NAME_BYTES - max(len(f".{fmt}".encode()) for fmt in formats)
    names: dict[int, str] = {}
    errors: dict[int, str] = {}
    used: set[str] = set()
    for row in rows:
        context = {INDEX_COLUMN: str(row.index), **row.values}
        try:
            base = pattern.format_map(_Strict(context))
        except KeyError as exc:
            errors[row.index] = f"文件名模式需要“{exc.args[0]}”列，数据中没有"
            continue
        except (ValueError, IndexError, AttributeError):
            raise DocgenError(f"文件名模式无效：{pattern}（列名写在花括号里，例如 \"{{序号}}-{{单位}}\"）") from None
        base = sanitise_name(base, str(row.index), budget)
        name, copy = base, 1
        while _name_key(name) in used:
            copy += 1
            suffix = f"-{copy}"
            name = _cut_utf8(base, budget - len(suffix)) + suffix
        used.add(_name_key(name))
        names[row.index] = name
    return names, errors


class _Strict(dict):
    def __missing__(self, key: str) -> str:
        raise KeyError(key)


# --- merging a row into the outline --------------------------------------------------------
# Fields a document can go without: a blank cell in their column leaves them out. A blank cell
# for any other field (主送, 文号, 标题 …) is that row's error rather than a document that prints
# "：" where the 主送 should be.
BLANK_MEANS_NONE = frozenset({
    "cc", "note", "attachments", "copy_number", "secrecy", "urgency", "subtitle", "seal", "printer",
    "print_date", "occasion", "opening", "closing",
})


class _Blank(str):
    """An empty cell as a template variable: false in ``{% if %}``, an error when printed."""

    column: str

    def __new__(cls, column: str) -> "_Blank":
        blank = super().__new__(cls, "")
        blank.column = column
        return blank


class _BlankCellPrinted(Exception):
    def __init__(self, column: str) -> None:
        super().__init__(column)
        self.column = column


def merge_row(
    data: dict,
    row: Row,
    field_of: Callable[[str], str | None],
    render: Callable[[str, dict], str],
    source=None,
) -> dict:
    """The outline's data with the row applied: ``{{ }}`` in the outline filled in, then named
    fields replaced by their columns.

    Cells are data: a cell's ``{{ }}`` or ``{% %}`` is printed as written, never run. ``field_of``
    maps a key (English or Chinese alias) to its outline field, or None. Raises a DocgenError
    listing the row's blank cells and the outline's places that could not be filled.
    """
    from docgen.errors import Problem
    from docgen.outline.schema import LABELS

    problems: list[Problem] = []
    context = {INDEX_COLUMN: row.index}
    context.update({column: value if value.strip() else _Blank(column) for column, value in row.values.items()})
    merged = _fill(data, context, render, (), problems, source)
    for column, value in row.values.items():
        target_field = field_of(column)
        if target_field is None:
            continue  # an ordinary column: only a template variable
        for key in [k for k in merged if field_of(k) == target_field]:
            del merged[key]
        if value.strip():
            merged[column] = value
        elif target_field not in BLANK_MEANS_NONE:
            label = LABELS.get(target_field, target_field)
            problems.append(Problem(f"“{column}”列为空；{label}不能留空", field=column, code="blank_cell"))
        # PATH RULE: a path from a cell (印章) is resolved by compose exactly like the outline's own
        # (against the outline's folder, confined to it), so the one check there covers batch too.
    if problems:
        raise DocgenError(problems)
    return merged


def _fill(value: Any, context: dict, render: Callable[[str, dict], str], path: tuple, problems: list, source) -> Any:
    if isinstance(value, str):
        if "{{" in value or "{%" in value:
            return _render_text(value, context, render, path, problems, source)
        return value
    if isinstance(value, list):
        return [_fill(item, context, render, (*path, i), problems, source) for i, item in enumerate(value)]
    if isinstance(value, dict):
        return {key: _fill(item, context, render, (*path, key), problems, source) for key, item in value.items()}
    return value


def _render_text(text: str, context: dict, render, path: tuple, problems: list, source) -> str:
    from jinja2 import TemplateError as JinjaError
    from jinja2 import TemplateSyntaxError

    from docgen.errors import Problem, TemplateError
    from docgen.outline.source import format_path

    where = format_path(path)
    try:
        return render(text, context)
    except _BlankCellPrinted as blank:
        name = blank.column
        problems.append(Problem(f"“{name}”列为空，而提纲的{where}要用它（可留空的列请写成 "
                                f"{{% if {name} %}}…{{% endif %}}）", field=name, code="blank_cell"))
    except TemplateSyntaxError as exc:  # the outline's own text: every row would fail alike
        line = source.where(path)[0] if source is not None else None
        raise TemplateError(f"{where} 中的 {{{{ }}}} 写法有误（{exc.message}）",
                            file=str(source.path) if source is not None else None, line=line) from None
    except JinjaError as exc:
        problems.append(Problem(f"模板错误：{_jinja_reason(exc)}", field=where or None, code="template"))
    return text


# --- the worker ----------------------------------------------------------------------------
@dataclass
class Job:
    outline: Path
    formats: tuple[str, ...]
    outdir: Path
    profile: Path | None = None
    templates: Path | None = None
    font_dir: Path | None = None
    allow_paths: tuple[Path, ...] = ()  # folders outside the outline's that its paths may name


@dataclass
class RowResult:
    row: int
    index: int
    name: str
    status: str  # 成功 / 失败 / 跳过
    reason: str = ""
    files: list[str] = field(default_factory=list)
    group: str = ""  # the reason without row-specific values, for the console's summary
    findings: list[str] = field(default_factory=list)  # content findings (L001 …) of a produced row


_WORKER: dict[str, Any] = {}


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

    def finalize(value: Any) -> Any:
        if isinstance(value, _Blank):
            raise _BlankCellPrinted(value.column)
        return value

    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True,
                                        finalize=finalize)
    compiled: dict[str, Any] = {}

    def render(text: str, context: dict) -> str:
        if text not in compiled:
            compiled[text] = env.from_string(text)
        return compiled[text].render(context)

    return render


def _render_row(row: Row, name: str, skip_existing: bool) -> RowResult:
    from docgen.api import document_from
    from docgen.lint import findings_for
    from docgen.output import write_outputs
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
        data = merge_row(state["source"].data, row, state["field_of"], state["render"], state["source"])
        loaded = validate_outline(state["source"], data)
        document = document_from(loaded, state["profile"], state["templates"], allow_paths=job.allow_paths)
        encoded = [_encode(fmt, document, state) for fmt in job.formats]
        write_outputs(dict(zip(targets, encoded)))  # all formats of a row, or none
        result.files = [target.name for target in targets]
        result.findings = [str(f) for f in findings_for(document)]
    except DocgenError as exc:
        _discard(job.outdir, result.files)  # all formats of a row, or none
        columns = _columns_by_field(row, state["field_of"])
        reasons = [_row_reason(p, columns) for p in exc.problems]
        return _failed(result, "；".join(r for r, _ in reasons), "；".join(dict.fromkeys(g for _, g in reasons)))
    except Exception as exc:  # noqa: BLE001 - one row's crash must not stop the others
        _discard(job.outdir, result.files)
        return _failed(result, f"内部错误：{type(exc).__name__}: {exc}", f"内部错误：{type(exc).__name__}")
    return result


def _discard(outdir: Path, names: list[str]) -> None:
    for name in names:
        (outdir / name).unlink(missing_ok=True)


def _encode(fmt: str, document, state: dict) -> bytes:
    buffer = io.BytesIO()
    if fmt == "docx":
        from docgen.writers.docx import write_docx

        write_docx(document, state["profile"], buffer, metrics=state.get("metrics"))
    else:
        from docgen.writers.pdf import write_pdf

        write_pdf(document, state["profile"], buffer, fontset=state["fontset"])
    return buffer.getvalue()


def _columns_by_field(row: Row, field_of: Callable[[str], str | None]) -> dict[str, str]:
    return {target: column for column in row.values if (target := field_of(column))}


_QUOTED = re.compile(r"“[^”]*”")


def _row_reason(problem, columns: dict[str, str]) -> tuple[str, str]:
    """A row's problem in the row's terms — the column it came from, else the outline field — and
    the same with quoted values masked, which groups rows that failed alike."""
    from docgen.outline.schema import LABELS

    message = problem.message
    general = _QUOTED.sub("“…”", message) if problem.code != "blank_cell" else message
    if problem.code in ("blank_cell", "template") or not problem.field:
        return message, general
    top = re.split(r"[.\[]", problem.field, maxsplit=1)[0]
    if top in columns:
        place = f"“{columns[top]}”列"
    else:
        label = LABELS.get(top)
        place = f"提纲的 {problem.field}" + (f"（{label}）" if label and problem.field == top else "")
    if problem.code == "missing":  # 缺少必填字段（标题）: the place already says which
        return f"{place}：缺少必填字段", f"{place}：缺少必填字段"
    return f"{place}：{message}", f"{place}：{general}"


def _failed(result: RowResult, reason: str, group: str = "") -> RowResult:
    result.status = "失败"
    result.reason = reason
    result.group = group or reason
    return result


def _jinja_reason(exc: Exception) -> str:
    match = re.search(r"'([^']+)' is undefined", str(exc))
    return f"数据中没有“{match.group(1)}”列" if match else str(exc)


STRUCTURAL = {"unknown_key", "list_type", "dict_type", "model_type"}


def _check_row(row: Row) -> tuple | None:
    """Stop before any work when every row would fail the same way: the outline's structure is
    wrong (unknown key, list where a mapping belongs) or its template is broken. Value problems
    may depend on a row's data and are reported per row instead. Returns the error to raise."""
    from docgen.api import document_from
    from docgen.errors import OutlineError, TemplateError
    from docgen.outline.loader import validate_outline

    state = _WORKER
    try:
        data = merge_row(state["source"].data, row, state["field_of"], state["render"], state["source"])
        document_from(validate_outline(state["source"], data), state["profile"], state["templates"],
                      allow_paths=state["job"].allow_paths)
    except OutlineError as exc:
        if any(problem.code in STRUCTURAL for problem in exc.problems):
            return type(exc), exc.problems
    except TemplateError as exc:
        return type(exc), exc.problems
    except Exception:  # noqa: BLE001 - anything else is that row's problem, reported in the run
        pass
    return None


def _worker_main(job: Job, conn, parent: int) -> None:
    """A worker: rows in from the pipe, results out, until the parent sends None or goes away.

    A forked worker inherits the parent's prepared state (templates, profile, registered fonts)
    and starts at once; a spawned one (macOS, Windows) prepares its own.
    """
    import signal

    _exit_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides how to stop
    failure = None
    if _WORKER.get("job") != job:
        _WORKER.clear()
        try:
            _WORKER.update(_prepare(job))
        except BaseException as exc:  # noqa: BLE001 - reported for every row this worker gets
            failure = f"内部错误：工作进程无法启动（{exc}）"
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        kind, row, name, skip_existing = task
        try:
            if failure:
                reply: Any = RowResult(row.number, row.index, name, "失败", failure, group=failure)
            elif kind == "check":
                reply = _check_row(row)
            else:
                reply = _render_row(row, name, skip_existing)
        except BaseException as exc:  # noqa: BLE001 - MemoryError, RecursionError …: the row's failure
            reply = RowResult(row.number, row.index, name, "失败", f"内部错误：{type(exc).__name__}: {exc}",
                              group=f"内部错误：{type(exc).__name__}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


def _exit_with_parent(parent: int) -> None:
    """Workers must not outlive the run: on Linux the kernel kills a worker when its parent dies
    (PR_SET_PDEATHSIG); elsewhere a thread checks once a second whether it has been orphaned."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(1, int(signal.SIGKILL), 0, 0, 0) == 0:  # 1 = PR_SET_PDEATHSIG
                if os.getppid() != parent:  # the parent died before prctl took effect
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="docgen-parent-watch", daemon=True).start()


@dataclass
class _Slot:
    process: Any
    conn: Any
    task: tuple | None = None
    started: float = 0.0  # time.monotonic() when the task was sent
    started_wall: float = 0.0  # time.time(), to recognise the files the task wrote


TIMED_OUT = "timeout"
DIED = "died"


class _Pool:
    """Worker processes fed one row at a time, so that a row over its time can be stopped by
    killing its worker (a thread or a pool's future cannot be cancelled once running) and the run
    goes on with a fresh worker."""

    def __init__(self, job: Job, size: int, row_timeout: float | None) -> None:
        import multiprocessing

        # fork on Linux: workers start with the templates, profile and fonts already loaded
        # (spawning costs ~0.6 s of imports and font loading per worker, also after a timeout).
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        self.context = multiprocessing.get_context(method)
        self.job = job
        self.row_timeout = row_timeout
        self.slots = [self._start() for _ in range(size)]

    def _start(self) -> _Slot:
        parent_end, child_end = self.context.Pipe()
        process = self.context.Process(target=_worker_main, args=(self.job, child_end, os.getpid()),
                                       name="docgen-batch", daemon=True)
        process.start()
        child_end.close()
        return _Slot(process, parent_end)

    def _replace(self, slot: _Slot) -> _Slot:
        self._stop(slot)
        fresh = self._start()
        self.slots[self.slots.index(slot)] = fresh
        return fresh

    @staticmethod
    def _stop(slot: _Slot) -> None:
        if slot.process.is_alive():
            slot.process.kill()
        slot.process.join()
        slot.conn.close()

    def run(self, tasks: Iterable[tuple], handle: Callable[[tuple, Any, float], None]) -> None:
        """Send each task to an idle worker; ``handle(task, reply, started_wall)`` gets the
        worker's reply, or TIMED_OUT / (DIED, exit code)."""
        from multiprocessing.connection import wait as wait_ready

        pending = iter(tasks)
        exhausted = False
        while True:
            for slot in [s for s in self.slots if s.task is None]:
                if exhausted:
                    break
                task = next(pending, None)
                if task is None:
                    exhausted = True
                    break
                self._send(slot, task, handle)
            busy = [s for s in self.slots if s.task is not None]
            if not busy:
                return
            timeout = None
            if self.row_timeout:
                timeout = max(0.0, min(s.started for s in busy) + self.row_timeout - time.monotonic())
            ready = wait_ready([s.conn for s in busy] + [s.process.sentinel for s in busy], timeout)
            now = time.monotonic()
            for slot in busy:
                if slot.conn in ready or slot.process.sentinel in ready:
                    try:
                        reply = slot.conn.recv() if slot.conn.poll() else None
                    except (EOFError, OSError):
                        reply = None
                    if reply is None and not slot.process.is_alive():
                        self._finish(slot, (DIED, slot.process.exitcode), handle, replace=True)
                    elif slot.conn in ready:
                        self._finish(slot, reply, handle)
                elif self.row_timeout and now - slot.started >= self.row_timeout:
                    self._finish(slot, TIMED_OUT, handle, replace=True)

    def _send(self, slot: _Slot, task: tuple, handle, *, retry: bool = True) -> None:
        slot.task, slot.started, slot.started_wall = task, time.monotonic(), time.time()
        try:
            slot.conn.send(task)
        except OSError:  # the worker died while idle (out of memory, say): the row never ran
            if not retry:
                self._finish(slot, (DIED, slot.process.exitcode), handle, replace=True)
                return
            slot.task = None
            self._send(self._replace(slot), task, handle, retry=False)

    def _finish(self, slot: _Slot, reply: Any, handle, *, replace: bool = False) -> None:
        task, started_wall = slot.task, slot.started_wall
        slot.task = None
        if replace:
            self._replace(slot)  # killed before handle() cleans up the files it was writing
        handle(task, reply, started_wall)

    def close(self, *, now: bool = False) -> None:
        for slot in self.slots:
            if not now and slot.task is None:
                try:
                    slot.conn.send(None)
                except OSError:
                    pass
        for slot in self.slots:
            if not now:
                slot.process.join(timeout=5)
            self._stop(slot)


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
    row_timeout: float | None = ROW_TIMEOUT,
    max_rows: int = MAX_ROWS,
    progress: Callable[[int, int], None] | None = None,
    on_result: Callable[[RowResult], None] | None = None,
) -> BatchResult:
    """Render every row, each within ``row_timeout`` seconds (None or 0: no limit).

    Raises DocgenError only when nothing can start (bad outline, bad data, a template error).
    """
    rows = read_rows(data, encoding, max_rows=max_rows)
    names, name_errors = output_names(rows, name_pattern, job.formats)
    shared = _prepare(job)  # validates outline/profile/templates once, before any worker starts
    created = _open_outdir(job.outdir)
    _remove_stale_temp_files(job.outdir)
    results = [RowResult(row.number, row.index, "", "失败", name_errors[row.index], group=name_errors[row.index])
               for row in rows if row.index in name_errors]
    pending_rows = [(row, names[row.index]) for row in rows if row.index in names]
    workers = max(1, min(workers or os.cpu_count() or 1, len(pending_rows) or 1))
    timeout_reason = f"超时：超过 {row_timeout:g} 秒仍未完成，已停止（可用 --row-timeout 调整）" if row_timeout else ""

    def record(result: RowResult) -> None:
        results.append(result)
        if on_result:
            on_result(result)
        if progress:
            progress(len(results), len(rows))

    def handle(task: tuple, reply: Any, started_wall: float) -> None:
        kind, row, name, _ = task
        if kind == "check":
            if isinstance(reply, tuple) and len(reply) == 2 and isinstance(reply[0], type):
                raise reply[0](reply[1])
            if reply == TIMED_OUT:  # row 1 itself is slow: it is that row's error, not a second try
                _discard_row(job, name, started_wall)
                checked_out.add(row.index)
                record(RowResult(row.number, row.index, name, "失败", timeout_reason, group=timeout_reason))
            return
        if reply == TIMED_OUT:
            _discard_row(job, name, started_wall)
            reply = RowResult(row.number, row.index, name, "失败", timeout_reason, group=timeout_reason)
        elif not isinstance(reply, RowResult):
            _discard_row(job, name, started_wall)
            code = reply[1] if isinstance(reply, tuple) else None
            reason = f"内部错误：工作进程意外退出（退出码 {code}）"
            reply = RowResult(row.number, row.index, name, "失败", reason, group="内部错误：工作进程意外退出")
        record(reply)

    for result in list(results):
        if on_result:
            on_result(result)
    _WORKER.clear()
    _WORKER.update(shared)
    checked_out: set[int] = set()
    pool = None
    try:
        pool = _Pool(job, workers, row_timeout)
        if pending_rows:  # the first-row check, bounded like any row
            pool.run([("check", pending_rows[0][0], pending_rows[0][1], skip_existing)], handle)
        tasks = (("row", row, name, skip_existing) for row, name in pending_rows if row.index not in checked_out)
        pool.run(tasks, handle)
    except DocgenError:  # the first-row check: every row would fail alike; nothing was written
        if pool is not None:
            pool.close(now=True)
        _remove_stale_temp_files(job.outdir)
        if created and not any(job.outdir.iterdir()):
            job.outdir.rmdir()
        raise
    except BaseException:
        if pool is not None:
            pool.close(now=True)  # Ctrl-C: stop at once; rows in flight are redone on resume
        _remove_stale_temp_files(job.outdir)
        results.sort(key=lambda r: r.index)
        write_report(job.outdir, results)
        raise
    pool.close()
    results.sort(key=lambda r: r.index)
    return BatchResult(results=results, report=write_report(job.outdir, results))


def _open_outdir(outdir: Path) -> bool:
    """Create OUTDIR if needed and make sure files can be written there — before any row runs,
    so that a read-only share is one clear error rather than N failed rows. True if created."""
    from docgen.output import prepare_folder

    created = not outdir.exists()
    prepare_folder(outdir, option="-o/--outdir")
    return created


def _discard_row(job: Job, name: str, since: float) -> None:
    """What a stopped row was writing: its temporary files, and outputs it wrote in this run."""
    import glob

    for fmt in job.formats:
        target = job.outdir / f"{name}.{fmt}"
        for temp in job.outdir.glob(glob.escape(f".{target.name}.") + "*.tmp"):
            temp.unlink(missing_ok=True)
        try:
            if target.stat().st_mtime >= since - 1:
                target.unlink()
        except OSError:
            pass


def _remove_stale_temp_files(outdir: Path) -> None:
    """Temporary files of a run that was killed (SIGKILL cannot be caught) are never outputs."""
    for temp in outdir.glob(".*.tmp"):
        temp.unlink(missing_ok=True)


def write_report(outdir: Path, results: list[RowResult]) -> Path:
    from docgen.output import write_atomic

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["行号", "序号", "文件名", "状态", "原因", "文件", "检查提示"])
    for r in results:
        writer.writerow([r.row, r.index, r.name, r.status, r.reason, " ".join(r.files), "；".join(r.findings)])
    # UTF-8 with BOM so that Excel on Windows opens it with the right encoding.
    return write_atomic(outdir / REPORT_NAME, ("\ufeff" + buffer.getvalue()).encode("utf-8"))


def failure_summary(results: Iterable[RowResult], *, max_groups: int = 10, max_rows_shown: int = 10) -> list[str]:
    """Console lines for the failed rows, grouped by reason with counts — one line per kind of
    failure, not one per row; the full list is in batch-report.csv."""
    groups: dict[str, list[RowResult]] = {}
    for result in results:
        if result.status == "失败":
            groups.setdefault(result.group or result.reason, []).append(result)
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[1][0].index))
    lines = []
    for label, members in ordered[:max_groups]:
        if len(members) == 1:
            lines.append(f"第 {members[0].row} 行失败：{members[0].reason}")
            continue
        numbers = "、".join(str(m.row) for m in members[:max_rows_shown]) + ("…" if len(members) > max_rows_shown else "")
        lines.append(f"{label}（第 {numbers} 行，共 {len(members)} 行）")
    if len(ordered) > max_groups:
        rest = sum(len(members) for _, members in ordered[max_groups:])
        lines.append(f"另有 {len(ordered) - max_groups} 类原因共 {rest} 行，详见 {REPORT_NAME}")
    return lines
