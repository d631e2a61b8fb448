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
from docgen.outline.schema import TITLE_MAX_CHARS, title_too_long_message
from docgen.style.profile import Profile

# A heading that already starts with a 序数 of any level: 一、 （一） (一) 1. 1． 1、 （1） (1)
_EXISTING_NUMBER = re.compile(
    r"^\s*(?:[一二三四五六七八九十百零]+\s*、|[（(]\s*[一二三四五六七八九十百零]+\s*[）)]|"
    r"\d+\s*[.．、](?!\d)|[（(]\s*\d+\s*[）)])\s*"
)
_END_PUNCT = "。！？；：…"
# Characters no document should carry, dropped wherever text enters the model: C0/C1 controls
# other than line breaks and tabs (invalid in .docx XML), the noncharacters U+FFFE/U+FFFF and lone
# surrogates (also invalid XML), and bidi controls (LRM/RLM, ALM, embeddings, overrides, isolates),
# which the PDF would draw as visible marks and which mean nothing in left-to-right Chinese text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff"
                      "\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def drop_control_characters(text: str) -> str:
    return _CONTROL.sub("", text)


def control_characters_in(value) -> set[str]:
    """The characters :func:`drop_control_characters` would remove, anywhere in plain data."""
    if isinstance(value, str):
        return set(_CONTROL.findall(value))
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        found: set[str] = set()
        for item in value:
            found |= control_characters_in(item)
        return found
    return set()


def clean_document(document):
    """Every string of the Document (版头, 署名, 抄送, table cells, captions …) without the
    characters above, so both writers see the same clean text; text in a right-to-left script
    (Hebrew, Arabic …), which neither writer can set, is refused with the character named."""
    import dataclasses

    removed: set[str] = set()

    def clean(value):
        if isinstance(value, str):
            removed.update(_CONTROL.findall(value))
            value = drop_control_characters(value)
            _refuse_right_to_left(value)
            return value
        if isinstance(value, tuple):
            return tuple(clean(item) for item in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: clean(getattr(value, f.name)) for f in dataclasses.fields(value)}
            return dataclasses.replace(value, **changes)
        return value

    cleaned = clean(document)
    if removed:
        cleaned = dataclasses.replace(cleaned, removed=tuple(sorted(f"U+{ord(c):04X}" for c in removed)))
    return cleaned


_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]")


def _refuse_right_to_left(text: str) -> None:
    import unicodedata

    from docgen.errors import DocgenError

    for match in _RIGHT_TO_LEFT.finditer(text):
        char = match.group()
        if unicodedata.bidirectional(char) not in ("R", "AL"):
            continue
        context = text[max(0, match.start() - 8):match.end() + 8].replace("\n", "")
        name = unicodedata.name(char, "")
        raise DocgenError(f"文字“…{context}…”含有从右向左书写的字符“{char}”（U+{ord(char):04X} {name}）："
                          "docgen 不能排希伯来文、阿拉伯文等从右向左的文字；请删除这些字符，或改用中文/译文")
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
    return [_break_title(b, profile, template_name) if isinstance(b, Block) and b.style == "title" else b
            for b in blocks]


class _Token:
    """The few attributes of a markdown-it token that :func:`_raw_blocks` reads."""

    __slots__ = ("type", "tag", "attrs", "map", "children", "content")

    def __init__(self, type: str, tag: str = "", attrs: dict | None = None, children: list | None = None,
                 content: str = "") -> None:
        self.type, self.tag, self.attrs, self.children, self.content = type, tag, attrs or {}, children, content
        self.map = None


# Plain markup, as the built-in templates produce it: `{.style}` lines, `#`…`####` headings and
# paragraphs of text with no character CommonMark could read as markup. Such text is split into
# the tokens markdown-it would give without importing it (tests/compose/test_markup_fast.py
# compares both on generated texts); anything else goes to markdown-it.
_ATTRS_LINE = re.compile(r"\{\.([A-Za-z][A-Za-z0-9_-]*)\}")
_HEADING_LINE = re.compile(r"(#{1,6}) (\S(?:.*\S)?)")
_INLINE_MARKUP = re.compile(r"[\\`*_\[\]!<&{}#\t\x00-\x09\x0b-\x1f\x7f]")
_BLOCK_START = frozenset("#>-+*=_`~<[|{ \t")
_LIST_START = re.compile(r"\d{1,9}[.)]")
# A backslash before ASCII punctuation is that character (how escape_text protects data).
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _plain_text(line: str) -> str | None:
    """The text of a line that CommonMark reads as plain text (escapes resolved), else None."""
    if _INLINE_MARKUP.search(_ESCAPE.sub("", line)):
        return None
    return _ESCAPE.sub(r"\1", line) if "\\" in line else line


