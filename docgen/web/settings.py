"""Limits and options of ``docgen serve``: defaults, overridable by ``DOCGEN_SERVE_<NAME>``."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

from docgen.errors import DocgenError


@dataclass(frozen=True)
class Settings:
    max_bytes: int = 10 * 2**20  # one request body (upload, pasted text, outline) → 413 beyond
    timeout: float = 60.0  # seconds for one import/render/check → 504 beyond
    batch_timeout: float = 600.0  # seconds for one batch → 504 beyond
    batch_max_rows: int = 1000  # rows of one batch table
    batch_workers: int = 2  # processes of one batch run
    processes: int = max(1, min(4, os.cpu_count() or 1))  # render processes per uvicorn worker
    queue: int = 32  # requests waiting for a render process before 503
    preview_scale: float = 1.0  # preview PNG: 72 dpi × scale
    preview_pages: int = 40  # pages rendered as PNG at most
    allow_templates: bool = False  # outlines may not point at user templates unless enabled

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """Defaults, then ``DOCGEN_SERVE_<FIELD>`` from the environment, then ``overrides``."""
        values = {}
        for item in fields(cls):
            raw = os.environ.get(f"DOCGEN_SERVE_{item.name.upper()}", "").strip()
            if raw:
                values[item.name] = _parse(item.name, raw, item.type)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def _parse(name: str, raw: str, kind: str):
    env = f"DOCGEN_SERVE_{name.upper()}"
    if kind == "bool":
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise DocgenError(f"环境变量 {env} 应为 1 或 0（现为“{raw}”）")
    try:
        value = int(raw) if kind == "int" else float(raw)
    except ValueError:
        value = 0
    if not value > 0:
        raise DocgenError(f"环境变量 {env} 应为正数（现为“{raw}”）")
    return value
