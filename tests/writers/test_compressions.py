"""The PDF writer's parallel compression: every stream asked for is zlib's own output, whether a
worker thread compressed it or the saving thread has to, streams handed over while others are
being compressed are taken too, and closing leaves no thread behind."""

from __future__ import annotations

import random
import zlib

from docgen.writers.pdf import _Compressions


def streams(count: int) -> dict[tuple[int, bytes], bytes]:
    rng = random.Random(7)
    work = {}
    for index in range(count):
        data = bytes(rng.randrange(40) for _ in range(20_000 * (index + 1)))
        work[(len(data), bytes([index]))] = data
    return work


def test_each_stream_is_zlibs_output_whoever_compresses_it():
    work = streams(6)
    pool = _Compressions(workers=1)
    keys = sorted(work, key=lambda key: key[0])
    for key in keys[3:]:  # handed over in two goes, as pages and full subsets become final
        pool.submit(key, work[key])
    for key in keys[:3]:
        pool.submit(key, work[key])
    taken = {}
    for key in keys:  # smallest first: the worker starts with the largest
        out = pool.take(key)
        taken[key] = zlib.compress(work[key]) if out is None else out
    pool.close()
    assert taken == {key: zlib.compress(data) for key, data in work.items()}
    assert pool.take((1, b"never handed over")) is None
    assert not any(thread.is_alive() for thread in pool.threads)


def test_closing_early_leaves_the_rest_unstarted():
    work = streams(5)
    pool = _Compressions(workers=2)
    for key, data in work.items():
        pool.submit(key, data)
    pool.close()
    pool.submit((3, b"late"), b"abc")  # after closing: ignored
    assert not any(thread.is_alive() for thread in pool.threads)
    assert set(pool.results) <= set(work)
    assert all(out == zlib.compress(work[key]) for key, out in pool.results.items() if out is not None)


def test_the_asking_thread_compresses_what_waits_instead_of_idling():
    import threading
    import time

    work = streams(3)
    first, *others = sorted(work, key=lambda key: -key[0])
    pool = _Compressions(workers=0)  # no worker thread: this test plays the worker
    for key, data in work.items():
        pool.submit(key, data)
    assert pool._claim_longest() == first  # "the worker" is on the longest stream
    answer = {}
    asker = threading.Thread(target=lambda: answer.setdefault("out", pool.take(first)))
    asker.start()
    deadline = time.monotonic() + 30
    while not all(key in pool.results for key in others) and time.monotonic() < deadline:
        time.sleep(0.01)
    # While it waited for the first, the asking thread compressed the other two.
    assert {key: pool.results.get(key) for key in others} == {key: zlib.compress(work[key]) for key in others}
    assert asker.is_alive() and "out" not in answer
    pool._compress(first)  # "the worker" finishes
    asker.join(30)
    assert answer["out"] == zlib.compress(work[first])
    pool.close()


def test_the_gil_is_handed_over_sooner_only_while_a_pdf_is_written(tmp_path, monkeypatch):
    import sys

    from docgen import api
    from docgen.writers import pdf

    from pathlib import Path

    monkeypatch.setattr(pdf.os, "cpu_count", lambda: 2)  # one compression thread, as on two cores
    seen = []
    submit = _Compressions.submit
    monkeypatch.setattr(_Compressions, "submit",
                        lambda self, key, data: (seen.append(sys.getswitchinterval()), submit(self, key, data))[1])
    before = sys.getswitchinterval()
    api.render(Path(__file__).resolve().parents[2] / "examples" / "notice.yaml", ["pdf"], tmp_path)
    assert seen and set(seen) == {0.0005}  # while the worker compresses beside the drawing
    assert sys.getswitchinterval() == before
    assert pdf._Deflate.pool is None


def test_overlapping_pdfs_restore_the_switch_interval_once_the_last_ends():
    import sys

    from docgen.writers.pdf import _SwitchInterval

    before = sys.getswitchinterval()
    _SwitchInterval.enter()
    _SwitchInterval.enter()  # a second PDF on another thread
    assert sys.getswitchinterval() == _SwitchInterval.FAST
    _SwitchInterval.leave()
    assert sys.getswitchinterval() == _SwitchInterval.FAST  # the other is still compressing
    _SwitchInterval.leave()
    assert sys.getswitchinterval() == before
