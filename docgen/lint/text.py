"""Content rules (``L…``) on a list of paragraphs with their places.

A :class:`Para` is one paragraph's text with where it is (a line of a text file or outline, a
paragraph number of a .docx or the model) and, when the source says so, its role (a style name
of the profile: ``title``, ``body``, ``heading1``, ``recipients``, ``signature_date`` …). Drafts
and foreign .docx files have no roles; the rules then go by the text alone. The same rules run
on outlines, the Document model, drafts and .docx text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from docgen.lint import rules as _rules  # noqa: F401  (registers every code)
from docgen.lint.registry import Finding, finding


@dataclass(frozen=True)
class Para:
    text: str
    line: int | None = None
    paragraph: int | None = None
    role: str | None = None
    indent: int = 0  # characters stripped before ``text`` on its line (for columns)

    def where(self) -> dict:
        return {k: v for k, v in (("line", self.line), ("paragraph", self.paragraph)) if v}


def _quote(text: str, start: int = 0, end: int | None = None, pad: int = 8) -> str:
    end = start if end is None else end
    return text[max(0, start - pad):end + pad].replace("\n", "")


def _at(code: str, para: Para, message: str, quote: str | None = None, index: int | None = None) -> Finding:
    """A finding at ``para``; ``index`` (into its text) gives the column when it has a line."""
    where = para.where()
    if index is not None and para.line and len(para.text) > 40:
        where["column"] = para.indent + index + 1
    return finding(code, message, quote=quote, **where)


# --- L001 placeholders --------------------------------------------------------------------------
# X/XX/××/Ｘ standing where a name or number belongs; 某某/○○ (not a single 某: “某市总工会” is a
# real pattern of examples); “……” where a value or a sentence is still to be written (at the start,
# after a colon, before 号/年/月/日/人/名, or ending a clause: “主要任务是……”, “为……，现将”).
PLACEHOLDER = re.compile(
    r"(?<![A-Za-z])(?:[Xx]{1,4}|[×＊*]{1,4}|[Ｘ]{1,4})(?![A-Za-z])"
    r"|某某+|[○〇]{2,}(?![年])"
    r"|(?:(?<=[：:])|^)……|……(?=[号年月日人名个户家]|[。，；、\s]|$)"
)


def placeholders(paras: list[Para]) -> list[Finding]:
    found = []
    for para in paras:
        for match in PLACEHOLDER.finditer(para.text):
            context = _quote(para.text, match.start(), match.end())
            found.append(_at("L001", para, f"疑似未替换的占位符“{match.group()}”：…{context}…", context,
                             match.start()))
    return found


# --- numbering (L002, L003, L011) ---------------------------------------------------------------
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
HEADING_PATTERNS = (
    (1, re.compile(r"^\s*([一二三四五六七八九十]{1,3})、")),
    (2, re.compile(r"^\s*[（(]([一二三四五六七八九十]{1,3})[）)]")),
    (3, re.compile(r"^\s*(\d{1,2})[.．](?!\d)")),
    (4, re.compile(r"^\s*[（(](\d{1,2})[）)]")),
)
LEVEL_FORMS = {1: "一、", 2: "（一）", 3: "1.", 4: "（1）"}
# Roles whose paragraphs are not part of the body's numbered structure.
_OUTSIDE_STRUCTURE = {"attachment_note", "attachment_note_more", "table", "table_caption", "colophon",
                      "signature", "signature_date", "issue_number", "issuer_mark", "header_meta",
                      "title", "subtitle", "byline", "date", "attachment_title", "attachment_label",
                      "note", "recipients", "page_number"}


def cn_number(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23."""
    if "十" not in text:
        value = 0
        for ch in text:
            value = value * 10 + _CN_DIGITS[ch]
        return value
    tens, _, units = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def heading_of(text: str) -> tuple[int, int, int] | None:
    """(level, number, length of the numbering) when ``text`` starts with a structure number."""
    for level, pattern in HEADING_PATTERNS:
        match = pattern.match(text)
        if match:
            raw = match.group(1)
            number = int(raw) if raw.isdigit() else cn_number(raw)
            return level, number, match.end()
    return None


