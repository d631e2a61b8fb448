"""Body markup → Document blocks.

The markup is CommonMark (parsed by markdown-it-py) with block attributes for the elements that are
not plain paragraphs::

    {.title}
    坚持“三性” 增强“三力”

    # 坚持政治性，增强向心力        ← level-1 heading, numbered 一、 by structure
    ## 发挥教育引导职能            ← level-2 heading, numbered （一）, runs in with its paragraph

Heading numbers come from the structure, so reordering sections renumbers them; a number that the
data already carries is replaced, never doubled.
"""

from __future__ import annotations

import re
from functools import lru_cache

from docgen.compose.chinese import heading_number
from docgen.errors import TemplateError
from docgen.model import Block, Span
from docgen.style.profile import Profile, mm_to_pt

# A heading that already starts with a 序数 of any level: 一、 （一） (一) 1. 1． 1、 （1） (1)
_EXISTING_NUMBER = re.compile(
    r"^\s*(?:[一二三四五六七八九十百零]+\s*、|[（(]\s*[一二三四五六七八九十百零]+\s*[）)]|"
    r"\d+\s*[.．、](?!\d)|[（(]\s*\d+\s*[）)])\s*"
)
_END_PUNCT = "。！？；：…"
# C0/C1 control characters other than line breaks and tabs: invisible, and invalid in .docx XML.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def drop_control_characters(text: str) -> str:
    return _CONTROL.sub("", text)
_NOT_BLOCK_STYLES = {"page_number"}


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_block_plugin

    return MarkdownIt("commonmark", {"html": False}).use(attrs_block_plugin)


FIGURE_CLASSES = ("table", "chart")


def parse_markup(text: str, profile: Profile, template_name: str = "", figures: dict | None = None) -> list:
    """Parse body markup into numbered, run-in-merged blocks (and the tables/charts it places)."""
    raw = _raw_blocks(text, profile, template_name, figures or {})
    numbered = _number_headings(raw, profile)
    blocks = _merge_run_in(numbered, profile)
    return [_break_title(b, profile) if isinstance(b, Block) and b.style == "title" else b for b in blocks]


def _raw_blocks(text: str, profile: Profile, template_name: str, figures: dict) -> list:
    tokens = _parser().parse(text)
    blocks: list = []
    style, level = "body", 0
    for token in tokens:
        if token.type == "paragraph_open":
            style = str(token.attrs.get("class", "body")) if token.attrs else "body"
            level = 0
            if style in FIGURE_CLASSES:
                continue
            if style not in profile.styles or style in _NOT_BLOCK_STYLES or style.startswith("heading"):
                line = token.map[0] + 1 if token.map else None
                known = "、".join(s for s in profile.styles if s not in _NOT_BLOCK_STYLES and not s.startswith("heading"))
                raise TemplateError(
                    f"模板生成的正文用了未知样式“{style}”（第 {line} 行）；可用：{known}", file=template_name or None
                )
        elif token.type == "heading_open":
            level = int(token.tag[1:])
            if level > len(profile.headings.numbering) or level > 4:
                raise TemplateError(f"标题层级最多 4 级，模板生成了第 {level} 级", file=template_name or None)
            style = f"heading{level}"
        elif token.type == "inline":
            content = _inline_text(token, keep_breaks=(style == "title"))
            if style in FIGURE_CLASSES:
                if content not in figures:
                    raise TemplateError(f"模板引用了不存在的{style}：{content}", file=template_name or None)
                blocks.append(figures[content])
            elif content.strip():
                blocks.append(Block(style=style, spans=(Span(content, style),), level=level))
        elif token.type in ("fence", "code_block"):
            blocks.append(Block(style="body", spans=(Span(token.content.strip(), "body"),)))
    return blocks


def _inline_text(token, keep_breaks: bool) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "softbreak":
            # Chinese text joins wrapped lines with no space; a title keeps its line breaks.
            parts.append("\n" if keep_breaks else "")
    return drop_control_characters("".join(parts)).strip()


def strip_existing_number(text: str) -> str:
    return _EXISTING_NUMBER.sub("", text, count=1)


