"""Batch output names: unique within a run (case and Unicode form ignored), at most 255 bytes with
the temporary file's extra, never a lost row and never an English OSError."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from docgen.batch import NAME_BYTES, Row, output_names, sanitise_name

ROOT = Path(__file__).resolve().parents[2]
OUTLINE = ROOT / "examples" / "batch-notice.yaml"


def docgen(*args, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docgen", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def write_table(path: Path, units: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["单位", "主送", "名额", "联系人"])
        for i, unit in enumerate(units, start=1):
            writer.writerow([unit, f"{unit}工会", str(i + 2), f"联系人{i}"])


def report(outdir: Path) -> list[dict]:
    with (outdir / "batch-report.csv").open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def assert_every_success_has_its_own_files(out: Path, formats: tuple[str, ...]) -> list[dict]:
    lines = report(out)
    done = [line for line in lines if line["状态"] == "成功"]
    for fmt in formats:
        expected = sorted(f"{line['文件名']}.{fmt}" for line in done)
        assert len(set(expected)) == len(expected), "two rows share one file"
        assert sorted(p.name for p in out.glob(f"*.{fmt}")) == expected
    assert not list(out.glob(".*.tmp"))
    return lines


def test_same_names_after_sanitising_write_distinct_files(tmp_path):
    # 甲, 甲, 甲-2 used to give 甲, 甲-2, 甲-2: two rows wrote one file and both said 成功.
    # A and a are one file on Windows and macOS; 'a/b' and 'a_b' sanitise alike.
    units = ["甲", "甲", "甲-2", "A", "a", "a/b", "a_b", "CON"]
    write_table(tmp_path / "units.csv", units)
    out = tmp_path / "out"
    result = docgen("batch", OUTLINE, "--data", tmp_path / "units.csv", "-o", out, "--name", "{单位}",
                    "--workers", "2")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = assert_every_success_has_its_own_files(out, ("docx",))
    assert len(lines) == len(units) and all(line["状态"] == "成功" for line in lines)
    names = [line["文件名"] for line in lines]
    assert names[:3] == ["甲", "甲-2", "甲-2-2"]
    assert len({name.casefold() for name in names}) == len(names)
    assert "CON" not in names  # a Windows device name


def test_long_cjk_names_are_cut_to_bytes_not_characters(tmp_path):
    # 100 CJK characters are 300 bytes of UTF-8: OSError(36, 'File name too long') before.
    long_unit = "关于全市职工职业技能大赛" * 10  # 120 characters, 360 bytes
    write_table(tmp_path / "units.csv", [long_unit, long_unit, long_unit[:100]])
    out = tmp_path / "out"
    result = docgen("batch", OUTLINE, "--data", tmp_path / "units.csv", "-o", out, "--name", "{单位}",
                    "-f", "docx", "-f", "pdf")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "OSError" not in result.stderr
    lines = assert_every_success_has_its_own_files(out, ("docx", "pdf"))
    assert len(lines) == 3
    for path in out.iterdir():
        assert len(path.name.encode("utf-8")) <= 255 - 14  # room for write_atomic's ".<name>.xxxxxxxx.tmp"
        path.name.encode("utf-8").decode("utf-8")  # no half character
    assert lines[1]["文件名"].endswith("-2")


def test_output_names_unit():
    rows = [Row(i + 2, i + 1, {"名": name}) for i, name in enumerate(["甲", "甲", "甲-2", "Straße", "STRASSE"])]
    names, errors = output_names(rows, "{名}", ("docx",))
    assert not errors
    assert list(names.values())[:3] == ["甲", "甲-2", "甲-2-2"]
    assert len({n.casefold() for n in names.values()}) == 5
    # A cut never splits a character, and a suffix still fits in the budget.
    many = [Row(i + 2, i + 1, {"名": "字" * 200}) for i in range(12)]
    names, _ = output_names(many, "{名}", ("docx", "pdf"))
    assert len(set(names.values())) == 12
    assert all(len(f"{n}.docx".encode()) <= NAME_BYTES for n in names.values())
    assert sanitise_name("é" * 200, "1", 11) == "ééééé"  # 10 bytes: no half 'é' left at the end
    assert sanitise_name("e\u0301" * 3, "1", 5) == "éé"  # NFC first, then cut
