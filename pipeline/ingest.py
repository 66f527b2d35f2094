"""`vnplan ingest`: walk INPUT_DIR, process new files in parallel, store one record per file,
rebuild the tables. A file that cannot be read becomes an `errors` row; the batch goes on."""
from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from .run import DocResult, file_sha256, process_file
from .store import iter_records, known_hashes, save_record
from .writers.tables import build_tables, write_tables


@dataclass
class IngestSummary:
    processed: int = 0
    skipped: int = 0
    statuses: Counter | None = None
    pages: int = 0

    def line(self) -> str:
        s = self.statuses or Counter()
        return (f"vnplan: {self.processed} processed (ok {s['ok']}, partial {s['partial']}, "
                f"error {s['error']}), {self.skipped} skipped as already done, {self.pages} pages")


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


def _work(path: str, input_dir: str, out_dir: str, ocr: str, sha: str) -> tuple[str, int]:
    """Runs in a worker process: process one file and store its record there (crash-safe)."""
    result: DocResult = process_file(Path(path), Path(input_dir), ocr=ocr, sha256=sha)
    save_record(Path(out_dir), result.to_record())
    return result.document.status, result.document.pages or 0


def ingest(input_dir: Path, out_dir: Path, workers: int | None = None, ocr: str = "auto",
           force: bool = False, progress: bool | None = None) -> IngestSummary:
    input_dir = input_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    done = set() if force else known_hashes(out_dir)
    todo: list[tuple[Path, str]] = []
    seen: set[str] = set()
    summary = IngestSummary(statuses=Counter())
    for path in walk_inputs(input_dir):
        sha = file_sha256(path)
        if sha in done or sha in seen:
            summary.skipped += 1
            continue
        seen.add(sha)
        todo.append((path, sha))
    workers = workers or os.cpu_count() or 1
    show = sys.stderr.isatty() if progress is None else progress
    from tqdm import tqdm

    bar = tqdm(total=len(todo), unit="file", disable=not show, desc="ingest")
    if workers <= 1 or len(todo) <= 1:
        for path, sha in todo:
            _count(summary, _work(str(path), str(input_dir), str(out_dir), ocr, sha), bar)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_work, str(p), str(input_dir), str(out_dir), ocr, sha) for p, sha in todo]
            for fut in as_completed(futures):
                _count(summary, fut.result(), bar)
    bar.close()
    write_tables(out_dir, build_tables(iter_records(out_dir)))
    return summary


def _count(summary: IngestSummary, outcome: tuple[str, int], bar) -> None:
    status, pages = outcome
    summary.processed += 1
    summary.statuses[status] += 1
    summary.pages += pages
    bar.set_postfix(pages=summary.pages)
    bar.update(1)
