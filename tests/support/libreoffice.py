"""Render a .docx to PDF with LibreOffice headless, the way the tests need it.

- Its own user profile (``-env:UserInstallation``), so a desktop LibreOffice or a parallel test
  run is never disturbed, and fonts are resolved through ``tests/support/fonts.conf`` (the GB font
  names → the free fonts the PDF writer uses).
- **LibreOffice 7.4 reads ``w:overflowPunct`` inverted** (measured, reference/measurements.md §9):
  ECMA-376 says ``w:val="0"`` forbids punctuation hanging past the text edge, which is what Word
  does with docgen's files; LibreOffice imports ``"0"`` as *hanging allowed* and ``"1"`` as *no
  hanging*. To render what Word shows, the value is swapped in a temporary copy before
  converting. The product's .docx stays spec-correct.

- **Blank pages are exported.** A section that must start on an even page (the 版记's) makes
  LibreOffice insert an empty page, which its PDF export *skips* by default; Word prints it. The
  export runs with ``IsSkipEmptyPages=false`` so the PDF has the pages a duplex printer gets.
- :func:`convert_many` converts several files in one soffice run (start-up ≈1.3 s, then ≈0.2 s a
  file), which is how session-scoped fixtures should use it.

Tests skip (``pytest.skip``) only when no ``soffice`` is installed; CI installs it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest

FONTS_CONF = Path(__file__).with_name("fonts.conf")
PROFILE_DIR = Path(tempfile.gettempdir()) / f"docgen-tests-lo-profile-{os.getuid()}"
TIMEOUT_S = 180

_OVERFLOW_PUNCT = re.compile(rb'<w:overflowPunct(?:\s+w:val="(0|1|false|true|off|on)")?\s*/>')
_SWAPPED = {b"0": b"1", b"false": b"1", b"off": b"1", b"1": b"0", b"true": b"0", b"on": b"0",
            None: b"0"}  # a bare element means "on"


def soffice() -> str:
    """Path of the soffice binary, or skip the calling test."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.skip("LibreOffice (soffice) 未安装")
    return found


def swap_overflow_punct(xml: bytes) -> bytes:
    """Invert every ``w:overflowPunct`` so LibreOffice 7.4 does what Word does with the original."""
    return _OVERFLOW_PUNCT.sub(
        lambda m: b'<w:overflowPunct w:val="' + _SWAPPED[m.group(1)] + b'"/>', xml
    )


def libreoffice_copy(docx_path: Path, target: Path) -> Path:
    """A copy of ``docx_path`` with overflowPunct swapped in every WordprocessingML part."""
    with zipfile.ZipFile(docx_path) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("word/") and item.filename.endswith(".xml"):
                data = swap_overflow_punct(data)
            dst.writestr(item, data)
    return target


PDF_FILTER = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'


def convert_to_pdf(docx_path: str | Path, outdir: str | Path) -> Path:
    """Convert one .docx to ``outdir/<stem>.pdf`` as Word would lay it out; returns the PDF path."""
    return convert_many([docx_path], outdir)[0]


def convert_many(docx_paths: list[str | Path], outdir: str | Path) -> list[Path]:
    """Convert several .docx files (distinct stems) in one soffice run; PDFs in ``outdir``."""
    binary = soffice()
    paths, outdir = [Path(p) for p in docx_paths], Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="docgen-lo-") as work:
        staged = [str(libreoffice_copy(p, Path(work) / p.name)) for p in paths]
        env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))
        command = [
            binary, f"-env:UserInstallation={PROFILE_DIR.as_uri()}", "--headless", "--norestore",
            "--nologo", "--convert-to", PDF_FILTER, "--outdir", str(outdir), *staged,
        ]
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
    pdfs = [outdir / f"{p.stem}.pdf" for p in paths]
    if result.returncode != 0 or not all(pdf.exists() for pdf in pdfs):
        raise RuntimeError(
            f"soffice failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return pdfs
