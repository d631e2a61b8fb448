"""docgen's own outputs of examples/, rendered once per session into a tmp dir."""

from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
OUTLINES = sorted(p for p in EXAMPLES.glob("*.yaml") if not p.name.startswith("batch"))


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> dict[str, Path]:
    """stem → .docx rendered from each example outline."""
    from docgen.api import render

    out = tmp_path_factory.mktemp("rendered")
    return {p.stem: render(p, ["docx"], out)[0] for p in OUTLINES}
