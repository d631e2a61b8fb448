"""docgen/startup.py: the code and regex programs kept between processes give the very functions
dataclasses compiles and the very patterns re compiles, and a missing or damaged file only costs speed."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

from docgen.startup import CompiledCache

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "sanxing-sanli-speech.yaml"

# Classes covering what dataclasses generates: frozen, order, slots, defaults and factories,
# keyword-only fields, InitVar with __post_init__, a ClassVar, a subclass.
CLASSES = r'''
import dataclasses, typing
from dataclasses import dataclass, field, InitVar

@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    tags: tuple = ()

@dataclass(order=True, slots=True)
class Pos:
    line: int
    column: int = 1

@dataclass(kw_only=True)
class Box:
    width: float
    items: list = field(default_factory=list)
    kind: typing.ClassVar[str] = "box"

@dataclass
class Scaled:
    size: float
    scale: InitVar[float] = 1.0
    def __post_init__(self, scale):
        self.size *= scale

@dataclass(frozen=True)
class Bold(Span):
    weight: int = 700

values = [Span("一", True), Pos(2, 3) < Pos(2, 4), Box(width=1.5), Scaled(2, 3).size, Bold("二"),
          hash(Span("a")) == hash(Span("a")), repr(Pos(1))]
codes = {name: [(f, getattr(cls, f).__code__.co_code, getattr(cls, f).__code__.co_consts,
                 getattr(cls, f).__annotations__)
                for f in ("__init__", "__repr__", "__eq__") if f in vars(cls)]
         for name, cls in [("Span", Span), ("Pos", Pos), ("Box", Box), ("Scaled", Scaled), ("Bold", Bold)]}
import re
PATTERNS = [(r"(?P<year>\d{4})\s*年", 0), (r"^\s*[（(]([一二三四五六七八九十]{1,3})[）)]", 0), (rb"[\x00-\x1f]+", 0),
            (r"""\A (?P<word> [a-z]+ ) \s* # a comment
             (?:,|$)""", re.VERBOSE | re.IGNORECASE), (r"(?i)x|Y", 0), (r"(a)(b)?(?P<c>c)", re.ASCII)]
matched = [(p.pattern, p.flags, p.groups, p.groupindex, [m.groups() for m in p.finditer(text)])
           for p, text in [(re.compile(pattern, flags), sample) for (pattern, flags), sample in
                           zip(PATTERNS, ["2024 年", "（三）", b"a\x01b", "Hello , x", "yx", "abc ac"])]]
import collections
Point = collections.namedtuple("Point", "x y")  # eval'd __new__
ref = typing.ForwardRef("dict[str, list[Pos]]")  # compiled string annotation

class Hinted:
    size: "typing.Optional[float]"
    spans: "list[Span]"

others = (Point(1, 2), Point.__new__.__code__.co_code, ref.__forward_code__.co_code, ref.__forward_code__.co_consts,
          ref.__forward_code__.co_names, repr(typing.get_type_hints(Hinted)))
print(repr((values, codes, matched, others)))
'''

HOOKED = '''
import sys
from pathlib import Path
from docgen.startup import CompiledCache
CompiledCache.install(Path(sys.argv[1]))
cache = CompiledCache.active
exec(compile(sys.argv[2], "classes", "exec"))
original = getattr(cache, "_regex", (re._compiler.compile,))[0]  # re's own compile, which the cache stands in for
assert all(re.compile(p, f) == original(p, f) for p, f in PATTERNS)  # Pattern == compares the programs
print(cache.compiled, len(cache.entries))
cache.save()
'''


# Regex programs are kept only on the Python versions whose re._compiler.compile the cache follows.
REGEX_KEPT = sys.version_info[:2] in CompiledCache.REGEX_PYTHONS
PATTERNS_COUNTED = range(6 if REGEX_KEPT else 0)


def python(*args: str) -> str:
    done = subprocess.run([sys.executable, "-c", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_kept_code_makes_the_same_classes_as_dataclasses(tmp_path):
    store = tmp_path / "code.marshal"
    plain = python(CLASSES)
    first = python(HOOKED, str(store), CLASSES).splitlines()
    second = python(HOOKED, str(store), CLASSES).splitlines()
    assert first[0] == plain.strip() and second[0] == plain.strip()  # same values, same bytecode
    compiled_first, kept = map(int, first[1].split())
    compiled_second, _ = map(int, second[1].split())
    assert compiled_first == kept >= 15 + len(PATTERNS_COUNTED) + 4  # methods, patterns, annotations, namedtuple
    assert compiled_second == 0  # the second process compiled nothing


def test_a_damaged_file_is_compiled_again(tmp_path):
    store = tmp_path / "code.marshal"
    store.write_bytes(b"\x00not marshal")
    out = python(HOOKED, str(store), CLASSES).splitlines()
    assert out[0] == python(CLASSES).strip()
    assert int(out[1].split()[0]) >= 15
    assert isinstance(marshal.loads(store.read_bytes()), dict)  # rewritten whole


def test_the_console_script_keeps_its_dataclass_code(tmp_path):
    store = CompiledCache._file("render")  # the quick path's file
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_bytes(b"damaged")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DOCGEN_FULL_CLI", None)
    for run in range(2):
        done = subprocess.run([sys.executable, "-m", "docgen", "render", str(EXAMPLE), "-f", "pdf", "-o",
                               str(tmp_path / str(run))], capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        if run == 0:
            kept = marshal.loads(store.read_bytes())
            kinds = [key[1] if key[0] == "code" else key[0] for key in kept]
            assert kinds.count("exec") > 200  # methods of docgen's, pydantic's and annotated_types' classes
            assert kinds.count("eval") > 200  # distinct string annotations (pydantic-core's TypedDicts, models)
            assert kinds.count("re") > (50 if REGEX_KEPT else -1)  # patterns of docgen, ruamel.yaml, jinja2 …
            written = store.stat().st_mtime_ns
    assert store.stat().st_mtime_ns == written  # nothing new to keep: not written again
    name = f"{EXAMPLE.stem}.pdf"
    assert (tmp_path / "0" / name).read_bytes() == (tmp_path / "1" / name).read_bytes()
    import _sre
    import re._compiler

    for key, program in kept.items():  # every kept program is the one re compiles here
        if key[0] == "re":
            assert _sre.compile(key[1], *program) == re._compiler.compile(key[1], key[2]), key


# A process that imports a small package through the module bundle at sys.argv[1] and prints what
# a user of the modules sees; the package lives in sys.argv[2].
BUNDLED = '''
import sys
sys.path.insert(0, sys.argv[2])
from pathlib import Path
from docgen.startup import ModuleBundle
ModuleBundle.install(Path(sys.argv[1]))
import pkgx.mod
from pkgx import mod
print(mod.VALUE, mod.shout("a"), Path(mod.__file__).name, Path(mod.__cached__).parent.name,
      [Path(p).name for p in sys.modules["pkgx"].__path__], mod.__spec__.loader.get_data(mod.__file__)[:8])
print(type(mod.__spec__.loader).__name__, getattr(mod.__spec__.loader, "fresh", None))
ModuleBundle.active.save()
'''


def _package(root: Path, value: str) -> Path:
    (root / "pkgx").mkdir(parents=True, exist_ok=True)
    (root / "pkgx" / "__init__.py").write_text("", encoding="utf-8")
    (root / "pkgx" / "mod.py").write_text(f"VALUE = {value!r}\ndef shout(text):\n    return text.upper() + '!'\n",
                                          encoding="utf-8")
    return root


def _bundled(store: Path, packages: Path) -> list[str]:
    return python(BUNDLED, str(store), str(packages)).splitlines()


def test_the_bundle_serves_unchanged_modules_and_reads_changed_ones_again(tmp_path):
    packages, store = _package(tmp_path / "src", "一"), tmp_path / "modules.bin"
    first = _bundled(store, packages)
    assert first[0] == "一 A! mod.py __pycache__ ['pkgx'] b'VALUE = '"
    assert first[1] == "SourceFileLoader None"  # nothing recorded yet
    written = store.stat().st_mtime_ns
    second = _bundled(store, packages)
    assert second == [first[0], "_BundledLoader True"]  # the same module, its code from the bundle
    assert store.stat().st_mtime_ns == written  # nothing new: not rewritten
    # A changed source (another size and mtime) is imported as usual, then recorded again.
    (packages / "pkgx" / "mod.py").write_text("VALUE = '二三'\ndef shout(text):\n    return text * 2\n", encoding="utf-8")
    changed = _bundled(store, packages)
    assert changed == ["二三 aa mod.py __pycache__ ['pkgx'] b'VALUE = '", "_BundledLoader False"]
    assert _bundled(store, packages) == [changed[0], "_BundledLoader True"]


def test_a_changed_folder_or_sys_path_turns_the_bundle_off(tmp_path):
    packages, store = _package(tmp_path / "src", "一"), tmp_path / "modules.bin"
    _bundled(store, packages)
    assert _bundled(store, packages)[1] == "_BundledLoader True"
    # A module added beside it could now be what an import means: the whole bundle is set aside.
    (packages / "pkgx" / "mod2.py").write_text("", encoding="utf-8")
    assert _bundled(store, packages)[1] == "SourceFileLoader None"
    assert _bundled(store, packages)[1] == "_BundledLoader True"  # recorded again
    # In a folder on sys.path (a ``python -m`` working folder) only importable names count: an
    # outline saved there changes nothing, a new module or package does.
    (packages / "提纲.yaml").write_text("title: 测试\n", encoding="utf-8")
    (packages / "outputs").with_suffix(".pdf").write_bytes(b"%PDF")
    assert _bundled(store, packages)[1] == "_BundledLoader True"
    (packages / "newmod.py").write_text("", encoding="utf-8")
    assert _bundled(store, packages)[1] == "SourceFileLoader None"
    # Another folder first on sys.path: an import name may resolve elsewhere.
    other = _package(tmp_path / "other", "别处")
    first_other = BUNDLED.replace("sys.path.insert(0, sys.argv[2])", "sys.path[:0] = [sys.argv[3], sys.argv[2]]")
    assert first_other != BUNDLED
    out = python(first_other, str(store), str(packages), str(other))
    assert out.splitlines() == ["别处 A! mod.py __pycache__ ['pkgx'] b'VALUE = '", "SourceFileLoader None"]


def test_a_damaged_or_cut_short_bundle_only_costs_speed(tmp_path):
    packages, store = _package(tmp_path / "src", "一"), tmp_path / "modules.bin"
    first = _bundled(store, packages)
    whole = store.read_bytes()
    for damaged in (b"\x00not a bundle", whole[:-5], whole[:len(whole) // 2], whole + b"x"):
        store.write_bytes(damaged)
        assert _bundled(store, packages) == first  # imported as usual, and the file written again
        assert store.read_bytes() == whole


def test_the_console_script_imports_from_its_bundle(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DOCGEN_FULL_CLI", None)
    work = tmp_path / "work"  # ``python -m`` puts the working folder first on sys.path: nothing is written there
    work.mkdir()
    outputs, written = [], None
    for run in range(3):
        done = subprocess.run([sys.executable, "-m", "docgen", "render", str(EXAMPLE), "-f", "pdf", "-o",
                               str(tmp_path / str(run))], capture_output=True, text=True, env=env, timeout=120,
                              cwd=work)
        assert done.returncode == 0, done.stderr
        outputs.append((tmp_path / str(run) / f"{EXAMPLE.stem}.pdf").read_bytes())
        if run == 1:
            # The file for that sys.path.
            where = subprocess.run([sys.executable, "-c", f"import sys; sys.path[0] = {str(work)!r}; "
                                    "from docgen.startup import ModuleBundle; print(ModuleBundle._file())"],
                                   capture_output=True, text=True, env=env, cwd=work, timeout=60)
            store = Path(where.stdout.strip())
            written = store.stat().st_mtime_ns
    assert outputs[0] == outputs[1] == outputs[2]
    assert store.stat().st_mtime_ns == written  # the third run found every module it imports
    data = store.read_bytes()
    names = set(marshal.loads(data[int.from_bytes(data[:8], "little"):])["modules"])  # the header at the end
    assert {"reportlab.pdfgen.canvas", "pydantic.main", "jinja2.environment", "docgen.layout.pages"} <= names


def test_importing_docgen_adds_no_finder():
    done = subprocess.run([sys.executable, "-c", "import sys, docgen.api, docgen.entry; print(len(sys.meta_path))"],
                          capture_output=True, text=True, timeout=120)
    bare = subprocess.run([sys.executable, "-c", "import sys; print(len(sys.meta_path))"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == bare.stdout


def test_a_render_and_the_other_commands_keep_their_code_apart(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DOCGEN_FULL_CLI", None)
    render, cli = CompiledCache._file("render"), CompiledCache._file("cli")
    assert render != cli
    for path in (render, cli):
        path.unlink(missing_ok=True)

    def docgen(*args: str, code: int = 0) -> None:
        done = subprocess.run([sys.executable, "-m", "docgen", *args], capture_output=True, text=True, env=env,
                              timeout=120)
        assert done.returncode == code, done.stderr

    docgen("render", str(EXAMPLE), "-f", "pdf", "-o", str(tmp_path))
    docgen("render", str(EXAMPLE), "-f", "pdf", "-o", str(tmp_path))
    written = render.stat().st_mtime_ns
    # The quick path hands a missing outline over to the full CLI (Typer, rich): their code is
    # kept in the other file, as every other command's is.
    docgen("render", str(tmp_path / "missing.yaml"), "-f", "pdf", "-o", str(tmp_path), code=2)
    docgen("render", "--help")
    assert render.stat().st_mtime_ns == written
    kept_render, kept_cli = (set(marshal.loads(path.read_bytes())) for path in (render, cli))
    assert len(kept_cli - kept_render) > 30
