"""Markdown drafts: the first heading is the title, heading levels become 一、 and （一）."""

from __future__ import annotations

from docgen.api import write_imported
from docgen.ingest import import_draft
from docgen.outline.loader import load_outline

DRAFT = """\
# 关于做好2024年防汛工作的通知

各镇（街）工会：

为做好防汛工作，现将有关事项通知如下。

## 一、提高认识

各单位要**高度重视**。

## 加强组织

### 落实责任

各单位要明确责任人。

**加强值守。**汛期实行24小时值班。

1. 第一条要求。
2. 第二条要求。

特此通知。
"""


def test_markdown_structure(tmp_path):
    path = tmp_path / "draft.md"
    path.write_text(DRAFT, encoding="utf-8")
    outline = import_draft(path).outline
    assert outline["kind"] == "notice"
    assert outline["title"] == "关于做好2024年防汛工作的通知"
    assert outline["recipients"] == ["各镇（街）工会"]
    first, second = outline["sections"]
    assert first == {"heading": "提高认识", "intro": "各单位要高度重视。"}
    assert second["heading"] == "加强组织"
    assert second["points"][0]["heading"] == "落实责任"
    assert second["points"][0]["body"].splitlines() == [
        "各单位要明确责任人。", "加强值守。汛期实行24小时值班。", "1.第一条要求。", "2.第二条要求。"]
    assert outline["closing"] == "特此通知。"
    written, _ = write_imported(path, tmp_path / "draft.yaml")
    assert load_outline(written).outline.title == "关于做好2024年防汛工作的通知"
