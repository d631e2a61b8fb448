"""Plain text drafts: the encoding is detected (UTF-8, UTF-8 with BOM, UTF-16, GBK/GB18030)."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from docgen.errors import DocgenError
from docgen.ingest.draft import Draft, Line

_CJK = re.compile(r"[\u4e00-\u9fff]")


def decode(data: bytes, path: Path) -> str:
    """Bytes → text by an ordered trial.

    BOMs first; then UTF-16 without BOM (every other byte NUL); then strict UTF-8, which rarely
    decodes non-UTF-8 Chinese by accident; GB18030 last because it decodes almost any bytes — so
    its result must also look like Chinese text, or the file is reported as unreadable.
    """
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _strict(data, encoding, path)
    if b"\x00" in data and len(data) % 2 == 0:
        # UTF-16 without a BOM: ASCII characters leave NUL bytes; pick the byte order whose text
        # reads as Chinese or plain text.
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _readable(text):
                return text
    if b"\x00" in data:
        raise DocgenError("这不是文本文件（含有二进制内容），无法导入", file=str(path))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_chinese(text):
        return text
    raise DocgenError("无法识别文件编码（已尝试 UTF-8、UTF-16、GBK/GB18030）；请另存为 UTF-8 文本后再导入",
                      file=str(path))


def _strict(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise DocgenError(f"文件按 {encoding} 编码无法解码；请另存为 UTF-8 文本后再导入", file=str(path)) from None


def _readable(text: str) -> bool:
    good = sum(1 for c in text if c in "\n\r\t" or " " <= c <= "~" or _CJK.match(c) or "\u3000" <= c <= "\u303f"
               or "\uff00" <= c <= "\uffef" or c in "“”‘’…—·")
    return good >= 0.95 * max(1, len(text))


def _looks_chinese(text: str) -> bool:
    """Most non-ASCII characters of a real GBK draft are common CJK ideographs or punctuation."""
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return True
    common = sum(1 for c in wide if _CJK.match(c) or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
                 or c in "“”‘’…—·")
    return common >= 0.8 * len(wide)


def read_text(path: Path) -> Draft:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocgenError(f"无法读取稿子文件（{exc.strerror}）", file=str(path)) from None
    text = decode(data, path).replace("\r\n", "\n").replace("\r", "\n")
    lines = [Line(line.rstrip(), number) for number, line in enumerate(text.split("\n"), start=1)]
    return Draft(path=path, lines=lines, unit="line")