def _structure(paras: list[Para]):
    """The paragraphs that take part in the numbered structure, with their heading (or None).
    Items of an 附件说明 (“附件：1.……”, “2.……”) are not headings."""
    in_note = False
    for para in paras:
        text = para.text.strip()
        if para.role in _OUTSIDE_STRUCTURE or not text:
            in_note = in_note and para.role in ("attachment_note", "attachment_note_more")
            continue
        if text.startswith(("附件：", "附件:")):
            in_note = True
            continue
        head = heading_of(text)
        if in_note and head and head[0] == 3:
            continue
        in_note = False
        yield para, head


def numbering(paras: list[Para]) -> list[Finding]:
    found = []
    last: dict[int, int] = {}
    depth = 0  # deepest level open now
    for para, head in _structure(paras):
        if head is None:
            continue
        level, number, end = head
        form = LEVEL_FORMS[level]
        quote = para.text.strip()[:20]
        if depth and level > depth + 1:
            found.append(_at("L003", para, f"“{quote}”用了{form}，但上一级是{LEVEL_FORMS[depth]}，"
                                           f"中间缺{LEVEL_FORMS[depth + 1]}一级", quote))
        expected = last.get(level, 0) + 1
        if number == expected - 1:
            found.append(_at("L002", para, f"序号重复：“{quote}”与上一个同级序号相同", quote))
        elif number > expected:
            found.append(_at("L002", para, f"序号不连续：“{quote}”之前应有第 {expected} 项", quote))
        elif number < expected - 1:
            found.append(_at("L002", para, f"序号颠倒：“{quote}”出现在第 {expected - 1} 项之后", quote))
        last[level] = number
        for deeper in [k for k in last if k > level]:
            del last[deeper]
        depth = level
    return found


_BAD_END = {1: "。，、；：,;:", 2: "，、；：,;:", 3: "，、；：,;:", 4: "，、；：,;:"}


def heading_ends(paras: list[Para]) -> list[Finding]:
    """A heading that is a paragraph of its own must not end in a comma-like mark; a 一级 one not
    in 。 either. A run-in heading (“（一）……。正文……”) is not judged: its 。 ends the heading."""
    found = []
    for para, head in _structure(paras):
        text = para.text.strip()
        if head is None or len(text) > 60 or "。" in text[:-1]:
            continue
        level = head[0]
        if text[-1] in _BAD_END[level]:
            found.append(_at("L011", para, f"{LEVEL_FORMS[level]}级标题“{text[:20]}”不应以“{text[-1]}”结尾", text[-12:]))
    return found


# --- L004 发文字号 ----------------------------------------------------------------------------------
ISSUE_NUMBER_LIKE = re.compile(
    r"[\u4e00-\u9fff]{1,10}\s*[〔\[［【(（]\s*\d{2,4}\s*[〕\]］】)）]\s*第?\s*\d+\s*号?")
# Its bracketed year alone: a paragraph without one cannot match, and is not scanned (the full
# pattern tries ten characters at every position of the text).
_ISSUE_YEAR = re.compile(r"[〔\[［【(（]\s*\d{2,4}\s*[〕\]］】)）]")


def issue_numbers(paras: list[Para]) -> list[Finding]:
    from docgen.outline.schema import check_issue_number

    found = []
    for para in paras:
        if not _ISSUE_YEAR.search(para.text):
            continue
        for match in ISSUE_NUMBER_LIKE.finditer(para.text):
            text = match.group()
            try:
                check_issue_number(text)
            except ValueError as exc:
                found.append(_at("L004", para, str(exc), text, match.start()))
    return found


# --- dates (L005, L006, L007) -------------------------------------------------------------------
DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CN_NUM_DATE = re.compile(r"^[（(]?[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日[）)]?$")


