"""Decoding the text of a data table (a report's CSV, a batch data file).

Lives in the outline layer because both compose (report tables) and batch (data rows) read tables.
"""

from __future__ import annotations


def decode_table(raw: bytes, encoding: str | None = None) -> str:
    """UTF-8 (BOM optional) first; GB18030 (a superset of GBK) when the bytes are not UTF-8."""
    if encoding:
        return raw.decode(encoding)
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030")
