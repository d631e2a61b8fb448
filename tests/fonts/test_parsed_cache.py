"""The cached reportlab faces: same metrics, subsets and glyph map as a fresh parse, the font's
bytes mapped from the file rather than copied, and a damaged cache file re-parsed."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.fonts import fontset

LIBERATION = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")


@pytest.mark.skipif(not LIBERATION.is_file(), reason="fonts-liberation2 is installed by the Makefile")
def test_cached_face_equals_a_fresh_parse(tmp_path, monkeypatch):
    import mmap

    from reportlab.pdfbase.ttfonts import TTFont

    monkeypatch.setattr(fontset._build, "cache_dir", lambda: tmp_path)
    first = fontset._parsed_font("probe-a", LIBERATION, 0)
    (stored,) = (tmp_path / "parsed").glob("*.marshal")
    assert stored.stat().st_size < LIBERATION.stat().st_size  # tables only, not the font's bytes
    again = fontset._parsed_font("probe-b", LIBERATION, 0)  # from the cache
    assert isinstance(again.face._ttf_data, mmap.mmap)
    fresh = TTFont("probe-c", str(LIBERATION))
    subset = [ord(c) for c in "公文 2024 Abé Åǻ"]  # é, Å: composite glyphs in Liberation
    for font in (first, again):
        assert font.face.charWidths == fresh.face.charWidths
        assert font.face.charToGlyph == fresh.face.charToGlyph
        hmetrics = font.face.hmetrics  # the cached face keeps both per-glyph lists as flat arrays
        assert [hmetrics[glyph] for glyph in range(len(hmetrics))] == fresh.face.hmetrics
        assert list(font.face.glyphPos) == fresh.face.glyphPos
        assert font.face._pdfScale(2048) == fresh.face._pdfScale(2048)
        assert font.stringWidth("2024年", 16) == fresh.stringWidth("2024年", 16)
        assert font.face.makeSubset(subset) == fresh.face.makeSubset(subset)
    # From the cache, charToGlyph is a map over two arrays: the same answers as the dict.
    cmap, plain = again.face.charToGlyph, fresh.face.charToGlyph
    assert isinstance(cmap, fontset._CodeMap) and len(cmap) == len(plain)
    for code in [65.0, True, 32.5, float("nan"), "A", "65", None, *subset, 0, 0x10FFFF, 2 ** 40, -1, 0x4E00, 0xA0]:
        assert (code in cmap) == (code in plain), code
        assert cmap.get(code, "none") == plain.get(code, "none"), code
        assert (code in cmap) or pytest.raises(KeyError, cmap.__getitem__, code)
    assert sorted(cmap.items()) == sorted(plain.items()) and set(cmap) == set(plain)
    # Widths the same way, ints as ints; the dict itself is built only if asked for.
    cached = fontset._parsed_font("probe-e", LIBERATION, 0)
    assert "_char_widths" not in vars(cached.face)
    for code, width in fresh.face.charWidths.items():
        got = cached.face.getCharWidth(code)
        assert got == width and type(got) is type(width), code
        for size in (16.0, 15.75, 10.5, 22.0):  # one character's width, as the C stringWidth gives it
            assert got * 0.001 * size == fresh.stringWidth(chr(code), size), (code, size)
    assert "_char_widths" not in vars(cached.face)
    assert cached.face.getCharWidth(0x10FFFF) == fresh.face.defaultWidth
    assert cached.face.charWidths == fresh.face.charWidths
    assert [type(w) for w in cached.face.charWidths.values()] == [type(fresh.face.charWidths[c]) for c in cached.face.charWidths]
    # glyph → characters (reportlab's shaping only) is rebuilt as the inverse of charToGlyph
    rebuilt = again.face.glyphToChar
    assert all(fresh.face.charToGlyph[c] == g for g, chars in rebuilt.items() for c in chars)
    assert sum(map(len, rebuilt.values())) == len(fresh.face.charToGlyph)
    stored.write_bytes(b"not marshal data")
    repaired = fontset._parsed_font("probe-d", LIBERATION, 0)
    assert repaired.face.charWidths == fresh.face.charWidths


def test_window_slices_like_the_copied_table():
    data = bytes(range(256)) * 4
    window = fontset._Window(data, 100, 500)
    table = data[100:600]
    assert len(window) == len(table)
    for key in (slice(0, 2), slice(10, 10), slice(490, 900), slice(None, 7), slice(495, None), slice(-5, None),
                slice(3, 1), slice(0, 20, 3)):
        assert window[key] == table[key], key
    assert window[0] == table[0] and window[-1] == table[-1]
