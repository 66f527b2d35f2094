"""`vnplan ingest`: walk INPUT_DIR, process new files in parallel, store one record per file as
it finishes, rebuild the tables. A file that cannot be read becomes an `errors` row; the batch
goes on. Re-runs skip files whose sha256 already has a record (unless force)."""
from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .report import write_report
from .run import file_sha256
from .store import iter_records, known_hashes, save_record
from .writers.tables import build_tables, write_tables


@dataclass
class IngestSummary:
    processed: int = 0
    skipped: int = 0
    pages: int = 0
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)

    def line(self) -> str:
        s = self.statuses
        return (f"vnplan: {self.processed} processed (ok {s['ok']}, partial {s['partial']}, "
                f"error {s['error']}), {self.skipped} skipped as already done, {self.pages} pages "
                f"in {self.seconds:.1f} s")


def walk_inputs(input_dir: Path) -> Iterator[Path]:
    """Every regular file under input_dir, sorted; symlinks leading outside input_dir are not followed."""
    root = input_dir.resolve()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                continue
            if path.is_file():
                yield path


def ingest(input_dir: Path, out_dir: Path, workers: int | None = None, ocr: str = "auto",
           force: bool = False, progress: bool | None = None, timeout: float = 1800.0,
           max_memory_mb: int = 6144, executor: str = "local", scheduler: str | None = None,
           log_json: bool = False) -> IngestSummary:
    started = time.monotonic()
    input_dir = input_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    done = set() if force else known_hashes(out_dir)
    summary = IngestSummary()
    tasks: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for path in walk_inputs(input_dir):
        sha = file_sha256(path)
        if sha in done or sha in seen:
            summary.skipped += 1
            continue
        seen.add(sha)
        tasks.append((str(path), str(input_dir), sha))
    workers = max(1, workers or os.cpu_count() or 1)
    if executor == "dask":
        from .executors import run_dask

        results = run_dask(tasks, ocr, scheduler or "")
    else:
        from .executors import run_local
        from .run import warm_up

        if len(tasks) > 1:
            warm_up()

        results = run_local(tasks, ocr, min(workers, max(1, len(tasks))), timeout, max_memory_mb)
    show = sys.stderr.isatty() if progress is None else progress
    from tqdm import tqdm

    with tqdm(total=len(tasks), unit="file", disable=not show or not tasks, desc="ingest",
              dynamic_ncols=True) as bar:
        for path, record in results:
            save_record(out_dir, record)
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
    write_tables(out_dir, build_tables(iter_records(out_dir)))
    write_report(out_dir)
    summary.seconds = time.monotonic() - started
    return summary
