"""The outline as the page shows it (kind, fields, numbered headings with their findings) and the
edits the page sends back (change the kind, a heading's level, a field)."""

from __future__ import annotations

import copy
import re

from docgen.errors import DocgenError

KIND_LABELS = {"speech": "讲话稿", "notice": "公文（通知等）", "report": "工作总结/报告"}
# Fields shown as inputs, per kind, in the order of the starters (sections are the tree).
FIELDS = {
    "speech": ["framework", "title", "subtitle", "occasion", "speaker", "date", "salutation", "opening", "closing"],
    "notice": ["doctype", "copy_number", "secrecy", "urgency", "issuer", "mark_suffix", "number", "signer",
               "title", "recipients", "body", "closing", "attachments", "signature", "date", "note", "cc",
               "printer", "print_date"],
    "report": ["title", "subtitle", "unit", "date", "opening", "closing", "issuer", "number", "signer",
               "recipients", "signature", "cc", "printer", "print_date"],
}
LONG_FIELDS = {"opening", "body", "closing", "note"}
LIST_FIELDS = {"issuer", "signer", "recipients", "signature", "cc", "attachments"}


def labels() -> dict[str, str]:
    from docgen.outline.schema import LABELS

    return LABELS


def number(level: int, n: int) -> str:
    from docgen.compose.chinese import cn_number

    return f"{cn_number(n)}、" if level == 1 else f"（{cn_number(n)}）"


# --- the view --------------------------------------------------------------------------------------
def structure(outline: dict, findings: list[dict]) -> dict:
    """What the page draws: the kind, the fields, the heading tree, each finding at its place."""
    kind = outline.get("kind", "speech")
    names = labels()
    fields = []
    for key in FIELDS.get(kind, []):
        value = outline.get(key)
        # an attachment with content printed on its own pages is edited in the outline, not here
        readonly = isinstance(value, list) and any(isinstance(a, dict) and a.get("body") for a in value)
        if isinstance(value, list):
            value = "\n".join(a if isinstance(a, str) else a.get("title", "") for a in value)
        fields.append({"key": key, "label": names.get(key, key), "value": "" if value is None else str(value),
                       "long": key in LONG_FIELDS, "list": key in LIST_FIELDS, "readonly": readonly,
                       "findings": []})
    nodes = []
    for i, section in enumerate(outline.get("sections") or []):
        nodes.append(_node(f"sections.{i}", 1, i + 1, section.get("heading"), section.get("intro")))
        for j, point in enumerate(section.get("points") or []):
            nodes.append(_node(f"sections.{i}.points.{j}", 2, j + 1, point.get("heading"), point.get("body")))
    general, kind_findings = [], []
    for item in findings:
        if item.get("message", "").startswith("类型："):
            kind_findings.append(item)
            continue
        target = place(item, fields, nodes)
        (target["findings"] if target is not None else general).append(item)
    for node in nodes:
        del node["_full"]  # the text placement searched, not for the page
    return {"kind": kind, "kind_label": KIND_LABELS.get(kind, kind), "kinds": KIND_LABELS,
            "kind_findings": kind_findings, "fields": fields, "nodes": nodes, "general": general}


def _node(path: str, level: int, n: int, heading, text) -> dict:
    return {"path": path, "level": level, "number": number(level, n), "heading": heading or "",
            "text": (text or "")[:80], "_full": f"{heading or ''}\n{text or ''}", "findings": []}


_QUOTED = re.compile(r"“([^”]+)”")
_CONTEXT = re.compile(r"…([^…]{4,})…")
_LEADING_NUMBER = re.compile(r"^[（(]?[一二三四五六七八九十]+[）)、]")
_SPACE = re.compile(r"\s+")


def place(item: dict, fields: list[dict], nodes: list[dict]) -> dict | None:
    """The field or heading a finding is about: named by its label (“标题：…”), or the node whose
    heading equals, or whose text contains, the text the message quotes."""
    message = item.get("message", "")
    head = message.split("：", 1)[0]
    for field in fields:
        if head == field["label"]:
            return field
    snippets = [m.strip("…") for m in _CONTEXT.findall(message)] + _QUOTED.findall(message)
    snippets = [_SPACE.sub("", _LEADING_NUMBER.sub("", s.lstrip("…"))) for s in snippets]
    for snippet in snippets:
        for node in reversed(nodes):
            if _SPACE.sub("", node["heading"]) == snippet:
                return node
    for snippet in (s for s in snippets if len(s) >= 2):  # one character is found everywhere
        for node in reversed(nodes):
            if snippet in _SPACE.sub("", node["_full"]):
                return node
        for field in fields:
            if field["value"] and snippet in _SPACE.sub("", field["value"]):
                return field
    return None


