"""Parity: the native PDF and LibreOffice's render of the .docx, page by page and line by line.

Each example is rendered both ways through :func:`docgen.api.render` (one Document, one profile),
the .docx converted by LibreOffice, and the text lines of every page compared: the two must have
the same number of pages and identical lines inside the 版心 (page numbers are
outside it and not counted). Run with ``-s`` to see the shares.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from support.libreoffice import convert_to_pdf
from support.pdfmeasure import TypeArea, read_pages

import docgen
from docgen.style.profile import load_profile

pytestmark = pytest.mark.libreoffice

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
REQUIRED_SHARE = 1.0  # every line of every page, as measured since the named styles (issue 11)


def page_lines(pdf: Path, area: TypeArea) -> list[list[str]]:
    return [[line.text for line in page.lines_in(area)] for page in read_pages(pdf)]


def line_share(ours: list[list[str]], theirs: list[list[str]]) -> float:
    """Identical lines on the same page (in order), over the lines of the longer side."""
    matched = total = 0
    for k in range(max(len(ours), len(theirs))):
        a = ours[k] if k < len(ours) else []
        b = theirs[k] if k < len(theirs) else []
        blocks = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_matching_blocks()
        matched += sum(block.size for block in blocks)
        total += max(len(a), len(b))
    return matched / total if total else 1.0


def differences(ours: list[list[str]], theirs: list[list[str]], limit: int = 12) -> str:
    shown = []
    for k in range(max(len(ours), len(theirs))):
        a = ours[k] if k < len(ours) else []
        b = theirs[k] if k < len(theirs) else []
        for line in difflib.unified_diff(b, a, f"LibreOffice p{k + 1}", f"PDF p{k + 1}", lineterm="", n=0):
            shown.append(line)
    return "\n".join(shown[:limit * 4])


@pytest.mark.parametrize("example", ["sanxing-sanli-speech", "notice", "report", "request"])
def test_pdf_pages_and_lines_match_libreoffice(example, tmp_path):
    outline = EXAMPLES / f"{example}.yaml"
    written = docgen.render(outline, formats=["docx", "pdf"], outdir=tmp_path)
    docx = next(path for path in written if path.suffix == ".docx")
    pdf = next(path for path in written if path.suffix == ".pdf")
    lo_pdf = convert_to_pdf(docx, tmp_path / "libreoffice")
    area = TypeArea.from_profile(load_profile())
    ours, theirs = page_lines(pdf, area), page_lines(lo_pdf, area)
    share = line_share(ours, theirs)
    print(f"parity {example}: {len(ours)} pages (LibreOffice {len(theirs)}), "
          f"{share:.1%} identical lines")
    assert len(ours) == len(theirs), differences(ours, theirs)
    assert share >= REQUIRED_SHARE, differences(ours, theirs)
