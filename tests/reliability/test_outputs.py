"""Output folders a user can get wrong, all-or-nothing writes, and the exit-70 path for bugs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from docgen.errors import DocgenError
from docgen.output import write_outputs

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "sanxing-sanli-speech.yaml"


def docgen(*args, env=None, code=None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "docgen"]
    return subprocess.run([*command, *map(str, args)], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, env={**os.environ, **(env or {})})


def assert_outdir_error(result, *fragments):
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "-o/--outdir" in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


def test_outdir_that_is_a_file(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("keep", encoding="utf-8")
    assert_outdir_error(docgen("render", EXAMPLE, "-o", blocker), str(blocker), "是一个文件")
    assert_outdir_error(docgen("render", EXAMPLE, "-o", blocker / "sub"), "路径中有一段是文件")
    assert blocker.read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_outdir_not_creatable(tmp_path):
    # /proc takes no new folders, even for root (chmod-based read-only tests are void for root).
    assert_outdir_error(docgen("render", EXAMPLE, "-o", "/proc/docgen-test-out"), "/proc/docgen-test-out")
    long_name = tmp_path / "a" / "b" / ("长" * 100)
    assert_outdir_error(docgen("render", EXAMPLE, "-o", long_name), "文件名或路径太长")
    assert not (tmp_path / "a").exists()  # the folders made on the way are removed again


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_outdir(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        assert_outdir_error(docgen("render", EXAMPLE, "-o", locked), "没有写入权限")
        assert not any(locked.iterdir())
    finally:
        locked.chmod(0o755)


@pytest.fixture
def read_only_share(tmp_path):
    """A read-only file system, as an office share mounted ro looks: a real `mount -o ro`, which
    stops root too (CI runs as root, where chmod-based tests prove nothing)."""
    share = tmp_path / "share"
    share.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(share)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a read-only tmpfs here: {mounted.stderr.strip()}")
    try:
        yield share
    finally:
        subprocess.run(["umount", str(share)], capture_output=True)


def test_outdir_on_a_read_only_share(read_only_share):
    assert_outdir_error(docgen("render", EXAMPLE, "-f", "docx", "-f", "pdf", "-o", read_only_share), "只读")
    assert_outdir_error(docgen("render", EXAMPLE, "-o", read_only_share / "子目录"), "只读")
    result = docgen("batch", ROOT / "examples" / "batch-notice.yaml", "--data", ROOT / "examples" / "units.csv",
                    "-o", read_only_share / "批量")
    assert_outdir_error(result, "只读")
    assert list(read_only_share.iterdir()) == []


def test_blocked_docx_leaves_no_pdf(tmp_path):
    (tmp_path / "sanxing-sanli-speech.docx").mkdir()
    result = docgen("render", EXAMPLE, "-f", "pdf", "-f", "docx", "--preview", "-o", tmp_path)
    assert_outdir_error(result, "sanxing-sanli-speech.docx", "同名目录")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sanxing-sanli-speech.docx"]  # no PDF, PNG or temp


def test_failed_rename_restores_older_files(tmp_path, monkeypatch):
    """A rename that fails half-way takes back the new files and puts the older ones back."""
    old_pdf = tmp_path / "a.pdf"
    old_pdf.write_bytes(b"old pdf")
    real_replace = os.replace

    def replace(source, target):
        if str(target).endswith("a.docx"):
            raise OSError(28, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    files = {tmp_path / "a.pdf": b"new pdf", tmp_path / "a.docx": b"new docx", tmp_path / "a-1.png": b"png"}
    with pytest.raises(DocgenError, match="磁盘空间不足"):
        write_outputs(files)
    assert old_pdf.read_bytes() == b"old pdf"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf"]


def test_success_replaces_older_files_and_leaves_no_backup(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"old")
    write_outputs({tmp_path / "a.pdf": b"new", tmp_path / "a.docx": b"docx"})
    assert (tmp_path / "a.pdf").read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx", "a.pdf"]


def test_new_output_is_checked_too(tmp_path):
    (tmp_path / "speech.yaml").mkdir()
    result = docgen("new", "speech", "-o", tmp_path / "speech.yaml", "--force")
    assert result.returncode == 2 and "-o/--output" in result.stderr and "Traceback" not in result.stderr
    result = docgen("new", "speech", "-o", tmp_path / ("长" * 100 + ".yaml"))
    assert result.returncode == 2 and "文件名或路径太长" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["speech.yaml"]


def test_batch_outdir_is_checked_before_any_row(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("keep", encoding="utf-8")
    batch = ("batch", ROOT / "examples" / "batch-notice.yaml", "-d", ROOT / "examples" / "units.csv")
    assert_outdir_error(docgen(*batch, "-o", blocker), "是一个文件")
    assert_outdir_error(docgen(*batch, "-o", tmp_path / "a" / ("长" * 100)), "文件名或路径太长")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


CRASH = (
    "import sys, docgen.api as api\n"
    "def boom(*a, **k):\n"
    "    raise RuntimeError('simulated bug')\n"
    "api.build_document = boom\n"
    "from docgen.cli import main\n"
    "sys.argv = ['docgen', *sys.argv[1:]]\n"
    "main()\n"
)


def test_unexpected_error_exits_70_with_a_log_file(tmp_path):
    """A bug (simulated by replacing a library function) is one Chinese line plus a log file."""
    result = docgen("render", EXAMPLE, "-o", tmp_path / "out", code=CRASH, env={"XDG_STATE_HOME": str(tmp_path / "state")})
    assert result.returncode == 70
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("内部错误") and "请把该文件发给维护者" in lines[0]
    logs = list((tmp_path / "state").rglob("docgen-crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in lines[0]
    text = logs[0].read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError: simulated bug" in text
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args", [
    ("templates", "list", "-t", "/tmp/" + "长" * 100),
    ("fonts", "--font-dir", "/tmp/" + "长" * 100),
    ("render", EXAMPLE, "-t", "/tmp/" + "长" * 100),
    ("templates", "copy", "/tmp/" + "长" * 100),
])
def test_unusable_paths_on_the_command_line_are_user_errors(tmp_path, args):
    """A path the system refuses (here: a name over 255 bytes) is exit 2 in Chinese, not a crash."""
    result = docgen(*args, env={"XDG_STATE_HOME": str(tmp_path / "state")})
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("错误：") and "长长长" in result.stderr
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr
    assert not (tmp_path / "state").exists()  # no crash log: this is not a bug


def test_templates_copy_into_a_file_is_refused(tmp_path):
    blocker = tmp_path / "mine"
    blocker.write_text("keep", encoding="utf-8")
    result = docgen("templates", "copy", blocker)
    assert result.returncode == 2 and "是一个文件" in result.stderr and "Traceback" not in result.stderr
    assert blocker.read_text(encoding="utf-8") == "keep"
