"""The pickled reportlab faces: same metrics as a fresh parse, and a damaged pickle is re-parsed."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.fonts import fontset

LIBERATION = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")


@pytest.mark.skipif(not LIBERATION.is_file(), reason="fonts-liberation2 is installed by the Makefile")
def test_pickled_face_equals_a_fresh_parse(tmp_path, monkeypatch):
    from reportlab.pdfbase.ttfonts import TTFont

    monkeypatch.setattr(fontset._build, "cache_dir", lambda: tmp_path)
    first = fontset._parsed_font("probe-a", LIBERATION, 0)
    (pickled,) = (tmp_path / "parsed").glob("*.pickle")
    again = fontset._parsed_font("probe-b", LIBERATION, 0)  # from the pickle
    fresh = TTFont("probe-c", str(LIBERATION))
    for font in (first, again):
        assert font.face.charWidths == fresh.face.charWidths
        assert font.face.charToGlyph == fresh.face.charToGlyph
        assert font.face._pdfScale(2048) == fresh.face._pdfScale(2048)
        assert font.stringWidth("2024年", 16) == fresh.stringWidth("2024年", 16)
    pickled.write_bytes(b"not a pickle")
    repaired = fontset._parsed_font("probe-d", LIBERATION, 0)
    assert repaired.face.charWidths == fresh.face.charWidths
