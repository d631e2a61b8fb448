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
    store = CompiledCache._file()
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
