"""docgen: structured outlines → Chinese official documents (.docx and PDF) to GB/T 9704-2012.

The public library API is small and lazy: importing :mod:`docgen` loads neither python-docx nor
reportlab. ``docgen.render`` is the function the CLI wraps.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "render", "build_document", "load_outline", "check", "fix", "import_draft", "format_draft",
           "DocgenError"]


def __getattr__(name: str):
    # Lazy attribute access keeps `import docgen` (and `docgen --version`) light.
    if name in {"render", "build_document", "load_outline", "check", "fix", "import_draft", "format_draft"}:
        from docgen import api

        return getattr(api, name)
    if name == "DocgenError":
        from docgen.errors import DocgenError

        return DocgenError
    raise AttributeError(name)

