"""The FastAPI application: one static page (``/``), its JSON API (``/api/…``) and the OpenAPI page
(``/docs``), all served from the package — nothing from a CDN.

Every error leaves as JSON ``{"error": "<中文>", "status": n}``: user mistakes 4xx, busy 503,
over time 504; a bug is logged here and answered with a one-line Chinese 500, never a traceback.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import tempfile
import threading
import time
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Optional

from fastapi import Body, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from docgen import __version__
from docgen.errors import DocgenError
from docgen.web import work
from docgen.web.settings import Settings
from docgen.web.structure import structure

log = logging.getLogger("docgen.serve")
STATIC = Path(__file__).with_name("static")
CSP = ("default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; form-action 'self'")
HTTP_MESSAGES = {404: "没有这个页面或接口", 405: "该接口不支持这种请求方法", 413: "上传的内容太大"}


# --- request models (documented on /docs) -----------------------------------------------------------
class Edit(BaseModel):
    op: str = Field(description="kind（改类型）、level（改标题层级）、set（改字段）")
    path: Optional[str] = Field(None, description="level/set：如 sections.1.points.0、title、sections.0.heading")
    level: Optional[int] = Field(None, description="level：1 一级标题“一、”，2 二级标题“（一）”")
    kind: Optional[str] = Field(None, description="kind：speech、notice、report")
    value: Any = Field(None, description="set：新值；名单类字段每行一项；空值删除该字段")


class RenderRequest(BaseModel):
    outline: Optional[dict] = Field(None, description="提纲（/api/import 返回的 outline，或上次 /api/render 返回的）")
    yaml: Optional[str] = Field(None, description="提纲 YAML 文本（写了则不用 outline）")
    edits: list[Edit] = Field(default_factory=list, description="依次应用的修改")
    preset: Optional[str] = Field("gbt9704", description="样式方案：gbt9704（国标，默认）或 windows（Windows 字体）")
    profile_yaml: Optional[str] = Field(None, description="单位样式文件（YAML 文本）；不能指定字体文件")
    templates_zip: Optional[str] = Field(None, description="自定义模板目录的 zip（base64），需服务端 --allow-templates")
    import_findings: list[dict] = Field(default_factory=list, description="/api/import 返回的 findings，放回结构中对应位置")


# --- the app -------------------------------------------------------------------------------------
def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        if app.state.pool is not None:
            app.state.pool.close()

    app = FastAPI(
        lifespan=lifespan,
        title="docgen 公文排版",
        version=__version__,
        description="粘贴或上传稿子，按 GB/T 9704-2012 排版，下载 Word 和 PDF。本页列出网页所用的 JSON 接口。",
        docs_url=None, redoc_url=None,
    )
    # Swagger UI from swagger-ui-bundle (4.x) reads OpenAPI 3.0 documents; the schemas are the same
    app.openapi_version = "3.0.3"
    app.state.settings = settings
    app.state.pool = None
    app.state.batches = 0
    app.add_middleware(Guard, limit=settings.max_bytes)
    _install_errors(app)
    _install_pages(app)
    _install_api(app, settings)

    return app


def pool_of(app: FastAPI):
    if app.state.pool is None:
        from docgen.web.pool import RenderPool

        app.state.pool = RenderPool(app.state.settings)
    return app.state.pool


def error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message, "status": status}, status_code=status)


class TooLarge(Exception):
    """The request body grew past the limit while it was read (a chunked upload)."""


def too_large_message(limit: int) -> str:
    return f"上传的内容太大（超过 {limit / 2**20:g} MB）；请拆分后再试（管理员可用 DOCGEN_SERVE_MAX_BYTES 调整）"


class Guard:
    """ASGI middleware: refuse a body over the limit (413) — by its Content-Length at once, or by
    counting a chunked one as it arrives — and add the security headers to every response."""

    HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
               (b"referrer-policy", b"no-referrer")]

    def __init__(self, app, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *self.HEADERS]}
            await send(message)

        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            return await error(too_large_message(self.limit), 413)(scope, receive, send_with_headers)
        received = 0

        async def counted():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise TooLarge
            return message

        await self.app(scope, counted, send_with_headers)


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(TooLarge)
    async def too_large(request: Request, exc: TooLarge):
        return error(too_large_message(app.state.settings.max_bytes), 413)

    @app.exception_handler(DocgenError)
    async def user_error(request: Request, exc: DocgenError):
        return error(str(exc), getattr(exc, "status", 400))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        parts = []
        for item in exc.errors()[:5]:
            where = ".".join(str(p) for p in item.get("loc", ()) if p not in ("body", "query", "form"))
            parts.append(f"{where or '请求'}：{_validation_reason(item)}")
        return error("请求的内容不对：" + "；".join(parts), 422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if isinstance(exc.__cause__, TooLarge):  # FastAPI wraps errors while reading a body
            return error(too_large_message(app.state.settings.max_bytes), 413)
        message = HTTP_MESSAGES.get(exc.status_code)
        if exc.status_code == 400 and "maximum size" in str(exc.detail):
            message = "表单中的文字超过 1 MB；请把稿子保存为文件后上传"
        if message is None:
            message = f"请求无法处理（{exc.status_code}）" if exc.status_code != 400 else "请求的格式不对（上传的表单无法解析）"
        return error(message, exc.status_code)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception):
        log.exception("internal error in %s", request.url.path)
        name = type(exc).__name__
        if name == "ProcessExpired":
            return error("处理进程意外退出（文件可能过于复杂）；请检查稿子后重试", 422)
        return error(f"内部错误（{name}）：服务器遇到了意外情况，请把操作步骤告诉维护者", 500)


def _validation_reason(item: dict) -> str:
    kind = item.get("type", "")
    return {"missing": "缺少必填项", "json_invalid": "不是有效的 JSON", "dict_type": "应为对象",
            "list_type": "应为列表", "string_type": "应为文字", "int_parsing": "应为整数",
            "model_attributes_type": "应为对象"}.get(kind, "格式不对")


def _install_pages(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    try:
        import swagger_ui_bundle

        app.mount("/docs-assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-assets")
        have_swagger = True
    except ImportError:
        have_swagger = False

    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return Response(status_code=204)

    @app.get("/docs", include_in_schema=False)
    def docs():
        if not have_swagger:
            return error("接口说明页需要 swagger-ui-bundle：pip install 'docgen[serve]'；JSON 见 /openapi.json", 404)
        return HTMLResponse(DOCS_PAGE)


DOCS_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>docgen 接口说明</title>
<link rel="stylesheet" href="/docs-assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs-assets/swagger-ui-bundle.js"></script>
<script src="/static/docs-init.js"></script></body></html>
"""


