"""Results derived from files that rarely change, kept as pickles in the cache folder.

Parsing the base profile, a preset or a framework, and reading a font's vertical metrics, take
tens of milliseconds of a cold ``docgen render`` and give the same result every time. Each entry
lives in ``<cache folder>/<kind>/<key>.pickle`` (the cache folder of :func:`root`,
normally ``~/.cache/docgen/fonts``); the key hashes everything the result depends on (the file's
text or its path, size and mtime, docgen's version and :data:`FORMAT`), so a changed file or a
new docgen simply misses. A missing, damaged or unwritable cache only costs speed.

:class:`Bounded` is the in-memory counterpart for what one process reuses between renders
(laid-out paragraphs, analysed lines): bounded by the total size of its values.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

FORMAT = "1"  # bump when a cached object's class changes shape


def root() -> Path:
    """The cache folder: ``$DOCGEN_FONT_CACHE``, else the user cache (``~/.cache/docgen/fonts``).

    Built fonts live at its top (:func:`docgen.fonts.cache_dir`), everything else in a subfolder per kind."""
    env = os.environ.get("DOCGEN_FONT_CACHE")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("docgen")) / "fonts"


def folder(kind: str) -> Path:
    return root() / kind


def key(*parts: Any) -> str:
    from docgen import __version__

    digest = hashlib.sha256()
    for part in (__version__, FORMAT, *parts):
        digest.update(str(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()[:24]


def file_key(path: Path, *parts: Any) -> str:
    """A key for what is derived from a file: its resolved path, size and mtime."""
    stat = path.stat()
    return key(path.resolve(), stat.st_size, stat.st_mtime_ns, *parts)


def load(kind: str, name: str) -> Any:
    """The cached object, or None."""
    raw = load_raw(kind, name)
    if raw is None:
        return None
    try:
        return pickle.loads(raw)
    except Exception:  # noqa: BLE001 - damaged or foreign: computed again
        return None


def store(kind: str, name: str, value: Any) -> None:
    try:
        raw = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - not picklable: not cached
        return
    store_raw(kind, name, raw)


def load_raw(kind: str, name: str) -> bytes | None:
    try:
        with open(folder(kind) / f"{name}.pickle", "rb") as handle:
            return handle.read()
    except OSError:
        return None


def store_raw(kind: str, name: str, raw: bytes) -> None:
    try:
        from docgen.output import write_atomic

        write_atomic(folder(kind) / f"{name}.pickle", raw)
    except Exception:  # noqa: BLE001 - a read-only or full cache only costs speed
        pass


class Bounded:
    """An in-memory cache whose values' sizes add up to at most ``limit`` (oldest dropped first;
    the newest entry is always kept). ``limit`` is read on every ``put``."""

    def __init__(self) -> None:
        self.entries: dict[Any, tuple[Any, int]] = {}
        self.size = 0

    def __contains__(self, key: Any) -> bool:
        return key in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    def values(self):
        return (value for value, _ in self.entries.values())

    def get(self, key: Any) -> Any:
        entry = self.entries.get(key)
        return None if entry is None else entry[0]

    def put(self, key: Any, value: Any, size: int, limit: int) -> None:
        previous = self.entries.pop(key, None)
        if previous is not None:
            self.size -= previous[1]
        self.entries[key] = (value, size)
        self.size += size
        while self.size > limit and len(self.entries) > 1:
            # pop(…, default): another thread may have dropped it first
            self.size -= self.entries.pop(next(iter(self.entries)), (None, 0))[1]

    def clear(self) -> None:
        self.entries.clear()
        self.size = 0
