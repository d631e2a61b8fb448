"""Render processes: a Pebble process pool per uvicorn worker, so a slow render never blocks the
event loop that serves the page to others, and one over its time is stopped (Pebble kills the
process that runs it and starts a fresh one) instead of running on.

Requests beyond the processes wait in a bounded queue; when that is full the request is refused
at once (503) rather than piling up.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import TimeoutError as FutureTimeout

from docgen.errors import DocgenError
from docgen.web.settings import Settings
from docgen.web.work import WebError, request_folder, scrub


PRELOAD = ["docgen.web.work", "docgen.api", "docgen.ingest", "docgen.lint", "docgen.outline.loader",
           "docgen.compose", "docgen.writers.docx", "docgen.writers.pdf", "pypdfium2", "PIL.Image"]


def _warm_up() -> None:
    """Load the library and the PDF fonts once per process, not in the first request."""
    try:
        from docgen.api import load_fontset, load_profile

        load_fontset(load_profile())
        import docgen.ingest  # noqa: F401
        import docgen.writers.docx  # noqa: F401
        import pypdfium2  # noqa: F401
    except Exception:  # noqa: BLE001 - a request will report the same problem properly
        pass


class Failure(Exception):
    """An unexpected error in a render process, by name only (its traceback is in the server's log;
    some exceptions, e.g. lxml's, cannot even be sent back between processes)."""


def guarded(function, *args):
    """Run ``function(*args)`` in a render process: user errors go back with their status, anything
    else as a :class:`Failure` after its traceback is printed to the server's log."""
    try:
        return function(*args)
    except DocgenError as exc:
        raise WebError(str(exc), getattr(exc, "status", 400)) from None
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - logged here, answered as JSON by the app
        import traceback

        traceback.print_exc()
        raise Failure(type(exc).__name__) from None


class RenderPool:
    def __init__(self, settings: Settings) -> None:
        from pebble import ProcessPool

        self.settings = settings
        # forkserver: a clean process to fork from (uvicorn's own process has threads and a loop),
        # with the library imported once, so a process replacing a killed one starts in a moment
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        self.pool = ProcessPool(max_workers=settings.processes, initializer=_warm_up, context=context)
        self.in_flight = 0

    async def run(self, function, *args, timeout: float | None = None):
        """``function(folder, *args)`` in a render process, with a fresh temporary folder removed
        afterwards; 503 when busy, 504 after ``timeout`` seconds."""
        limit = self.settings.processes + self.settings.queue
        if self.in_flight >= limit:
            raise WebError("服务器正忙（同时处理的请求已满），请稍后再试", 503)
        timeout = timeout or self.settings.timeout
        self.in_flight += 1
        try:
            with request_folder() as folder:
                try:
                    return await self._schedule(function, (folder, *args), timeout)
                except DocgenError as exc:
                    raise WebError(scrub(str(exc), folder), getattr(exc, "status", 400)) from None
        finally:
            self.in_flight -= 1

    async def _schedule(self, function, args: tuple, timeout: float):
        # Pebble kills the process of a task over its time (or cancelled: the client went away).
        future = self.pool.schedule(guarded, args=(function, *args), timeout=timeout)
        try:
            return await asyncio.wrap_future(future)
        except (FutureTimeout, TimeoutError):
            raise WebError(f"处理超时：超过 {timeout:g} 秒仍未完成，已停止；请缩短稿子后再试"
                           "（管理员可用环境变量 DOCGEN_SERVE_TIMEOUT 调整）", 504) from None
        except MemoryError:
            raise WebError("文件过于复杂，处理时超出内存上限", 413) from None
        except Failure as exc:  # most likely a file the libraries could not parse
            raise WebError(f"无法处理上传的内容（{exc}）：文件可能已损坏；如确认文件正常，请把它交给维护者", 422) from None

    def close(self) -> None:
        self.pool.stop()
        self.pool.join(timeout=5)
