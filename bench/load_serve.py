"""Load test of ``docgen serve`` on loopback, bounded in count and time.

Starts a real ``docgen serve`` process (or uses ``--url``), imports the seed speech once, then sends
``--requests`` renders (``POST /api/render``: .docx + PDF + PNG pages) from ``--clients`` concurrent
clients and reports errors, median and p95 latency and throughput::

    .venv/bin/python bench/load_serve.py                  # 200 renders, 10 clients
    .venv/bin/python bench/load_serve.py --workers 2 --processes 2
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEED = ROOT / "tests" / "check" / "data" / "seed-speech.txt"


async def one(client, body: dict, latencies: list, errors: dict) -> None:
    started = time.perf_counter()
    try:
        response = await client.post("/api/render", json=body)
        status = response.status_code
        ok = status == 200 and response.json()["pdf"]
    except Exception as exc:  # noqa: BLE001 - counted and reported
        status, ok = type(exc).__name__, False
    latencies.append(time.perf_counter() - started)
    if not ok:
        errors[status] = errors.get(status, 0) + 1


async def load(url: str, requests: int, clients: int, deadline: float) -> dict:
    import httpx

    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        imported = (await client.post("/api/import", data={"text": SEED.read_text(encoding="utf-8")})).json()
        body = {"outline": imported["outline"], "import_findings": imported["findings"]}
        await one(client, body, [], {})  # warm-up: the render processes load fonts once
        latencies: list[float] = []
        errors: dict = {}
        queue: asyncio.Queue = asyncio.Queue()
        for _ in range(requests):
            queue.put_nowait(None)

        async def worker() -> None:
            while not queue.empty() and time.monotonic() < deadline:
                queue.get_nowait()
                await one(client, body, latencies, errors)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        wall = time.perf_counter() - started
    latencies.sort()
    done = len(latencies)
    return {
        "requests": done, "clients": clients, "errors": errors, "wall_s": wall,
        "median_s": statistics.median(latencies) if latencies else float("nan"),
        "p95_s": latencies[max(0, int(done * 0.95) - 1)] if latencies else float("nan"),
        "max_s": latencies[-1] if latencies else float("nan"),
        "per_s": done / wall if wall else 0.0,
        "unfinished": requests - done,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers of the started server")
    parser.add_argument("--processes", type=int, default=None, help="render processes per worker")
    parser.add_argument("--url", help="an already running docgen serve (no server is started)")
    parser.add_argument("--max-seconds", type=float, default=600, help="stop sending after this long")
    args = parser.parse_args()
    from tests.web.browser import serve

    extra = ["--workers", str(args.workers)] + (["--processes", str(args.processes)] if args.processes else [])
    deadline = time.monotonic() + args.max_seconds
    if args.url:
        result = asyncio.run(load(args.url, args.requests, args.clients, deadline))
    else:
        with serve(*extra) as url:
            result = asyncio.run(load(url, args.requests, args.clients, deadline))
    cpus = os.cpu_count()
    print(f"docgen serve load test: {result['requests']} renders, {result['clients']} clients, "
          f"{args.workers} worker(s), {args.processes or 'default'} render processes, {cpus} CPUs")
    print(f"errors: {sum(result['errors'].values())} {result['errors'] or ''}  unfinished: {result['unfinished']}")
    print(f"latency: median {result['median_s']:.2f} s, p95 {result['p95_s']:.2f} s, max {result['max_s']:.2f} s")
    print(f"throughput: {result['per_s']:.2f} renders/s over {result['wall_s']:.1f} s")
    return 1 if result["errors"] or result["unfinished"] else 0


if __name__ == "__main__":
    sys.exit(main())
