"""Structure recognition: cleaned draft lines → an outline dict, with every guess and its reason.

The rules, in reading order:

* pieces — a line is one piece; a very long line full of spaces between Chinese characters is a
  page flattened by copying (each space a former line end), so it is split at those spaces;
* head — 版头 elements (份号, 密级, 紧急程度, ``…文件``, 发文字号/签发人), the title (pieces without
  a sentence end, rejoined), ``——在…上的讲话`` (subtitle → occasion), speaker and date lines, the
  salutation ``同志们：`` or the 主送 line ``各区（县）总工会、…：``;
* paragraphs — a piece ends its paragraph when it ends a sentence and is shorter than a full
  line, or when the next one starts with a level number; Word paragraphs stay as they are;
* levels — ``一、`` / ``（一）`` / ``1.`` / ``（1）`` (or Word's numbering and heading styles);
  a heading runs in until the first 。 (or a space after a short heading), the rest is body;
  ``一是…二是…`` has no level and stays in its paragraph;
* tail — closing (``同志们，…`` in a speech; ``特此通知。`` …), and for 公文 附件说明, 署名,
  成文日期, 附注, attachments and 版记 (抄送, 印发机关和印发日期).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from docgen.ingest import clean
from docgen.ingest.draft import Draft, Line
from docgen.ingest.findings import finding, placeholders
from docgen.lint.registry import Finding

_CN_NUM = "一二三四五六七八九十百零〇两"
LEVELS = (
    (1, re.compile(rf"^\s*([{_CN_NUM}]+)\s*[、，,.．]\s*")),
    (2, re.compile(rf"^\s*[（(]\s*([{_CN_NUM}]+)\s*[）)]\s*[、，,.．]?\s*")),
    (3, re.compile(r"^\s*(\d{1,2})\s*(?:[.．、](?!\d)|\s+(?=[\u4e00-\u9fff]))\s*")),
    (4, re.compile(r"^\s*[（(]\s*(\d{1,2})\s*[）)]\s*")),
)
_DATE = re.compile(r"^\s*[（(]?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[）)]?\s*$")
_NUM_DATE = re.compile(r"^\s*[（(]?\s*(\d{4})\s*[-/.．]\s*(\d{1,2})\s*[-/.．]\s*(\d{1,2})\s*[）)]?\s*$")
_CN_DATE = re.compile(rf"^\s*[（(]?\s*([{_CN_NUM}]{{4}})\s*年\s*([{_CN_NUM}]{{1,3}})\s*月\s*([{_CN_NUM}]{{1,3}})\s*日\s*[）)]?\s*$")
_SALUTATION = re.compile(r"^([^。；：:！？]{1,60}?)\s*[：:]\s*$")
_SPEECH_SALUTATION = re.compile(r"(同志们|同事们|代表|委员|朋友们|来宾|领导|女士们|先生们|大家)")
_SUBTITLE = re.compile(r"^\s*[—–-]{1,2}\s*")
_OCCASION = re.compile(r"^——\s*在(.+?)上的(?:讲话|发言|致辞|报告|总结讲话|动员讲话|主旨讲话|工作报告)$")
_MARK = re.compile(r"^\s*(.{2,40}?)\s*(文件|文件?简报|简报|通报|纪要)\s*$")
_NUMBER = re.compile(r"(\S{1,20}?)\s*[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*(\d+)\s*号")
_SIGNER = re.compile(r"签发人\s*[：:]\s*(.+)$")
_COPY = re.compile(r"^\s*(\d{6})\s*$")
_SECRECY = re.compile(r"^\s*((?:绝密|机密|秘密)(?:★.*)?)\s*$")
_URGENCY = re.compile(r"^\s*(特急|加急|特提|平急)\s*$")
_ATTACH = re.compile(r"^\s*附\s*件\s*[：:]\s*(.*)$")
_ATTACH_ITEM = re.compile(r"^\s*(\d{1,2})\s*[.．、]\s*(.+)$")
_ATTACH_LABEL = re.compile(r"^\s*附\s*件\s*(\d{0,2})\s*$")
_NOTE = re.compile(r"^\s*[（(]\s*((?:联系人|联系电话|联系方式|此件|本件).*?)\s*[）)]\s*$")
_CC = re.compile(r"^\s*抄\s*送\s*[：:]\s*(.+?)[。.]?\s*$")
_PRINTED = re.compile(r"^\s*(.+?)\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*印\s*发\s*$")
_NOTICE_CLOSING = re.compile(r"^(特此(?:通知|通报|报告|函告|批复|公告)|妥否，请批示|以上报告，请审阅|专此报告|请认真贯彻执行|当否，请批示)[。！]?$")
_SPEECH_CLOSING = re.compile(r"^(同志们[，！,!]|最后[，,]|谢谢大家)")
_DOCTYPES = ("请示", "通知", "通报", "报告", "意见", "决定", "函", "纪要", "批复", "方案", "办法")


def level_of(text: str) -> int:
    for level, pattern in LEVELS:
        if pattern.match(text):
            return level
    return 0


def number_of(text: str, level: int) -> int | None:
    match = LEVELS[level - 1][1].match(text)
    if not match:
        return None
    value = match.group(1)
    return int(value) if value.isdigit() else cn_number(value)


def strip_number(text: str, level: int) -> str:
    return LEVELS[level - 1][1].sub("", text, count=1)


def cn_number(text: str) -> int | None:
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    digits.update({"〇": 0, "两": 2})
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)
    if len(text) == 1:
        return digits.get(text)
    return int("".join(str(digits.get(c, 0)) for c in text))  # 二〇二四 → 2024


@dataclass
class Piece:
    text: str
    line: int
    gap: str  # how it follows the previous piece: "break" (new paragraph), "join", "wrap", "space"
    hints: dict = field(default_factory=dict)


@dataclass
class Para:
    text: str
    line: int
    hints: dict = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)


@dataclass
class Guess:
    label: str  # Chinese element name: 类型, 标题 …
    value: str
    reason: str
    line: int | None = None


@dataclass
class Recognised:
    outline: dict
    guesses: list[Guess]
    findings: list[Finding]


# --- pieces and paragraphs ------------------------------------------------------------------------
def _flattened(text: str) -> bool:
    """A whole page pasted as one line: long, with many spaces between Chinese characters."""
    gaps = re.findall(rf"[{clean.CJK}，。、；：“”（）][ ]+[{clean.CJK}“（(]", text)
    return clean.width(text) > 120 and len(gaps) >= 5


def to_pieces(draft: Draft, lines: list[Line]) -> list[Piece]:
    pieces: list[Piece] = []
    pending_break = True
    for line in lines:
        if line.blank:
            pending_break = True
            continue
        gap = "break" if pending_break or draft.paragraphs else line.hints.get("gap", "wrap")
        pending_break = False
        if "table" in line.hints:
            pieces.append(Piece(line.text, line.number, "break", dict(line.hints)))
            pending_break = True
            continue
        if not draft.paragraphs and _flattened(line.text):
            parts = [p for p in re.split(r"(?<![A-Za-z0-9,.;:]) +| +(?![A-Za-z0-9])", line.text) if p.strip()]
            for index, part in enumerate(parts):
                pieces.append(Piece(part.strip(), line.number, gap if index == 0 else "space", {}))
            continue
        pieces.append(Piece(line.text.strip(), line.number, gap, dict(line.hints)))
    return pieces


def _typical_width(pieces: list[Piece]) -> float:
    widths = sorted(clean.width(p.text) for p in pieces if p.gap in ("wrap", "space"))
    if len(widths) < 3:
        return 0.0
    return widths[len(widths) * 3 // 4]


def _wrapped_lines(pieces: list[Piece]) -> bool:
    """Hard-wrapped text (else each line is a paragraph): several lines run to about the full line
    width and end mid-sentence."""
    lines = [p for p in pieces if p.gap in ("wrap", "break") and not p.hints]
    if len(lines) < 4:
        return False
    widths = sorted(clean.width(p.text) for p in lines)
    full = widths[min(len(widths) - 1, len(widths) * 9 // 10)]
    if full < 16:
        return False
    open_full = sum(1 for p in lines if clean.width(p.text) >= 0.8 * full and not clean.ends_sentence(p.text)
                    and not p.text.endswith(("：", ":")))
    return open_full >= 3 and open_full > 0.25 * len(lines)


def to_paragraphs(pieces: list[Piece]) -> list[Para]:
    typical = _typical_width(pieces)
    wrapped = _wrapped_lines(pieces)
    paras: list[Para] = []
    previous: Piece | None = None
    for piece in pieces:
        if paras and previous is not None and not _starts_paragraph(piece, previous, typical, wrapped):
            last = paras[-1]
            last.text = clean.join(last.text, piece.text) if piece.gap != "join" else last.text + piece.text
            last.lines.append(piece.line)
        else:
            paras.append(Para(piece.text, piece.line, dict(piece.hints), [piece.line]))
        previous = piece
    for para in paras:
        if "\n" in para.text:  # a soft line break inside a paragraph joins like a wrapped line
            parts = para.text.split("\n")
            text = parts[0]
            for part in parts[1:]:
                text = clean.join(text, part)
            para.text = text
    return paras


def _starts_paragraph(piece: Piece, previous: Piece, typical: float, wrapped: bool) -> bool:
    if piece.gap == "break" or "table" in piece.hints or "table" in previous.hints:
        return True
    if piece.gap == "join":
        return False
    if level_of(piece.text) or piece.hints.get("level") or _SPEECH_CLOSING.match(piece.text):
        return True
    if piece.gap == "wrap" and not wrapped:
        return True
    short = typical and clean.width(previous.text) < 0.85 * typical
    if clean.ends_sentence(previous.text) and short:
        return True
    if level_of(previous.text) and short and "。" not in previous.text:
        return True  # a heading on its own line: 一、坚持政治性，增强向心力
    return bool(_SALUTATION.match(previous.text) and short)


# --- recognition -------------------------------------------------------------------------------
class Recogniser:
    def __init__(self, draft: Draft, kind: str | None, framework: str | None, templates=None):
        self.draft = draft
        self.requested_kind = kind
        self.requested_framework = framework
        self.templates = templates
        self.guesses: list[Guess] = []
        self.findings: list[Finding] = []
        self.unit = "paragraph" if draft.unit == "paragraph" else "line"

    def where(self, number: int | None) -> dict:
        if number is None:
            return {}
        return {"paragraph": number} if self.unit == "paragraph" else {"line": number}

    def guess(self, label: str, value: str, reason: str, line: int | None = None) -> None:
        self.guesses.append(Guess(label, value, reason, line))
        self.findings.append(finding("I002" if label != "类型" else "I001",
                                     f"{label}：{value}（依据：{reason}）", **self.where(line)))

    # The whole recognition, top to bottom.
    def run(self, lines: list[Line]) -> Recognised:
        for line in lines:
            self.findings += placeholders(line.text, **self.where(line.number))
        pieces = to_pieces(self.draft, lines)
        head, index = self.read_head(pieces)
        paras = to_paragraphs(pieces[index:])
        kind, doctype = self.decide_kind(head, paras)
        outline: dict = {"kind": kind}
        if kind == "notice":
            outline["doctype"] = doctype
        tail = self.read_tail(paras, kind) if kind in ("notice", "report") else {}
        body_paras = paras[: tail.pop("_end", len(paras))]
        outline.update(self.head_fields(head, kind))
        self.body(outline, body_paras, kind)
        outline.update(tail)
        if kind == "speech":
            self.framework(outline)
        self.check_truncation(outline, paras)
        outline = _ordered(outline)
        self.complete(outline)
        return Recognised(outline=outline, guesses=self.guesses, findings=self.findings)

    def complete(self, outline: dict) -> None:
        """What the schema requires but the draft lacks gets a visible XXX and a warning, so the
        outline still renders and the gap cannot go unnoticed."""
        kind = outline["kind"]

        def missing(key: str, label: str, value) -> None:
            outline[key] = value
            self.findings.append(finding("I009", f"稿子里没有{label}，提纲里暂填“XXX”，请改为实际内容"))

        if not outline.get("title") and not (kind == "speech" and outline.get("framework")):
            missing("title", "标题", "XXX")
        doctype = outline.get("doctype")
        if kind == "notice" and doctype == "请示":
            recipients = outline.get("recipients", [])
            if not recipients:
                missing("recipients", "主送机关", ["XXX"])
            elif len(recipients) > 1:
                outline["recipients"] = recipients[:1]
                outline["cc"] = recipients[1:] + outline.get("cc", [])
                self.guess("主送", recipients[0], "请示只主送一个机关，其余改为抄送")
        upward = (kind == "notice" and doctype in ("请示", "报告")) or (kind == "report" and outline.get("issuer"))
        if upward and not outline.get("signer"):
            missing("signer", "签发人（上行文必须标注）", ["XXX"])
        for key in list(outline):
            if key in ("doctype", "copy_number", "secrecy", "urgency", "issuer", "mark_suffix", "number", "signer",
                       "recipients", "attachments", "signature", "note", "cc", "printer", "print_date") \
                    and kind == "speech":
                outline.pop(key)
        if kind == "report" and not outline.get("issuer") and outline.get("signature"):
            # a report not sent upward prints no 署名: the unit goes under the title instead
            names = "、".join(outline.pop("signature"))
            if not outline.get("unit"):
                outline["unit"] = names
                self.guess("单位", names, "文末署名（工作总结的单位印在标题下）")
            else:
                outline["closing"] = "\n".join(filter(None, [outline.get("closing"), names]))
            ordered = _ordered(outline)
            outline.clear()
            outline.update(ordered)

    # --- head ------------------------------------------------------------------------------
    def read_head(self, pieces: list[Piece]) -> tuple[dict, int]:
        head: dict = {}
        i = 0
        while i < len(pieces):
            text = pieces[i].text.strip()
            line = pieces[i].line
            if "title" not in head:
                if _COPY.match(text) and "copy_number" not in head:
                    head["copy_number"] = (_COPY.match(text).group(1), line)
                elif _SECRECY.match(text) and "secrecy" not in head:
                    head["secrecy"] = (text, line)
                elif _URGENCY.match(text) and "urgency" not in head:
                    head["urgency"] = (text, line)
                elif (_NUMBER.search(text) and len(text) <= 60 and "number" not in head
                      and not re.search("[。，]", text)):
                    self.read_number(text, line, head)
                elif (_MARK.match(text) and "mark" not in head and "number" not in head
                      and len(text) <= 40 and not re.search("[，。、“]", text)
                      and not text.endswith(("的通知", "的通报"))):
                    head["mark"] = (_MARK.match(text).groups(), line)
                else:
                    taken = self.read_title(pieces, i, head)
                    if not taken:
                        break
                    i += taken
                    continue
                i += 1
                continue
            if _SUBTITLE.match(text) and "subtitle" not in head and "salutation" not in head:
                taken = self.read_subtitle(pieces, i, head)
                i += taken
                continue
            if self.date_of(text) and "date" not in head and "salutation" not in head:
                head["date"] = (self.date_of(text), line, text)
                i += 1
                continue
            match = _SALUTATION.match(text)
            if match and "salutation" not in head and not _ATTACH.match(text):
                head["salutation"] = (text.replace(":", "："), line)
                i += 1
                break
            if ("speaker" not in head and "salutation" not in head and clean.width(text) <= 14
                    and not head["title"][0].endswith(_DOCTYPES)
                    and not re.search("[，。；：、！？]", text) and not level_of(text) and i + 1 < len(pieces)):
                head["speaker"] = (text, line)
                i += 1
                continue
            break
        return head, i

    def read_number(self, text: str, line: int, head: dict) -> None:
        match = _NUMBER.search(text)
        org, year, seq = match.groups()
        number = f"{org}〔{year}〕{int(seq)}号"
        head["number"] = (number, line, re.sub(r"\s", "", match.group()) != number)
        signer = _SIGNER.search(text)
        if signer:
            head["signer"] = ([s for s in re.split(r"[\s、，,]+", signer.group(1)) if s], line)

    def read_title(self, pieces: list[Piece], start: int, head: dict) -> int:
        parts: list[Piece] = []
        for piece in pieces[start:]:
            text = piece.text.strip()
            if parts and (piece.gap == "break" and not self.draft.paragraphs and len(parts) >= 1
                          and clean.width(" ".join(p.text for p in parts)) > 14):
                break
            if (_SUBTITLE.match(text) or self.date_of(text) or _SALUTATION.match(text) or level_of(text)
                    or re.search("[。！？；]", text) or clean.width(text) > 40):
                break
            if parts and (self.draft.paragraphs or piece.hints.get("center") is False
                          or re.search(f"({'|'.join(_DOCTYPES)}|讲话|发言|致辞|总结)$", parts[-1].text)):
                break
            parts.append(piece)
            if len(parts) == 4 or clean.width("".join(p.text for p in parts)) > 40:
                break
        if not parts:
            return 0
        text = parts[0].text
        for piece in parts[1:]:
            text = text + (" " if piece.gap == "space" else "\n") + piece.text
        text = _join_title_breaks(text)
        head["title"] = (text, parts[0].line, len(parts))
        return len(parts)

    def read_subtitle(self, pieces: list[Piece], start: int, head: dict) -> int:
        text = pieces[start].text.strip()
        taken = 1
        while (start + taken < len(pieces) and not re.search("(讲话|发言|致辞|报告)$", text)
               and taken < 4):
            following = pieces[start + taken].text.strip()
            if _SALUTATION.match(following) or self.date_of(following) or clean.width(text + following) > 50:
                break
            text = clean.join(text, following)
            taken += 1
        text = "——" + _SUBTITLE.sub("", text)
        date_in = re.search(r"[（(]\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*[）)]\s*$", text)
        if date_in and not _OCCASION.match(text):
            # ——区长 XXX（2023年3月6日）: a speaker line with the date
            head["speaker"] = (clean.tidy_spaces(text[2:date_in.start()]) or None, pieces[start].line)
            head["date"] = (self.date_of(date_in.group(1)), pieces[start].line, date_in.group())
        else:
            head["subtitle"] = (text, pieces[start].line)
        return taken

    @staticmethod
    def date_of(text: str) -> date | None:
        for pattern in (_DATE, _NUM_DATE):
            match = pattern.match(text)
            if match:
                try:
                    return date(*(int(g) for g in match.groups()))
                except ValueError:
                    return None
        match = _CN_DATE.match(text)
        if match:
            values = [cn_number(g) for g in match.groups()]
            if None not in values:
                try:
                    return date(*values)
                except ValueError:
                    return None
        return None

    # --- kind --------------------------------------------------------------------------------
    def decide_kind(self, head: dict, paras: list[Para]) -> tuple[str, str]:
        title = head.get("title", ("", None))[0]
        texts = [p.text for p in paras]
        doctype = next((d for d in _DOCTYPES if title.endswith(d)), "通知")
        if self.requested_kind:
            kind = {"request": "notice"}.get(self.requested_kind, self.requested_kind)
            if self.requested_kind == "request":
                doctype = "请示"
            return kind, doctype
        reasons = []
        salutation = head.get("salutation", ("", None))[0]
        if "subtitle" in head and re.search("(讲话|发言|致辞)$", head["subtitle"][0]):
            reasons.append(f"“{_short(head['subtitle'][0])}”")
        if salutation and _SPEECH_SALUTATION.search(salutation):
            reasons.append(f"“{salutation}”")
        if re.search("(讲话|发言|致辞)$", title):
            reasons.append(f"标题“{_short(title)}”")
        if reasons:
            self.guess("类型", "讲话稿", "和".join(reasons), head.get("title", ("", None))[1])
            return "speech", doctype
        official = [f"“{n}”" for n, key in (("发文机关标志", "mark"), ("发文字号", "number")) if key in head]
        if re.search("(工作总结|工作报告|总结|述职报告)$", title) and not official:
            self.guess("类型", "工作总结/报告", f"标题以“{re.search('(工作总结|工作报告|总结|述职报告)$', title).group()}”结尾",
                       head["title"][1])
            return "report", doctype
        if any(title.endswith(d) for d in _DOCTYPES) or official or any(_NOTICE_CLOSING.match(t) for t in texts):
            if title.endswith("报告") and not official:
                self.guess("类型", "工作总结/报告", "标题以“报告”结尾", head["title"][1])
                return "report", doctype
            why = official + ([f"标题以“{doctype}”结尾"] if title.endswith(doctype) else [])
            closing = next((t for t in texts if _NOTICE_CLOSING.match(t)), None)
            if closing and not why:
                why.append(f"“{closing}”")
            name = "请示" if doctype == "请示" else f"公文（{doctype}）"
            self.guess("类型", name, "和".join(why), head.get("title", ("", None))[1])
            return "notice", doctype
        self.guess("类型", "讲话稿", "没有公文或总结的特征，按讲话稿处理；可用 --kind 指定", None)
        return "speech", doctype

    def head_fields(self, head: dict, kind: str) -> dict:
        out: dict = {}
        if "title" in head:
            text, line, count = head["title"]
            out["title"] = text
            self.guess("标题", text, f"开头 {count} 段短句都没有句末标点，合为一个标题" if count > 1 else "正文前的第一行", line)
        if kind == "notice" or (kind == "report" and "mark" in head):
            if "copy_number" in head:
                out["copy_number"] = head["copy_number"][0]
            for key in ("secrecy", "urgency"):
                if key in head:
                    out[key] = head[key][0]
            if "mark" in head:
                (name, suffix), line = head["mark"]
                out["issuer"] = name
                if suffix != "文件":
                    out["mark_suffix"] = suffix
                self.guess("发文机关", name, f"“{name}{suffix}”是发文机关标志", line)
            if "number" in head:
                number, line, changed = head["number"]
                out["number"] = number
                if changed:
                    self.guess("发文字号", number, "年份改用六角括号〔〕、序号不编虚位", line)
            if "signer" in head:
                out["signer"] = head["signer"][0]
        if "subtitle" in head:
            text, line = head["subtitle"]
            out["subtitle"] = text
            occasion = _OCCASION.match(text)
            if occasion and kind == "speech":
                out["occasion"] = occasion.group(1)
                self.guess("场合", occasion.group(1), f"副标题“{_short(text)}”", line)
        if "speaker" in head and head["speaker"][0] and kind == "notice":
            out["title"] = out.get("title", "") + head["speaker"][0]  # a title's second line, not a speaker
        elif "speaker" in head and head["speaker"][0]:
            out["unit" if kind == "report" else "speaker"] = head["speaker"][0]
            self.guess("讲话人" if kind == "speech" else "单位", head["speaker"][0], "标题下居中的短行", head["speaker"][1])
        if "date" in head and head["date"][0]:
            out["date"] = head["date"][0]
            self.guess("日期", f"{head['date'][0]:%Y年%-m月%-d日}", f"“{head['date'][2]}”", head["date"][1])
        if "salutation" in head:
            text, line = head["salutation"]
            if kind == "speech":
                out["salutation"] = text
                self.guess("称呼", text, "标题后以冒号结尾的短行", line)
            else:
                out["recipients"] = split_list(text.rstrip("：:"))
                self.guess("主送", "、".join(out["recipients"]), "标题后以冒号结尾的一行", line)
        return out

    # --- body ----------------------------------------------------------------------------------
    def body(self, outline: dict, paras: list[Para], kind: str) -> None:
        paras = list(paras)
        closing: list[Para] = []
        if kind == "speech":
            last_heading = max((i for i, p in enumerate(paras) if self.level(p)), default=-1)
            start = next((i for i in range(last_heading + 1, len(paras)) if _SPEECH_CLOSING.match(paras[i].text)), None)
            if start is not None:
                closing, paras = paras[start:], paras[:start]
        else:
            while paras and _NOTICE_CLOSING.match(clean.tidy_spaces(paras[-1].text)):
                closing.insert(0, paras.pop())
        levels = [self.level(p) for p in paras]
        top = min((lv for lv in levels if lv), default=0)
        if top > 1:
            self.guess("层级", f"“{paras[levels.index(top)].text[:6]}…”作一级标题", "稿子里没有更高一级的标题",
                       paras[levels.index(top)].line)
        shift = top - 1 if top > 1 else 0
        opening: list[str] = []
        sections: list[dict] = []
        numbers: dict[int, list[tuple[int, int]]] = {}
        point: dict | None = None
        tables_by_section: list = []
        pending_caption: str | None = None
        for para, level in zip(paras, levels):
            if "table" in para.hints:
                spec = table_spec(para.hints["table"], pending_caption)
                pending_caption = None
                if spec and sections:
                    sections[-1].setdefault("tables", []).append(spec)
                    continue
                text = "\n".join("　　".join(row) for row in para.hints["table"])
                para = Para(text, para.line)
            caption = re.match(r"^表\s*\d+[\s　]+(.+)$", para.text)
            if caption and kind == "report":
                pending_caption = clean.tidy_spaces(caption.group(1))
                continue
            if re.match(r"^图\s*\d+[\s　]+\S", para.text) and kind == "report":
                self.findings.append(finding("I007", f"图表“{para.text}”未导入（图表要在提纲的表格下用 chart 重新指定）",
                                             **self.where(para.line)))
                continue
            effective = level - shift if level and level - shift <= 2 else 0
            heading = rest = ""
            if level and effective:
                typed = level_of(para.text)
                text = strip_number(para.text, typed) if typed else para.text
                bold = para.hints.get("bold_prefix")
                if bold and typed:
                    bold -= len(para.text) - len(text)
                heading, rest = split_heading(text, effective, bold)
            # A bare “（一）”, or a point before any part, stays text: nothing is invented.
            if heading and (effective == 1 or sections):
                typed = level_of(para.text)
                numbers.setdefault(effective, []).append((number_of(para.text, typed) if typed else None, para.line))
                if effective == 1:
                    numbers.pop(2, None)
                    sections.append({"heading": heading})
                    point = None
                    if rest:
                        sections[-1]["intro"] = [rest]
                else:
                    point = {"heading": heading, "line": para.line}
                    sections[-1].setdefault("points", []).append(point)
                    if rest:
                        point["body"] = [rest]
                continue
            text = para.text
            if point is not None:
                point.setdefault("body", []).append(text)
            elif sections:
                sections[-1].setdefault("intro", []).append(text)
            else:
                opening.append(text)
        self.check_numbers(numbers)
        for section in sections:
            if "intro" in section:
                section["intro"] = _lines(section["intro"])
            for item in section.get("points", []):
                if "body" in item:
                    item["body"] = _lines(item["body"])
        opening_key = {"speech": "opening", "report": "opening", "notice": "body"}[kind]
        if opening:
            outline[opening_key] = _lines(opening)
        if sections:
            outline["sections"] = sections
        if closing:
            outline["closing"] = _lines([p.text for p in closing])

    def level(self, para: Para) -> int:
        if "table" in para.hints:
            return 0
        return para.hints.get("level") or level_of(para.text)

    def check_numbers(self, numbers: dict[int, list[tuple[int, int]]]) -> None:
        names = {1: "一级", 2: "二级"}
        for level, items in numbers.items():
            expected = 1
            for value, line in items:
                if value is None:
                    continue
                if value != expected:
                    what = "重复" if value < expected else "不连续"
                    self.findings.append(finding(
                        "I005", f"{names.get(level, '')}标题序号{what}：应为第 {expected} 个，稿子里是第 {value} 个"
                                "（导入后按顺序重新编号）", **self.where(line)))
                expected = value + 1

    # --- tail (公文) -------------------------------------------------------------------------
    def read_tail(self, paras: list[Para], kind: str) -> dict:
        out: dict = {}
        paras = _join_wrapped_colophon(paras)
        texts = [clean.tidy_spaces(p.text) for p in paras]
        end = len(paras)
        # 版记 at the very end: 抄送 and 印发
        while end and (_CC.match(texts[end - 1]) or _PRINTED.match(texts[end - 1])):
            text = texts[end - 1]
            if _CC.match(text):
                out["cc"] = split_list(_CC.match(text).group(1))
            else:
                printer, printed = _PRINTED.match(text).groups()
                out["printer"] = printer.strip()
                out["print_date"] = self.date_of(printed)
            end -= 1
        # 成文日期: the last date-only paragraph; 署名 right before it
        date_at = next((i for i in range(end - 1, -1, -1) if self.date_of(texts[i]) and not texts[i].startswith("（")),
                       None)
        if date_at is None:
            out["_end"] = end
            return out
        out["date"] = self.date_of(texts[date_at])
        self.guess("成文日期", f"{out['date']:%Y年%-m月%-d日}", f"正文后的日期行“{texts[date_at]}”", paras[date_at].line)
        start = date_at
        names = []
        while start and len(names) < 4 and clean.width(texts[start - 1]) <= 24 and not re.search(
                "[，。；：:、！？]", texts[start - 1]) and not level_of(texts[start - 1]) and not (
                _ATTACH_ITEM.match(texts[start - 1]) or _ATTACH.match(texts[start - 1])):
            start -= 1
            names.insert(0, texts[start])
        if names:
            out["signature"] = names
            self.guess("署名", "、".join(names), "成文日期上方的短行", paras[start].line)
        # 附件说明 before the 署名
        attach_at = next((i for i in range(start - 1, max(-1, start - 12), -1) if _ATTACH.match(texts[i])), None)
        titles: list[str] = []
        if attach_at is not None:
            first = _ATTACH.match(paras[attach_at].text.strip()).group(1)
            items = [first] + [p.text for p in paras[attach_at + 1:start]]
            for item in items:
                # several items on one line: “1.报名表 2.规程” (a year after “1.” is not an item)
                for part in re.split(r"\s*(?<![\d.．])(?=\d{1,2}\s*[.．、])", item.strip()):
                    if not part.strip():
                        continue
                    match = _ATTACH_ITEM.match(part)
                    titles.append(clean.tidy_spaces(match.group(2) if match else part).rstrip("。；;"))
            titles = [t for t in titles if t]
            start = attach_at
        # after the date: 附注, attachments
        after = list(range(date_at + 1, end))
        bodies: dict[int, list[str]] = {}
        current = None
        for i in after:
            text = texts[i]
            note = _NOTE.match(text)
            if note and current is None and "note" not in out:
                out["note"] = note.group(1)
                continue
            label = _ATTACH_LABEL.match(text)
            if label:
                current = int(label.group(1) or 1)
                bodies[current] = []
                continue
            if current is not None:
                bodies[current].append(paras[i].text)
            else:
                bodies.setdefault(0, []).append(paras[i].text)
        attachments = []
        for number, title in enumerate(titles, start=1):
            lines = bodies.get(number, [])
            if lines and clean.tidy_spaces(lines[0]).rstrip("。") == title:
                lines = lines[1:]
            attachments.append({"title": title, "body": _lines(lines)} if lines else title)
        if attachments:
            out["attachments"] = attachments
        if bodies.get(0):
            out["note"] = "\n".join(filter(None, [out.get("note"), *bodies[0]]))
        out["_end"] = start
        return out

    # --- framework, truncation -----------------------------------------------------------------
    def framework(self, outline: dict) -> None:
        from docgen.outline.frameworks import available_frameworks, load_framework

        headings = [_bare(s.get("heading") or "") for s in outline.get("sections", [])]
        if not headings:
            return
        frameworks = available_frameworks(self.templates)
        for name, path in frameworks.items():
            if self.requested_framework and name != self.requested_framework:
                continue
            framework = load_framework(path)
            expected = [_bare(h) for h in framework.headings()]
            matched = sum(1 for a, b in zip(headings, expected) if a == b)
            # the pattern (坚持{性}，增强{力}) also matches a part the draft words differently
            pattern = re.compile("^" + re.sub(r"\\\{[^}]*\\\}", "(.+?)", re.escape(_bare(framework.heading))) + "$")
            shaped = sum(1 for h in headings[:len(expected)] if pattern.match(h))
            count = min(len(headings), len(expected))
            if self.requested_framework or (matched and (matched == count or shaped == count)):
                outline["framework"] = name
                self.guess("框架", name, "各部分标题与框架一致" if matched else "用 --framework 指定", None)
                for index, (have, want) in enumerate(zip(headings, framework.headings())):
                    if _bare(have) != _bare(want):
                        self.findings.append(finding(
                            "I006", f"第 {index + 1} 部分标题“{outline['sections'][index].get('heading')}”与框架“{name}”"
                                    f"的“{want}”不同（保留稿子的标题）"))
                if len(headings) < len(expected):
                    missing = "、".join(framework.headings()[len(headings):])
                    self.findings.append(finding(
                        "I006", f"稿子只有 {len(headings)} 个部分，框架“{name}”有 {len(expected)} 个；"
                                f"生成时会补上没有内容的“{missing}”"))
                elif len(headings) > len(expected):
                    self.findings.append(finding(
                        "I006", f"稿子有 {len(headings)} 个部分，多于框架“{name}”的 {len(expected)} 个"))
                return

    def check_truncation(self, outline: dict, paras: list[Para]) -> None:
        for section in outline.get("sections", []):
            for point in section.get("points", []):
                line = point.pop("line", None)
                if not point.get("body"):
                    self.findings.append(finding(
                        "I004", f"“{point['heading']}”只有标题，没有正文（稿子可能不完整）", **self.where(line)))
        if paras:
            last = paras[-1]
            text = clean.tidy_spaces(last.text)
            if text and not clean.ends_sentence(text) and not text.endswith(("：", "！", "?", "！")) and not (
                    "table" in last.hints or self.date_of(text) or _PRINTED.match(text) or _CC.match(text)):
                self.findings.append(finding("I004", f"稿子在句中结束：“…{text[-12:]}”", **self.where(last.lines[-1])))


def _join_wrapped_colophon(paras: list[Para]) -> list[Para]:
    """抄送 wrapped over two lines in a PDF: the second line belongs to it."""
    result: list[Para] = []
    for para in paras:
        if result and _CC.match(result[-1].text) and not clean.ends_sentence(result[-1].text.strip()) \
                and clean.width(para.text) < 20 and not _PRINTED.match(clean.tidy_spaces(para.text)):
            result[-1] = Para(clean.join(result[-1].text, para.text), result[-1].line, result[-1].hints,
                              result[-1].lines + para.lines)
            continue
        result.append(para)
    return result


def split_heading(text: str, level: int, bold_prefix: int | None = None) -> tuple[str, str]:
    """A run-in heading: up to the first 。 (or a space after a short heading); the rest is body."""
    text = text.strip()
    if bold_prefix and 0 < bold_prefix < len(text):
        return text[:bold_prefix].strip().rstrip("。"), text[bold_prefix:].strip()
    stop = re.search("[。！？]", text)
    space = re.search(r"[ \u3000]+", text)
    if space and (not stop or space.start() < stop.start()) and clean.width(text[:space.start()]) <= 20:
        return text[:space.start()].rstrip("。："), text[space.end():].strip()
    if stop and (level >= 2 or clean.width(text[:stop.start()]) <= 40):
        return text[:stop.start()], text[stop.end():].strip()
    return text, ""


def table_spec(rows: list[list[str]], caption: str | None) -> dict | None:
    if not caption or len(rows) < 2:
        return None
    return {"caption": caption, "columns": rows[0], "rows": [[_number(c) for c in r] for r in rows[1:]]}


def _number(cell: str):
    """A table cell that is a plain number becomes one (as an outline would write it)."""
    if re.fullmatch(r"-?\d{1,15}", cell) and not (len(cell) > 1 and cell.startswith("0")):
        return int(cell)
    if re.fullmatch(r"-?\d+\.\d*[1-9]", cell) and str(float(cell)) == cell:  # 2.0 would print as 2
        return float(cell)
    return cell


def split_list(text: str) -> list[str]:
    """主送/抄送 items: split at 、，, outside parentheses (各区（县）总工会 stays whole)."""
    items, depth, current = [], 0, ""
    for char in text:
        if char in "（(":
            depth += 1
        elif char in "）)":
            depth -= 1
        if char in "、，,；;" and depth <= 0:
            items.append(current)
            current = ""
        else:
            current += char
    items.append(current)
    return [clean.tidy_spaces(i).rstrip("。") for i in items if i.strip()]


def _join_title_breaks(text: str) -> str:
    """A title split over lines (Word's soft breaks): a line end stands for a space when the title
    already separates its phrases with spaces, and for nothing otherwise."""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    glue = " " if any(" " in p for p in parts) else ""
    return glue.join(parts)


def _bare(text: str) -> str:
    return re.sub(r"[\s，,、。；;：:“”\"]", "", text or "")


def _short(text: str) -> str:
    return text if len(text) <= 16 else text[:6] + "……" + text[-6:]


def _lines(items: list[str]) -> str:
    return "\n".join(clean.tidy_spaces(i) for i in items if i and i.strip())


_ORDER = {
    "speech": ["kind", "framework", "title", "subtitle", "occasion", "speaker", "date", "salutation", "opening",
               "sections", "closing"],
    "notice": ["kind", "doctype", "copy_number", "secrecy", "urgency", "issuer", "mark_suffix", "number", "signer",
               "title", "recipients", "body", "sections", "closing", "attachments", "signature", "date", "note", "cc",
               "printer", "print_date"],
    "report": ["kind", "title", "subtitle", "unit", "date", "recipients", "opening", "sections", "closing",
               "signature"],
}


def _ordered(outline: dict) -> dict:
    """Keys in the order ``docgen new`` writes them; titles and texts tidied."""
    order = _ORDER[outline["kind"]]
    result = {key: outline[key] for key in order if key in outline and outline[key] not in (None, "", [])}
    if result.get("doctype") == "通知":
        result.pop("doctype")
    for key in ("title",):
        if key in result:
            result[key] = result[key].strip()
    for section in result.get("sections", []):
        for key in ("heading",):
            if section.get(key):
                section[key] = clean.tidy_spaces(section[key])
        for point in section.get("points", []):
            point["heading"] = clean.tidy_spaces(point["heading"])
    for key in ("subtitle", "occasion", "speaker"):
        if key in result:
            result[key] = clean.tidy_spaces(result[key])
    return result
