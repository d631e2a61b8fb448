"""What the console script does before anything else, so that a cold ``docgen render`` starts sooner.

Costs every new process paid for nothing (interleaved measurements in bench/RESULTS.md):

* pydantic's plugin loader: importlib.metadata and a scan of every installed package's entry
  points, although docgen uses no pydantic plugin (:func:`without_pydantic_plugins`);
* PIL.Image, which reportlab imports at once, although only a picture needs it
  (:func:`defer_pil_image`);
* compiling, from the same text as in the last process, the methods ``dataclasses`` generates for
  each class (``__init__``, ``__repr__``, ``__eq__``…, exec'd from source) and every regular
  expression docgen and its libraries use (:class:`CompiledCache`);
* finding each of some 280 modules on ``sys.path`` and reading its ``.pyc`` file, when the last
  process imported the same ones (:class:`ModuleBundle`).

Only the console script calls :func:`prepare` (and :func:`finish` before it ends): ``import docgen``
leaves pydantic, PIL, dataclasses, re and the import system exactly as they are.
"""

from __future__ import annotations

import builtins
import importlib
import marshal
import os
import sys
import types
from importlib.machinery import ModuleSpec, SourceFileLoader
from pathlib import Path


def prepare(command: str = "cli") -> None:
    """``command``: "render" on the console script's quick path, else "cli" (their compiled code
    is kept apart, see :meth:`CompiledCache._file`)."""
    ModuleBundle.install()
    without_pydantic_plugins()
    defer_pil_image()
    CompiledCache.install(command=command)


def hand_over() -> None:
    """The quick path gives up and the full CLI takes the command from here."""
    if CompiledCache.active is not None:
        CompiledCache.active.switch("cli")


def finish() -> None:
    """Before the process ends: keep what this process compiled and imported for the next one."""
    if CompiledCache.active is not None:
        CompiledCache.active.save()
    if ModuleBundle.active is not None:
        ModuleBundle.active.save()


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
    def install(cls, path: Path | None = None, *, command: str = "cli") -> None:
        """Use the file at ``path`` (default: the one for this Python build and ``command`` in the
        cache folder)."""
        import dataclasses

        if cls.active is not None or "exec" in vars(dataclasses):
            return
        try:
            cls.active = active = cls(path or cls._file(command))
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
    def _file(cls, command: str = "cli") -> Path:
        """One file per Python build and per kind of command. A plain render (the console script's
        quick path) keeps some 800 entries; the other commands add their own (Typer, rich, the
        import, check and web code): in one shared file, a render loaded 1,685 entries, 4.5 ms,
        on a machine that had run the test suite."""
        from docgen import cache

        name = f"compiled-{cls.FORMAT}-{command}-{sys.implementation.cache_tag}-{_python_build()}.marshal"
        return cache.folder("code") / name

    def switch(self, command: str) -> None:
        """Keep what this process compiles from now on in ``command``'s file (see :func:`hand_over`):
        what it kept so far is saved where it was, and joins that file's entries."""
        self.save()
        path = self._file(command)
        kept = CompiledCache(path).entries
        for key, value in self.entries.items():
            kept.setdefault(key, value)
        self.path, self.entries, self.compiled = path, kept, 0

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


