"""Shared fixtures: one font cache for the whole session (built at most once), and fake fonts."""

from __future__ import annotations

from pathlib import Path

import pytest

# The font cache is $DOCGEN_FONT_CACHE or the user cache, the same one `docgen fonts build` (run by
# `make test` before pytest) fills, so the suite normally finds the build done; `built` builds it
# otherwise, once per session.


@pytest.fixture(scope="session")
def profile():
    from docgen.style.profile import load_profile

    return load_profile()


@pytest.fixture(scope="session")
def built(profile) -> list[Path]:
    """The converted Noto faces (builds them if the cache does not have them yet)."""
    from docgen.fonts import build

    return build(profile=profile)


@pytest.fixture(scope="session")
def fontset(built, profile):
    from docgen.fonts import FontSet

    return FontSet.load(profile)


def make_font(path: Path, family: str, chars: str, *, advance: int = 1000) -> Path:
    """A tiny TrueType font named ``family`` whose glyphs (a box each) cover ``chars``."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    names = [".notdef"] + [f"uni{ord(c):04X}" for c in chars]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(c): f"uni{ord(c):04X}" for c in chars})
    glyphs = {}
    for name in names:
        pen = TTGlyphPen(None)
        pen.moveTo((100, -50))
        pen.lineTo((100, 750))
        pen.lineTo((advance - 100, 750))
        pen.lineTo((advance - 100, -50))
        pen.closePath()
        glyphs[name] = pen.glyph()
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({name: (advance, 100) for name in names})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    ps_name = "".join(c for c in family if c.isascii() and c.isalnum()) or "FakeFont"
    fb.setupNameTable({"familyName": family, "styleName": "Regular", "psName": ps_name + "-Regular"}, mac=False)
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    fb.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    fb.save(str(path))
    return path


@pytest.fixture
def fake_fangsong_dir(tmp_path) -> Path:
    """A --font-dir holding a fake 仿宋_GB2312 that has only a few characters."""
    make_font(tmp_path / "fonts" / "FS_GB2312.ttf", "仿宋_GB2312", "中文仿宋公")
    return tmp_path / "fonts"
