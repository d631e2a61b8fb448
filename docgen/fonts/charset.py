"""The character sets docgen promises to draw in each role's own face: GB2312, GBK, plus ASCII and
the punctuation official documents use. Enumerated from Python's codecs, so no table is typed in.
"""

from __future__ import annotations

from functools import lru_cache

# Bump when the sets below change: it is part of every built font's cache key.
CHARSET_VERSION = "gb2312-1"

# Punctuation and symbols a document may use that the GBK codec decodes differently or not at all:
# U+2014/U+2015 (一字线: GBK A1AA is U+2014, GB2312 A1AA is U+2015), U+2E3A (两字线), U+00B7/U+30FB
# (间隔号), U+2026 (省略号), U+FF5E/U+301C (波浪线), U+2116 (№), U+00A0/U+3000 spaces, U+20AC (€).
EXTRA_PUNCTUATION = (
    "\u00a0\u00b7\u2010\u2011\u2012\u2013\u2014\u2015\u2016\u2018\u2019\u201c\u201d\u2026\u2027"
    "\u2030\u2032\u2033\u203b\u20ac\u2116\u2e3a\u3000\u3001\u3002\u3008\u3009\u300a\u300b\u300c"
    "\u300d\u300e\u300f\u3010\u3011\u3014\u3015\u3016\u3017\u301c\u301d\u301e\u30fb\uff5e"
)


def _double_byte(codec: str, lead: range, trail: range) -> frozenset[str]:
    chars = set()
    for b1 in lead:
        for b2 in trail:
            try:
                chars.add(bytes((b1, b2)).decode(codec))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


@lru_cache(maxsize=None)
def ascii_chars() -> frozenset[str]:
    """Printable ASCII (U+0020–U+007E)."""
    return frozenset(chr(c) for c in range(0x20, 0x7F))


@lru_cache(maxsize=None)
def gb2312_chars() -> frozenset[str]:
    """The 7,445 characters of GB2312 (6,763 hanzi + 682 symbols)."""
    return _double_byte("gb2312", range(0xA1, 0xFF), range(0xA1, 0xFF))


@lru_cache(maxsize=None)
def gbk_chars() -> frozenset[str]:
    """Every character the ``gbk`` codec decodes from a two-byte sequence (21,791)."""
    return _double_byte("gbk", range(0x81, 0xFF), range(0x40, 0xFF))


def in_gbk(char: str) -> bool:
    return char in ascii_chars() or char in gbk_chars()


@lru_cache(maxsize=None)
def core_charset() -> frozenset[str]:
    """What the up-front build puts into every converted face: ASCII + GB2312 + extra punctuation.
    The rest of GBK (and anything else the source face has) is added on demand (supplement)."""
    return ascii_chars() | gb2312_chars() | frozenset(EXTRA_PUNCTUATION)


def is_latin(char: str) -> bool:
    """Characters a CJK role hands to the Latin face: printable ASCII other than the space.

    Full-width forms (Ａ, １, ，) stay in the CJK face; they are full-width on purpose.
    """
    return "\u0021" <= char <= "\u007e"
