"""Resource limits on what users feed docgen: each one ends a hostile or mistaken input with a
Chinese error instead of a hang or an exhausted machine.

Every default is far above what a real document needs (an outline is a few KB; a long report's
body markup a few hundred KB). Each can be raised with an environment variable ``DOCGEN_<NAME>``,
e.g. ``DOCGEN_YAML_MAX_BYTES=5000000``, for the rare user who truly needs more.
"""

from __future__ import annotations

import os

from docgen.errors import DocgenError

DEFAULTS: dict[str, float] = {
    # YAML files (outlines, profiles, frameworks)
    "YAML_MAX_BYTES": 1_000_000,  # file size
    "YAML_MAX_DEPTH": 64,  # nesting of lists/mappings
    "YAML_MAX_ALIAS_NODES": 100_000,  # values added by *alias references (the “billion laughs”)
    # data files an outline names
    "TABLE_MAX_BYTES": 10_000_000,  # a report table's CSV file
    "IMAGE_MAX_BYTES": 10_000_000,  # a seal image file
    "IMAGE_MAX_PIXELS": 16_000_000,  # a seal image's width × height
    # template rendering
    "TEMPLATE_SECONDS": 5,  # time for one render
    "TEMPLATE_MAX_CHARS": 1_000_000,  # body markup produced (≈ 1,600 pages of text)
    "TEMPLATE_MAX_RANGE": 10_000,  # items of range(…)
    "TEMPLATE_MAX_REPEAT": 100_000,  # length of 'x' * n, [..] * n
}


def limit(name: str) -> float:
    """The limit ``name``: ``DOCGEN_<name>`` from the environment when set to a number, else the default."""
    default = DEFAULTS[name]
    raw = os.environ.get(f"DOCGEN_{name}", "").strip()
    if raw:
        try:
            value = float(raw)
        except ValueError:
            value = 0
        if not value > 0:
            raise DocgenError(f"环境变量 DOCGEN_{name} 应为正数（现为“{raw}”）；不设则用默认值 {default:g}")
        return value
    return default


def env_hint(name: str) -> str:
    """The sentence that tells a user how to raise a limit."""
    return f"如确有需要，可设置环境变量 DOCGEN_{name} 提高上限"