def _real(match) -> date | None:
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def dates(paras: list[Para]) -> list[Finding]:
    found = []
    for para in paras:
        for match in DATE.finditer(para.text):
            text = match.group()
            if _real(match) is None:
                found.append(_at("L005", para, f"不存在的日期“{text}”", text, match.start()))
            elif match.group(2).startswith("0") or match.group(3).startswith("0"):
                fixed = f"{match.group(1)}年{int(match.group(2))}月{int(match.group(3))}日"
                found.append(_at("L005", para, f"日期“{text}”的月、日不编虚位，应写成“{fixed}”", text, match.start()))
        if (para.role in (None, "signature_date", "date")) and _CN_NUM_DATE.match(para.text.strip()):
            found.append(_at("L006", para, f"成文日期“{para.text.strip()}”应使用阿拉伯数字，如 2024年1月5日",
                             para.text.strip()))
    return found + _print_before_signed(paras)


def _standalone_date(para: Para) -> date | None:
    text = para.text.strip().strip("（）()")
    match = DATE.fullmatch(text)
    return _real(match) if match else None


def _print_before_signed(paras: list[Para]) -> list[Finding]:
    signed = None
    for para in paras:
        if para.role in (None, "signature_date"):
            when = _standalone_date(para)
            if when:
                signed = when
        if (para.role in (None, "colophon", "table")) and "印发" in para.text and signed:
            match = DATE.search(para.text)
            printed = _real(match) if match else None
            if printed and printed < signed:
                return [_at("L007", para, f"印发日期 {match.group()} 早于成文日期 "
                                          f"{signed.year}年{signed.month}月{signed.day}日", match.group())]
    return []


# --- punctuation (L008, L009, L010) -------------------------------------------------------------
HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"}


def is_chinese(ch: str) -> bool:
    code = ord(ch)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x3000 <= code <= 0x303F
            or 0xFF00 <= code <= 0xFFEF or ch in "“”‘’—…·")


def _neighbour(text: str, index: int, step: int) -> str:
    index += step
    while 0 <= index < len(text) and text[index] == " ":
        index += step
    return text[index] if 0 <= index < len(text) else ""


def half_width_positions(text: str) -> list[int]:
    """Indexes of half-width , : ; ( ) ! ? in Chinese context (a Chinese character beside them);
    a ")" closing a "(" that is in Chinese context counts too. 10:30 and 1,000 stay."""
    positions = []
    open_chinese = []
    for index, ch in enumerate(text):
        if ch not in HALF_TO_FULL:
            continue
        before, after = _neighbour(text, index, -1), _neighbour(text, index, 1)
        chinese = (before and is_chinese(before)) or (after and is_chinese(after))
        if ch == "(":
            open_chinese.append(bool(chinese))
        elif ch == ")" and open_chinese:
            chinese = open_chinese.pop() or chinese
        if chinese:
            positions.append(index)
    return positions


def to_full_width(text: str) -> str:
    """``text`` with the half-width marks of :func:`half_width_positions` made full-width."""
    chars = list(text)
    for index in half_width_positions(text):
        chars[index] = HALF_TO_FULL[chars[index]]
        # “同志们: 为了” → “同志们：为了”: a full-width mark carries its own space.
        if index + 1 < len(chars) and chars[index + 1] == " ":
            chars[index + 1] = ""
    return "".join(chars)


def half_width(paras: list[Para]) -> list[Finding]:
    found = []
    for para in paras:
        positions = half_width_positions(para.text)
        if not positions:
            continue
        marks = "".join(dict.fromkeys(para.text[i] for i in positions))
        quote = _quote(para.text, positions[0], positions[0] + 1)
        count = f"{len(positions)} 处" if len(positions) > 1 else ""
        found.append(_at("L008", para, f"中文语境中有{count}半角标点“{' '.join(marks)}”，应为全角"
                                       f"“{' '.join(HALF_TO_FULL[m] for m in marks)}”：…{quote}…", quote,
                         positions[0]))
    return found


_PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "【": "】", "〔": "〕", "「": "」"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
_BRACKET = re.compile("[" + re.escape("".join(_PAIRS) + "".join(_CLOSERS)) + "]")


