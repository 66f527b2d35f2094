"""Where per-file work runs: a local process pool with a per-file guard, or a Dask cluster.

Both run the same task (`process_one`) and yield `(path, record)` pairs as files finish. Each
record is stored at once (by the local worker itself, see `store_one`; by the parent for Dask
results and for files whose worker was stopped), so a killed run loses only the files in flight."""
from __future__ import annotations

import os
import queue
import resource
import signal
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from .identity import display_name, doc_id_of, format_from_suffix, relative_name
from .processes import name_process, release_memory
from .rows import DocumentRow, ErrorRow
from .store import save_record

Task = tuple[str, str, str]  # (path, input_dir, sha256)
STORED = "stored"  # key of a worker's receipt: the record is already in OUT/json (see store_one)
WORKER_TASKS = 200
WORKER_PROCESS_NAME = "vnplan-worker"  # how a worker shows in ps/top (and to benchmarks/bulk.py)


def process_one(path: str, input_dir: str, sha: str, ocr: str) -> dict[str, Any]:
    from .run import process_file  # in a worker: loaded already (warm_up before the fork)

    record = process_file(Path(path), Path(input_dir), ocr=ocr, sha256=sha).to_record()
    release_memory()
    return record


def store_one(path: str, input_dir: str, sha: str, ocr: str, out_dir: str) -> dict[str, Any]:
    """process_one, with the record stored by the worker itself (atomically, as the parent would):
    only a receipt (document row and errors, marked "stored") travels back, so the parent
    neither unpickles nor encodes whole records while the workers need the cores."""
    record = process_one(path, input_dir, sha, ocr)
    save_record(Path(out_dir), record, input_dir)
    return {"document": record["document"], "errors": record["errors"], STORED: True}


def failed_record(path: str, input_dir: str, sha: str, error_type: str, message: str) -> dict[str, Any]:
    """The record of a file whose worker was stopped (timeout, memory, crash): status error."""
    from .run import DocResult

    p = Path(path)
    rel = relative_name(p, Path(input_dir))
    doc_id = doc_id_of(sha)
    row = DocumentRow(doc_id=doc_id, source_path=rel, source_name=display_name(p.name), file_sha256=sha,
                      file_format=format_from_suffix(p), status="error")
    result = DocResult(document=row, errors=[ErrorRow(rel, doc_id, "read", error_type, message)])
    return result.to_record()


def _init_worker(max_memory_mb: int) -> None:
    """Worker initializer: cap the address space so a file that explodes raises MemoryError
    inside its own worker (becoming an errors row) instead of taking the machine down. Ctrl-C
    reaches the whole process group: the parent alone decides (it stops the pool); the parent's
    SIGTERM handler (cli) is not the workers', which the pool stops with SIGTERM."""
    name_process(WORKER_PROCESS_NAME)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if max_memory_mb > 0:
        limit = max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def run_local(tasks: list[Task], ocr: str, workers: int, timeout: float, max_memory_mb: int,
              task: Callable[[str, str, str, str], dict[str, Any]] = process_one,
              ) -> Iterator[tuple[str, dict[str, Any]]]:
    """Process pool (pebble) that kills and replaces a worker whose file exceeds `timeout`;
    `task` is the per-file function (process_one; ingest passes store_one; tests pass their own).
    Interrupted (Ctrl-C, SIGTERM, or the caller closes this generator), it stops the workers at
    once: the files in flight are left for the next run, which skips the finished ones."""
    from pebble import ProcessPool

    # Workers are replaced every WORKER_TASKS files, a backstop for leaks in native libraries; memory
    # stays flat without it (release_memory after every file, bounded caches: docs/BULK.md).
    with ProcessPool(max_workers=workers, max_tasks=WORKER_TASKS, initializer=_init_worker,
                     initargs=(max_memory_mb,)) as pool:
        try:
            # each future reports itself when done (from pebble's result thread): the parent sleeps
            # until a file finishes instead of polling every pending future
            done: queue.SimpleQueue[Future] = queue.SimpleQueue()
            futures = {}
            for p, d, s in tasks:
                fut = pool.schedule(task, args=(p, d, s, ocr), timeout=timeout)
                futures[fut] = (p, d, s)
                fut.add_done_callback(done.put)
            while futures:
                fut = done.get()
                p, d, s = futures.pop(fut)
                record = _outcome(fut, p, d, s, timeout, max_memory_mb)
                del fut  # a done future holds its record: keep none in the parent
                yield p, record
        except BaseException:
            pool.stop()  # leaving the pool would otherwise wait for every queued file to be read
            raise


def _outcome(fut: Future, p: str, d: str, s: str, timeout: float, max_memory_mb: int) -> dict[str, Any]:
    """The record (or receipt) of a finished future; a stopped worker's file becomes an error record."""
    from pebble.common import ProcessExpired

    try:
        return fut.result()
    except FutureTimeout:
        return failed_record(p, d, s, "timeout", f"stopped after {timeout:.0f} s (per-file time limit)")
    except ProcessExpired as exc:
        return failed_record(p, d, s, "worker_crashed",
                             f"the worker died while reading this file (exit code {exc.exitcode}); "
                             "it may be too large for the memory limit")
    except MemoryError:
        return failed_record(p, d, s, "memory_limit", f"needs more than {max_memory_mb} MB of memory")
    except Exception as exc:  # process_file never raises; this is pickling or the pool
        return failed_record(p, d, s, type(exc).__name__, str(exc)[:300])


def _process_bytes(name: str, data: bytes, sha: str, ocr: str) -> dict[str, Any]:
    """Dask task: the document travels as bytes, so workers need no shared file system."""
    with tempfile.TemporaryDirectory(prefix="vnplan-") as tmp:
        path = Path(tmp) / Path(name).name
        path.write_bytes(data)
        record = process_one(str(path), tmp, sha, ocr)
    record["document"]["source_path"] = name
    for err in record.get("errors", []):
        err["source_path"] = name
    return record


def run_dask(tasks: list[Task], ocr: str, scheduler: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Same task on a Dask distributed cluster (`dask-scheduler` + `dask-worker`s)."""
    from distributed import Client, as_completed

    with Client(scheduler) as client:
        futures = {}
        for p, d, s in tasks:
            rel = relative_name(Path(p), Path(d))
            fut = client.submit(_process_bytes, rel, Path(p).read_bytes(), s, ocr, key=f"vnplan-{s}", pure=False)
            futures[fut] = (p, d, s)
        for fut in as_completed(futures):
            p, d, s = futures.pop(fut)  # released futures free their results on the workers
            try:
                record = fut.result()
            except Exception as exc:
                record = failed_record(p, d, s, "worker_crashed", f"dask task failed: {exc}"[:300])
            yield p, record
