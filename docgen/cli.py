"""The ``docgen`` command line: thin Typer commands over the library API.

User mistakes arrive as :class:`docgen.errors.DocgenError` and leave as red Chinese lines on stderr
with exit code 2; heavy libraries are imported inside the commands that need them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from docgen import __version__
from docgen.cli_zh import install as _install_chinese_labels
from docgen.errors import DocgenError

_install_chinese_labels()  # Typer's own labels (用法、选项、命令 …) in Chinese, however the app is run

app = typer.Typer(
    name="docgen",
    help="把结构化提纲（YAML）生成符合 GB/T 9704-2012 的讲话稿、通知和工作总结（.docx / PDF）。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)
templates_app = typer.Typer(help="查看或复制模板（讲话稿、通知、报告和框架）。", no_args_is_help=True)
profile_app = typer.Typer(help="查看样式方案（GB/T 9704 基准 + 单位覆盖）。", no_args_is_help=True)
fonts_app = typer.Typer(help="查看字体角色对应的字体文件；构建 PDF 用的字体。", invoke_without_command=True)
app.add_typer(templates_app, name="templates")
app.add_typer(profile_app, name="profile")
app.add_typer(fonts_app, name="fonts")

ProfileOption = Annotated[
    Optional[Path], typer.Option("--profile", "-p", help="单位样式覆盖文件（YAML），只写与国标不同的值。")
]
TemplatesOption = Annotated[
    Optional[Path], typer.Option("--templates", "-t", help="自定义模板目录，按文件覆盖内置模板。")
]
FontDirOption = Annotated[
    Optional[Path], typer.Option("--font-dir", help="优先使用此目录中的字体文件（如 Windows 的公文字体）。")
]
AllowPathOption = Annotated[
    Optional[list[Path]],
    typer.Option("--allow-path", metavar="目录", help="允许提纲引用此目录中的文件（表格 CSV、印章图片），可写多次；"
                                      "默认只允许提纲所在目录和 --templates 目录。"),
]


def _console(stderr: bool = False):
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    # Piped into a file or another program, tables keep whole values instead of “…”.
    width = None if stream.isatty() else 200
    return Console(stderr=stderr, highlight=False, soft_wrap=True, width=width)


def _version(value: bool) -> None:
    if value:
        print(f"docgen {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="显示版本号后退出。")
    ] = False,
) -> None:
    """把结构化提纲生成符合 GB/T 9704-2012 的公文。"""


@app.command()
def render(
    outline: Annotated[Path, typer.Argument(help="提纲文件（YAML）。", show_default=False, metavar="提纲")],
    formats: Annotated[
        list[str], typer.Option("--format", "-f", help="输出格式：docx、pdf，可写多次。")
    ] = ["docx"],  # noqa: B006 - Typer needs a literal default
    outdir: Annotated[Path, typer.Option("--outdir", "-o", help="输出目录。")] = Path("outputs"),
    profile: ProfileOption = None,
    templates: TemplatesOption = None,
    font_dir: FontDirOption = None,
    preview: Annotated[bool, typer.Option("--preview", help="同时输出各页的 PNG 预览图。")] = False,
    allow_path: AllowPathOption = None,
) -> None:
    """生成文档，写入 OUTDIR/<提纲文件名>.<格式>，并打印文件路径。"""
    from docgen.api import render as render_outline

    console = _console(stderr=True)

    def warn(message: str) -> None:
        from rich.markup import escape

        console.print(f"[yellow]提示：[/]{escape(message)}")

    paths = render_outline(
        outline, formats, outdir, profile=profile, templates=templates, font_dir=font_dir, preview=preview,
        warn=warn, allow_paths=allow_path or (),
    )
    for path in paths:
        print(path)


@app.command()
def batch(
    outline: Annotated[Path, typer.Argument(help="提纲文件（YAML），其中可用 {{ 列名 }} 引用数据列。", show_default=False, metavar="提纲")],
    data: Annotated[Path, typer.Option("--data", "-d", help="数据表：CSV（UTF-8 或 GBK）或 XLSX，第 1 行为列名。")],
    formats: Annotated[list[str], typer.Option("--format", "-f", help="输出格式：docx、pdf，可写多次。")] = ["docx"],  # noqa: B006
    outdir: Annotated[Path, typer.Option("--outdir", "-o", help="输出目录。")] = Path("outputs"),
    workers: Annotated[Optional[int], typer.Option("--workers", "-j", min=1, help="并行进程数（默认为 CPU 核数）。")] = None,
    name: Annotated[str, typer.Option("--name", help="文件名模式，如 \"{序号}-{单位}\"。")] = "{序号}",
    encoding: Annotated[Optional[str], typer.Option("--encoding", help="CSV 编码（默认自动识别 UTF-8/GBK）。")] = None,
    skip_existing: Annotated[bool, typer.Option("--skip-existing", help="跳过输出文件已齐全的行（用于续跑）。")] = False,
    row_timeout: Annotated[float, typer.Option("--row-timeout", min=0, help="每行最多用时（秒），超时的行记为失败；0 为不限。")] = 60.0,
    max_rows: Annotated[int, typer.Option("--max-rows", min=1, help="数据行数上限。")] = 100_000,
    profile: ProfileOption = None,
    templates: TemplatesOption = None,
    font_dir: FontDirOption = None,
    allow_path: AllowPathOption = None,
) -> None:
    """批量生成：数据表每一行生成一份文档；出错的行跳过并记入 OUTDIR/batch-report.csv。

    退出码：0 全部成功，1 部分行失败，2 无法开始。
    """
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from docgen.api import FORMATS
    from docgen.batch import Job, failure_summary, run_batch

    formats = list(dict.fromkeys(formats))
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise DocgenError(f"不支持的格式：{'、'.join(bad)}；可用：{'、'.join(FORMATS)}")
    console = _console(stderr=True)
    job = Job(outline=outline, formats=tuple(formats), outdir=outdir, profile=profile, templates=templates,
              font_dir=font_dir, allow_paths=tuple(allow_path or ()))
    with Progress(
        TextColumn("生成中"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
        TextColumn("剩余"), TimeRemainingColumn(), console=console, transient=True,
    ) as progress:
        task = progress.add_task("batch", total=None, rate="")

        def update(done: int, total: int) -> None:
            elapsed = progress.tasks[0].elapsed or 0
            rate = f"{done / elapsed:.1f} 份/秒" if elapsed else ""
            progress.update(task, completed=done, total=total, rate=rate)

        try:
            outcome = run_batch(job, data, name_pattern=name, workers=workers, encoding=encoding,
                                skip_existing=skip_existing, row_timeout=row_timeout or None, max_rows=max_rows,
                                progress=update)
        except KeyboardInterrupt:
            progress.stop()
            console.print(f"[yellow]已中断：已完成的文件都是完整的，进度见 {outdir / 'batch-report.csv'}；"
                          "加 --skip-existing 重新运行即可续完。[/]")
            raise typer.Exit(130) from None
    for line in failure_summary(outcome.results):  # grouped by reason; every row is in the report
        console.print(f"[red]{escape(line)}[/]")
    noted = [r for r in outcome.results if r.findings]
    if noted:  # content findings (placeholders …) of produced rows: counted here, listed in the report
        codes = sorted({line.split()[0] for r in noted for line in r.findings})
        console.print(f"[yellow]提示：[/]{len(noted)} 行有检查提示（{'、'.join(codes)}），见报告的“检查提示”列")
    summary = f"成功 {len(outcome.succeeded)} 行，失败 {len(outcome.failed)} 行"
    if outcome.skipped:
        summary += f"，跳过 {len(outcome.skipped)} 行（已存在）"
    console.print(f"{summary}；报告：{outcome.report}")
    if outcome.failed:
        raise typer.Exit(1)


STARTERS = Path(__file__).with_name("starters")


@app.command()
def new(
    kind: Annotated[str, typer.Argument(help="文档类型：speech（讲话稿）、notice（通知）、report（报告）。", metavar="类型")],
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="写入的文件；不写则打印到屏幕。")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件。")] = False,
) -> None:
    """生成一份带注释的提纲样例，照着填写即可。"""
    from docgen.outline.schema import KIND_ALIASES

    kind = KIND_ALIASES.get(kind, kind)
    starter = STARTERS / f"{kind}.yaml"
    if not starter.is_file():
        raise DocgenError(f"不认识的类型“{kind}”；可用：speech（讲话稿）、notice（通知）、report（报告）")
    text = starter.read_text(encoding="utf-8")
    if output is None:
        sys.stdout.write(text)
        return
    from docgen.output import write_outputs

    try:
        exists = output.exists()
    except OSError:  # e.g. a name too long: write_outputs says so, naming -o/--output
        exists = False
    if exists and not force:
        raise DocgenError("文件已存在；如需覆盖请加 --force", file=str(output))

    print(*write_outputs({output: text.encode("utf-8")}, option="-o/--output"))


@app.command()
def dotx(
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="写入的模板文件（默认：<类型>.dotx）。")] = None,
    kind: Annotated[str, typer.Option("--kind", "-k", help="文档类型：speech（讲话稿）、notice（通知）、report（报告）。")] = "speech",
    profile: ProfileOption = None,
) -> None:
    """生成 Word 模板（.dotx）：公文样式、页面、行网格、页码和占位文字，在 Word/WPS 中直接起草。"""
    from docgen.api import write_template

    print(write_template(output or Path(f"{kind}.dotx"), kind, profile=profile))


@templates_app.command("list")
def templates_list(templates: TemplatesOption = None) -> None:
    """列出全部模板和框架，并标出哪些被自定义目录覆盖。"""
    from rich.table import Table

    from docgen.compose.environment import list_templates

    table = Table("模板", "来源")
    for name, origin in list_templates(templates):
        table.add_row(name, origin)
    _console().print(table)


@templates_app.command("copy")
def templates_copy(
    target: Annotated[Path, typer.Argument(help="复制到的目录（之后用 --templates 指向它）。", metavar="目录")],
    force: Annotated[bool, typer.Option("--force", help="覆盖目录中已有的同名文件。")] = False,
) -> None:
    """把内置模板复制到一个目录，供修改后用 --templates 启用。"""
    import shutil

    from docgen.compose.environment import builtin_templates_dir

    from docgen.output import check_folder

    check_folder(target, option="“目录”参数")
    source = builtin_templates_dir()
    files = [p for p in sorted(source.rglob("*")) if p.is_file() and p.suffix in (".j2", ".yaml")]
    clashes = [p for p in files if (target / p.relative_to(source)).exists()]
    if clashes and not force:
        names = "、".join(p.relative_to(source).as_posix() for p in clashes)
        raise DocgenError(f"目录中已有同名文件：{names}；如需覆盖请加 --force", file=str(target))
    for path in files:
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
        print(destination)


@profile_app.command("show")
def profile_show(profile: ProfileOption = None) -> None:
    """打印样式方案的每个值，标出与 GB/T 9704 不同的项，并列出派生值。"""
    from rich.table import Table

    from docgen.style.profile import differences, flat_values, load_profile

    loaded = load_profile(profile)
    changed = differences(loaded)
    table = Table("项目", "取值", "说明", title=f"样式方案：{loaded.name}")
    for key, value in flat_values(loaded).items():
        if key in changed:
            table.add_row(f"[bold yellow]{key}[/]", f"[bold yellow]{value}[/]", f"与国标不同（国标：{changed[key][0]}）")
        else:
            table.add_row(key, str(value), "")
    for key, value in loaded.derived().items():
        table.add_row(f"[dim]{key}[/]", f"[dim]{value}[/]", "派生值")
    console = _console()
    console.print(table)
    console.print(f"与国标不同的项：{len(changed)} 个" if changed else "全部取值与 GB/T 9704-2012 一致。")


@fonts_app.callback()
def fonts_show(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出，便于脚本处理。")] = False,
    profile: ProfileOption = None,
    font_dir: FontDirOption = None,
) -> None:
    """列出每个字体角色所用的字体：家族名、文件、官方或替代、字符覆盖。"""
    if ctx.invoked_subcommand is not None:
        return
    from docgen.fonts import COLUMNS, report
    from docgen.style.profile import load_profile

    loaded = load_profile(profile)
    rows = report(loaded, font_dir=font_dir, paths=loaded.font_paths())
    if as_json:
        import json

        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    from rich.table import Table

    table = Table(*COLUMNS.values(), title="字体角色（PDF 嵌入的字体；.docx 写入公文字体名）")
    for row in rows:
        table.add_row(*(str(row.get(key) or "") for key in COLUMNS))
    _console().print(table)


@fonts_app.command("build")
def fonts_build(
    force: Annotated[bool, typer.Option("--force", help="即使已有缓存也重新构建。")] = False,
    profile: ProfileOption = None,
    font_dir: FontDirOption = None,
) -> None:
    """把免费中文字体一次性转换为 PDF 可嵌入的 TrueType 子集（结果缓存，之后无需再做）。"""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from docgen.fonts import build

    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=_console(stderr=True),
    ) as progress:
        tasks: dict[str, int] = {}

        def update(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = progress.add_task(label, total=total)
            progress.update(tasks[label], completed=done, total=total)

        from docgen.style.profile import load_profile

        loaded = load_profile(profile)
        paths = build(progress=update, force=force, profile=loaded, font_dir=font_dir, paths=loaded.font_paths())
    for path in paths:
        print(path)


# --- docgen check ------------------------------------------------------------------------------------
@app.command()
def check(
    files: Annotated[
        Optional[list[Path]], typer.Argument(help="要检查的文件：提纲（.yaml）、.docx、草稿（.txt/.md）。", show_default=False)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 数组输出发现的问题。")] = False,
    list_rules: Annotated[bool, typer.Option("--rules", help="列出全部规则（代码、级别、说明、条款）。")] = False,
    disable: Annotated[
        Optional[list[str]], typer.Option("--disable", help="不检查的规则代码，逗号分隔，如 L001,F018。")
    ] = None,
    profile: ProfileOption = None,
    fix: Annotated[bool, typer.Option("--fix", help="修正不改变含义的问题（标点全半角、日期虚位、文号括号、页码一字线），"
                                                    "写入同目录的 <文件名>.fixed.<扩展名>。")] = False,
    in_place: Annotated[bool, typer.Option("--in-place", help="与 --fix 同用：直接改写原文件。")] = False,
) -> None:
    """按 GB/T 9704-2012 检查提纲、草稿和任意 .docx：列出问题的代码、级别、位置和条款。

    退出码：0 没有错误，1 有错误，2 有文件无法读取。
    """
    import json

    from rich.markup import escape

    from docgen.lint.registry import RULES, SEVERITY_LABELS

    if list_rules:
        from docgen.lint import rules as _registered  # noqa: F401

        rows = list(RULES.values())  # registration order: content (L), format (F), then others
        if as_json:
            print(json.dumps([{"code": r.code, "severity": r.severity, "title": r.title, "clause": r.clause}
                              for r in rows], ensure_ascii=False, indent=2))
            return
        for r in rows:
            clause = f"（{r.clause}）" if r.clause else ""
            print(f"{r.code}  {SEVERITY_LABELS[r.severity]}  {r.title}{clause}")
        return
    if not files:
        raise DocgenError("请给出要检查的文件，例如 docgen check 通知.docx；或用 --rules 查看规则")
    if in_place and not fix:
        raise DocgenError("--in-place 只能与 --fix 同用", field="--in-place")
    from docgen.api import check as check_files
    from docgen.api import fix as fix_one

    err = _console(stderr=True)
    targets = list(files)
    if fix:
        targets = []
        for path in files:
            try:
                result = fix_one(path, in_place=in_place)
            except DocgenError as exc:
                for problem in exc.problems:
                    err.print(f"[bold red]错误：[/]{escape(str(problem))}")
                targets.append(path)
                continue
            if result.changes:
                err.print(f"已修正 {len(result.changes)} 处，写入 {result.target}")
                for change in result.changes:
                    err.print(f"  {escape(change)}")
            else:
                err.print(f"{path}：没有可自动修正的问题")
            targets.append(result.target if result.changes else path)
    outcome = check_files(targets, profile=profile, disable=disable)
    for path, reason in outcome.unreadable.items():
        err.print(f"[bold red]错误：[/]{escape(Path(path).name)}：{escape(reason)}")
    if as_json:
        print(json.dumps([f.to_json() for f in outcome.findings], ensure_ascii=False, indent=2))
    else:
        colours = {"error": "red", "warning": "yellow", "info": "cyan"}
        out = _console()
        for f in outcome.findings:
            quote = f"  [dim]“{escape(f.quote)}”[/]" if f.quote and f.paragraph and not f.line else ""
            clause = f"  [dim]（{escape(f.clause)}）[/]" if f.clause else ""
            out.print(f"[{colours[f.severity]}]{f.code} {SEVERITY_LABELS[f.severity]}[/] {escape(f.where)}："
                      f"{escape(f.message)}{quote}{clause}")
        counts = {s: sum(1 for f in outcome.findings if f.severity == s) for s in SEVERITY_LABELS}
        if outcome.findings:
            out.print("共 " + "，".join(f"{SEVERITY_LABELS[s]} {n} 条" for s, n in counts.items()))
        elif not outcome.unreadable:
            out.print("未发现问题。")
    if outcome.exit_code:
        raise typer.Exit(outcome.exit_code)


def main() -> None:
    """Entry point: user errors exit 2 with Chinese lines, anything unexpected exits 70 with a log file.

    The app runs outside click's standalone mode so that click's own usage errors (missing option,
    unknown command …) are printed here in Chinese too (:mod:`docgen.cli_zh`).
    """
    try:
        code = app(standalone_mode=False, prog_name="docgen")
    except DocgenError as exc:
        _print_problems(exc)
        sys.exit(2)
    except KeyboardInterrupt:
        _console(stderr=True).print("[yellow]已中断，未写出不完整的文件。[/]")
        sys.exit(130)
    except OSError as exc:
        if exc.filename is None:
            sys.exit(_internal_error(exc))
        # A path the user gave (or one inside it) that the system refuses: not a bug.
        from docgen.output import os_reason

        _print_problems(DocgenError(f"无法访问 {exc.filename}：{os_reason(exc)}"))
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into a log file
        if _is_click_error(exc):
            sys.exit(_usage_error(exc))
        sys.exit(_internal_error(exc))
    sys.exit(code if isinstance(code, int) else 0)


def _print_problems(exc: DocgenError) -> None:
    from rich.markup import escape

    console = _console(stderr=True)
    for problem in exc.problems:
        console.print(f"[bold red]错误：[/]{escape(str(problem))}")


def _is_click_error(exc: BaseException) -> bool:
    from typer._click.exceptions import ClickException
    from typer.exceptions import Abort

    return isinstance(exc, (ClickException, Abort))


def _usage_error(exc: BaseException) -> int:
    """Print a click usage error in Chinese with a pointer to the help; return the exit code."""
    from docgen.cli_zh import show_usage_error

    return show_usage_error(exc, _console(stderr=True))


INTERNAL_ERROR_EXIT = 70  # EX_SOFTWARE (sysexits.h)


def _internal_error(exc: BaseException) -> int:
    """One Chinese line on the console, the traceback in a log file the user can send on."""
    import traceback

    detail = "".join(traceback.format_exception(exc))
    log = _write_crash_log(f"docgen {__version__}\n{' '.join(sys.argv)}\n\n{detail}")
    kind = type(exc).__name__
    where = f"详细信息已写入 {log}，请把该文件发给维护者" if log else "详细信息无法写入日志文件"
    print(f"内部错误（{kind}）：docgen 遇到了意外情况；{where}。", file=sys.stderr)
    return INTERNAL_ERROR_EXIT


def _write_crash_log(text: str) -> Path | None:
    """The traceback in the user's log folder (or the temp folder); None if neither is writable."""
    import os
    import tempfile
    import time

    from platformdirs import user_log_dir

    name = f"docgen-crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    for folder in (Path(user_log_dir("docgen")), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return None


