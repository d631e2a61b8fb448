"""Batch generation: per-row isolation, safe names, encodings, XLSX, interruption and resume."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from docgen.batch import decode_table, read_rows, sanitise_name

ROOT = Path(__file__).resolve().parents[1]
OUTLINE = ROOT / "examples" / "batch-notice.yaml"


def docgen(*args, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docgen", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def write_units(path: Path, count: int, *, broken: int | None = None, encoding: str = "utf-8") -> list[dict]:
    rows = []
    for i in range(1, count + 1):
        number = f"某工发〔2024〕{i}号" if i != broken else f"某工发[2024]{i}号"
        rows.append({"单位": f"第{i}镇", "主送": f"第{i}镇工会", "文号": number, "名额": str(i % 9 + 2),
                     "联系人": f"联系人{i}"})
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def report(outdir: Path) -> list[dict]:
    with (outdir / "batch-report.csv").open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_fifty_rows_docx_and_pdf_with_one_broken_row(tmp_path):
    import pdfplumber

    rows = write_units(tmp_path / "units.csv", 50, broken=17)
    out = tmp_path / "out"
    result = docgen("batch", OUTLINE, "--data", tmp_path / "units.csv", "-f", "docx", "-f", "pdf", "-o", out,
                    "--name", "{序号}-{单位}", "--workers", "2")
    assert result.returncode == 1, result.stderr
    assert "第 18 行失败" in result.stderr and "六角括号" in result.stderr
    docx = sorted(out.glob("*.docx"))
    pdfs = sorted(out.glob("*.pdf"))
    assert len(docx) == 49 and len(pdfs) == 49
    assert not (out / "17-第17镇.docx").exists()
    for row_index in (1, 25, 50):
        row = rows[row_index - 1]
        base = out / f"{row_index}-{row['单位']}"
        text = docx_text(base.with_suffix(".docx"))
        for value in (row["主送"], row["文号"], row["名额"], row["联系人"]):
            if value != row["文号"]:  # the 文号 is not printed in a body-only notice yet
                assert value in text
        with pdfplumber.open(base.with_suffix(".pdf")) as pdf:
            pdf_text = "".join(page.extract_text() for page in pdf.pages).replace(" ", "").replace("\n", "")
        assert row["主送"] in pdf_text and row["联系人"] in pdf_text
    lines = report(out)
    assert len(lines) == 50
    failed = [line for line in lines if line["状态"] == "失败"]
    assert [(f["行号"], f["序号"]) for f in failed] == [("18", "17")]
    assert "文号" in failed[0]["原因"] or "number" in failed[0]["原因"]


def test_names_stay_inside_outdir(tmp_path):
    data = tmp_path / "units.csv"
    data.write_text("单位,名额,联系人\n../../逃逸,3,甲\na/b\\c,4,乙\n控制\x07字符,5,丙\n..,6,丁\n同名,1,戊\n同名,2,己\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    result = docgen("batch", OUTLINE, "--data", data, "-o", out, "--name", "{单位}", "--workers", "1")
    assert result.returncode == 0, result.stderr
    produced = sorted(p.name for p in out.iterdir() if p.suffix == ".docx")
    assert len(produced) == 6
    assert all(p.resolve().parent == out.resolve() for p in out.iterdir())
    assert not any(p.suffix == ".docx" for p in tmp_path.iterdir())
    assert "同名.docx" in produced and "同名-2.docx" in produced
    assert all("\x07" not in name and "/" not in name and ".." not in name for name in produced)


def test_sanitise_name():
    assert sanitise_name("../../etc/passwd", "1") == "____etc_passwd"
    assert sanitise_name("..", "7") == "_"
    assert sanitise_name("a\x00b\nc", "1") == "abc"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_encodings_are_detected(tmp_path, encoding):
    path = tmp_path / "units.csv"
    write_units(path, 3, encoding=encoding)
    rows = read_rows(path)
    assert rows[0].values["单位"] == "第1镇" and list(rows[0].values)[0] == "单位"
    assert [r.number for r in rows] == [2, 3, 4]


def test_explicit_encoding_and_decode():
    assert decode_table("单位".encode("gb18030")) == "单位"
    assert decode_table("\ufeff单位".encode("utf-8")) == "单位"


def test_xlsx_input(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["单位", "主送", "名额", "联系人"])
    sheet.append(["北山镇", "北山镇工会", 5, "李四"])
    sheet.append(["南湖街道", "南湖街道工会", 7.0, "王五"])
    book.save(tmp_path / "units.xlsx")
    out = tmp_path / "out"
    result = docgen("batch", OUTLINE, "--data", tmp_path / "units.xlsx", "-o", out, "--name", "{单位}")
    assert result.returncode == 0, result.stderr
    assert "共7名" in docx_text(out / "南湖街道.docx").replace("<w:t>", "").replace("</w:t>", "") or "7" in docx_text(out / "南湖街道.docx")


def test_nothing_can_start_exits_2(tmp_path):
    data = tmp_path / "units.csv"
    write_units(data, 2)
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: notice\ntitle: 通知\nbdy: 正文\n", encoding="utf-8")
    result = docgen("batch", bad, "--data", data, "-o", tmp_path / "out")
    assert result.returncode == 2 and "未知字段" in result.stderr and "Traceback" not in result.stderr
    result = docgen("batch", OUTLINE, "--data", tmp_path / "missing.csv", "-o", tmp_path / "out")
    assert result.returncode == 2 and "找不到数据文件" in result.stderr


def test_missing_column_is_a_row_error(tmp_path):
    data = tmp_path / "units.csv"
    data.write_text("单位,名额\n甲镇,3\n", encoding="utf-8")
    out = tmp_path / "out"
    result = docgen("batch", OUTLINE, "--data", data, "-o", out)
    assert result.returncode == 1
    assert "联系人" in result.stderr
    assert report(out)[0]["状态"] == "失败"


def test_killed_batch_leaves_no_partial_file_and_resumes(tmp_path):
    data = tmp_path / "units.csv"
    write_units(data, 120)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "docgen", "batch", str(OUTLINE), "--data", str(data), "-o", str(out),
               "--name", "{序号}", "--workers", "2"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("*.docx"))) < 10:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the whole group: parent and workers, no cleanup
    process.wait()
    done_before = sorted(out.glob("*.docx"))
    assert 10 <= len(done_before) < 120
    for path in done_before:
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None  # every file that exists is complete
    stamps = {p.name: p.stat().st_mtime_ns for p in done_before}
    result = docgen("batch", OUTLINE, "--data", data, "-o", out, "--name", "{序号}", "--skip-existing")
    assert result.returncode == 0, result.stderr
    assert len(list(out.glob("*.docx"))) == 120
    assert not list(out.glob(".*.tmp"))
    assert all(p.stat().st_mtime_ns == stamps[p.name] for p in done_before)  # kept, not redone
    skipped = [line for line in report(out) if line["状态"] == "跳过"]
    assert len(skipped) == len(done_before)


def test_ctrl_c_stops_cleanly(tmp_path):
    data = tmp_path / "units.csv"
    write_units(data, 200)
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "docgen", "batch", str(OUTLINE), "--data", str(data), "-o", str(out),
                                "-f", "docx", "-f", "pdf", "--workers", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("*.pdf"))) < 5:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "已中断" in stderr and "--skip-existing" in stderr and "Traceback" not in stderr
    assert not list(out.glob(".*.tmp"))
    pdfs = list(out.glob("*.pdf"))
    assert 5 <= len(pdfs) < 200
    assert all(p.read_bytes().rstrip().endswith(b"%%EOF") for p in pdfs)
    assert (out / "batch-report.csv").exists()
