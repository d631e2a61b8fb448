"""Cleaning a draft without losing words: noise lines out (and listed), punctuation widths fixed,
wrapped lines rejoined.

Noise is what a web page or a PDF adds around the text: site navigation and download prompts,
``第 N 页 共 M 页``, page numbers, headers/footers repeated on every page, 相关文章 lists. Every
dropped line is returned with its reason so the import report can list it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from docgen.ingest.draft import Line

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{CJK}]")
# Full-width punctuation that counts as “Chinese context” next to a half-width mark.
_CN_PUNCT = "，。、；：？！“”‘’（）《》【】…—·"

# Words of site chrome that never belong to a document; a line made only of them is noise.
_NAV_WORDS = {
    "购物车", "我的足迹", "我的收藏", "收藏", "分享", "分享到", "举报", "登录", "注册", "免费注册", "首页", "返回首页",
    "立即下载", "免费下载", "下载", "下载文档", "加入vip免费下载", "加入vip", "开通vip", "vip", "上传文档", "打印",
    "打印本页", "关闭窗口", "返回顶部", "扫一扫", "手机阅读", "复制链接", "点赞", "评论", "纠错", "字号", "大", "中", "小",
    "上一篇", "下一篇", "阅读全文", "展开全文", "文档下载", "保存", "在线阅读", "全屏阅读", "微信", "微博", "qq空间",
}
_DOWNLOAD_PROMPT = re.compile(
    r"(立即下载|免费下载|下载券|下载积分|文档贡献者|VIP|Vip|vip|会员免费|付费文档|扫码(?:下载|阅读)|"
    r"本文(?:档)?由.{0,20}上传|版权所有|Copyright|©|免责声明|侵权请联系|阅读量|浏览次数|下载次数)"
)
_PAGE_NUMBER = re.compile(
    r"^\s*(?:第\s*\d+\s*页\s*[,，/／]?\s*共\s*\d+\s*页|共\s*\d+\s*页\s*第\s*\d+\s*页|[-—–－]\s*\d+\s*[-—–－]|"
    r"\d+\s*/\s*\d+|[Pp]age\s*\d+(?:\s*of\s*\d+)?|\d{1,3})\s*$"
)
_RELATED = re.compile(r"^\s*(相关文章|相关推荐|相关阅读|相关文档|猜你喜欢|热门文章|推荐阅读|延伸阅读|热门推荐|最新文章)\s*[:：]?\s*$")
_BREADCRUMB = re.compile(r"^\s*(?:首页|当前位置[:：]?).{0,40}[>›»].{0,60}$")
# A document's file name as a web page lists it: a long digit run (date/id) glued to the text,
# or a name ending in a file extension.
_FILE_NAME = re.compile(r"^\s*(?:\d{6,}\S{2,40}|\S{2,60}\.(?:docx?|pdf|wps|txt))\s*$", re.IGNORECASE)

_SENTENCE_END = "。！？；…”’）"


@dataclass
class Dropped:
    line: int
    text: str
    reason: str


def drop_control_characters(lines: list[Line]) -> list[tuple[int, list[str]]]:
    """Remove bidi and C0/C1 controls from every line (and table cell), as compose does for an
    outline: they are invisible, and the YAML written from the draft cannot hold them.
    Returns (line number, the distinct characters removed) for each line that had any."""
    from docgen.compose.markup import control_characters_in, drop_control_characters as drop

    removed = []
    for line in lines:
        found = control_characters_in([line.text, line.hints.get("table", [])])
        if not found:
            continue
        line.text = drop(line.text)
        if "table" in line.hints:
            line.hints["table"] = [[drop(cell) for cell in row] for row in line.hints["table"]]
        removed.append((line.number, sorted(found)))
    return removed


def noise_reason(line: Line, head: bool) -> str | None:
    """Why ``line`` is noise, or None. ``head``: the line comes before the document's text."""
    text = line.text.strip()
    if not text:
        return None
    if _PAGE_NUMBER.match(text):
        return "页码"
    if _BREADCRUMB.match(text):
        return "网页导航"
    words = [w for w in re.split(r"[\s|｜/·•]+", text.lower()) if w]
    if words and all(w in _NAV_WORDS for w in words):
        return "网页导航或下载提示"
    if len(text) <= 40 and _DOWNLOAD_PROMPT.search(text) and not re.search("[。，；]", text):
        return "网页下载提示或版权信息"
    if head and _FILE_NAME.match(text):
        return "网页上的文档名"
    return None


def drop_noise(lines: list[Line]) -> tuple[list[Line], list[Dropped]]:
    kept: list[Line] = []
    dropped: list[Dropped] = []
    repeated = _repeated_lines(lines)
    in_related = False
    seen_text = False
    for line in lines:
        text = line.text.strip()
        if in_related:
            if not text:
                in_related = False
                kept.append(line)
                continue
            if len(text) <= 50 and not text.endswith(tuple("。；：")):
                dropped.append(Dropped(line.number, text, "相关文章列表"))
                continue
            in_related = False
        if _RELATED.match(text):
            dropped.append(Dropped(line.number, text, "相关文章列表"))
            in_related = True
            continue
        reason = noise_reason(line, head=not seen_text)
        if reason is None and text in repeated:
            reason = "重复的页眉或页脚"
        if reason:
            dropped.append(Dropped(line.number, text, reason))
            continue
        if text:
            seen_text = True
        kept.append(line)
    return kept, dropped


