"""A framework file is validated once and then read back from the cache folder, until it changes."""

from __future__ import annotations

import pickle

from docgen import cache
from docgen.outline import frameworks

FRAMEWORK = "name: 测试框架\nheading: 坚持{性}，增强{力}\nparts:\n  - {性: 政治性, 力: 向心力}\n  - {性: 先进性, 力: 凝聚力}\n"


def test_a_validated_framework_is_kept_until_its_file_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCGEN_FONT_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "测试框架.yaml"
    path.write_text(FRAMEWORK, encoding="utf-8")
    first = frameworks._load_framework(path)
    assert first.headings() == ["坚持政治性，增强向心力", "坚持先进性，增强凝聚力"]
    (kept,) = (tmp_path / "cache" / "framework").glob("*.pickle")
    assert pickle.loads(kept.read_bytes()) == first
    # Read back without validating: the validator is never asked.
    monkeypatch.setattr(frameworks, "_validated_framework", lambda path: (_ for _ in ()).throw(AssertionError))
    assert frameworks._load_framework(path) == first
    monkeypatch.undo()
    monkeypatch.setenv("DOCGEN_FONT_CACHE", str(tmp_path / "cache"))
    path.write_text(FRAMEWORK.replace("凝聚力", "战斗力量"), encoding="utf-8")
    assert frameworks._load_framework(path).headings()[1] == "坚持先进性，增强战斗力量"
    assert cache.root() == tmp_path / "cache"
