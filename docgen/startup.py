"""What the console script does before anything else, so that a cold ``docgen render`` starts sooner.

Costs every new process paid for nothing (interleaved measurements in bench/RESULTS.md):

* pydantic's plugin loader: importlib.metadata and a scan of every installed package's entry
  points, although docgen uses no pydantic plugin (:func:`without_pydantic_plugins`);
* PIL.Image, which reportlab imports at once, although only a picture needs it
  (:func:`defer_pil_image`);
* compiling, from the same text as in the last process, the methods ``dataclasses`` generates for
  each class (``__init__``, ``__repr__``, ``__eq__``…, exec'd from source) and every regular
  expression docgen and its libraries use (:class:`CompiledCache`).

Only the console script calls :func:`prepare` (and :func:`finish` before it ends): ``import docgen``
leaves pydantic, PIL, dataclasses and re exactly as they are.
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
    CompiledCache.install()


def finish() -> None:
    """Before the process ends: keep what this process compiled for the next one."""
    if CompiledCache.active is not None:
        CompiledCache.active.save()


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


def _future_flags(module) -> bool:
    """Whether ``module`` was compiled with a ``from __future__`` import (its builtins inherit it)."""
    import __future__

    return any(isinstance(value, __future__._Feature) for value in vars(module).values())


class CompiledCache:
    """What Python compiles from text the same way in every process, kept from one to the next.

    * ``dataclasses`` builds each method by exec'ing generated source, ``collections.namedtuple``
      evals its ``__new__``, and ``typing`` compiles every string annotation it meets (a
      ``ForwardRef``: pydantic-core's TypedDicts and every model written with postponed annotations).
      ``exec``, ``eval`` and ``compile`` in those three modules are replaced by :meth:`exec`,
      :meth:`eval` and :meth:`compile`, which use the code object compiled from the same text
      before. The modules have no ``__future__`` flags, which is what the builtins would inherit
      there, so the code is the code the builtins would make (a module with flags is left alone).
    * ``re`` turns each pattern into a program for its C matcher, in Python. ``re._compiler.compile``
      is replaced by :meth:`regex`, which hands the matcher the program made from the same pattern
      and flags before (on the Python versions in :data:`REGEX_PYTHONS`, whose ``compile`` it follows).

    A cold render compiles some 440 methods of 90 classes (docgen's, pydantic's, annotated_types'),
    some 920 annotations and some 100 patterns: ≈ 45, 11 and 30 ms. The results live in one marshal file in the cache
    folder, named after the Python build (code objects and matcher programs are specific to it);
    a missing, damaged or unwritable file only costs speed.
    """

    LIMIT = 3000  # entries kept; a file that grows past it keeps only what the last process used
    # A process that compiled fewer new entries than this leaves the file as it is: reportlab builds
    # one pattern from a set, in another order in every process, and rewriting ≈ 0.5 MB each time
    # for it would cost more than compiling it.
    MIN_NEW = 8
    FORMAT = 1  # in the file's name: bump when what an entry holds changes
    REGEX_PYTHONS = ((3, 11),)  # where regex() was checked against re._compiler.compile; others compile as usual
    active: CompiledCache | None = None

    def __init__(self, path: Path):
        self.path = path
        self.entries: dict[tuple, object] = {}
        self.used: set[tuple] = set()
        self.compiled = 0  # entries this process compiled (not found in the file)
        try:
            stored = marshal.loads(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            stored = None
        if isinstance(stored, dict):
            self.entries = stored

    @classmethod
    def install(cls, path: Path | None = None) -> None:
        """Use the file at ``path`` (default: the one for this Python build in the cache folder)."""
        import dataclasses

        if cls.active is not None or "exec" in vars(dataclasses):
            return
        try:
            cls.active = active = cls(path or cls._file())
        except Exception:  # noqa: BLE001 - no cache folder to be found: compile as usual
            return
        import collections
        import typing

        for module, name in ((dataclasses, "exec"), (collections, "eval"), (typing, "compile")):
            if not _future_flags(module):
                setattr(module, name, getattr(active, name))  # a module global wins over the builtin
        if sys.version_info[:2] in cls.REGEX_PYTHONS:
            import _sre
            from re import _compiler, _parser

            active._regex = (_compiler.compile, _parser.parse, _compiler._code, _sre.compile,
                             _compiler.SRE_FLAG_DEBUG)
            _compiler.compile = active.regex

    @classmethod
    def _file(cls) -> Path:
        import hashlib

        from docgen import cache

        build = hashlib.sha1(sys.version.encode()).hexdigest()[:10]  # the exact Python build
        return cache.folder("code") / f"compiled-{cls.FORMAT}-{sys.implementation.cache_tag}-{build}.marshal"

    def _found(self, key: tuple, kind: type):
        value = self.entries.get(key)
        if isinstance(value, kind):
            self.used.add(key)
            return value
        return None

    def _keep(self, key: tuple, value) -> None:
        self.entries[key] = value
        self.used.add(key)
        self.compiled += 1

    def _code(self, source: str, mode: str, filename: str = "<string>") -> types.CodeType:
        key = ("code", mode, filename, source)
        code = self._found(key, types.CodeType)
        if code is None:
            code = compile(source, filename, mode, dont_inherit=True)
            self._keep(key, code)
        return code

    def exec(self, source, globals=None, locals=None, /):  # noqa: A002 - the builtin's parameters
        return self._run(builtins.exec, "exec", source, globals, locals)

    def eval(self, source, globals=None, locals=None, /):  # noqa: A002 - the builtin's parameters
        return self._run(builtins.eval, "eval", source, globals, locals)

    def _run(self, builtin, mode: str, source, globals, locals):  # noqa: A002
        if globals is None:  # the builtin then runs in the namespace of whoever called exec/eval
            caller = sys._getframe(2)
            globals, locals = caller.f_globals, caller.f_locals if locals is None else locals
        return builtin(self._code(source, mode) if type(source) is str else source, globals, locals)

    def compile(self, source, filename, mode, flags=0, dont_inherit=False, optimize=-1, **options):
        if type(source) is str and type(filename) is str and not flags and optimize == -1 and not options:
            return self._code(source, mode, filename)
        return builtins.compile(source, filename, mode, flags, dont_inherit, optimize, **options)

    def regex(self, pattern, flags=0):
        """``re._compiler.compile(pattern, flags)``: the same steps, with the program kept."""
        original, parse, assemble, make_matcher, debug = self._regex
        if type(pattern) not in (str, bytes) or flags & debug:  # exact types: marshal refuses subclasses
            return original(pattern, flags)
        key = ("re", pattern, int(flags))
        program = self._found(key, tuple)
        if program is None:
            parsed = parse(pattern, flags)
            code = [int(op) for op in assemble(parsed, flags)]  # opcodes are an int subclass marshal refuses
            groupindex = dict(parsed.state.groupdict)
            indexgroup = [None] * parsed.state.groups
            for name, index in groupindex.items():
                indexgroup[index] = name
            program = (flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
            self._keep(key, program)
        return make_matcher(pattern, *program)

    def save(self) -> None:
        if self.compiled < self.MIN_NEW:
            return
        entries = self.entries
        if len(entries) > self.LIMIT:
            entries = {key: value for key, value in entries.items() if key in self.used}
        try:
            from docgen.output import write_atomic

            write_atomic(self.path, marshal.dumps(entries))
        except Exception:  # noqa: BLE001 - a read-only or full cache only costs speed
            return
        self.compiled = 0
