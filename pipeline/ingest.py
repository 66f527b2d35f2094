"""`vnplan ingest`: walk INPUT_DIR, process new files in parallel, store one record per file as
it finishes, rebuild the tables. A file that cannot be read becomes an `errors` row; the batch
goes on. Re-runs skip files whose sha256 already has a record (unless force); a stored file moved
or renamed since keeps its record under its new path, and stored files no longer under INPUT_DIR
are counted (and removed with prune): see locations.py."""
from __future__ import annotations

import functools
import gc
import hashlib
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .executors import STORED, Task
from .file_hashes import FileHashes
from .guards import limits
from .identity import doc_id_of, relative_name
from .locations import FolderSync, Found, prune
from .outlock import exclusive
from .processes import name_process
from .store import (
    build_fingerprint,
    iter_records,
    known_documents,
    mark_built,
    outputs_current,
    remove_leftovers,
    save_record,
)


@dataclass
class IngestSummary:
    queued: int = 0  # new files to process in this run
    processed: int = 0
    skipped: int = 0
    pages: int = 0
    seconds: float = 0.0
    moved: int = 0  # stored files found under another path: their records follow them
    missing: int = 0  # stored files of INPUT_DIR no longer found there
    pruned: int = 0  # of those, records removed (--prune)
    unreported: int = 0  # stored by a worker as the run was interrupted, before the parent heard of it
    statuses: Counter = field(default_factory=Counter)
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase (benchmarks/bulk.py)

    def line(self) -> str:
        s = self.statuses
        line = (f"vnplan: {self.processed} processed (ok {s['ok']}, partial {s['partial']}, "
                f"error {s['error']}), {self.skipped} skipped as already done, {self.pages} pages "
                f"in {self.seconds:.1f} s")
        notes = [f"{self.moved} moved or renamed (records follow them)"] if self.moved else []
        if self.pruned:
            notes.append(f"{self.pruned} no longer under INPUT_DIR, removed (--prune)")
        elif self.missing:
            plans, them = ("plan", "it") if self.missing == 1 else ("plans", "them")
            notes.append(f"{self.missing} stored {plans} no longer under INPUT_DIR, kept (--prune removes {them})")
        return line + "".join(f"; {note}" for note in notes)

    def interrupted_line(self) -> str:
        s = self.statuses
        if self.processed == self.queued:  # every file was stored: the rebuild was cut short
            return (f"vnplan: interrupted while rebuilding the tables, after {self.processed} new files were "
                    f"stored, in {self.seconds:.1f} s: run the same command to rebuild them.")
        late = f"; {self.unreported} more finished as it stopped" if self.unreported else ""
        return (f"vnplan: interrupted after {self.processed + self.unreported} of {self.queued} files (ok "
                f"{s['ok']}, partial {s['partial']}, error {s['error']}{late}) in {self.seconds:.1f} s. Their "
                "records are kept and the tables are not rebuilt yet: run the same command to go on with the rest.")


class FoldersClash(ValueError):
    """OUT_DIR is INPUT_DIR."""


class IngestInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM, see cli) during ingest: the workers are stopped, every finished file
    stays stored, and `summary` says how far the run got."""

    def __init__(self, summary: IngestSummary):
        super().__init__("ingest interrupted")
        self.summary = summary


def walk_inputs(input_dir: Path, skip: Path | None = None,
                on_error: Callable[[OSError], None] | None = None) -> Iterator[Path]:
    """Every regular file under input_dir, sorted; symlinks leading outside input_dir are not
    followed, and the folder `skip` (the output folder, when it lies inside) is not entered. A
    folder that cannot be listed goes to `on_error` (os.walk would pass over it in silence)."""
    root = input_dir.resolve()
    skip = skip.resolve() if skip is not None else None
    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error):
        dirnames[:] = sorted(d for d in dirnames if (Path(dirpath) / d).resolve() != skip)
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                continue
            if path.is_file():
                yield path


def ingest(input_dir: Path, out_dir: Path, workers: int | None = None, ocr: str = "auto",
           force: bool = False, progress: bool | None = None, timeout: float | None = None,
           max_memory_mb: int = 6144, executor: str = "local", scheduler: str | None = None,
           log_json: bool = False, prune_missing: bool = False) -> IngestSummary:
    started, started_at = time.monotonic(), time.time()
    input_dir = input_dir.resolve()
    if out_dir.resolve() == input_dir:
        raise FoldersClash("--out must be another folder than INPUT_DIR (its tables would be read as plans)")
    out_dir.mkdir(parents=True, exist_ok=True)
    with exclusive(out_dir):  # one ingest at a time per output folder
        remove_leftovers(out_dir)  # temp files of a run killed while it wrote (no other run writes here now)
        summary = IngestSummary()
        folder, tasks = _scan(input_dir, out_dir, force, summary)
        summary.phases["scan_s"] = time.monotonic() - started
        workers = max(1, workers or os.cpu_count() or 1)
        results = _start(tasks, out_dir, ocr, workers, timeout, max_memory_mb, executor, scheduler)
        try:
            _collect(results, out_dir, input_dir, summary, progress, log_json)
            gc.unfreeze()  # the workers are gone: this process may collect as usual again (it may ingest again)
            folder.settle_duplicates(out_dir)  # nothing silently dropped: each copy says where its content was read
            missing = folder.missing()
            summary.missing = len(missing)
            if prune_missing:
                summary.pruned = prune(out_dir, missing)
            summary.phases["process_s"] = time.monotonic() - started - summary.phases["scan_s"]
            fingerprint = build_fingerprint(out_dir)
            if not outputs_current(out_dir, fingerprint):  # an unchanged folder keeps its tables and report
                mark_built(out_dir, fingerprint, _build_outputs(out_dir, summary.phases, workers))
        except KeyboardInterrupt as exc:  # every step above leaves the store whole: say how far it got
            close = getattr(results, "close", None)
            if close is not None:  # stops the workers now, wherever the interrupt landed
                close()
            summary.unreported = max(0, _stored_since(out_dir, tasks, started_at) - summary.processed)
            summary.seconds = time.monotonic() - started
            raise IngestInterrupted(summary) from exc
        finally:
            gc.unfreeze()
        summary.seconds = time.monotonic() - started
        if log_json:
            print(json.dumps({"event": "summary", "processed": summary.processed, "skipped": summary.skipped,
                              "moved": summary.moved, "missing": summary.missing, "pruned": summary.pruned,
                              "pages": summary.pages, **{k: round(v, 3) for k, v in summary.phases.items()}}),
                  file=sys.stderr)
        return summary


def _stored_since(out_dir: Path, tasks: list[Task], since: float) -> int:
    """How many of this run's files have a record written since it started: a worker may store one
    in the moment the run is interrupted, before the parent hears of it."""
    def written(sha: str) -> bool:
        try:
            return (out_dir / "json" / f"{doc_id_of(sha)}.json").stat().st_mtime >= since
        except OSError:
            return False
    return sum(written(sha) for _path, _dir, sha in tasks)


def _scan(input_dir: Path, out_dir: Path, force: bool, summary: IngestSummary) -> tuple[FolderSync, list[Task]]:
    """Walk INPUT_DIR: hash each file (cached by size and mtime), sort it into new / stored / copy,
    and point the records of moved files at their new paths. Returns the new files, largest first."""
    folder = FolderSync(input_dir, known_documents(out_dir), force)
    hashes = FileHashes(out_dir, trust_cache=not force)
    tasks: list[Task] = []
    unlisted: list[OSError] = []
    for path in walk_inputs(input_dir, skip=out_dir, on_error=unlisted.append):  # never our own outputs
        rel = relative_name(path, input_dir)
        try:
            sha = hashes.sha256(path)
        except FileNotFoundError:
            continue  # deleted while the folder was read: it is not there any more
        except OSError as exc:  # unreadable (permissions, a failing share): an errors row, the batch goes on
            _record_unreadable(path, rel, input_dir, out_dir, exc, folder, summary)
            continue
        if folder.classify(sha, path, rel) is Found.NEW:
            tasks.append((str(path), str(input_dir), sha))
        else:
            summary.skipped += 1
    for exc in unlisted:  # a folder that cannot be listed (another office's, on a share) is said, not skipped
        folder_path = Path(exc.filename or input_dir)
        _record_unreadable(folder_path, relative_name(folder_path, input_dir), input_dir, out_dir, exc,
                           folder, summary)
    hashes.save(input_dir)
    folder.apply_moves(out_dir)
    summary.moved = folder.moved
    # largest files first: the last files to finish are then small ones, so no core idles at the
    # end of the batch waiting for one long scan that happened to be listed last
    tasks.sort(key=lambda task: -Path(task[0]).stat().st_size)
    summary.queued = len(tasks)
    return folder, tasks


def _record_unreadable(path: Path, rel: str, input_dir: Path, out_dir: Path, exc: OSError, folder: FolderSync,
                       summary: IngestSummary) -> None:
    """A file whose bytes cannot be read, or a folder that cannot be listed, gets an error record at
    once. Its content cannot be hashed, so its id comes from its path: the same unreadable file is
    recorded once, and once it can be read it is processed as a new plan (the error record is then
    counted as gone)."""
    from .executors import failed_record

    sha = hashlib.sha256(f"unreadable\0{rel}".encode()).hexdigest()
    if folder.classify(sha, path, rel) is not Found.NEW:
        summary.skipped += 1
        return
    why = exc.strerror or type(exc).__name__
    message = (f"this folder could not be listed ({why}): the plans in it are not in the dataset"
               if path.is_dir() else f"could not be read ({why}); its doc_id and file_sha256 come from its path, "
               "as its content could not be hashed")
    save_record(out_dir, failed_record(str(path), str(input_dir), sha, "unreadable", message), str(input_dir))
    summary.processed += 1
    summary.statuses["error"] += 1


def _start(tasks: list[Task], out_dir: Path, ocr: str, workers: int, timeout: float | None, max_memory_mb: int,
           executor: str, scheduler: str | None) -> Iterator[tuple[str, dict]]:
    """The (path, record) pairs of the new files as they finish, on the chosen executor."""
    if not tasks:
        return iter(())  # nothing new: no pool to start
    if executor == "dask":
        from .executors import run_dask

        return run_dask(tasks, ocr, scheduler or "")
    from .executors import run_local, store_one
    from .run import warm_up

    if len(tasks) > 1:
        warm_up()
        # what the workers inherit stays put: the collector no longer walks it (fast gc.collect
        # between files) nor writes to its pages (they stay shared with the parent, copy-on-write)
        gc.freeze()
    return run_local(tasks, ocr, min(workers, len(tasks)), timeout or float(limits()["per_file_seconds"]),
                     max_memory_mb, task=functools.partial(store_one, out_dir=str(out_dir)))


def _collect(results: Iterator[tuple[str, dict]], out_dir: Path, input_dir: Path, summary: IngestSummary,
             progress: bool | None, log_json: bool) -> None:
    """Store what the workers could not, count, and show progress, as each file finishes."""
    show = sys.stderr.isatty() if progress is None else progress
    from tqdm import tqdm

    with tqdm(total=summary.queued, unit="file", disable=not show or not summary.queued, desc="ingest",
              dynamic_ncols=True) as bar:
        for path, record in results:
            if not record.get(STORED):  # a worker that was stopped, or a Dask result
                save_record(out_dir, record, str(input_dir))
            doc = record["document"]
            summary.processed += 1
            summary.statuses[doc["status"]] += 1
            summary.pages += doc.get("pages") or 0
            bar.set_postfix(pages=summary.pages, errors=summary.statuses["error"], refresh=False)
            bar.update(1)
            if log_json:
                print(json.dumps({"event": "file", "path": path, "doc_id": doc["doc_id"],
                                  "status": doc["status"], "pages": doc.get("pages"),
                                  "errors": len(record.get("errors", []))}, ensure_ascii=False),
                      file=sys.stderr)


def _build_outputs(out_dir: Path, phases: dict[str, float], workers: int = 1) -> list[str]:
    """Rebuild every table and report.html from all records; return the files written. With more
    than one worker the report is rendered in a forked process while the tables are written (both
    only read the records). (Imported here: pyarrow, duckdb and jinja2 are needed neither by a
    re-run that finds nothing new nor by the forked workers.)"""
    from .writers.tables import build_tables, write_tables

    report = _ReportJob(out_dir, background=workers > 1)
    mark = time.monotonic()
    tables = build_tables(iter_records(out_dir))
    write_tables(out_dir, tables)
    phases["tables_s"] = time.monotonic() - mark
    phases["report_s"] = report.wait()
    return [f"{name}.{ext}" for name in tables for ext in ("parquet", "csv")] + ["plans.duckdb", "report.html"]


REPORT_PROCESS_NAME = "vnplan-report"  # how the forked report process shows in ps/top (and to benchmarks/bulk.py)


def _timed_report(out_dir: Path, process_name: str | None = None) -> float:
    from .report import write_report

    if process_name:
        name_process(process_name)
    mark = time.monotonic()
    write_report(out_dir)
    return time.monotonic() - mark


class _ReportJob:
    """write_report in a forked process (started before pandas and pyarrow are imported, so the
    fork is small), or inline at wait() when there is no spare core."""

    def __init__(self, out_dir: Path, background: bool):
        self.out_dir = out_dir
        self.pool = None
        if background:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
            self.future = self.pool.submit(_timed_report, out_dir, REPORT_PROCESS_NAME)

    def wait(self) -> float:
        """Seconds the report took; its exception, if it failed, is raised here."""
        if self.pool is None:
            return _timed_report(self.out_dir)
        try:
            return self.future.result()
        finally:
            self.pool.shutdown()