def _simple_tokens(text: str, profile: Profile) -> list[_Token] | None:
    tokens: list[_Token] = []
    lines = text.split("\n")
    index, count = 0, len(lines)
    levels = min(4, len(profile.headings.numbering))
    while index < count:
        line = lines[index]
        if not line:
            index += 1
            continue
        attrs = None
        match = _ATTRS_LINE.fullmatch(line)
        if match:
            style = match.group(1)
            if (style not in profile.styles or style in _NOT_BLOCK_STYLES or style.startswith("heading")
                    or style in FIGURE_CLASSES):
                return None
            index += 1
            if index >= count or not lines[index] or lines[index][0] in _BLOCK_START:
                return None
            attrs = {"class": style}
        elif line[0] == "#":
            match = _HEADING_LINE.fullmatch(line)
            content = _plain_text(match.group(2)) if match else None
            if content is None or len(match.group(1)) > levels:
                return None
            level = len(match.group(1))
            tokens += [_Token("heading_open", f"h{level}"),
                       _Token("inline", children=[_Token("text", content=content)]),
                       _Token("heading_close", f"h{level}")]
            index += 1
            continue
        # A paragraph: its lines up to a blank line or a heading.
        children: list[_Token] = []
        while index < count:
            line = lines[index]
            if not line or line[0] == "#":
                break
            if line[0] in _BLOCK_START or line[-1] in " \t" or _LIST_START.match(line):
                return None
            content = _plain_text(line)
            if content is None:
                return None
            if children:
                children.append(_Token("softbreak"))
            children.append(_Token("text", content=content))
            index += 1
        tokens += [_Token("paragraph_open", "p", attrs), _Token("inline", children=children),
                   _Token("paragraph_close", "p")]
    return tokens


def _raw_blocks(text: str, profile: Profile, template_name: str, figures: dict) -> list:
    tokens = _simple_tokens(text, profile)
    if tokens is None:
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


# After a 序数 + 、, another numeral means the text lists numbers (一、二线城市 = 一线、二线城市;
# 三、四季度; 1、2号楼): that is the heading's text, not numbering.
_NUMERAL_LIST = re.compile(r"^\s*(?:[一二三四五六七八九十百零]+\s*、\s*[一二三四五六七八九十百零]|\d+\s*、\s*\d)")


def strip_existing_number(text: str) -> str:
    """Remove at most one leading 序数 the data already carries (一、 （一） 1. （1）), so the
    structure's number is not doubled; a leading list of numerals (一、二线城市) is text and stays."""
    if _NUMERAL_LIST.match(text):
        return text
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
# A title is at most TITLE_MAX_CHARS characters (the outline schema refuses longer ones; a template
# that builds one is refused here). Up to it, the breaker below lays out in milliseconds.
MIN_LINE_CHARS = 3  # no line of a multi-line title shorter than this (no lone “知”)

_BREAK_AFTER = "，、；：　 ）》”"
# Words that commonly start a phrase in 公文 titles: a line may begin with them.
_BREAK_BEFORE = ("关于", "——", "在", "（", "开展", "做好", "加强", "推进", "进一步", "印发", "转发",
                 "建立", "实施", "组织", "举办", "表彰", "召开", "公布", "调整", "全市", "全省", "全区", "全县")
