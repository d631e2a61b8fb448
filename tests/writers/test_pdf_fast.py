"""The PDF writer's fast text path (:class:`docgen.writers.pdf._TextPainter`) writes the very bytes
reportlab's text objects write (:func:`docgen.writers.pdf._draw_line`), on every example outline."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from docgen.errors import FontError
from docgen.writers import pdf

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def fontset(profile):
    from docgen.api import load_fontset

    try:
        return load_fontset(profile)
    except FontError as exc:
        pytest.skip(f"字体未构建：{exc}")


def rendered(document, profile, fontset, *, reference: bool) -> bytes:
    pages = pdf.layout_document(document, profile, fontset)
    faces = pdf.resolve_faces(pages, fontset, document)
    if not reference:
        return pdf.render(document, profile, pages, faces)
    original = pdf._TextPainter.draw_line

    def through_reportlab(self, line, page_height):
        pdf._draw_line(self.canvas, line, page_height, self.faces)

    pdf._TextPainter.draw_line = through_reportlab
    try:
        return pdf.render(document, profile, pages, faces)
    finally:
        pdf._TextPainter.draw_line = original


@pytest.mark.parametrize("name", ["sanxing-sanli-speech", "notice", "report", "request"])
def test_fast_text_path_writes_reportlabs_bytes(name, profile, fontset, monkeypatch):
    from docgen.api import build_document

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    document, _ = build_document(EXAMPLES / f"{name}.yaml", profile=profile)
    fast = rendered(document, profile, fontset, reference=False)
    assert fast == rendered(document, profile, fontset, reference=True)
    # and through write_pdf, twice: nothing cached between documents changes the next one
    first, second = io.BytesIO(), io.BytesIO()
    pdf.write_pdf(document, profile, first, fontset=fontset)
    pdf.write_pdf(document, profile, second, fontset=fontset)
    assert first.getvalue() == second.getvalue() == fast


PLAIN_REPORTLAB = """
import hashlib, io, sys
from docgen.api import build_document
from docgen.writers import pdf
pdf._Deflate.install = classmethod(lambda cls: None)  # reportlab's own save: no memo, no threads
for name in sys.argv[1:]:
    document, profile = build_document(name)
    out = io.BytesIO()
    pdf.write_pdf(document, profile, out)
    print(hashlib.sha256(out.getvalue()).hexdigest())
"""


def test_memoised_save_writes_plain_reportlabs_bytes(profile, fontset, monkeypatch, tmp_path):
    """The memo of font subsets, widths arrays, CMaps and compressed streams (_Deflate) changes no
    byte: a process that never installs it writes the same files, also for a document rendered
    after others (every cache warm)."""
    import hashlib
    import os
    import subprocess
    import sys

    from docgen.api import build_document

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    names = [str(EXAMPLES / f"{name}.yaml") for name in ("sanxing-sanli-speech", "notice", "report", "request")]
    ours = []
    for name in names * 2:
        document, doc_profile = build_document(name)
        out = io.BytesIO()
        pdf.write_pdf(document, doc_profile, out, fontset=fontset)
        ours.append(hashlib.sha256(out.getvalue()).hexdigest())
    assert ours[:4] == ours[4:]
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])))
    plain = subprocess.run([sys.executable, "-c", PLAIN_REPORTLAB, *names], capture_output=True, text=True,
                           env=env, check=True).stdout.split()
    assert plain == ours[:4]


def test_cached_runs_are_dropped_when_a_face_changes():
    """Runs kept for a line hold only while every face map seen agrees; a map that routes one
    (role, char) elsewhere (another font folder, say) starts a new generation with no runs."""
    first = {("fangsong", "中"): "FaceA", ("latin", "A"): "Latin"}
    generation = pdf._FaceMaps.key(first)
    pdf._RUNS.put(1, ((), generation, []), 0, pdf._MAX_RUN_GLYPHS)
    assert pdf._FaceMaps.key({("fangsong", "中"): "FaceA", ("heiti", "国"): "FaceB"}) == generation
    assert 1 in pdf._RUNS
    assert pdf._FaceMaps.key({("fangsong", "中"): "FaceC"}) == generation + 1
    assert len(pdf._RUNS) == 0 and pdf._RUNS.size == 0


def test_cached_runs_are_bounded_in_glyphs(monkeypatch):
    monkeypatch.setattr(pdf, "_MAX_RUN_GLYPHS", 10)
    pdf._FaceMaps.key({("fangsong", "新"): "Other"})  # a new generation: no runs kept
    tuples = [tuple(range(n, n + 4)) for n in range(5)]
    for glyphs in tuples:
        pdf._keep_runs(glyphs, 0, [])
    assert pdf._RUNS.size == sum(len(entry[0]) for entry in pdf._RUNS.values()) <= 10
    assert id(tuples[-1]) in pdf._RUNS and id(tuples[0]) not in pdf._RUNS