def _number_headings(blocks: list[Block], profile: Profile) -> list[Block]:
    counters = [0] * 4
    result = []
    for block in blocks:
        if not isinstance(block, Block) or not block.level:
            result.append(block)
            continue
        counters[block.level - 1] += 1
        for deeper in range(block.level, 4):
            counters[deeper] = 0
        number = heading_number(profile.headings.numbering[block.level - 1], counters[block.level - 1])
        text = number + strip_existing_number(block.text)
        result.append(Block(style=block.style, spans=(Span(text, block.style),), level=block.level))
    return result


def _merge_run_in(blocks: list[Block], profile: Profile) -> list[Block]:
    """A run-in heading and the paragraph after it become one body block (heading span first)."""
    result: list[Block] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if (
            isinstance(block, Block)
            and isinstance(following, Block)
            and block.level in profile.headings.run_in_levels
            and following.style == "body"
            and not following.level
        ):
            heading = block.text
            if heading[-1] not in _END_PUNCT:
                heading += profile.headings.run_in_end
            spans = (Span(heading, block.style), *following.spans)
            result.append(Block(style="body", spans=spans, level=block.level))
            index += 2
            continue
        result.append(block)
        index += 1
    return result


# --- titles ----------------------------------------------------------------------------------
_BREAK_AFTER = "，、；：　 ）》”"
# Words that commonly start a phrase in 公文 titles: a line may begin with them.
_BREAK_BEFORE = ("关于", "——", "在", "（", "开展", "做好", "加强", "推进", "进一步", "印发", "转发",
                 "建立", "实施", "组织", "举办", "表彰", "召开", "公布", "调整", "全市", "全省", "全区", "全县")


def text_width(text: str) -> float:
    """Width in full-width characters: CJK 1, ASCII 0.5."""
    return sum(0.5 if ord(ch) < 0x2E80 and ch not in "“”‘’—…" else 1.0 for ch in text)


def _break_title(block: Block, profile: Profile) -> Block:
    if "\n" in block.text:
        return block
    size = profile.style("title").size
    capacity = int(mm_to_pt(profile.page.type_width_mm) // size)
    lines = break_title(block.text, capacity)
    if len(lines) == 1:
        return block
    return Block(style="title", spans=(Span("\n".join(lines), "title"),), level=0)


def break_title(text: str, capacity: int) -> list[str]:
    """Split a long title into balanced lines (梯形/菱形) at sensible points, never inside a word.

    Break points: after a space or punctuation, after 的 or 年/年度, before words that start a phrase
    (关于, 开展, 加强 …). Lines are kept within
    ``capacity`` characters and as even as possible. Without any break point the title is split
    as evenly as the capacity allows, never inside a run of Latin letters or digits.
    """
    text = text.strip()
    if text_width(text) <= capacity:
        return [text]
    anywhere = [i for i in range(1, len(text)) if not (text[i - 1].isascii() and text[i].isascii())]
    lines_needed = int(-(-text_width(text) // capacity))
    for candidates in (_title_break_points(text), anywhere):
        for count in range(lines_needed, min(len(candidates) + 2, lines_needed + 2)):
            best = _balanced_split(text, candidates, count, capacity)
            if best:
                return best
    return [text]


def _title_break_points(text: str) -> list[int]:
    points = set()
    for i in range(1, len(text)):
        before, after = text[i - 1], text[i]
        after_year = before in "年度" and not after.isdigit() and after != "度"
        if before in _BREAK_AFTER or before == "的" or after_year or any(text.startswith(w, i) for w in _BREAK_BEFORE):
            if after not in "，、；：。）》”":
                points.add(i)
    return sorted(points)


def _balanced_split(text: str, candidates: list[int], count: int, capacity: int) -> list[str] | None:
    """Choose count−1 break points minimising the spread of line widths, each line ≤ capacity."""
    from itertools import combinations

    best, best_score = None, None
    if len(candidates) > 24:  # keep the search small: only the points nearest to even splits
        target = [len(text) * k / count for k in range(1, count)]
        candidates = sorted({min(candidates, key=lambda c, t=t: abs(c - t) + d) for t in target for d in (0, 0.5)}
                            | set(candidates[:: max(1, len(candidates) // 20)]))
    for cuts in combinations(candidates, count - 1):
        bounds = (0, *cuts, len(text))
        lines = [text[a:b].strip() for a, b in zip(bounds, bounds[1:])]
        widths = [text_width(line) for line in lines]
        if not all(lines) or max(widths) > capacity:
            continue
        score = max(widths) - min(widths)
        if best_score is None or score < best_score:
            best, best_score = lines, score
    return best