# --- edits -----------------------------------------------------------------------------------------
def apply_edits(outline: dict, edits: list[dict]) -> dict:
    """The outline after the page's edits, in order: ``{"op": "kind", "kind": …}``,
    ``{"op": "level", "path": "sections.1.points.0", "level": 1}``, ``{"op": "set", "path": "title",
    "value": …}`` (a heading: ``sections.0.heading``)."""
    outline = copy.deepcopy(outline)
    for edit in edits:
        op = edit.get("op") if isinstance(edit, dict) else None
        if op == "kind":
            outline = change_kind(outline, str(edit.get("kind", "")))
        elif op == "level":
            outline = change_level(outline, str(edit.get("path", "")), edit.get("level"))
        elif op == "set":
            set_field(outline, str(edit.get("path", "")), edit.get("value"))
        else:
            raise DocgenError(f"不认识的修改“{op}”；可用：kind（类型）、level（层级）、set（字段）")
    return outline


def change_kind(outline: dict, kind: str) -> dict:
    """Keep what the new kind has (the opening of a speech becomes a notice's 正文 and back; a
    notice's 发文机关 a report's 单位 unless it has a 签发人); a notice needs a title, so an untitled
    one gets “（请填写标题）”."""
    from docgen.outline.schema import KINDS

    if kind not in KINDS:
        raise DocgenError(f"不认识的类型“{kind}”；可用：speech（讲话稿）、notice（通知）、report（报告）")
    old = outline.get("kind", "speech")
    if kind == old:
        return outline
    data = {k: v for k, v in outline.items() if k != "kind"}
    if kind == "notice" and "opening" in data and "body" not in data:
        data["body"] = data.pop("opening")
    if kind != "notice" and "body" in data and "opening" not in data:
        data["opening"] = data.pop("body")
    if kind == "notice" and data.get("salutation") and "recipients" not in data:
        data["recipients"] = data["salutation"].rstrip("：:")
    if kind == "report" and data.get("issuer") and not data.get("signer"):
        # a report with an issuer is sent upward and needs a 签发人: without one, the issuer is its 单位
        issuer = data.pop("issuer")
        data.setdefault("unit", "、".join(issuer) if isinstance(issuer, list) else issuer)
        data.pop("number", None)
    allowed = KINDS[kind].model_fields
    data = {k: v for k, v in data.items() if k in allowed}
    if kind != "speech":
        data.setdefault("title", "（请填写标题）")
    return {"kind": kind, **data}


def _index(path: str) -> list:
    parts = []
    for part in path.split("."):
        parts.append(int(part) if part.isdigit() else part)
    return parts


def change_level(outline: dict, path: str, level) -> dict:
    """Move a heading between 一级 (a section) and 二级 (a point of the section before).

    A point made 一级 starts a new section after its own, taking its body as the intro and the
    points after it; a section made 二级 becomes the last point of the section before (its intro
    the body) and its points follow."""
    sections = outline.setdefault("sections", [])
    parts = _index(path)
    bad = DocgenError(f"找不到要修改的标题“{path}”")
    if level not in (1, 2):
        raise DocgenError("层级只能是 1（一级标题“一、”）或 2（二级标题“（一）”）")
    try:
        if parts[:1] != ["sections"] or not isinstance(parts[1], int) or parts[1] >= len(sections):
            raise bad
        i = parts[1]
        if len(parts) == 2:  # a section
            if level == 2:
                if i == 0:
                    raise DocgenError("第一个一级标题之前没有一级标题，不能降为二级标题")
                section = sections.pop(i)
                target = sections[i - 1].setdefault("points", [])
                point = {"heading": section.get("heading") or "（无标题）"}
                if section.get("intro"):
                    point["body"] = section["intro"]
                target.append(point)
                target.extend(section.get("points") or [])
            return outline
        if parts[2] != "points" or len(parts) != 4:
            raise bad
        points = sections[i].get("points") or []
        j = parts[3]
        if not isinstance(j, int) or j >= len(points):
            raise bad
        if level == 1:
            point = points[j]
            new = {"heading": point["heading"]}
            if point.get("body"):
                new["intro"] = point["body"]
            if points[j + 1:]:
                new["points"] = points[j + 1:]
            del points[j:]
            if not points:
                sections[i].pop("points", None)
            sections.insert(i + 1, new)
    except (IndexError, TypeError, KeyError):
        raise bad from None
    return outline


def set_field(outline: dict, path: str, value) -> None:
    """Set a top-level field (lists one item per line) or a heading/intro/body in the tree; an
    empty value removes the field."""
    parts = _index(path)
    if len(parts) == 1:
        key = parts[0]
        if key == "kind":
            raise DocgenError("类型请用“类型”选择框修改")
        if isinstance(value, str) and key in LIST_FIELDS:
            value = [v.strip() for v in value.splitlines() if v.strip()]
        if value in (None, "", []):
            outline.pop(key, None)
        else:
            outline[key] = value
        return
    try:
        target = outline
        for part in parts[:-1]:
            target = target[part]
        if not isinstance(target, dict) or parts[-1] not in ("heading", "intro", "body"):
            raise KeyError
    except (IndexError, KeyError, TypeError):
        raise DocgenError(f"找不到要修改的字段“{path}”") from None
    if value in (None, ""):
        target.pop(parts[-1], None)
    else:
        target[parts[-1]] = str(value)
