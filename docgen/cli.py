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
from docgen.errors import DocgenError

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
    typer.Option("--allow-path", help="允许提纲引用此目录中的文件（表格 CSV、印章图片），可写多次；"
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
    outline: Annotated[Path, typer.Argument(help="提纲文件（YAML）。", show_default=False)],
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
    outline: Annotated[Path, typer.Argument(help="提纲文件（YAML），其中可用 {{ 列名 }} 引用数据列。", show_default=False)],
    data: Annotated[Path, typer.Option("--data", "-d", help="数据表：CSV（UTF-8 或 GBK）或 XLSX，第 1 行为列名。")],
    formats: Annotated[list[str], typer.Option("--format", "-f", help="输出格式：docx、pdf，可写多次。")] = ["docx"],  # noqa: B006
    outdir: Annotated[Path, typer.Option("--outdir", "-o", help="输出目录。")] = Path("outputs"),
    workers: Annotated[Optional[int], typer.Option("--workers", "-j", min=1, help="并行进程数（默认为 CPU 核数）。")] = None,
    name: Annotated[str, typer.Option("--name", help="文件名模式，如 \"{序号}-{单位}\"。")] = "{序号}",
    encoding: Annotated[Optional[str], typer.Option("--encoding", help="CSV 编码（默认自动识别 UTF-8/GBK）。")] = None,
    skip_existing: Annotated[bool, typer.Option("--skip-existing", help="跳过输出文件已齐全的行（用于续跑）。")] = False,
    profile: ProfileOption = None,
    templates: TemplatesOption = None,
    font_dir: FontDirOption = None,
) -> None:
    """批量生成：数据表每一行生成一份文档；出错的行跳过并记入 OUTDIR/batch-report.csv。

    退出码：0 全部成功，1 部分行失败，2 无法开始。
    """
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from docgen.api import FORMATS
    from docgen.batch import Job, run_batch

    formats = list(dict.fromkeys(formats))
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise DocgenError(f"不支持的格式：{'、'.join(bad)}；可用：{'、'.join(FORMATS)}")
    console = _console(stderr=True)
    job = Job(outline=outline, formats=tuple(formats), outdir=outdir, profile=profile, templates=templates,
              font_dir=font_dir)
    with Progress(
        TextColumn("生成中"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
        TextColumn("剩余"), TimeRemainingColumn(), console=console,
    ) as progress:
        task = progress.add_task("batch", total=None, rate="")

        def update(done: int, total: int) -> None:
            elapsed = progress.tasks[0].elapsed or 0
            rate = f"{done / elapsed:.1f} 份/秒" if elapsed else ""
            progress.update(task, completed=done, total=total, rate=rate)

        def show(result) -> None:
            if result.status == "失败":
                progress.console.print(f"[red]第 {result.row} 行失败：[/]{escape(result.reason)}")

        try:
            outcome = run_batch(job, data, name_pattern=name, workers=workers, encoding=encoding,
                                skip_existing=skip_existing, progress=update, on_result=show)
        except KeyboardInterrupt:
            progress.stop()
            console.print(f"[yellow]已中断：已完成的文件都是完整的，进度见 {outdir / 'batch-report.csv'}；"
                          "加 --skip-existing 重新运行即可续完。[/]")
            raise typer.Exit(130) from None
    summary = f"成功 {len(outcome.succeeded)} 行，失败 {len(outcome.failed)} 行"
    if outcome.skipped:
        summary += f"，跳过 {len(outcome.skipped)} 行（已存在）"
    console.print(f"{summary}；报告：{outcome.report}")
    if outcome.failed:
        raise typer.Exit(1)


STARTERS = Path(__file__).with_name("starters")


@app.command()
def new(
    kind: Annotated[str, typer.Argument(help="文档类型：speech（讲话稿）、notice（通知）、report（报告）。")],
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
    if output.exists() and not force:
        raise DocgenError("文件已存在；如需覆盖请加 --force", file=str(output))
    from docgen.output import write_atomic

    print(write_atomic(output, text.encode("utf-8")))


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
    target: Annotated[Path, typer.Argument(help="复制到的目录（之后用 --templates 指向它）。")],
    force: Annotated[bool, typer.Option("--force", help="覆盖目录中已有的同名文件。")] = False,
) -> None:
    """把内置模板复制到一个目录，供修改后用 --templates 启用。"""
    import shutil

    from docgen.compose.environment import builtin_templates_dir

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


def main() -> None:
    """Entry point: run the app, turning user errors into exit code 2 without a traceback."""
    try:
        app()
    except DocgenError as exc:
        from rich.markup import escape

        console = _console(stderr=True)
        for problem in exc.problems:
            console.print(f"[bold red]错误：[/]{escape(str(problem))}")
        sys.exit(2)
    except KeyboardInterrupt:
        _console(stderr=True).print("[yellow]已中断，未写出不完整的文件。[/]")
        sys.exit(130)
