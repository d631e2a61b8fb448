"""Every example outline: render → .docx / PDF → import → render gives the same document."""

from __future__ import annotations

import pytest

from docgen.api import render, write_imported
from tests.ingest.support import EXAMPLES, ROUND_TRIP, structure


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rendered")
    for name in ROUND_TRIP:
        render(EXAMPLES / f"{name}.yaml", ["docx", "pdf"], folder)
    return folder


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("name", ROUND_TRIP)
def test_round_trip(rendered, tmp_path, name, fmt):
    outline, result = write_imported(rendered / f"{name}.{fmt}", tmp_path / f"{name}.yaml")
    # Charts are pictures: they cannot come back (reported as I007); everything else must.
    assert structure(outline, charts=False) == structure(EXAMPLES / f"{name}.yaml", charts=False)
    assert not result.warnings, [str(f) for f in result.warnings]
    if name == "report":
        assert any(f.code == "I007" for f in result.findings)


def test_imported_outline_renders_unchanged(rendered, tmp_path):
    outline, _ = write_imported(rendered / "notice.docx", tmp_path / "notice.yaml")
    written = render(outline, ["docx"], tmp_path / "out")
    import docx

    text = "\n".join(p.text for p in docx.Document(str(written[0])).paragraphs)
    assert "特此通知。" in text and "某工发〔2024〕3号" in text
