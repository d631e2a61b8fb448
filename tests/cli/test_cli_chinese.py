"""Every string the command line shows is Chinese, click/Typer's own labels and errors included,
and the help stays whole at 80 columns."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Labels Typer and its bundled click would print in English.
ENGLISH = re.compile(
    r"Usage:|Show this message|Options|Commands|Arguments|\[default|\[required|required\]|Error|"
    r"Try '|for help|Missing|No such|Invalid value|unexpected extra|requires an|Did you mean|Possible options|"
    r"<bool>|<path>|<str>|<int|<list\[|<float|\[OPTIONS\]|COMMAND|\[ARGS\]|Aborted|Input should"
)

HELP_SCREENS = ["", "render", "batch", "new", "templates", "templates list", "templates copy", "profile",
                "profile show", "fonts", "fonts build"]


def docgen(*args: str, columns: int = 80) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": str(columns), "TERMINAL_WIDTH": str(columns)}
    return subprocess.run([sys.executable, "-m", "docgen", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=60)


@pytest.fixture(scope="module")
def screens() -> dict[str, str]:
    shown = {}
    for command in HELP_SCREENS:
        result = docgen(*command.split(), "--help")
        assert result.returncode == 0, result.stderr
        shown[command] = result.stdout
    return shown


def test_help_has_no_english_labels(screens):
    for command, text in screens.items():
        assert not ENGLISH.search(text), (command, ENGLISH.search(text).group())
        assert "用法：docgen" in text and "显示本帮助后退出。" in text, command
    assert "选项" in screens[""] and "命令" in screens[""]
    assert "参数" in screens["render"] and "[默认：docx]" in screens["render"] and "[必填]" in screens["batch"]
    assert "<路径>" in screens["render"] and "<整数>" in screens["batch"]


def test_help_fits_80_columns_without_cutting_words(screens):
    from rich.cells import cell_len

    for command, text in screens.items():
        for line in text.splitlines():
            assert cell_len(line) <= 80, (command, line)
            assert "…" not in line, (command, line)  # rich's ellipsis for a cut-off help text
    # the option help that used to be cut (“只写与国标不同 …”) is whole
    joined = re.sub(r"[│\s]+", "", screens["batch"])
    assert "单位样式覆盖文件（YAML），只写与国标不同的值。" in joined
    assert "跳过输出文件已齐全的行（用于续跑）。" in joined


def test_no_arguments_shows_the_chinese_help():
    result = docgen()
    assert result.returncode == 2
    assert "用法：docgen" in result.stdout and not ENGLISH.search(result.stdout + result.stderr)


USAGE_ERRORS = {
    "missing option": (["batch", "x.yaml"], "缺少选项 --data / -d", "docgen batch -h"),
    "missing argument": (["render"], "缺少参数 提纲", "docgen render -h"),
    "unknown command": (["foo"], "没有命令“foo”", "docgen -h"),
    "typo command": (["rendr"], "没有命令“rendr”；是否要写 render", "docgen -h"),
    "extra argument": (["render", "a.yaml", "b.yaml"], "多余的参数：b.yaml", "docgen render -h"),
    "unknown option": (["render", "--preveiw", "a.yaml"], "没有选项 --preveiw；是否要写 --preview", "docgen render -h"),
    "option without value": (["render", "a.yaml", "-f"], "选项 -f 后面要写一个值", "docgen -h"),
    "bad integer": (["batch", "a.yaml", "-d", "d.csv", "-j", "abc"], "--workers / -j 的取值无效：应为整数",
                    "docgen batch -h"),
    "out of range": (["batch", "a.yaml", "-d", "d.csv", "-j", "0"], "--workers / -j 的取值无效：应不小于 1",
                     "docgen batch -h"),
}


@pytest.mark.parametrize("case", USAGE_ERRORS)
def test_usage_errors_are_chinese(case):
    args, message, hint = USAGE_ERRORS[case]
    result = docgen(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert f"错误：{message}" in result.stderr
    assert f"请运行“{hint}”查看用法。" in result.stderr
    assert not ENGLISH.search(result.stdout + result.stderr), ENGLISH.search(result.stdout + result.stderr).group()


def test_the_app_run_in_process_speaks_chinese_too():
    """Typer's own error display (standalone mode, as typer's CliRunner runs it) is replaced too."""
    from typer.testing import CliRunner

    from docgen.cli import app

    result = CliRunner().invoke(app, ["batch", "x.yaml"])
    assert result.exit_code == 2
    assert "错误：缺少选项 --data / -d" in result.output and not ENGLISH.search(result.output)