# What a break costs, in em² of line imbalance it is worth: a phrase boundary above is free; a
# break between two other Han characters costs as much as two lines each 3.2 em off the mean (so
# 关于举办2025年 / 全市职工职业技能大赛的通知 beats splitting 职工 for balance); next to a number
# or Latin word (2025 | 年) or inside quotes (“工人 | 先锋号”) twice that. Breaking inside a number
# or word, or against 禁则, is only taken when nothing else fits (a Latin run wider than the line).
_PLAIN_BREAK = 20.0
_POOR_BREAK = 40.0
_FORCED_BREAK = 1e6
_NO_BREAK = float("inf")


class _CautiousMetrics:
    """Advances for measuring a title before fonts are loaded (compose has none): the layout's
    own rules decide every full-width advance (the title size, whatever the face); Latin letters
    are taken at least as wide as Times/Liberation Serif sets them, digits exactly (0.5 em), so a
    line that fits here fits in the PDF and in LibreOffice's render of the .docx."""

    def advance_em(self, font_role: str, char: str, latin: bool = True) -> float:
        from docgen.layout.kinsoku import is_half_width

        if not is_half_width(char):
            return 1.0
        if char.isdigit() or char in " .,:;!|'":
            return 0.5
        if char in "MWmw@%":
            return 1.0
        if char.isupper() or char in "&#$+<=>~":
            return 0.75
        return 0.55


_CAUTIOUS = _CautiousMetrics()


def _break_title(block: Block, profile: Profile, template_name: str = "") -> Block:
    if len(block.text.replace("\n", "")) > TITLE_MAX_CHARS:
        raise TemplateError(title_too_long_message(len(block.text.replace("\n", ""))), file=template_name or None)
    if "\n" in block.text:
        return block
    lines = break_title(block.text, profile)
    if len(lines) == 1:
        return block
    return Block(style="title", spans=(Span("\n".join(lines), "title"),), level=0)


