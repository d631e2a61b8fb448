"""Files named inside an outline (table CSVs, seal images) or a batch data cell stay inside.

The rule: a path is resolved against the outline's folder (symlinks followed) and must end up
under that folder, under ``--templates``, or under a folder the user allowed with
``--allow-path DIR`` (library: ``allow_paths=[…]``). An outline received from someone else can
therefore not print ``/etc/os-release`` or ``/proc/self/environ`` into a document. Paths typed on
the command line (``--data``, ``-o``, ``--profile``, ``--font-dir``) are the user's own choice and
are not checked here.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from docgen.errors import OutlineError

ALLOW_OPTION = "--allow-path"


def confine(
    path: str | os.PathLike,
    base_dir: Path,
    allowed: Iterable[Path] = (),
    *,
    field: str | None = None,
    file: str | None = None,
    line: int | None = None,
    column: int | None = None,
    error: type = OutlineError,
) -> Path:
    """``path`` resolved against ``base_dir``; an error unless it lies under ``base_dir`` or ``allowed``.

    ``field``/``file``/``line``/``column`` say where the path was written, for the error message.
    The result is the resolved path: read that, so a symlink cannot be swapped in between.
    """
    place = {"field": field, "file": file, "line": line, "column": column}
    text = str(path).strip()
    if not text:
        raise error("文件路径是空的", **place)
    if "\0" in text:
        raise error("文件路径中含有不可见的空字符（\\0）", **place)
    base = Path(base_dir).resolve()
    target = (base / text).resolve()
    roots = [base, *(Path(root).resolve() for root in allowed)]
    if any(target == root or target.is_relative_to(root) for root in roots):
        return target
    raise error(
        f"文件“{text}”位于提纲所在目录之外（{target}）：提纲中引用的文件只能放在提纲所在目录"
        f"（{base}）或 --templates 目录之下；如确实要用它，请加 {ALLOW_OPTION} {target.parent}",
        **place,
    )


def read_limited(path: Path, max_bytes: int, *, what: str, hint: str = "", error: type = OutlineError,
                 **place) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, or a Chinese error naming ``what``."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise error(f"找不到{what}：{path}", **place) from None
    except OSError as exc:
        raise error(f"无法读取{what}（{exc.strerror}）：{path}", **place) from None
    if stat.S_ISDIR(info.st_mode):
        raise error(f"{what}应是文件，这里是一个目录：{path}", **place)
    if not stat.S_ISREG(info.st_mode):
        raise error(f"{what}应是普通文件（不能是设备或管道）：{path}", **place)
    if info.st_size > max_bytes:
        raise error(f"{what}太大（{info.st_size / 1e6:.1f} MB，上限 {max_bytes / 1e6:g} MB）：{path}"
                    + (f"；{hint}" if hint else ""), **place)
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise error(f"无法读取{what}（{exc.strerror}）：{path}", **place) from None
    if len(data) > max_bytes:  # grew since stat
        raise error(f"{what}太大（上限 {max_bytes / 1e6:g} MB）：{path}" + (f"；{hint}" if hint else ""), **place)
    return data
