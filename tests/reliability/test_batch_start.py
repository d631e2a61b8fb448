"""When a batch cannot start — the outline's own {{ }} is broken, OUTDIR cannot be written — it is
one Chinese error, exit 2, and nothing is written (no empty report, no new folder)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTLINE = ROOT / "examples" / "batch-notice.yaml"


def docgen(*args, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docgen", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def units(tmp_path: Path) -> Path:
    data = tmp_path / "units.csv"
    data.write_text("单位,主送,名额,联系人\n甲镇,甲镇工会,3,张三\n乙镇,乙镇工会,4,李四\n", encoding="utf-8")
    return data


def test_broken_placeholder_in_the_outline_stops_before_any_row(tmp_path):
    outline = tmp_path / "notice.yaml"
    outline.write_text("kind: notice\ntitle: 关于{{ 单位 的通知\nbody: 正文。\n", encoding="utf-8")
    out = tmp_path / "out"
    result = docgen("batch", outline, "--data", units(tmp_path), "-o", out)
    assert result.returncode == 2
    assert "notice.yaml:2" in result.stderr and "{{ }} 写法有误" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_outdir_that_is_a_file_or_under_a_file(tmp_path):
    blocker = tmp_path / "out.txt"
    blocker.write_text("keep me", encoding="utf-8")
    for target, reason in ((blocker, "是一个文件，不是目录"), (blocker / "sub", "是文件而不是目录")):
        result = docgen("batch", OUTLINE, "--data", units(tmp_path), "-o", target)
        assert result.returncode == 2
        assert str(target) in result.stderr and reason in result.stderr and "-o/--outdir" in result.stderr
        assert "Traceback" not in result.stderr and "Errno" not in result.stderr
    assert blocker.read_text(encoding="utf-8") == "keep me"
