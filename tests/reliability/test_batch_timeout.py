"""A slow row cannot stall a batch: --row-timeout makes it that row's error (超时), the first-row
check is bounded alike, the report is written, and workers never outlive the parent."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# The outline's own template text loops 次数² times without printing: instant for 次数 = 1, hours
# for 100000 (the sandbox allows range() up to 100000). A slow row made of real, legal input.
SLOW_OUTLINE = """\
kind: notice
issuer: 某市总工会
title: 关于{{ 单位 }}开展安全检查的通知
recipients: "{{ 单位 }}工会"
body: |
  请{{ 单位 }}认真开展检查。{% for i in range(次数|int) %}{% for j in range(次数|int) %}{% endfor %}{% endfor %}
signature: 某市总工会
date: 2024-04-10
"""


def docgen(*args, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docgen", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def make_case(tmp_path: Path, slow_rows: set[int], count: int = 10) -> tuple[Path, Path]:
    outline = tmp_path / "slow.yaml"
    outline.write_text(SLOW_OUTLINE, encoding="utf-8")
    data = tmp_path / "units.csv"
    with data.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["单位", "次数"])
        for i in range(1, count + 1):
            writer.writerow([f"第{i}镇", "100000" if i in slow_rows else "1"])
    return outline, data


def report(outdir: Path) -> list[dict]:
    with (outdir / "batch-report.csv").open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def check_outcome(result, out: Path, slow_rows: set[int], count: int) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = report(out)
    assert len(lines) == count
    timed_out = {int(line["序号"]) for line in lines if line["状态"] == "失败"}
    assert timed_out == slow_rows
    assert all("超时" in line["原因"] and "--row-timeout" in line["原因"] for line in lines if line["状态"] == "失败")
    assert sorted(p.name for p in out.glob("*.docx")) == sorted(f"{i}.docx" for i in range(1, count + 1)
                                                                 if i not in slow_rows)
    assert not list(out.glob(".*.tmp"))


@pytest.mark.parametrize("workers", ["1", "2"])
def test_slow_row_times_out_and_the_run_goes_on(tmp_path, workers):
    outline, data = make_case(tmp_path, {4, 7})
    out = tmp_path / "out"
    started = time.monotonic()
    result = docgen("batch", outline, "--data", data, "-o", out, "--row-timeout", "3", "--workers", workers)
    elapsed = time.monotonic() - started
    check_outcome(result, out, {4, 7}, 10)
    assert "超时：超过 3 秒仍未完成" in result.stderr and "共 2 行" in result.stderr
    assert elapsed < 60


def test_first_row_check_is_bounded_too(tmp_path):
    # Row 1 is also rendered once up front to catch template errors; that render has the same limit.
    outline, data = make_case(tmp_path, {1}, count=4)
    out = tmp_path / "out"
    started = time.monotonic()
    result = docgen("batch", outline, "--data", data, "-o", out, "--row-timeout", "3", "--workers", "2")
    elapsed = time.monotonic() - started
    check_outcome(result, out, {1}, 4)
    assert "第 2 行失败：超时" in result.stderr
    assert elapsed < 30  # one timeout, not two


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"  # a zombie has exited; its new parent reaps it


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_exit_when_the_parent_dies(tmp_path):
    outline, data = make_case(tmp_path, {1, 2, 3, 4}, count=4)
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "docgen", "batch", str(outline), "--data", str(data),
                                "-o", str(out), "--row-timeout", "0", "--workers", "2"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(workers) < 2:
            time.sleep(0.2)
            workers = _children(process.pid)
        assert len(workers) == 2, "workers did not start"
        time.sleep(1.0)  # both busy on endless rows
        process.kill()  # SIGKILL: the parent gets no chance to clean up
        process.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers)
    finally:  # never leave an endless worker behind, whatever failed
        if process.poll() is None:
            workers = _children(process.pid)
            process.kill()
            process.wait()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers inherit the patch")
def test_a_worker_that_dies_costs_only_its_row(tmp_path, monkeypatch):
    from docgen import batch

    outline, data = make_case(tmp_path, set(), count=6)
    real = batch._render_row

    def crash_on_row_3(row, name, skip_existing):
        if row.index == 3:
            os._exit(9)  # as if the kernel's OOM killer had stepped in
        return real(row, name, skip_existing)

    monkeypatch.setattr(batch, "_render_row", crash_on_row_3)
    out = tmp_path / "out"
    job = batch.Job(outline=outline, formats=("docx",), outdir=out)
    outcome = batch.run_batch(job, data, workers=2, row_timeout=30)
    assert [r.index for r in outcome.failed] == [3]
    assert "工作进程意外退出" in outcome.failed[0].reason
    assert sorted(p.name for p in out.glob("*.docx")) == [f"{i}.docx" for i in (1, 2, 4, 5, 6)]
    assert len(report(out)) == 6 and not list(out.glob(".*.tmp"))