# --- the JSON API ------------------------------------------------------------------------------
def _install_api(app: FastAPI, settings: Settings) -> None:
    @app.get("/api/schema", summary="提纲字段说明、样例和服务端上限")
    def schema():
        from docgen.outline.schema import LABELS

        starters = {k: (resources.files("docgen") / "starters" / f"{k}.yaml").read_text(encoding="utf-8")
                    for k in ("speech", "notice", "report")}
        return {"labels": LABELS, "starters": starters, "max_bytes": settings.max_bytes,
                "timeout": settings.timeout, "allow_templates": settings.allow_templates,
                "presets": {"gbt9704": "GB/T 9704-2012（默认）", "windows": "Windows 字体（仿宋_GB2312 等）"},
                "version": __version__}

    @app.post("/api/import", summary="导入稿子：粘贴的文字或上传的 .docx/.txt/.md/.pdf → 提纲和推测")
    async def import_(
        file: Annotated[Optional[UploadFile], File(description="稿子文件：.docx、.txt、.md、.pdf")] = None,
        text: Annotated[Optional[str], Form(description="粘贴的文字（不上传文件时）")] = None,
        kind: Annotated[Optional[str], Form(description="类型：speech、notice、request、report；不写则自动判断")] = None,
    ):
        if file is not None and file.filename:
            name, data = file.filename, await file.read()
        elif text and text.strip():
            name, data = "粘贴的文字.txt", text.encode("utf-8")
        else:
            raise work.WebError("请粘贴文字或选择要上传的稿子")
        result = await pool_of(app).run(work.import_upload, name, data, kind)
        result["structure"] = structure(result["outline"], result["findings"])
        return result

    @app.post("/api/render", summary="生成：提纲（可带修改）→ 结构、各页预览图、.docx 和 .pdf（base64）")
    async def render(
        request: Annotated[RenderRequest, Body()],
        download: Annotated[Optional[str], Query(description="docx、pdf 或 yaml：直接返回该文件而不是 JSON")] = None,
    ):
        if download not in (None, "docx", "pdf", "yaml"):
            raise work.WebError("download 只能是 docx、pdf 或 yaml")
        job = request.model_dump()
        job["edits"] = [e.model_dump(exclude_none=True) for e in request.edits]
        if job.get("templates_zip"):
            if not settings.allow_templates:
                raise work.WebError("服务端未允许自定义模板（启动时加 --allow-templates）", 403)
            try:
                job["templates_zip"] = base64.b64decode(job["templates_zip"], validate=True)
            except ValueError:
                raise work.WebError("templates_zip 应为 zip 文件的 base64") from None
        job["preview_scale"] = settings.preview_scale
        job["preview_pages"] = settings.preview_pages
        result = await pool_of(app).run(work.render_outline, job)
        if download:
            return _download(result, download)
        b64 = lambda data: base64.b64encode(data).decode("ascii")  # noqa: E731
        return {
            "outline": result["outline"], "yaml": result["yaml"], "structure": result["structure"],
            "notices": result["notices"], "page_count": result["page_count"],
            "pages": [b64(p) for p in result["pages"]],
            "docx": b64(result["files"]["docx"]), "pdf": b64(result["files"]["pdf"]),
            "name": file_stem(result["outline"]),
        }

    @app.post("/api/check", summary="检查：上传的 .docx、提纲或文字稿对照 GB/T 9704 的问题")
    async def check(
        file: Annotated[UploadFile, File(description=".docx、.yaml、.txt、.md")],
        preset: Annotated[Optional[str], Form()] = None,
        profile: Annotated[Optional[UploadFile], File(description="单位样式文件（YAML）")] = None,
    ):
        profile_yaml = await _text_of(profile)
        return await pool_of(app).run(work.check_upload, file.filename, await file.read(), preset, profile_yaml)

    @app.post("/api/batch", summary="批量生成：提纲 + CSV/XLSX 数据表 → zip（每行一份文档和 batch-report.csv）")
    async def batch(
        outline: Annotated[UploadFile, File(description="提纲（YAML），可用 {{ 列名 }} 引用数据列")],
        data: Annotated[UploadFile, File(description="数据表：.csv（UTF-8/GBK）或 .xlsx，第 1 行为列名")],
        formats: Annotated[list[str], Form(description="docx、pdf，可写多次")] = ["docx"],  # noqa: B006
        name: Annotated[str, Form(description="文件名模式，如 {序号}-{单位}")] = "{序号}",
        preset: Annotated[Optional[str], Form()] = None,
        profile: Annotated[Optional[UploadFile], File()] = None,
        stream: Annotated[bool, Query(description="true：以 NDJSON 逐行返回进度，最后一行带 zip（base64）")] = False,
    ):
        outline_text = await _text_of(outline)
        if not outline_text:
            raise work.WebError("请上传提纲文件（YAML）")
        args = dict(outline_yaml_text=outline_text, data_name=data.filename, data=await data.read(),
                    formats=tuple(formats), name_pattern=name, preset=preset, profile_yaml=await _text_of(profile),
                    workers=settings.batch_workers, row_timeout=min(60.0, settings.batch_timeout),
                    max_rows=settings.batch_max_rows)
        return await _run_batch(app, settings, args, stream)


