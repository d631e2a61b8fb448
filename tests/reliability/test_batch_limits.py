"""Batch data limits: file size, XLSX zip bombs (checked before openpyxl parses), row count —
each a Chinese error naming the file, exit 2, nothing written."""

from __future__ import annotations

import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from docgen import batch
from docgen.errors import DocgenError

ROOT = Path(__file__).resolve().parents[2]
OUTLINE = ROOT / "examples" / "batch-notice.yaml"


def docgen(*args, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docgen", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def assert_refused(result: subprocess.CompletedProcess, data: Path, out: Path, *fragments: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert data.name in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr
    assert not out.exists() or not any(out.iterdir())


def zip_bomb(path: Path, unpacked: int) -> None:
    """A workbook whose sheet is ``unpacked`` bytes of one repeated character."""
    chunk = b"0" * 2**20
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(unpacked // len(chunk)):
                member.write(chunk)


def test_xlsx_zip_bomb_is_refused_before_parsing(tmp_path):
    data = tmp_path / "units.xlsx"
    zip_bomb(data, 64 * 2**20)
    assert data.stat().st_size < 2**20
    out = tmp_path / "out"
    started = time.monotonic()
    result = docgen("batch", OUTLINE, "--data", data, "-o", out, timeout=60)
    assert time.monotonic() - started < 30
    assert_refused(result, data, out, "压缩比异常", "xl/worksheets/sheet1.xml")


def test_xlsx_unpacked_size_and_member_limits(tmp_path, monkeypatch):
    data = tmp_path / "units.xlsx"
    with zipfile.ZipFile(data, "w", compression=zipfile.ZIP_STORED) as archive:
        for i in range(30):
            archive.writestr(f"xl/part{i}.xml", b"x" * 4096)
    monkeypatch.setattr(batch, "XLSX_MAX_UNCOMPRESSED", 100_000)
    with pytest.raises(DocgenError, match="解压后有 120 KB，超过上限 98 KB"):
        batch.check_xlsx_archive(data)
    monkeypatch.setattr(batch, "XLSX_MAX_MEMBERS", 20)
    with pytest.raises(DocgenError, match="30 个部件，超过上限 20"):
        batch.check_xlsx_archive(data)


def test_not_a_zip_named_xlsx(tmp_path):
    data = tmp_path / "units.xlsx"
    data.write_text("单位,主送\n甲,乙\n", encoding="utf-8")
    out = tmp_path / "out"
    assert_refused(docgen("batch", OUTLINE, "--data", data, "-o", out), data, out, "无法读取 XLSX 文件")


def test_data_file_size_limit(tmp_path):
    data = tmp_path / "units.csv"
    with data.open("wb") as handle:
        handle.write("单位,主送\n".encode())
        handle.truncate(batch.MAX_DATA_BYTES + 1)  # sparse: quick to make, refused before reading
    out = tmp_path / "out"
    assert_refused(docgen("batch", OUTLINE, "--data", data, "-o", out), data, out, "超过上限 50 MB", "拆成")


def test_row_limit_and_its_option(tmp_path):
    data = tmp_path / "units.csv"
    data.write_text("单位,主送,名额,联系人\n" + "".join(f"第{i}镇,第{i}镇工会,3,张三\n" for i in range(1, 8)),
                    encoding="utf-8")
    out = tmp_path / "out"
    result = docgen("batch", OUTLINE, "--data", data, "-o", out, "--max-rows", "5")
    assert_refused(result, data, out, "数据行超过 5 行的上限", "--max-rows")
    assert len(batch.read_rows(data, max_rows=7)) == 7
    with pytest.raises(DocgenError, match="超过 6 行"):
        batch.read_rows(data, max_rows=6)