def pairs(paras: list[Para]) -> list[Finding]:
    found = []
    for para in paras:
        stack: list[tuple[str, int]] = []
        problem = None
        for match in _BRACKET.finditer(para.text):  # the brackets only, not every character
            index, ch = match.start(), match.group()
            if ch in _PAIRS:
                stack.append((ch, index))
            elif ch in _CLOSERS:
                if stack and stack[-1][0] == _CLOSERS[ch]:
                    stack.pop()
                else:
                    problem = (ch, index, f"“{ch}”前面没有配对的“{_CLOSERS[ch]}”")
                    break
        if problem is None and stack:
            ch, index = stack[-1]
            problem = (ch, index, f"“{ch}”没有配对的“{_PAIRS[ch]}”")
        if problem:
            quote = _quote(para.text, problem[1], problem[1] + 1)
            found.append(_at("L009", para, f"{problem[2]}：…{quote}…", quote, problem[1]))
    return found


_DOUBLED = re.compile(r"([。，、；：])\1+")


def doubled(paras: list[Para]) -> list[Finding]:
    found = []
    for para in paras:
        for match in _DOUBLED.finditer(para.text):
            quote = _quote(para.text, match.start(), match.end())
            found.append(_at("L010", para, f"标点“{match.group()}”重复：…{quote}…", quote, match.start()))
    return found


# --- document structure (L012–L017) -------------------------------------------------------------
_ATTACH_LABEL = re.compile(r"^附件\s*(\d*)\s*[：:]?$")
_NOTE_ITEM = re.compile(r"^(?:附件[：:]\s*)?(\d+)[.．]")


def attachments(paras: list[Para]) -> list[Finding]:
    """The 附件说明 lists N items (or one unnumbered); the document carries attachments labelled
    附件1…附件N. Compared only when the document carries at least one attachment page."""
    note: list[Para] = []
    labels: list[tuple[Para, int]] = []
    collecting = False
    for para in paras:
        text = para.text.strip()
        if text.startswith(("附件：", "附件:")) and len(text) > 3:
            note, collecting = [para], True
            continue
        if collecting and (para.role == "attachment_note_more" or (para.role is None and _NOTE_ITEM.match(text)
                                                                    and len(text) < 60)):
            note.append(para)
            continue
        collecting = False
        match = _ATTACH_LABEL.match(text)
        if match and para.role in (None, "attachment_label"):
            labels.append((para, int(match.group(1) or 1)))
    if not note or not labels:
        return []
    listed = len(note)
    present = [number for _, number in labels]
    if listed != len(present) or present != list(range(1, len(present) + 1)):
        where = note[0]
        names = "、".join(f"附件{n}" if len(present) > 1 else "附件" for n in present)
        return [_at("L012", where, f"附件说明列了 {listed} 个附件，文中附有 {len(present)} 个（{names}）",
                    note[0].text[:20])]
    return []


_ORG_END = re.compile(r"(各|局|委|厅|部|办|会|院|室|处|科|所|中心|公司|单位|政府|机关|组织|学校|街道)[）)]?$")


def _title_index(paras: list[Para]) -> int | None:
    for index, para in enumerate(paras):
        if para.role == "title":
            return index
    return None


def recipients(paras: list[Para]) -> list[Finding]:
    found = []
    title = _title_index(paras)
    for index, para in enumerate(paras):
        text = para.text.strip()
        if para.role == "recipients":
            guessed = True
        else:
            guessed = (para.role is None and title is not None and index == title + 1 and len(text) <= 60
                       and "。" not in text and bool(_ORG_END.search(text)))
        if guessed and text and text[-1] not in "：:":
            found.append(_at("L013", para, f"主送机关“{text[:20]}”末尾应加全角冒号“：”", text[-12:]))
    return found


def _title(paras: list[Para]) -> str:
    index = _title_index(paras)
    return paras[index].text.replace("\n", "").strip() if index is not None else ""


