"""The Widths arrays docgen formats in one go are the bytes reportlab's own PDFArray.format gives."""

from __future__ import annotations

import random

import pytest
from reportlab import rl_config
from reportlab.pdfbase import pdfdoc

from docgen.writers.pdf import _Deflate


def _samples() -> list[list]:
    rng = random.Random(9704)
    floats = [rng.uniform(-2000, 2000) for _ in range(300)] + [0.0, -0.0, 1e-7, 5e-4, 123456789.125, 0.1 + 0.2,
                                                             1000.0, 499.999999, -12.5, 3.0e10]
    ints = [rng.randint(-5000, 5000) for _ in range(300)] + [0, 1000, -1, 10 ** 12]
    mixed = floats[:40] + ints[:40]
    rng.shuffle(mixed)
    return [[], [7], [500.0], ints[:10], ints[:11], ints[:256], floats[:128], floats, mixed, ints]


@pytest.mark.parametrize("multiline", [True, False, "forced"])
@pytest.mark.parametrize("pdf_multiline", [0, 1])
def test_number_arrays_format_as_reportlab_does(monkeypatch, multiline, pdf_multiline):
    _Deflate.install()
    monkeypatch.setattr(rl_config, "pdfMultiLine", pdf_multiline)
    for sequence in _samples():
        plain = pdfdoc.PDFArray(sequence)
        plain.multiline = multiline
        fast = pdfdoc.PDFArray(sequence)
        fast.multiline = multiline
        fast.__class__ = _Deflate.number_array
        expected = plain.format(None)
        assert fast.format(None) == expected, sequence[:5]
        assert fast.format(None) == expected  # again, from the memo
