"""Atomic output: a file is either complete or absent, never half-written.

``write_atomic`` writes one file and raises the plain ``OSError`` (the font caches ignore it);
``write_outputs`` writes the files of one document all or nothing and turns every file-system
problem into a Chinese :class:`DocgenError` naming the path and the option that chose it.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from docgen.errors import DocgenError


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then rename it over."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = _write_temp(path, data)
    try:
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def write_outputs(files: dict[Path, bytes], option: str = "-o/--outdir") -> list[Path]:
    """Write several files so that either all of them are new or none changed.

    All temporary files are written first (a full disk or a read-only folder stops here, with
    nothing touched). Then each target is renamed into place; an older file of the same name is
    first moved aside to a backup and put back if a later rename fails, so a failed run leaves the
    folder exactly as it was. Errors name the path and ``option``.
    """
    paths = [Path(path) for path in files]
    temps: dict[Path, Path] = {}
    created: list[Path] = []  # folders made for these files, removed again on failure
    try:
        for path in paths:
            _prepare_target(path, option, created)
            temps[path] = Path(_write_temp(path, files[path]))
    except BaseException as exc:
        _remove(temps.values())
        _remove_folders(created)
        if isinstance(exc, OSError):
            raise output_error(exc, getattr(exc, "filename", None) or path, option) from None
        raise
    try:
        _move_into_place(temps, option)
    except BaseException:
        _remove_folders(created)
        raise
    return paths


def _move_into_place(temps: dict[Path, Path], option: str) -> None:
    placed: list[tuple[Path, Path | None]] = []  # (target, backup of the older file or None)
    try:
        for path, temp in temps.items():
            backup = None
            if path.is_file() or path.is_symlink():
                backup = path.with_name(f".{path.name}.{os.getpid()}.old")
                os.replace(path, backup)
            try:
                os.replace(temp, path)
            except BaseException:
                if backup is not None:
                    os.replace(backup, path)
                raise
            placed.append((path, backup))
    except BaseException as exc:
        for path, backup in reversed(placed):
            if backup is not None:
                os.replace(backup, path)
            else:
                path.unlink(missing_ok=True)
        _remove(temps.values())
        if isinstance(exc, OSError):
            raise output_error(exc, path, option) from None
        raise
    _remove(backup for _, backup in placed if backup is not None)


def check_folder(folder: Path, option: str = "-o/--outdir") -> None:
    """Refuse an output folder that is a file or an unusable path, without creating anything."""
    folder = Path(folder)
    try:
        if folder.exists() and not folder.is_dir():
            raise DocgenError(f"输出目录 {folder} 是一个文件，不是目录；请用 {option} 指定其他目录")
    except OSError as exc:
        raise output_error(exc, folder, option) from None


def prepare_folder(folder: Path, option: str = "-o/--outdir") -> Path:
    """Create ``folder`` if needed and make sure files can be written there (for a batch run, which
    writes many files later); on failure nothing is left behind and the error names ``option``."""
    folder = Path(folder)
    created: list[Path] = []
    try:
        _prepare_target(folder / ".probe", option, created)
        os.unlink(_write_temp(folder / ".probe", b""))
    except OSError as exc:
        _remove_folders(created)
        raise output_error(exc, getattr(exc, "filename", None) or folder, option) from None
    except BaseException:
        _remove_folders(created)
        raise
    return folder


def _prepare_target(path: Path, option: str, created: list[Path]) -> None:
    folder = path.parent
    check_folder(folder, option)
    missing = [folder, *folder.parents]
    missing = missing[:next((i for i, f in enumerate(missing) if f.exists()), len(missing))]
    for part in reversed(missing):
        part.mkdir()
        created.append(part)
    if path.is_dir():
        raise DocgenError(f"输出文件 {path} 已是一个同名目录，无法写入；请改名或移走该目录，或用 {option} 指定其他目录")


def _write_temp(path: Path, data: bytes) -> str:
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual permissions
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return temp


def os_reason(exc: OSError) -> str:
    """The Chinese reason for a file-system error (no permission, disk full, name too long …)."""
    reasons = {
        errno.EACCES: "没有权限", errno.EPERM: "没有权限", errno.EROFS: "位于只读的磁盘或共享上",
        errno.ENOSPC: "所在磁盘空间不足", errno.EDQUOT: "超出磁盘配额", errno.ENAMETOOLONG: "文件名或路径太长",
        errno.ENOTDIR: "路径中有一段是文件而不是目录", errno.EEXIST: "路径中有同名文件，无法建立目录",
        errno.EISDIR: "已是一个同名目录", errno.ENOENT: "不存在或无法在此建立",
        errno.ELOOP: "符号链接循环", errno.EBUSY: "正被占用", errno.EIO: "读写出错（磁盘或网络共享故障）",
    }
    return reasons.get(exc.errno, f"系统错误 {errno.errorcode.get(exc.errno, exc.errno)}")


def output_error(exc: OSError, path, option: str) -> DocgenError:
    """A Chinese error for a file-system failure while writing ``path``."""
    reason = os_reason(exc)
    if exc.errno in (errno.EACCES, errno.EPERM):
        reason = "没有写入权限"
    return DocgenError(f"无法写入 {Path(path)}：{reason}；请用 {option} 指定可写的目录，未写出任何文件")


def _remove_folders(folders: list[Path]) -> None:
    for folder in reversed(folders):
        try:
            folder.rmdir()
        except OSError:
            pass  # not empty or already gone: leave it


def _remove(paths) -> None:
    for path in paths:
        Path(path).unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
