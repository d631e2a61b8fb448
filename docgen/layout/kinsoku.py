"""禁则: which characters may not start or end a line, and which runs may not be split.

The one place for these lists. The line breaker (:mod:`docgen.layout.lines`) reads them; the .docx
asks Word/WPS/LibreOffice for the same behaviour with ``w:kinsoku`` (on), whose default
Simplified-Chinese lists are the ones quoted below (reference/gbt9704.md §11, ECMA-376 Part 4
``kinsoku``). GB/T 15834-2011 §5.1 forbids a subset of the same marks, so the Word lists cover it.
"""

from __future__ import annotations

import unicodedata

# Word's default Simplified-Chinese "cannot start a line" list (w:kinsoku), verbatim.
WORD_NO_LINE_START = (
    "!%),.:;>?]}¢¨°·ˇˉ―‖’”…‰′″›℃∶、。〃〉》」』】〕〗〞︶︺︾﹀﹄﹚﹜﹞！＂％＇），．：；？］｀｜｝～￠"
)
# Word's default Simplified-Chinese "cannot end a line" list, verbatim.
WORD_NO_LINE_END = "$([{£¥·‘“〈《「『【〔〖〝﹙﹛﹝＄（．［｛￡￥"

# GB/T 15834-2011 §5.1 (basic level of W3C clreq): 点号 and closing marks never start a line,
# opening marks never end one. All of them are already in Word's lists; kept explicit so a reader
# can check the standard against the lists.
GB_NO_LINE_START = "。，、；：？！”’）》〉】〕〗"
GB_NO_LINE_END = "“‘（《〈【〔〖"

NO_LINE_START = frozenset(WORD_NO_LINE_START) | frozenset(GB_NO_LINE_START)
NO_LINE_END = frozenset(WORD_NO_LINE_END) | frozenset(GB_NO_LINE_END)

# 破折号 —— and 省略号 …… take two ems and are never split (GB/T 15834 §5.1). LibreOffice 7.4 keeps
# —— together but splits …… (its zh-CN list lacks "…"); Word keeps both, and so do we.
UNSPLITTABLE_MARKS = frozenset("—…")


def cannot_start_line(char: str) -> bool:
    return char in NO_LINE_START


def cannot_end_line(char: str) -> bool:
    return char in NO_LINE_END


def is_half_width(char: str) -> bool:
    """Latin letters, digits, ASCII punctuation and spaces: set in the Latin face at their own
    advance. Ambiguous-width marks (“”‘’—…·) are full width, as the .docx's w:hint="eastAsia" asks."""
    return unicodedata.east_asian_width(char) in ("Na", "H", "N")


def is_word_char(char: str) -> bool:
    """Part of an unbreakable Latin run: letters, digits and the ASCII marks that join them
    (2023, 25.5%, GDP, 3.14, COVID-19, a/b). A space ends the run."""
    return is_half_width(char) and not char.isspace()


def is_ideograph(char: str) -> bool:
    """Han characters and kana: where Word/LibreOffice add autospace next to Latin text."""
    code = ord(char)
    return (
        0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3FFFF or 0x3040 <= code <= 0x30FF
    )


def is_latin_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


# Per-character classes as bits, computed once per character (the line breaker asks for every
# character of every line several times): CLASSES[char] & IDEOGRAPH etc.
IDEOGRAPH = 1  # is_ideograph
LATIN_ALNUM = 2  # is_latin_alnum
AMBIGUOUS = 4  # East Asian width "A" (“”‘’—…·): full width, the CJK face, its own run
WORD_CHAR = 8  # is_word_char
HALF_WIDTH = 16  # is_half_width


class _CharClasses(dict):
    def __missing__(self, char: str) -> int:
        value = ((IDEOGRAPH if is_ideograph(char) else 0)
                 | (LATIN_ALNUM if is_latin_alnum(char) else 0)
                 | (AMBIGUOUS if unicodedata.east_asian_width(char) == "A" else 0)
                 | (WORD_CHAR if is_word_char(char) else 0)
                 | (HALF_WIDTH if is_half_width(char) else 0))
        self[char] = value
        return value


CLASSES: dict[str, int] = _CharClasses()


def atom_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each atom of ``text`` (see :func:`atoms`)."""
    classes = CLASSES
    bounds: list[tuple[int, int]] = []
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        end = index + 1
        if classes[char] & WORD_CHAR:
            while end < length and classes[text[end]] & WORD_CHAR:
                end += 1
        elif char in UNSPLITTABLE_MARKS:
            while end < length and text[end] == char:
                end += 1
        bounds.append((index, end))
        index = end
    return bounds


def atoms(text: str) -> list[str]:
    """``text`` cut into the smallest pieces a line may break between: one full-width character,
    a whole Latin run (``25.5%``), a whole ``——``/``……``, a space."""
    return [text[a:b] for a, b in atom_bounds(text)]


def may_break_between(before: str, after: str) -> bool:
    """Whether a line may end after atom ``before`` and the next start with atom ``after``."""
    return not (cannot_end_line(before[-1]) or cannot_start_line(after[0]))
