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
- **FandolFang with its own glyph extent.** The PDF layout centres each grid line's box by the
  faces' usWinAscent/usWinDescent (``docgen.fonts.Face.vertical_em``); LibreOffice uses ``hhea``
  ascent + line gap and descent. FandolFang's ``hhea`` says 0.88 + 0.2 / 0.12 em, its glyphs reach
  0.978 / 0.272 em (= usWin), and Liberation's 0.216 em descent then moves every line holding a
  digit 0.77 pt up in its grid cell (pitches 28.2 / 29.7 pt). LibreOffice gets a copy of the face
  whose ``hhea`` carries the usWin values (:func:`fonts_conf`), so both renders place lines alike.
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


FONT_DIR = Path(tempfile.gettempdir()) / f"docgen-tests-lo-fonts-{os.getuid()}"


def _fandolfang() -> Path | None:
    """The installed FandolFang the PDF writer would use (None when it is not installed)."""
    from docgen.fonts import fontconfig
    from docgen.fonts.resolve import DEFAULTS

    spec = DEFAULTS["fangsong"]
    if spec.family != "FandolFang":
        return None
    if Path(spec.debian_path).is_file():
        return Path(spec.debian_path)
    face = fontconfig.find_family((spec.family,), spec.style)
    return face.file if face is not None and face.file.is_file() else None


def _win_metrics_copy(source: Path, target: Path) -> None:
    """``source`` with ``hhea`` ascent/descent = usWinAscent/usWinDescent and no line gap."""
    from fontTools.ttLib import TTFont

    with TTFont(str(source), lazy=True) as font:
        os2, hhea = font["OS/2"], font["hhea"]
        hhea.ascent, hhea.descent, hhea.lineGap = os2.usWinAscent, -os2.usWinDescent, 0
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        font.save(str(tmp))
    os.replace(tmp, target)


def fonts_conf() -> Path:
    """The fontconfig file LibreOffice runs with: ``fonts.conf``, plus (when FandolFang is
    installed) a copy of FandolFang with usWin metrics in ``hhea`` replacing the original.
    The copy (≈7 s to write) is kept in ``FONT_DIR``, keyed by the source's size and mtime."""
    source = _fandolfang()
    if source is None:
        return FONTS_CONF
    st = source.stat()
    folder = FONT_DIR / f"{st.st_size}-{st.st_mtime_ns}"
    conf = folder / "fonts.conf"
    if conf.is_file():
        return conf
    folder.mkdir(parents=True, exist_ok=True)
    _win_metrics_copy(source, folder / source.name)
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{folder}</dir>\n"
        f"  <selectfont><rejectfont><glob>{source}</glob></rejectfont></selectfont>\n"
        f"  <include>{FONTS_CONF}</include>\n</fontconfig>\n"
    )
    tmp = conf.with_name(f".fonts.conf.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, conf)
    return conf


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
        env = dict(os.environ, FONTCONFIG_FILE=str(fonts_conf()))
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
