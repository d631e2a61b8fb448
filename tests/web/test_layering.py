"""docgen/web sits on top: nothing below it imports it (DESIGN.md, “Layers call only downward”)."""

from __future__ import annotations

import re

from tests.web.conftest import ROOT


def test_no_library_module_imports_the_web_package():
    offenders = []
    for path in (ROOT / "docgen").rglob("*.py"):
        relative = path.relative_to(ROOT / "docgen")
        if relative.parts[0] == "web" or relative.name == "cli.py":
            continue
        if re.search(r"^\s*(from|import)\s+docgen\.web\b", path.read_text(encoding="utf-8"), re.MULTILINE):
            offenders.append(str(relative))
    assert offenders == []