def notice_closing(paras: list[Para]) -> list[Finding]:
    title = _title(paras)
    if not title.endswith("通知"):
        return []
    if any(p.text.strip().startswith(("特此通知", "此通知", "特此函告")) for p in paras):
        return []
    body = [p for p in paras if p.role in ("body", None) and len(p.text.strip()) > 1]
    last = body[-1] if body else paras[_title_index(paras)]
    if re.search(r"请|望|务必|特此|以上|为盼|执行|遵照", last.text):
        return []  # the last paragraph already asks for action: a closing of its own
    return [_at("L014", last, "通知正文末尾没有“特此通知。”等结束语（如模板要求，请补上）")]


def request_rules(paras: list[Para], signers: tuple[str, ...] | None = None) -> list[Finding]:
    title = _title(paras)
    if not title.endswith("请示"):
        return []
    found = []
    index = _title_index(paras)
    for para in paras:
        if para.role == "recipients":
            names = [n for n in re.split(r"[、，,]", para.text.strip().rstrip("：:")) if n.strip()]
            if len(names) > 1:
                found.append(_at("L015", para, f"请示只能主送一个上级机关，这里写了 {len(names)} 个（{para.text.strip()}）"))
    has_signer = bool(signers) if signers is not None else any("签发人" in p.text for p in paras)
    if not has_signer:
        found.append(_at("L015", paras[index], "请示是上行文，版头须标注“签发人：”和签发人姓名"))
    return found


def repeated(paras: list[Para]) -> list[Finding]:
    seen: dict[str, Para] = {}
    found = []
    for para in paras:
        text = para.text.strip()
        if len(text) < 15 or para.role in ("table", "colophon"):
            continue
        first = seen.get(text)
        if first is None:
            seen[text] = para
            continue
        where = f"第 {first.line} 行" if first.line else f"第 {first.paragraph} 段"
        found.append(_at("L016", para, f"与{where}完全相同：“{text[:20]}…”", text[:20]))
    return found


_END_MARKS = "。！？…”’）》；：.!?)\"」"


def truncation(paras: list[Para]) -> list[Finding]:
    """The last prose paragraph (one with a comma) must end in an end mark, and the text must
    not end with a heading."""
    prose = [(i, p) for i, p in enumerate(paras)
             if p.role in (None, "body", "heading1", "heading2", "heading3", "heading4")
             and len(p.text.strip()) >= 15 and ("，" in p.text or "," in p.text)]
    if not prose:
        return []
    index, last = prose[-1]
    text = last.text.rstrip()
    tail = text[-20:]
    if text[-1] not in _END_MARKS:
        head = _last_heading(text)
        after = f"（在“{head}”之后）" if head else ""
        return [_at("L017", last, f"文字在“…{tail}”处中断{after}，疑似截断", tail, len(text) - 1)]
    later = [p for p in paras[index + 1:] if p.role in (None, "body") and p.text.strip()]
    if later and heading_of(later[-1].text.strip()) and later[-1] is paras[-1]:
        return [_at("L017", later[-1], f"全文以标题“{later[-1].text.strip()[:20]}”结束，疑似截断")]
    return []


_INNER_HEADING = re.compile(r"[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}、")


def _last_heading(text: str) -> str | None:
    """The last structure number inside a paragraph (drafts pasted as one line), with the
    enclosing 一级 number when there is one: “二（三）”."""
    matches = list(_INNER_HEADING.finditer(text))
    if not matches:
        return None
    last = matches[-1].group()
    level1 = [m.group() for m in matches if m.group().endswith("、")]
    if level1 and not last.endswith("、"):
        return level1[-1].rstrip("、") + last
    return last


# --- all content rules --------------------------------------------------------------------------
def content_findings(paras: list[Para], *, signers: tuple[str, ...] | None = None) -> list[Finding]:
    """Every content rule on ``paras``, in reading order per rule."""
    found: list[Finding] = []
    for check in (placeholders, numbering, heading_ends, issue_numbers, dates, half_width, pairs, doubled,
                  attachments, recipients, notice_closing, repeated, truncation):
        found += check(paras)
    found += request_rules(paras, signers)
    return found