class ModuleBundle:
    """The compiled code of every pure-Python module a console-script process imported, in one
    file that the next process maps and serves its imports from.

    A cold render imports some 280 such modules. For each one, Python's path finder looks through
    the folders on ``sys.path``, stats the source, then opens and reads its ``__pycache__`` file:
    ≈ 16 ms in all, before any module runs. Here a meta-path finder answers from an index instead
    and the code is unmarshalled straight from the mapped file. The module is otherwise what the
    path finder makes (same ``__file__``, ``__path__`` and ``__cached__``, and a ``SourceFileLoader``
    that reads data and sources from the real files).

    The checks are those of a ``.pyc`` file, and more. Each module's source must have the size and
    mtime (in nanoseconds) it had when recorded, else it is imported as usual. The folders on
    ``sys.path`` and those of the recorded modules must be unchanged (adding, removing or
    installing a module changes its folder; for the working folder, see :func:`_folder_state`),
    else the bundle is not used at all. A file serves only the ``sys.path`` and optimisation
    level it was recorded with (both are in its name and its header); the newest :data:`KEEP`
    such files are kept. At the end, the file is rewritten when this process imported a module it
    did not hold, or found one of its entries stale.
    """

    FORMAT = 3  # in the file's name: bump when the layout changes
    KEEP = 4  # bundle files kept in the folder (one per sys.path a console script ran with)
    LIMIT = 3000  # modules kept; past it, only those this process imported
    active: ModuleBundle | None = None

    # The file: two 8-byte little-endian numbers, the header's offset and length; each module's
    # marshalled code; then the header (marshal): the sys.path key, the folders' state, and per
    # module (origin, is package, source mtime_ns, source size, start, end).

    def __init__(self, path: Path):
        self.path = path
        self.stale = 0  # entries found out of date in this process
        self.before = set(sys.modules)  # imported before the bundle: never asked of it, not recorded
        self.handle = None  # the file read, kept open: a rewrite copies its entries from it
        self.view = memoryview(b"")
        try:
            self.modules = self._read(path)  # name → (origin, is package, mtime_ns, size, start, end)
        except (OSError, EOFError, ValueError, TypeError, KeyError):
            self.modules = {}

    @classmethod
    def install(cls, path: Path | None = None) -> None:
        if cls.active is not None:
            return
        try:
            cls.active = active = cls(path or cls._file())
        except Exception:  # noqa: BLE001 - no cache folder to be found: import as usual
            return
        sys.meta_path.insert(0, active)

    @classmethod
    def _file(cls) -> Path:
        import hashlib

        from docgen import cache

        where = hashlib.sha1(repr(_origin_key()).encode("utf-8", "surrogatepass")).hexdigest()[:10]
        name = f"modules-{cls.FORMAT}-{sys.implementation.cache_tag}-{_python_build()}-{where}.bin"
        return cache.folder("code") / name

    def _read(self, path: Path) -> dict[str, tuple]:
        import mmap

        handle = open(path, "rb")  # noqa: SIM115 - kept open for a rewrite (see _write)
        modules: dict[str, tuple] = {}
        try:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            offset, size = int.from_bytes(data[:8], "little"), int.from_bytes(data[8:16], "little")
            # Refused: a file cut short or grown, another sys.path, a folder changed, or an entry
            # outside the file.
            if 16 <= offset and offset + size == len(data):
                header = marshal.loads(data[offset:])
                if header["path"] == _origin_key() and header["folders"] == _folder_state(header["folders"]) \
                        and all(16 <= entry[4] <= entry[5] <= offset for entry in header["modules"].values()):
                    modules = header["modules"]
        finally:
            if not modules:
                handle.close()
        if modules:
            self.handle, self.view = handle, memoryview(data)
        return modules

    def find_spec(self, fullname: str, path=None, target=None):
        entry = self.modules.get(fullname)
        if entry is None:
            return None
        origin, package = entry[0], entry[1]
        spec = ModuleSpec(fullname, _BundledLoader(fullname, origin, self), origin=origin, is_package=package)
        spec.has_location = True  # __file__ and __cached__, as the path finder sets them
        if package:
            spec.submodule_search_locations = [os.path.dirname(origin)]
        return spec

    def code(self, fullname: str, origin: str) -> types.CodeType | None:
        """The recorded code of ``fullname`` if its source is unchanged, else None."""
        entry = self.modules.get(fullname)
        try:
            stat = os.stat(origin)
        except OSError:
            stat = None
        if entry is None or stat is None or (stat.st_mtime_ns, stat.st_size) != entry[2:4]:
            self.stale += 1
            return None
        try:
            code = marshal.loads(self.view[entry[4]:entry[5]])
        except (EOFError, ValueError, TypeError):
            code = None
        if type(code) is not types.CodeType:
            self.stale += 1
            return None
        return code

    def save(self) -> None:
        """Rewrite the file if this process imported a pure-Python module it did not hold, or
        found one of its entries stale."""
        served: set[str] = set()  # imported here from the file, unchanged
        new: dict[str, tuple[str, bool]] = {}  # imported here from source: (origin, is package)
        before = self.before
        for name, module in list(sys.modules.items()):
            if name in before:
                continue
            spec = getattr(module, "__spec__", None)
            loader = getattr(spec, "loader", None)
            if type(loader) not in (SourceFileLoader, _BundledLoader) or not str(spec.origin).endswith(".py"):
                continue
            entry = self.modules.get(name)
            if entry is not None and entry[0] == spec.origin and getattr(loader, "fresh", False):
                served.add(name)
            else:
                new[name] = (spec.origin, spec.submodule_search_locations is not None)
        if not new and not self.stale:
            return
        if len(self.modules) + len(new) > self.LIMIT:
            kept = {name: self.modules[name] for name in served}
        else:
            kept = {name: entry for name, entry in self.modules.items() if name not in new}
        try:
            self._write(kept, new)
        except Exception:  # noqa: BLE001 - a read-only or full cache only costs speed
            return
        self.stale = 0

    def _write(self, kept: dict[str, tuple], new: dict[str, tuple[str, bool]]) -> None:
        """Write ``kept`` (copied from the file read) and ``new`` (compiled from their sources),
        one module at a time: a rewrite holds no more than one module's code in memory, and
        reads the old entries from the file rather than through the map (whose pages would
        count towards the process's memory)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        index: dict[str, tuple] = {}
        try:
            with open(temp, "wb") as out:
                out.write(bytes(16))
                for name, (origin, package, mtime, size, start, end) in kept.items():
                    chunk = os.pread(self.handle.fileno(), end - start, start)
                    if len(chunk) != end - start:
                        continue
                    index[name] = (origin, package, mtime, size, out.tell(), out.tell() + len(chunk))
                    out.write(chunk)
                for name, (origin, package) in new.items():
                    try:
                        stat = os.stat(origin)
                        chunk = marshal.dumps(SourceFileLoader(name, origin).get_code(name))
                    except Exception:  # noqa: BLE001 - source gone or not compilable: not kept
                        continue
                    index[name] = (origin, package, stat.st_mtime_ns, stat.st_size, out.tell(), out.tell() + len(chunk))
                    out.write(chunk)
                folders = {os.path.dirname(entry[0]) for entry in index.values()}
                folders.update(folder for folder in sys.path if folder and os.path.isdir(folder))
                header = marshal.dumps({"path": _origin_key(), "modules": index,
                                        "folders": _folder_state(sorted(folders))})
                offset = out.tell()
                out.write(header)
                out.seek(0)
                out.write(offset.to_bytes(8, "little") + len(header).to_bytes(8, "little"))
            # Renamed into place but not synced to disk: a file cut short by a crash is refused when read.
            os.replace(temp, self.path)
        finally:
            temp.unlink(missing_ok=True)
        current = f"modules-{self.FORMAT}-"
        files = sorted(self.path.parent.glob("modules-*.bin"), key=_mtime, reverse=True)
        others = [file for file in files if file.name.startswith(current)][self.KEEP:]
        for old in others + [file for file in files if not file.name.startswith(current)]:  # and earlier layouts
            old.unlink(missing_ok=True)


def _folder_state(folders) -> dict[str, object]:
    """What decides the files the import names resolve to, per folder: its mtime, which changes
    when a module is added, removed or installed there. For the first folder on ``sys.path``
    (the working folder of a ``python -m docgen``, or a script's), the names in it that an import
    could find instead (a folder, or a file with an import suffix): an outline saved or an output
    written there does not count."""
    from importlib.machinery import all_suffixes

    first = sys.path[0] if sys.path else None
    suffixes = tuple(all_suffixes())
    state: dict[str, object] = {}
    for folder in folders:
        if folder == first:
            with os.scandir(folder) as entries:
                state[folder] = sorted(entry.name for entry in entries
                                       if entry.name.endswith(suffixes) or entry.is_dir())
        else:
            state[folder] = os.stat(folder).st_mtime_ns
    return state


def _python_build() -> str:
    """The exact Python build, for the names of files holding code objects (specific to it)."""
    import hashlib

    return hashlib.sha1(sys.version.encode()).hexdigest()[:10]


def _origin_key() -> tuple:
    """What decides which file an import name resolves to, and the code compiled from it."""
    return (list(sys.path), sys.flags.optimize)


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


class _BundledLoader(SourceFileLoader):
    """A ``SourceFileLoader`` whose code comes from the bundle while the source is unchanged."""

    def __init__(self, fullname: str, path: str, bundle: ModuleBundle):
        super().__init__(fullname, path)
        self.bundle = bundle
        self.fresh = False  # the code came from the bundle

    def get_code(self, fullname: str):
        code = self.bundle.code(fullname, self.path) if fullname == self.name else None
        if code is None:
            return super().get_code(fullname)
        self.fresh = True
        return code
