"""What the console script does before anything else, so that a cold ``docgen render`` starts sooner.

Three costs every new process paid for nothing (interleaved measurements in bench/RESULTS.md):

* pydantic's plugin loader: importlib.metadata and a scan of every installed package's entry
  points, although docgen uses no pydantic plugin (:func:`without_pydantic_plugins`);
* PIL.Image, which reportlab imports at once, although only a picture needs it
  (:func:`defer_pil_image`);
* compiling the methods ``dataclasses`` generates: every class's ``__init__``, ``__repr__``,
  ``__eq__``… is exec'd from source text, the same text in every process
  (:class:`DataclassCode`).

Only the console script calls :func:`prepare` (and :func:`finish` before it ends): ``import docgen``
leaves pydantic, PIL and dataclasses exactly as they are.
"""

from __future__ import annotations

import builtins
import importlib
import marshal
import sys
import types
from pathlib import Path


def prepare() -> None:
    without_pydantic_plugins()
    defer_pil_image()
    DataclassCode.install()


def finish() -> None:
    """Before the process ends: keep what this process compiled for the next one."""
    if DataclassCode.active is not None:
        DataclassCode.active.save()


def without_pydantic_plugins() -> None:
    """Run this process without pydantic plugins, as ``PYDANTIC_DISABLE_PLUGINS=__all__`` does.

    The first time pydantic builds a validator it looks for plugins: its loader module imports
    importlib.metadata (with email, zipfile, csv …) and reads the entry points of every installed
    package, ≈ 20 ms of a cold render, even with that variable set, since the import comes first.
    docgen uses no plugin, so the loader is replaced, before pydantic is imported, by a module
    that finds none."""
    loader = types.ModuleType("pydantic.plugin._loader")
    loader.get_plugins = lambda: ()  # what pydantic's own loader returns when plugins are disabled
    sys.modules.setdefault("pydantic.plugin._loader", loader)


class _Deferred(types.ModuleType):
    """Stands in for a module in ``sys.modules`` and imports the real one when an attribute is read.

    ``importlib.util.LazyLoader`` does not defer here: the ``import`` statement itself reads the
    module's ``__spec__``, which loads it. This object has its own (``None``), so an import of it
    stays cheap; everything else is read from the real module."""

    def __getattr__(self, name: str):
        if sys.modules.get(self.__name__) is self:
            sys.modules.pop(self.__name__, None)  # the real import then sets it and the parent's attribute
        return getattr(importlib.import_module(self.__name__), name)


def defer_pil_image() -> None:
    """Import PIL.Image when it is first used, not when reportlab is imported.

    ``reportlab.lib.utils`` imports PIL.Image at once (≈ 11 ms of a cold render; PIL.ExifTags alone
    builds an enum of some 300 tags), yet only a picture needs it — a seal or an image in the
    outline. Without Pillow nothing is deferred, so reportlab sees it missing as before."""
    if "PIL.Image" in sys.modules:
        return
    try:
        import PIL
    except ImportError:
        return
    stand_in = _Deferred("PIL.Image")
    sys.modules["PIL.Image"] = stand_in
    PIL.Image = stand_in


class DataclassCode:
    """Compiled code for the methods ``dataclasses`` generates, kept from one process to the next.

    ``dataclasses`` builds each method by exec'ing generated source; compiling it takes ≈ 0.1 ms a
    method, and a cold render defines some 90 classes (docgen's, pydantic's, annotated_types') with
    440 methods: ≈ 45 ms of compiling the same text as last time. ``exec`` in that module is
    replaced by :meth:`exec`, which looks the text up and runs the code object compiled from it
    (``compile`` with the flags exec uses there, so the functions are the ones exec would make).
    The code objects live in one marshal file in the cache folder, named after the Python build
    (code objects are specific to it); a missing, damaged or unwritable file only costs speed.
    """

    LIMIT = 5000  # entries kept; a file that grows past it keeps only what the last process used
    active: DataclassCode | None = None

    def __init__(self, path: Path):
        self.path = path
        self.codes: dict[str, types.CodeType] = {}
        self.used: set[str] = set()
        self.compiled = 0  # texts compiled by this process (not found in the file)
        try:
            stored = marshal.loads(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            stored = None
        if isinstance(stored, dict):
            self.codes = stored

    @classmethod
    def install(cls) -> None:
        import dataclasses

        if cls.active is not None or "exec" in vars(dataclasses):
            return
        try:
            cls.active = cls(cls._file())
        except Exception:  # noqa: BLE001 - no cache folder to be found: compile as usual
            return
        dataclasses.exec = cls.active.exec  # a module global wins over the builtin

    @staticmethod
    def _file() -> Path:
        import hashlib

        from docgen import cache

        build = hashlib.sha1(sys.version.encode()).hexdigest()[:10]  # the exact Python build
        return cache.folder("code") / f"dataclasses-{sys.implementation.cache_tag}-{build}.marshal"

    def exec(self, source, globals=None, locals=None, /):  # noqa: A002 - the builtin's parameters
        if globals is None:  # the builtin then runs in its caller's namespace (dataclasses always passes one)
            caller = sys._getframe(1)
            globals = caller.f_globals
            locals = caller.f_locals if locals is None else locals
        if isinstance(source, str):
            code = self.codes.get(source)
            if not isinstance(code, types.CodeType):
                # No flags inherited: exec compiles with those of its caller, dataclasses, which has none.
                code = compile(source, "<string>", "exec", dont_inherit=True)
                self.codes[source] = code
                self.compiled += 1
            self.used.add(source)
            source = code
        return builtins.exec(source, globals, locals)

    def save(self) -> None:
        if not self.compiled:
            return
        codes = self.codes
        if len(codes) > self.LIMIT:
            codes = {text: code for text, code in codes.items() if text in self.used}
        try:
            from docgen.output import write_atomic

            write_atomic(self.path, marshal.dumps(codes))
        except Exception:  # noqa: BLE001 - a read-only or full cache only costs speed
            return
        self.compiled = 0
