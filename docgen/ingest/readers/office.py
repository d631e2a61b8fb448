""".doc / .wps / .odt / .rtf drafts: converted to .docx by LibreOffice (when installed), then read."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from docgen.errors import DocgenError
from docgen.ingest.draft import Draft


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_converted(path: Path, timeout: float = 120) -> Draft:
    program = soffice()
    if program is None:
        raise DocgenError(f"导入 {path.suffix} 文件需要安装 LibreOffice（soffice）；"
                          "也可以在 Word/WPS 里另存为 .docx 后再导入", file=str(path))
    from docgen.ingest.readers.word import read_docx

    with tempfile.TemporaryDirectory() as folder:
        profile = Path(folder) / "profile"
        command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "docx",
                   "--outdir", folder, str(path)]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise DocgenError(f"LibreOffice 转换超时（{timeout:.0f} 秒）", file=str(path)) from None
        converted = Path(folder) / f"{path.stem}.docx"
        if not converted.is_file():
            raise DocgenError("LibreOffice 无法转换此文件（文件可能已损坏）", file=str(path))
        draft = read_docx(converted)
    draft.path = path
    return draft
