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
    # a .docx read by import or check: a zip, judged by its directory before anything inflates
    "DOCX_MAX_UNPACKED": 200 * 2**20,  # all members unpacked (images included)
}

ZIP_MAX_MEMBERS = 10_000
ZIP_MAX_RATIO = 200  # unpacked / packed, for members over 1 MiB; real Office files stay well under 50


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


def zip_problem(members, max_unpacked: float, max_members: int = ZIP_MAX_MEMBERS,
                max_ratio: float = ZIP_MAX_RATIO) -> tuple[str, object] | None:
    """What makes a zip (an Office file) unsafe to inflate, judged from the sizes its directory
    declares (zipfile never inflates a member beyond them): ``("members", count)``,
    ``("unpacked", total bytes)``, ``("ratio", ZipInfo)`` (a “zip bomb”), or None. Callers word it."""
    if len(members) > max_members:
        return "members", len(members)
    total = sum(member.file_size for member in members)
    if total > max_unpacked:
        return "unpacked", total
    for member in members:
        if member.file_size > 2**20 and member.file_size > max_ratio * max(member.compress_size, 1):
            return "ratio", member
    return None


def check_docx_zip(path) -> None:
    """Refuse a .docx whose zip would unpack to far more than any real document, before
    python-docx reads a byte of it (a broken zip is left to the reader's own message)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    problem = zip_problem(members, limit("DOCX_MAX_UNPACKED"))
    if problem is None:
        return
    what, detail = problem
    if what == "ratio":
        message = f"Word 文件的部件 {detail.filename} 压缩比异常，可能是“压缩炸弹”，已拒绝读取"
    elif what == "unpacked":
        message = (f"Word 文件解压后有 {detail / 2**20:.0f} MB，超过上限 {limit('DOCX_MAX_UNPACKED') / 2**20:.0f} MB；"
                   f"{env_hint('DOCX_MAX_UNPACKED')}")
    else:
        message = f"Word 文件内含 {detail} 个部件，超过上限 {ZIP_MAX_MEMBERS}，不像正常的文档"
    raise DocgenError(message, file=str(path))
