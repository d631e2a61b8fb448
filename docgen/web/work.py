"""The work behind each API call, run in a render process (:mod:`docgen.web.pool`).

Every function takes and returns plain data (bytes, str, dict, list) and does all its file work in
the request's temporary folder (``mkdtemp``, made and removed by the caller, also when a process
over its time is killed): nothing is read outside that
folder (the outline's path rule confines ``csv:``/``印章`` files to it) and nothing is kept
between requests. Uploads are data: they are parsed, never run.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from docgen.errors import DocgenError
from docgen.limits import zip_problem

DRAFT_TYPES = (".txt", ".md", ".docx", ".pdf")  # .doc/.wps would need LibreOffice: not on a server
CHECK_TYPES = (".docx", ".yaml", ".yml", ".txt", ".md")
DATA_TYPES = (".csv", ".xlsx")
PROFILE_PRESETS = {"gbt9704": None, "windows": "windows"}
ARCHIVE_MAX_UNPACKED = 100 * 2**20  # a .docx/.xlsx upload, all members unpacked


class WebError(DocgenError):
    """A user mistake with the HTTP status it answers with (DocgenError → 400 by default)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status

    def __reduce__(self):  # crosses the process boundary with its status
        return (WebError, (str(self), self.status))


@contextmanager
def request_folder():
    """A private temporary folder for one request, removed afterwards whatever happens."""
    folder = Path(tempfile.mkdtemp(prefix="docgen-serve-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


_ALLOW_PATH_HINT = re.compile(r"；如确实要用它，请加 --allow-path \S+")


def scrub(message: str, folder: Path) -> str:
    """A message without the server's temporary folder, and without the CLI's --allow-path hint
    (the page has no such option)."""
    message = message.replace(f"{folder}/", "").replace(str(folder), "上传的文件夹")
    return _ALLOW_PATH_HINT.sub("", message)


# --- uploads -------------------------------------------------------------------------------------
def safe_name(filename: str | None, default: str) -> str:
    """The upload's base name only (no folders, no hidden files), keeping its suffix."""
    name = Path((filename or "").replace("\\", "/")).name.strip().lstrip(".")
    return name[:100] or default


def check_suffix(name: str, allowed: tuple[str, ...], what: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in allowed:
        shown = "、".join(allowed)
        hint = "；.doc/.wps 请先在 Word/WPS 中另存为 .docx" if suffix in (".doc", ".wps", ".rtf", ".odt") else ""
        raise WebError(f"不支持的{what}格式“{suffix or '无扩展名'}”；可上传：{shown}{hint}", 415)
    return suffix


def check_content(name: str, data: bytes) -> None:
    """Refuse what is not what its name says: a .docx/.xlsx that is not a zip (or a zip bomb), a
    .pdf without the PDF signature, a text file that is binary."""
    suffix = Path(name).suffix.lower()
    if not data:
        raise WebError(f"上传的文件“{name}”是空的")
    if suffix in (".docx", ".xlsx"):
        check_archive(name, data)
    elif suffix == ".pdf":
        if not data[:1024].lstrip().startswith(b"%PDF-"):
            raise WebError(f"“{name}”不是 PDF 文件（缺少 %PDF 文件头）", 415)
    elif b"\x00" in data[:65536]:
        raise WebError(f"“{name}”不是文本文件（含有二进制内容）；请上传 UTF-8 或 GBK 编码的文字", 415)


def check_archive(name: str, data: bytes) -> None:
    """An OOXML file is a zip: judge it by the sizes its directory declares (zipfile never inflates
    a member beyond them) before python-docx/openpyxl read a byte."""
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise WebError(f"“{name}”已损坏或不是 Office 文件（不是有效的 zip 包）", 415) from None
    problem = zip_problem(members, ARCHIVE_MAX_UNPACKED)
    if problem is None:
        return
    what, detail = problem
    if what == "ratio":
        raise WebError(f"“{name}”的部件 {detail.filename} 压缩比异常，可能是“压缩炸弹”，已拒绝读取", 413)
    total = sum(m.file_size for m in members)
    raise WebError(f"“{name}”解压后过大（{total / 2**20:.0f} MB），超过上限 "
                   f"{ARCHIVE_MAX_UNPACKED // 2**20} MB，已拒绝读取", 413)


def save_upload(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


# --- JSON-safe values ---------------------------------------------------------------------------
def plain(value):
    """ruamel/pydantic values → JSON types (dates as ISO text)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    return str(value)  # str subclasses (ruamel scalars, 文号) as plain text


def findings_json(findings) -> list[dict]:
    from docgen.lint.registry import SEVERITY_LABELS

    out = []
    for f in findings:
        item = f.to_json()
        item.pop("file", None)  # a temporary path, meaningless to the user
        item["label"] = SEVERITY_LABELS.get(f.severity, f.severity)
        out.append(item)
    return out


YAML_HEADER = "# 由 docgen 网页版生成的提纲；可用 docgen render 本文件 -f docx -f pdf 重新生成\n"


def outline_yaml(outline: dict) -> str:
    """The outline as docgen writes imported ones (canonical order, ``|`` blocks), headed by a
    comment saying where it came from."""
    from docgen.ingest import ImportResult

    text = ImportResult(outline=outline, findings=[]).yaml()
    body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))
    return YAML_HEADER + body


# --- import ----------------------------------------------------------------------------------------
def import_upload(folder: Path, filename: str | None, data: bytes, kind: str | None = None) -> dict:
    """A draft (uploaded file or pasted text) → outline, its YAML (checked by the loader, with the
    guesses listed in its comments, as ``docgen import`` writes it) and the import findings."""
    from docgen.api import write_imported

    name = safe_name(filename, "稿子.txt")
    check_suffix(name, DRAFT_TYPES, "稿子")
    check_content(name, data)
    path, result = write_imported(save_upload(folder, name, data), folder / "提纲.yaml", kind=kind or None)
    return {"outline": plain(result.outline), "yaml": path.read_text(encoding="utf-8"),
            "findings": findings_json(result.findings)}


# --- render ----------------------------------------------------------------------------------------
def parse_outline(folder: Path, outline: dict | None, yaml_text: str | None) -> Path:
    """The outline (edited dict, or YAML text from the editor) as ``folder/提纲.yaml``."""
    path = folder / "提纲.yaml"
    if yaml_text is not None and yaml_text.strip():
        path.write_text(yaml_text, encoding="utf-8")
    elif outline:
        path.write_text(outline_yaml(outline), encoding="utf-8")
    else:
        raise WebError("没有提纲：请先粘贴文字、上传稿子或填写提纲")
    return path


def loaded_dict(path: Path) -> dict:
    from docgen.api import load_outline

    loaded = load_outline(path)
    return plain({"kind": loaded.outline.kind, **loaded.outline.model_dump(exclude_unset=True)})


def profile_for(folder: Path, preset: str | None, profile_yaml: str | None):
    """The style profile: a shipped preset, or an uploaded unit profile that may not name fonts."""
    from docgen.api import load_profile

    if profile_yaml and profile_yaml.strip():
        path = folder / "样式.yaml"
        path.write_text(profile_yaml, encoding="utf-8")
        profile = load_profile(path)
        if profile.font_files:
            raise WebError("上传的样式文件不能指定字体文件（font_files）：网页版只使用服务器已安装的字体")
        return profile
    if preset not in (None, "", *PROFILE_PRESETS):
        raise WebError(f"不认识的样式方案“{preset}”；可选：gbt9704（国标）、windows（Windows 字体）")
    return load_profile(PROFILE_PRESETS.get(preset or "gbt9704"))


def extract_templates(folder: Path, data: bytes) -> Path:
    """User templates uploaded as a .zip (only with ``--allow-templates``), unpacked safely."""
    import io

    check_archive("模板.zip", data)
    target = folder / "模板"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            parts = Path(member.filename.replace("\\", "/")).parts
            if member.is_dir() or not parts or ".." in parts or parts[0] in ("/", ""):
                continue
            out = target.joinpath(*parts)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(archive.read(member))
    target.mkdir(exist_ok=True)
    return target


def render_outline(folder: Path, request: dict) -> dict:
    """Outline (+ edits) → the edited outline, its structure with findings, .docx/.pdf bytes and
    PNG pages. ``request`` holds: outline | yaml, edits, preset | profile_yaml, templates_zip,
    import_findings, preview_scale, preview_pages."""
    from docgen.api import build_document, encode
    from docgen.lint import lint
    from docgen.web.structure import apply_edits, structure

    path = parse_outline(folder, request.get("outline"), request.get("yaml"))
    outline = loaded_dict(path)
    if request.get("edits"):
        outline = apply_edits(outline, request["edits"])
        path.write_text(outline_yaml(outline), encoding="utf-8")
        outline = loaded_dict(path)
    profile = profile_for(folder, request.get("preset"), request.get("profile_yaml"))
    templates = extract_templates(folder, request["templates_zip"]) if request.get("templates_zip") else None
    document, profile = build_document(path, profile=profile, templates=templates)
    notices: list[str] = []
    files = {fmt: encode(fmt, document, profile, None, notices.append) for fmt in ("docx", "pdf")}
    page_count, pages = preview(files["pdf"], request.get("preview_scale", 1.0), int(request.get("preview_pages", 40)))
    kept = [f for f in request.get("import_findings") or [] if f.get("code") != "L001"]
    lint_findings = findings_json(lint(document))
    return {
        "outline": outline,
        "yaml": path.read_text(encoding="utf-8"),
        "structure": structure(outline, kept + lint_findings),
        "notices": notices,
        "files": files,
        "pages": pages,
        "page_count": page_count,
    }


def preview(pdf: bytes, scale: float, limit: int) -> tuple[int, list[bytes]]:
    """The page count and PNGs of the first ``limit`` pages of docgen's own PDF, drawn by
    pypdfium2 as :func:`docgen.api.preview_pages` does, but in 16 colours (the red 版头 kept) and
    without PNG optimisation: a quarter of the bytes to send and of the time."""
    import io

    import pypdfium2 as pdfium
    from PIL import Image

    document = pdfium.PdfDocument(pdf)
    pages = []
    for index in range(min(len(document), limit)):
        image = document[index].render(scale=scale).to_pil().quantize(colors=16, method=Image.Quantize.FASTOCTREE)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        pages.append(buffer.getvalue())
    return len(document), pages


# --- check -----------------------------------------------------------------------------------------
def check_upload(folder: Path, filename: str | None, data: bytes, preset: str | None = None,
                 profile_yaml: str | None = None) -> dict:
    """``docgen check`` on one uploaded .docx, outline or text draft."""
    from docgen.api import check

    name = safe_name(filename, "稿子.txt")
    check_suffix(name, CHECK_TYPES, "待检查文件")
    check_content(name, data)
    profile = profile_for(folder, preset, profile_yaml)
    result = check([save_upload(folder, name, data)], profile=profile)
    if result.unreadable:
        raise WebError("；".join(result.unreadable.values()))
    return {"findings": findings_json(result.findings), "errors": result.errors}


# --- batch -----------------------------------------------------------------------------------------
def batch_zip(folder: Path, outline_yaml_text: str, data_name: str | None, data: bytes, *, formats=("docx",),
              name_pattern: str = "{序号}", preset: str | None = None, profile_yaml: str | None = None,
              workers: int = 2, row_timeout: float = 60.0, max_rows: int = 1000, progress=None) -> dict:
    """``docgen batch`` in a private folder → zip bytes (documents + batch-report.csv) and the
    per-row results (the same reasons as the CLI's report)."""
    import io

    from docgen.api import FORMATS
    from docgen.batch import Job, run_batch

    name = safe_name(data_name, "数据.csv")
    check_suffix(name, DATA_TYPES, "数据表")
    check_content(name, data)
    formats = tuple(dict.fromkeys(formats)) or ("docx",)
    if any(f not in FORMATS for f in formats):
        raise WebError(f"不支持的格式；可用：{'、'.join(FORMATS)}")
    outline = folder / "提纲.yaml"
    outline.write_text(outline_yaml_text, encoding="utf-8")
    profile = None
    if profile_yaml or preset:
        profile_for(folder, preset, profile_yaml)  # validated here: font_files refused
        profile = folder / "样式.yaml" if profile_yaml else PROFILE_PRESETS.get(preset)
    job = Job(outline=outline, formats=formats, outdir=folder / "out", profile=profile)
    outcome = run_batch(job, save_upload(folder, name, data), name_pattern=name_pattern, workers=workers,
                        row_timeout=row_timeout, max_rows=max_rows, progress=progress)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(job.outdir.iterdir()):
            if file.is_file() and not file.name.startswith("."):
                archive.write(file, file.name)
    results = [{"row": r.row, "index": r.index, "name": r.name, "status": r.status, "reason": r.reason,
                "files": [Path(f).name for f in r.files], "findings": r.findings} for r in outcome.results]
    return {"zip": buffer.getvalue(), "results": results,
            "succeeded": len(outcome.succeeded), "failed": len(outcome.failed)}