def break_title(text: str, profile: Profile, metrics=None, style: str = "title") -> list[str]:
    """Split a long title into balanced lines (梯形/菱形, GB/T 9704 7.3.1) at sensible points.

    Each line fits the 版心 as the layout measures it (``metrics``; default: cautious advances, see
    :class:`_CautiousMetrics`), autospace around digits and Latin included, so the PDF and the
    LibreOffice render of the .docx set every line as one line. Rules: the fewest lines that fit;
    no line shorter than ``MIN_LINE_CHARS``; never inside a number or Latin word, never against
    禁则; among those, the least sum of (line width − mean width)² plus a cost per break that is
    not at a phrase boundary (after punctuation, a space, 的, 年/年度; before 关于, 开展, 加强 …).
    Dynamic programming over break points: O(characters × characters per line × lines).
    """
    text = text.strip()
    metrics = metrics or _CAUTIOUS
    measure = _TitleMeasure(text, style, profile, metrics)
    if measure.width(0, len(text)) <= measure.first + 1e-6 or len(text) < 2 * MIN_LINE_CHARS:
        return [text]
    costs = _break_costs(text)
    fewest = max(2, int(measure.width(0, len(text)) // measure.rest) + 1)
    best: tuple[float, list[str]] | None = None
    for count in range(fewest, fewest + 4):
        found = _best_split(text, measure, costs, count)
        if found and (best is None or found[0] < best[0]):
            best = found
        if best and best[0] < _FORCED_BREAK:
            break
    return best[1] if best else [text]


class _TitleMeasure:
    """Widths of candidate lines of one title from prefix sums of the layout's advances and gaps."""

    def __init__(self, text: str, style: str, profile: Profile, metrics) -> None:
        from docgen.layout.lines import indent_pt, line_advances, make_item, measure_pt, side_indents_pt

        advances, gaps = line_advances(text, style, profile, metrics)
        self.spacing = [make_item(char, style, profile, metrics).spacing_pt for char in text]
        self.advance_sum = [0.0]
        for advance in advances:
            self.advance_sum.append(self.advance_sum[-1] + advance)
        self.gap_sum = [0.0]
        for gap in gaps:
            self.gap_sum.append(self.gap_sum[-1] + gap)
        left, right = side_indents_pt(profile, style)
        self.rest = measure_pt(profile) - left - right
        self.first = self.rest - indent_pt(profile, style)
        self.em = profile.style(style).size
        # Lines lose their spaces at either end: the first/last non-space index around a break.
        self.start = [0] * (len(text) + 1)
        self.end = [0] * (len(text) + 1)
        nxt = len(text)
        for index in range(len(text), -1, -1):
            if index < len(text) and not text[index].isspace():
                nxt = index
            self.start[index] = nxt
        prev = 0
        for index in range(len(text) + 1):
            if index and not text[index - 1].isspace():
                prev = index
            self.end[index] = prev

    def width(self, a: int, b: int) -> float:
        """Natural width of characters a..b-1 set as one line (b > a)."""
        return (self.advance_sum[b] - self.advance_sum[a] + self.gap_sum[b] - self.gap_sum[a + 1]
                - self.spacing[b - 1])


def _break_costs(text: str) -> list[float]:
    """Cost of a line break before ``text[i]`` (index 0 and len(text) unused)."""
    from docgen.layout.kinsoku import CLASSES, NO_LINE_END, NO_LINE_START, WORD_CHAR, atom_bounds

    atom_starts = {a for a, _ in atom_bounds(text)}
    costs = [_NO_BREAK] * (len(text) + 1)
    quoted = 0  # inside “…” / 《…》 before text[i]
    for i in range(1, len(text)):
        quoted += (text[i - 1] in "“《") - (text[i - 1] in "”》")
        after = text[i]
        if after.isspace():
            continue  # break after the space instead (the same two lines)
        j = i - 1
        while j > 0 and text[j].isspace():
            j -= 1
        before = text[j]
        if i not in atom_starts or after in NO_LINE_START or before in NO_LINE_END:
            costs[i] = _FORCED_BREAK
        elif (text[i - 1] in _BREAK_AFTER or before == "的"
              or (before in "年度" and not after.isdigit() and after != "度")
              or any(text.startswith(word, i) for word in _BREAK_BEFORE)):
            costs[i] = 0.0
        elif CLASSES[before] & WORD_CHAR or CLASSES[after] & WORD_CHAR:
            costs[i] = _POOR_BREAK
        else:
            costs[i] = _PLAIN_BREAK
        if quoted > 0 and costs[i] < _FORCED_BREAK:
            costs[i] += _PLAIN_BREAK
    return costs


def _best_split(text: str, measure: _TitleMeasure, costs: list[float], count: int) -> tuple[float, list[str]] | None:
    """The cheapest split of ``text`` into exactly ``count`` lines, or None when none fits."""
    n = len(text)
    target = measure.width(0, n) / count
    points = [i for i in range(1, n) if costs[i] < _NO_BREAK] + [n]
    # cost[l][k]: cheapest way to set text[:points[k]] in l + 1 lines; back[l][k]: previous point.
    cost = [[_NO_BREAK] * len(points) for _ in range(count)]
    back = [[-1] * len(points) for _ in range(count)]
    reach = measure.rest + 2 * measure.em  # no line is wider (stop scanning back past it)

    def line_cost(a: int, b: int, first: bool) -> float:
        s, e = measure.start[a], measure.end[b]
        if e - s < MIN_LINE_CHARS:
            return _NO_BREAK
        width = measure.width(s, e)
        if width > (measure.first if first else measure.rest) + 1e-6:
            return _NO_BREAK
        return ((width - target) / measure.em) ** 2

    for k, b in enumerate(points):
        cost[0][k] = line_cost(0, b, True)
        for line in range(1, count):
            best, best_j = _NO_BREAK, -1
            for j in range(k - 1, -1, -1):
                a = points[j]
                if measure.advance_sum[b] - measure.advance_sum[a] > reach:
                    break
                before = cost[line - 1][j]
                if before == _NO_BREAK:
                    continue
                total = before + costs[a] + line_cost(a, b, False)
                if total < best:
                    best, best_j = total, j
            cost[line][k], back[line][k] = best, best_j
    last = len(points) - 1
    if cost[count - 1][last] == _NO_BREAK:
        return None
    bounds = [n]
    k = last
    for line in range(count - 1, 0, -1):
        k = back[line][k]
        bounds.append(points[k])
    bounds.append(0)
    bounds.reverse()
    lines = [text[measure.start[a]:measure.end[b]] for a, b in zip(bounds, bounds[1:])]
    return cost[count - 1][last], lines