async def _text_of(upload: UploadFile | None) -> str | None:
    if upload is None or not upload.filename:
        return None
    data = await upload.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise work.WebError(f"“{work.safe_name(upload.filename, '文件')}”不是 UTF-8 编码的 YAML 文本", 415) from None


def file_stem(outline: dict) -> str:
    title = str(outline.get("title") or "文档")
    return work.safe_name(title.replace("/", "-")[:40], "文档")


def _download(result: dict, fmt: str) -> Response:
    from urllib.parse import quote

    media = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "pdf": "application/pdf", "yaml": "application/yaml; charset=utf-8"}
    data = result["yaml"].encode("utf-8") if fmt == "yaml" else result["files"][fmt]
    name = quote(f"{file_stem(result['outline'])}.{fmt}")
    return Response(data, media_type=media[fmt],
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"})


class _Deadline(Exception):
    pass


async def _run_batch(app: FastAPI, settings: Settings, args: dict, stream: bool):
    """One batch at a time per uvicorn worker (its own processes do the rows); progress goes to the
    page as NDJSON lines, the zip comes last. Errors before the first row are a plain 4xx."""
    if app.state.batches >= 1:
        raise work.WebError("服务器正在处理另一批批量生成，请稍后再试", 503)
    app.state.batches += 1
    loop = asyncio.get_running_loop()
    events: asyncio.Queue = asyncio.Queue()
    deadline = time.monotonic() + settings.batch_timeout

    def progress(done: int, total: int) -> None:
        loop.call_soon_threadsafe(events.put_nowait, {"progress": done, "total": total})
        if time.monotonic() > deadline:
            raise _Deadline

    def run() -> None:
        folder = Path(tempfile.gettempdir())
        try:
            with work.request_folder() as folder:
                outcome = work.batch_zip(folder, **args, progress=progress)
            loop.call_soon_threadsafe(events.put_nowait, {"result": outcome})
        except _Deadline:
            message = f"批量生成超时：超过 {settings.batch_timeout:g} 秒，已停止（可用 DOCGEN_SERVE_BATCH_TIMEOUT 调整）"
            loop.call_soon_threadsafe(events.put_nowait, {"error": message, "status": 504})
        except DocgenError as exc:
            message = work.scrub(str(exc), folder)
            loop.call_soon_threadsafe(events.put_nowait, {"error": message, "status": getattr(exc, "status", 400)})
        except Exception as exc:  # noqa: BLE001 - reported as JSON, logged here
            log.exception("batch failed")
            loop.call_soon_threadsafe(events.put_nowait, {"error": f"内部错误（{type(exc).__name__}）", "status": 500})
        finally:
            loop.call_soon_threadsafe(events.put_nowait, None)

    threading.Thread(target=run, name="docgen-batch", daemon=True).start()
    first = await events.get()
    if stream and "progress" in first:
        return StreamingResponse(_stream(app, first, events), media_type="application/x-ndjson")
    try:
        outcome = first
        while "progress" in outcome:
            outcome = await events.get()
        await events.get()  # the end marker
    finally:
        app.state.batches -= 1
    if "error" in outcome:
        return error(outcome["error"], outcome["status"])
    return _ndjson([_final(outcome["result"])]) if stream else _zip_response(outcome["result"])


async def _stream(app: FastAPI, first: dict, events: asyncio.Queue):
    """NDJSON lines: progress events, then the outcome (zip in base64) or the error."""
    try:
        event = first
        while event is not None:
            yield json.dumps(_final(event["result"]) if "result" in event else event, ensure_ascii=False) + "\n"
            event = await events.get()
    finally:
        app.state.batches -= 1


def _final(outcome: dict) -> dict:
    return {"done": True, "succeeded": outcome["succeeded"], "failed": outcome["failed"],
            "results": outcome["results"], "zip": base64.b64encode(outcome["zip"]).decode("ascii")}


def _ndjson(items: list[dict]) -> Response:
    return Response("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), media_type="application/x-ndjson")


def _zip_response(outcome: dict) -> Response:
    summary = f"succeeded={outcome['succeeded']}; failed={outcome['failed']}"
    return Response(outcome["zip"], media_type="application/zip",
                    headers={"Content-Disposition": "attachment; filename=batch.zip", "X-Docgen-Batch": summary})