# --- import drafts: docgen import / docgen format (一键排版) ------------------------------------
KindOption = Annotated[
    Optional[str], typer.Option("--kind", "-k", help="文档类型：speech（讲话稿）、notice（通知）、request（请示）、report（报告）；不写则自动判断。")
]
FrameworkOption = Annotated[Optional[str], typer.Option("--framework", help="按此框架核对各部分标题，如 三性三力。")]
StrictOption = Annotated[bool, typer.Option("--strict", help="有警告（占位符、序号不连续、文本不完整）时退出码为 1。")]


def _print_findings(findings) -> None:
    from rich.markup import escape

    from docgen.lint.registry import SEVERITY_LABELS

    console = _console(stderr=True)
    colours = {"error": "red", "warning": "yellow", "info": "cyan"}
    for item in findings:
        label = SEVERITY_LABELS.get(item.severity, item.severity)
        console.print(f"[{colours.get(item.severity, 'white')}]{label}[/] {escape(str(item))}")
    warnings = sum(1 for f in findings if f.severity in ("warning", "error"))
    console.print(f"共 {len(findings)} 条：警告 {warnings} 条，提示 {len(findings) - warnings} 条。")


@app.command("import")
def import_command(
    draft: Annotated[Path, typer.Argument(help="稿子：.txt、.md、.docx、.pdf（.doc/.wps/.odt 需安装 LibreOffice）。", show_default=False)],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="写入的提纲文件（默认：稿子同名 .yaml）。")] = None,
    kind: KindOption = None,
    framework: FrameworkOption = None,
    templates: TemplatesOption = None,
    strict: StrictOption = False,
) -> None:
    """导入已有稿子：识别标题、层级、称呼、公文要素，写成可直接 docgen render 的提纲，并列出每一处推测。

    退出码：0 已写出提纲，1 加 --strict 且有警告，2 稿子无法读取。
    """
    from docgen.api import write_imported

    path, result = write_imported(draft, output, kind=kind, framework=framework, templates=templates)
    _print_findings(result.findings)
    print(path)
    if strict and result.warnings:
        raise typer.Exit(1)


