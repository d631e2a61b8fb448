"""Simplified Chinese for the parts of the command line that Typer and its bundled click draw.

Typer 0.29 bundles its own click (``typer._click``) with the English labels written into the code
(no gettext), so the labels are replaced here at their few points of use: the rich help panels'
module strings, the usage prefix, the help option's text, the type labels (``<path>``), and the
usage errors, which :func:`usage_error_message` rewrites from the exception's fields.
``install()`` is idempotent and runs when :mod:`docgen.cli` is imported.
"""

from __future__ import annotations

import re

HELP_OPTION_TEXT = "显示本帮助后退出。"

# Type labels as the help shows them; a flag shows none.
TYPE_LABELS = {
    "path": "路径", "file": "文件", "directory": "目录", "str": "文本", "list[str]": "文本",
    "int": "整数", "int range": "整数", "float": "数值", "float range": "数值",
    "list[path]": "路径", "list[int]": "整数", "datetime": "日期",
}

_installed = False


def install() -> None:
    """Patch Typer's help and usage strings to Chinese (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True
    _patch_rich_help()
    _patch_usage_prefix()
    _patch_help_option()
    _patch_type_labels()
    _patch_error_display()


def _patch_rich_help() -> None:
    from typer import rich_utils

    rich_utils.ARGUMENTS_PANEL_TITLE = "参数"
    rich_utils.OPTIONS_PANEL_TITLE = "选项"
    rich_utils.COMMANDS_PANEL_TITLE = "命令"
    rich_utils.ERRORS_PANEL_TITLE = "错误"
    rich_utils.DEFAULT_STRING = "[默认：{}]"
    rich_utils.REQUIRED_LONG_STRING = "[必填]"
    rich_utils.ENVVAR_STRING = "[环境变量：{}]"
    rich_utils.DEPRECATED_STRING = "（已弃用）"
    rich_utils.ABORTED_TEXT = "已取消。"
    rich_utils.RICH_HELP = "请运行“{command_path} {help_option}”查看用法。"
    rich_utils.RANGE_STRING = "（{}）"
    original = rich_utils._get_parameter_help

    def one_foldable_text(**kwargs):
        # Typer puts help, default and “required” side by side in rich Columns, which cut a long
        # Chinese help (no spaces to wrap at) with “…” at 80 columns; one Text folds instead.
        from rich.text import Text

        columns = original(**kwargs)
        parts = [item for item in columns.renderables if isinstance(item, Text)]
        if len(parts) != len(columns.renderables):
            return columns
        text = Text(overflow="fold")
        for index, part in enumerate(parts):
            if index:
                text.append(" ")
            text.append_text(part)
        return text

    rich_utils._get_parameter_help = one_foldable_text


def _patch_usage_prefix() -> None:
    from typer._click.formatting import HelpFormatter

    write_usage = HelpFormatter.write_usage

    def chinese_usage(self, prog, args="", prefix=None):
        args = args.replace("[OPTIONS]", "[选项]").replace("COMMAND [ARGS]...", "命令 [参数]...")
        return write_usage(self, prog, args, "用法：" if prefix is None else prefix)

    HelpFormatter.write_usage = chinese_usage


def _patch_help_option() -> None:
    from typer._click.core import Command

    get_help_option = Command.get_help_option

    def chinese_help_option(self, ctx):
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = HELP_OPTION_TEXT
        return option

    Command.get_help_option = chinese_help_option


def _patch_type_labels() -> None:
    from typer import core as typer_core
    from typer.core import TyperOption, _TyperParameter

    display_type = _TyperParameter.display_type

    def chinese_label(self, ctx):
        label = display_type(self, ctx)
        inner = label[1:-1] if label.startswith("<") and label.endswith(">") else label
        return f"<{TYPE_LABELS[inner]}>" if inner in TYPE_LABELS else label

    _TyperParameter.display_type = chinese_label

    def chinese_range(low, high):
        if low is None and high is None:
            return None
        if high is None:
            return f"≥{low}"
        return f"≤{high}" if low is None else f"{low}–{high}"

    typer_core.describe_number_range = chinese_range
    option_rich = TyperOption.display_type_rich

    def no_label_for_flags(self, ctx):
        if getattr(self, "is_flag", False) and self.metavar is None:
            return None
        return option_rich(self, ctx)

    TyperOption.display_type_rich = no_label_for_flags


# --- usage errors ---------------------------------------------------------------------------
_VALUE_MESSAGES = [
    (re.compile(r"Input should be greater than or equal to (\S+)"), "应不小于 {0}"),
    (re.compile(r"Input should be greater than (\S+)"), "应大于 {0}"),
    (re.compile(r"Input should be less than or equal to (\S+)"), "应不大于 {0}"),
    (re.compile(r"Input should be less than (\S+)"), "应小于 {0}"),
    (re.compile(r"Input should be a valid integer"), "应为整数"),
    (re.compile(r"Input should be a valid number"), "应为数字"),
    (re.compile(r"Input should be a valid boolean"), "应为是/否（true/false）"),
    (re.compile(r"'?(.*?)'? is not one of (.*)\."), "“{0}”不在可选值中（{1}）"),
    (re.compile(r"Value (.*) is not a valid (.*)\."), "{0} 不是有效的值"),
    (re.compile(r".* (.+) is a file\."), "{0} 是文件，应为目录"),
    (re.compile(r".* (.+) is a directory\."), "{0} 是目录，应为文件"),
    (re.compile(r".* (.+) does not exist\."), "{0} 不存在"),
]

_USAGE_MESSAGES = [
    (re.compile(r"No such command '(.*?)'\.?(?: Did you mean (.*)\?)?$"), "没有命令“{0}”"),
    (re.compile(r"Missing command\.?"), "缺少命令"),
    (re.compile(r"Got unexpected extra arguments? ?\(?s?\)? ?\((.*)\)"), "多余的参数：{0}"),
    (re.compile(r"Option '(.*?)' requires an argument\."), "选项 {0} 后面要写一个值"),
    (re.compile(r"Option '(.*?)' requires (\d+) arguments\."), "选项 {0} 后面要写 {1} 个值"),
    (re.compile(r"Option '(.*?)' does not take a value\."), "选项 {0} 不带值"),
    (re.compile(r"No such option: (\S+)"), "没有选项 {0}"),
]


def _hint(param) -> str:
    if getattr(param, "param_type_name", "") == "argument":
        return param.metavar or getattr(param, "display_name_raw", None) or param.name
    return " / ".join(getattr(param, "opts", None) or [param.name])


def _translate(text: str, table) -> str | None:
    for pattern, chinese in table:
        match = pattern.search(text)
        if match:
            return chinese.format(*(group or "" for group in match.groups()))
    return None


def usage_error_message(error) -> str:
    """A Chinese sentence for a click usage error (missing option, unknown command, bad value …)."""
    from typer._click import exceptions as click_errors

    if isinstance(error, click_errors.MissingParameter):
        kind = "参数" if getattr(error.param, "param_type_name", "") == "argument" else "选项"
        return f"缺少{kind} {_hint(error.param)}" if error.param is not None else "缺少必填的参数"
    if isinstance(error, click_errors.NoSuchOption):
        text = f"没有选项 {error.option_name}"
        if error.possibilities:
            text += f"；是否要写 {'、'.join(sorted(error.possibilities))}"
        return text
    if isinstance(error, click_errors.BadParameter):
        detail = _translate(error.message, _VALUE_MESSAGES) or "取值无效"
        if error.param is not None:
            return f"{_hint(error.param)} 的取值无效：{detail}"
        return f"取值无效：{detail}"
    message = error.format_message()
    chinese = _translate(message, _USAGE_MESSAGES)
    if chinese is None:
        return f"命令行有误（{message}）"
    suggestion = re.search(r"Did you mean (.*)\?", message)
    if suggestion:
        chinese += f"；是否要写 {suggestion.group(1)}".replace("'", "")
    return chinese


def show_usage_error(error, console) -> int:
    """Print a click error as ``错误：…`` plus where to find the help; return its exit code."""
    from rich.markup import escape
    from typer._click.exceptions import NoArgsIsHelpError, UsageError

    if isinstance(error, NoArgsIsHelpError):  # the help has been printed already
        return 2
    if not hasattr(error, "format_message"):  # typer.Abort: the user said no / pressed Ctrl-D
        console.print("[yellow]已取消。[/]")
        return 1
    console.print(f"[bold red]错误：[/]{escape(usage_error_message(error))}")
    if isinstance(error, UsageError):
        command = error.ctx.command_path if error.ctx is not None else "docgen"
        console.print(f"请运行“{escape(command)} -h”查看用法。")
    return getattr(error, "exit_code", 1)


def _patch_error_display() -> None:
    # For callers that run the Typer app in standalone mode (tests with typer's CliRunner): the
    # same Chinese lines as docgen.cli.main prints, instead of typer's English usage panel.
    from typer import rich_utils

    def chinese_error(error) -> None:
        show_usage_error(error, rich_utils._get_rich_console(stderr=True))

    rich_utils.rich_format_error = chinese_error