def _repeated_lines(lines: list[Line]) -> set[str]:
    """Short lines that recur three times or more: running headers and footers of a paged source."""
    from docgen.ingest.structure import level_of

    counts = Counter(line.text.strip() for line in lines if 0 < len(line.text.strip()) <= 30)
    return {text for text, n in counts.items() if n >= 3 and not level_of(text) and not _CJK_END.search(text)}


_CJK_END = re.compile("[。！？]$")


# --- punctuation ------------------------------------------------------------------------------
_PROTECTED = re.compile(r"(?:https?|ftp)://\S+|www\.[\w.-]+\S*|[\w.+-]+@[\w-]+\.[\w.]+|\d+(?:[:.,]\d+)+")
_SIMPLE = {",": "，", ";": "；", "?": "？", "!": "！", ":": "："}


def _chinese(char: str) -> bool:
    return bool(char) and (bool(_CJK_CHAR.match(char)) or char in _CN_PUNCT)


def full_width(text: str) -> tuple[str, int]:
    """Half-width punctuation in Chinese context → full width; returns (text, changes).

    A mark is converted only when a neighbouring character is Chinese; URLs, e-mail addresses and
    numbers (12:30, 3.5, 1,000) are masked first, so they and English sentences never change.
    """
    masks: list[str] = []

    def mask(match: re.Match) -> str:
        masks.append(match.group())
        return f"\x00{len(masks) - 1}\x00"

    work = _PROTECTED.sub(mask, text)
    chars = list(work)
    changes = 0

    def neighbour(index: int, step: int) -> str:
        index += step
        while 0 <= index < len(chars) and chars[index] in " \t":
            index += step
        return chars[index] if 0 <= index < len(chars) else ""

    for i, char in enumerate(chars):
        if char in _SIMPLE and (_chinese(neighbour(i, -1)) or _chinese(neighbour(i, 1))):
            chars[i] = _SIMPLE[char]
            changes += 1
        elif char == "." and _CJK_CHAR.match(neighbour(i, -1) or " ") and (
            not neighbour(i, 1) or _CJK_CHAR.match(neighbour(i, 1))
        ):
            chars[i] = "。"
            changes += 1
    work = "".join(chars)
    work, n = _parentheses(work)
    changes += n
    work, n = _quotes(work)
    changes += n
    text = re.sub("\x00(\\d+)\x00", lambda m: masks[int(m.group(1))], work)
    return text, changes


def _parentheses(text: str) -> tuple[str, int]:
    """( … ) → （ … ） when the content or what precedes the pair is Chinese."""
    changes = 0

    def convert(match: re.Match) -> str:
        nonlocal changes
        inner = match.group(1)
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if _CJK_CHAR.search(inner) or _chinese(before) or (not inner.strip("0123456789") and _chinese(after)):
            changes += 1
            return f"（{inner}）"
        return match.group()

    return re.sub(r"\(([^()]{0,80})\)", convert, text), changes


def _quotes(text: str) -> tuple[str, int]:
    """Straight quotes around Chinese text → curly: "…" → “…”, '…' → ‘…’."""
    changes = 0

    def pair(open_: str, close: str):
        def convert(match: re.Match) -> str:
            nonlocal changes
            if _CJK_CHAR.search(match.group(1)):
                changes += 1
                return f"{open_}{match.group(1)}{close}"
            return match.group()

        return convert

    text = re.sub(r'"([^"\n]{1,120})"', pair("“", "”"), text)
    text = re.sub(r"(?<![A-Za-z])'([^'\n]{1,60})'(?![A-Za-z])", pair("‘", "’"), text)
    return text, changes


# --- joining ----------------------------------------------------------------------------------
_LATIN_END = re.compile(r"[A-Za-z0-9,.;:!?%)\]'\"]$")
_LATIN_START = re.compile(r"^[A-Za-z0-9(\['\"]")


def join(left: str, right: str) -> str:
    """Rejoin two pieces of one paragraph: no space between Chinese, one between Latin words."""
    left, right = left.rstrip(), right.lstrip()
    if not left or not right:
        return left + right
    if _LATIN_END.search(left) and _LATIN_START.match(right) and not (
        left[-1].isdigit() and right[0].isdigit()
    ):
        return f"{left} {right}"
    return left + right


def tidy_spaces(text: str) -> str:
    """Spaces inside Chinese text are copy artefacts (PDF line ends): keep only Latin–Latin ones."""
    kept: list[str] = []  # runs of ideographic spaces are deliberate (form blanks): keep them

    def keep(match: re.Match) -> str:
        kept.append(match.group())
        return f"\x01{len(kept) - 1}\x01"

    text = re.sub("\u3000{2,}", keep, text.strip())
    text = re.sub(r"[ \t\u3000]+", " ", text)
    text = re.sub(r"(?<=\S) (?=\S)", lambda m: _space_or_not(text, m.start()), text)
    return re.sub("\x01(\\d+)\x01", lambda m: kept[int(m.group(1))], text)


def _space_or_not(text: str, index: int) -> str:
    before, after = text[index - 1], text[index + 1]
    latin = re.compile(r"[A-Za-z0-9%.,;:!?)\]'\"-]")
    if latin.match(before) and re.match(r"[A-Za-z0-9(\['\"-]", after) and not (before.isdigit() and after.isdigit()):
        return " "
    return ""


def width(text: str) -> float:
    """Display width in Chinese characters: half-width characters count half."""
    return sum(0.5 if ord(c) < 0x2000 else 1.0 for c in text)


def ends_sentence(text: str) -> bool:
    return bool(text) and text.rstrip()[-1] in _SENTENCE_END