@app.command("format")
def format_command(
    draft: Annotated[Path, typer.Argument(help="稿子：.txt、.md、.docx、.pdf（.doc/.wps/.odt 需安装 LibreOffice）。", show_default=False)],
    formats: Annotated[list[str], typer.Option("--format", "-f", help="输出格式：docx、pdf，可写多次。")] = ["docx"],  # noqa: B006
    outdir: Annotated[Path, typer.Option("--outdir", "-o", help="输出目录。")] = Path("outputs"),
    kind: KindOption = None,
    framework: FrameworkOption = None,
    profile: ProfileOption = None,
    templates: TemplatesOption = None,
    font_dir: FontDirOption = None,
    keep_outline: Annotated[bool, typer.Option("--keep-outline", help="把中间提纲（.yaml）也写到输出目录，改好推测后可重新 render。")] = False,
    strict: StrictOption = False,
) -> None:
    """一键排版：导入稿子并直接生成符合 GB/T 9704 的文档，打印导入时的推测和问题。"""
    from rich.markup import escape

    from docgen.api import format_draft

    console = _console(stderr=True)

    def warn(message: str) -> None:
        if not message.startswith("L001"):  # placeholders are already among the import findings
            console.print(f"[yellow]提示：[/]{escape(message)}")

    paths, result = format_draft(draft, formats, outdir, kind=kind, framework=framework, profile=profile,
                                 templates=templates, font_dir=font_dir, keep_outline=keep_outline, warn=warn)
    _print_findings(result.findings)
    for path in paths:
        print(path)
    if strict and result.warnings:
        raise typer.Exit(1)


