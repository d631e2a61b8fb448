"""``docgen check``: run the rules on files — outlines, .docx files, text drafts — and fix what
cannot change meaning.

One entry point per job: :func:`check_file` (findings of one file, with ``file`` set; raises
:class:`DocgenError` when the file cannot be read) and :func:`fix_file` (writes a corrected copy
beside the input, or over it with ``in_place``, and lists every change).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from docgen.errors import DocgenError, OutlineError
from docgen.lint import rules as _rules  # noqa: F401
from docgen.lint.registry import RULES, Finding, finding
from docgen.lint.text import DATE, ISSUE_NUMBER_LIKE, Para, content_findings, heading_of, to_full_width

OUTLINE_SUFFIXES = (".yaml", ".yml")
DRAFT_SUFFIXES = (".txt", ".md")
SUFFIXES = (*OUTLINE_SUFFIXES, ".docx", ".pdf", *DRAFT_SUFFIXES)


def parse_disabled(codes: str | list[str] | None) -> set[str]:
    """'L001,F018' → {'L001', 'F018'}; an unknown code is a user error."""
    if not codes:
        return set()
    items = codes if isinstance(codes, (list, tuple, set)) else [codes]
    wanted = {c.strip().upper() for item in items for c in str(item).split(",") if c.strip()}
    unknown = sorted(wanted - set(RULES))
    if unknown:
        raise DocgenError(f"不认识的规则代码：{'、'.join(unknown)}；用 docgen check --rules 查看全部规则",
                          field="--disable")
    return wanted


def check_file(path: str | Path, profile=None, disabled: set[str] = frozenset()) -> list[Finding]:
    """Findings for one file, sorted by place, each with ``file`` set."""
    from docgen.style.profile import Profile, load_profile

    if not isinstance(profile, Profile):
        profile = load_profile(profile)
    path = Path(path)
    if not path.is_file():
        raise DocgenError("文件不存在或无法读取", file=str(path))
    suffix = path.suffix.lower()
    if suffix in OUTLINE_SUFFIXES:
        found = _check_outline(path, profile)
    elif suffix == ".docx":
        found = _check_docx(path, profile)
    elif suffix == ".pdf":
        found = _check_pdf(path, profile)
    elif suffix in DRAFT_SUFFIXES:
        found = content_findings(_draft_paragraphs(path))
    else:
        raise DocgenError(f"不支持检查此类文件；可用：{'、'.join(SUFFIXES)}", file=str(path))
    found = [replace(f, file=str(path)) for f in found if f.code not in disabled]
    return sorted(found, key=lambda f: (f.line or 0, f.column or 0, f.paragraph or 0))


# --- inputs ------------------------------------------------------------------------------------
def _check_docx(path: Path, profile) -> list[Finding]:
    from docgen.lint.docx import format_findings, paragraphs_for_content, read_docx

    try:
        doc = read_docx(path)
    except DocgenError:
        raise
    except Exception as exc:  # python-docx raises several kinds for a damaged or foreign file
        raise DocgenError(f"无法作为 .docx 打开（{type(exc).__name__}）", file=str(path)) from None
    return format_findings(doc, profile) + content_findings(paragraphs_for_content(doc))


def _check_pdf(path: Path, profile) -> list[Finding]:
    """A PDF's lines are wrapped at the page edge and carry the layout's spacing, so judging them
    one by one would report every wrapped line as cut off. Import rebuilds the paragraphs and the
    structure; the content rules then run on the document that outline composes to, by paragraph."""
    import tempfile

    from docgen.api import document_from, load_outline, write_imported
    from docgen.lint import document_paragraphs

    with tempfile.TemporaryDirectory() as folder:
        outline, _ = write_imported(path, Path(folder) / f"{path.stem}.yaml")
        document = document_from(load_outline(outline), profile)
    signers = document.header.signers if document.header else ()
    return content_findings(document_paragraphs(document), signers=signers)


def _check_outline(path: Path, profile) -> list[Finding]:
    """Validation problems as L000 findings; otherwise the content rules on the composed model,
    each paragraph placed at the outline line its text comes from (when it is written there)."""
    from docgen.api import document_from, load_outline
    from docgen.lint import document_paragraphs

    try:
        loaded = load_outline(path)
    except OutlineError as exc:
        return [finding("L000", problem.message, line=problem.line) for problem in exc.problems]
    document = document_from(loaded, profile)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    paras = [replace(p, line=_outline_line(p.text, lines)) for p in document_paragraphs(document)]
    signers = document.header.signers if document.header else ()
    found = content_findings(paras, signers=signers)
    # In an outline the line is the place; the model's paragraph number means nothing to the writer.
    return [replace(f, paragraph=None) if f.line else f for f in found]


def _outline_line(text: str, lines: list[str]) -> int | None:
    """The first outline line holding the start of ``text`` (numbering left out: compose adds it)."""
    head = heading_of(text)
    start = text[head[2]:] if head else text
    probe = start.strip().split("\n")[0][:10]
    if len(probe) < 2:
        return None
    for number, line in enumerate(lines, start=1):
        if probe in line:
            return number
    return None


def _draft_paragraphs(path: Path) -> list[Para]:
    """A draft (.txt, .md, .pdf) read by the import readers, one paragraph per source line,
    numbered as in the file. Lines are judged as they stand: no noise dropped, nothing rejoined,
    so every finding points at the line a user would edit."""
    from docgen.ingest.readers import read_draft

    draft = read_draft(path)
    return [Para(line.text.strip(), line=line.number, indent=len(line.text) - len(line.text.lstrip()))
            for line in draft.lines if line.text.strip()]


def read_text(path: Path) -> str:
    """A text file in whatever encoding the import reader detects (UTF-8/BOM/GBK/GB18030/UTF-16)."""
    from docgen.ingest.readers.text import decode

    return decode(path.read_bytes(), path)


# --- fixing ------------------------------------------------------------------------------------
@dataclass
class FixResult:
    source: Path
    target: Path
    changes: list[str]


def fix_issue_brackets(text: str) -> str:
    """某工发[2024]3号 → 某工发〔2024〕3号 (the year's brackets only)."""
    def bracket(match):
        found = match.group()
        return re.sub(r"[\[［【(（]\s*(\d{4})\s*[\]］】)）]", lambda m: f"〔{m.group(1)}〕", found)

    return ISSUE_NUMBER_LIKE.sub(bracket, text)


def fix_dates(text: str) -> str:
    """2024年01月05日 → 2024年1月5日."""
    return DATE.sub(lambda m: f"{m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日", text)


def fix_text(text: str, *, keep_length: bool = False) -> str:
    fixed = fix_issue_brackets(fix_dates(text))
    if keep_length:
        from docgen.lint.text import HALF_TO_FULL, half_width_positions

        chars = list(fixed)
        for index in half_width_positions(fixed):
            chars[index] = HALF_TO_FULL[chars[index]]
        return "".join(chars)
    return to_full_width(fixed)


_YAML_KEY = re.compile(r"^(\s*(?:-\s+)?[^\s:#'\"][^:#]*?:\s+|\s*-\s+)(.*)$")


def _fix_yaml_line(line: str) -> str:
    """Only the value of a ``key: value`` line (or a list item) is touched: the key's colon is YAML."""
    if line.lstrip().startswith("#"):
        return line
    match = _YAML_KEY.match(line)
    if match:
        return match.group(1) + fix_text(match.group(2))
    if ":" in line and not line.startswith((" ", "\t")):
        return line
    return fix_text(line)


def fix_file(path: str | Path, *, in_place: bool = False) -> FixResult:
    path = Path(path)
    if not path.is_file():
        raise DocgenError("文件不存在或无法读取", file=str(path))
    suffix = path.suffix.lower()
    target = path if in_place else path.with_name(f"{path.stem}.fixed{path.suffix}")
    if suffix == ".docx":
        data, changes = _fix_docx(path)
    elif suffix in (*OUTLINE_SUFFIXES, ".txt", ".md"):
        text = read_text(path)
        fixer = _fix_yaml_line if suffix in OUTLINE_SUFFIXES else fix_text
        out, changes = [], []
        for number, line in enumerate(text.splitlines(keepends=True), start=1):
            body = line.rstrip("\r\n")
            fixed = fixer(body)
            if fixed != body:
                changes.append(f"第 {number} 行：{_change(body, fixed)}")
            out.append(fixed + line[len(body):])
        data = "".join(out).encode("utf-8")
    else:
        raise DocgenError("--fix 只能修改 .docx、.yaml、.txt、.md 文件", file=str(path))
    from docgen.output import write_atomic

    if changes or in_place:
        write_atomic(target, data)
    return FixResult(path, target, changes)


def _change(before: str, after: str) -> str:
    """The changed stretch with a little context: “…同志们: 为了…” → “…同志们：为了…”."""
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end_b, end_a = len(before), len(after)
    while end_b > start and end_a > start and before[end_b - 1] == after[end_a - 1]:
        end_b -= 1
        end_a -= 1
    lo = max(0, start - 6)
    return f"“{before[lo:end_b + 6]}” → “{after[lo:end_a + 6]}”"


def _fix_docx(path: Path) -> tuple[bytes, list[str]]:
    """Punctuation width, date padding and 文号 brackets in every paragraph (text redistributed over
    its w:t elements, so run formatting stays), and “— N —” page numbers in footers."""
    import io

    from docgen.lint.docx import _page_field, part_root, q, read_docx

    try:
        doc = read_docx(path)
    except DocgenError:
        raise
    except Exception as exc:
        raise DocgenError(f"无法作为 .docx 打开（{type(exc).__name__}）", file=str(path)) from None
    changes = []
    for para in doc.paragraphs:
        texts = list(para.element.iter(q("t")))
        joined = "".join(t.text or "" for t in texts)
        fixed = fix_text(joined, keep_length=True)
        if fixed != joined and len(fixed) == len(joined):
            _redistribute(texts, fixed)
        else:
            # Date padding shortens the text: fix within each w:t instead.
            for t in texts:
                t.text = fix_text(t.text or "", keep_length=True)
            fixed = "".join(t.text or "" for t in texts)
        if fixed != joined:
            changes.append(f"第 {para.number} 段：{_change(joined, fixed)}")
    seen = set()
    for rel in doc.package.part.rels.values():
        if not rel.reltype.endswith("/footer") or id(rel.target_part) in seen:
            continue
        seen.add(id(rel.target_part))
        root = part_root(rel.target_part)
        if getattr(root, "iter", None) is None or not _page_field(root)[0]:
            continue
        for t in root.iter(q("t")):
            text = t.text or ""
            if text.strip() and set(text.strip()) <= set("-－–‐— "):
                fixed = re.sub(r"[-－–‐]+", "—", text)
                if fixed != text:
                    t.text = fixed
                    changes.append(f"页码：“{text}” → “{fixed}”（一字线）")
    buffer = io.BytesIO()
    doc.package.save(buffer)
    return buffer.getvalue(), changes


def _redistribute(texts, fixed: str) -> None:
    offset = 0
    for t in texts:
        length = len(t.text or "")
        t.text = fixed[offset:offset + length]
        offset += length