# --- docgen serve: the local web page (docgen/web, extra docgen[serve]) ------------------------------
@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="监听地址；办公网内共用时改为 0.0.0.0 或本机 IP。")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="端口。")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="uvicorn 工作进程数（多人同时使用时加大）。")] = 1,
    processes: Annotated[Optional[int], typer.Option("--processes", min=1, help="每个工作进程中用于排版的进程数（默认为 CPU 核数，至多 4）。")] = None,
    allow_templates: Annotated[bool, typer.Option("--allow-templates", help="允许网页上传自定义模板（默认关闭）。")] = False,
) -> None:
    """启动网页版：在浏览器中粘贴或上传稿子、修改推测、预览各页，下载 Word 和 PDF。

    上限可用环境变量调整：DOCGEN_SERVE_MAX_BYTES（请求大小，默认 10 MiB）、DOCGEN_SERVE_TIMEOUT（每次排版秒数，默认 60）等，
    见 docs/serve.md。
    """
    import importlib.util
    import os

    missing = [name for name in ("fastapi", "uvicorn", "multipart") if importlib.util.find_spec(name) is None]
    if missing:
        print("docgen serve 需要安装网页组件：pip install 'docgen[serve]'"
              f"（缺少 {'、'.join(missing)}）", file=sys.stderr)
        raise typer.Exit(2)
    from docgen.web.settings import Settings

    # The workers build their app from the environment (uvicorn starts them as new processes).
    if allow_templates:
        os.environ["DOCGEN_SERVE_ALLOW_TEMPLATES"] = "1"
    if processes:
        os.environ["DOCGEN_SERVE_PROCESSES"] = str(processes)
    Settings.from_env()  # a bad DOCGEN_SERVE_* value is a Chinese error now, not in each worker
    import uvicorn

    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    print(f"docgen 网页版：http://{shown}:{port}/  （接口说明：/docs；按 Ctrl+C 停止）", file=sys.stderr)
    uvicorn.run("docgen.web:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="warning", server_header=False)
